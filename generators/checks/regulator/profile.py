"""Rating profiles (评价细则): content/library/rubrics/<name>.yaml, else the tool's own copy.

A profile lists the items of the 专项检查 (安全管理机构和安全设施设备, 安全生产标准化运行,
隐患源头治理体系, 风险分级管控执行, 全员素质提升), each with a weight and scoring rules. A rule
names a *measure* (`measures.MEASURES`: computed from the content, or from the inspector's
findings in inspections/<year>.yaml), its points inside the item and its parameters; the profile
also sets the grade thresholds, the caps, the 差别监管 frequencies and the 标杆 share.

Where profiles are found: the content library's `rubrics/` folder (beside `enterprises/`), then
the profiles the tool carries (`generators.paths.default_rubrics()`); a library file overrides the
tool's file of the same name, so a department adjusts a profile by saving its own copy.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field, ValidationError, field_validator, model_validator

from ... import paths
from ...load import default_library
from ...model import Content
from ...model.base import Id, Model, ShortText, Text
from ...model.regulator_lines import FINDING_IDS
from . import facts as F

GRADES: tuple[str, ...] = ("优", "良", "中", "差")
RATINGS_WITH_BENCHMARK: tuple[str, ...] = ("标杆", *GRADES)


class RubricError(ValueError):
    """A rubric profile that cannot be used; the message is Chinese and names the file."""


Measure = Literal[
    "agency", "officer_ratio", "key_people_certified", "certificates", "licences", "standardization",
    "responsibility_posts", "job_standard_posts", "checklist_levels", "checklist_posts", "emergency_filed",
    "drill_recent", "hazards_on_time", "hazards_self_found", "major_hazards_controlled", "risk_posts",
    "risk_recent", "riskmap", "risk_cards", "handbook", "question_bank", "training_plan", "training_posts",
    "exam_rules", "exam_pass_rate", "quiz_pass_rate", "finding",
]

CapCondition = Literal[
    "dangerous_behaviour", "major_hazard_overdue", "hazards_overdue", "licence_expired", "licence_missing", "finding_failed",
    "fatal_accident", "standardization_missing",
]


class Rule(Model):
    id: Id = Field(description="规则编号（在本项内唯一）")
    measure: Measure = Field(description="计分指标（见 generators/checks/regulator/measures.py 的指标目录）")
    points: float = Field(gt=0, le=100, description="本规则在该项内的分值权重")
    label: ShortText | None = Field(default=None, description="规则名称；省略时用指标的默认名称")
    item: Id | None = Field(default=None, description="measure 为 finding 时：六必查检查项编号")
    params: dict[str, float | int | str] = Field(default_factory=dict, description="指标参数")

    @model_validator(mode="after")
    def _finding(self) -> Rule:
        if self.measure == "finding":
            if self.item is None:
                raise ValueError("measure 为 finding 的规则必须填写六必查检查项编号 item")
            if self.item not in FINDING_IDS:
                raise ValueError(f"六必查检查项“{self.item}”不存在（可用：{'、'.join(sorted(FINDING_IDS))}）")
        elif self.item is not None:
            raise ValueError("只有 measure 为 finding 的规则才填写 item")
        return self


class Item(Model):
    id: Id = Field(description="评价项目编号")
    title: ShortText = Field(description="评价项目名称（专项检查内容）")
    weight: float = Field(gt=0, le=100, description="权重（各项权重之和一般为 100）")
    rules: list[Rule] = Field(min_length=1, description="计分规则")

    @field_validator("rules")
    @classmethod
    def _unique(cls, v: list[Rule]) -> list[Rule]:
        ids = [r.id for r in v]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise ValueError(f"规则编号重复：{'、'.join(sorted(dup))}")
        return v


class Cap(Model):
    when: CapCondition = Field(description="条件")
    max: Literal["良", "中", "差"] = Field(description="满足条件时等次最高为")
    reason: ShortText = Field(description="理由（写入评价说明）")
    params: dict[str, float | int | str] = Field(default_factory=dict, description="条件参数")


class RequiredLicence(Model):
    kind: ShortText = Field(description="证照名称")
    tags_any: list[ShortText] = Field(default_factory=list, description="仅当企业细分行业含其中之一时要求（空为均要求）")


class Supervision(Model):
    """差别监管: routine inspections a year by rating, and what else applies."""

    frequency: dict[Literal["标杆", "优", "良", "中", "差"], int] = Field(description="每年检查次数（按评价等次；标杆为选树的标杆企业）")
    measures: dict[Literal["标杆", "优", "良", "中", "差"], Text] = Field(default_factory=dict, description="监管措施说明")

    @field_validator("frequency")
    @classmethod
    def _all(cls, v: dict[str, int]) -> dict[str, int]:
        missing = [g for g in RATINGS_WITH_BENCHMARK if g not in v]
        if missing:
            raise ValueError(f"检查频次缺少：{'、'.join(missing)}")
        if any(n < 1 or n > 12 for n in v.values()):
            raise ValueError("每年检查次数应为 1–12 次（每家企业每年至少检查一次）")
        return v


class BenchmarkSpec(Model):
    """标杆: the share and what "双重预防机制高标准落实" means in scores."""

    permille: float = Field(default=10, gt=0, le=1000, description="选树比例（‰）")
    dual_prevention_items: list[Id] = Field(default_factory=lambda: ["hazard-governance", "risk-control"], description="双重预防机制对应的评价项目")
    dual_prevention_min: float = Field(default=0.9, gt=0, le=1, description="双重预防各项得分率不低于")


class Rubric(Model):
    """评价细则 (content/library/rubrics/<id>.yaml)."""

    id: Id = Field(description="细则编号（与文件名一致）")
    title: ShortText = Field(description="细则名称")
    industries: list[ShortText] = Field(default_factory=list, description="适用行业（与 enterprise.yaml 的 industry 比较；空为通用）")
    basis: Text | None = Field(default=None, description="制定依据（只在 basis_regions 内的企业的表上印出）")
    basis_regions: list[str] = Field(default_factory=list, description="依据适用的行政区划代码前缀，如 1404")
    required_licences: list[RequiredLicence] = Field(default_factory=list, description="本行业应持有的证照")
    standardization_required: bool = Field(default=False, description="是否要求取得安全生产标准化等级（高危行业）")
    standardization_tags: list[ShortText] = Field(default_factory=list, description="仅当企业细分行业含其中之一时要求标准化等级（空为均要求）")
    expiry_warning_days: int = Field(default=F.EXPIRY_WARNING_DAYS, ge=1, le=366, description="证照到期提前提醒天数")
    drill_interval_days: int = Field(default=365, ge=30, le=731, description="应急演练最长间隔（天）")
    thresholds: dict[Literal["优", "良", "中"], float] = Field(description="等次分数线（百分制）：达到即为该等次，低于“中”为差")
    items: list[Item] = Field(min_length=1, description="评价项目")
    caps: list[Cap] = Field(default_factory=list, description="限制等次的条件")
    supervision: Supervision = Field(description="差别监管")
    benchmark: BenchmarkSpec = Field(default_factory=BenchmarkSpec, description="标杆企业")

    @model_validator(mode="after")
    def _consistent(self) -> Rubric:
        t = self.thresholds
        if set(t) != {"优", "良", "中"}:
            raise ValueError("thresholds 应给出 优、良、中 三条分数线")
        if not (100 >= t["优"] > t["良"] > t["中"] > 0):
            raise ValueError("分数线应满足 100 ≥ 优 > 良 > 中 > 0")
        ids = [i.id for i in self.items]
        if len(set(ids)) != len(ids):
            raise ValueError("评价项目编号重复")
        for iid in self.benchmark.dual_prevention_items:
            if iid not in ids:
                raise ValueError(f"benchmark.dual_prevention_items 中的项目“{iid}”不在 items 中")
        return self

    def required_for(self, content: Content) -> list[str]:
        tags = set(content.enterprise.industry_tags)
        out = []
        for r in self.required_licences:
            if not r.tags_any or any(any(t in tag for tag in tags) for t in r.tags_any):
                out.append(r.kind)
        return out

    def standardization_needed(self, content: Content) -> bool:
        if not self.standardization_required:
            return False
        tags = content.enterprise.industry_tags
        return not self.standardization_tags or any(t in tag for t in self.standardization_tags for tag in tags)

    def basis_applies(self, content: Content) -> bool:
        code = F.region(content) or ""
        return bool(self.basis) and any(code.startswith(p) for p in self.basis_regions)



def load_rubric(path: Path | str) -> Rubric:
    """The profile at `path`, validated (cached while the file is unchanged; treat it as read-only)."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError as exc:
        raise RubricError(f"无法读取评价细则 {path}：{exc}") from exc
    return _load_rubric(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _load_rubric(name: str, mtime_ns: int, size: int) -> Rubric:
    path = Path(name)
    try:
        text = path.read_text(encoding="utf-8")
        try:
            data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: ~20× faster
        except yaml.YAMLError:
            data = yaml.safe_load(text)  # raises with the pure-Python parser's wording, as the message always had
    except (OSError, yaml.YAMLError) as exc:
        raise RubricError(f"无法读取评价细则 {path}：{exc}") from exc
    if not isinstance(data, dict):
        raise RubricError(f"评价细则 {path} 的顶层应为“字段名: 值”的集合")
    try:
        rubric = Rubric.model_validate(data)
    except ValidationError as exc:
        problems = "；".join(f"{'.'.join(str(p) for p in e['loc']) or '（顶层）'}：{e['msg']}" for e in exc.errors())
        raise RubricError(f"评价细则 {path} 有误：{problems}") from exc
    if rubric.id != path.stem:
        raise RubricError(f"评价细则 {path} 的编号“{rubric.id}”与文件名不一致")
    return rubric



def rubric_dirs(content: Content) -> list[Path]:
    """Where profiles are looked up, in order of precedence: the content library's rubrics/, then
    the tool's own."""
    lib = default_library(content.root)
    dirs = ([lib / "rubrics"] if lib is not None else []) + [paths.default_rubrics()]
    return [d for d in dict.fromkeys(d.resolve() for d in dirs) if d.is_dir()]


def rubric_files(content: Content) -> dict[str, Path]:
    """Every profile by name (file stem); a library file hides the tool's file of the same name."""
    found: dict[str, Path] = {}
    for d in reversed(rubric_dirs(content)):
        for path in sorted(d.glob("*.yaml")):
            found[path.stem] = path
    return dict(sorted(found.items()))


def rubric_for(content: Content, name: str | None = None) -> Rubric:
    """The named profile, else the one whose industries include the enterprise's, else default."""
    files = rubric_files(content)
    if name is not None:
        if name in files:
            return load_rubric(files[name])
        raise RubricError(f"评价细则“{name}”不存在（查找位置：{'、'.join(str(d) for d in rubric_dirs(content)) or '无'}）")
    industry = content.enterprise.industry
    for stem, path in files.items():
        if stem != "default" and industry in load_rubric(path).industries:
            return load_rubric(path)
    if "default" in files:
        return load_rubric(files["default"])
    raise RubricError(f"找不到评价细则 default.yaml（查找位置：{'、'.join(str(d) for d in rubric_dirs(content)) or '无'}）")


__all__ = [
    "GRADES",
    "RATINGS_WITH_BENCHMARK",
    "BenchmarkSpec",
    "Cap",
    "CapCondition",
    "Item",
    "Measure",
    "RequiredLicence",
    "Rubric",
    "RubricError",
    "Rule",
    "Supervision",
    "load_rubric",
    "rubric_dirs",
    "rubric_files",
    "rubric_for",
]
