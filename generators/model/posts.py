"""Per-post documents: 责任清单, 岗位作业流程标准, 岗位安全风险告知卡."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Chars, Id, Model, Revised, ShortText, Text, bound

# Why these documents bound their lists and cell texts (the loader's messages quote them).
CARD_PAGE = "岗位安全风险告知卡只有一页 A4，张贴在岗位上供作业人员一眼看清；完整的处置程序请写入岗位作业流程标准"
SIGN_ROW = "告知卡、岗位手册和安全风险公告栏上每类标志排成一行，每类只列本岗位最主要的标志"
DUTY_CELL = "责任清单在手册中排成表格，每条职责和考核标准各占一个格子；说明性文字请写入制度"
STANDARD_CELL = "岗位作业流程标准在手册中排成表格，每项内容占一个格子；较长的说明请拆成几条"

DutyText = Chars(500)
AssessmentText = Chars(300)
RiskText = Chars(200)
MeasureText = Chars(300)
StepText = Chars(500)
SafetyText = Chars(300)
ActionText = Chars(150)
PpeText = Chars(120)


class Duty(Model):
    """One line of the 全员安全生产责任清单."""

    content: DutyText = Field(description="安全生产职责", **bound(DUTY_CELL))
    basis: list[ShortText] = Field(default_factory=list, max_length=6, description="本条职责的依据（法律法规、标准、制度条款）；整个岗位共用的依据写在 legal_basis", **bound(DUTY_CELL))
    assessment: AssessmentText | None = Field(default=None, description="考核标准；没有则省略", **bound(DUTY_CELL))


class ResponsibilityList(Revised):
    """全员安全生产责任清单 of one post (responsibilities/<post-id>.yaml)."""

    post: Id = Field(description="岗位编号")
    legal_basis: list[ShortText] = Field(default_factory=list, description="本岗位责任清单整体的依据（法律法规、标准、制度），印一次；某条职责特有的依据写在该条的 basis")
    duties: list[Duty] = Field(min_length=1, description="职责清单")
    legal_duties: list[ShortText] = Field(default_factory=list, description="应承担的法律责任")


class Equipment(Model):
    name: ShortText | None = Field(default=None, description="设备/设施名称；没有单独的名称则省略")
    description: Text = Field(description="设备描述：结构、用途、主要参数")
    hazards: list[ShortText] = Field(default_factory=list, description="设备主要危险部位")


class RiskControl(Model):
    risk: RiskText = Field(description="风险（作业环节或部位存在的风险）", **bound(STANDARD_CELL))
    measures: list[MeasureText] = Field(min_length=1, max_length=12, description="管控措施", **bound(STANDARD_CELL))
    risk_points: list[Id] = Field(default_factory=list, description="对应的风险点编号（安全风险点名册）")


class Step(Model):
    name: ShortText = Field(description="步骤名称")
    content: StepText = Field(description="作业内容与标准", **bound(STANDARD_CELL))
    safety: SafetyText | None = Field(default=None, description="安全要点", **bound(STANDARD_CELL))


class Abnormal(Model):
    situation: Text = Field(description="异常情况")
    handling: list[Text] = Field(min_length=1, description="处置步骤")


class Process(Model):
    """岗位作业流程: 岗前安全确认 → 作业流程 → 异常处置 → 末节工序."""

    pre_checks: list[Text] = Field(min_length=1, description="岗前安全确认")
    steps: list[Step] = Field(min_length=1, description="作业流程")
    abnormal: list[Abnormal] = Field(min_length=1, description="异常处置")
    closing: list[Text] = Field(min_length=1, description="末节工序")


class Case(Model):
    title: ShortText = Field(description="案例名称")
    summary: Text = Field(description="事故经过")
    causes: list[Text] = Field(default_factory=list, description="事故原因；资料中没有则省略")
    lessons: list[Text] = Field(default_factory=list, description="教训与防范措施；资料中没有则省略")


class JobStandard(Revised):
    """岗位作业流程标准 (job_standards/<post-id>.yaml), the four units of seed 000."""

    post: Id = Field(description="岗位编号")
    legal_basis: list[ShortText] = Field(default_factory=list, description="本岗位作业流程标准整体的依据（法律法规、标准、操作规程），印一次")
    equipment: list[Equipment] = Field(min_length=1, description="一、设备描述")
    risk_controls: list[RiskControl] = Field(min_length=1, description="二、风险管控")
    process: Process = Field(description="三、岗位作业流程")
    cases: list[Case] = Field(min_length=1, description="四、典型事故案例")


class Signs(Model):
    """四类安全标识 (seed 003 §二(五))."""

    prohibition: list[ShortText] = Field(default_factory=list, max_length=8, description="禁止标志", **bound(SIGN_ROW))
    warning: list[ShortText] = Field(default_factory=list, max_length=8, description="警告标志", **bound(SIGN_ROW))
    mandatory: list[ShortText] = Field(default_factory=list, max_length=8, description="指令标志", **bound(SIGN_ROW))
    information: list[ShortText] = Field(default_factory=list, max_length=8, description="提示标志", **bound(SIGN_ROW))

    def groups(self) -> list[tuple[str, list[str]]]:
        return [("禁止", self.prohibition), ("警告", self.warning), ("指令", self.mandatory), ("提示", self.information)]


class Emergency(Model):
    situation: ShortText = Field(description="事故/险情")
    actions: list[ActionText] = Field(min_length=1, max_length=8, description="应急处置措施", **bound(CARD_PAGE))


class RiskCard(Revised):
    """岗位安全风险告知卡 (cards/<post-id>.yaml); hazards and controls come from the risk points."""

    post: Id = Field(description="岗位编号")
    emergency: list[Emergency] = Field(min_length=1, max_length=6, description="应急处置", **bound(CARD_PAGE))
    signs: Signs = Field(default_factory=Signs, description="安全标识")
    ppe: list[PpeText] = Field(default_factory=list, max_length=12, description="应佩戴的个体防护用品", **bound(CARD_PAGE))
    phones: list[ShortText] = Field(default_factory=list, max_length=4, description="额外的应急电话（企业应急电话自动列出）", **bound(CARD_PAGE))
    size: Literal["A4", "A3"] | None = Field(
        default=None, description="告知卡纸张（A4 或 A3）；不填时按 enterprise.yaml 的 settings.card_size")
