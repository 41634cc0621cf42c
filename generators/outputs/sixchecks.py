"""六必查: the annual inspection sheet of one enterprise, as PDF (Typst, A4 landscape) and xlsx.

Both print `checks.regulator.six_checks()`: the six sections with what the content claims and its
source file, a first judgement from the documents, empty on-site columns for the inspector, and
the 优良中差 rating with every score's evidence. The xlsx has drop-downs in the on-site column and
a 检查记录 sheet (date, inspectors, quiz counts); filled in, it comes back through
`anquan inspection-import` as inspections/<year>.yaml (`generators.importers.inspection`).

The sheet is for the inspector: the enterprise's site does not offer it for download.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..checks.regulator import rate, rubric_for
from ..checks.regulator.profile import Rubric
from ..checks.regulator.quiz import quiz_seed
from ..checks.regulator.rating import Rating
from ..checks.regulator.six_checks import six_checks
from ..model import Content
from ..model.regulator import Inspection
from ..render import typst
from ..render.fonts import fonts
from ..render.xlsx import _put, _style_sheet, _workbook, print_setup, workbook_bytes
from .base import BuildContext, Job, Output

SIX_CHECKS_TEMPLATES = ["typst/sixchecks.typ", "typst/common.typ"]
SHEET = "六必查"
RECORD_SHEET = "检查记录"
RATING_SHEET = "评价"
SHEET_COLUMNS = ["检查项目", "序号", "编号", "检查内容", "企业资料显示", "来源", "资料初判", "现场核查", "备注"]
ONSITE_CHOICES = '"符合,不符合,不适用"'
BEHAVIOUR_CHOICES = '"未发现,发现"'
KIND_CHOICES = '"基础建设专项检查,年度执法检查,体检式精查"'
# 检查记录: label, what the inspector writes (the importer reads the labels in column A)
RECORD_FIELDS = [
    ("检查日期", "如 2026-10-21"),
    ("检查方式", "基础建设专项检查、年度执法检查或体检式精查"),
    ("检查部门", ""),
    ("检查人员", "多人用“、”分隔"),
    ("抽题种子", "凡查必考试卷上印的号码"),
    ("抽考人数", "凡查必考：抽考人数（只记人数，不记姓名和分数）"),
    ("合格人数", "凡查必考：合格人数"),
]


def six_checks_data(content: Content, rubric: Rubric | None = None, rating: Rating | None = None,
                    inspection: Inspection | None = None, with_rating: bool = True) -> dict[str, Any]:
    rubric = rubric or rubric_for(content)
    if with_rating and rating is None:
        rating = rate(content, rubric)
    return six_checks(content, rubric, rating if with_rating else None, inspection)


def six_checks_pdf(content: Content, rubric: Rubric | None = None, rating: Rating | None = None,
                   inspection: Inspection | None = None, with_rating: bool = True, data: dict[str, Any] | None = None) -> bytes:
    """The 六必查 sheet as PDF; `inspection` fills the on-site columns (default: left blank)."""
    data = data or six_checks_data(content, rubric, rating, inspection, with_rating)
    ent = content.enterprise
    supervisor = data["enterprise"]["supervisor"]
    return typst.render(
        "typst/sixchecks.typ", data, title=f"{ent.name}{data['title']}（{data['year']}年度）",
        date=content.build_date, author=supervisor if supervisor != "未填报" else ent.name,
        font_set=fonts(content), subject="六必查：查证照、查机构队伍、查设施设备、查基础建设、查应急管理、查危险作业行为",
        keywords=["六必查", "年度执法检查", ent.industry],
    ).pdf


def _record_sheet(wb, data: dict[str, Any], seed: int | None) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = wb.create_sheet(RECORD_SHEET)
    _put(ws, 1, 1, f"{data['enterprise']['name']} 现场检查记录（{data['year']}年度）")
    ws.cell(1, 1).font = Font(bold=True, size=13, name="黑体")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=3)
    heads = ["项目", "填写", "说明"]
    for c, h in enumerate(heads, start=1):
        ws.cell(2, c, h)
    ins = data["inspection"]
    prefill = {
        "检查方式": ins["kind"] if ins else "基础建设专项检查",
        "检查部门": (ins["department"] if ins else "") or (data["enterprise"]["supervisor"] if data["enterprise"]["supervisor"] != "未填报" else ""),
        "检查日期": ins["date"] if ins else None,
        "检查人员": "、".join(ins["inspectors"]) if ins else None,
        "抽题种子": seed,
    }
    for r, (label, hint) in enumerate(RECORD_FIELDS, start=3):
        _put(ws, r, 1, label)
        _put(ws, r, 2, prefill.get(label) or None)
        _put(ws, r, 3, hint or None)
    kinds = DataValidation(type="list", formula1=KIND_CHOICES, allow_blank=True, showErrorMessage=True,
                           errorTitle="检查方式", error="请选择：基础建设专项检查、年度执法检查、体检式精查")
    ws.add_data_validation(kinds)
    kinds.add(ws.cell(4, 2))
    counts = DataValidation(type="whole", operator="between", formula1="0", formula2="100000", allow_blank=True,
                            showErrorMessage=True, errorTitle="人数", error="请填写 0 以上的整数")
    ws.add_data_validation(counts)
    counts.add(ws.cell(8, 2))
    counts.add(ws.cell(9, 2))
    _style_sheet(ws, heads, {"项目": 14, "填写": 36, "说明": 46}, header_row=2)
    for r in range(3, 3 + len(RECORD_FIELDS)):
        ws.cell(r, 1).font = Font(bold=True)
        ws.cell(r, 2).alignment = Alignment(vertical="top")
    print_setup(ws, "2:2")


def six_checks_workbook(content: Content, rubric: Rubric | None = None, rating: Rating | None = None,
                        inspection: Inspection | None = None, with_rating: bool = True, data: dict[str, Any] | None = None,
                        seed: int | None = None):
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    data = data or six_checks_data(content, rubric, rating, inspection, with_rating)
    ent = data["enterprise"]
    wb = _workbook(content.build_date)
    ws = wb.active
    ws.title = SHEET
    n = len(SHEET_COLUMNS)
    _put(ws, 1, 1, f"{ent['name']} {data['title']}（{data['year']}年度）")
    ws.cell(1, 1).font = Font(bold=True, size=14, name="黑体")
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    info = (f"统一社会信用代码：{ent['credit_code']}　行业：{ent['industry']}　企业分类：{ent['size_class']}（{ent['size_basis']}）　"
            f"行政区划：{ent['region']}　监管部门：{ent['supervisor']}　资料截至：{data['as_of'] or '—'}　"
            f"检查日期、检查人员和抽考人数填在“{RECORD_SHEET}”表")
    _put(ws, 2, 1, info)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=n)
    ws.cell(2, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[2].height = 30
    header = 3
    for c, h in enumerate(SHEET_COLUMNS, start=1):
        ws.cell(header, c, h)
    check_dv = DataValidation(type="list", formula1=ONSITE_CHOICES, allow_blank=True, showErrorMessage=True,
                              errorTitle="现场核查", error="请选择：符合、不符合、不适用")
    behaviour_dv = DataValidation(type="list", formula1=BEHAVIOUR_CHOICES, allow_blank=True, showErrorMessage=True,
                                  errorTitle="危险作业行为", error="请选择：未发现、发现")
    ws.add_data_validation(check_dv)
    ws.add_data_validation(behaviour_dv)
    row = header
    for sec in data["sections"]:
        for ln in sec["lines"]:
            row += 1
            claims = "\n".join(ln["claims"]) if ln["claims"] else "（现场检查）"
            what = ln["title"] + (f"（依据：{ln['basis']}）" if ln["basis"] else "")
            values = [sec["title"], ln["no"], ln["id"], what, claims, ln["source"], ln["status_text"], ln["onsite"]["result"] or None, ln["onsite"]["note"] or None]
            for c, v in enumerate(values, start=1):
                _put(ws, row, c, v)
            (behaviour_dv if ln["onsite_only"] else check_dv).add(ws.cell(row, 8))
    _style_sheet(ws, SHEET_COLUMNS, {"检查项目": 12, "序号": 6, "编号": 20, "检查内容": 40, "企业资料显示": 60, "来源": 22, "资料初判": 12, "现场核查": 12, "备注": 30}, header_row=header)
    print_setup(ws, f"{header}:{header}")
    _record_sheet(wb, data, seed)

    r = data["rating"]
    if r is not None:
        ws2 = wb.create_sheet(RATING_SHEET)
        heads = ["评价项目", "权重", "项目得分", "计分规则", "分值", "得分率", "依据", "来源"]
        _put(ws2, 1, 1, f"评价等次：{r['grade']}　总分：{r['total']}　细则：{r['rubric']['title']}　差别监管：每年检查 {r['frequency']} 次")
        ws2.cell(1, 1).font = Font(bold=True, size=12)
        ws2.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(heads))
        _put(ws2, 2, 1, "；".join(r["reasons"]))
        ws2.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(heads))
        ws2.cell(2, 1).alignment = Alignment(wrap_text=True, vertical="top")
        ws2.row_dimensions[2].height = 60
        for c, h in enumerate(heads, start=1):
            ws2.cell(3, c, h)
        row = 3
        for it in r["items"]:
            for rule in it["rules"]:
                row += 1
                ev = "\n".join(e["text"] for e in rule["evidence"])
                src = "、".join(dict.fromkeys(e["source"] for e in rule["evidence"] if e["source"]))
                value = "不计分" if rule["value"] is None else round(rule["value"], 4)
                for c, v in enumerate([it["title"], it["weight"], it["score"], rule["label"], rule["points"], value, ev, src], start=1):
                    cell = _put(ws2, row, c, v)
                    if c == 6 and not isinstance(v, str):
                        cell.number_format = "0%"
        _style_sheet(ws2, heads, {"评价项目": 22, "计分规则": 30, "依据": 70, "来源": 24, "项目得分": 10, "得分率": 10}, header_row=3)
        print_setup(ws2, "3:3")
    return wb


def six_checks_xlsx(content: Content, rubric: Rubric | None = None, rating: Rating | None = None,
                    inspection: Inspection | None = None, with_rating: bool = True, data: dict[str, Any] | None = None,
                    seed: int | None = None) -> bytes:
    return workbook_bytes(six_checks_workbook(content, rubric, rating, inspection, with_rating, data, seed), content.build_date)


# ------------------------------------------------------------------ output


def jobs(content: Content) -> list[Job]:
    rubric = rubric_for(content)
    data = six_checks_data(content, rubric)
    seed = quiz_seed(content)
    sources = sorted({content.sources.get("enterprise", "enterprise.yaml"), *(v for k, v in content.sources.items() if k.startswith("inspection:"))})
    key = {"sheet": data, "rubric": rubric.model_dump(mode="json"), "seed": seed}

    def render_pdf(dest: Path, ctx: BuildContext) -> None:
        dest.write_bytes(six_checks_pdf(ctx.content, rubric, data=data))

    def render_xlsx(dest: Path, ctx: BuildContext) -> None:
        dest.write_bytes(six_checks_xlsx(ctx.content, rubric, data=data, seed=seed))

    return [
        Job("regulator/sixchecks.pdf", "sixchecks-pdf", {**key, "fonts": fonts(content).key(), "engine": typst.version()}, render_pdf,
            templates=SIX_CHECKS_TEMPLATES, sources=sources),
        Job("regulator/sixchecks.xlsx", "sixchecks-xlsx", key, render_xlsx, sources=sources),
    ]


OUTPUT = Output("sixchecks", ("sixchecks-pdf", "sixchecks-xlsx"), jobs, typst.warm_up, title="六必查检查表")
