"""The workbooks as a clerk prints them (issue 15 item 8): A4 landscape fitted to the width, a
title row, the header repeated on every page, 编制/审核 under the hazard ledger, the enterprise's
name once in a checklist's title (workbook and PDF), 分值 filled from the exam rules."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from pathlib import Path

import pdfplumber
import pytest
from openpyxl import load_workbook

from generators.load import load
from generators.model.exam import ExamRules
from generators.outputs import checklists as checklists_output
from generators.outputs.base import BuildContext
from generators.outputs.excel import bank_workbook, checklist_workbook, hazards_workbook
from generators.outputs.sixchecks import six_checks_xlsx
from generators.render.xlsx import save_workbook

ROOT = Path(__file__).resolve().parent.parent
DAY = dt.date(2026, 11, 26)
SAMPLES = ("demo-transport", "demo-factory")


@pytest.fixture(scope="module", params=SAMPLES)
def content(request):
    c, diags = load(ROOT / "content" / "enterprises" / request.param, build_date=DAY)
    assert c is not None and not diags.errors
    return c


def saved(wb, tmp_path: Path, name: str):
    path = tmp_path / name
    save_workbook(wb, path, DAY)
    return load_workbook(path)


def header_row(ws) -> int:
    """The printed header row: the first row with more than two filled cells."""
    return next(r for r in range(1, 10) if sum(1 for c in ws[r] if c.value not in (None, "")) > 2)


def assert_printable(ws) -> None:
    ps = ws.page_setup
    assert ps.orientation == "landscape" and str(ps.paperSize) == ws.PAPERSIZE_A4, ws.title
    assert ps.fitToWidth == 1 and ps.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
    h = header_row(ws)
    assert ws.print_title_rows.replace("$", "") == f"{h}:{h}", ws.title
    assert "&P" in ws.oddFooter.center.text
    # a row of wrapped text is as tall as its longest cell needs (LibreOffice does not fit rows on opening)
    assert all(ws.row_dimensions[r].height for r in range(h, ws.max_row + 1)), ws.title


def test_every_workbook_prints_landscape_fitted_with_headers_repeated(content, tmp_path):
    books = {
        "question-bank": bank_workbook(content, content.questions, "题库"),
        "hazards": hazards_workbook(content),
        **{f"checklist-{cid}": checklist_workbook(content, cl) for cid, cl in content.checklists.items()},
    }
    for name, wb in books.items():
        for ws in saved(wb, tmp_path, f"{name}.xlsx").worksheets:
            assert_printable(ws)
            assert ws["A1"].value and ws["A1"].font.b, (name, ws.title)  # the title row
    six = load_workbook(io.BytesIO(six_checks_xlsx(content)))
    for ws in six.worksheets:
        assert_printable(ws)


def test_hazard_ledger_title_and_sign_off(content, tmp_path):
    ws = saved(hazards_workbook(content), tmp_path, "hazards.xlsx")["隐患台账"]
    name = content.enterprise.name
    assert ws["A1"].value == f"{name}隐患排查治理台账"
    assert ws.print_title_rows.replace("$", "") == "3:3" and ws["A3"].value == "序号"
    assert ws.cell(3 + len(content.hazards.hazards), 2).value  # the last hazard's row, then the sign-off
    last = str(ws.cell(ws.max_row, 1).value)
    agency = content.enterprise.key_people.safety_agency
    dept = content.enterprise.department(agency.department).name
    latest = max(content.hazards.revisions, key=lambda r: r.date)
    assert last.startswith(f"编制：{dept}") and "审核：＿" in last and f"批准：{latest.approved_by}" in last
    assert ws.max_row == 3 + len(content.hazards.hazards) + 2


def test_checklist_titles_name_the_enterprise_once(content, tmp_path):
    name = content.enterprise.name
    for cid, cl in content.checklists.items():
        title = saved(checklist_workbook(content, cl), tmp_path, f"{cid}.xlsx").active["A1"].value
        assert title.count(name) == 1 and title.startswith(name), title
        assert not re.search(re.escape(name) + r"\s*" + re.escape(name), title)


def test_unit_checklist_pdf_names_the_enterprise_once(tmp_path):
    c, _ = load(ROOT / "content" / "enterprises" / "demo-transport", build_date=DAY)
    name = c.enterprise.name
    cid = next(cid for cid, cl in c.checklists.items() if cl.title.startswith(name))
    job = next(j for j in checklists_output.jobs(c) if j.output == f"checklists/{cid}.pdf")
    dest = tmp_path / "unit.pdf"
    job.render(dest, BuildContext(c, tmp_path, None))
    with pdfplumber.open(dest) as pdf:
        first = re.sub(r"\s+", "", pdf.pages[0].extract_text())
        assert pdf.metadata["Title"] == c.checklists[cid].title
    assert first.count(name) >= 1 and name + name not in first
    assert first.startswith(name + "安全检查清单")  # the name line, then the heading without the name


def test_bank_points_from_the_exam_rules(content, tmp_path):
    rules: ExamRules = content.extras["exam_rules"]
    points = {sec.type: sec.points for spec in rules.kinds.values() for sec in spec.sections}
    ws = saved(bank_workbook(content, content.questions, "题库"), tmp_path, "bank.xlsx")["题库"]
    heads = [c.value for c in ws[2]]
    col, typ = heads.index("分值") + 1, heads.index("题型") + 1
    values = [(ws.cell(r, typ).value, ws.cell(r, col).value) for r in range(3, ws.max_row + 1)]
    assert len(values) == len(content.questions)
    assert all(v == points[t] for t, v in values), {t for t, v in values if v != points[t]}


def test_bank_without_exam_rules_has_no_points_column(content, tmp_path):
    bare = copy.copy(content)
    bare.extras = {k: v for k, v in content.extras.items() if k != "exam_rules"}
    ws = saved(bank_workbook(bare, bare.questions, "题库"), tmp_path, "bank.xlsx")["题库"]
    assert "分值" not in [c.value for c in ws[2]]
