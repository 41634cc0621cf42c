"""Excel exports (openpyxl): the question bank in the import template's layout, the hazard ledger
(隐患台账) and each checklist, under excel/ and by `anquan export`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Iterable

from ..checks.bank import basis_report, own_titles
from ..model import GENERAL, Checklist, Content, Question
from ..model.learning import BANK_HEADERS, BANK_SHEET, CITATION_SHEET, OPTION_HEADERS
from ..render.xlsx import _put, _style_sheet, _workbook, save_workbook
from .base import BuildContext, Job, Output
from .common import check_item_text


def post_names(content: Content, ids: Iterable[str]) -> str:
    names = []
    for pid in ids:
        post = content.enterprise.post(pid)
        names.append(GENERAL if pid == GENERAL else (post.name if post else pid))
    return "、".join(names)


def bank_workbook(content: Content, questions: list[Question], title: str | None = None):
    """The bank in the template's layout (sheet 题库) plus the laws cited (sheet 出题依据)."""
    wb = _workbook(content.build_date)
    ws = wb.active
    ws.title = BANK_SHEET
    for c, h in enumerate(BANK_HEADERS, start=1):
        ws.cell(1, c, h)
    col = {h: i for i, h in enumerate(BANK_HEADERS, start=1)}
    row_of: dict[str, int] = {}
    for r, q in enumerate(questions, start=2):
        row_of[q.id] = r
        _put(ws, r, col["题号"], q.code)
        _put(ws, r, col["题型"], q.type)
        _put(ws, r, col["题干"], q.stem)
        for i, opt in enumerate(q.options):
            _put(ws, r, col[OPTION_HEADERS[i]], opt)
        _put(ws, r, col["答案"], q.answer_text)
        _put(ws, r, col["解析"], q.explanation)
        _put(ws, r, col["难度"], q.difficulty)
        _put(ws, r, col["题库/分类"], title)
        _put(ws, r, col["知识点"], q.knowledge_point)
        _put(ws, r, col["适用岗位"], post_names(content, q.posts))
        _put(ws, r, col["依据"], q.basis)
    widths = {"题干": 48, "解析": 36, "依据": 28, "知识点": 16, "适用岗位": 18, "题库/分类": 16, "题号": 12, **{h: 18 for h in OPTION_HEADERS}}
    _style_sheet(ws, BANK_HEADERS, widths)
    cites, without = basis_report(questions, own_titles(content))
    by_id = {q.id: q for q in questions}

    def named(ids: list[str]) -> str:
        """The questions as people find them: their 题号, else their row in the 题库 sheet."""
        return "、".join(c if (c := by_id[i].code) else f"第{row_of[i]}行" for i in ids if i in by_id)

    ws2 = wb.create_sheet(CITATION_SHEET)
    heads = ["序号", "类别", "依据", "题目数", "题号（无题号的写题库表行号）"]
    for c, h in enumerate(heads, start=1):
        ws2.cell(1, c, h)
    r = 1
    for r, cite in enumerate(cites, start=2):
        _put(ws2, r, 1, r - 1)
        _put(ws2, r, 2, cite.kind)
        _put(ws2, r, 3, cite.name)
        _put(ws2, r, 4, len(cite.questions))
        _put(ws2, r, 5, named(cite.questions))
    if without:
        r += 1
        _put(ws2, r, 3, "没有法律法规或标准依据（只有企业制度或未注明）")
        _put(ws2, r, 4, len(without))
        _put(ws2, r, 5, named(without))
    _style_sheet(ws2, heads, {"序号": 6, "类别": 12, "依据": 40, "题目数": 8, heads[4]: 60})
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
    for c, h in enumerate(heads, start=1):
        ws.cell(1, c, h)
    for r, values in enumerate(rows, start=2):
        for c, v in enumerate(values, start=1):
            cell = _put(ws, r, c, v)
            if isinstance(v, dt.date):
                cell.number_format = "yyyy-mm-dd"
    _style_sheet(ws, heads, {"隐患描述": 36, "整改措施": 36, "部位/场所": 18, "应急预案": 24, "对应检查项": 24, "隐患编号": 14, "发现日期": 12, "整改时限": 12, "销号日期": 12})
    return wb


def checklist_workbook(content: Content, cl: Checklist):
    """One checklist as a printable sheet: title, level, then one row an item with blank result columns."""
    from openpyxl.styles import Alignment, Font

    wb = _workbook(content.build_date)
    ws = wb.active
    levels = content.levels
    level_title = levels.checklist_title(cl.level)
    ws.title = level_title[:31]
    heads = ["序号", "编号", "检查类别", "检查内容", "检查依据", "检查方法", "检查频次", "责任层级", "重大隐患判定", "检查结果", "备注"]
    rows = [[n, it.code or "", it.category, it.content, it.basis or "", it.method, it.frequency.text, levels.word(it.responsible),
             it.major_basis or "", None, None] for n, it in enumerate(cl.items, start=1)]
    heads, rows = _drop_empty(heads, rows, {"编号", "检查依据"})
    ws.cell(1, 1, f"{content.enterprise.name} {cl.title}" + (f"（{cl.code}）" if cl.code else ""))
    ws.cell(1, 1).font = Font(bold=True, size=14, name="黑体")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(heads))
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
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
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
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
               "levels": list(content.levels.names)}
    if content.questions:
        title = f"{content.enterprise.short_name}安全生产知识考试题库"

        def render_bank(dest: Path, ctx: BuildContext) -> None:
            save_workbook(bank_workbook(ctx.content, ctx.content.questions, title), dest, date)

        # the 出题依据 sheet classes a basis by the enterprise's own policy titles too
        out.append(Job("excel/question-bank.xlsx", "excel", {**ent_key, "q": [q.model_dump(mode="json") for q in content.questions],
                                                              "own": list(own_titles(content))}, render_bank))

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
