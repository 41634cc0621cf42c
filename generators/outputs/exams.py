"""一试: the exam papers listed in exam_rules.yaml, as Word (paper and answer key) and PDF.

The same document makers serve `anquan exam`, which draws a paper on demand into the records
folder. Drawing is `generators.model.papers`; pass marks are `generators.rules`.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..model import Content, Question
from ..model.exam import ExamRules, consequence_text, consequences_of
from ..model.papers import ExamImpossible, Paper, Section, plan_paper
from ..render import docx as D
from ..render import typst
from ..render.fonts import fonts
from ..rules import FULL_MARKS, pass_marks_text
from .base import BuildContext, Job, Output

TYPE_HINTS = {
    "单选": "每题只有一个正确答案，将其字母填入括号内",
    "多选": "每题有两个或两个以上正确答案，将其字母填入括号内，多选、少选、错选均不得分",
    "判断": "正确的在括号内画“√”，错误的画“×”",
}
CN_SECTION = "一二三四五六七八九十"
PAPER_TEMPLATES = ["typst/paper.typ", "typst/common.typ"]
WORD_TEMPLATES = ["word"]  # the prepared Word package (generators/render/docx.py)


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


# ------------------------------------------------------------------ Word


def _fonts(content: Content) -> tuple[str, str]:
    f = content.enterprise.settings.fonts
    return f.songti, f.heiti


def _heading_block(content: Content, paper: Paper, suffix: str) -> list[dict]:
    songti, heiti = _fonts(content)
    return [
        D.para(content.enterprise.name, heiti, 16, align="center", after=2),
        D.para(f"{paper.title}{suffix}", heiti, 18, align="center", after=2),
        D.para(f"（{paper.post.name} · {paper.kind_label}）", songti, 12, align="center", after=6),
    ]


def paper_docx(content: Content, paper: Paper) -> bytes:
    """The paper a trainer hands out: header boxes, instructions, sections by type with points."""
    songti, heiti = _fonts(content)
    body = _heading_block(content, paper, "")
    # name / post / date / score boxes
    boxes = []
    for label, value in (("姓名", ""), ("岗位", paper.post.name), ("日期", ""), ("得分", "")):
        boxes += [D.cell(label, heiti, 11, center=True), D.cell(value, songti, 10.5, center=True)]
    body.append(D.table([1.6, 3.0, 1.6, 3.4, 1.6, 2.8, 1.6, 2.4], [D.row(boxes, height_cm=1.0)]))
    body.append(D.para(after=2))
    # section score table
    n = len(paper.sections)
    head = [D.cell("题型", heiti, 10.5, center=True), *(D.cell(CN_SECTION[i], heiti, 10.5, center=True) for i in range(n)),
            D.cell("总分", heiti, 10.5, center=True), D.cell("阅卷人", heiti, 10.5, center=True)]
    scores = [D.cell("得分", heiti, 10.5, center=True), *(D.cell(empty=True) for _ in range(n + 2))]
    body.append(D.table([2.0] + [2.2] * n + [2.4, 2.4], [D.row(head), D.row(scores, height_cm=0.9)]))
    body.append(D.para(after=2))
    notes = (
        f"考试时间 {paper.spec.duration} 分钟，满分 {FULL_MARKS} 分，{paper.pass_mark} 分及以上为合格"
        f"（{paper.kind_label}）。{consequence_text(consequences_of(content))}",
        "请用黑色或蓝色钢笔、签字笔作答，字迹清楚；闭卷考试，独立完成。",
    )
    body.append(D.para("考生须知", heiti, 11, after=1))
    for k, line in enumerate(notes, start=1):
        body.append(D.para(f"{k}．{line}", songti, 10.5, after=1, indent_cm=0.4))
    number = 0
    for i, s in enumerate(paper.sections):
        body.append(D.para(section_heading(i, s), heiti, 12.5, before=10, after=1, keep_next=True))
        body.append(D.para(f"（{TYPE_HINTS[s.rule.type]}）", songti, 10, after=4, keep_next=True))
        for q in s.questions:
            number += 1
            body.append(D.para(f"{number}．{_stem_with_blank(q)}", songti, 11.5, after=1 if q.options else 5, keep_next=bool(q.options),
                               indent_cm=0.65, hanging_cm=0.65))
            if q.options:
                per_line = option_layout(q.options)
                labelled = [f"{'ABCDEFGH'[k]}．{o}" for k, o in enumerate(q.options)]
                width = D.TEXT_WIDTH_CM - 0.65
                stops = [0.65 + width * k / per_line for k in range(1, per_line)]
                for start in range(0, len(labelled), per_line):
                    last = start + per_line >= len(labelled)
                    body.append(D.para("\t".join(labelled[start:start + per_line]), songti, 11, after=1 if not last else 5,
                                       indent_cm=0.65, keep_next=not last, tabs_cm=stops))
    body.append(D.para("— 试卷结束 —", songti, 10, align="center", before=10))
    body.append(D.para(f"试卷编号：{paper.number}", songti, 9, align="right"))
    return D.document(body, font=songti, title=f"{paper.title}（{paper.post.name}·{paper.kind_label}）", subject=f"试卷编号 {paper.number}",
                      author=content.enterprise.name, date=content.build_date)


def answer_strip(s: Section, start: int) -> str:
    return "　".join(f"{start + k}.{'√' if q.answer is True else '×' if q.answer is False else q.answer}" for k, q in enumerate(s.questions))


def key_docx(content: Content, paper: Paper) -> bytes:
    """参考答案及解析: quick answer strip per section, then a table with the stem, answer, explanation, basis."""
    songti, heiti = _fonts(content)
    body = _heading_block(content, paper, "参考答案及解析")
    body.append(D.para(f"试卷编号：{paper.number}　　满分 {FULL_MARKS} 分　　及格线 {paper.pass_mark} 分（{paper.kind_label}）", songti, 11, align="center", after=2))
    body.append(D.para("评分标准：单选题、判断题答对得分；多选题全部选对得分，多选、少选、错选均不得分。", songti, 10.5, after=1))
    body.append(D.para(f"及格线：{pass_marks_text()}及以上为合格。{consequence_text(consequences_of(content))}", songti, 10.5, after=4))
    body.append(D.para("答案速查", heiti, 12, before=4, after=2))
    number = 1
    for i, s in enumerate(paper.sections):
        body.append(D.para(f"{CN_SECTION[i]}、{s.title}：", heiti, 10.5, after=3, runs=[D.run(answer_strip(s, number), songti, 10.5)]))
        number += len(s.questions)
    number = 0
    for i, s in enumerate(paper.sections):
        body.append(D.para(section_heading(i, s), heiti, 12, before=10, after=3, keep_next=True))
        rows = [D.row([D.cell(h, heiti, 10.5, center=True) for h in ("题号", "题目", "答案", "解析与依据")], header=True)]
        for q in s.questions:
            number += 1
            stem = q.stem
            if q.options:
                stem += "\n" + "　".join(f"{'ABCDEFGH'[k]}．{o}" for k, o in enumerate(q.options))
            why = [q.explanation or f"知识点：{q.knowledge_point}"]
            if q.basis:
                why.append(f"依据：{q.basis}")
            rows.append(D.row([D.cell(str(number), songti, 10, center=True), D.cell(stem, songti, 10),
                               D.cell(q.answer_text, heiti, 10.5, center=True), D.cell("\n".join(why), songti, 9.5)], keep=True))
        body.append(D.table([1.4, 7.0, 1.6, 6.0], rows))
    numbered = [(n, q.code) for n, q in enumerate((q for s in paper.sections for q in s.questions), start=1) if q.code]
    codes = f"；题库题号：{'　'.join(f'{n}. {c}' for n, c in numbered)}" if numbered else ""
    body.append(D.para(f"命题范围：{paper.post.name}岗位题与通用题{codes}", songti, 8.5, before=8))
    return D.document(body, font=songti, title=f"{paper.title}参考答案（{paper.post.name}·{paper.kind_label}）", subject=f"试卷编号 {paper.number}",
                      author=content.enterprise.name, date=content.build_date)


# ------------------------------------------------------------------ PDF


def paper_view(paper: Paper, consequence: str = "") -> dict:
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
        "number": paper.number, "duration": paper.spec.duration, "full": FULL_MARKS, "pass_mark": paper.pass_mark,
        "consequence": consequence, "sections": sections,
    }


def paper_pdf(content: Content, paper: Paper) -> bytes:
    """The paper as PDF, typeset by Typst (site_templates/typst/paper.typ)."""
    return typst.render(
        # 考生须知: both consequences of the enterprise's rules, as the key and exam_rules.yaml say them
        "typst/paper.typ", paper_view(paper, consequence_text(consequences_of(content))), title=f"{paper.title}（{paper.post.name}·{paper.kind_label}）",
        date=content.build_date, author=content.enterprise.name, font_set=fonts(content), subject=f"试卷编号 {paper.number}",
    ).pdf


# ------------------------------------------------------------------ output


def jobs(content: Content) -> list[Job]:
    out: list[Job] = []
    font_key = fonts(content).key()
    fmap = content.enterprise.settings.fonts.model_dump(mode="json")
    rules: ExamRules | None = content.extras.get("exam_rules")  # type: ignore[assignment]
    rules_src = [content.sources["exam_rules"]] if "exam_rules" in content.sources else []
    if rules is not None:
        for spec in rules.papers_for(content.build_date.year):
            try:
                paper = plan_paper(content, rules, spec.post, spec.kind, spec.seed)
            except ExamImpossible:
                continue  # reported by `anquan check` (bank.check_exam_rules)
            key = {"paper": paper.key_data(), "date": str(content.build_date), "fonts": fmap,
                   "consequences": consequences_of(content).model_dump(mode="json")}

            def render_docx(dest: Path, ctx: BuildContext, paper=paper) -> None:
                dest.write_bytes(paper_docx(ctx.content, paper))

            def render_key(dest: Path, ctx: BuildContext, paper=paper) -> None:
                dest.write_bytes(key_docx(ctx.content, paper))

            def render_pdf(dest: Path, ctx: BuildContext, paper=paper) -> None:
                dest.write_bytes(paper_pdf(ctx.content, paper))

            base = f"exams/{paper.exam_id}"
            out.append(Job(f"{base}-paper.docx", "exam-paper", key, render_docx, templates=WORD_TEMPLATES, sources=rules_src))
            out.append(Job(f"{base}-paper.pdf", "exam-paper-pdf", {**key, "font_set": font_key, "engine": typst.version()}, render_pdf, templates=PAPER_TEMPLATES, sources=rules_src))
            out.append(Job(f"{base}-key.docx", "exam-key", key, render_key, templates=WORD_TEMPLATES, sources=rules_src))
    return out


def warm_up() -> None:
    typst.warm_up()


OUTPUT = Output("exams", ("exam-paper", "exam-paper-pdf", "exam-key"), jobs, warm_up)
