"""Word documents (the exam papers and keys) from a prepared package, without python-docx.

The package's fixed parts are kept in site_templates/word/package/ (theme, settings, numbering,
font table, ...: the parts of the A4 template the papers always had); styles.xml, the footer
(第 X 页 共 Y 页) and the core properties are Jinja2 templates with the document's font and title,
and word/document.xml is rendered from site_templates/word/document.xml.j2 with the body as data:
a list of blocks built with `para`, `run` and `table` below. Content is plain text: Jinja's
autoescape escapes every string, and characters XML cannot hold are dropped. The parts are
zipped by `zips.write_zip` (fixed timestamps and order), so the same input gives the same bytes.

Writing a paper this way takes a few milliseconds; python-docx took about 0.2 s (it parses and
re-serialises the 800 kB of template styles for every document).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from .. import paths
from .jinja import environment
from .zips import write_zip

EMU_PER_CM = 360000
EMU_PER_PT = 12700
EMU_PER_TWIP = 635
TEXT_WIDTH_CM = 16.0  # A4 (21 cm) less the 2.5 cm margins

# Characters XML 1.0 cannot hold (python-docx refused them with an error); they are dropped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def cm(value: float) -> int:
    """Centimetres in twips, rounded as Word's own templates (and python-docx) do."""
    return round(int(value * EMU_PER_CM) / EMU_PER_TWIP)


def pt(value: float) -> int:
    """Points in twips (paragraph spacing)."""
    return round(int(value * EMU_PER_PT) / EMU_PER_TWIP)


def half_points(size_pt: float) -> int:
    """A font size in half-points (w:sz)."""
    return int(int(size_pt * EMU_PER_PT) / EMU_PER_PT * 2)


def run(text: str, font: str, size_pt: float | None = None, bold: bool = False) -> dict:
    """A run of text in `font` (the East Asian font; Latin text is Times New Roman): tabs become
    w:tab and line breaks w:br, as Word types them."""
    parts: list[list] = []
    for piece in re.split(r"(\t|\r\n|\r|\n)", clean(text)):
        if piece == "\t":
            parts.append(["tab"])
        elif piece in ("\r\n", "\r", "\n"):
            parts.append(["br"])
        elif piece:
            parts.append(["t", piece, len(piece.strip()) < len(piece)])
    return {"font": clean(font), "size": half_points(size_pt) if size_pt else None, "bold": bold, "parts": parts}


def para(text: str = "", font: str = "", size: float | None = None, *, align: str | None = None, before: float = 0, after: float = 2,
         indent_cm: float = 0, hanging_cm: float = 0, keep_next: bool = False, tabs_cm: list[float] | None = None,
         runs: list[dict] | None = None) -> dict:
    """A paragraph block: its text as one run (or `runs`), spacing in points, indents in cm."""
    ind = []
    if indent_cm:
        ind.append(["left", cm(indent_cm)])
    if hanging_cm:
        ind.append(["hanging", cm(hanging_cm)])
    return {"p": {
        "runs": ([run(text, font, size)] if text else []) + list(runs or []),
        "keep_next": keep_next, "tabs": [cm(x) for x in tabs_cm or []],
        "spacing": [["before", pt(before)], ["after", pt(after)]], "ind": ind, "jc": align,
    }}


def cell(text: str = "", font: str = "", size: float = 11, bold: bool = False, center: bool = False, *, empty: bool = False) -> dict:
    """A table cell, vertically centred, one paragraph per line of `text`; `empty`: a cell left
    as the table made it (no formatting)."""
    if empty:
        return {"valign": False, "paras": [{"runs": [], "keep_next": False, "tabs": [], "spacing": [], "ind": [], "jc": None}]}
    paras = []
    for k, line in enumerate(text.split("\n")):
        spacing = [["after", 0], ["before", 0]] if k == 0 else [["after", 0]]
        paras.append({"runs": [run(line, font, size, bold)] if line else [], "keep_next": False, "tabs": [], "spacing": spacing, "ind": [],
                      "jc": "center" if center and k == 0 else None})
    return {"valign": True, "paras": paras}


def row(cells: list[dict], *, height_cm: float = 0, header: bool = False, keep: bool = False) -> dict:
    """A table row: `height_cm` at least, `header` repeated on every page, `keep` not broken across pages."""
    return {"cells": cells, "height": cm(height_cm) if height_cm else None, "header": header, "cant_split": keep}


def table(widths_cm: list[float], rows: list[dict]) -> dict:
    """A fixed-layout grid table (Table Grid style) with these column widths."""
    assert all(len(r["cells"]) == len(widths_cm) for r in rows)
    return {"tbl": {"widths": [cm(w) for w in widths_cm], "rows": rows}}


@lru_cache(maxsize=1)
def _fixed_parts() -> tuple[tuple[str, bytes], ...]:
    """The package's unchanging parts, read once per process."""
    root = paths.templates() / "word" / "package"
    return tuple(sorted((p.relative_to(root).as_posix(), p.read_bytes()) for p in root.rglob("*") if p.is_file()))


def document(blocks: list[dict], *, font: str, title: str, subject: str, author: str, date: dt.date) -> bytes:
    """The .docx: A4, 2.2/2.5 cm margins, Normal style 11.5 pt in `font` (Chinese) and Times New
    Roman, line spacing 1.25, a 第 X 页 共 Y 页 footer; core properties dated `date`."""
    env = environment("word", trim=False)
    stamp = f"{max(date.year, 1980):04d}-{date.month:02d}-{date.day:02d}T00:00:00Z"
    font = clean(font)
    parts = dict(_fixed_parts())
    parts["word/document.xml"] = env.get_template("document.xml.j2").render(blocks=blocks).encode("utf-8")
    parts["word/styles.xml"] = env.get_template("styles.xml.j2").render(font=font).encode("utf-8")
    parts["word/footer1.xml"] = env.get_template("footer1.xml.j2").render(font=font).encode("utf-8")
    parts["docProps/core.xml"] = env.get_template("core.xml.j2").render(
        title=clean(title), subject=clean(subject), author=clean(author), stamp=stamp).encode("utf-8")
    return write_zip(parts, date)


__all__ = ["TEXT_WIDTH_CM", "cell", "clean", "cm", "document", "para", "pt", "row", "run", "table"]
