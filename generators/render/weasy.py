"""WeasyPrint for the documents whose natural source is HTML/CSS: the exam results sheet
(`anquan exam-results`; the notices' fallback PDF calls WeasyPrint itself, see
outputs/notices/pdf.py). Its Jinja2 environment also renders the risk map's SVG figure.

The API is deliberately small:

- `environment()`     the Jinja2 environment over `site_templates/` (autoescape ON, strict undefined).
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
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jinja2
from markupsafe import Markup

from .. import paths
from ..load.images import guard_pillow
from ..zh import cn_number, zh_date
from .fonts import FontSet
from .jinja import environment as _jinja


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Jinja2 over site_templates/: autoescape on for every template, undefined names are errors."""
    env = _jinja("")
    env.filters["zh_date"] = lambda d: zh_date(d) if d else ""
    env.filters["css_family"] = _css_family
    env.filters["css_string"] = _css_string
    env.filters["cn_num"] = cn_number
    return env


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
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@dataclass
class Rendered:
    pdf: bytes
    pages: int


def _layout(template: str, data: dict[str, Any], stylesheets: list[str], doc: dict[str, str], font_set: FontSet | None):
    from weasyprint import HTML

    guard_pillow()
    html = environment().get_template(template).render(**data, doc=doc, fonts=font_set or FontSet(), stylesheets=stylesheets)
    return HTML(string=html, base_url=paths.templates().as_uri() + "/").render(font_config=_font_config()), html


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
    document.write_pdf(buf, pdf_identifier=identifier, finisher=_serialise_once)
    return Rendered(buf.getvalue(), len(document.pages))


# pydyf writes a PDF that has an identifier by serialising every object twice: once to write it,
# then all over again (every stream deflated again at level 9) to hash them for the /ID entry.
# The finisher runs when the PDF is complete, just before it is written: from then on each
# object keeps its first serialisation: the same bytes for one pass (about a tenth of a render).


def _serialise_once(_document, pdf) -> None:
    pdf.__class__ = _once(type(pdf), "add_object")  # objects pydyf adds while writing (info, object stream)
    for obj in pdf.objects:
        if obj.free != "f":
            obj.__class__ = _once(type(obj), "data")
    pdf.info.__class__ = _once(type(pdf.info), "data")


@lru_cache(maxsize=None)
def _once(cls: type, what: str) -> type:
    """`cls` whose `data` is computed once per object, or (for the PDF) whose `add_object` does that
    to each object it adds."""
    if what == "add_object":
        def add_object(self, obj):
            cls.add_object(self, obj)
            obj.__class__ = _once(type(obj), "data")

        return type(cls.__name__, (cls,), {"add_object": add_object, "__module__": cls.__module__})
    prop = getattr(cls, "data", None)
    if getattr(cls, "_serialised_once", False) or not isinstance(prop, property):
        return cls  # already, or not a pydyf object as we know them: left as it is
    compute = prop.fget

    def data(self):
        kept = self.__dict__.get("_serialised")
        if kept is None:
            kept = self.__dict__["_serialised"] = compute(self)
        return kept

    return type(cls.__name__, (cls,), {"data": property(data), "_serialised_once": True, "__module__": cls.__module__})


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


__all__ = ["Rendered", "environment", "render_fitting", "render_pdf", "warm_up"]
