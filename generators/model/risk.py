"""安全风险点名册: risk points with their assessment and graded controls."""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, PrivateAttr, field_validator

from ..rules import LEC_C, LEC_E, LEC_L, RiskLevel
from ..zh import num
from .base import Chars, Code, Coded, Id, Model, Revised, ShortText, bound, code_field, suggested
from .levels import LEVELS

# A risk point is printed in the 安全风险点名册 table, on the post's one-page card and on the zone's
# 安全风险公告栏: each hazard and each measure is one line or cell there.
RISK_CELL = ("风险点印在安全风险点名册的表格、一页 A4 的岗位安全风险告知卡和安全风险公告栏上，"
             "每条危险有害因素、每条措施占一行；内容更多时请拆分风险点，详细做法写入制度或岗位作业流程标准")
HazardText = Chars(150)
MeasureText = Chars(200)


def _one_of(allowed: dict, name: str):
    def check(v: float) -> float:
        if v not in allowed:
            values = "、".join(str(k) for k in allowed)
            raise ValueError(f"{name} 只能取 {values}，不能取 {num(v)}")
        return v

    return check


class LecAssessment(Model):
    """作业条件危险性评价法: D = L × E × C."""

    method: Literal["LEC"] = Field(description="评价方法")
    L: float = Field(description="事故发生的可能性 L：10、6、3、1、0.5、0.2、0.1")
    E: float = Field(description="暴露于危险环境的频繁程度 E：10、6、3、2、1、0.5")
    C: float = Field(description="发生事故可能造成的后果 C：100、40、15、7、3、1")

    @field_validator("L")
    @classmethod
    def _l(cls, v: float) -> float:
        return _one_of(LEC_L, "L")(v)

    @field_validator("E")
    @classmethod
    def _e(cls, v: float) -> float:
        return _one_of(LEC_E, "E")(v)

    @field_validator("C")
    @classmethod
    def _c(cls, v: float) -> float:
        return _one_of(LEC_C, "C")(v)

    @property
    def score(self) -> float:
        return round(self.L * self.E * self.C, 2)

    @property
    def formula(self) -> str:
        return f"D = L×E×C = {_num(self.L)}×{_num(self.E)}×{_num(self.C)} = {_num(self.score)}"


class LsAssessment(Model):
    """风险矩阵法: R = L × S, each 1–5."""

    method: Literal["LS"] = Field(description="评价方法")
    L: int = Field(ge=1, le=5, description="可能性 L：1–5")
    S: int = Field(ge=1, le=5, description="严重性 S：1–5")

    @property
    def score(self) -> float:
        return self.L * self.S

    @property
    def formula(self) -> str:
        return f"R = L×S = {self.L}×{self.S} = {self.L * self.S}"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


Assessment = Annotated[Union[LecAssessment, LsAssessment], Field(discriminator="method")]

CONTROL_KINDS = [
    ("engineering", "工程技术措施"),
    ("management", "管理措施"),
    ("training", "培训教育措施"),
    ("ppe", "个体防护措施"),
    ("emergency", "应急处置措施"),
]


class Controls(Model):
    engineering: list[MeasureText] = Field(default_factory=list, max_length=10, description="工程技术措施", **bound(RISK_CELL))
    management: list[MeasureText] = Field(default_factory=list, max_length=10, description="管理措施", **bound(RISK_CELL))
    training: list[MeasureText] = Field(default_factory=list, max_length=10, description="培训教育措施", **bound(RISK_CELL))
    ppe: list[MeasureText] = Field(default_factory=list, max_length=10, description="个体防护措施", **bound(RISK_CELL))
    emergency: list[MeasureText] = Field(default_factory=list, max_length=10, description="应急处置措施", **bound(RISK_CELL))

    def groups(self) -> list[tuple[str, list[str]]]:
        return [(zh, getattr(self, key)) for key, zh in CONTROL_KINDS if getattr(self, key)]

    def count(self) -> int:
        return sum(len(items) for _, items in self.groups())


class RiskPoint(Coded):
    """One entry of the 安全风险点名册."""

    id: Id = Field(description="风险点编号（内部编号：英文小写、数字、-，供其他文件引用；不填时由 code 生成）")
    code: Code | None = code_field("风险点编号")
    name: ShortText = Field(description="风险点（场所、设备或作业活动）")
    kind: Literal["场所", "设备设施", "作业活动"] = Field(default="作业活动", description="类别")
    department: Id = Field(description="所属部门编号")
    posts: list[Id] = Field(default_factory=list, description="涉及的岗位编号")
    zone: Id | None = Field(default=None, description="所在区域编号（四色分布图）")
    hazards: list[HazardText] = Field(min_length=1, max_length=10, description="危险有害因素", **bound(RISK_CELL))
    accidents: list[ShortText] = Field(min_length=1, max_length=8, description="可能导致的事故类型", **bound(RISK_CELL))
    assessment: Assessment = Field(description="风险评价（LEC 或 LS）")
    controls: Controls = Field(description="管控措施")
    control_level: suggested(LEVELS) = Field(description="管控层级：公司、车间、班组、岗位，或本企业 settings.levels 中的叫法（如 部门）")
    responsible: ShortText | None = Field(default=None, description="责任人（姓名或岗位）；没有则省略")

    _level: RiskLevel | None = PrivateAttr(default=None)

    @property
    def level(self) -> RiskLevel:
        """Computed by the loader from the enterprise's risk profile."""
        if self._level is None:
            from .enterprise import RiskProfile

            self._level = RiskProfile().level_for(self.assessment.method, self.assessment.score)
        return self._level

    def set_level(self, level: RiskLevel) -> None:
        self._level = level


class RiskRegister(Revised):
    """A file under risks/: part of the 安全风险点名册."""

    risk_points: list[RiskPoint] = Field(min_length=1, description="风险点")
