"""一训: the year's training plan (年度安全生产教育培训计划) as a PDF (Typst, typst/training_plan.typ)."""

from __future__ import annotations

from pathlib import Path

from ..checks.training import assessment_of
from ..model import Content, zh_date
from ..render import typst
from ..render.fonts import fonts
from .base import BuildContext, Job, Output
from .common import safety_department

PLAN_TEMPLATES = ["typst/training_plan.typ", "typst/common.typ"]


def _pts(x: float) -> str:
    return f"{x:g}"


def _pdf(content: Content, template: str, data: dict, title: str, subject: str) -> bytes:
    return typst.render(
        template, data, title=title, date=content.build_date, author=content.enterprise.name,
        font_set=fonts(content), subject=subject,
    ).pdf


def training_view(content: Content) -> dict:
    plan = content.training
    assert plan is not None
    ent = content.enterprise

    items = sorted(plan.items, key=lambda t: (t.month, t.id))
    rows = [{
        "no": (t.code or "") if any(x.code for x in items) else str(i), "month": f"{t.month}月", "topic": t.topic, "kind": t.kind,
        "audience": "、".join(content.audience_label(a) for a in t.audience),
        "hours": _pts(t.hours), "trainer": t.trainer or "", "assessment": assessment_of(t), "content": list(t.content),
    } for i, t in enumerate(items, start=1)]
    per_post = []
    for p in content.posts:
        ts = content.post_training(p.id)
        hours = sum(t.hours for t in ts)
        per_post.append({"name": p.name, "headcount": p.headcount, "count": len(ts), "hours": _pts(hours),
                         "days": f"{hours / plan.hours_per_day:.1f}", "ok": bool(ts)})
    groups = []
    for a in ("主要负责人", "安全管理人员", "新员工", *ent.audiences):
        ts = [t for t in plan.items if a in t.audience or "全员" in t.audience]
        hours = sum(t.hours for t in ts)
        headcount = ent.audience_headcount(a)
        groups.append({"name": a, "headcount": "" if headcount is None else headcount, "count": len(ts), "hours": _pts(hours),
                       "days": f"{hours / plan.hours_per_day:.1f}"})
    # signed with the latest approved revision (its date and approver); none recorded: no date
    latest = max(plan.revisions, key=lambda r: r.date, default=None)
    return {
        "enterprise": ent.name, "year": plan.year, "hours_per_day": _pts(plan.hours_per_day), "rows": rows,
        "total_hours": _pts(sum(t.hours for t in plan.items)), "per_post": per_post, "groups": groups,
        "has_code": any(t.code for t in items), "has_trainer": any(t.trainer for t in items),
        "has_assessment": any(r["assessment"] for r in rows),
        "agency": safety_department(content),
        "revised": zh_date(latest.date) if latest else "", "approved_by": latest.approved_by if latest else "",
        "made": zh_date(content.build_date),
    }


def training_plan_pdf(content: Content) -> bytes:
    view = training_view(content)
    return _pdf(content, "typst/training_plan.typ", {"plan": view}, f"{view['enterprise']}{view['year']}年度安全生产教育培训计划", "年度培训计划")


def jobs(content: Content) -> list[Job]:
    out: list[Job] = []
    font_key = fonts(content).key()
    if content.training is not None:
        view = training_view(content)

        def render_plan(dest: Path, ctx: BuildContext) -> None:
            dest.write_bytes(training_plan_pdf(ctx.content))

        out.append(Job("training/plan.pdf", "training-plan", {"plan": view, "fonts": font_key, "engine": typst.version()}, render_plan,
                       templates=PLAN_TEMPLATES, sources=[content.sources.get("training", "training.yaml")]))
    return out


OUTPUT = Output("training", ("training-plan",), jobs, typst.warm_up)
