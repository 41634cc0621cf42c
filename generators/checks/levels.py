"""检查频次 by level (seed 002 §9, seed 004 §16: 集团公司季查、厂矿月查、车间周查、班组日查): each checklist
is carried out at least as often as its level requires, wherever the items' periods are known (free
wording such as 每趟 or 每次作业 without a `period` is not judged)."""

from __future__ import annotations

from ..diagnostics import Diagnostics
from ..model import Content
from ..model.levels import LEVEL_MAX_FREQUENCY, PERIOD_DAYS


def located(content: Content, display: str) -> object | None:
    return next((loc for name, loc in content.located_files if name == display), None)


def check_frequencies(content: Content, diags: Diagnostics) -> None:
    """A checklist whose items all have a known period has one at least as frequent as its level's."""
    levels = content.levels
    for cid, cl in sorted(content.checklists.items()):
        need = LEVEL_MAX_FREQUENCY.get(cl.level)
        periods = [it.period for it in cl.items]
        if need is None or not periods or None in periods:
            continue
        best = min(periods, key=lambda p: PERIOD_DAYS[p])  # type: ignore[index]
        if PERIOD_DAYS[best] <= PERIOD_DAYS[need]:  # type: ignore[index]
            continue
        display = content.sources.get(f"checklist:{cid}", content.display(f"checklists/{cid}.yaml"))
        loc = located(content, display)
        where = loc.where(("items",)) if loc is not None else (1, 1)  # type: ignore[attr-defined]
        diags.warning(display, ("items",), f"{levels.checklist_title(cl.level)}“{cl.title}”最频繁的检查项为{best}查；按“{levels.frequency_rule()}”的要求，"
                      f"{levels.unit_word(cl.level)}至少{need}查一次：请增加{need}查（或更频繁）的检查项，或核对各项的频次", line_col=where)
