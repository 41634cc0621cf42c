"""Reading PDFs: bookmarks, the printed table of contents, embedded fonts."""

from __future__ import annotations

import re

from pypdf import PdfReader


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, 1-based page) of every bookmark."""
    out: list[tuple[int, str, int]] = []

    def walk(items, depth):
        for it in items:
            if isinstance(it, list):
                walk(it, depth + 1)
            else:
                out.append((depth, it.title, reader.get_destination_page_number(it) + 1))

    walk(reader.outline, 0)
    return out


def unspace(text: str) -> str:
    """Typst sets a quarter-em gap between Han and Latin/digits; text extraction turns it into a
    space that the source text (and so the bookmark title) does not have."""
    return re.sub(r"(?<=[0-9A-Za-z]) (?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff]) (?=[0-9A-Za-z])", "", text)


def toc_entries(reader: PdfReader) -> dict[str, int]:
    """Title -> page number as printed on the TOC pages (leader dots, spaced or not, between them)."""
    entries: dict[str, int] = {}
    for page in reader.pages[:12]:  # after the cover and the 修订记录, which lists every revision of the contents
        text = page.extract_text() or ""
        if "目\u3000录" not in text and not entries:
            continue
        for line in text.splitlines():
            m = re.match(r"^(.+?)\s*(?:\.\s?){3,}\s*(\d+)$", line.strip())
            if m:
                entries[unspace(m.group(1))] = int(m.group(2))
    return entries


def embedded_fonts(reader: PdfReader) -> dict[str, bool]:
    """Base font name -> whether its font program is embedded."""
    fonts: dict[str, bool] = {}
    for page in reader.pages:
        res = page.get("/Resources") or {}
        for ref in (res.get("/Font") or {}).values():
            font = ref.get_object()
            for f in [font] + [d.get_object() for d in font.get("/DescendantFonts", [])]:
                desc = f.get("/FontDescriptor")
                if desc is not None:
                    desc = desc.get_object()
                    fonts[str(f["/BaseFont"])] = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return fonts
