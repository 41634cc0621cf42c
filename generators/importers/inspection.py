"""The inspector's filled-in 六必查 workbook (made by the "sixchecks" output) → an `Inspection`
(inspections/<year>.yaml), for `anquan inspection-import`.

Read: sheet 六必查, columns 编号 / 现场核查 / 备注 (blank results are left out); sheet 检查记录,
the date, kind, department, inspectors and the 凡查必考 counts. What the command line gives
(--date, --inspectors, ...) takes precedence over the sheet. Every problem is a `SheetError` whose
Chinese message names the sheet and row.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import yaml
from pydantic import ValidationError

from ..model.regulator import BehaviourObservation, Finding, Inspection, QuizOutcome
from ..model.regulator_lines import BEHAVIOUR_IDS, FINDING_IDS
from .scores import _parse_date

SHEET = "六必查"
RECORD_SHEET = "检查记录"
KINDS = ("基础建设专项检查", "年度执法检查", "体检式精查")
_SPLIT = re.compile(r"[、,，;；/\s]+")


class SheetError(ValueError):
    """A filled-in 六必查 workbook that cannot be read; the message names the row."""


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _record(wb) -> dict[str, Any]:
    """The 检查记录 sheet as {label: value} (absent sheet: empty)."""
    if RECORD_SHEET not in wb.sheetnames:
        return {}
    ws = wb[RECORD_SHEET]
    out: dict[str, Any] = {}
    for r in range(1, ws.max_row + 1):
        label = _text(ws.cell(r, 1).value)
        value = ws.cell(r, 2).value
        if label and value not in (None, ""):
            out[label] = value
    return out


def _count(record: dict[str, Any], label: str) -> int | None:
    value = record.get(label)
    if value is None:
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        raise SheetError(f"工作表“{RECORD_SHEET}”：{label}应为整数，现为“{value}”") from None
    if number != int(number) or number < 0:
        raise SheetError(f"工作表“{RECORD_SHEET}”：{label}应为 0 以上的整数，现为“{value}”")
    return int(number)


def read_six_checks_xlsx(data: bytes, year: int | None = None, date: dt.date | None = None, inspectors: list[str] | None = None,
                         department: str | None = None, kind: str | None = None) -> Inspection:
    """The workbook's findings and record as an `Inspection`; arguments given override the sheet."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the user's to fix
        raise SheetError(f"不是有效的 .xlsx 文件（{type(exc).__name__}）") from exc
    if SHEET not in wb.sheetnames:
        raise SheetError(f"工作簿中没有“{SHEET}”工作表（请使用 anquan build 生成的六必查检查表 regulator/sixchecks.xlsx）")
    ws = wb[SHEET]
    header_row = next((r for r in range(1, min(ws.max_row, 10) + 1) if ws.cell(r, 3).value == "编号"), None)
    if header_row is None:
        raise SheetError(f"“{SHEET}”工作表中找不到表头（编号、现场核查、备注）")
    cols = {ws.cell(header_row, c).value: c for c in range(1, ws.max_column + 1)}
    missing = [h for h in ("编号", "现场核查", "备注") if h not in cols]
    if missing:
        raise SheetError(f"“{SHEET}”工作表第 {header_row} 行缺少表头：{'、'.join(missing)}")
    findings, behaviours = [], []
    seen: set[str] = set()
    for r in range(header_row + 1, ws.max_row + 1):
        item = _text(ws.cell(r, cols["编号"]).value)
        result = _text(ws.cell(r, cols["现场核查"]).value)
        note = _text(ws.cell(r, cols["备注"]).value) or None
        if not item or not result:
            continue
        if item in seen:
            raise SheetError(f"工作表“{SHEET}”第 {r} 行：编号“{item}”重复")
        seen.add(item)
        if item in BEHAVIOUR_IDS:
            if result not in ("未发现", "发现"):
                raise SheetError(f"工作表“{SHEET}”第 {r} 行（{item}）：现场核查应为“未发现”或“发现”，现为“{result}”")
            behaviours.append(BehaviourObservation(item=item, observed=result == "发现", note=note))
        elif item in FINDING_IDS:
            if result not in ("符合", "不符合", "不适用"):
                raise SheetError(f"工作表“{SHEET}”第 {r} 行（{item}）：现场核查应为“符合”“不符合”或“不适用”，现为“{result}”")
            findings.append(Finding(item=item, result=result, note=note))  # type: ignore[arg-type]
        else:
            raise SheetError(f"工作表“{SHEET}”第 {r} 行：编号“{item}”不是六必查检查项")

    record = _record(wb)
    if date is None and "检查日期" in record:
        date = _parse_date(record["检查日期"])
        if date is None:
            raise SheetError(f"工作表“{RECORD_SHEET}”：检查日期“{record['检查日期']}”应写成 2026-10-21")
    if date is None:
        raise SheetError(f"没有检查日期：请填写工作表“{RECORD_SHEET}”的检查日期，或用 --date 给出")
    if inspectors is None and "检查人员" in record:
        inspectors = [x for x in _SPLIT.split(_text(record["检查人员"])) if x]
    if not inspectors:
        raise SheetError(f"没有检查人员：请填写工作表“{RECORD_SHEET}”的检查人员（多人用“、”分隔），或用 --inspectors 给出")
    kind = kind or _text(record.get("检查方式")) or KINDS[0]
    if kind not in KINDS:
        raise SheetError(f"检查方式应为 {'、'.join(KINDS)} 之一，现为“{kind}”")
    department = department or _text(record.get("检查部门")) or None
    tested, passed = _count(record, "抽考人数"), _count(record, "合格人数")
    quiz = None
    if tested is not None or passed is not None:
        if tested is None or passed is None:
            raise SheetError(f"工作表“{RECORD_SHEET}”：抽考人数和合格人数要一起填写")
        seed = _count(record, "抽题种子")
        try:
            quiz = QuizOutcome(seed=seed, tested=tested, passed=passed)
        except ValidationError as exc:
            raise SheetError(f"工作表“{RECORD_SHEET}”：{exc.errors()[0]['msg'].removeprefix('Value error, ')}") from None
    try:
        return Inspection(year=year or date.year, date=date, kind=kind, department=department, inspectors=inspectors,  # type: ignore[arg-type]
                          findings=findings, behaviours=behaviours, quiz=quiz)
    except ValidationError as exc:
        raise SheetError("；".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())) from None


def inspection_yaml(ins: Inspection, source: str = "") -> str:
    """inspections/<year>.yaml as the inspector would write it by hand."""
    data = ins.model_dump(exclude_none=True)
    head = f"# {ins.year}年度现场检查记录：由 anquan inspection-import 从检查表导入" + (f"（{source}）" if source else "") + "，可手工修改。\n"
    head += "# 检查项编号见六必查检查表“编号”栏；现场抽考（凡查必考）只记人数，试卷和成绩由检查人员留存。\n"
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120, default_flow_style=None)
    return head + body


__all__ = ["SheetError", "inspection_yaml", "read_six_checks_xlsx"]
