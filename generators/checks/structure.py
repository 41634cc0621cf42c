"""Checks of how the content hangs together that a reviewer would otherwise catch by eye:
the three checklist levels, library checklists and knowledge chapters of another industry, post headcounts against
employees, each risk point's control level against its computed level, and risk-point zones
that cannot be verified without a risk map."""

from __future__ import annotations

from ..diagnostics import Diagnostics
from ..model import Content
from ..model.checks import CHECKLIST_LEVELS
from ..model.industry import fits, industry_matches
from ..rules import RiskLevel
from .where import item_where, where

# 分级管控 (the four-colour legend of the risk map, generators.outputs.riskmap.LEVEL_MEANING):
# 重大 公司; 较大 公司和车间; 一般 车间（部门）和班组; 低 班组和岗位. A risk point managed below the
# lowest level its computed risk level allows is inconsistent.
CONTROL_ORDER = ("公司", "车间", "班组", "岗位")
LOWEST_CONTROL = {RiskLevel.MAJOR: "公司", RiskLevel.SIGNIFICANT: "车间", RiskLevel.GENERAL: "班组", RiskLevel.LOW: "岗位"}
CONTROL_TEXT = {RiskLevel.MAJOR: "公司级（主要负责人）", RiskLevel.SIGNIFICANT: "公司或车间（部门）级",
                RiskLevel.GENERAL: "车间（部门）或班组级", RiskLevel.LOW: "班组或岗位级"}
HEADCOUNT_SHARE = 0.5  # posts listing fewer than half of the employees need a note (headcount_note)


def _ent_file(content: Content) -> str:
    return content.sources.get("enterprise", content.display("enterprise.yaml"))


def checklist_levels(content: Content, diags: Diagnostics) -> None:
    """三级清单: 单位安全检查清单, 车间（部门）安全检查表册, 岗位（班组）安全检查卡片 — all three levels
    exist (a warning; an error when settings.require_three_levels is true)."""
    present = {cl.level for cl in content.checklists.values()}
    missing = [content.levels.checklist_title(level) for level in CHECKLIST_LEVELS if level not in present]
    if not missing:
        return
    have = "、".join(content.levels.checklist_title(level) for level in CHECKLIST_LEVELS if level in present) or "没有任何清单"
    message = (f"三级安全检查清单不全：缺少{'、'.join(missing)}（现有：{have}）。"
               "请在 checklists/ 中按 level: 单位、车间（填 department）、岗位（填 post）补齐，可用 extends 继承行业清单")
    if content.enterprise.settings.require_three_levels:
        diags.error(_ent_file(content), ("settings", "require_three_levels"), message + "（settings.require_three_levels: true）",
                    line_col=where(content, _ent_file(content), ("settings", "require_three_levels")))
    else:
        diags.warning(content.display("checklists"), (), message)


def checklist_industry(content: Content, diags: Diagnostics) -> None:
    """A library checklist (extends) tagged for another industry than the enterprise's."""
    ent = content.enterprise
    names = [ent.industry, *ent.industry_tags]
    for cid, cl in content.checklists.items():
        if not cl.extends or not cl.industry or industry_matches(cl.industry, names):
            continue
        shown = content.sources.get(f"checklist:{cid}", content.display("checklists"))
        diags.warning(shown, ("extends",), line_col=where(content, shown, ("extends",)), message=(
            f"清单“{cl.title}”继承的公共清单“{cl.extends}”适用于“{cl.industry}”行业，与本企业的行业“{'、'.join(names)}”不符："
            "请确认检查项适用，或改用本行业的公共清单（也可在 enterprise.yaml 的 industry_tags 中写明细分行业）"))


TEAM_KINDS = ("班组",)  # departments whose own checklist is a 岗位（班组）card, not a 车间（部门）table


def checklist_team_level(content: Content, diags: Diagnostics) -> None:
    """A 车间（部门）安全检查表册 belongs to a 车间 or 部门: one naming a 班组 as its department prints
    a 表册 title over a team, whose checklist is a 岗位（班组）安全检查卡片."""
    levels = content.levels
    for cid, cl in sorted(content.checklists.items()):
        if cl.level != "车间" or not cl.department:
            continue
        dept = content.enterprise.department(cl.department)
        if dept is None or dept.kind not in TEAM_KINDS:
            continue
        shown = content.sources.get(f"checklist:{cid}", content.display("checklists"))
        diags.warning(shown, ("department",), line_col=where(content, shown, ("department",)), message=(
            f"清单“{cl.title}”是{levels.checklist_title('车间')}，所属的“{dept.name}”却是{dept.kind}："
            f"{dept.kind}的检查用{levels.checklist_title('岗位')}（level: 岗位），"
            f"由车间（部门）对其区域的检查应填负责检查的车间（部门）"))


def knowledge_industry(content: Content, diags: Diagnostics) -> None:
    """A library knowledge chapter that handbook.yaml includes, tagged for another industry than the
    enterprise's (道路运输 text in a 工贸 plant's handbook). Sections tagged for another industry are
    left out when loading (Knowledge.for_industry); a chapter is printed as named, with this warning."""
    hb = content.handbook
    if hb is None:
        return
    ent = content.enterprise
    names = [ent.industry, *ent.industry_tags]
    shown = content.display("handbook.yaml")
    for i, kid in enumerate(hb.general):
        k = content.knowledge.get(kid)
        if k is None:
            continue
        if not fits(k.industry, names):
            diags.warning(shown, ("general", i), line_col=where(content, shown, ("general", i)), message=(
                f"通用知识“{k.title}”（{kid}）适用于“{'、'.join(k.industry)}”行业，与本企业的行业“{'、'.join(names)}”不符："
                "请从 handbook.yaml 的 general 中删去，或改用本行业的公共知识（也可在 enterprise.yaml 的 industry_tags 中写明细分行业）"))
        elif not k.sections:
            diags.warning(shown, ("general", i), line_col=where(content, shown, ("general", i)), message=(
                f"通用知识“{k.title}”（{kid}）的各节都只适用于其他行业，本企业的手册中这一章是空的：请从 handbook.yaml 的 general 中删去"))


def headcounts(content: Content, diags: Diagnostics) -> None:
    """The posts' headcounts add up to no more than the employees, and not far below without a note."""
    ent = content.enterprise
    total = sum(p.headcount for p in ent.posts)
    shown = _ent_file(content)
    if total > ent.employees:
        diags.warning(shown, ("employees",), line_col=where(content, shown, ("employees",)), message=(
            f"各岗位在岗人数之和 {total} 人多于从业人员数 {ent.employees} 人：请核对 posts 的 headcount 或 employees"
            "（企业分类按从业人员数计算）"))
    elif total < ent.employees * HEADCOUNT_SHARE and not ent.headcount_note:
        diags.warning(shown, ("employees",), line_col=where(content, shown, ("employees",)), message=(
            f"各岗位在岗人数之和 {total} 人不到从业人员数 {ent.employees} 人的一半：是否漏列了岗位？"
            "如确实只列出部分岗位，请在 enterprise.yaml 的 headcount_note 中说明（如 未列入行政后勤人员 40 人）"))


def control_levels(content: Content, diags: Diagnostics) -> None:
    """A risk point is managed at least at the level its computed risk level requires (分级管控)."""
    for r in content.risk_points:
        if r.control_level not in CONTROL_ORDER:
            continue
        lowest = LOWEST_CONTROL[r.level]
        if CONTROL_ORDER.index(r.control_level) <= CONTROL_ORDER.index(lowest):
            continue
        shown = content.sources.get(f"risk:{r.id}", content.display("risks"))
        a = r.assessment
        diags.warning(shown, ("control_level",), line_col=item_where(content, shown, "risk_points", r.id, "control_level"), message=(
            f"风险点“{r.name}”（{r.id}）评价为{r.level.label}（{a.formula}），管控层级却是“{r.control_level}”："
            f"{r.level.zh}应由{CONTROL_TEXT[r.level]}管控，请把 control_level 改为 {'或'.join(CONTROL_ORDER[:CONTROL_ORDER.index(lowest) + 1][-2:])}，或重新评价"))


def zones_unverified(content: Content, diags: Diagnostics) -> None:
    """Without riskmap.yaml nothing checks that a risk point's zone names a real area."""
    if content.extras.get("riskmap") is not None:
        return  # the risk map's load hook checks every zone
    zoned = [r for r in content.risk_points if r.zone]
    if not zoned:
        return
    first = zoned[0]
    shown = content.sources.get(f"risk:{first.id}", content.display("risks"))
    names = "、".join(sorted({r.zone for r in zoned if r.zone}))
    diags.warning(shown, ("zone",), line_col=item_where(content, shown, "risk_points", first.id, "zone"), message=(
        f"{len(zoned)} 个风险点填写了所在区域 zone（{names}），但没有四色安全风险空间分布图 riskmap.yaml，区域编号无法核对："
        "请编制 riskmap.yaml 列出这些区域，或删去 zone"))
