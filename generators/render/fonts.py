"""The fonts of one enterprise's documents: its own font files first, Debian's Noto CJK behind.

`fonts(content)` gives a `FontSet`: the @font-face entries (WeasyPrint) and the body and heading
stacks that every PDF engine (Typst, WeasyPrint) uses.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Content
from ..paths import safe_path

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
