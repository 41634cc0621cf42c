"""一训 minimums the seeds set: 主要负责人 ≥ 3 days, 三级安全教育 for 新员工, every post trained,
≥ 2 exams a year for managers and key posts."""

from __future__ import annotations

from ..diagnostics import Diagnostics
from ..model import Content
from ..model.exam import ExamRules


def _pts(x: float) -> str:
    return f"{x:g}"


def principal_hours(content: Content) -> float:
    if not content.training:
        return 0.0
    return sum(t.hours for t in content.training.items if "主要负责人" in t.audience)


def has_three_level(content: Content) -> bool:
    return bool(content.training) and any(
        t.kind == "三级安全教育" and ({"新员工", "全员"} & set(t.audience)) for t in content.training.items  # type: ignore[union-attr]
    )


def check_training(content: Content, diags: Diagnostics) -> None:
    """一训 minimums: 主要负责人 ≥ 3 days, 三级安全教育 for 新员工, every post trained, ≥ 2 exams for managers."""
    plan = content.training
    display = content.sources.get("training", content.display("training.yaml"))
    if plan is None:
        diags.warning(content.display("training.yaml"), (), "缺少年度培训计划 training.yaml（企业每年要制定全员安全培训计划）")
        return
    ph = principal_hours(content)
    need = 3 * plan.hours_per_day
    if ph < need:
        diags.warning(display, ("items",), f"主要负责人培训计划共 {_pts(ph)} 学时（折合 {ph / plan.hours_per_day:.1f} 天），少于 3 天（{_pts(need)} 学时，按每天 {_pts(plan.hours_per_day)} 学时折算）")
    if not has_three_level(content):
        diags.warning(display, ("items",), "没有面向新员工的三级安全教育（kind: 三级安全教育，audience 含 新员工 或 全员）")
    for p in content.posts:
        if not content.post_training(p.id):
            diags.warning(display, ("items",), f"岗位“{p.name}”（{p.id}）没有任何培训安排（audience 中写岗位编号、含该岗位的人员组或“全员”）")
    rules: ExamRules | None = content.extras.get("exam_rules")  # type: ignore[assignment]
    if rules is not None:
        rules_file = content.sources.get("exam_rules", content.display("exam_rules.yaml"))
        for p in content.posts:
            if p.manager or p.key_post:
                papers = {(x.kind, x.seed) for x in rules.papers_for(content.build_date.year) if x.post == p.id}
                if len(papers) < 2:
                    diags.warning(rules_file, ("papers",), f"岗位“{p.name}”是{'管理人员' if p.manager else '关键'}岗位，每年应组织 2 次以上考试，papers 中今年适用的试卷只有 {len(papers)} 份")
