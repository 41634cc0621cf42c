"""`anquan check` warnings for the regulator's facts (enterprise.yaml `regulator:`): licences
expired, expiring or missing, certificates short, standardization expired or missing where the
profile requires it, emergency plan not filed, drills overdue. Only for an enterprise.yaml with a
`regulator:` block: the facts are opt-in."""

from __future__ import annotations

from ...diagnostics import Diagnostics
from ...model import Content
from . import facts as F
from .profile import RubricError, rubric_for


def check_regulator(content: Content, diags: Diagnostics) -> None:
    if content.enterprise.regulator is None:
        return  # nothing to warn about until the block exists
    ent_file = content.sources.get("enterprise", content.display("enterprise.yaml"))
    facts = content.enterprise.regulator
    for old, new in (("region", "code"), ("region_name", "name")):
        if getattr(facts, old) is not None:
            diags.warning(ent_file, ("regulator", old), f"regulator.{old} 已弃用（仍按它读取）：行政区划请写在 region.{new} 中")
    try:
        rubric = rubric_for(content)
    except RubricError as exc:
        diags.warning(ent_file, ("regulator",), str(exc))
        return
    where = ("regulator", "licences")
    for s in F.licence_states(content, rubric.required_for(content), rubric.expiry_warning_days):
        if s.status is F.LicenceStatus.EXPIRED:
            diags.warning(ent_file, where, f"证照已过期：{s.text}")
        elif s.status is F.LicenceStatus.EXPIRING:
            diags.warning(ent_file, where, f"证照即将到期（{rubric.expiry_warning_days} 天内）：{s.text}，请及时办理延续")
        elif s.status is F.LicenceStatus.MISSING:
            diags.warning(ent_file, where, f"缺少证照：{s.kind}（{rubric.title}要求），请在 regulator.licences 中填写")
    for row in F.certificate_coverage(content):
        if row.reported and row.short:
            diags.warning(ent_file, ("regulator", "certificates"), f"持证不足：{row.text}")
        elif not row.reported:
            diags.warning(ent_file, ("regulator", "certificates"), f"岗位“{row.post_name}”需持“{row.certificate}”，但未填报持证人数（regulator.certificates）")
    st = F.standardization(content)
    if st.grade and not st.valid:
        diags.warning(ent_file, ("regulator", "standardization"), f"安全生产标准化证书已过期：{st.text}")
    elif st.grade is None and rubric.standardization_needed(content):
        diags.warning(ent_file, ("regulator", "standardization"), f"未填报安全生产标准化等级：{rubric.title}要求本类企业取得标准化等级")
    em = F.emergency(content, rubric.drill_interval_days)
    if not em.has_plan:
        diags.warning(ent_file, ("regulator", "emergency_plan"), "未填报应急预案备案和演练情况（regulator.emergency_plan）")
    else:
        if not em.filed:
            diags.warning(ent_file, ("regulator", "emergency_plan"), "应急预案未填报备案编号（未备案）")
        if not em.drilled_within:
            last = "无演练记录" if em.drill_days is None else f"最近一次在 {em.drill_days} 天前"
            diags.warning(ent_file, ("regulator", "emergency_plan", "last_drill"), f"应急演练超过 {rubric.drill_interval_days} 天未开展（{last}）")


__all__ = ["check_regulator"]
