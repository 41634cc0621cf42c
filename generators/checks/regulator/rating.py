"""优良中差: `rate()` scores an enterprise against its rating profile, with every score's evidence.

Scoring, step by step (every number is shown with its evidence):
1. each rule gives a value from 0 to 1, or "不计分" when it does not apply (no hazard was due yet,
   no inspection was recorded, no exam history was imported);
2. an item's score = weight × Σ(points × value) / Σ(points of the rules that apply); an item with
   no applicable rule scores nothing and its weight leaves the total;
3. the total = Σ item scores / Σ weights of the items that apply × 100;
4. the grade is the first of 优/良/中 whose threshold the total reaches, else 差;
5. caps then lower the grade when a condition holds (a 危险作业行为 seen on site, an overdue
   重大隐患, an expired or missing licence, ...): the grade is never better than the cap.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ...model import Content
from ...model.regulator import Inspection
from ...model.regulator_lines import line
from . import facts as F
from .measures import MEASURES, Context, Evidence, cap_holds
from .profile import GRADES, Rubric, rubric_for


@dataclass
class RuleScore:
    id: str
    label: str
    points: float
    value: float | None  # 0–1, None: 不计分
    evidence: list[Evidence]

    @property
    def applies(self) -> bool:
        return self.value is not None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "points": self.points, "value": self.value,
                "evidence": [e.as_dict() for e in self.evidence]}


@dataclass
class ItemScore:
    id: str
    title: str
    weight: float
    rules: list[RuleScore]

    @property
    def applies(self) -> bool:
        return any(r.applies for r in self.rules)

    @property
    def ratio(self) -> float | None:
        """Score rate 0–1 over the rules that apply."""
        pts = sum(r.points for r in self.rules if r.applies)
        if not pts:
            return None
        return sum(r.points * (r.value or 0.0) for r in self.rules if r.applies) / pts

    @property
    def score(self) -> float:
        return round(self.weight * (self.ratio or 0.0), 1)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "weight": self.weight, "score": self.score,
                "ratio": None if self.ratio is None else round(self.ratio, 4), "rules": [r.as_dict() for r in self.rules]}


@dataclass
class Rating:
    grade: str  # 优 良 中 差
    total: float  # 0–100
    uncapped: str  # the grade from the score alone
    items: list[ItemScore]
    caps: list[str]  # reasons of the caps that lowered (or would lower) the grade
    rubric_id: str
    rubric_title: str
    inspected: bool
    inspection_date: dt.date | None
    frequency: int  # routine inspections a year (差别监管)
    measures: str  # what else applies to this grade
    reasons: list[str] = field(default_factory=list)

    def item(self, item_id: str) -> ItemScore | None:
        return next((i for i in self.items if i.id == item_id), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "grade": self.grade, "total": self.total, "uncapped": self.uncapped, "caps": self.caps,
            "rubric": {"id": self.rubric_id, "title": self.rubric_title},
            "inspected": self.inspected, "inspection_date": str(self.inspection_date) if self.inspection_date else None,
            "frequency": self.frequency, "measures": self.measures, "reasons": self.reasons,
            "items": [i.as_dict() for i in self.items],
        }




# ---------------------------------------------------------------- rating


def grade_for(total: float, rubric: Rubric) -> str:
    for g in ("优", "良", "中"):
        if total >= rubric.thresholds[g] - 1e-9:
            return g
    return "差"


def inspection_for(content: Content) -> tuple[Inspection | None, str]:
    """The latest inspection on or before the build date (with its source)."""
    records: dict[int, Inspection] = content.extras.get("inspections") or {}  # type: ignore[assignment]
    years = [y for y, ins in records.items() if ins.date <= content.build_date]
    if not years:
        return None, ""
    year = max(years)
    return records[year], F.source(content, f"inspection:{year}", f"inspections/{year}.yaml")


def rate(content: Content, rubric: Rubric | None = None, inspection: Inspection | None = None, inspection_source: str = "") -> Rating:
    """Score the content (and the inspection, when given or recorded) against the rubric."""
    rubric = rubric or rubric_for(content)
    if inspection is None:
        inspection, inspection_source = inspection_for(content)
    elif not inspection_source:
        inspection_source = f"inspections/{inspection.year}.yaml"
    ctx = Context(content, rubric, inspection, inspection_source)
    items: list[ItemScore] = []
    for item in rubric.items:
        rules = []
        for rule in item.rules:
            label, fn = MEASURES[rule.measure]
            params = dict(rule.params)
            if rule.item:
                params["item"] = rule.item
            value, evidence = fn(ctx, params)
            if value is not None:
                value = max(0.0, min(1.0, float(value)))
            if rule.label is None and rule.item is not None:
                label = f"{label}：{line(rule.item).short}"
            rules.append(RuleScore(rule.id, rule.label or label, rule.points, value, evidence))
        items.append(ItemScore(item.id, item.title, item.weight, rules))
    applying = [i for i in items if i.applies]
    weight = sum(i.weight for i in applying)
    total = round(100 * sum(i.weight * (i.ratio or 0.0) for i in applying) / weight, 1) if weight else 0.0
    uncapped = grade_for(total, rubric)
    grade = uncapped
    caps: list[str] = []
    for cap in rubric.caps:
        held = cap_holds(ctx, cap)
        if held is None:
            continue
        caps.append(f"{cap.reason}（{held}），等次最高为“{cap.max}”")
        if GRADES.index(cap.max) > GRADES.index(grade):
            grade = cap.max
    reasons = [f"总分 {total:g} 分（{'、'.join(f'{g} ≥ {rubric.thresholds[g]:g}' for g in ('优', '良', '中'))}，低于 {rubric.thresholds['中']:g} 为差）：按分数为“{uncapped}”"]
    reasons += caps
    weakest = sorted((i for i in applying if (i.ratio or 0) < 1), key=lambda i: i.ratio or 0)[:2]
    for i in weakest:
        lost = [r for r in i.rules if r.applies and (r.value or 0) < 1]
        if lost:
            reasons.append(f"{i.title}得分率 {_pct(i.ratio or 0)}：{'；'.join(r.label for r in lost)}未满分")
    if inspection is None:
        reasons.append("未录入现场检查结果：本次评价仅依据企业资料，现场核查和抽考项不计分")
    return Rating(
        grade=grade, total=total, uncapped=uncapped, items=items, caps=caps,
        rubric_id=rubric.id, rubric_title=rubric.title,
        inspected=inspection is not None, inspection_date=inspection.date if inspection else None,
        frequency=rubric.supervision.frequency[grade], measures=rubric.supervision.measures.get(grade, ""),  # type: ignore[index]
        reasons=reasons,
    )


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


__all__ = ["ItemScore", "Rating", "RuleScore", "grade_for", "inspection_for", "rate"]
