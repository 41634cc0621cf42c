"""The measures a rating profile's rules name, and the caps' conditions.

Each measure reads the content (through `facts`) or the inspector's record and returns a value
from 0 to 1, or None for "不计分" (the rule does not apply: no hazard was due yet, no inspection was
recorded, no exam history was imported), with the evidence it rests on, each piece naming its
source file. `MEASURES` is the explicit catalogue: a profile may name exactly these.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...model import Content
from ...model.regulator import Inspection
from ...model.regulator_lines import line
from ...zh import zh_date
from . import facts as F
from .profile import Cap, Rubric


@dataclass
class Evidence:
    text: str
    source: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"text": self.text, "source": self.source}


@dataclass
class Context:
    content: Content
    rubric: Rubric
    inspection: Inspection | None
    inspection_source: str


Result = tuple[float | None, list[Evidence]]


E = F.ENTERPRISE_FILE


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


def _agency(ctx: Context, p: dict) -> Result:
    kp = ctx.content.enterprise.key_people
    n = len(kp.safety_officers)
    ok = bool(kp.safety_agency.name) and n >= 1
    return (1.0 if ok else 0.0), [Evidence(f"安全管理机构“{kp.safety_agency.name}”，专职安全管理人员 {n} 名", E)]


def _officer_ratio(ctx: Context, p: dict) -> Result:
    per = float(p.get("employees_per_officer", 100))
    ent = ctx.content.enterprise
    need = max(1, -(-ent.employees // int(per)))
    have = len(ent.key_people.safety_officers)
    return min(1.0, have / need), [Evidence(f"从业人员 {ent.employees} 人，按每 {per:g} 人 1 名应配 {need} 名，现有 {have} 名", E)]


def _key_people(ctx: Context, p: dict) -> Result:
    kp = ctx.content.enterprise.key_people
    people = [kp.principal, kp.safety_agency.head, *kp.safety_officers] + ([kp.deputy] if kp.deputy else [])
    have = sum(1 for x in people if x.certificate)
    return have / len(people), [Evidence(f"主要负责人、分管负责人、安全管理机构负责人和专职安全管理人员共 {len(people)} 人，登记资格证书 {have} 人", E)]


def _certificates(ctx: Context, p: dict) -> Result:
    rows = F.certificate_coverage(ctx.content)
    rate = F.certificate_rate(rows)
    if rate is None:
        return None, [Evidence("无需持证的岗位，不计分", E)]
    ev = [Evidence(f"持证上岗率 {_pct(rate)}", E)] + [Evidence(r.text, E) for r in rows if r.short or not r.reported]
    return rate, ev


def _licences(ctx: Context, p: dict) -> Result:
    states = F.licence_states(ctx.content, ctx.rubric.required_for(ctx.content), ctx.rubric.expiry_warning_days)
    if not states:
        return None, [Evidence("未填报证照，本行业细则未列应持证照，不计分", E)]
    ok = sum(1 for s in states if s.status in (F.LicenceStatus.VALID, F.LicenceStatus.EXPIRING))
    return ok / len(states), [Evidence(s.text, E) for s in states]


def _standardization(ctx: Context, p: dict) -> Result:
    st = F.standardization(ctx.content)
    scores = {"一级": float(p.get("一级", 1.0)), "二级": float(p.get("二级", 0.9)), "三级": float(p.get("三级", 0.75))}
    value = scores[st.grade] if st.grade and st.valid else 0.0
    return value, [Evidence(st.text, E)]


def _gap_result(gap: F.PostGap) -> Result:
    if not gap.total:
        return None, [Evidence(f"{gap.label}：无适用岗位，不计分", gap.source)]
    return gap.ratio, [Evidence(gap.text, gap.source)]


def _resp(ctx: Context, p: dict) -> Result:
    return _gap_result(F.responsibility_gap(ctx.content))


def _js(ctx: Context, p: dict) -> Result:
    return _gap_result(F.job_standard_gap(ctx.content))


def _clp(ctx: Context, p: dict) -> Result:
    return _gap_result(F.checklist_gap(ctx.content))


def _cll(ctx: Context, p: dict) -> Result:
    levels = F.checklist_levels(ctx.content)
    text = f"已有：{'、'.join(levels) or '无'}（单位清单、车间表册、岗位卡片共三级）"
    return len(levels) / 3, [Evidence(text, "checklists/")]


def _filed(ctx: Context, p: dict) -> Result:
    em = F.emergency(ctx.content, ctx.rubric.drill_interval_days)
    return (1.0 if em.filed else 0.0), [Evidence(em.lines[0], E)]


def _drill(ctx: Context, p: dict) -> Result:
    days = ctx.rubric.drill_interval_days
    em = F.emergency(ctx.content, days)
    text = em.lines[-1] + f"（要求间隔不超过 {days} 天）"
    return (1.0 if em.drilled_within else 0.0), [Evidence(text, E)]


def _on_time(ctx: Context, p: dict) -> Result:
    hf = F.hazard_facts(ctx.content)
    if hf.due == 0:
        return None, [Evidence(f"隐患台账 {hf.total} 条，尚无到期隐患，不计分", "hazards.yaml")]
    text = f"到期隐患 {hf.due} 条中按期销号 {hf.closed_on_time} 条（{_pct(hf.on_time_ratio or 0)}）；逾期销号 {hf.closed_late} 条，超期未销号 {hf.overdue} 条"
    if hf.overdue_ids:
        text += f"（{'、'.join(hf.overdue_ids[:5])}）"
    return hf.on_time_ratio, [Evidence(text, "hazards.yaml")]


def _self_found(ctx: Context, p: dict) -> Result:
    least = int(p.get("min_per_year", 3))
    hf = F.hazard_facts(ctx.content)
    return min(1.0, hf.self_found_recent / least), [Evidence(f"近一年企业自查发现隐患 {hf.self_found_recent} 条（要求不少于 {least} 条）", "hazards.yaml")]


def _major(ctx: Context, p: dict) -> Result:
    hf = F.hazard_facts(ctx.content)
    if not hf.major_open and not hf.major_overdue:
        return None, [Evidence(f"无未销号的重大隐患（台账共 {hf.major} 条重大隐患），不计分", "hazards.yaml")]
    if hf.major_overdue:
        return 0.0, [Evidence(f"重大隐患超期未销号 {hf.major_overdue} 条", "hazards.yaml")]
    ok = hf.major_open - hf.major_unsupervised
    return ok / hf.major_open, [Evidence(f"未销号重大隐患 {hf.major_open} 条，挂牌督办且有应急预案 {ok} 条", "hazards.yaml")]


def _risk_posts(ctx: Context, p: dict) -> Result:
    return _gap_result(F.risk_gap(ctx.content))


def _risk_recent(ctx: Context, p: dict) -> Result:
    rf = F.risk_facts(ctx.content)
    if not rf.total:
        return 0.0, [Evidence("安全风险点名册无风险点", "risks/")]
    return rf.recent_ratio, [Evidence(rf.text, "risks/")]


def _riskmap(ctx: Context, p: dict) -> Result:
    has = "riskmap" in ctx.content.extras
    return (1.0 if has else 0.0), [Evidence("已编制四色安全风险空间分布图" if has else "未编制四色安全风险空间分布图", F.source(ctx.content, "riskmap", "riskmap.yaml"))]


def _cards(ctx: Context, p: dict) -> Result:
    return _gap_result(F.card_gap(ctx.content))


def _handbook(ctx: Context, p: dict) -> Result:
    hb = F.handbook_facts(ctx.content)
    parts = [hb.exists, hb.recent, hb.general > 0, hb.covers_every_post]
    return sum(parts) / len(parts), [Evidence(hb.text, "handbook.yaml")]


def _bank(ctx: Context, p: dict) -> Result:
    gap = F.question_gap(ctx.content)
    tf = F.training_facts(ctx.content)
    rev = f"题库最近修订 {zh_date(tf.bank_revised)}" if tf.bank_revised else "题库无修订记录"
    value = (gap.ratio + (1.0 if tf.bank_recent else 0.0)) / 2
    return value, [Evidence(f"{gap.text}；{rev}{'' if tf.bank_recent else '（超过一年）'}", "questions/")]


def _plan(ctx: Context, p: dict) -> Result:
    tf = F.training_facts(ctx.content)
    if not tf.plan:
        return 0.0, [Evidence("未制定年度培训计划", "training.yaml")]
    text = f"{tf.year}年度培训计划，{tf.items} 个项目，{tf.hours:g} 学时"
    return (1.0 if tf.current else 0.5), [Evidence(text + ("" if tf.current else f"（不是 {ctx.content.build_date.year} 年度的计划）"), "training.yaml")]


def _training_posts(ctx: Context, p: dict) -> Result:
    return _gap_result(F.training_gap(ctx.content))


def _exam_rules(ctx: Context, p: dict) -> Result:
    tf = F.training_facts(ctx.content)
    need = F.exam_kinds_needed(ctx.content)
    have = [k for k in need if k in tf.exam_kinds]
    return len(have) / len(need), [Evidence(tf.pass_marks_text, F.source(ctx.content, "exam_rules", "exam_rules.yaml"))]


def _pass_rate(ctx: Context, p: dict) -> Result:
    tf = F.training_facts(ctx.content)
    src = F.source(ctx.content, "exam_history", "exam_history.yaml")
    if tf.pass_rate is None:
        return None, [Evidence("未录入近一年的考试成绩，不计分", src)]
    return tf.pass_rate, [Evidence(f"近一年已评分考试 {tf.exams_marked} 人次，合格 {tf.exams_passed} 人次（{_pct(tf.pass_rate)}）", src)]


def _quiz(ctx: Context, p: dict) -> Result:
    ins = ctx.inspection
    if ins is None or ins.quiz is None or ins.quiz.tested == 0:
        return None, [Evidence("未录入现场抽考结果，不计分", ctx.inspection_source)]
    q = ins.quiz
    return q.passed / q.tested, [Evidence(f"{zh_date(ins.date)} 现场抽考 {q.tested} 人，合格 {q.passed} 人（{_pct(q.passed / q.tested)}）", ctx.inspection_source)]


def _finding(ctx: Context, p: dict) -> Result:
    item = str(p["item"])
    name = f"“{line(item).short}”"  # the inspector reads the line's words, not its id
    ins = ctx.inspection
    if ins is None:
        return None, [Evidence(f"未录入现场检查结果（{name}），不计分", "")]
    f = ins.finding(item)
    if f is None or f.result == "不适用":
        why = "不适用" if f is not None else "未检查"
        return None, [Evidence(f"现场核查{name}：{why}，不计分", ctx.inspection_source)]
    note = f"：{f.note}" if f.note else ""
    return (1.0 if f.result == "符合" else 0.0), [Evidence(f"{zh_date(ins.date)} 现场核查{name}{f.result}{note}", ctx.inspection_source)]


# ---------------------------------------------------------------- caps


def cap_holds(ctx: Context, cap: Cap) -> str | None:
    """The evidence text when the cap's condition holds, else None."""
    content = ctx.content
    ins = ctx.inspection
    if cap.when == "dangerous_behaviour":
        seen = [b for b in (ins.behaviours if ins else []) if b.observed]
        return f"现场发现危险作业行为：{'、'.join(line(b.item).short for b in seen)}" if seen else None
    if cap.when == "major_hazard_overdue":
        n = F.hazard_facts(content).major_overdue
        return f"重大隐患超期未销号 {n} 条" if n else None
    if cap.when == "hazards_overdue":
        hf = F.hazard_facts(content)
        least = int(cap.params.get("count", 1))
        return f"超期未销号隐患 {hf.overdue} 条（{'、'.join(hf.overdue_ids[:5])}）" if hf.overdue >= least else None
    if cap.when in ("licence_expired", "licence_missing"):
        states = F.licence_states(content, ctx.rubric.required_for(content), ctx.rubric.expiry_warning_days)
        want = F.LicenceStatus.EXPIRED if cap.when == "licence_expired" else F.LicenceStatus.MISSING
        bad = [s.kind for s in states if s.status is want]
        return f"证照{want.value}：{'、'.join(bad)}" if bad else None
    if cap.when == "finding_failed":
        failed = [f.item for f in (ins.findings if ins else []) if f.result == "不符合"]
        least = int(cap.params.get("count", 1))
        return f"现场核查不符合 {len(failed)} 项（{'、'.join(line(i).short for i in failed)}）" if len(failed) >= least else None
    if cap.when == "fatal_accident":
        years = int(cap.params.get("years", 1))
        cutoff = F.years_before(content.build_date, years)
        deaths = sum(a.deaths for a in F.facts_of(content).accidents if cutoff < a.date <= content.build_date)
        return f"近 {years} 年发生死亡事故（死亡 {deaths} 人）" if deaths else None
    if cap.when == "standardization_missing":
        if not ctx.rubric.standardization_needed(content):
            return None
        st = F.standardization(content)
        return None if (st.grade and st.valid) else st.text
    raise AssertionError(cap.when)


# ---------------------------------------------------------------- the catalogue

MEASURES: dict[str, tuple[str, Callable[[Context, dict[str, Any]], Result]]] = {
    "agency": ("设立安全生产管理机构并配备专职安全管理人员", _agency),
    "officer_ratio": ("专职安全管理人员配备比例", _officer_ratio),
    "key_people_certified": ("主要负责人和安全管理人员考核合格", _key_people),
    "certificates": ("特种作业和从业资格人员持证上岗率", _certificates),
    "licences": ("证照齐全有效", _licences),
    "standardization": ("安全生产标准化等级", _standardization),
    "responsibility_posts": ("责任清单覆盖全部岗位", _resp),
    "job_standard_posts": ("重点岗位作业流程标准", _js),
    "checklist_posts": ("岗位检查卡片覆盖全部岗位", _clp),
    "checklist_levels": ("三级安全检查清单齐全", _cll),
    "emergency_filed": ("应急预案已备案", _filed),
    "drill_recent": ("按期开展应急演练", _drill),
    "hazards_on_time": ("隐患按期整改销号", _on_time),
    "hazards_self_found": ("全员隐患自查自报", _self_found),
    "major_hazards_controlled": ("重大隐患挂牌督办、五定落实", _major),
    "risk_posts": ("风险辨识覆盖全部岗位", _risk_posts),
    "risk_recent": ("一年内开展风险辨识评估", _risk_recent),
    "riskmap": ("四色安全风险空间分布图", _riskmap),
    "risk_cards": ("岗位安全风险告知卡", _cards),
    "handbook": ("《应知应会手册》编制、修订、覆盖岗位", _handbook),
    "question_bank": ("题库覆盖全部岗位并每年修订", _bank),
    "training_plan": ("年度全员培训计划", _plan),
    "training_posts": ("培训计划覆盖全部岗位", _training_posts),
    "exam_rules": ("考试及格线 60/70/80 分落实", _exam_rules),
    "exam_pass_rate": ("近一年考试合格率", _pass_rate),
    "quiz_pass_rate": ("凡查必考：现场抽考合格率", _quiz),
    "finding": ("现场核查", _finding),
}


__all__ = ["MEASURES", "Context", "Evidence", "Result", "cap_holds"]
