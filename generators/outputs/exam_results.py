"""Exam results (`anquan exam-results`): the pass marks applied to a score sheet, who must be
retrained and re-sit (补考), as .xlsx and PDF. Written into the records folder, not build/."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..model import Content, zh_date
from ..model.exam import consequence_text, consequences_of
from ..render.fonts import fonts
from ..render.weasy import render_pdf
from ..render.xlsx import _put, _style_sheet, _workbook, print_setup, save_workbook
from ..rules import KIND_LABELS, pass_mark, passed

RESULT_TEMPLATES = ["exam/results.html", "exam/exam.css", "pdf/base.html"]


def _pts(x: float) -> str:
    return f"{x:g}"


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
    """Pass or fail by the kind's mark; a failure's action is the enterprise's own consequence
    (exam_rules.yaml `consequences`), or only what happened when its rules say nothing."""
    c = consequences_of(content)
    out = []
    for r in rows:
        ok = passed(r.score, kind)
        post = content.enterprise.post(r.post)
        if ok:
            action = "—"
        elif resit:
            action = "补考不合格" + (f"：{c.resit_fail}" if c.resit_fail else "")
        else:
            action = c.fail or "不合格"
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
        "consequence": _consequence(content, resit),
        "made": zh_date(content.build_date),
    }


def _consequence(content: Content, resit: bool) -> str:
    c = consequences_of(content)
    if resit:
        return consequence_text(c.model_copy(update={"fail": None}))
    return consequence_text(c, resit=False)


def results_workbook(content: Content, view: dict):
    from openpyxl.styles import Alignment, Font, PatternFill

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
    print_setup(ws, "3:3")
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
    print_setup(ws2, "1:1")
    return wb


def results_pdf(content: Content, view: dict) -> bytes:
    return render_pdf(
        "exam/results.html", {"r": view}, stylesheets=["exam/exam.css"], title=f"{view['enterprise']}{view['title']}",
        date=content.build_date, author=content.enterprise.name, font_set=fonts(content), subject=view["kind_label"],
    ).pdf


def write_results(content: Content, view: dict, xlsx: Path, pdf: Path) -> None:
    """The results as a workbook and a PDF (folders made as needed)."""
    save_workbook(results_workbook(content, view), xlsx, content.build_date)
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(results_pdf(content, view))
