"""安全检查清单 kept at three levels (本单位安全检查清单, 车间(部门)安全检查表册, 岗位(班组)安全检查卡片)
and the hazard ledger (隐患台账: the 隐患清单 and 整改清单 of seed 003's 三张清单)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import Field, model_validator

from .base import Chars, Code, Coded, Id, Model, Revised, ShortText, Text, bound, code_field, suggested
from .levels import CHECKLIST_LEVELS, LEVEL_MAX_FREQUENCY, LEVELS, PERIOD_DAYS, PERIODS, Frequency, Levels  # noqa: F401 (re-exported)

FREQUENCY_DAYS = PERIOD_DAYS

# A 判定标准 clause: 第…条, optionally 第（…）项.
MAJOR_CLAUSE = re.compile(r"第[一二三四五六七八九十百零〇0-9]+条")

CHECK_CELL = ("检查内容印在检查表（单位清单、车间表册、岗位卡片）的一个格子里，检查人逐项打勾；"
              "只写查什么、怎样算符合，说明和做法请写入制度，或拆成几个检查项")


class CheckItem(Coded):
    id: Id = Field(description="检查项编号（内部编号：英文小写、数字、-；在清单内唯一，与公共清单同编号即覆盖；不填时由 code 生成）")
    code: Code | None = code_field("检查项编号")
    category: ShortText = Field(default="综合", description="检查类别，如 证照资质、车辆设备、从业人员")
    content: Chars(300) = Field(description="检查内容", **bound(CHECK_CELL))  # type: ignore[valid-type]
    basis: ShortText | None = Field(default=None, description="检查依据（法规、标准条款）；没有则省略")
    method: ShortText = Field(default="现场检查", description="检查方法：查资料、现场检查、询问等")
    frequency: Frequency = Field(description="检查频次：日、周、月、季、年，或本企业的写法（每班、每车、每趟、每次作业……），可写成 {text: 每趟及途中每 2 h, period: 日}")
    responsible: suggested(LEVELS) = Field(description="责任层级：公司、车间、班组、岗位，或本企业 settings.levels 中的叫法（如 部门）")
    major: bool = Field(default=False, description="不符合即构成重大事故隐患（须在 major_basis 中写明判定标准条款）")
    major_basis: ShortText | None = Field(
        default=None,
        description="重大事故隐患判定依据：该项不符合时对应的重大事故隐患判定标准条款，如《道路运输企业和城市客运企业安全生产重大事故隐患判定标准（试行）》第三条第（二）项",
    )

    @model_validator(mode="after")
    def _major_needs_clause(self) -> "CheckItem":
        if self.major_basis is not None:
            if "判定标准" not in self.major_basis or not MAJOR_CLAUSE.search(self.major_basis):
                raise ValueError("major_basis 应写明重大事故隐患判定标准的名称和条款（如“《……判定标准》第三条第（二）项”）")
            self.major = True
        elif self.major:
            raise ValueError("标为重大事故隐患判定项（major: true）的检查项须在 major_basis 中写明对应的重大事故隐患判定标准条款；不对应判定标准条款的，不应标为重大隐患判定项")
        return self

    @property
    def period(self) -> str | None:
        return self.frequency.period


class Checklist(Revised):
    """安全检查清单 / 表册 / 卡片 (checklists/<id>.yaml), or a library checklist."""

    id: Id = Field(description="清单编号（内部编号：英文小写、数字、-，用作文件名）")
    code: Code | None = code_field("清单编号")
    title: ShortText = Field(description="清单名称")
    level: suggested(CHECKLIST_LEVELS) = Field(description="层级：单位（清单）、车间（表册）、岗位（卡片），或本企业 settings.levels 中的叫法（如 部门）")
    industry: ShortText | None = Field(default=None, description="适用行业（公共清单）")
    department: Id | None = Field(default=None, description="车间（部门）编号（车间表册）")
    post: Id | None = Field(default=None, description="岗位编号（岗位卡片）")
    extends: Id | None = Field(default=None, description="继承的公共清单编号（公共内容库中本企业适用的国家层和地区包的 checklists/）")
    remove: list[Id] = Field(default_factory=list, description="从公共清单中删除的检查项编号")
    items: list[CheckItem] = Field(default_factory=list, description="检查项（新增或覆盖）")
    issued_by: ShortText | None = Field(default=None, description="发布单位（行业清单）")

    @property
    def level_title(self) -> str:
        """The seeds' title of the level; documents use `Levels.checklist_title` (the enterprise's words)."""
        return Levels().checklist_title(self.level) if self.level in CHECKLIST_LEVELS else self.level

    @model_validator(mode="after")
    def _shape(self) -> "Checklist":
        if not self.items and not self.extends:
            raise ValueError("清单至少要有一个检查项，或用 extends 继承公共清单")
        return self


HazardStatus = Literal["待整改", "整改中", "待验收", "已销号"]


class FiveFixed(Model):
    """五定: 责任人, 措施, 资金, 时限, 预案."""

    responsible: ShortText = Field(description="整改责任人")
    measures: Text = Field(description="整改措施")
    funds_wan: float = Field(ge=0, description="整改资金（万元）")
    deadline: dt.date = Field(description="整改时限")
    plan: Text | None = Field(default=None, description="应急预案（重大隐患必须有）")


class HazardEvent(Model):
    date: dt.date = Field(description="日期")
    action: ShortText = Field(description="事项，如 下发整改通知、整改完成、验收销号")
    by: ShortText = Field(description="经办人")


class Hazard(Coded):
    """隐患台账的一条."""

    id: Id = Field(description="隐患编号（内部编号：英文小写、数字、-；不填时由 code 生成）")
    code: Code | None = code_field("隐患编号")
    found: dt.date = Field(description="发现日期")
    source: Literal["企业自查", "督导检查", "群众举报"] = Field(description="来源")
    place: ShortText = Field(description="部位/场所")
    description: Text = Field(description="隐患描述")
    grade: Literal["一般", "重大"] = Field(description="隐患等级")
    department: Id | None = Field(default=None, description="责任部门编号")
    check_item: ShortText | None = Field(default=None, description="对应的检查清单项：清单编号/检查项编号（id 或 code 均可，如 unit/c01 或 AQK-01/K-01）")
    five_fixed: FiveFixed = Field(description="五定")
    status: HazardStatus = Field(description="状态：待整改、整改中、待验收、已销号")
    closed: dt.date | None = Field(default=None, description="销号日期")
    verifier: ShortText | None = Field(default=None, description="验收人")
    supervised: bool = Field(default=False, description="挂牌督办")
    history: list[HazardEvent] = Field(default_factory=list, description="整改与销号过程")

    @model_validator(mode="after")
    def _closing(self) -> "Hazard":
        if self.status == "已销号":
            if self.closed is None or self.verifier is None:
                raise ValueError("已销号的隐患必须填写销号日期 closed 和验收人 verifier")
            if self.closed < self.found:
                raise ValueError("销号日期不能早于发现日期")
        elif self.closed is not None:
            raise ValueError(f"状态为“{self.status}”的隐患不应有销号日期 closed")
        if self.five_fixed.deadline < self.found:
            raise ValueError("整改时限不能早于发现日期")
        return self

    def overdue(self, today: dt.date) -> bool:
        """超期: not closed and the 五定 deadline has passed."""
        return self.status != "已销号" and self.five_fixed.deadline < today

    def days_overdue(self, today: dt.date) -> int:
        return (today - self.five_fixed.deadline).days if self.overdue(today) else 0


class HazardLedger(Revised):
    """隐患台账 (hazards.yaml)."""

    hazards: list[Hazard] = Field(default_factory=list, description="隐患")
