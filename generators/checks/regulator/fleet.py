"""The fleet view's data, pure: one enterprise's row, then over all rows the 标杆 selection and
the yearly inspection plan (差别监管).

- `enterprise_row(content, rating)`: counts and scores only. Personal names, phone numbers and
  exam results are added under "personal" only with `personal=True`; `fleet_data` drops them
  again unless the fleet view's own setting asks for them.
- `fleet_data(rows)`: what the page shows: the rows, the item titles, the 标杆 list (10 ‰, the
  cut-off shown) and the plan (inspections a year by rating, spread over the months).

Rows are plain JSON-able dicts: each enterprise's build writes its row (data/rating.json) and the
fleet-level output collects them from the build folders, never from content.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any

from ...model import Content
from . import facts as F
from .benchmark import criteria, select
from .profile import GRADES, Rubric, rubric_for
from .rating import Rating, inspection_for

PAGE_SIZE = 50
DEFAULT_PERMILLE = 10


def enterprise_row(content: Content, rating: Rating, rubric: Rubric | None = None, personal: bool = False) -> dict[str, Any]:
    """One enterprise as the fleet view shows it (JSON-able; counts only unless `personal`)."""
    rubric = rubric or rubric_for(content)
    ent = content.enterprise
    facts = F.facts_of(content)
    hf = F.hazard_facts(content)
    states = F.licence_states(content, rubric.required_for(content), rubric.expiry_warning_days)
    lic = {s.value: 0 for s in F.LicenceStatus}
    for s in states:
        lic[s.status.value] += 1
    expiring = [s.licence.valid_until for s in states if s.status is F.LicenceStatus.EXPIRING and s.licence and s.licence.valid_until]
    certs = F.certificate_coverage(content)
    rate = F.certificate_rate(certs)
    st = F.standardization(content)
    acc = F.accident_record(content)
    crit = criteria(content, rating, rubric)
    code = F.region(content)
    row: dict[str, Any] = {
        "id": ent.id,
        "name": ent.name,
        "industry": ent.industry,
        "tags": "、".join(ent.industry_tags),
        "region": code or "",
        "region_name": ent.region_name or "",
        "province": F.PROVINCES.get(code[:2], "") if code else "",
        "size_class": ent.size_class.value,
        "employees": ent.employees,
        "supervisor": facts.supervisor or "",
        "build_date": str(content.build_date),
        "rating": rating.grade,
        "score": rating.total,
        "uncapped": rating.uncapped,
        "caps": len(rating.caps),
        "inspected": rating.inspected,
        "inspection_date": str(rating.inspection_date) if rating.inspection_date else "",
        "items": {i.id: (None if i.ratio is None else round(i.ratio * 100, 1)) for i in rating.items},
        "item_titles": {i.id: i.title for i in rating.items},
        "hazards": hf.total,
        "hazards_open": hf.open,
        "hazards_overdue": hf.overdue,
        "major_open": hf.major_open,
        "major_overdue": hf.major_overdue,
        "licences": lic,
        "licence_alert": bool(lic["即将到期"] or lic["已过期"] or lic["缺失"]),
        "next_expiry": str(min(expiring)) if expiring else "",
        "cert_rate": None if rate is None else round(rate * 100, 1),
        "standardization": st.grade or "",
        "standardization_valid": st.valid,
        "accident_free_years": acc.years_free,
        "accidents_3y": acc.accidents_recent,
        "risk_points": len(content.risk_points),
        "risk_levels": {lvl.short: n for lvl, n in content.level_counts().items()},
        "posts": len(content.posts),
        "frequency": rating.frequency,
        "frequency_benchmark": rubric.supervision.frequency["标杆"],
        "permille": rubric.benchmark.permille,
        "benchmark": {k: v for k, v in crit.as_dict().items() if k != "evidence"},
    }
    if personal:
        kp = ent.key_people
        tf = F.training_facts(content)
        ins, _ = inspection_for(content)
        row["personal"] = {
            "principal": kp.principal.name,
            "principal_phone": kp.principal.phone or "",
            "safety_officers": [o.name for o in kp.safety_officers],
            "exam_pass_rate": None if tf.pass_rate is None else round(tf.pass_rate * 100, 1),
            "quiz": None if ins is None or ins.quiz is None else {"tested": ins.quiz.tested, "passed": ins.quiz.passed},
        }
    return row



# ---------------------------------------------------------------- 差别监管: the yearly plan


def plan_months(rows: list[dict[str, Any]]) -> dict[str, list[int]]:
    """Inspection months (1–12) for each enterprise: `frequency` visits spread evenly over the year,
    each enterprise's first month chosen so that the monthly workload stays level (deterministic)."""
    load = [0] * 12
    out: dict[str, list[int]] = {}
    for r in sorted(rows, key=lambda r: (-int(r["frequency"]), str(r["id"]))):
        f = max(1, min(12, int(r["frequency"])))
        step = 12 / f
        best: tuple | None = None
        for offset in range(max(1, math.floor(step))):
            months = sorted({int(offset + k * step) % 12 for k in range(f)})
            cost = (max(load[m] for m in months), sum(load[m] for m in months), offset)
            if best is None or cost < best[0]:
                best = (cost, months)
        assert best is not None
        for m in best[1]:
            load[m] += 1
        out[str(r["id"])] = [m + 1 for m in best[1]]
    return out


def inspection_plan(rows: list[dict[str, Any]], year: int) -> dict[str, Any]:
    months = plan_months(rows)
    for r in rows:
        r["plan_months"] = months[str(r["id"])]
    by_rating: dict[str, dict[str, Any]] = {}
    for r in rows:
        key = "标杆" if r.get("benchmark_selected") else r["rating"]
        entry = by_rating.setdefault(key, {"count": 0, "inspections": 0, "frequencies": set()})
        entry["count"] += 1
        entry["inspections"] += int(r["frequency"])
        entry["frequencies"].add(int(r["frequency"]))
    order = ["标杆", *GRADES]
    summary = [{"rating": k, "count": by_rating[k]["count"], "inspections": by_rating[k]["inspections"],
                "frequency": "、".join(str(f) for f in sorted(by_rating[k]["frequencies"]))} for k in order if k in by_rating]
    per_month = [0] * 12
    for ms in months.values():
        for m in ms:
            per_month[m - 1] += 1
    return {"year": year, "summary": summary, "per_month": per_month, "total": sum(per_month)}




def fleet_permille(rows: list[dict[str, Any]]) -> float:
    """The 标杆 share of the fleet: the profiles' (all the same in practice), else the notice's 10 ‰."""
    values = {float(r["permille"]) for r in rows if r.get("permille")}
    return values.pop() if len(values) == 1 else DEFAULT_PERMILLE


def fleet_data(rows: Iterable[dict[str, Any]], year: int | None = None, permille: float | None = None,
               generated: dt.date | None = None, personal: bool = False) -> dict[str, Any]:
    """Everything the page shows: rows, item titles, the 标杆 selection and the yearly plan."""
    rows = [dict(r) for r in rows]
    titles: dict[str, str] = {}
    for r in rows:
        titles.update(r.pop("item_titles", {}))
        if not personal:
            r.pop("personal", None)
    rows.sort(key=lambda r: str(r["id"]))
    generated = generated or max((dt.date.fromisoformat(r["build_date"]) for r in rows), default=dt.date.today())
    year = year or generated.year
    permille = permille if permille is not None else fleet_permille(rows)
    bench = select(rows, permille)
    chosen = set(bench["selected"])
    for r in rows:
        r["benchmark_selected"] = r["id"] in chosen
        if r["benchmark_selected"]:
            r["frequency"] = r["frequency_benchmark"]
    plan = inspection_plan(rows, year)
    return {
        "generated": str(generated), "year": year, "count": len(rows), "personal": personal,
        "page_size": PAGE_SIZE, "items": [{"id": k, "title": v} for k, v in titles.items()],
        "rows": rows, "benchmark": bench, "plan": plan,
    }



__all__ = ["DEFAULT_PERMILLE", "PAGE_SIZE", "enterprise_row", "fleet_data", "fleet_permille", "inspection_plan", "plan_months"]
