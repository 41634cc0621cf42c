"""企业基本信息 (enterprise.yaml): identity, organisation, posts, key people, settings."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator

from ..rules import RiskLevel, SizeClass, credit_code_problem, size_class
from .base import Code, Id, Model, Revised, ShortText, Text, bound, code_field, suggested
from .levels import LEVELS, Levels
from .regulator import RegulatorFacts, region_problem


class Department(Model):
    """部门/车间."""

    id: Id = Field(description="部门编号（内部编号：英文小写、数字、-）")
    code: Code | None = code_field("部门编号")
    name: ShortText = Field(description="部门名称")
    head: ShortText | None = Field(default=None, description="部门负责人")
    kind: suggested(["管理部门", "部门", "车间", "班组", "分公司", "工区"]) = Field(default="管理部门", description="类别，如 管理部门、车间、班组、分公司")


class Post(Model):
    """岗位/工种."""

    id: Id = Field(description="岗位编号（内部编号：英文小写、数字、-，用作文件名）")
    code: Code | None = code_field("岗位编号")
    name: ShortText = Field(description="岗位名称")
    department: Id = Field(description="所属部门编号")
    headcount: int = Field(ge=0, le=100000, description="在岗人数")
    certificate: ShortText | None = Field(default=None, description="需持有的特种作业/从业资格证书；不需要则省略")
    key_post: bool = Field(default=True, description="是否重点岗位（需编制岗位作业流程标准）")
    manager: bool = Field(default=False, description="是否管理人员岗位（年度至少两次考试）")

    @property
    def special_operation(self) -> bool:
        return self.certificate is not None


class Person(Model):
    name: ShortText = Field(description="姓名")
    title: ShortText = Field(description="职务")
    phone: ShortText | None = Field(default=None, description="联系电话")
    certificate: ShortText | None = Field(default=None, description="资格证书（如注册安全工程师）")


class SafetyAgency(Model):
    """安全管理机构."""

    name: ShortText = Field(description="机构名称，如 安全管理部")
    department: Id | None = Field(default=None, description="对应的部门编号")
    head: Person = Field(description="机构负责人")


class KeyPeople(Model):
    principal: Person = Field(description="主要负责人")
    deputy: Person | None = Field(default=None, description="分管安全负责人")
    safety_agency: SafetyAgency = Field(description="安全管理机构")
    safety_officers: list[Person] = Field(min_length=1, description="专职安全员")


class Issuer(Model):
    """发文机关: the identity on the enterprise's notices."""

    full_name: ShortText = Field(description="发文机关全称（署名、印发机关）")
    mark: ShortText = Field(description="发文机关标志，如“××有限公司文件”")
    code: ShortText = Field(description="机关代字，用于发文字号，如“晋通运安”")
    seal: str | None = Field(default=None, description="印章图片（PNG，相对企业目录的路径）")

    @field_validator("code")
    @classmethod
    def _code(cls, v: str) -> str:
        if any(c in v for c in "〔〕[]()（）第号0123456789"):
            raise ValueError("机关代字只写代字本身（如“晋通运安”），年份和序号另填")
        return v


class Phone(Model):
    name: ShortText = Field(description="名称，如 火警、公司应急值班")
    number: ShortText = Field(description="电话号码")


class RiskBand(Model):
    level: Literal["重大", "较大", "一般", "低"] = Field(description="风险等级")
    min: float = Field(description="分值下限")
    inclusive: bool = Field(default=False, description="下限是否包含（LEC 通常“大于”，LS 通常“大于等于”）")


def _default_lec() -> list[RiskBand]:
    return [RiskBand(level="重大", min=320), RiskBand(level="较大", min=160), RiskBand(level="一般", min=70)]


def _default_ls() -> list[RiskBand]:
    return [
        RiskBand(level="重大", min=20, inclusive=True),
        RiskBand(level="较大", min=15, inclusive=True),
        RiskBand(level="一般", min=9, inclusive=True),
    ]


class RiskProfile(Model):
    """风险分级标准: bands per method, configurable because provinces differ."""

    name: ShortText = Field(default="通用（LEC：>320 红、>160 橙、>70 黄；LS：≥20 红、≥15 橙、≥9 黄）", description="标准名称")
    lec: list[RiskBand] = Field(default_factory=_default_lec, description="LEC 法 D 值分级（从高到低）")
    ls: list[RiskBand] = Field(default_factory=_default_ls, description="风险矩阵 R 值分级（从高到低）")

    def level_for(self, method: str, score: float) -> RiskLevel:
        bands = self.lec if method == "LEC" else self.ls
        for band in sorted(bands, key=lambda b: -b.min):
            if score > band.min or (band.inclusive and score == band.min):
                return RiskLevel.from_zh(band.level)
        return RiskLevel.LOW


class SiteSettings(Model):
    base_url: str = Field(default="http://localhost:8000/", description="内网站点地址（告知卡二维码指向此处）")
    logo: str | None = Field(default=None, description="站点标志图片（相对企业目录）")
    primary_color: Literal[
        "red", "pink", "purple", "deep-purple", "indigo", "blue", "light-blue", "cyan", "teal", "green",
        "light-green", "lime", "yellow", "amber", "orange", "deep-orange", "brown", "grey", "blue-grey", "black", "white",
    ] = Field(default="indigo", description="主题色（Material 调色板名）")
    show_exam_results: bool = Field(default=False, description="是否在培训页面公布考试结果（仅姓名与岗位）")

    @field_validator("base_url")
    @classmethod
    def _url(cls, v: str) -> str:
        if not v.startswith(("http://", "https://")):
            raise ValueError("站点地址应以 http:// 或 https:// 开头")
        return v if v.endswith("/") else v + "/"


class FontMap(Model):
    """公文字体: the names written into the .docx (the standard's by default)."""

    xiaobiaosong: ShortText = Field(default="方正小标宋简体", description="小标宋（发文机关标志、标题）")
    fangsong: ShortText = Field(default="仿宋_GB2312", description="仿宋（正文）")
    heiti: ShortText = Field(default="黑体", description="黑体（一级标题、密级）")
    kaiti: ShortText = Field(default="楷体_GB2312", description="楷体（二级标题、签发人姓名）")
    songti: ShortText = Field(default="宋体", description="宋体（页码）")
    files: dict[str, str] = Field(default_factory=dict, description="已授权字体文件（字体名 → 相对企业目录的路径），用于 PDF 嵌入")


class AudienceGroup(Model):
    """A group of people a training item is for (承包商作业人员, 转岗人员, 驾驶员 …)."""

    posts: list[Id] = Field(default_factory=list, description="组内的岗位编号（培训计入这些岗位的学时）；不按岗位划分的人员组不填")
    headcount: int | None = Field(default=None, ge=0, le=10_000_000, description="人数（不填时为所含岗位在岗人数之和）")
    description: ShortText | None = Field(default=None, description="说明，如“外来施工单位进入厂区作业的人员”")


class Settings(Model):
    min_questions_per_post: int = Field(default=10, ge=0, description="每个岗位至少应有的题目数")
    min_questions_per_type: int = Field(default=2, ge=0, description="每个岗位每种题型至少应有的题目数")
    count_general_questions: bool = Field(
        default=True, description="统计岗位题量时是否计入通用题（posts 含“通用”的题目，每个岗位的试卷都可抽到）；false 则只计本岗位题目",
    )
    risk_profile: RiskProfile = Field(default_factory=RiskProfile, description="风险分级标准")
    fonts: FontMap = Field(default_factory=FontMap, description="公文字体")
    booklet_size: Literal["A4", "A5"] = Field(default="A5", description="岗位手册纸张")
    card_size: Literal["auto", "A4", "A3"] = Field(
        default="auto",
        description="岗位安全风险告知卡纸张：auto（排得下一页时用 A4，否则用 A3）、A4 或 A3；单个岗位可在告知卡文件中用 size 指定",
    )
    require_three_levels: bool = Field(
        default=False, description="要求三级安全检查清单齐全（单位清单、车间（部门）表册、岗位（班组）卡片）：缺少时为错误，否则为警告",
    )
    list_names: list[ShortText] = Field(
        default_factory=lambda: ["安全检查清单", "隐患清单", "整改清单"],
        min_length=3, max_length=3, description="“三张清单”的名称（各地叫法不同）",
    )
    levels: list[ShortText] = Field(
        default_factory=lambda: list(LEVELS), min_length=4, max_length=4,
        description="本企业四个管理层级的叫法，依次对应 公司、车间、班组、岗位，如 [公司, 部门, 班组, 岗位]；检查清单的层级名称、责任层级和风险管控层级都按此印出",
    )

    @field_validator("levels")
    @classmethod
    def _levels(cls, v: list[str]) -> list[str]:
        if len(set(v)) != len(v):
            raise ValueError("四个层级的叫法不能重复")
        return v

    @property
    def level_names(self) -> Levels:
        return Levels(tuple(self.levels))  # type: ignore[arg-type]


RegionCode = Annotated[str, StringConstraints(pattern=r"^\d{6}$")]


class Region(Model):
    """行政区划: which region packs of the library apply (local documents apply only where issued).

    The one place of an enterprise's region: the regulator's documents and the fleet view read it too
    (the old `regulator.region` / `regulator.region_name` are still read and moved here, with a warning)."""

    code: RegionCode | None = Field(default=None, description="行政区划代码（6 位，县级），如 140404；不填时取统一社会信用代码第 3–8 位")
    name: ShortText | None = Field(default=None, description="行政区划名称，如 山西省长治市上党区（印在监管部门的报表和一览表上）")
    town: ShortText | None = Field(default=None, description="乡镇（街道），如 八义镇；不填时按地址判断")

    @field_validator("code")
    @classmethod
    def _code(cls, v: str | None) -> str | None:
        if v is not None and (problem := region_problem(v)):
            raise ValueError(problem)
        return v


class Enterprise(Revised):
    """企业基本信息."""

    id: Id = Field(description="企业编号（与目录名一致）")
    name: ShortText = Field(description="企业全称")
    short_name: ShortText = Field(description="企业简称")
    credit_code: str = Field(description="统一社会信用代码（18 位）")
    industry: ShortText = Field(description="行业，如 道路运输、工贸")
    industry_tags: list[ShortText] = Field(default_factory=list, description="细分行业，如 普货、危货")
    address: ShortText | None = Field(default=None, description="地址")
    region: Region | None = Field(default=None, description="行政区划（决定适用哪些地方文件）；不填时由统一社会信用代码得出")
    employees: int = Field(ge=0, le=10_000_000, description="从业人员数")
    headcount_note: Text | None = Field(
        default=None, description="岗位人数说明：各岗位在岗人数之和远少于从业人员数时说明原因（如 未列入行政后勤人员）",
    )
    revenue_wan: float = Field(ge=0, description="营业收入（万元）")
    departments: list[Department] = Field(min_length=1, description="部门")
    posts: list[Post] = Field(min_length=1, description="岗位/工种")
    key_people: KeyPeople = Field(description="主要负责人、安全管理机构、专职安全员")
    issuer: Issuer = Field(description="发文机关（公文）")
    emergency_phones: list[Phone] = Field(default_factory=list, max_length=8, description="应急电话",
                                          **bound("应急电话印在每张岗位安全风险告知卡（一页 A4）和岗位手册的电话框里，只列最要紧的几个"))
    audiences: dict[ShortText, list[Id] | AudienceGroup] = Field(
        default_factory=dict,
        description="培训的人员组（组名 → 岗位编号列表，或 {posts, headcount, description}），如 驾驶员: [hazmat-driver, freight-driver]、承包商作业人员: {headcount: 12}；培训计划的 audience 可写组名",
    )
    question_banks: list[Id] = Field(default_factory=list, description="引用的公共题库（公共内容库 content/library 中本企业适用的国家层和地区包的 questions/ 下的编号）")
    site: SiteSettings = Field(default_factory=SiteSettings, description="站点设置")
    settings: Settings = Field(default_factory=Settings, description="其他设置")
    intro: Text | None = Field(default=None, description="企业简介")
    regulator: RegulatorFacts | None = Field(default=None, description="监管信息：证照、持证、标准化、应急预案、事故记录、行政区划、监管部门")

    @field_validator("credit_code")
    @classmethod
    def _credit(cls, v: str) -> str:
        v = v.strip().upper()
        problem = credit_code_problem(v)
        if problem:
            raise ValueError(problem)
        return v

    @property
    def region_code(self) -> str:
        """The 6-digit 行政区划 code: given, or digits 3–8 of the credit code."""
        return self.region.code if self.region and self.region.code else self.credit_code[2:8]

    @property
    def region_name(self) -> str | None:
        """The 行政区划 name, when given."""
        return self.region.name if self.region else None

    @model_validator(mode="after")
    def _region_from_regulator(self) -> Enterprise:
        """The region's old place, `regulator.region` and `regulator.region_name` (deprecated): moved into
        `region` when it does not say otherwise (check_regulator warns that the old fields are used)."""
        facts = self.regulator
        if facts is None or not (facts.region or facts.region_name):
            return self
        region = self.region or Region()
        if facts.region and region.code and facts.region != region.code:
            raise ValueError(f"regulator.region（{facts.region}）与 region.code（{region.code}）不一致；行政区划只写在 region 中")
        self.region = region.model_copy(update={"code": region.code or facts.region, "name": region.name or facts.region_name})
        return self

    @property
    def size_class(self) -> SizeClass:
        return size_class(self.employees, self.revenue_wan)

    def post(self, post_id: str) -> Post | None:
        return next((p for p in self.posts if p.id == post_id), None)

    def department(self, dep_id: str) -> Department | None:
        return next((d for d in self.departments if d.id == dep_id), None)

    def audience(self, name: str) -> AudienceGroup | None:
        """An audience group by name, as an AudienceGroup whatever way it was written."""
        group = self.audiences.get(name)
        if group is None or isinstance(group, AudienceGroup):
            return group
        return AudienceGroup(posts=list(group))

    def audience_headcount(self, name: str) -> int | None:
        group = self.audience(name)
        if group is None:
            return None
        if group.headcount is not None:
            return group.headcount
        return sum(p.headcount for pid in group.posts if (p := self.post(pid))) if group.posts else None
