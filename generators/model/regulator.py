"""What a regulator needs to know about an enterprise, and what its inspectors find on site.

- `RegulatorFacts` is the optional `regulator:` block of enterprise.yaml: licences and
  certificates, 特种作业/从业资格证 held per post, the 安全生产标准化 grade, the emergency plan's
  备案 and drills, the accident record, the region (行政区划) and the supervising department.
- `Inspection` is one year's on-site record (inspections/<year>.yaml): who inspected when, the
  result of each 六必查 line (符合 / 不符合 / 不适用), what was seen of 危险作业行为, and the
  outcome of the 凡查必考 quiz in counts.

Everything here is optional: an enterprise without the block still loads and builds; the
regulator's documents then say "未填报" where a fact is missing. The 六必查 lines the findings
refer to are in `regulator_lines`; what is computed from these facts is `generators.checks.regulator`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator, model_validator

from .base import Id, Model, ShortText, Text

# GB/T 2260 province-level codes (the first two digits of a 6-digit 行政区划代码).
PROVINCES = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省",
    "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省", "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区", "46": "海南省",
    "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省", "54": "西藏自治区",
    "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区", "65": "新疆维吾尔自治区",
    "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
}


def region_problem(code: str) -> str | None:
    """None when `code` looks like a 6-digit 行政区划代码, else a Chinese explanation."""
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return f"行政区划代码应为 6 位数字，如 140403，现为“{code}”"
    if code[:2] not in PROVINCES:
        return f"行政区划代码“{code}”的前两位“{code[:2]}”不是省级行政区划代码"
    return None


class Licence(Model):
    """证照: a licence or certificate the enterprise holds (营业执照, 道路运输经营许可证, ...)."""

    kind: ShortText = Field(description="证照名称，如 道路运输经营许可证、安全生产许可证、危险化学品经营许可证")
    number: ShortText = Field(description="证照编号")
    issuer: ShortText = Field(description="发证机关")
    valid_from: dt.date | None = Field(default=None, description="发证（有效期起始）日期")
    valid_until: dt.date | None = Field(default=None, description="有效期至；长期有效则省略")
    scope: ShortText | None = Field(default=None, description="许可范围（经营范围）")

    @model_validator(mode="after")
    def _dates(self) -> Licence:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError("有效期至 valid_until 不能早于发证日期 valid_from")
        return self


class PostCertificates(Model):
    """特种作业/从业资格证 held on one post: how many people must hold it, how many do."""

    post: Id = Field(description="岗位编号")
    certificate: ShortText | None = Field(default=None, description="证书名称；省略时取岗位的 certificate")
    required: int = Field(ge=0, le=100000, description="应持证人数（通常为在岗人数）")
    held: int = Field(ge=0, le=100000, description="实际持有有效证书的人数")


class Standardization(Model):
    """安全生产标准化 grade and certificate."""

    grade: Literal["一级", "二级", "三级"] = Field(description="标准化等级：一级、二级、三级")
    certificate: ShortText = Field(description="证书编号")
    issued_by: ShortText | None = Field(default=None, description="定级（评审）单位")
    valid_from: dt.date | None = Field(default=None, description="定级日期")
    valid_until: dt.date = Field(description="有效期至")


class EmergencyPlan(Model):
    """生产安全事故应急预案: 备案 and drills; the rescue organisation."""

    title: ShortText | None = Field(default=None, description="预案名称，如 生产安全事故综合应急预案")
    filing_number: ShortText | None = Field(default=None, description="备案编号；未备案则省略")
    filed: dt.date | None = Field(default=None, description="备案日期")
    filed_with: ShortText | None = Field(default=None, description="备案部门")
    last_drill: dt.date | None = Field(default=None, description="最近一次应急演练日期")
    drills_last_year: int | None = Field(default=None, ge=0, le=1000, description="近一年应急演练次数")
    rescue_organisation: ShortText | None = Field(default=None, description="应急救援组织（队伍名称或兼职救援人员），或签订救援协议的单位")

    @model_validator(mode="after")
    def _filing(self) -> EmergencyPlan:
        if self.filing_number and self.filed is None:
            raise ValueError("填写了备案编号 filing_number 时，请同时填写备案日期 filed")
        return self


class Accident(Model):
    """One 生产安全事故 of the enterprise."""

    date: dt.date = Field(description="事故日期")
    type: ShortText = Field(description="事故类型，如 道路运输事故、车辆伤害、机械伤害、火灾")
    deaths: int = Field(default=0, ge=0, le=100000, description="死亡人数")
    injuries: int = Field(default=0, ge=0, le=100000, description="受伤人数（含重伤）")
    description: Text = Field(description="事故简要经过")


class RegulatorFacts(Model):
    """监管信息 (enterprise.yaml `regulator:`): the facts a regulator checks each year."""

    region: str | None = Field(default=None, description="已弃用：请写在企业的 region.code 中（仍可读取）", json_schema_extra={"deprecated": True})
    region_name: ShortText | None = Field(default=None, description="已弃用：请写在企业的 region.name 中（仍可读取）", json_schema_extra={"deprecated": True})
    supervisor: ShortText | None = Field(default=None, description="行业主管（监管）部门，如 长治市交通运输局")
    licences: list[Licence] = Field(default_factory=list, description="证照（营业执照、经营许可证、安全生产许可证等）")
    certificates: list[PostCertificates] = Field(default_factory=list, description="各岗位特种作业/从业资格证持证情况")
    standardization: Standardization | None = Field(default=None, description="安全生产标准化等级；未定级则省略")
    emergency_plan: EmergencyPlan | None = Field(default=None, description="应急预案备案与演练")
    accidents: list[Accident] = Field(default_factory=list, description="生产安全事故记录")
    accident_records_since: dt.date | None = Field(
        default=None, description="事故记录起始日期（通常为成立日期）：此后的事故均已登记，用于计算连续无事故年数",
    )

    @field_validator("region")
    @classmethod
    def _region(cls, v: str | None) -> str | None:
        if v is None:
            return v
        problem = region_problem(v)
        if problem:
            raise ValueError(problem)
        return v


# ---------------------------------------------------------------- inspections/<year>.yaml

FindingResult = Literal["符合", "不符合", "不适用"]


class Finding(Model):
    """The inspector's result for one 六必查 line (its id is printed on the sheet)."""

    item: Id = Field(description="检查项编号（六必查表“编号”栏，如 licences、hazards-on-time）")
    result: FindingResult = Field(description="现场核查结果：符合、不符合、不适用")
    note: Text | None = Field(default=None, description="备注（发现的问题、整改要求）")


class BehaviourObservation(Model):
    """查危险作业行为: what the inspector saw of one behaviour."""

    item: Id = Field(description="危险作业行为编号（六必查表“查危险作业行为”栏的编号）")
    observed: bool = Field(description="是否发现该行为")
    note: Text | None = Field(default=None, description="情况说明")


class QuizOutcome(Model):
    """凡查必考: the on-site quiz in counts (names and scores stay on the inspector's paper)."""

    seed: int | None = Field(default=None, ge=0, le=2**31, description="抽题种子（试卷上印的号码）")
    tested: int = Field(ge=0, le=100000, description="抽考人数")
    passed: int = Field(ge=0, le=100000, description="合格人数")

    @model_validator(mode="after")
    def _counts(self) -> QuizOutcome:
        if self.passed > self.tested:
            raise ValueError(f"合格人数 {self.passed} 不能多于抽考人数 {self.tested}")
        return self


class Inspection(Model):
    """现场检查记录 (inspections/<year>.yaml)."""

    year: int = Field(ge=2000, le=2100, description="年度")
    date: dt.date = Field(description="检查日期")
    kind: Literal["年度执法检查", "基础建设专项检查", "体检式精查"] = Field(default="基础建设专项检查", description="检查方式")
    department: ShortText | None = Field(default=None, description="检查部门")
    inspectors: list[ShortText] = Field(min_length=1, description="检查人员")
    findings: list[Finding] = Field(default_factory=list, description="六必查各项的现场核查结果")
    behaviours: list[BehaviourObservation] = Field(default_factory=list, description="危险作业行为的现场情况")
    quiz: QuizOutcome | None = Field(default=None, description="凡查必考：现场抽考结果（人数）")

    @model_validator(mode="after")
    def _year(self) -> Inspection:
        if self.date.year != self.year:
            raise ValueError(f"检查日期 {self.date} 不在年度 {self.year} 内")
        return self

    def finding(self, item: str) -> Finding | None:
        return next((f for f in self.findings if f.item == item), None)


__all__ = [
    "PROVINCES",
    "Accident",
    "BehaviourObservation",
    "EmergencyPlan",
    "Finding",
    "FindingResult",
    "Inspection",
    "Licence",
    "PostCertificates",
    "QuizOutcome",
    "RegulatorFacts",
    "Standardization",
    "region_problem",
]
