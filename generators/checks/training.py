"""一训 minimums the seeds set: 主要负责人 ≥ 3 days, 三级安全教育 for 新员工, every post trained,
≥ 2 exams a year for managers and key posts; and every item of a plan that prints 考核方式 says how
it is assessed."""

from __future__ import annotations

import re

from ..diagnostics import Diagnostics
from ..model import Content, TrainingItem
from ..model.exam import ExamRules
from .where import where

# How a training item's own words name its assessment: "考核：…" / "考核方式：…" in a content line,
# else the exam and assessment terms it uses (in the order written). Nothing else is assumed.
_STATED = re.compile(r"考核(?:方式)?[:：为]\s*([^。；;]+)")
_METHODS = ("闭卷考试", "开卷考试", "笔试", "实际操作考核", "实操考核", "在线考试", "现场问答", "口试")
# training kinds that are an exam by name (复训补考: retraining and the resit exam)
_EXAM_KINDS = {"复训补考": "补考"}


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


def assessment_of(item: TrainingItem) -> str:
    """考核方式 as the content says it: the item's `assessment`, else a line of its own content that
    states it, else the exam terms its topic and content use, else an exam its kind names; "" when
    the content says nothing (printed blank, and `anquan check` warns)."""
    if item.assessment:
        return item.assessment
    lines = [item.topic, *item.content]
    for line in item.content:
        if m := _STATED.search(line):
            return m.group(1).strip()
    found: list[str] = []
    for line in lines:
        for term in sorted((t for t in _METHODS if t in line), key=line.index):
            if term not in found and not any(term in f for f in found):
                found.append(term)
    if found:
        return "、".join(found)
    return _EXAM_KINDS.get(item.kind, "")


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
    # the plan prints a 考核方式 column once any item has one: a blank cell there is a gap in the plan
    if any(assessment_of(t) for t in plan.items):
        for i, t in enumerate(plan.items):
            if not assessment_of(t):
                diags.warning(display, ("items", i), f"培训项目“{t.topic}”（{t.id}）没有写考核方式（assessment），年度培训计划中该栏空白；"
                              "请按本企业的实际做法填写，如 闭卷考试、实操考核、签到并撰写心得", line_col=where(content, display, ("items", i)))
    rules: ExamRules | None = content.extras.get("exam_rules")  # type: ignore[assignment]
    if rules is not None:
        rules_file = content.sources.get("exam_rules", content.display("exam_rules.yaml"))
        for p in content.posts:
            if p.manager or p.key_post:
                papers = {(x.kind, x.seed) for x in rules.papers_for(content.build_date.year) if x.post == p.id}
                if len(papers) < 2:
                    diags.warning(rules_file, ("papers",), f"岗位“{p.name}”是{'管理人员' if p.manager else '关键'}岗位，每年应组织 2 次以上考试，papers 中今年适用的试卷只有 {len(papers)} 份")
