"""Reading the samples' printed documents (test_printed_layout, test_printed_documents)."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader

# demo-transport's hazmat-driver card: its 重大/较大 risk points alone (9, with every control and emergency action) still fill more than an
# A3 sheet at 10 pt: it prints on two A3 pages (the build says so) until its text is shortened or the
# card bounds (generators/load/bounds.py, set when A2 was allowed) are lowered.
OVER_A3 = {("demo-transport", "hazmat-driver")}


def flat(text: str | None) -> str:
    return re.sub(r"\s", "", text or "")


def stream_text(path: Path) -> str:
    """The text in the order it is set (column by column, cell by cell; pdfplumber reads across columns by line)."""
    return flat("".join(page.extract_text() or "" for page in PdfReader(path).pages))
