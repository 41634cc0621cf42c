"""一库 一训: the question bank and the yearly training plan."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from .base import Chars, Code, Coded, Id, Revised, ShortText, Text, bound, code_field, suggested

QuestionType = Literal["单选", "多选", "判断"]
LETTERS = "ABCDEFGH"
GENERAL = "通用"

TRUE_WORDS = {"正确", "对", "√", "✓", "是", "true", "True", "TRUE", "T", "Y"}
FALSE_WORDS = {"错误", "错", "×", "✗", "否", "false", "False", "FALSE", "F", "N"}


def parse_answer(value: Any, qtype: str) -> str | bool:
    """Normalise an answer as offices write it ("ABD", "A,B,D", 正确/错误, √/×)."""
    if qtype == "判断":
        if isinstance(value, bool):
            return value
        text = str(value).strip()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise ValueError(f"判断题答案应为 正确/错误（或 对/错、√/×），不能是“{text}”")
    if isinstance(value, list):
        text = "".join(str(v) for v in value)
    else:
        text = str(value)
    letters = "".join(c for c in text.upper() if c not in " ,，、;；")
    if not letters or any(c not in LETTERS for c in letters):
        raise ValueError(f"答案“{text}”应由选项字母 A–H 组成，如 B 或 ABD")
    if len(set(letters)) != len(letters):
        raise ValueError(f"答案“{text}”中有重复的字母")
    return "".join(sorted(letters))


class Question(Coded):
    """题库中的一道题."""

    id: Id = Field(description="题目编号（内部编号：英文小写、数字、-；考试记录按它引用；不填时由 code 生成）")
    code: Code | None = code_field("题号")
    type: QuestionType = Field(description="题型：单选、多选、判断")
    stem: Chars(500) = Field(description="题干", **bound("题干印在试卷上，考生须在限定时间内读完作答；案例材料请精简到关键事实"))  # type: ignore[valid-type]
    options: list[ShortText] = Field(default_factory=list, description="选项（按 A、B、C… 顺序，判断题不填）")
    answer: str | bool = Field(description="答案：单选 B；多选 ABD；判断 正确/错误")
    explanation: Text | None = Field(default=None, description="解析")
    knowledge_point: ShortText = Field(description="知识点")
    posts: list[str] = Field(default_factory=lambda: [GENERAL], description="适用岗位编号；全员适用写“通用”")
    difficulty: Literal["易", "中", "难"] = Field(default="中", description="难度")
    basis: ShortText | None = Field(default=None, description="出题依据（法规、标准、制度）")

    @field_validator("options")
    @classmethod
    def _options(cls, v: list[str]) -> list[str]:
        if len(set(v)) != len(v):
            raise ValueError("选项有重复")
        return v

    @field_validator("answer", mode="before")
    @classmethod
    def _key_fits_type(cls, value: Any, info: ValidationInfo) -> str | bool:
        """The key must be valid for the type: 单选 one letter, 多选 at least two, 判断 true/false."""
        qtype = info.data.get("type")
        if qtype is None:
            return value  # the type error is reported on its own
        answer = parse_answer(value, qtype)
        if qtype == "判断":
            if info.data.get("options"):
                raise ValueError("判断题不填选项 options")
            return answer
        if "options" not in info.data:
            return answer  # the options are wrong and reported on their own
        options = info.data["options"]
        if not 2 <= len(options) <= len(LETTERS):
            raise ValueError(f"{qtype}题应有 2–8 个选项，现有 {len(options)} 个")
        if any(LETTERS.index(c) >= len(options) for c in str(answer)):
            raise ValueError(f"答案“{answer}”超出了选项范围（共 {len(options)} 个选项）")
        if qtype == "单选" and len(str(answer)) != 1:
            raise ValueError(f"单选题只能有一个答案，现为“{answer}”")
        if qtype == "多选" and len(str(answer)) < 2:
            raise ValueError(f"多选题至少要有两个答案，现为“{answer}”")
        return answer

    @property
    def general(self) -> bool:
        return GENERAL in self.posts

    @property
    def answer_text(self) -> str:
        if isinstance(self.answer, bool):
            return "正确" if self.answer else "错误"
        return self.answer


class QuestionBank(Revised):
    """A file under questions/ (or content/library/questions/)."""

    id: Id | None = Field(default=None, description="题库编号（公共题库必填）")
    title: ShortText | None = Field(default=None, description="题库名称")
    questions: list[Question] = Field(min_length=1, description="题目")


TRAINING_KINDS = [
    "三级安全教育", "主要负责人培训", "安全管理人员培训", "特种作业人员培训", "从业资格继续教育",
    "岗位技能培训", "班前安全教育", "警示教育", "应急演练", "复训补考", "新技术新设备培训",
    "再培训", "年度再培训", "专项培训",
]
# who a training item is for, besides post ids and the enterprise's own groups (enterprise.yaml audiences)
AUDIENCE_KEYWORDS = {"全员": "全体员工", "主要负责人": "主要负责人", "安全管理人员": "安全管理人员", "新员工": "新员工"}


class TrainingItem(Coded):
    id: Id = Field(description="培训项目编号（内部编号：英文小写、数字、-；不填时由 code 生成）")
    code: Code | None = code_field("培训项目编号")
    topic: ShortText = Field(description="培训主题")
    kind: suggested(TRAINING_KINDS) = Field(description="培训类别，如 三级安全教育、年度再培训、专项培训（可按本企业的叫法）")
    audience: list[ShortText] = Field(
        min_length=1,
        description="参训对象：岗位编号、enterprise.yaml 中 audiences 定义的人员组（如 驾驶员、承包商作业人员），或 全员、主要负责人、安全管理人员、新员工",
    )
    hours: float = Field(gt=0, le=400, description="学时")
    month: int = Field(ge=1, le=12, description="计划月份")
    trainer: ShortText | None = Field(default=None, description="授课人或培训机构；未定则省略")
    content: list[Chars(200)] = Field(default_factory=list, max_length=10, description="主要内容",  # type: ignore[valid-type]
                                      **bound("培训计划排成表格，主要内容写在培训主题下的一个格子里；详细的课程安排请另附教案"))
    assessment: ShortText | None = Field(default=None, description="考核方式")


class TrainingPlan(Revised):
    """年度培训计划 (training.yaml)."""

    year: int = Field(ge=2000, le=2100, description="年度")
    hours_per_day: float = Field(default=8, gt=0, le=12, description="每天折算学时")
    items: list[TrainingItem] = Field(min_length=1, description="培训项目")


# The Excel bank template (docs/题库导入模板.md): `anquan import-bank` reads it, the excel output writes it.
BANK_SHEET = "题库"
CITATION_SHEET = "出题依据"
OPTION_HEADERS = [f"选项{c}" for c in LETTERS]
BANK_HEADERS = ["题号", "题型", "题干", *OPTION_HEADERS, "答案", "解析", "分值", "难度", "题库/分类", "知识点", "适用岗位", "依据"]
