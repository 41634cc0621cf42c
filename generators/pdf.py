"""Shared WeasyPrint helpers for every PDF builder (handbook, cards, checklists, exams, risk map).

The API is deliberately small:

- `environment()`     the Jinja2 environment over `site_templates/` (autoescape ON, strict undefined).
- `fonts(content)`    the font stacks and @font-face entries for one enterprise (`FontSet`).
- `render_pdf(...)`   template + data -> PDF bytes with reproducible metadata; returns `Rendered`
                      (bytes and page count).
- `warm_up()`         load the font configuration and templates once per process.

Templates extend `pdf/base.html`, which writes the <head> (title, metadata, @font-face, page size)
from the variables `render_pdf` adds: `doc` (title, author, subject, keywords, date, lang) and
`fonts` (a `FontSet`). CSS files are given as paths relative to `site_templates/`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .model import Content, zh_date

TEMPLATES = Path(__file__).resolve().parent.parent / "site_templates"

# Debian's fonts-noto-cjk; the family names fontconfig reports.
SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"
FALLBACK = ["AR PL UKai CN", "LXGW WenKai", "serif"]

FONT_FORMATS = {".otf": "opentype", ".ttf": "truetype", ".ttc": "truetype", ".woff": "woff", ".woff2": "woff2"}


@dataclass(frozen=True)
class FontFace:
    family: str
    url: str  # file:// URL of a file inside the enterprise folder
    format: str


@dataclass(frozen=True)
class FontSet:
    """What the templates need to know about fonts: @font-face entries and the two stacks."""

    faces: tuple[FontFace, ...] = ()
    body: tuple[str, ...] = (SERIF, *FALLBACK)
    heading: tuple[str, ...] = (SANS, SERIF, *FALLBACK)
    notes: tuple[str, ...] = field(default=(), compare=False)

    def key(self) -> list[str]:
        """JSON-able identity for job keys (file contents included, so a swapped font file rebuilds)."""
        out = [f"{f.family}={_file_digest(f.url)}" for f in self.faces]
        return out + ["body:" + ",".join(self.body), "heading:" + ",".join(self.heading)]


def _file_digest(url: str) -> str:
    path = Path(url.removeprefix("file://"))
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError:
        return "missing"


def fonts(content: Content) -> FontSet:
    """Font stacks for the enterprise: its configured files first (宋体 → body, 黑体 → headings).

    `settings.fonts.files` maps a font name to a file inside the enterprise folder; each
    becomes an @font-face. When the name is the enterprise's 宋体/仿宋 it leads the body stack,
    when it is its 黑体/小标宋 it leads the heading stack; Noto CJK stays as the fallback.
    """
    from .loader import safe_path

    fmap = content.enterprise.settings.fonts
    faces: list[FontFace] = []
    notes: list[str] = []
    for name, rel in sorted(fmap.files.items()):
        path = safe_path(content.root, rel)
        fmt = FONT_FORMATS.get(Path(rel).suffix.lower())
        if path is None or not path.is_file() or fmt is None:
            notes.append(f"字体文件“{rel}”无法使用（不存在、在企业目录之外或不是 OTF/TTF/WOFF 字体），PDF 改用 Noto CJK 字体")
            continue
        faces.append(FontFace(name, path.as_uri(), fmt))
    names = {f.family for f in faces}
    body = [n for n in (fmap.songti, fmap.fangsong) if n in names]
    heading = [n for n in (fmap.heiti, fmap.xiaobiaosong) if n in names]
    return FontSet(
        faces=tuple(faces),
        body=tuple(dict.fromkeys([*body, SERIF, *FALLBACK])),
        heading=tuple(dict.fromkeys([*heading, SANS, SERIF, *FALLBACK])),
        notes=tuple(notes),
    )


def _css_string(text: str) -> Markup:
    """A CSS string literal, safe inside <style>: quotes, backslashes, <, > and & are CSS-escaped."""
    out = []
    for ch in str(text):
        if ch in '\\"<>&\n\r' or ord(ch) < 32:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return Markup('"' + "".join(out) + '"')


def _css_family(stack: tuple[str, ...]) -> Markup:
    generic = {"serif", "sans-serif", "monospace"}
    return Markup(", ".join(n if n in generic else str(_css_string(n)) for n in stack))


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Jinja2 over site_templates/: autoescape on for every template, undefined names are errors."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["zh_date"] = lambda d: zh_date(d) if d else ""
    env.filters["css_family"] = _css_family
    env.filters["css_string"] = _css_string
    env.filters["cn_num"] = cn_number
    return env


CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 25 → 二十五, 105 → 一百零五 (for 第一章, 第一条, 一、; up to 999)."""
    if n < 10:
        return CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    if rest == 0:
        return CN_DIGITS[hundreds] + "百"
    tail = ("一" + cn_number(rest) if 10 <= rest < 20 else cn_number(rest)) if rest >= 10 else "零" + CN_DIGITS[rest]
    return CN_DIGITS[hundreds] + "百" + tail


@lru_cache(maxsize=1)
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@dataclass
class Rendered:
    pdf: bytes
    pages: int


def _layout(template: str, data: dict[str, Any], stylesheets: list[str], doc: dict[str, str], font_set: FontSet | None):
    from weasyprint import HTML

    html = environment().get_template(template).render(**data, doc=doc, fonts=font_set or FontSet(), stylesheets=stylesheets)
    return HTML(string=html, base_url=TEMPLATES.as_uri() + "/").render(font_config=_font_config()), html


def _doc_meta(title: str, date: dt.date, author: str, subject: str, keywords: list[str] | None) -> dict[str, str]:
    return {
        "title": title,
        "author": author,
        "subject": subject,
        "keywords": ", ".join(keywords or []),
        "date": date.isoformat(),
        "lang": "zh-CN",
    }


def _write(document, html: str, title: str, date: dt.date, author: str, subject: str, keywords: list[str] | None) -> Rendered:
    meta = document.metadata
    meta.title, meta.authors, meta.description = title, [author], subject or None
    meta.keywords = keywords or []
    meta.generator = "anquan"
    stamp = f"{date.isoformat()}T00:00:00+08:00"
    meta.created = meta.modified = stamp
    identifier = hashlib.md5(html.encode("utf-8"), usedforsecurity=False).hexdigest().encode()
    buf = io.BytesIO()
    document.write_pdf(buf, pdf_identifier=identifier)
    return Rendered(buf.getvalue(), len(document.pages))


def render_pdf(
    template: str,
    data: dict[str, Any],
    *,
    stylesheets: list[str],
    title: str,
    date: dt.date,
    author: str,
    font_set: FontSet | None = None,
    subject: str = "",
    keywords: list[str] | None = None,
) -> Rendered:
    """Render `template` (relative to site_templates/) with `data` to PDF bytes.

    `date` becomes both the creation and modification date (use `content.build_date`), the
    PDF identifier is derived from the bytes' inputs, so the same input gives the same bytes.
    """
    return render_fitting(
        template, [data], 10**9, stylesheets=stylesheets, title=title, date=date, author=author,
        font_set=font_set, subject=subject, keywords=keywords,
    )


def render_fitting(
    template: str,
    variants: list[dict[str, Any]],
    max_pages: int,
    *,
    stylesheets: list[str],
    title: str,
    date: dt.date,
    author: str,
    font_set: FontSet | None = None,
    subject: str = "",
    keywords: list[str] | None = None,
) -> Rendered:
    """Lay out each variant of the data in turn and write the first that fits `max_pages`
    (or the last one). Only the chosen layout is written to PDF."""
    doc = _doc_meta(title, date, author, subject, keywords)
    document = html = None
    for data in variants:
        document, html = _layout(template, data, stylesheets, doc, font_set)
        if len(document.pages) <= max_pages:
            break
    return _write(document, html, title, date, author, subject, keywords)


def warm_up() -> None:
    """Load fontconfig and the base templates once (call in fleet workers before building)."""
    _font_config()
    environment().get_template("pdf/base.html")


__all__ = ["FontSet", "FontFace", "Rendered", "TEMPLATES", "cn_number", "environment", "fonts", "render_fitting", "render_pdf", "warm_up"]
