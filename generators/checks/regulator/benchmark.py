"""标杆: the four criteria an enterprise must meet, and the 10 ‰ selection over a fleet.

A 基础建设标杆企业 must (all four):
1. 二级及以上标准化: a 一级 or 二级 安全生产标准化 grade whose certificate is valid on the build date;
2. a high-quality 《应知应会手册》: handbook.yaml exists, was revised within a year, has 通用知识,
   and every post's 专业知识 part is complete (责任清单, risk points, risk card, and the
   岗位作业流程标准 for key posts) — see `facts.HandbookFacts.high_quality`;
3. 双重预防机制 to a high standard: the rubric items of the dual-prevention mechanism
   (隐患源头治理体系 and 风险分级管控执行 by default) each score at least 90 % of their weight;
4. three or more years without an accident (`facts.accident_record`).

Selection: at most ⌊N × 10 / 1000⌋ of the N enterprises rated, but at least one when N ≥ 1.
The notice asks every department to select 标杆 at 10 ‰ "to lead by example"; a strict floor
would give a department with fewer than 100 enterprises none at all, so a fleet of 1–199
enterprises may select one, 200–299 two, ..., 2,579 twenty-five. Candidates meeting all four
criteria are ranked by total score (then the dual-prevention score, then accident-free years,
then id, so the order is stable); the first `cap` are selected and the cut-off (the last selected
score) is shown with the candidates below it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ...model import Content
from . import facts as F
from .profile import Rubric, rubric_for
from .rating import Rating

CRITERIA: dict[str, str] = {
    "standardization": "二级及以上安全生产标准化",
    "handbook": "高质量《应知应会手册》",
    "dual_prevention": "高标准落实双重预防机制",
    "accident_free": "三年以上无事故",
}


@dataclass
class Criteria:
    met: dict[str, bool]
    evidence: dict[str, str]
    dual_score: float  # mean score rate of the dual-prevention items (0–1), for ranking

    @property
    def all(self) -> bool:
        return all(self.met.values())

    @property
    def missing(self) -> list[str]:
        return [CRITERIA[k] for k, ok in self.met.items() if not ok]

    def as_dict(self) -> dict[str, Any]:
        return {"met": dict(self.met), "evidence": dict(self.evidence), "all": self.all,
                "missing": self.missing, "dual_score": round(self.dual_score, 4)}


def criteria(content: Content, rating: Rating, rubric: Rubric | None = None) -> Criteria:
    rubric = rubric or rubric_for(content)
    spec = rubric.benchmark
    st = F.standardization(content)
    hb = F.handbook_facts(content)
    acc = F.accident_record(content)
    ratios = []
    texts = []
    for iid in spec.dual_prevention_items:
        item = rating.item(iid)
        ratio = item.ratio if item is not None and item.ratio is not None else 0.0
        ratios.append(ratio)
        texts.append(f"{item.title if item else iid}得分率 {ratio * 100:.0f}%")
    dual_ok = bool(ratios) and all(r >= spec.dual_prevention_min - 1e-9 for r in ratios)
    met = {
        "standardization": st.high,
        "handbook": hb.high_quality,
        "dual_prevention": dual_ok,
        "accident_free": acc.three_years,
    }
    evidence = {
        "standardization": st.text,
        "handbook": hb.text,
        "dual_prevention": "；".join(texts) + f"（要求各项不低于 {spec.dual_prevention_min * 100:.0f}%）",
        "accident_free": acc.text,
    }
    return Criteria(met, evidence, sum(ratios) / len(ratios) if ratios else 0.0)


def benchmark_cap(total: int, permille: float = 10) -> int:
    """How many 标杆 a fleet of `total` enterprises may select: ⌊total × ‰⌋, at least one."""
    if total <= 0:
        return 0
    return max(1, math.floor(total * permille / 1000 + 1e-9))


def _rank_key(row: dict[str, Any]) -> tuple:
    b = row["benchmark"]
    return (-float(row["score"]), -float(b.get("dual_score", 0)), -float(row.get("accident_free_years") or 0), str(row["id"]))


def select(rows: list[dict[str, Any]], permille: float = 10, near_limit: int = 50) -> dict[str, Any]:
    """The 标杆 list over fleet rows (each from `fleet.enterprise_row`).

    Returns the cap, every candidate ranked (with `selected`), the cut-off, and the near misses
    (enterprises missing exactly one criterion, best first, at most `near_limit`).
    """
    total = len(rows)
    cap = benchmark_cap(total, permille)
    ranked = sorted((r for r in rows if r["benchmark"]["all"]), key=_rank_key)
    candidates = []
    for i, r in enumerate(ranked, start=1):
        candidates.append({"rank": i, "id": r["id"], "name": r["name"], "score": r["score"], "rating": r["rating"],
                           "industry": r["industry"], "region": r["region"], "selected": i <= cap})
    selected = candidates[:cap]
    near = sorted((r for r in rows if len(r["benchmark"]["missing"]) == 1), key=_rank_key)[:near_limit]
    return {
        "total": total,
        "permille": permille,
        "cap": cap,
        "rule": f"按 {permille:g}‰ 选树：{total} 家 × {permille:g}‰ = {total * permille / 1000:.2f}，取整为 {cap} 家" + ("（不足 1 家的按 1 家）" if total and total * permille / 1000 < 1 else ""),
        "candidates": candidates,
        "selected": [c["id"] for c in selected],
        "cutoff": None if not selected else {"rank": selected[-1]["rank"], "score": selected[-1]["score"], "id": selected[-1]["id"], "name": selected[-1]["name"]},
        "near_misses": [{"id": r["id"], "name": r["name"], "score": r["score"], "rating": r["rating"], "missing": r["benchmark"]["missing"][0]} for r in near],
    }


__all__ = ["CRITERIA", "Criteria", "benchmark_cap", "criteria", "select"]
