"""一试 and 一训: exam papers with answer keys, result sheets, the training plan PDF.

- `plan_paper` draws a paper from exam_rules.yaml, deterministic by seed (random.Random(seed)):
  counts and points per type, the share of 通用 vs post questions, the difficulty mix when the
  bank allows it, and no question from the person's previous paper when a history is given.
- `anquan exam` writes exams/<post>-<kind>-<seed>-paper.docx/.pdf and -key.docx.
- `anquan exam-results` applies the pass mark (60/70/80, seed 000) to a score sheet and lists
  who must be retrained and re-sit (补考), as .xlsx and PDF.
- the "exams" builder makes the papers listed in exam_rules.yaml, training/plan.pdf and the
  Excel exports (excel/).
- `site_exam_results(content)` is what the site's training page shows (name, post, result).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import random
import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import bank as _bank  # noqa: F401  registers the question bank checks
from .build import BuildContext, Job, register_kinds
from .check import register_check
from .cli import register_command
from .loader import Diagnostics, FileKind, register_kind
from .model import GENERAL, Content, Post, Question, zh_date
from .model.exam import (
    DIFFICULTIES,
    EXAM_KINDS,
    FULL_MARKS,
    KIND_LABELS,
    ExamHistory,
    ExamRecord,
    ExamRules,
    ExamSpec,
    TypeRule,
    pass_mark,
    passed,
)

register_kinds("exams", "exam-paper", "exam-paper-pdf", "exam-key", "training-plan", "excel")

TYPE_TITLES = {"单选": "单项选择题", "多选": "多项选择题", "判断": "判断题"}
TYPE_HINTS = {
    "单选": "每题只有一个正确答案，将其字母填入括号内",
    "多选": "每题有两个或两个以上正确答案，将其字母填入括号内，多选、少选、错选均不得分",
    "判断": "正确的在括号内画“√”，错误的画“×”",
}
CN_SECTION = "一二三四五六七八九十"
PAPER_TEMPLATES = ["typst/paper.typ", "typst/common.typ"]
RESULT_TEMPLATES = ["exam/results.html", "exam/exam.css", "pdf/base.html"]
PLAN_TEMPLATES = ["exam/training_plan.html", "exam/exam.css", "pdf/base.html"]


# ================================================================== file kinds


def _rules_hook(files: dict, content: Content, diags: Diagnostics) -> None:
    for loaded in files.get("exam_rules", []):
        rules: ExamRules = loaded.model
        content.extras["exam_rules"] = rules
        content.sources["exam_rules"] = loaded.display
        seen: dict[tuple, int] = {}
        for i, paper in enumerate(rules.papers):
            if content.enterprise.post(paper.post) is None:
                diags.error(loaded, ("papers", i, "post"), f"岗位“{paper.post}”不存在（可用：{'、'.join(p.id for p in content.posts)}）")
            if paper.kind not in rules.kinds:
                diags.error(loaded, ("papers", i, "kind"), f"考试类别“{paper.kind}”在 kinds 中没有组卷规则（已定义：{'、'.join(rules.kinds)}）")
            key = (paper.post, paper.kind, paper.seed)
            if key in seen:
                diags.error(loaded, ("papers", i), f"试卷 {paper.post}-{paper.kind}-{paper.seed} 与第 {seen[key] + 1} 项重复")
            seen.setdefault(key, i)


def _history_hook(files: dict, content: Content, diags: Diagnostics) -> None:
    for loaded in files.get("exam_history", []):
        history: ExamHistory = loaded.model
        content.extras["exam_history"] = history
        content.sources["exam_history"] = loaded.display
        known = {q.id for q in content.questions}
        for i, rec in enumerate(history.records):
            if content.enterprise.post(rec.post) is None:
                diags.error(loaded, ("records", i, "post"), f"岗位“{rec.post}”不存在（可用：{'、'.join(p.id for p in content.posts)}）")
            for j, qid in enumerate(rec.questions):
                if qid not in known:
                    diags.warning(loaded, ("records", i, "questions", j), f"题目“{qid}”已不在题库中（可能已修订删除），抽题时不再涉及")


register_kind(FileKind("exam_rules", "考试规则", ExamRules, None, "exam_rules"), _rules_hook)
register_kind(FileKind("exam_history", "考试记录", ExamHistory, None, "exam_history", "records"), _history_hook)


# ================================================================== drawing a paper


class ExamImpossible(Exception):
    """The bank cannot satisfy the rules; `problems` says why, in Chinese."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass
class Section:
    rule: TypeRule
    questions: list[Question]

    @property
    def title(self) -> str:
        return TYPE_TITLES[self.rule.type]

    @property
    def points(self) -> float:
        return self.rule.count * self.rule.points


@dataclass
class Paper:
    exam_id: str
    enterprise: str
    title: str
    post: Post
    kind: str
    seed: int
    spec: ExamSpec
    sections: list[Section]
    notes: list[str] = field(default_factory=list)  # rules met only in part (difficulty mix)
    excluded: list[str] = field(default_factory=list)  # ids left out because of the history

    @property
    def pass_mark(self) -> int:
        return pass_mark(self.kind)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def question_ids(self) -> list[str]:
        return [q.id for s in self.sections for q in s.questions]

    def key_data(self) -> dict[str, Any]:
        return {
            "exam_id": self.exam_id, "enterprise": self.enterprise, "title": self.title, "post": self.post.model_dump(),
            "kind": self.kind, "spec": self.spec.model_dump(mode="json"),
            "sections": [[q.model_dump(mode="json") for q in s.questions] for s in self.sections],
        }


def _largest_remainder(total: int, weights: list[float]) -> list[int]:
    """Split `total` by `weights` into integers that add up to it (ties go to the earlier item)."""
    s = sum(weights)
    if total <= 0 or s <= 0:
        return [0] * len(weights)
    ideal = [total * w / s for w in weights]
    out = [int(x) for x in ideal]
    order = sorted(range(len(weights)), key=lambda i: (-(ideal[i] - out[i]), i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def _max_flow(needs: list[int], targets: list[int], caps: list[list[int]]) -> list[list[int]]:
    """Integer allocation x[g][d] ≤ caps[g][d] with row sums ≤ needs and column sums ≤ targets, maximal."""
    ng, nd = len(needs), len(targets)
    n = 2 + ng + nd
    src, sink = 0, n - 1
    cap = [[0] * n for _ in range(n)]
    for g in range(ng):
        cap[src][1 + g] = needs[g]
        for d in range(nd):
            cap[1 + g][1 + ng + d] = caps[g][d]
    for d in range(nd):
        cap[1 + ng + d][sink] = targets[d]
    flow = [[0] * n for _ in range(n)]
    while True:
        parent = [-1] * n
        parent[src] = src
        queue = deque([src])
        while queue and parent[sink] < 0:
            u = queue.popleft()
            for v in range(n):
                if parent[v] < 0 and cap[u][v] - flow[u][v] > 0:
                    parent[v] = u
                    queue.append(v)
        if parent[sink] < 0:
            break
        push, v = float("inf"), sink
        while v != src:
            u = parent[v]
            push = min(push, cap[u][v] - flow[u][v])
            v = u
        v = sink
        while v != src:
            u = parent[v]
            flow[u][v] += push
            flow[v][u] -= push
            v = u
    return [[max(0, flow[1 + g][1 + ng + d]) for d in range(nd)] for g in range(ng)]


def _mix_text(counts: dict[str, int]) -> str:
    return "、".join(f"{d} {n}" for d, n in counts.items())


def plan_paper(
    content: Content,
    rules: ExamRules,
    post_id: str,
    kind: str,
    seed: int,
    exclude: set[str] | frozenset[str] = frozenset(),
) -> Paper:
    """Draw a paper. Raises ExamImpossible (Chinese reasons) when the bank cannot meet the rules."""
    post = content.enterprise.post(post_id)
    if post is None:
        raise ExamImpossible([f"岗位“{post_id}”不存在（可用：{'、'.join(p.id for p in content.posts)}）"])
    spec = rules.spec(kind)
    if spec is None:
        raise ExamImpossible([f"exam_rules.yaml 中没有“{KIND_LABELS.get(kind, kind)}”（{kind}）的组卷规则"])
    rng = random.Random(seed)
    sections = spec.ordered_sections()
    n_general = round(spec.total_count * spec.general_share + 1e-9)
    general_counts = _largest_remainder(n_general, [s.count for s in sections])
    general_counts = [min(g, s.count) for g, s in zip(general_counts, sections)]

    # groups: (section index, origin, need, pool)
    groups: list[tuple[int, str, int, list[Question]]] = []
    problems: list[str] = []
    for i, (s, g) in enumerate(zip(sections, general_counts)):
        for origin, need in (("通用", g), ("岗位", s.count - g)):
            if need <= 0:
                continue
            if origin == "通用":
                every = [q for q in content.questions if q.type == s.type and q.general]
            else:
                every = [q for q in content.questions if q.type == s.type and not q.general and post_id in q.posts]
            pool = sorted((q for q in every if q.id not in exclude), key=lambda q: q.id)
            if len(pool) < need:
                what = "通用题" if origin == "通用" else f"“{post.name}”岗位题"
                gone = len(every) - len(pool)
                extra = f"（另有 {gone} 道出现在上一份试卷中，已排除）" if gone else ""
                problems.append(f"{s.type}题需要{what} {need} 道，题库中只有 {len(pool)} 道{extra}")
            groups.append((i, origin, need, pool))
    if problems:
        share = f"通用题占 {spec.general_share:.0%}"
        raise ExamImpossible(problems + [f"请补充题目，或在 exam_rules.yaml 中调整“{KIND_LABELS[kind]}”的题量或比例（{share}）"])

    notes: list[str] = []
    picked: list[list[Question]] = [[] for _ in groups]
    caps = [[sum(1 for q in pool if q.difficulty == d) for d in DIFFICULTIES] for _, _, _, pool in groups]
    needs = [need for _, _, need, _ in groups]
    if spec.difficulty:
        targets = _largest_remainder(spec.total_count, [spec.difficulty.get(d, 0) for d in DIFFICULTIES])  # type: ignore[call-overload]
        alloc = _max_flow(needs, targets, caps)
        if sum(map(sum, alloc)) < spec.total_count:
            achieved_ok = False
        else:
            achieved_ok = True
    else:
        targets, alloc, achieved_ok = [], [[0] * len(DIFFICULTIES) for _ in groups], True
    for k, (_, _, need, pool) in enumerate(groups):
        chosen: list[Question] = []
        for d_index, d in enumerate(DIFFICULTIES):
            bucket = [q for q in pool if q.difficulty == d]
            chosen += rng.sample(bucket, alloc[k][d_index])
        rest = [q for q in pool if q not in chosen]
        chosen += rng.sample(rest, need - len(chosen))
        picked[k] = chosen
    if spec.difficulty and not achieved_ok:
        got = {d: sum(1 for qs in picked for q in qs if q.difficulty == d) for d in DIFFICULTIES}
        want = dict(zip(DIFFICULTIES, targets))
        notes.append(f"难度比例无法完全满足：规则要求 {_mix_text(want)} 道，题库可用题目只能组成 {_mix_text(got)} 道；请补充相应难度的题目")

    out_sections = []
    for i, s in enumerate(sections):
        qs = [q for k, (gi, _, _, _) in enumerate(groups) if gi == i for q in picked[k]]
        rng.shuffle(qs)
        out_sections.append(Section(s, qs))
    return Paper(
        exam_id=f"{post_id}-{kind}-{seed}", enterprise=content.enterprise.name, title=rules.title, post=post, kind=kind,
        seed=seed, spec=spec, sections=out_sections, notes=notes, excluded=sorted(exclude),
    )


def option_layout(options: list[str]) -> int:
    """Options per line: 4 when all are short, 2 when fairly short, else 1."""
    longest = max((len(o) for o in options), default=0)
    if len(options) <= 4 and longest <= 8:
        return 4
    if longest <= 18:
        return 2
    return 1


_BLANK = re.compile(r"[（(][ \t\u3000]*[）)]")
ANSWER_BLANK = "（\u3000\u3000\u3000）"


def _stem_with_blank(q: Question) -> str:
    """The stem with a blank wide enough to write "ABCD" or "√" in; one is added when missing."""
    stem = q.stem.rstrip()
    if _BLANK.search(stem):
        return _BLANK.sub(ANSWER_BLANK, stem)
    return stem + ANSWER_BLANK


def _pts(x: float) -> str:
    return f"{x:g}"


def section_heading(i: int, s: Section) -> str:
    return f"{CN_SECTION[i]}、{s.title}（共 {s.rule.count} 题，每题 {_pts(s.rule.points)} 分，共 {_pts(s.points)} 分）"


# ================================================================== Word output


def _fonts(content: Content) -> tuple[str, str]:
    f = content.enterprise.settings.fonts
    return f.songti, f.heiti


def _set_run_font(run, east_asian: str, size_pt: float | None = None, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = "Times New Roman"
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), east_asian)
    rfonts.set(qn("w:ascii"), "Times New Roman")
    rfonts.set(qn("w:hAnsi"), "Times New Roman")
    if size_pt:
        run.font.size = Pt(size_pt)
    if bold:
        run.bold = True


def _new_document(content: Content, title: str, subject: str):
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    songti, _ = _fonts(content)
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(2.2), Cm(2.2)
    sec.left_margin, sec.right_margin = Cm(2.5), Cm(2.5)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(11.5)
    rpr = normal.element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), songti)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    pf = normal.paragraph_format
    pf.space_before, pf.space_after = Pt(0), Pt(2)
    pf.line_spacing = 1.25
    stamp = dt.datetime(content.build_date.year, content.build_date.month, content.build_date.day)
    cp = doc.core_properties
    cp.title, cp.subject, cp.author, cp.last_modified_by = title, subject, content.enterprise.name, "anquan"
    cp.created = cp.modified = cp.last_printed = stamp
    cp.revision = 1
    cp.language = "zh-CN"
    # footer: 第 X 页 共 Y 页
    footer = sec.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in ("第 ", "PAGE", " 页  共 ", "NUMPAGES", " 页"):
        if part in ("PAGE", "NUMPAGES"):
            _field(footer, part, songti)
        else:
            _set_run_font(footer.add_run(part), songti, 9)
    return doc


def _field(paragraph, code: str, font: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind, text in (("begin", None), ("instr", f" {code} "), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        _set_run_font(run, font, 9)
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
            run._element.append(el)
        elif kind == "text":
            run.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._element.append(el)


def _para(doc, text: str = "", font: str = "", size: float | None = None, bold: bool = False, align: str | None = None,
          before: float = 0, after: float = 2, indent_cm: float = 0, keep_next: bool = False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    p = doc.add_paragraph()
    if text:
        _set_run_font(p.add_run(text), font, size, bold)
    if align:
        p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT, "left": WD_ALIGN_PARAGRAPH.LEFT}[align]
    p.paragraph_format.space_before = Pt(before)
    p.paragraph_format.space_after = Pt(after)
    if indent_cm:
        p.paragraph_format.left_indent = Cm(indent_cm)
    if keep_next:
        p.paragraph_format.keep_with_next = True
    return p


def _cell_text(cell, text: str, font: str, size: float = 11, bold: bool = False, center: bool = False) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.space_before = Pt(0)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    lines = text.split("\n")
    for k, line in enumerate(lines):
        if k:
            p = cell.add_paragraph()
            p.paragraph_format.space_after = Pt(0)
        if line:
            _set_run_font(p.add_run(line), font, size, bold)


def _table(doc, rows: int, widths_cm: list[float]):
    from docx.shared import Cm

    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = doc.add_table(rows=rows, cols=len(widths_cm))
    table.style = "Table Grid"
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for row in table.rows:
        for c, w in enumerate(widths_cm):
            row.cells[c].width = Cm(w)
    for c, w in enumerate(widths_cm):
        table.columns[c].width = Cm(w)
    return table


def _row_height(row, cm: float) -> None:
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.shared import Cm

    row.height = Cm(cm)
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _keep_row(row) -> None:
    """A row that does not break across pages (a question and its answer stay together)."""
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _heading_block(doc, content: Content, paper: Paper, suffix: str) -> None:
    songti, heiti = _fonts(content)
    _para(doc, content.enterprise.name, heiti, 16, align="center", after=2)
    _para(doc, f"{paper.title}{suffix}", heiti, 18, align="center", after=2)
    _para(doc, f"（{paper.post.name} · {paper.kind_label}）", songti, 12, align="center", after=6)


def paper_docx(content: Content, paper: Paper) -> bytes:
    """The paper a trainer hands out: header boxes, instructions, sections by type with points."""
    from docx.shared import Cm, Pt

    from .excel import fixed_zip

    songti, heiti = _fonts(content)
    doc = _new_document(content, f"{paper.title}（{paper.post.name}·{paper.kind_label}）", f"试卷编号 {paper.exam_id}")
    _heading_block(doc, content, paper, "")
    # name / post / date / score boxes
    t = _table(doc, 1, [1.6, 3.0, 1.6, 3.4, 1.6, 2.8, 1.6, 2.4])
    cells = t.rows[0].cells
    for c, (label, value) in enumerate((("姓名", ""), ("岗位", paper.post.name), ("日期", ""), ("得分", ""))):
        _cell_text(cells[2 * c], label, heiti, 11, center=True)
        _cell_text(cells[2 * c + 1], value, songti, 10.5, center=True)
    _row_height(t.rows[0], 1.0)
    _para(doc, "", after=2)
    # section score table
    n = len(paper.sections)
    widths = [2.0] + [2.2] * n + [2.4, 2.4]
    st = _table(doc, 2, widths)
    _cell_text(st.rows[0].cells[0], "题型", heiti, 10.5, center=True)
    _cell_text(st.rows[1].cells[0], "得分", heiti, 10.5, center=True)
    for i in range(n):
        _cell_text(st.rows[0].cells[1 + i], CN_SECTION[i], heiti, 10.5, center=True)
    _cell_text(st.rows[0].cells[n + 1], "总分", heiti, 10.5, center=True)
    _cell_text(st.rows[0].cells[n + 2], "阅卷人", heiti, 10.5, center=True)
    _row_height(st.rows[1], 0.9)
    _para(doc, "", after=2)
    notes = (
        f"考试时间 {paper.spec.duration} 分钟，满分 {FULL_MARKS} 分，{paper.pass_mark} 分及以上为合格"
        f"（{paper.kind_label}）。不合格者须停职培训，并参加补考。",
        "请用黑色或蓝色钢笔、签字笔作答，字迹清楚；闭卷考试，独立完成。",
    )
    _para(doc, "考生须知", heiti, 11, after=1)
    for k, line in enumerate(notes, start=1):
        _para(doc, f"{k}．{line}", songti, 10.5, after=1, indent_cm=0.4)
    number = 0
    for i, s in enumerate(paper.sections):
        _para(doc, section_heading(i, s), heiti, 12.5, before=10, after=1, keep_next=True)
        _para(doc, f"（{TYPE_HINTS[s.rule.type]}）", songti, 10, after=4, keep_next=True)
        for q in s.questions:
            number += 1
            stem_p = _para(doc, f"{number}．{_stem_with_blank(q)}", songti, 11.5, after=1, keep_next=bool(q.options))
            stem_p.paragraph_format.left_indent = Cm(0.65)
            stem_p.paragraph_format.first_line_indent = Cm(-0.65)
            if q.options:
                per_line = option_layout(q.options)
                labelled = [f"{'ABCDEFGH'[k]}．{o}" for k, o in enumerate(q.options)]
                for start in range(0, len(labelled), per_line):
                    chunk = labelled[start:start + per_line]
                    last = start + per_line >= len(labelled)
                    p = _para(doc, "", after=1 if not last else 5, indent_cm=0.65, keep_next=not last)
                    stops = p.paragraph_format.tab_stops
                    width = 16.0 - 0.65
                    for k in range(1, per_line):
                        stops.add_tab_stop(Cm(0.65 + width * k / per_line))
                    _set_run_font(p.add_run("\t".join(chunk)), songti, 11)
            else:
                stem_p.paragraph_format.space_after = Pt(5)
    _para(doc, "— 试卷结束 —", songti, 10, align="center", before=10)
    _para(doc, f"试卷编号：{paper.exam_id}", songti, 9, align="right")
    buf = io.BytesIO()
    doc.save(buf)
    return fixed_zip(buf.getvalue(), content.build_date)


def answer_strip(s: Section, start: int) -> str:
    return "　".join(f"{start + k}.{'√' if q.answer is True else '×' if q.answer is False else q.answer}" for k, q in enumerate(s.questions))


def key_docx(content: Content, paper: Paper) -> bytes:
    """参考答案及解析: quick answer strip per section, then a table with the stem, answer, explanation, basis."""
    from docx.shared import Cm

    from .excel import fixed_zip

    songti, heiti = _fonts(content)
    doc = _new_document(content, f"{paper.title}参考答案（{paper.post.name}·{paper.kind_label}）", f"试卷编号 {paper.exam_id}")
    _heading_block(doc, content, paper, "参考答案及解析")
    _para(doc, f"试卷编号：{paper.exam_id}　　满分 {FULL_MARKS} 分　　及格线 {paper.pass_mark} 分（{paper.kind_label}）", songti, 11, align="center", after=2)
    _para(doc, "评分标准：单选题、判断题答对得分；多选题全部选对得分，多选、少选、错选均不得分。", songti, 10.5, after=1)
    _para(
        doc, "及格线：首次考试 60 分、年终考试 70 分、第二年起 80 分及以上为合格。"
        "不合格者须停职培训并组织补考；补考仍不合格的，调离原工作岗位或予以解聘。", songti, 10.5, after=4,
    )
    _para(doc, "答案速查", heiti, 12, before=4, after=2)
    number = 1
    for i, s in enumerate(paper.sections):
        p = _para(doc, f"{CN_SECTION[i]}、{s.title}：", heiti, 10.5, after=3)
        _set_run_font(p.add_run(answer_strip(s, number)), songti, 10.5)
        number += len(s.questions)
    number = 0
    for i, s in enumerate(paper.sections):
        _para(doc, section_heading(i, s), heiti, 12, before=10, after=3, keep_next=True)
        t = _table(doc, 1 + len(s.questions), [1.4, 7.0, 1.6, 6.0])
        for c, h in enumerate(("题号", "题目", "答案", "解析与依据")):
            _cell_text(t.rows[0].cells[c], h, heiti, 10.5, center=True)
        _repeat_header(t.rows[0])
        for r, q in enumerate(s.questions, start=1):
            number += 1
            _keep_row(t.rows[r])
            cells = t.rows[r].cells
            stem = q.stem
            if q.options:
                stem += "\n" + "　".join(f"{'ABCDEFGH'[k]}．{o}" for k, o in enumerate(q.options))
            _cell_text(cells[0], str(number), songti, 10, center=True)
            _cell_text(cells[1], stem, songti, 10)
            _cell_text(cells[2], q.answer_text, heiti, 10.5, center=True)
            why = [q.explanation or f"知识点：{q.knowledge_point}"]
            if q.basis:
                why.append(f"依据：{q.basis}")
            _cell_text(cells[3], "\n".join(why), songti, 9.5)
    _para(doc, f"命题范围：{paper.post.name}岗位题与通用题；题目编号：{'、'.join(paper.question_ids)}", songti, 8.5, before=8)
    for c in doc.sections:
        c.left_margin = c.right_margin = Cm(2.5)
    buf = io.BytesIO()
    doc.save(buf)
    return fixed_zip(buf.getvalue(), content.build_date)


# ================================================================== PDF output


def _pdf(content: Content, template: str, data: dict, title: str, subject: str) -> bytes:
    from .pdf import fonts, render_pdf

    return render_pdf(
        template, data, stylesheets=["exam/exam.css"], title=title, date=content.build_date,
        author=content.enterprise.name, font_set=fonts(content), subject=subject,
    ).pdf


def paper_view(paper: Paper) -> dict:
    """What the PDF template needs, already in display form."""
    number = 0
    sections = []
    for i, s in enumerate(paper.sections):
        items = []
        for q in s.questions:
            number += 1
            items.append({
                "number": number, "stem": _stem_with_blank(q),
                "options": [{"letter": "ABCDEFGH"[k], "text": o} for k, o in enumerate(q.options)],
                "per_line": option_layout(q.options) if q.options else 0,
            })
        sections.append({"heading": section_heading(i, s), "hint": TYPE_HINTS[s.rule.type], "numeral": CN_SECTION[i], "questions": items})
    return {
        "enterprise": paper.enterprise, "title": paper.title, "post": paper.post.name, "kind_label": paper.kind_label,
        "exam_id": paper.exam_id, "duration": paper.spec.duration, "full": FULL_MARKS, "pass_mark": paper.pass_mark,
        "sections": sections,
    }


def paper_pdf(content: Content, paper: Paper) -> bytes:
    """The paper as PDF, typeset by Typst (site_templates/typst/paper.typ)."""
    from . import typst_pdf
    from .pdf import fonts

    return typst_pdf.render(
        "typst/paper.typ", paper_view(paper), title=f"{paper.title}（{paper.post.name}·{paper.kind_label}）",
        date=content.build_date, author=content.enterprise.name, font_set=fonts(content), subject=f"试卷编号 {paper.exam_id}",
    ).pdf


# ================================================================== results


@dataclass
class Result:
    name: str
    post: str
    post_name: str
    score: float
    date: dt.date
    passed: bool
    action: str


def apply_pass_marks(rows: list, content: Content, kind: str, resit: bool = False) -> list[Result]:
    out = []
    for r in rows:
        ok = passed(r.score, kind)
        post = content.enterprise.post(r.post)
        if ok:
            action = "—"
        elif resit:
            action = "补考不合格：调离原工作岗位或予以解聘"
        else:
            action = "停职培训，并组织补考"
        out.append(Result(r.name, r.post, post.name if post else r.post, r.score, r.date, ok, action))
    return out


def results_view(content: Content, results: list[Result], kind: str, resit: bool) -> dict:
    failed = [r for r in results if not r.passed]
    n = len(results)
    return {
        "enterprise": content.enterprise.name,
        "title": f"{KIND_LABELS[kind]}{'补考' if resit else ''}成绩及处理名单",
        "kind_label": KIND_LABELS[kind], "pass_mark": pass_mark(kind), "resit": resit,
        "dates": sorted({zh_date(r.date) for r in results}),
        "rows": [{"no": i, "name": r.name, "post": r.post_name, "date": zh_date(r.date), "score": _pts(r.score),
                  "result": "合格" if r.passed else "不合格", "action": r.action, "passed": r.passed} for i, r in enumerate(results, start=1)],
        "total": n, "passed": n - len(failed), "rate": f"{(n - len(failed)) / n:.1%}" if n else "—",
        "failed": [{"name": r.name, "post": r.post_name, "score": _pts(r.score)} for r in failed],
        "made": zh_date(content.build_date),
    }


def results_workbook(content: Content, view: dict):
    from openpyxl.styles import Alignment, Font, PatternFill

    from .excel import _put, _style_sheet, _workbook

    wb = _workbook(content.build_date)
    ws = wb.active
    ws.title = "成绩"
    heads = ["序号", "姓名", "岗位", "考试日期", "分数", "及格线", "结果", "处理意见"]
    ws.cell(1, 1, f"{view['enterprise']} {view['title']}").font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(heads))
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.cell(2, 1, f"参考 {view['total']} 人，合格 {view['passed']} 人，合格率 {view['rate']}；及格线 {view['pass_mark']} 分（{view['kind_label']}）")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(heads))
    for c, h in enumerate(heads, start=1):
        ws.cell(3, c, h)
    red = PatternFill("solid", fgColor="F8D7DA")
    for r, row in enumerate(view["rows"], start=4):
        for c, v in enumerate([row["no"], row["name"], row["post"], row["date"], float(row["score"]), view["pass_mark"], row["result"], row["action"]], start=1):
            _put(ws, r, c, v)
    _style_sheet(ws, heads, {"姓名": 12, "岗位": 18, "考试日期": 16, "处理意见": 34}, header_row=3)
    for r, row in enumerate(view["rows"], start=4):
        if not row["passed"]:
            for c in range(1, len(heads) + 1):
                ws.cell(r, c).fill = red
    ws2 = wb.create_sheet("补考名单")
    for c, h in enumerate(["序号", "姓名", "岗位", "分数", "处理意见"], start=1):
        ws2.cell(1, c, h)
    for r, row in enumerate([x for x in view["rows"] if not x["passed"]], start=2):
        for c, v in enumerate([r - 1, row["name"], row["post"], float(row["score"]), row["action"]], start=1):
            _put(ws2, r, c, v)
    _style_sheet(ws2, ["序号", "姓名", "岗位", "分数", "处理意见"], {"岗位": 18, "处理意见": 34})
    return wb


def site_exam_results(content: Content) -> list[dict] | None:
    """For the site's training page: the latest marked result per person, name and post only.

    None when `site.show_exam_results` is off. Each entry: name, post (id), post_name, kind_label,
    date (ISO), passed (bool), resit (bool). Scores are not included.
    """
    if not content.enterprise.site.show_exam_results:
        return None
    history: ExamHistory | None = content.extras.get("exam_history")  # type: ignore[assignment]
    if history is None:
        return []
    latest: dict[tuple[str, str], ExamRecord] = {}
    for rec in history.records:
        if rec.score is None:
            continue
        key = (rec.person, rec.post)
        if key not in latest or rec.date >= latest[key].date:
            latest[key] = rec
    out = []
    for (name, pid), rec in sorted(latest.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        post = content.enterprise.post(pid)
        out.append({
            "name": name, "post": pid, "post_name": post.name if post else pid, "kind_label": KIND_LABELS[rec.kind],
            "date": rec.date.isoformat(), "passed": bool(rec.result), "resit": rec.resit,
        })
    return out


# ================================================================== history file


def read_history(path: Path) -> tuple[ExamHistory | None, Diagnostics]:
    from .loader import FileKind as _FK
    from .loader import _validate

    diags = Diagnostics()
    if not path.exists():
        return ExamHistory(), diags
    loaded = _validate(_FK("exam_history", "考试记录", ExamHistory, None, "exam_history", "records"), path, str(path), diags)
    if loaded is None or diags.errors:
        return None, diags
    return loaded.model, diags


def write_history(path: Path, history: ExamHistory) -> None:
    import yaml

    data = {"records": [r.model_dump(mode="json", exclude_defaults=True) for r in history.records]}
    text = "# 考试记录：由 anquan exam --record 与 anquan exam-results --history 维护（也可手工编辑）\n"
    text += yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


# ================================================================== training plan


AUDIENCE_LABELS = {"全员": "全体员工", "主要负责人": "主要负责人", "安全管理人员": "安全管理人员", "新员工": "新员工"}


def principal_hours(content: Content) -> float:
    if not content.training:
        return 0.0
    return sum(t.hours for t in content.training.items if "主要负责人" in t.audience)


def training_view(content: Content) -> dict:
    plan = content.training
    assert plan is not None
    ent = content.enterprise

    def who(a: str) -> str:
        post = ent.post(a)
        return post.name if post else AUDIENCE_LABELS.get(a, a)

    items = sorted(plan.items, key=lambda t: (t.month, t.id))
    rows = [{
        "no": i, "month": f"{t.month}月", "topic": t.topic, "kind": t.kind, "audience": "、".join(who(a) for a in t.audience),
        "hours": _pts(t.hours), "trainer": t.trainer, "assessment": t.assessment or "", "content": list(t.content),
    } for i, t in enumerate(items, start=1)]
    per_post = []
    for p in content.posts:
        ts = content.post_training(p.id)
        hours = sum(t.hours for t in ts)
        per_post.append({"name": p.name, "headcount": p.headcount, "count": len(ts), "hours": _pts(hours),
                         "days": f"{hours / plan.hours_per_day:.1f}", "ok": bool(ts)})
    groups = []
    for a in ("主要负责人", "安全管理人员", "新员工"):
        ts = [t for t in plan.items if a in t.audience or "全员" in t.audience]
        hours = sum(t.hours for t in ts)
        groups.append({"name": a, "count": len(ts), "hours": _pts(hours), "days": f"{hours / plan.hours_per_day:.1f}"})
    ph = principal_hours(content)
    need = 3 * plan.hours_per_day
    checks = [
        {"text": f"主要负责人安全教育培训时间不少于 3 天（{_pts(need)} 学时）：计划 {_pts(ph)} 学时", "ok": ph >= need},
        {"text": "新员工三级安全教育", "ok": _has_three_level(content)},
        {"text": "每个岗位都有培训安排", "ok": all(r["ok"] for r in per_post)},
    ]
    return {
        "enterprise": ent.name, "year": plan.year, "hours_per_day": _pts(plan.hours_per_day), "rows": rows,
        "total_hours": _pts(sum(t.hours for t in plan.items)), "per_post": per_post, "groups": groups, "checks": checks,
        "revised": zh_date(plan.last_revised) if plan.last_revised else "", "made": zh_date(content.build_date),
    }


def _has_three_level(content: Content) -> bool:
    return bool(content.training) and any(
        t.kind == "三级安全教育" and ({"新员工", "全员"} & set(t.audience)) for t in content.training.items  # type: ignore[union-attr]
    )


def training_plan_pdf(content: Content) -> bytes:
    view = training_view(content)
    return _pdf(content, "exam/training_plan.html", {"plan": view}, f"{view['enterprise']}{view['year']}年度安全生产教育培训计划", "年度培训计划")


def check_training(content: Content, diags: Diagnostics) -> None:
    """一训 minimums: 主要负责人 ≥ 3 days, 三级安全教育 for 新员工, every post trained, ≥ 2 exams for managers."""
    plan = content.training
    display = content.sources.get("training", _rel(content, "training.yaml"))
    if plan is None:
        diags.warning(_rel(content, "training.yaml"), (), "缺少年度培训计划 training.yaml（企业每年要制定全员安全培训计划）")
        return
    ph = principal_hours(content)
    need = 3 * plan.hours_per_day
    if ph < need:
        diags.warning(display, ("items",), f"主要负责人培训计划共 {_pts(ph)} 学时（折合 {ph / plan.hours_per_day:.1f} 天），少于 3 天（{_pts(need)} 学时，按每天 {_pts(plan.hours_per_day)} 学时折算）")
    if not _has_three_level(content):
        diags.warning(display, ("items",), "没有面向新员工的三级安全教育（kind: 三级安全教育，audience 含 新员工 或 全员）")
    for p in content.posts:
        if not content.post_training(p.id):
            diags.warning(display, ("items",), f"岗位“{p.name}”（{p.id}）没有任何培训安排（audience 中写岗位编号或“全员”）")
    rules: ExamRules | None = content.extras.get("exam_rules")  # type: ignore[assignment]
    if rules is not None:
        rules_file = content.sources.get("exam_rules", _rel(content, "exam_rules.yaml"))
        for p in content.posts:
            if p.manager or p.key_post:
                kinds = {x.kind for x in rules.papers if x.post == p.id}
                if len(kinds) < 2:
                    diags.warning(rules_file, ("papers",), f"岗位“{p.name}”是{'管理人员' if p.manager else '关键'}岗位，每年应组织 2 次以上考试，papers 中只有 {len(kinds)} 类试卷")


def _rel(content: Content, name: str) -> str:
    import os

    path = content.root / name
    rel = os.path.relpath(path)
    return str(path) if rel.startswith("..") else rel


register_check(check_training)


# ================================================================== builder


def jobs(content: Content) -> list[Job]:
    from . import typst_pdf
    from .pdf import fonts

    out: list[Job] = []
    font_key = fonts(content).key()
    fmap = content.enterprise.settings.fonts.model_dump(mode="json")
    rules: ExamRules | None = content.extras.get("exam_rules")  # type: ignore[assignment]
    rules_src = [content.sources["exam_rules"]] if "exam_rules" in content.sources else []
    if rules is not None:
        for spec in rules.papers:
            try:
                paper = plan_paper(content, rules, spec.post, spec.kind, spec.seed)
            except ExamImpossible:
                continue  # reported by `anquan check` (bank.check_exam_rules)
            key = {"paper": paper.key_data(), "date": str(content.build_date), "fonts": fmap}

            def render_docx(dest: Path, ctx: BuildContext, paper=paper) -> None:
                dest.write_bytes(paper_docx(ctx.content, paper))

            def render_key(dest: Path, ctx: BuildContext, paper=paper) -> None:
                dest.write_bytes(key_docx(ctx.content, paper))

            def render_pdf(dest: Path, ctx: BuildContext, paper=paper) -> None:
                dest.write_bytes(paper_pdf(ctx.content, paper))

            base = f"exams/{paper.exam_id}"
            out.append(Job(f"{base}-paper.docx", "exam-paper", key, render_docx, sources=rules_src))
            out.append(Job(f"{base}-paper.pdf", "exam-paper-pdf", {**key, "font_set": font_key, "engine": typst_pdf.version()}, render_pdf, templates=PAPER_TEMPLATES, sources=rules_src))
            out.append(Job(f"{base}-key.docx", "exam-key", key, render_key, sources=rules_src))
    if content.training is not None:
        view = training_view(content)

        def render_plan(dest: Path, ctx: BuildContext) -> None:
            dest.write_bytes(training_plan_pdf(ctx.content))

        out.append(Job("training/plan.pdf", "training-plan", {"plan": view, "fonts": font_key}, render_plan,
                       templates=PLAN_TEMPLATES, sources=[content.sources.get("training", "training.yaml")]))
    out += _excel_jobs(content)
    return out


def _excel_jobs(content: Content) -> list[Job]:
    from .excel import bank_workbook, checklist_workbook, hazards_workbook, save_workbook

    out: list[Job] = []
    date = content.build_date
    ent_key = {"name": content.enterprise.name, "short": content.enterprise.short_name,
               "posts": [p.model_dump(mode="json") for p in content.posts],
               "departments": [d.model_dump(mode="json") for d in content.enterprise.departments], "date": str(date)}
    if content.questions:
        title = f"{content.enterprise.short_name}安全生产知识考试题库"

        def render_bank(dest: Path, ctx: BuildContext) -> None:
            save_workbook(bank_workbook(ctx.content, ctx.content.questions, title), dest, date)

        out.append(Job("excel/question-bank.xlsx", "excel", {**ent_key, "q": [q.model_dump(mode="json") for q in content.questions]}, render_bank))

    def render_hazards(dest: Path, ctx: BuildContext) -> None:
        save_workbook(hazards_workbook(ctx.content), dest, date)

    out.append(Job("excel/hazards.xlsx", "excel", {**ent_key, "h": content.hazards.model_dump(mode="json")}, render_hazards,
                   sources=[content.sources.get("hazards", "hazards.yaml")]))
    for cid, cl in sorted(content.checklists.items()):
        def render_cl(dest: Path, ctx: BuildContext, cl=cl) -> None:
            save_workbook(checklist_workbook(ctx.content, cl), dest, date)

        out.append(Job(f"excel/checklist-{cid}.xlsx", "excel", {**ent_key, "c": cl.model_dump(mode="json")}, render_cl,
                       sources=[content.sources.get(f"checklist:{cid}", "")]))
    return out


def warm_up() -> None:
    from . import typst_pdf
    from .pdf import environment

    environment().get_template("exam/results.html")
    typst_pdf.warm_up()


# ================================================================== command line


def _console(stderr: bool = False):
    from .cli import _console as console

    return console(stderr)


def _load(args: argparse.Namespace) -> Content | None:
    from .cli import print_diagnostics
    from .loader import load

    content, diags = load(args.enterprise_dir, build_date=getattr(args, "date", None))
    if content is None or diags.errors:
        print_diagnostics(diags.errors or diags, _console(True))
        _console(True).print("内容有错误，请先运行 anquan check 修正", style="red", markup=False)
        return None
    return content


def _out_dir(args: argparse.Namespace, content: Content) -> Path:
    return Path(args.out) if args.out else Path("build") / content.enterprise.id


def configure_exam(p: argparse.ArgumentParser) -> None:
    from .cli import _date

    p.add_argument("enterprise_dir", help="企业目录，如 content/enterprises/demo-transport")
    p.add_argument("--post", required=True, help="岗位编号")
    p.add_argument("--kind", required=True, choices=list(EXAM_KINDS), help="考试类别：first 首次考试（60 分及格）、year-end 年终考试（70 分）、annual 第二年起（80 分）")
    p.add_argument("--seed", type=int, default=1, help="抽题种子：同一种子得到同一份试卷（默认 1）")
    p.add_argument("--out", help="输出目录（默认 build/<企业编号>/），试卷写在其中的 exams/ 下")
    p.add_argument("--history", help="考试记录文件（exam_history.yaml）：排除考生上一份试卷中的题目")
    p.add_argument("--person", help="考生姓名：与 --history 一起使用时只排除此人上一份试卷的题目（不填则排除该岗位上一次考试的全部题目）")
    p.add_argument("--record", action="store_true", help="把本试卷的题目记入 --history 文件（需要 --person）")
    p.add_argument("--date", type=_date, default=None, help="试卷与记录的日期（默认今天）")


def run_exam(args: argparse.Namespace) -> int:
    console, err = _console(), _console(True)
    if args.record and not (args.history and args.person):
        err.print("--record 需要同时给出 --history 和 --person", style="red", markup=False)
        return 2
    if args.seed < 0:
        err.print("--seed 应为非负整数", style="red", markup=False)
        return 2
    content = _load(args)
    if content is None:
        return 1
    rules: ExamRules | None = content.extras.get("exam_rules")  # type: ignore[assignment]
    if rules is None:
        err.print(f"企业目录中没有考试规则文件 exam_rules.yaml（格式见 docs/题库导入模板.md 的“考试规则”一节）", style="red", markup=False)
        return 1
    history = None
    exclude: set[str] = set()
    if args.history:
        history, hdiags = read_history(Path(args.history))
        if history is None:
            from .cli import print_diagnostics

            print_diagnostics(hdiags, err)
            return 1
        for rec in history.latest(args.person, args.post):
            exclude.update(rec.questions)
    try:
        paper = plan_paper(content, rules, args.post, args.kind, args.seed, exclude)
    except ExamImpossible as exc:
        err.print(f"无法按规则组卷（{args.post}，{KIND_LABELS[args.kind]}）：", style="red", markup=False)
        for line in exc.problems:
            err.print(f"  · {line}", style="red", markup=False)
        return 1
    out = _out_dir(args, content) / "exams"
    out.mkdir(parents=True, exist_ok=True)
    files = [
        (out / f"{paper.exam_id}-paper.docx", paper_docx(content, paper)),
        (out / f"{paper.exam_id}-paper.pdf", paper_pdf(content, paper)),
        (out / f"{paper.exam_id}-key.docx", key_docx(content, paper)),
    ]
    for path, data in files:
        path.write_bytes(data)
    for note in paper.notes:
        err.print(f"注意：{note}", style="yellow", markup=False)
    counts = "、".join(f"{s.rule.type} {len(s.questions)} 题" for s in paper.sections)
    general = sum(1 for s in paper.sections for q in s.questions if q.general)
    console.print(f"已生成试卷 {paper.exam_id}：{paper.post.name} · {paper.kind_label} · {counts}（通用题 {general} 道）· 满分 {FULL_MARKS} 分，及格线 {paper.pass_mark} 分", markup=False)
    if exclude:
        console.print(f"已排除上一份试卷中的 {len(exclude)} 道题", markup=False)
    for path, _ in files:
        console.print(f"  {path}", markup=False)
    if args.record:
        assert history is not None
        history.records.append(ExamRecord(person=args.person, post=args.post, kind=args.kind, date=content.build_date,
                                          exam=paper.exam_id, questions=paper.question_ids))
        write_history(Path(args.history), history)
        console.print(f"已记入考试记录 {args.history}", markup=False)
    return 0


def configure_results(p: argparse.ArgumentParser) -> None:
    from .cli import _date

    p.add_argument("enterprise_dir", help="企业目录")
    p.add_argument("scores", help="成绩表 .xlsx：每人一行，列为 姓名、岗位、分数、考试日期")
    p.add_argument("--kind", required=True, choices=list(EXAM_KINDS), help="考试类别（决定及格线：60 / 70 / 80）")
    p.add_argument("--resit", action="store_true", help="这是补考：不合格者调离原工作岗位或予以解聘")
    p.add_argument("--out", help="输出目录（默认 build/<企业编号>/），结果写在其中的 results/ 下")
    p.add_argument("--history", help="把成绩记入此考试记录文件（exam_history.yaml），供站点公布结果")
    p.add_argument("--date", type=_date, default=None, help="制表日期（默认今天）")


def run_results(args: argparse.Namespace) -> int:
    from .cli import print_diagnostics
    from .excel import read_scores, save_workbook

    console, err = _console(), _console(True)
    content = _load(args)
    if content is None:
        return 1
    rows, diags = read_scores(Path(args.scores), content)
    print_diagnostics(diags, err)
    if any(d.severity == "error" for d in diags):
        err.print("成绩表有错误，未生成结果；请按提示修改后重试", style="red", markup=False)
        return 1
    results = apply_pass_marks(rows, content, args.kind, args.resit)
    view = results_view(content, results, args.kind, args.resit)
    out = _out_dir(args, content) / "results"
    stem = f"{args.kind}{'-resit' if args.resit else ''}-{Path(args.scores).stem}"
    xlsx, pdf = out / f"{stem}.xlsx", out / f"{stem}.pdf"
    save_workbook(results_workbook(content, view), xlsx, content.build_date)
    pdf.write_bytes(_pdf(content, "exam/results.html", {"r": view}, f"{view['enterprise']}{view['title']}", view["kind_label"]))
    console.print(f"参考 {view['total']} 人，合格 {view['passed']} 人，合格率 {view['rate']}（及格线 {view['pass_mark']} 分）", markup=False)
    if view["failed"]:
        console.print("须停职培训并补考：" if not args.resit else "补考仍不合格（调离原工作岗位或予以解聘）：", markup=False)
        for f in view["failed"]:
            console.print(f"  {f['name']}（{f['post']}）{f['score']} 分", markup=False)
    console.print(f"  {xlsx}\n  {pdf}", markup=False)
    if args.history:
        history, hdiags = read_history(Path(args.history))
        if history is None:
            print_diagnostics(hdiags, err)
            return 1
        for r in results:
            open_rec = [x for x in history.records if x.person == r.name and x.post == r.post and x.kind == args.kind and x.score is None]
            if open_rec:
                rec = max(open_rec, key=lambda x: x.date)
                rec.score, rec.date, rec.resit = r.score, r.date, args.resit
            else:
                history.records.append(ExamRecord(person=r.name, post=r.post, kind=args.kind, date=r.date, score=r.score, resit=args.resit))
        write_history(Path(args.history), history)
        console.print(f"已记入考试记录 {args.history}", markup=False)
    return 0


def configure_bank(p: argparse.ArgumentParser) -> None:
    p.add_argument("enterprise_dir", help="企业目录")
    p.add_argument("--format", choices=["text", "json"], default="text", help="输出格式")


def run_bank(args: argparse.Namespace) -> int:
    from rich.table import Table

    from .bank import bank_summary

    content = _load(args)
    if content is None:
        return 1
    s = bank_summary(content)
    if args.format == "json":
        print(json.dumps(s, ensure_ascii=False, indent=1))
        return 0
    console = _console()
    console.print(f"题库共 {s['total']} 道（通用 {s['general']} 道）· " + "、".join(f"{t} {n}" for t, n in s["by_type"].items())
                  + " · 难度 " + "、".join(f"{d} {n}" for d, n in s["by_difficulty"].items()), markup=False)
    t = Table(title="各岗位题目（不含通用题）")
    for col in ("岗位", "单选", "多选", "判断", "合计"):
        t.add_column(col)
    for p in s["posts"]:
        t.add_row(p["name"], *(str(p["by_type"][k]) for k in ("单选", "多选", "判断")), str(p["total"]))
    console.print(t)
    t = Table(title="出题依据（法规、标准）")
    t.add_column("法规或标准")
    t.add_column("题目数", justify="right")
    for c in s["citations"]:
        t.add_row(c["name"], str(c["count"]))
    console.print(t)
    if s["without_basis"]:
        console.print(f"未注明法规或标准依据的题目 {len(s['without_basis'])} 道：{'、'.join(s['without_basis'][:20])}{' 等' if len(s['without_basis']) > 20 else ''}", markup=False)
    return 0


def configure_export(p: argparse.ArgumentParser) -> None:
    from .cli import _date

    p.add_argument("enterprise_dir", help="企业目录")
    p.add_argument("--out", help="输出目录（默认 build/<企业编号>/excel/）")
    p.add_argument("--date", type=_date, default=None, help="文件日期与超期判断日期（默认今天）")


def run_export(args: argparse.Namespace) -> int:
    from .excel import export_all

    content = _load(args)
    if content is None:
        return 1
    out = Path(args.out) if args.out else Path("build") / content.enterprise.id / "excel"
    written = export_all(content, out)
    _console().print(f"已导出 {len(written)} 个 Excel 文件：", markup=False)
    for p in written:
        _console().print(f"  {p}", markup=False)
    return 0


def configure_import(p: argparse.ArgumentParser) -> None:
    p.add_argument("xlsx", help="题库 Excel 文件（格式见 docs/题库导入模板.md）")
    p.add_argument("enterprise_dir", help="企业目录：岗位名称按此企业换成岗位编号")
    p.add_argument("--id", help="题库编号（默认用文件名）；未填题号的题目编号为 <题库编号>-001 …")
    p.add_argument("--out", help="写出的 YAML 文件（默认 <企业目录>/questions/<题库编号>.yaml）")
    p.add_argument("--force", action="store_true", help="覆盖已存在的文件")


def run_import(args: argparse.Namespace) -> int:
    import re

    import yaml

    from .cli import print_diagnostics
    from .excel import read_bank

    err = _console(True)
    content = _load(args)
    if content is None:
        return 1
    bank_id = args.id or re.sub(r"[^a-z0-9_-]", "-", Path(args.xlsx).stem.lower()).strip("-_") or "imported"
    bank, diags = read_bank(Path(args.xlsx), content, bank_id)
    print_diagnostics(diags, err)
    if bank is None:
        err.print("题库文件有错误，未导入；请按提示修改后重试", style="red", markup=False)
        return 1
    target = Path(args.out) if args.out else Path(args.enterprise_dir) / "questions" / f"{bank_id}.yaml"
    if target.exists() and not args.force:
        err.print(f"{target} 已存在；如要覆盖请加 --force", style="red", markup=False)
        return 1
    existing = {q.id for q in content.questions}
    clash = [q.id for q in bank.questions if q.id in existing]
    if clash and not (target.exists() and args.force):
        err.print(f"题号与现有题库重复：{'、'.join(clash[:10])}{' 等' if len(clash) > 10 else ''}；请用 --id 换一个题库编号或修改题号", style="red", markup=False)
        return 1
    data = bank.model_dump(mode="json", exclude_defaults=True, exclude={"id"} if not args.id else set())
    data["revisions"] = [{"date": dt.date.today().isoformat(), "summary": f"由 {Path(args.xlsx).name} 导入", "approved_by": "安全管理机构"}]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f"# 由 anquan import-bank 从 {Path(args.xlsx).name} 导入\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    _console().print(f"已导入 {len(bank.questions)} 道题到 {target}；请运行 anquan check 检查重复与覆盖情况", markup=False)
    return 0


register_command("exam", "按考试规则抽题，生成试卷（Word/PDF）和参考答案", configure_exam, run_exam)
register_command("exam-results", "导入成绩表，按及格线判定，生成成绩及补考名单（Excel/PDF）", configure_results, run_results)
register_command("bank", "题库统计：各岗位题量与出题依据（法规、标准）", configure_bank, run_bank)
register_command("export", "导出题库、隐患台账和检查清单为 Excel", configure_export, run_export)
register_command("import-bank", "从 Excel 题库模板导入题目，写成 YAML", configure_import, run_import)
