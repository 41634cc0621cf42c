"""Score sheets (姓名、岗位、分数、考试日期) → rows to apply the pass marks to."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic
from ..model import Content
from ..paths import display as _display
from .workbook import WorkbookError, _text, post_lookup, problem, read_table

SCORE_HEADERS = ["姓名", "岗位", "分数", "考试日期"]
SCORE_ALIASES = {"成绩": "分数", "得分": "分数", "考试成绩": "分数", "日期": "考试日期", "考核日期": "考试日期", "岗位名称": "岗位", "工种": "岗位"}


@dataclass
class ScoreRow:
    row: int
    name: str
    post: str  # post id
    score: float
    date: dt.date


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = _DATE_TEXT.match(str(value).strip())
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def read_scores(path: Path | str, content: Content) -> tuple[list[ScoreRow], list[Diagnostic]]:
    """Scores, one row a person: 姓名 | 岗位 | 分数 | 考试日期."""
    path = Path(path)
    try:
        table = read_table(path, SCORE_HEADERS, SCORE_HEADERS, SCORE_ALIASES)
    except WorkbookError as exc:
        return [], [Diagnostic.error(_display(path), 1, 1, "", str(exc))]
    diags = list(table.problems)
    posts = post_lookup(content) or {}
    rows: list[ScoreRow] = []
    seen: dict[tuple[str, str], int] = {}
    for r, cells in table.rows:
        bad = False

        def err(header: str, message: str) -> None:
            nonlocal bad
            diags.append(problem(table.display, table.sheet, r, table.columns.get(header, 0), header, message))
            bad = True

        name = _text(cells["姓名"].value) if "姓名" in cells else None
        if not name:
            err("姓名", "姓名不能为空")
        post_text = _text(cells["岗位"].value) if "岗位" in cells else None
        post_id = posts.get(post_text or "")
        if not post_text:
            err("岗位", "岗位不能为空")
        elif post_id is None:
            err("岗位", f"岗位“{post_text}”不存在（可用：{'、'.join(p.name for p in content.posts)}）")
        raw = cells["分数"].value if "分数" in cells else None
        score: float | None = None
        if raw is None:
            err("分数", "分数不能为空（缺考请写 0 并在备注说明）")
        else:
            try:
                score = float(str(raw).strip().removesuffix("分"))
            except ValueError:
                err("分数", f"分数“{raw}”不是数字")
            else:
                if not 0 <= score <= 100 or score != score:
                    err("分数", f"分数 {score:g} 应在 0–100 之间")
        raw_date = cells["考试日期"].value if "考试日期" in cells else None
        date = _parse_date(raw_date) if raw_date is not None else None
        if raw_date is None:
            err("考试日期", "考试日期不能为空")
        elif date is None:
            err("考试日期", f"日期“{raw_date}”无法识别或不存在，应写成 2024-06-15 或 2024年6月15日")
        if name and post_id:
            key = (name, post_id)
            if key in seen:
                err("姓名", f"“{name}”（{post_text}）与第 {seen[key]} 行重复：每人一行")
            seen.setdefault(key, r)
        if not bad and name and post_id and score is not None and date is not None:
            rows.append(ScoreRow(r, name, post_id, score, date))
    if not rows and not any(d.severity == "error" for d in diags):
        diags.append(problem(table.display, table.sheet, table.header_row or 1, 0, "", "表头下面没有成绩"))
    return rows, diags
