"""The 六必查 sheet's sections and lines, with the fixed ids an inspector's findings refer to.

The six sections are those of the annual enforcement inspection ("六必查": 查证照, 查机构队伍,
查设施设备, 查基础建设, 查应急管理, 查危险作业行为). Each line asks one question; the sheet
pre-fills what the enterprise's content claims, and `inspections/<year>.yaml` records what the
inspector found, line by line, under the same id (printed in the sheet's 编号 column).
It lives in the model because the loader checks the ids of inspections/<year>.yaml against it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    id: str
    title: str  # 查证照 ...
    scope: str  # what the section checks, in one sentence


@dataclass(frozen=True)
class Line:
    id: str
    section: str
    short: str  # a few words, for evidence and rule labels
    title: str  # the question to check
    onsite_only: bool = False
    basis: str = ""


SECTIONS: tuple[Section, ...] = (
    Section("licences", "查证照", "是否依法办理安全生产许可及经营许可手续，证照是否在有效期内"),
    Section("organisation", "查机构队伍", "是否依法设立安全生产管理机构、配备专兼职安全管理人员，主要负责人、安全管理人员和特种作业人员是否具备相应资格"),
    Section("facilities", "查设施设备", "安全设备设施是否符合国家有关法律法规和标准，是否按规定维护、保养和检测"),
    Section("foundation", "查基础建设", "制度标准是否细化到岗位、作业活动和设备设施，隐患源头治理和风险分级管控是否运行，教育培训和考试是否落实"),
    Section("emergency", "查应急管理", "是否建立应急救援组织，是否编制应急预案并按规定备案，是否按规定开展应急演练"),
    Section("dangerous", "查危险作业行为", "是否存在涉嫌违反刑法第一百三十四条之一（危险作业罪）的行为（仅现场检查）"),
)

LINES: tuple[Line, ...] = (
    # 查证照
    Line("licences", "licences", "证照有效", "安全生产许可、经营许可等证照齐全，并在有效期内"),
    Line("licence-scope", "licences", "许可范围", "实际经营（生产）范围与许可范围一致，无超范围经营"),
    Line("standardization-cert", "licences", "标准化证书", "安全生产标准化等级证书及其有效期"),
    # 查机构队伍
    Line("agency", "organisation", "安全管理机构", "设立安全生产管理机构，明确机构负责人"),
    Line("officers", "organisation", "安全管理人员配备", "配备专职（兼职）安全生产管理人员"),
    Line("key-people-certs", "organisation", "负责人和安全管理人员资格", "主要负责人、安全生产管理人员安全生产知识和管理能力考核合格"),
    Line("special-certs", "organisation", "持证上岗", "特种作业人员、从业资格人员持证上岗"),
    # 查设施设备
    Line("equipment-list", "facilities", "设备设施建档", "主要设备设施已建档，设备描述和危险部位明确"),
    Line("equipment-maintenance", "facilities", "设备设施维护检测", "安全设备设施按规定维护、保养、检测，检验在有效期内"),
    Line("major-hazard-items", "facilities", "重大隐患判定项", "检查清单包含重大事故隐患判定项并按频次检查"),
    # 查基础建设
    Line("responsibility-posts", "foundation", "责任制到岗", "全员安全生产责任制细化到每个岗位（对人的制度标准细化到岗位）"),
    Line("job-standards", "foundation", "岗位作业流程标准", "重点岗位有岗位作业流程标准（对事的制度标准细化到每项作业活动）"),
    Line("checklists-posts", "foundation", "三级检查清单", "三级安全检查清单齐全，检查卡片覆盖每个岗位（对物的标准细化到每类设备设施）"),
    Line("hazards-on-time", "foundation", "隐患整改闭环", "隐患源头治理机制运行：及时发现、按“五定”整改、按期销号，防止重复发生"),
    Line("risk-assessment", "foundation", "风险辨识评估", "安全风险分级管控：一年内开展风险辨识评估，分级管控措施落实"),
    Line("training-plan", "foundation", "年度培训计划", "制定并实施年度全员安全培训计划"),
    Line("exams", "foundation", "全员考试", "全员考试制度落实，及格线 60/70/80 分，不合格者培训补考"),
    Line("handbook", "foundation", "应知应会手册", "《应知应会手册》覆盖全部岗位并及时修订，从业人员掌握岗位应知应会"),
    Line("rules-enforced", "foundation", "制度执行考核", "用制度管人管事，有保证制度运转的考核办法并执行到位"),
    # 查应急管理
    Line("rescue-org", "emergency", "应急救援组织", "建立应急救援组织（或指定兼职救援人员、签订救援协议）"),
    Line("plan-filed", "emergency", "应急预案备案", "编制生产安全事故应急预案并按规定备案"),
    Line("drills", "emergency", "应急演练", "按规定组织应急演练，演练后评估"),
    Line("post-emergency", "emergency", "岗位应急处置", "岗位应急处置措施告知到岗（岗位安全风险告知卡）"),
    # 查危险作业行为 (on site only): the three items of 刑法第一百三十四条之一 (危险作业罪, added by 刑法修正案（十一）,
    # in force 2021-03-01), quoted word for word
    Line("tamper", "dangerous", "关闭破坏安全设备或篡改数据",
         "有无下列行为：“关闭、破坏直接关系生产安全的监控、报警、防护、救生设备、设施，或者篡改、隐瞒、销毁其相关数据、信息的”",
         onsite_only=True, basis="刑法第一百三十四条之一第（一）项"),
    Line("defy-order", "dangerous", "拒不执行整改决定",
         "有无下列行为：“因存在重大事故隐患被依法责令停产停业、停止施工、停止使用有关设备、设施、场所或者立即采取排除危险的整改措施，而拒不执行的”",
         onsite_only=True, basis="刑法第一百三十四条之一第（二）项"),
    Line("unlicensed", "dangerous", "未经许可从事高危作业",
         "有无下列行为：“涉及安全生产的事项未经依法批准或者许可，擅自从事矿山开采、金属冶炼、建筑施工，以及危险物品生产、经营、储存等高度危险的生产作业活动的”",
         onsite_only=True, basis="刑法第一百三十四条之一第（三）项"),
)

LINE_IDS: frozenset[str] = frozenset(line.id for line in LINES)
BEHAVIOUR_IDS: frozenset[str] = frozenset(line.id for line in LINES if line.section == "dangerous")
FINDING_IDS: frozenset[str] = LINE_IDS - BEHAVIOUR_IDS


def line(line_id: str) -> Line:
    """The line of an id (KeyError-like StopIteration never escapes: ids are checked on load)."""
    return next(ln for ln in LINES if ln.id == line_id)


__all__ = ["BEHAVIOUR_IDS", "FINDING_IDS", "LINES", "LINE_IDS", "SECTIONS", "Line", "Section", "line"]
