"""Coverage per post (责任清单, 作业流程标准, 风险点, 告知卡, 检查卡片, 题目, 培训), the yearly
revisions and the hazard ledger: the core of `anquan check`, and its machine-readable report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Diagnostics
from ..model import Content
from .where import where

COVERAGE_COLUMNS = [
    ("responsibility", "责任清单"),
    ("job_standard", "作业流程标准"),
    ("risks", "风险点"),
    ("card", "告知卡"),
    ("checklist", "检查卡片"),
    ("questions", "题目数"),
    ("training", "培训"),
]


@dataclass
class PostCoverage:
    id: str
    name: str
    coverage: dict[str, Any] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return all(bool(v) for k, v in self.coverage.items() if k not in ("questions_ok",)) and self.coverage.get("questions_ok", True)


def counted_questions(content: Content, post_id: str) -> list:
    """The questions a post's coverage counts: its own, plus the 通用 ones unless
    settings.count_general_questions is false (every paper of the post may draw them)."""
    own = content.post_questions(post_id)
    if not content.enterprise.settings.count_general_questions:
        return own
    ids = {q.id for q in own}
    return own + [q for q in content.general_questions() if q.id not in ids]


def coverage(content: Content) -> list[PostCoverage]:
    settings = content.enterprise.settings
    rows = []
    for p in content.posts:
        qs = counted_questions(content, p.id)
        per_type = {t: sum(1 for q in qs if q.type == t) for t in ("单选", "多选", "判断")}
        rows.append(
            PostCoverage(
                p.id,
                p.name,
                {
                    "responsibility": p.id in content.responsibilities,
                    "job_standard": p.id in content.job_standards if p.key_post else True,
                    "risks": len(content.post_risks(p.id)),
                    "card": p.id in content.cards,
                    "checklist": len(content.post_checklists(p.id)),
                    "questions": len(qs),
                    "questions_by_type": per_type,
                    "questions_ok": len(qs) >= settings.min_questions_per_post
                    and all(n >= settings.min_questions_per_type for n in per_type.values()),
                    "training": len(content.post_training(p.id)),
                },
            )
        )
    return rows


def post_coverage(content: Content, diags: Diagnostics) -> None:
    """Every post has its responsibility list, job standard, risks, card, checklist and questions."""
    ent = content.enterprise
    settings = ent.settings
    ent_file = content.sources.get("enterprise", content.display("enterprise.yaml"))
    for row in coverage(content):
        missing = []
        c = row.coverage
        if not c["responsibility"]:
            missing.append("安全生产责任清单（responsibilities/%s.yaml）" % row.id)
        if not c["job_standard"]:
            missing.append("岗位作业流程标准（job_standards/%s.yaml）" % row.id)
        if not c["risks"]:
            missing.append("风险点（risks/ 中 posts 含 %s）" % row.id)
        if not c["card"]:
            missing.append("风险告知卡（cards/%s.yaml）" % row.id)
        if not c["checklist"]:
            missing.append("岗位安全检查卡片（checklists/ 中 post: %s）" % row.id)
        if not c["questions_ok"]:
            by_type = "、".join(f"{t}{n}" for t, n in c["questions_by_type"].items())
            n_general = len(content.general_questions())
            if settings.count_general_questions:
                counted = f"含通用题 {n_general} 道" if n_general else "没有通用题"
            else:
                counted = f"只计本岗位题目，未计通用题 {n_general} 道（settings.count_general_questions: false）"
            missing.append(
                f"题目（现有 {c['questions']} 道，{counted}：{by_type}；要求至少 {settings.min_questions_per_post} 道、每种题型至少 {settings.min_questions_per_type} 道）"
            )
        if missing:
            diags.warning(ent_file, (), f"岗位“{row.name}”（{row.id}）覆盖不全：缺少" + "；".join(missing))


def revisions(content: Content, diags: Diagnostics) -> None:
    """The handbook and the question bank are revised at least once a year."""
    year_ago = content.build_date - dt.timedelta(days=365)
    if content.handbook is not None:
        last = content.handbook.last_revised
        if last is None or last < year_ago:
            diags.warning(content.display("handbook.yaml"), ("revisions",), f"应知应会手册超过一年未修订（最近修订：{last or '无记录'}），按要求每年至少修订一次")
    last_q = content.question_bank_revised
    if content.questions and (last_q is None or last_q < year_ago):
        diags.warning(content.display("questions"), ("revisions",), f"题库超过一年未修订（最近修订：{last_q or '无记录'}），按要求每年至少修订一次")


def hazard_ledger(content: Content, diags: Diagnostics) -> None:
    """Hazards past their deadline; 重大 hazards need a plan (五定) and 挂牌督办."""
    shown = content.display("hazards.yaml")
    for i, h in enumerate(content.hazards.hazards):
        name = h.code or h.id

        def warn(field: tuple, message: str, i: int = i, h=h) -> None:
            at = where(content, shown, ("hazards", i, *field))
            diags.warning(shown, ("hazards", i, *field), message, line_col=at)

        if h.overdue(content.build_date):
            warn(("five_fixed", "deadline"), f"隐患“{name}”（{h.place}）已超过整改时限 {h.days_overdue(content.build_date)} 天（时限 {h.five_fixed.deadline}），状态“{h.status}”")
        if h.grade == "重大" and not h.five_fixed.plan:
            warn(("five_fixed",), f"重大隐患“{name}”没有应急预案（五定之“预案”）")
        if h.grade == "重大" and not h.supervised and h.status != "已销号":
            warn(("supervised",), f"重大隐患“{name}”未标记挂牌督办（supervised: true）")


def report(content: Content | None, diags: Diagnostics) -> dict[str, Any]:
    """The machine-readable result of a check (`--format json`)."""
    out: dict[str, Any] = {"enterprise": None, "posts": [], "errors": [], "warnings": []}
    if content is not None:
        ent = content.enterprise
        out["enterprise"] = {
            "id": ent.id,
            "name": ent.name,
            "industry": ent.industry,
            "employees": ent.employees,
            "revenue_wan": ent.revenue_wan,
            "size_class": ent.size_class.value,
            "risk_points": len(content.risk_points),
            "risk_levels": {lvl.short: n for lvl, n in content.level_counts().items()},
            "questions": len(content.questions),
            "general_questions": len(content.general_questions()),
            "count_general_questions": ent.settings.count_general_questions,
            "hazards": len(content.hazards.hazards),
            "overdue_hazards": len(content.overdue_hazards()),
            "checklists": len(content.checklists),
            "notices": len(content.notices),
        }
        out["posts"] = [{"id": r.id, "name": r.name, "coverage": r.coverage} for r in coverage(content)]
    out["errors"] = [d.as_dict() for d in diags.errors]
    out["warnings"] = [d.as_dict() for d in diags.warnings]
    return out
