"""一试: exam rules (exam_rules.yaml) and exam history (exam_history.yaml); pass marks are in `generators.rules`."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from ..rules import (  # noqa: F401 (re-exported)
    EXAM_KINDS,
    FAIL_CONSEQUENCE,
    FIRST_YEAR_KINDS,
    FULL_MARKS,
    KIND_LABELS,
    KIND_SHORT,
    LATER_YEAR_KINDS,
    PASS_MARKS,
    RESIT_FAIL_CONSEQUENCE,
    pass_mark,
    passed,
)
from ..zh import num
from .base import Code, Id, Model, ShortText, code_field
from .learning import QuestionType

ExamKind = Literal["first", "year-end", "annual"]
TYPE_ORDER: tuple[str, ...] = ("单选", "多选", "判断")
DIFFICULTIES: tuple[str, ...] = ("易", "中", "难")
MAX_PAPER_QUESTIONS = 200


class TypeRule(Model):
    """One section of a paper: a question type, how many, how many points each."""

    type: QuestionType = Field(description="题型：单选、多选、判断")
    count: int = Field(ge=1, le=200, description="题目数量")
    points: float = Field(gt=0, le=100, description="每题分值（整数或半分，如 2、2.5）")

    @field_validator("points")
    @classmethod
    def _whole_or_half(cls, v: float, info: ValidationInfo) -> float:
        if abs(v * 2 - round(v * 2)) > 1e-9:
            what = f"{info.data['count']} 道{info.data['type']}题" if "count" in info.data and "type" in info.data else "每题"
            raise ValueError(f"{what}每题 {num(v)} 分：每题分值只能是整数或半分（如 2、2.5），阅卷时才不会出现零碎的分数；请调整题量和分值")
        return v


class ExamSpec(Model):
    """The rules of one exam kind."""

    sections: list[TypeRule] = Field(min_length=1, description="各题型的数量与分值（总分须为 100 分）")
    general_share: float = Field(default=0.3, ge=0, le=1, description="通用题目所占比例（0–1），其余为本岗位题目")
    difficulty: dict[Literal["易", "中", "难"], float] = Field(
        default_factory=dict, description="难度比例，如 {易: 0.3, 中: 0.5, 难: 0.2}；不填则不限"
    )
    duration: int = Field(default=60, ge=10, le=240, description="考试时长（分钟）")

    @field_validator("sections", mode="before")
    @classmethod
    def _not_too_many(cls, v: Any) -> Any:
        """The paper's length is judged before each section's points, so that it is said even then."""
        if isinstance(v, list):
            total = sum(s["count"] for s in v if isinstance(s, dict) and isinstance(s.get("count"), int))
            if total > MAX_PAPER_QUESTIONS:
                raise ValueError(f"一份试卷最多 {MAX_PAPER_QUESTIONS} 道题，现为 {total} 道："
                                 f"考试时长最多 240 分钟，题目过多考生答不完；请减少各题型的数量 count")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> "ExamSpec":
        types = [s.type for s in self.sections]
        if len(set(types)) != len(types):
            raise ValueError("同一题型只能出现一次")
        if self.total_count > MAX_PAPER_QUESTIONS:
            raise ValueError(f"一份试卷最多 {MAX_PAPER_QUESTIONS} 道题，现为 {self.total_count} 道："
                             f"考试时长最多 240 分钟，题目过多考生答不完；请减少各题型的数量 count")
        total = self.total_points
        if abs(total - FULL_MARKS) > 1e-6:
            detail = " + ".join(f"{s.type}{s.count}×{num(s.points)}" for s in self.sections)
            raise ValueError(f"试卷总分应为 {FULL_MARKS} 分（及格线按百分制），现为 {detail} = {num(total)} 分")
        if self.difficulty:
            if any(v < 0 for v in self.difficulty.values()):
                raise ValueError("难度比例不能为负数")
            share = sum(self.difficulty.values())
            if abs(share - 1) > 0.001:
                raise ValueError(f"难度比例之和应为 1，现为 {num(share)}")
        return self

    @property
    def total_points(self) -> float:
        return sum(s.count * s.points for s in self.sections)

    @property
    def total_count(self) -> int:
        return sum(s.count for s in self.sections)

    def ordered_sections(self) -> list[TypeRule]:
        return sorted(self.sections, key=lambda s: TYPE_ORDER.index(s.type))


class PaperSpec(Model):
    """A paper the build makes: one post, one exam kind, one seed."""

    post: Id = Field(description="岗位编号")
    kind: ExamKind = Field(description="考试类别：first（首次考试）、year-end（年终考试）、annual（第二年起）")
    seed: int = Field(default=1, ge=0, le=2**31, description="抽题种子（同一种子得到同一份试卷）")
    code: Code | None = code_field("试卷编号（不填时印“岗位名称 + 考试类别（第 N 套）”）")


class Consequences(Model):
    """What happens to those who fail (the enterprise's own rules; the default is seed 000 §三(二)4)."""

    fail: ShortText | None = Field(default=FAIL_CONSEQUENCE, description="考试不合格的处理（印在试卷、答案和成绩单上）；写 null 则不印")
    resit_fail: ShortText | None = Field(default=RESIT_FAIL_CONSEQUENCE, description="补考仍不合格的处理；本企业制度没有规定的写 null，则不印")


class ExamRules(Model):
    """考试规则 (exam_rules.yaml)."""

    title: ShortText = Field(default="安全生产知识考试", description="试卷标题")
    first_exam_year: int | None = Field(
        default=None, ge=2000, le=2100,
        description="本企业第一年组织全员考试的年份：这一年出首次考试（60 分及格）和年终考试（70 分）试卷，此后各年出第二年起（80 分）试卷",
    )
    post_first_exam_year: dict[Id, int] = Field(
        default_factory=dict, description="个别岗位第一年考试的年份（如新设岗位），写成 岗位编号: 年份；其余岗位按 first_exam_year",
    )
    max_points: float = Field(default=6, gt=0, le=100, description="每题最高分值（一道题分值过大，对错就能左右是否及格）")
    consequences: Consequences = Field(default_factory=Consequences, description="不合格和补考不合格的处理（按本企业制度填写）")
    kinds: dict[ExamKind, ExamSpec] = Field(min_length=1, description="各考试类别的组卷规则")
    papers: list[PaperSpec] = Field(default_factory=list, description="构建时生成的试卷（岗位、类别、种子）")

    def spec(self, kind: str) -> ExamSpec | None:
        return self.kinds.get(kind)  # type: ignore[call-overload]

    def first_year(self, post_id: str) -> int | None:
        """The year the post's people sat their first exams, if exam_rules.yaml says."""
        return self.post_first_exam_year.get(post_id, self.first_exam_year)

    def applies(self, paper: PaperSpec, year: int) -> bool | None:
        """Whether a paper can be sat in `year`: 首次/年终 in the first year of testing, 第二年起 from
        the second year on; None when the first year is not known."""
        first = self.first_year(paper.post)
        if first is None:
            return None
        if year < first:
            return False
        return paper.kind in (FIRST_YEAR_KINDS if year == first else LATER_YEAR_KINDS)

    def papers_for(self, year: int) -> list[PaperSpec]:
        """The papers a build in `year` makes (all listed papers when the first year is not known)."""
        return [p for p in self.papers if self.applies(p, year) is not False]

    def points_by_type(self, year: int) -> dict[str, float]:
        """每题分值 by question type in `year`'s papers (every kind when no paper is listed): a type
        whose points differ between those kinds has none (its points depend on the paper)."""
        kinds = {p.kind for p in self.papers_for(year)} or set(self.kinds)
        seen: dict[str, set[float]] = {}
        for kind in kinds:
            spec = self.spec(kind)
            for sec in spec.sections if spec else []:
                seen.setdefault(sec.type, set()).add(sec.points)
        return {t: next(iter(v)) for t, v in seen.items() if len(v) == 1}


def consequences_of(content) -> Consequences:
    """The enterprise's consequences of failing (exam_rules.yaml), or the default."""
    rules = content.extras.get("exam_rules")
    return rules.consequences if isinstance(rules, ExamRules) else Consequences()


def consequence_text(c: Consequences, resit: bool = True) -> str:
    """The consequences as one sentence for a paper ("…。") or a key (both parts); "" when none."""
    parts = [x.rstrip("。；;. ") for x in ((c.fail, c.resit_fail) if resit else (c.fail,)) if x]
    return "；".join(parts) + "。" if parts else ""


class ExamRecord(Model):
    """One person's sitting of one exam: the questions drawn and, once marked, the score."""

    person: ShortText = Field(description="姓名")
    post: Id = Field(description="岗位编号")
    kind: ExamKind = Field(description="考试类别")
    date: dt.date = Field(description="考试日期")
    exam: ShortText | None = Field(default=None, description="试卷的内部编号（文件名），如 driver-first-7")
    questions: list[Id] = Field(default_factory=list, description="试卷中的题目编号")
    score: float | None = Field(default=None, ge=0, le=FULL_MARKS, description="成绩")
    resit: bool = Field(default=False, description="是否补考")

    @field_validator("questions")
    @classmethod
    def _unique(cls, v: list[str]) -> list[str]:
        if len(set(v)) != len(v):
            raise ValueError("题目编号有重复")
        return v

    @property
    def result(self) -> bool | None:
        """True passed, False failed, None not marked yet."""
        return None if self.score is None else passed(self.score, self.kind)


class ExamHistory(Model):
    """考试记录 (exam_history.yaml): who got which questions, and their scores."""

    records: list[ExamRecord] = Field(default_factory=list, description="考试记录")

    def latest(self, person: str | None, post: str) -> list[ExamRecord]:
        """The previous paper(s) to avoid: the person's last one, or the post's last sitting."""
        mine = [r for r in self.records if r.post == post and (person is None or r.person == person) and r.questions]
        if not mine:
            return []
        if person is not None:
            return [max(mine, key=lambda r: (r.date, mine.index(r)))]
        last = max(r.date for r in mine)
        return [r for r in mine if r.date == last]
