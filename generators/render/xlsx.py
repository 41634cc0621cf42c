"""Writing workbooks (openpyxl): the shared look (header row, widths, borders, frozen panes) and
reproducible saving."""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
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
    body = ws.iter_rows(min_row=header_row + 1, max_row=ws.max_row, max_col=len(headers))
    set_styles((cell for row in body for cell in row), alignment=Alignment(vertical="top", wrap_text=True),
               border=Border(top=thin, bottom=thin, left=thin, right=thin))
    ws.freeze_panes = ws.cell(header_row + 1, 1)


# cell attribute -> (the workbook's list of those styles, the StyleArray field holding the index)
_STYLE_SLOTS = {"font": ("_fonts", "fontId"), "fill": ("_fills", "fillId"), "border": ("_borders", "borderId"),
                "alignment": ("_alignments", "alignmentId")}


def set_styles(cells, **styles) -> None:
    """`cell.<name> = style` for every cell, each style looked up in the workbook once: what
    openpyxl's own assignment does per cell (an equality search of the workbook's style list,
    most of a big sheet's time), so the saved workbook is the same."""
    from openpyxl.styles.cell_style import StyleArray

    ids = None
    for cell in cells:
        if ids is None:
            wb = cell.parent.parent
            ids = [(_STYLE_SLOTS[name][1], getattr(wb, _STYLE_SLOTS[name][0]).add(style)) for name, style in styles.items()]
        if not cell._style:
            cell._style = StyleArray()
        for field, index in ids:
            setattr(cell._style, field, index)


def workbook_bytes(wb, date: dt.date) -> bytes:
    """The workbook as `wb.save` writes it, normalised (write_zip): openpyxl's parts are stored
    uncompressed, so each is compressed once, by normalise_zip."""
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    return normalise_zip(buf.getvalue(), date)


def save_workbook(wb, dest: Path, date: dt.date) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(workbook_bytes(wb, date))


def print_setup(ws, header_rows: str, fit_width: bool = True) -> None:
    """Print a sheet as a form: A4 landscape, every column on the page's width (fit_width), the
    header row(s) (e.g. "3:3") on every printed page, centred, 第 N 页 共 M 页 in the footer."""
    from openpyxl.worksheet.page import PageMargins

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    if fit_width:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = header_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.size = 9
    first = int(header_rows.split(":")[0])
    fit_rows(ws, first, ws.max_row)


def _text_units(text: str) -> float:
    """Width of a line in column-width units (a CJK character measured 1.5 in LibreOffice; a little kept spare)."""
    return sum(1.7 if unicodedata.east_asian_width(ch) in "WF" else 1.0 for ch in text)


def fit_rows(ws, first: int, last: int, line_height: float = 14.5) -> None:
    """Row heights for wrapped text (spreadsheet programs differ in fitting rows on opening; a
    printed form must not cut a cell's text): the most lines any cell of the row needs."""
    from openpyxl.utils import get_column_letter

    merged = {(r, c) for rng in ws.merged_cells.ranges for r in range(rng.min_row, rng.max_row + 1)
              for c in range(rng.min_col, rng.max_col + 1)}
    for r, row in enumerate(ws.iter_rows(min_row=first, max_row=last), start=first):  # ws[r] would count the columns again per row
        lines = 1
        for cell in row:
            if cell.value is None or (r, cell.column) in merged:
                continue
            width = (ws.column_dimensions[get_column_letter(cell.column)].width or 8.43) - 1.5
            text = cell.value.strftime("%Y-%m-%d") if isinstance(cell.value, (dt.date, dt.datetime)) else str(cell.value)
            lines = max(lines, sum(max(1, math.ceil(_text_units(part) / max(width, 1))) for part in text.split("\n")))
        ws.row_dimensions[r].height = round(lines * line_height + 3, 1)


def title_rows(ws, columns: int, title: str, line: str | None = None) -> int:
    """A merged, centred title in row 1 and an optional merged line under it; returns the next free row."""
    from openpyxl.styles import Alignment, Font

    cell = _put(ws, 1, 1, title)
    cell.font = Font(bold=True, size=14, name="黑体")
    cell.alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    ws.row_dimensions[1].height = 26
    if line is None:
        return 2
    _put(ws, 2, 1, line).alignment = Alignment(vertical="center")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=columns)
    return 3


def sign_row(ws, row: int, columns: int, parts: list[tuple[str, str]]) -> None:
    """Signature lines under a table (one empty row above): 编制：… 审核：…, each name or a blank line to sign."""
    from openpyxl.styles import Alignment

    text = "　　　　".join(f"{label}：{name or '＿＿＿＿＿＿'}" for label, name in parts)
    _put(ws, row + 1, 1, text).alignment = Alignment(vertical="center")
    ws.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=columns)
    ws.row_dimensions[row + 1].height = 30
