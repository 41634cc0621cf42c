"""Reading the samples' printed documents (test_printed_layout, test_printed_documents)."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader

# Cards allowed to run onto a second page: none. hazmat-driver (9 重大/较大 risk points, every control
# and emergency action) fits one A3 page at 10 pt since the A3 layout was made compact (footer in one
# row, the PPE run in, tighter margins and risk blocks).
OVER_A3: set[tuple[str, str]] = set()


def flat(text: str | None) -> str:
    return re.sub(r"\s", "", text or "")


def stream_text(path: Path) -> str:
    """The text in the order it is set (column by column, cell by cell; pdfplumber reads across columns by line)."""
    return flat("".join(page.extract_text() or "" for page in PdfReader(path).pages))
