"""Excel exports (openpyxl): the question bank in the import template's layout, the hazard ledger
(隐患台账) and each checklist, under excel/ and by `anquan export`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterable

from ..checks.bank import basis_report, own_titles
from ..model import GENERAL, Checklist, Content, Question, zh_date
from ..model.exam import ExamRules
from ..model.learning import BANK_HEADERS, BANK_SHEET, CITATION_SHEET, OPTION_HEADERS
from ..render.xlsx import _put, _style_sheet, _workbook, print_setup, save_workbook, sign_row, title_rows
from .base import BuildContext, Job, Output
from .common import check_item_text, safety_department, with_name


def post_names(content: Content, ids: Iterable[str]) -> str:
    names = []
    for pid in ids:
        post = content.enterprise.post(pid)
        names.append(GENERAL if pid == GENERAL else (post.name if post else pid))
    return "、".join(names)


def bank_points(content: Content) -> dict[str, float]:
    """分值 by question type from exam_rules.yaml (this year's papers); {} without exam rules."""
    rules = content.extras.get("exam_rules")
    return rules.points_by_type(content.build_date.year) if isinstance(rules, ExamRules) else {}


def bank_workbook(content: Content, questions: list[Question], title: str | None = None):
    """The bank in the template's layout (sheet 题库: a title row, then the header the importer finds)
    plus the laws cited (sheet 出题依据). 分值 comes from the exam rules; without them the column is left out."""
    wb = _workbook(content.build_date)
    ws = wb.active
    ws.title = BANK_SHEET
    points = bank_points(content)
    # option columns past the longest question's options and an empty 分值 are left out (the importer reads by header)
    options = max((len(q.options) for q in questions), default=0)
    heads = [h for h in BANK_HEADERS if (h != "分值" or any(q.type in points for q in questions))
             and (h not in OPTION_HEADERS or OPTION_HEADERS.index(h) < max(options, 2))]
    head_row = title_rows(ws, len(heads), title or with_name(content.enterprise.name, "安全生产知识考试题库"))
    for c, h in enumerate(heads, start=1):
        ws.cell(head_row, c, h)
    col = {h: i for i, h in enumerate(heads, start=1)}
    row_of: dict[str, int] = {}
    for r, q in enumerate(questions, start=head_row + 1):
        row_of[q.id] = r
        _put(ws, r, col["题号"], q.code)
        _put(ws, r, col["题型"], q.type)
        _put(ws, r, col["题干"], q.stem)
        for i, opt in enumerate(q.options):
            _put(ws, r, col[OPTION_HEADERS[i]], opt)
        _put(ws, r, col["答案"], q.answer_text)
        _put(ws, r, col["解析"], q.explanation)
        if "分值" in col:
            _put(ws, r, col["分值"], points.get(q.type))
        _put(ws, r, col["难度"], q.difficulty)
        _put(ws, r, col["题库/分类"], title)
        _put(ws, r, col["知识点"], q.knowledge_point)
        _put(ws, r, col["适用岗位"], post_names(content, q.posts))
        _put(ws, r, col["依据"], q.basis)
    widths = {"题干": 40, "解析": 32, "依据": 24, "知识点": 12, "适用岗位": 14, "题库/分类": 12, "题号": 10, "题型": 6, "答案": 6, "分值": 6, "难度": 6,
              **{h: 16 for h in OPTION_HEADERS}}
    _style_sheet(ws, heads, widths, header_row=head_row)
    print_setup(ws, f"{head_row}:{head_row}")
    cites, without = basis_report(questions, own_titles(content))
    by_id = {q.id: q for q in questions}

    def named(ids: list[str]) -> str:
        """The questions as people find them: their 题号, else their row in the 题库 sheet."""
        return "、".join(c if (c := by_id[i].code) else f"第{row_of[i]}行" for i in ids if i in by_id)

    ws2 = wb.create_sheet(CITATION_SHEET)
    heads = ["序号", "类别", "依据", "题目数", "题号（无题号的写题库表行号）"]
    top = title_rows(ws2, len(heads), "题库出题依据统计")
    for c, h in enumerate(heads, start=1):
        ws2.cell(top, c, h)
    r = top
    for r, cite in enumerate(cites, start=top + 1):
        _put(ws2, r, 1, r - top)
        _put(ws2, r, 2, cite.kind)
        _put(ws2, r, 3, cite.name)
        _put(ws2, r, 4, len(cite.questions))
        _put(ws2, r, 5, named(cite.questions))
    if without:
        r += 1
        _put(ws2, r, 3, "没有法律法规或标准依据（只有企业制度或未注明）")
        _put(ws2, r, 4, len(without))
        _put(ws2, r, 5, named(without))
    _style_sheet(ws2, heads, {"序号": 6, "类别": 12, "依据": 40, "题目数": 8, heads[4]: 60}, header_row=top)
    print_setup(ws2, f"{top}:{top}")
    return wb


def _drop_empty(heads: list[str], rows: list[list], optional: set[str]) -> tuple[list[str], list[list]]:
    """Leave out the optional columns that are empty in every row."""
    keep = [c for c, h in enumerate(heads) if h not in optional or any(row[c] not in (None, "") for row in rows)]
    return [heads[c] for c in keep], [[row[c] for c in keep] for row in rows]


def hazards_workbook(content: Content):
    """隐患台账: one row a hazard, with the 五定 and the days overdue on the build date."""
    wb = _workbook(content.build_date)
    ws = wb.active
    ws.title = "隐患台账"
    heads = ["序号", "隐患编号", "发现日期", "来源", "部位/场所", "隐患描述", "等级", "责任部门", "对应检查项",
             "整改责任人", "整改措施", "资金（万元）", "整改时限", "应急预案", "状态", "销号日期", "验收人", "挂牌督办", "超期天数"]
    ent = content.enterprise
    rows = []
    for n, h in enumerate(content.hazards.hazards, start=1):
        dep = ent.department(h.department) if h.department else None
        rows.append([n, h.code or "", h.found, h.source, h.place, h.description, h.grade, dep.name if dep else "",
                     check_item_text(content, h.check_item), h.five_fixed.responsible, h.five_fixed.measures, h.five_fixed.funds_wan,
                     h.five_fixed.deadline, h.five_fixed.plan or "", h.status, h.closed, h.verifier or "",
                     "是" if h.supervised else "否", h.days_overdue(content.build_date) or None])
    heads, rows = _drop_empty(heads, rows, {"隐患编号", "责任部门", "对应检查项", "应急预案"})
    head_row = title_rows(ws, len(heads), with_name(ent.name, "隐患排查治理台账"),
                          f"统计日期：{zh_date(content.build_date)}（超期天数按此日期计算）　共 {len(rows)} 条")
    for c, h in enumerate(heads, start=1):
        ws.cell(head_row, c, h)
    r = head_row
    for r, values in enumerate(rows, start=head_row + 1):
        for c, v in enumerate(values, start=1):
            cell = _put(ws, r, c, v)
            if isinstance(v, dt.date):
                cell.number_format = "yyyy-mm-dd"
    _style_sheet(ws, heads, {"序号": 5, "隐患编号": 12, "发现日期": 11, "来源": 9, "部位/场所": 14, "隐患描述": 32, "等级": 6, "责任部门": 11,
                             "对应检查项": 18, "整改责任人": 9, "整改措施": 32, "资金（万元）": 7, "整改时限": 11, "应急预案": 22, "状态": 7,
                             "销号日期": 11, "验收人": 8, "挂牌督办": 6, "超期天数": 6}, header_row=head_row)
    # signed by the safety department that keeps the ledger; 批准 and date from the latest revision
    latest = max(content.hazards.revisions, key=lambda v: v.date, default=None)
    sign_row(ws, r + 1, len(heads), [("编制", safety_department(content)), ("审核", ""), ("批准", latest.approved_by if latest else ""),
                                     ("日期", zh_date(latest.date) if latest else "")])
    print_setup(ws, f"{head_row}:{head_row}")
    return wb


def checklist_workbook(content: Content, cl: Checklist):
    """One checklist as a printable sheet: title, level, then one row an item with blank result columns."""
    wb = _workbook(content.build_date)
    ws = wb.active
    levels = content.levels
    level_title = levels.checklist_title(cl.level)
    ws.title = level_title[:31]
    heads = ["序号", "编号", "检查类别", "检查内容", "检查依据", "检查方法", "检查频次", "责任层级", "重大隐患判定", "检查结果", "备注"]
    rows = [[n, it.code or "", it.category, it.content, it.basis or "", it.method, it.frequency.text, levels.word(it.responsible),
             it.major_basis or "", None, None] for n, it in enumerate(cl.items, start=1)]
    heads, rows = _drop_empty(heads, rows, {"编号", "检查依据"})
    title_rows(ws, len(heads), with_name(content.enterprise.name, cl.title) + (f"（{cl.code}）" if cl.code else ""))
    where = []
    if cl.department and (dep := content.enterprise.department(cl.department)):
        where.append(f"部门：{dep.name}")
    if cl.post and (post := content.enterprise.post(cl.post)):
        where.append(f"岗位：{post.name}")
    ws.cell(2, 1, "　".join([f"层级：{level_title}", *where, "检查人：＿＿＿＿", "检查日期：＿＿＿＿"]))
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(heads))
    for c, h in enumerate(heads, start=1):
        ws.cell(3, c, h)
    for r, values in enumerate(rows, start=4):
        for c, v in enumerate(values, start=1):
            _put(ws, r, c, v)
    _style_sheet(ws, heads, {"检查内容": 40, "检查依据": 28, "检查方法": 14, "检查结果": 14, "备注": 14}, header_row=3)
    print_setup(ws, "3:3")
    return wb


def export_all(content: Content, out_dir: Path) -> list[Path]:
    """`anquan export`: the bank, the hazard ledger and each checklist, as .xlsx under out_dir."""
    written = []
    if content.questions:
        p = out_dir / "question-bank.xlsx"
        save_workbook(bank_workbook(content, content.questions, f"{content.enterprise.short_name}安全生产知识考试题库"), p, content.build_date)
        written.append(p)
    p = out_dir / "hazards.xlsx"
    save_workbook(hazards_workbook(content), p, content.build_date)
    written.append(p)
    for cid, cl in sorted(content.checklists.items()):
        p = out_dir / f"checklist-{cid}.xlsx"
        save_workbook(checklist_workbook(content, cl), p, content.build_date)
        written.append(p)
    return written


def jobs(content: Content) -> list[Job]:
    out: list[Job] = []
    date = content.build_date
    ent_key = {"name": content.enterprise.name, "short": content.enterprise.short_name,
               "posts": [p.model_dump(mode="json") for p in content.posts],
               "departments": [d.model_dump(mode="json") for d in content.enterprise.departments], "date": str(date),
               "levels": list(content.levels.names), "agency": safety_department(content)}
    if content.questions:
        title = f"{content.enterprise.short_name}安全生产知识考试题库"

        def render_bank(dest: Path, ctx: BuildContext) -> None:
            save_workbook(bank_workbook(ctx.content, ctx.content.questions, title), dest, date)

        # the 出题依据 sheet classes a basis by the enterprise's own policy titles too
        out.append(Job("excel/question-bank.xlsx", "excel", {**ent_key, "q": [q.model_dump(mode="json") for q in content.questions],
                                                              "own": list(own_titles(content)),
                                                              "points": bank_points(content)}, render_bank))

    def render_hazards(dest: Path, ctx: BuildContext) -> None:
        save_workbook(hazards_workbook(ctx.content), dest, date)

    out.append(Job("excel/hazards.xlsx", "excel", {**ent_key, "h": content.hazards.model_dump(mode="json"),
                                                  "check_items": [check_item_text(content, h.check_item) for h in content.hazards.hazards]}, render_hazards,
                   sources=[content.sources.get("hazards", "hazards.yaml")]))
    for cid, cl in sorted(content.checklists.items()):
        def render_cl(dest: Path, ctx: BuildContext, cl=cl) -> None:
            save_workbook(checklist_workbook(ctx.content, cl), dest, date)

        out.append(Job(f"excel/checklist-{cid}.xlsx", "excel", {**ent_key, "c": cl.model_dump(mode="json")}, render_cl,
                       sources=[content.sources.get(f"checklist:{cid}", "")]))
    return out


OUTPUT = Output("excel", ("excel",), jobs)
