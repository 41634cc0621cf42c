"""Documents: 制度, 三年行动 plans, 公文 (notices), the handbook composition and library knowledge."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any, Literal, Union

from pydantic import Field, field_validator, model_validator

from ..zh import em_width, title_width, zh_date
from .base import Id, Model, Revised, ShortText, Text
from .industry import fits

# ---------------------------------------------------------------- 制度 policies


class PolicyChapter(Model):
    title: ShortText = Field(description="章标题（不含“第一章”，自动编号）")
    articles: list[Text] = Field(min_length=1, description="条款（不含“第一条”，全文连续自动编号）")


class Policy(Revised):
    """安全生产管理制度 (policies/<id>.yaml): chapters and articles."""

    id: Id = Field(description="制度编号")
    title: ShortText = Field(description="制度名称")
    chapters: list[PolicyChapter] = Field(min_length=1, description="章")


# ---------------------------------------------------------------- 行动方案 plans


class PlanTask(Model):
    title: ShortText = Field(description="任务名称，如“安全责任体系对标落实”")
    content: Text = Field(description="任务内容")
    responsible: ShortText = Field(description="责任单位")
    deadline: dt.date | str = Field(description="完成时限，如 2023-06-30 或“2023年6月”")
    phase: ShortText | None = Field(default=None, description="所属阶段")

    @field_validator("deadline")
    @classmethod
    def _deadline(cls, v: dt.date | str) -> dt.date | str:
        if isinstance(v, str) and not re.fullmatch(r"\d{4}年(1[0-2]|[1-9])月(底|前|([1-9]|[12]\d|3[01])日)?|长期坚持|持续推进", v):
            raise ValueError(f"完成时限“{v}”应写成日期（2023-06-30）或“2023年6月”“2023年6月底”")
        return v

    @property
    def deadline_text(self) -> str:
        if isinstance(self.deadline, dt.date):
            return f"{self.deadline.year}年{self.deadline.month}月{self.deadline.day}日"
        return self.deadline


class PlanSection(Model):
    title: ShortText = Field(description="部分标题（自动编号“一、”）")
    paragraphs: list[Text] = Field(default_factory=list, description="段落")
    tasks: list[PlanTask] = Field(default_factory=list, description="任务（自动编号 1. 2. …）")


class PlanPhase(Model):
    name: ShortText = Field(description="阶段名称，如 动员部署、集中攻坚、治本提升、总结评估")
    start: dt.date = Field(description="开始日期")
    end: dt.date = Field(description="结束日期")
    work: Text = Field(description="本阶段工作")

    @model_validator(mode="after")
    def _order(self) -> "PlanPhase":
        if self.end < self.start:
            raise ValueError("阶段结束日期早于开始日期")
        return self


class Plan(Revised):
    """行动方案/实施细则 (plans/<id>.yaml), three-year-action style."""

    id: Id = Field(description="方案编号")
    title: ShortText = Field(description="方案名称")
    preamble: list[Text] = Field(default_factory=list, description="引言段落")
    sections: list[PlanSection] = Field(min_length=1, description="各部分")
    phases: list[PlanPhase] = Field(default_factory=list, description="实施步骤（阶段）")

    @model_validator(mode="after")
    def _phases(self) -> "Plan":
        names = {p.name for p in self.phases}
        for section in self.sections:
            for task in section.tasks:
                if task.phase and names and task.phase not in names:
                    raise ValueError(f"任务“{task.title}”的阶段“{task.phase}”不在 phases 中")
        return self


# ---------------------------------------------------------------- 公文 notices


class Heading(Model):
    """A heading of the notice body; its level (一、/（一）/1./（1）) follows from nesting."""

    heading: ShortText = Field(description="标题文字（不含序号，自动编号）")
    text: Text | None = Field(default=None, description="紧随标题同段的文字（三、四级标题常用）")
    body: list["Block"] = Field(default_factory=list, description="下级内容")


Block = Union[str, Heading]
Heading.model_rebuild()


class DocNumber(Model):
    """发文字号: 机关代字〔年份〕序号号."""

    code: ShortText | None = Field(default=None, description="机关代字（默认用发文机关的代字）")
    year: int = Field(ge=1949, le=2100, description="年份（四位）")
    seq: int = Field(ge=1, le=99999, description="序号（不编虚位，不加“第”）")

    def render(self, default_code: str) -> str:
        return f"{self.code or default_code}〔{self.year}〕{self.seq}号"


class Attachment(Model):
    title: ShortText | None = Field(default=None, description="附件名称（引用制度或方案时可省略）")
    policy: Id | None = Field(default=None, description="引用的制度编号：全文排入附件")
    plan: Id | None = Field(default=None, description="引用的方案编号：全文排入附件")
    body: list[Block] = Field(default_factory=list, description="附件正文（不引用时）")

    @model_validator(mode="after")
    def _one_source(self) -> "Attachment":
        sources = [x for x in (self.policy, self.plan) if x] + ([1] if self.body else [])
        if len(sources) != 1:
            raise ValueError("附件必须且只能有一种内容：policy、plan 或 body")
        if not self.title and not (self.policy or self.plan):
            raise ValueError("附件需要名称 title")
        return self


class Secrecy(Model):
    level: Literal["秘密", "机密", "绝密"] = Field(description="密级")
    period: ShortText | None = Field(default=None, description="保密期限，如“1年”")


class Notice(Revised):
    """公文 (notices/<id>.yaml), laid out per GB/T 9704-2012."""

    id: Id = Field(description="公文编号（文件名）")
    number: DocNumber = Field(description="发文字号")
    title: ShortText = Field(description="标题")
    to: ShortText = Field(description="主送机关（不含冒号）")
    body: list[Block] = Field(min_length=1, description="正文：字符串为段落，heading 为各级标题")
    attachments: list[Attachment] = Field(default_factory=list, description="附件")
    signature: ShortText | None = Field(default=None, description="署名（默认发文机关全称）")
    date: dt.date = Field(description="成文日期")
    seal: bool = Field(default=False, description="加盖印章（使用发文机关的印章图片）")
    note: ShortText | None = Field(default=None, description="附注（不含括号）")
    cc: list[ShortText] = Field(default_factory=list, description="抄送机关")
    printer: ShortText | None = Field(default=None, description="印发机关（默认发文机关全称或其办公室）")
    print_date: dt.date | None = Field(default=None, description="印发日期（默认成文日期）")
    copy_number: str | None = Field(default=None, description="份号（6 位数字）")
    secrecy: Secrecy | None = Field(default=None, description="密级和保密期限")
    urgency: Literal["特急", "加急"] | None = Field(default=None, description="紧急程度")
    signer: ShortText | None = Field(default=None, description="签发人（上行文才填）")

    @field_validator("copy_number")
    @classmethod
    def _copy(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"\d{6}", v):
            raise ValueError("份号应为 6 位阿拉伯数字，如 000123")
        return v

    @field_validator("title", "to")
    @classmethod
    def _no_trailing_colon(cls, v: str) -> str:
        return v.rstrip("：:")

    @property
    def upward(self) -> bool:
        return self.signer is not None


# ---------------------------------------------------------------- 应知应会手册


class HandbookSpec(Revised):
    """应知应会手册的组成 (handbook.yaml)."""

    title: ShortText = Field(default="安全生产应知应会手册", description="手册名称")
    edition: ShortText = Field(description="版次，如“2026年版”")
    general: list[Id] = Field(min_length=1, description="通用知识：引用的公共知识编号（公共内容库 content/library 中本企业适用的国家层和地区包的 knowledge/）")
    extra_general: list[Id] = Field(default_factory=list, description="通用知识：本企业的制度编号（policies）")
    posts: list[Id] = Field(default_factory=list, description="专业知识包含的岗位（默认全部岗位）")
    foreword: list[Text] = Field(default_factory=list, description="前言段落")


class KnowledgeSection(Model):
    title: ShortText = Field(description="节标题")
    industry: list[ShortText] = Field(default_factory=list, description="本节适用行业（空为全部；其他行业的企业看不到本节）")
    paragraphs: list[Text] = Field(default_factory=list, description="段落")
    points: list[Text] = Field(default_factory=list, description="要点（列表）")
    basis: list[ShortText] = Field(default_factory=list, description="出处")


class Knowledge(Revised):
    """公共知识 (content/library/national|regions/<code>/knowledge/<id>.yaml): laws, standards, industry rules."""

    id: Id = Field(description="知识编号")
    title: ShortText = Field(description="标题")
    industry: list[ShortText] = Field(default_factory=list, description="适用行业（空为全部）")
    sections: list[KnowledgeSection] = Field(min_length=1, description="各节")

    def for_industry(self, names: list[str]) -> "Knowledge":
        """The chapter as an enterprise of the industries `names` reads it: without the sections
        and revisions tagged for other industries (the chapter's own tag is checked, not applied: see
        checks.structure.knowledge_industry)."""
        kept = [s for s in self.sections if fits(s.industry, names)]
        revisions = [r for r in self.revisions if fits(r.industry, names)]
        if len(kept) == len(self.sections) and len(revisions) == len(self.revisions):
            return self
        return self.model_copy(update={"sections": kept, "revisions": revisions})


# ---------------------------------------------------------------- what a notice can show (GB/T 9704-2012)

HEADING_LEVELS = 4  # 7.3.3: 一、 （一） 1. （1）
MAX_ATTACHMENTS = 20  # 7.3.4: the 附件说明 lists every attachment by number
TITLE_LINE_CHARS, TITLE_MAX_LINES = 20, 3  # 7.3.1: 2号 (22 pt) over the 156 mm text width; lines
# Lines break between words (7.3.1), which needs room: titles up to 55 字 wide broke into three lines
# at word boundaries in a trial of 1,400 titles built from the samples' document names; 54 leaves a margin.
TITLE_MAX_WIDTH = 54
TO_LINE_CHARS, TO_MAX_LINES = 28, 4  # 7.3.2: 3号 lines of the first page, which must show the body
IMPRINT_LINE_CHARS, CC_MAX_LINES = 29, 3  # 7.4.2: 4号 (14 pt) less 1 字 each side; lines of the 版记
SIGNATURE_MAX_CHARS = 26  # 7.3.5: one line, 2 字 from the right edge
PRINTED_LINE_CHARS = 31  # 7.4.3: one 4号 line: 印发机关 1 字 in, 印发日期 1 字 in, a 字 between


def _wide(width: float) -> str:
    return f"{width:g}"


def _deep_headings(blocks: list[Any], path: tuple, depth: int = 1):
    """(path, depth, heading) of every heading deeper than the standard's four levels (the
    shallowest of each deep branch)."""
    for i, block in enumerate(blocks):
        if isinstance(block, Heading):
            if depth > HEADING_LEVELS:
                yield (*path, i, "heading"), depth, block.heading
            else:
                yield from _deep_headings(block.body, (*path, i, "body"), depth + 1)


def _title_problem(title: str, what: str) -> str | None:
    width = title_width(title)
    if width <= TITLE_MAX_WIDTH:
        return None
    return (f"{what}约 {_wide(round(width))} 字宽，排成 2 号小标宋（每行 {TITLE_LINE_CHARS} 字）超过 {TITLE_MAX_LINES} 行："
            f"GB/T 9704-2012 第 7.3.1 条要求标题回行时词意完整、排成梯形或菱形，本工具最多排 {TITLE_MAX_LINES} 行"
            f"（约 {TITLE_MAX_WIDTH} 字宽以内，按词回行需要余量），请精简{what}")


def notice_problems(notice: "Notice", printer: str, attachment_titles: list[str | None]) -> list[tuple[tuple, str]]:
    """(path, message) for each part of a notice that GB/T 9704-2012 or the page cannot show:
    a fifth heading level, more than 20 attachments, a title over three lines, 主送机关 or 抄送机关
    too long for their place, a 署名 or an 印发 line over one line. `printer` is the 印发机关
    printed (the notice's or the default), `attachment_titles` each attachment's title (None when
    its policy or plan is missing)."""
    out: list[tuple[tuple, str]] = []
    levels = "“一、”“（一）”“1.”“（1）”"
    bodies = [(("body",), notice.body, "正文")]
    bodies += [(("attachments", i, "body"), a.body, f"附件{i + 1}") for i, a in enumerate(notice.attachments)]
    for base, blocks, where in bodies:
        for path, depth, heading in _deep_headings(blocks, base):
            out.append((path, f"{where}的标题“{heading}”是第 {depth} 级：GB/T 9704-2012 第 7.3.3 条的结构层次序数依次为 {levels}，"
                              f"只有四级；请把它并入上一级的文字，或改为段落"))
    if len(notice.attachments) > MAX_ATTACHMENTS:
        out.append((("attachments",), f"附件有 {len(notice.attachments)} 个，超过 {MAX_ATTACHMENTS} 个：GB/T 9704-2012 第 7.3.4 条要求附件说明"
                                      f"逐一列出附件的顺序号和名称，本工具最多 {MAX_ATTACHMENTS} 个；请把附件合并为汇编，或分成几件公文印发"))
    problem = _title_problem(notice.title, "标题")
    if problem:
        out.append((("title",), problem))
    for i, (a, title) in enumerate(zip(notice.attachments, attachment_titles)):
        problem = _title_problem(title, f"附件{i + 1}的标题") if title else None
        if problem:
            field = "title" if a.title else ("policy" if a.policy else "plan")
            out.append((("attachments", i, field), problem))
    width = em_width(notice.to) + 1
    if width > TO_LINE_CHARS * TO_MAX_LINES:
        out.append((("to",), f"主送机关约 {_wide(width)} 字宽，排 3 号仿宋超过 {TO_MAX_LINES} 行：GB/T 9704-2012 第 7.3.2 条要求公文首页"
                             f"显示正文，主送机关过多时应移至版记；请精简主送机关（如“公司各部门”）"))
    if notice.cc:
        width = em_width("抄送：" + "，".join(notice.cc) + "。")
        if math.ceil(width / IMPRINT_LINE_CHARS) > CC_MAX_LINES:
            out.append((("cc",), f"抄送机关约 {_wide(width)} 字宽，排 4 号仿宋超过 {CC_MAX_LINES} 行：GB/T 9704-2012 第 7.4.2 条把抄送机关"
                                 f"排在末页版记中、印发机关和印发日期之上，本工具最多排 {CC_MAX_LINES} 行；请精简抄送机关"))
    if notice.signature and em_width(notice.signature) > SIGNATURE_MAX_CHARS:
        out.append((("signature",), f"署名约 {_wide(em_width(notice.signature))} 字宽，超过一行（{SIGNATURE_MAX_CHARS} 字）："
                                    f"GB/T 9704-2012 第 7.3.5 条要求署名在成文日期之上排成一行；请用发文机关的规范化简称"))
    printed = em_width(printer) + em_width(zh_date(notice.print_date or notice.date) + "印发") + 3
    if printed > PRINTED_LINE_CHARS:
        out.append((("printer",) if notice.printer else ("id",),
                    f"印发机关“{printer}”和印发日期排 4 号仿宋超过一行：GB/T 9704-2012 第 7.4.3 条要求印发机关左空一字、"
                    f"印发日期右空一字排在同一行，本工具一行 {PRINTED_LINE_CHARS} 字；请用印发机关的规范化简称（如“××公司办公室”）"))
    return out


def walk_blocks(blocks: list[Any], depth: int = 0):
    """Yield (depth, block) for every block of a notice body, depth-first."""
    for block in blocks:
        yield depth, block
        if isinstance(block, Heading):
            yield from walk_blocks(block.body, depth + 1)
