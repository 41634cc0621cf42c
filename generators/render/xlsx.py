"""Writing workbooks (openpyxl): the shared look (header row, widths, borders, frozen panes) and
reproducible saving."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

from .zips import normalise_zip

_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _workbook(date: dt.date):
    from openpyxl import Workbook

    wb = Workbook()
    stamp = dt.datetime(date.year, date.month, date.day)
    wb.properties.creator = "anquan"
    wb.properties.lastModifiedBy = "anquan"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    return wb


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return _ILLEGAL.sub("", value)
    return value


def _put(ws, row: int, column: int, value: Any):
    """Write a value as data: text starting with "=" stays text, never becomes a formula."""
    cell = ws.cell(row, column)
    cell.value = _clean(value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def _style_sheet(ws, headers: list[str], widths: dict[str, float], header_row: int = 1) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="999999")
    for c, name in enumerate(headers, start=1):
        cell = ws.cell(header_row, c)
        cell.font = Font(bold=True, name="宋体")
        cell.fill = PatternFill("solid", fgColor="DDE4F0")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
        ws.column_dimensions[get_column_letter(c)].width = widths.get(name, 12)
    for row in ws.iter_rows(min_row=header_row + 1, max_row=ws.max_row, max_col=len(headers)):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    ws.freeze_panes = ws.cell(header_row + 1, 1)


def save_workbook(wb, dest: Path, date: dt.date) -> None:
    buf = io.BytesIO()
    wb.save(buf)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(normalise_zip(buf.getvalue(), date))
