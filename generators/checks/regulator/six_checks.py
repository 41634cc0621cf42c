"""六必查: the annual inspection sheet of one enterprise, pre-filled from its content.

`six_checks(content)` returns JSON-able data in the six sections (查证照, 查机构队伍, 查设施设备,
查基础建设, 查应急管理, 查危险作业行为). Each line carries what the content claims, the source file
(relative to the enterprise folder), a first judgement from the documents (资料初判), and an
empty on-site column for the inspector (符合 / 不符合 / 备注). 查危险作业行为 lines are on-site
prompts only. The templates (Typst PDF, xlsx) print exactly this data.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ...model import Content
from ...model.regulator import Inspection
from ...model.regulator_lines import LINES, SECTIONS
from ...zh import cn_number, num, zh_date
from . import facts as F
from .profile import Rubric, rubric_for
from .rating import Rating

TITLE = "安全生产年度执法检查“六必查”检查表"

# 资料初判: what the documents show before anyone goes on site.
STATUS = {
    "ok": "资料齐全",
    "warn": "需关注",
    "bad": "缺失或不符",
    "onsite": "现场核查",
}


# 来源 as an inspector reads it: the kind of document, never a file name. Keys are a source's file
# name (enterprise.yaml) or its folder (risks/x.yaml, risks/).
SOURCE_WORDS = {
    "enterprise.yaml": "企业基本信息", "handbook.yaml": "应知应会手册", "hazards.yaml": "隐患排查治理台账",
    "training.yaml": "年度安全培训计划", "exam_rules.yaml": "考试规则", "exam_history.yaml": "考试成绩记录",
    "riskmap.yaml": "安全风险四色分布图", "responsibilities": "安全生产责任清单", "job_standards": "岗位作业流程标准",
    "cards": "岗位安全风险告知卡", "risks": "安全风险点名册", "checklists": "安全检查清单", "questions": "题库",
    "policies": "安全管理制度", "plans": "工作方案", "notices": "通知文件", "library": "公共内容库",
}


def source_words(source: str) -> str:
    """"risks/"、"enterprise.yaml"、"inspections/2026.yaml"、"handbook.yaml、questions/" in words:
    安全风险点名册、企业基本信息、现场检查记录（2026年）、应知应会手册、题库. Unknown files: 企业资料."""
    out = []
    for part in (p.strip() for p in source.split("、")):
        if not part:
            continue
        path = part.replace("\\", "/").strip("/").split("/")
        if "inspections" in path:
            year = re.match(r"(\d{4})", path[-1])
            words = f"现场检查记录（{year.group(1)}年）" if year else "现场检查记录"
        else:
            words = next((SOURCE_WORDS[k] for k in (path[-1], *reversed(path[:-1])) if k in SOURCE_WORDS), "企业资料")
        if words not in out:
            out.append(words)
    return "、".join(out)


def as_of(content: Content) -> dt.date | None:
    """The date the sheet's data is as of: the latest revision of the content, hazard-ledger entry or
    on-site inspection recorded on or before the build date (never the build date itself)."""
    c = content
    revised = [*c.responsibilities.values(), *c.job_standards.values(), *c.cards.values(), *c.checklists.values(),
               *c.policies.values(), *c.plans.values(), *c.knowledge.values(), *([c.handbook] if c.handbook else []),
               *([c.training] if c.training else [])]
    dates = [r.date for doc in revised for r in doc.revisions] + [r.date for r in c.risk_revisions]
    dates += [c.question_bank_revised] if c.question_bank_revised else []
    for h in c.hazards.hazards:
        dates += [h.found, *(e.date for e in h.history), *([h.closed] if h.closed else [])]
    records = c.extras.get("inspections") or {}
    dates += [ins.date for ins in (records.values() if isinstance(records, dict) else records)]
    return max((d for d in dates if d <= c.build_date), default=None)


def _gap_status(gap: F.PostGap) -> str:
    if gap.complete:
        return "ok"
    return "bad" if gap.have == 0 else "warn"


def _names(people: list[str], limit: int = 8) -> str:
    return "、".join(people[:limit]) + ("等" if len(people) > limit else "")


def _lines(content: Content, rubric: Rubric) -> dict[str, tuple[list[str], str, str]]:
    """line id -> (claims, source, status)."""
    ent = content.enterprise
    kp = ent.key_people
    E = F.ENTERPRISE_FILE
    out: dict[str, tuple[list[str], str, str]] = {}

    # ---- 查证照
    required = rubric.required_for(content)
    states = F.licence_states(content, required, rubric.expiry_warning_days)
    if states:
        worst = {s.status for s in states}
        status = "bad" if worst & {F.LicenceStatus.EXPIRED, F.LicenceStatus.MISSING} else "warn" if F.LicenceStatus.EXPIRING in worst else "ok"
        out["licences"] = ([s.text for s in states], E, status)
    else:
        out["licences"] = (["未填报证照"], E, "warn")
    tags = "、".join(ent.industry_tags)
    scope = [f"行业：{ent.industry}" + (f"（{tags}）" if tags else "")]
    scope += [f"{lic.kind}许可范围：{lic.scope}" for lic in F.facts_of(content).licences if lic.scope]
    out["licence-scope"] = (scope, E, "onsite")
    st = F.standardization(content)
    if st.grade is None:
        needed = rubric.standardization_needed(content)
        out["standardization-cert"] = ([st.text + ("；本行业要求取得标准化等级" if needed else "")], E, "bad" if needed else "warn")
    else:
        out["standardization-cert"] = ([st.text], E, "ok" if st.valid else "bad")

    # ---- 查机构队伍
    agency = kp.safety_agency
    dep = ent.department(agency.department) if agency.department else None
    out["agency"] = ([f"安全管理机构：{agency.name}" + (f"（部门：{dep.name}）" if dep and dep.name != agency.name else ""),
                      f"机构负责人：{agency.head.name}（{agency.head.title}）"], E, "ok")
    officers = kp.safety_officers
    out["officers"] = ([f"专职安全管理人员 {len(officers)} 名：{_names([o.name for o in officers])}",
                        f"从业人员 {ent.employees} 人，营业收入 {num(ent.revenue_wan)} 万元（{ent.size_class.value}企业）"], E, "ok" if officers else "bad")
    people = [("主要负责人", kp.principal)] + ([("分管安全负责人", kp.deputy)] if kp.deputy else []) + [("安全管理机构负责人", agency.head)]
    claims = [f"{role} {p.name}：{p.certificate or '未登记考核合格证'}" for role, p in people]
    certified = sum(1 for o in officers if o.certificate)
    claims.append(f"专职安全管理人员登记考核合格证 {certified}/{len(officers)} 名")
    all_ok = all(p.certificate for _, p in people) and certified == len(officers)
    out["key-people-certs"] = (claims, E, "ok" if all_ok else "warn")
    rows = F.certificate_coverage(content)
    rate = F.certificate_rate(rows)
    if rows:
        head = f"持证上岗率 {rate * 100:.0f}%" if rate is not None else "持证上岗率：无应持证人员"
        status = "bad" if any(r.short for r in rows if r.reported) else "warn" if any(not r.reported for r in rows) else "ok"
        out["special-certs"] = ([head] + [r.text for r in rows], E, status)
    else:
        out["special-certs"] = (["无需持特种作业或从业资格证的岗位"], E, "ok")

    # ---- 查设施设备
    eq = F.equipment(content)
    out["equipment-list"] = ([f"岗位作业流程标准“设备描述”登记设备设施 {len(eq)} 类" + (f"：{_names(eq, 10)}" if eq else "")],
                             "job_standards/", "ok" if eq else "warn")
    keywords = ("设备", "设施", "车辆", "消防", "电气", "特种")
    items = [(c, it) for c in content.checklists.values() for it in c.items if any(k in it.category for k in keywords)]
    order = "日周月季年"
    freq = sorted({it.frequency.text for _, it in items}, key=lambda f: (order.index(f) if f in order else len(order), f))
    claims = [f"检查清单中设备设施类检查项 {len(items)} 项" + (f"（频次：{'、'.join(f + '查' if f in order else f for f in freq)}）" if freq else "")]
    inspected = [s for s in states if s.licence and "检验" in s.kind]
    claims += [s.text for s in inspected]
    out["equipment-maintenance"] = (claims, "checklists/", "ok" if items else "warn")
    majors = F.major_check_items(content)
    out["major-hazard-items"] = ([f"检查清单中重大事故隐患判定项 {majors} 项（★项）"], "checklists/", "ok" if majors else "warn")

    # ---- 查基础建设
    gap = F.responsibility_gap(content)
    out["responsibility-posts"] = ([gap.text], gap.source, _gap_status(gap))
    gap = F.job_standard_gap(content)
    out["job-standards"] = ([gap.text, "每份标准含设备描述、风险管控、岗位作业流程（岗前安全确认→作业流程→异常处置→末节工序）、典型事故案例"] if gap.have else [gap.text],
                            gap.source, _gap_status(gap))
    gap = F.checklist_gap(content)
    levels = F.checklist_levels(content)
    out["checklists-posts"] = ([f"安全检查清单层级：{'、'.join(levels) or '无'}（共 {len(content.checklists)} 份）", gap.text],
                               gap.source, "ok" if gap.complete and len(levels) == 3 else _gap_status(gap) if not gap.complete else "warn")
    hf = F.hazard_facts(content)
    out["hazards-on-time"] = ([hf.text], "hazards.yaml", "bad" if hf.major_overdue else "warn" if hf.overdue else "ok")
    rf = F.risk_facts(content)
    rgap = F.risk_gap(content)
    rstatus = "bad" if not rf.total else "ok" if rf.recent_ratio == 1 and rf.riskmap and rgap.complete else "warn"
    out["risk-assessment"] = ([rf.text, rgap.text], "risks/", rstatus)
    tf = F.training_facts(content)
    tgap = F.training_gap(content)
    if tf.plan:
        plan = f"{tf.year}年度培训计划：{tf.items} 个项目，{tf.hours:g} 学时" + ("" if tf.current else f"（不是 {content.build_date.year} 年度）")
        out["training-plan"] = ([plan, tgap.text], "training.yaml", "ok" if tf.current and tgap.complete else "warn")
    else:
        out["training-plan"] = (["未制定年度培训计划"], "training.yaml", "bad")
    exam = [tf.pass_marks_text]
    if tf.exams_marked:
        exam.append(f"近一年已评分考试 {tf.exams_marked} 人次，合格 {tf.exams_passed} 人次")
        if tf.examined_people:
            exam.append(f"管理人员和重点岗位人员一年内考试两次以上 {tf.examined_twice}/{tf.examined_people} 人")
    else:
        exam.append("未录入考试成绩记录")
    out["exams"] = (exam, F.source(content, "exam_rules", "exam_rules.yaml"), "ok" if set(F.exam_kinds_needed(content)) <= set(tf.exam_kinds) else "bad" if not tf.exam_kinds else "warn")
    hb = F.handbook_facts(content)
    qgap = F.question_gap(content)
    bank = f"题库 {tf.bank_questions} 题，" + (f"最近修订 {zh_date(tf.bank_revised)}" if tf.bank_revised else "无修订记录") + "；" + qgap.text
    out["handbook"] = ([hb.text, bank], "handbook.yaml、questions/", "ok" if hb.high_quality and qgap.complete and tf.bank_recent else "bad" if not hb.exists else "warn")
    policies = [p.title for p in content.policies.values()]
    out["rules-enforced"] = ([f"安全管理制度 {len(policies)} 项" + (f"：{_names(policies, 6)}" if policies else ""),
                              _assessed_duties(content)], "policies/、responsibilities/", "onsite")

    # ---- 查应急管理
    em = F.emergency(content, rubric.drill_interval_days)
    out["rescue-org"] = ([f"应急救援组织：{em.rescue}" if em.rescue else "未填报应急救援组织"], E, "ok" if em.rescue else "warn")
    out["plan-filed"] = ([em.lines[0]], E, "ok" if em.filed else "bad")
    drill = em.lines[-1] if em.has_plan else "最近一次应急演练：未填报"
    out["drills"] = ([drill + f"（演练间隔要求不超过 {rubric.drill_interval_days} 天）"], E,
                     "ok" if em.drilled_within else "bad" if em.drill_days is None else "warn")
    gap = F.card_gap(content)
    phones = len(ent.emergency_phones)
    out["post-emergency"] = ([gap.text, f"应急电话 {phones} 个"], gap.source, _gap_status(gap))
    return out


def _assessed_duties(content: Content) -> str:
    """How many lines of the responsibility lists say how they are assessed (考核标准), as the
    content has them: the sheet states only what the lists hold."""
    duties = [d for r in content.responsibilities.values() for d in r.duties]
    if not duties:
        return "未编制岗位安全生产责任清单"
    assessed = sum(1 for d in duties if d.assessment)
    if assessed == len(duties):
        return f"责任清单职责 {len(duties)} 条，每条均写明考核标准"
    if not assessed:
        return f"责任清单职责 {len(duties)} 条，均未写明考核标准"
    return f"责任清单职责 {len(duties)} 条，其中 {assessed} 条写明考核标准"


def six_checks(content: Content, rubric: Rubric | None = None, rating: Rating | None = None,
               inspection: Inspection | None = None) -> dict[str, Any]:
    """The sheet's data. With `inspection`, its findings fill the on-site column; with `rating`,
    the rating and its evidence are added (the sheet's last part)."""
    rubric = rubric or rubric_for(content)
    ent = content.enterprise
    filled = _lines(content, rubric)
    sections = []
    for sec in SECTIONS:
        rows = []
        for n, ln in enumerate((x for x in LINES if x.section == sec.id), start=1):
            onsite = {"result": "", "note": ""}
            if inspection is not None:
                if ln.onsite_only:
                    obs = next((b for b in inspection.behaviours if b.item == ln.id), None)
                    if obs is not None:
                        onsite = {"result": "发现" if obs.observed else "未发现", "note": obs.note or ""}
                elif (f := inspection.finding(ln.id)) is not None:
                    onsite = {"result": f.result, "note": f.note or ""}
            if ln.onsite_only:
                claims, src, status = [], "", "onsite"
            else:
                claims, src, status = filled[ln.id]
            rows.append({
                # id: for the Excel sheet's import only; number: the line in the scheme (一、查证照 1. → 1.1)
                "id": ln.id, "no": n, "number": f"{len(sections) + 1}.{n}", "title": ln.title, "claims": claims,
                "source": source_words(src) if src else "",
                "status": status, "status_text": STATUS[status], "onsite_only": ln.onsite_only,
                "basis": ln.basis, "onsite": onsite,
            })
        sections.append({"id": sec.id, "title": sec.title, "scope": sec.scope, "lines": rows})
    kp = ent.key_people
    st = F.standardization(content)
    return {
        "title": TITLE,
        "year": content.build_date.year,
        "build_date": str(content.build_date),
        # 资料截至: the latest date in the content (zh), the build date only as the small 生成日期
        "as_of": zh_date(d) if (d := as_of(content)) else "",
        "made": zh_date(content.build_date),
        "section_numerals": [cn_number(i + 1) for i in range(len(SECTIONS))],
        "enterprise": {
            "id": ent.id, "name": ent.name, "credit_code": ent.credit_code, "industry": ent.industry,
            "industry_tags": list(ent.industry_tags), "address": ent.address or "",
            "employees": ent.employees, "size_class": ent.size_class.value,
            # 企业分类 follows from either criterion (rules.size_class): both are shown
            "size_basis": f"{ent.employees} 人，营业收入 {num(ent.revenue_wan)} 万元",
            "region": F.region_label(content), "region_derived": F.region_derived(content),
            "supervisor": F.facts_of(content).supervisor or "未填报",
            "principal": f"{kp.principal.name}（{kp.principal.title}）",
            "phone": kp.principal.phone or "",
            "standardization": st.grade or "未定级",
        },
        "rubric": {"id": rubric.id, "title": rubric.title, "basis": rubric.basis if rubric.basis_applies(content) else ""},
        "sections": sections,
        "inspection": None if inspection is None else {
            "date": str(inspection.date), "kind": inspection.kind, "department": inspection.department or "",
            "inspectors": list(inspection.inspectors),
        },
        "rating": _worded(rating.as_dict()) if rating is not None else None,
        "status_legend": STATUS,
    }


def _worded(rating: dict[str, Any]) -> dict[str, Any]:
    """The rating's evidence with its sources in words (the sheet is read by inspectors)."""
    for item in rating.get("items", []):
        for rule in item.get("rules", []):
            for e in rule.get("evidence", []):
                e["source"] = source_words(e["source"]) if e.get("source") else ""
    return rating


__all__ = ["STATUS", "TITLE", "as_of", "six_checks", "source_words"]
