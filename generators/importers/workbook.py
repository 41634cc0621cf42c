"""Reading one sheet of an .xlsx safely: the header row, merged cells and formulas reported,
every problem naming the sheet, row and column (letter and header) in Chinese.

Formulas and merged cells are reported, never read silently: a formula's cached value may be
stale or absent, and a merged cell leaves the rows below it empty.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic
from ..model import Content
from ..paths import display as _display

_SPLIT = re.compile(r"[、,，;；/\s]+")




class WorkbookError(Exception):
    """The file cannot be opened as a workbook at all."""


@dataclass
class Cell:
    row: int
    column: int
    header: str
    value: Any


def col_letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def problem(display: str, sheet: str, row: int, column: int, header: str, message: str, severity: str = "error") -> Diagnostic:
    """A workbook diagnostic: file, row as line, column number; the message names sheet, row and column."""
    where = f"工作表“{sheet}”第 {row} 行"
    if column:
        where += f" {col_letter(column)} 列" + (f"（{header}）" if header else "")
    return Diagnostic(severity, display, row, column or 1, "", f"{where}：{message}")


def _header_name(value: Any, aliases: dict[str, str]) -> str:
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    text = re.sub(r"\s+", "", text)
    m = re.fullmatch(r"(?:选项)?([A-Ha-h])(?:选项)?", text)
    if m:
        return f"选项{m.group(1).upper()}"
    return aliases.get(text, text)


def open_sheet(path: Path, preferred: str | None = None):
    """(workbook, worksheet) in full mode (merged cells and formulas visible)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise WorkbookError(f"无法读取 {_display(path)}：不是有效的 .xlsx 文件（{type(exc).__name__}）。请在 Excel/WPS 中另存为“Excel 工作簿 (*.xlsx)”") from exc
    ws = wb[preferred] if preferred and preferred in wb.sheetnames else wb.worksheets[0]
    return wb, ws


@dataclass
class Table:
    """The data rows of one sheet with their header, ready to read cell by cell."""

    display: str
    sheet: str
    header_row: int
    columns: dict[str, int]  # canonical header -> column number
    rows: list[tuple[int, dict[str, Cell]]]
    problems: list[Diagnostic]


def read_table(path: Path, required: list[str], known: list[str], aliases: dict[str, str], preferred_sheet: str | None = None) -> Table:
    """Find the header row (within the first 10), report merged cells and formulas, collect rows."""
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    display = _display(path)
    _, ws = open_sheet(path, preferred_sheet)
    problems: list[Diagnostic] = []
    header_row = 0
    columns: dict[str, int] = {}
    for r in range(1, min(ws.max_row, 10) + 1):
        names = {_header_name(ws.cell(r, c).value, aliases): c for c in range(1, ws.max_column + 1) if ws.cell(r, c).value not in (None, "")}
        if all(h in names for h in required[:2]):
            header_row, columns = r, {}
            for name, c in names.items():
                columns.setdefault(name, c)
            break
    if not header_row:
        problems.append(problem(display, ws.title, 1, 0, "", f"找不到表头行：前 10 行中应有一行包含列名 {'、'.join(required)}（见 docs/题库导入模板.md）"))
        return Table(display, ws.title, 0, {}, [], problems)
    for name in required:
        if name not in columns:
            problems.append(problem(display, ws.title, header_row, 0, "", f"缺少必填列“{name}”（表头在第 {header_row} 行）"))
    for name, c in sorted(columns.items(), key=lambda kv: kv[1]):
        if name not in known:
            problems.append(problem(display, ws.title, header_row, c, str(ws.cell(header_row, c).value), "未识别的列，已忽略", "warning"))
    merged_cells: set[tuple[int, int]] = set()
    for rng in sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        if rng.max_row < header_row:
            continue  # a merged title above the header is fine
        header = _column_header(columns, rng.min_col)
        problems.append(problem(
            display, ws.title, rng.min_row, rng.min_col, header,
            f"合并单元格 {rng.coord}：请取消合并，并在每一行填写完整的值（合并后只有第一行有值，其余行会被读成空白）",
        ))
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                merged_cells.add((r, c))
    rows: list[tuple[int, dict[str, Cell]]] = []
    wanted = {name: c for name, c in columns.items() if name in known}
    for r in range(header_row + 1, ws.max_row + 1):
        cells: dict[str, Cell] = {}
        blank = True
        for name, c in wanted.items():
            cell = ws.cell(r, c)
            value = cell.value
            if cell.data_type == "f" or isinstance(value, (ArrayFormula, DataTableFormula)):
                text = value.text if isinstance(value, ArrayFormula) else str(value)
                problems.append(problem(display, ws.title, r, c, name, f"单元格是公式“{text[:40]}”：请改为直接填写的值（复制后“选择性粘贴 → 数值”）"))
                value = None
                blank = False
            elif isinstance(value, str):
                value = unicodedata.normalize("NFC", value).strip() or None
            if value is not None:
                blank = False
            cells[name] = Cell(r, c, name, value)
        if blank and not any((r, c) in merged_cells for c in wanted.values()):
            continue
        rows.append((r, cells))
    return Table(display, ws.title, header_row, columns, rows, problems)


def _column_header(columns: dict[str, int], col: int) -> str:
    return next((name for name, c in columns.items() if c == col), "")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        value = value.strftime("%Y-%m-%d")
    text = str(value).strip()
    return text or None


# ------------------------------------------------------------------ bank import


def post_lookup(content: Content | None) -> dict[str, str] | None:
    """Post names and ids -> post id (None when no enterprise is given)."""
    if content is None:
        return None
    out: dict[str, str] = {}
    for p in content.posts:
        out[p.id] = p.id
        out.setdefault(p.name, p.id)
    return out
