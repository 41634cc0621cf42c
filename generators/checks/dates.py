"""Dates later than the build date: a revision, a hazard found or closed, a notice dated, an exam sat
"in the future" is almost always a typing mistake (2062 for 2026, 12-03 for 03-12)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterator

from ..diagnostics import Diagnostics
from ..model import Content
from ..paths import display
from .where import located

# keys whose date records something that has happened (deadlines, plan phases and due dates may lie ahead)
PAST_DATES = {"date": "日期", "found": "发现日期", "closed": "销号日期", "print_date": "印发日期"}
CONTEXT = {"revisions": "修订日期", "history": "整改过程日期", "records": "考试日期"}


def _dates(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str, dt.date]]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key in PAST_DATES and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                yield (*path, key), key, value
            elif isinstance(value, (dict, list)):
                yield from _dates(value, (*path, key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from _dates(item, (*path, i))


def _label(path: tuple, key: str) -> str:
    for part in reversed(path[:-1]):
        if isinstance(part, str) and part in CONTEXT and key == "date":
            return CONTEXT[part]
    if key == "date" and len(path) == 1:
        return "成文日期"
    return PAST_DATES[key]


def future_dates(content: Content, diags: Diagnostics) -> None:
    """Every date of something done (revisions, hazards, notices, exams) is on or before the build date."""
    today = content.build_date
    for path in content.all_sources:
        loc = located(path)
        if loc is None:
            continue
        for field_path, key, value in _dates(loc.data):
            if value > today:
                diags.warning(display(path), field_path, line_col=loc.where(field_path), message=(
                    f"{_label(field_path, key)} {value.isoformat()} 晚于构建日期 {today.isoformat()}：已经发生的事不会有将来的日期，请核对是否写错"))
