"""Excel in and out: the bank template, errors naming sheet/row/column, exports, lossless round trip."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook, load_workbook

from generators.importers.bank import read_bank
from generators.load import load
from generators.model import Question
from generators.model.learning import BANK_HEADERS
from generators.outputs.excel import bank_workbook, checklist_workbook, export_all, hazards_workbook
from generators.render.xlsx import save_workbook
from tests.helpers.exams import DAY, FIXTURES, loaded, make_enterprise

DEMO = Path(__file__).resolve().parent.parent / "content" / "enterprises" / "demo-transport"


@pytest.fixture()
def ent(tmp_path: Path) -> Path:
    return make_enterprise(tmp_path)


def dumps(questions: list[Question]) -> list[dict]:
    return [q.model_dump(mode="json") for q in questions]


def test_template_imports_with_post_names_mapped(ent):
    content = loaded(ent)
    bank, diags = read_bank(FIXTURES / "bank_template.xlsx", content)
    assert bank is not None and not diags
    assert len(bank.questions) == 43 and bank.title == "示例企业题库"
    by_id = {q.id: q for q in bank.questions}
    assert by_id["f-01"].posts == ["forklift-driver"] and by_id["s-01"].posts == ["safety-officer"]
    assert by_id["g-01"].posts == ["通用"]
    assert by_id["g-09"].answer == "ABCDE" and by_id["g-14"].answer is False and by_id["g-15"].answer is True
    assert by_id["f-03"].difficulty == "难" and by_id["f-01"].basis.startswith("《中华人民共和国特种设备安全法》")


def test_broken_workbook_names_sheet_row_and_column():
    bank, diags = read_bank(FIXTURES / "broken_bank.xlsx")
    assert bank is None
    messages = sorted(d.format() for d in diags)
    assert any(":3:12：" in m and "工作表“题库”第 3 行 L 列（难度）：单元格是公式“=IF(1>0,\"易\",\"难\")”" in m for m in messages)
    assert any(":5:15：" in m and "工作表“题库”第 5 行 O 列（适用岗位）：合并单元格 O5:O6" in m for m in messages)
    assert any(":8:9：" in m and "工作表“题库”第 8 行 I 列（答案）：单选题只能有一个答案，现为“AB”" in m for m in messages)
    assert len([d for d in diags if d.severity == "error"]) == 3


def _sheet(tmp_path: Path, rows: list[list], headers: list[str] | None = None, title: str | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    if title:
        ws.append([title])
        ws.merge_cells("A1:F1")
    ws.append(headers or ["题型", "题干", "选项A", "选项B", "选项C", "答案", "知识点", "适用岗位", "题号"])
    for r in rows:
        ws.append(r)
    path = tmp_path / "bank.xlsx"
    wb.save(path)
    return path


def test_row_errors_each_name_their_column(ent, tmp_path):
    content = loaded(ent)
    path = _sheet(tmp_path, [
        ["单项选择题", "叉车停车后应当（  ）。", "拉紧手制动", None, "保持货叉升起", "A", "末节工序", "叉车司机", "k-1"],
        ["问答题", "什么是三违？", None, None, None, "违章指挥", "三违", "通用", "k-2"],
        ["判断", "叉车可以载人。", None, None, None, "错", "叉车作业", "仓库保管员", "k-3"],
        ["多选", "安全标志分为（  ）。", "禁止标志", "警告标志", "指令标志", "ABC", "安全标志", "通用", "k-3"],
        ["单选", "", "甲", "乙", None, "A", "知识点", "通用", "k-5"],
    ], title="仓储安全题库")
    bank, diags = read_bank(path, content)
    assert bank is None
    got = {(d.line, d.message.split("：")[0]) for d in diags if d.severity == "error"}
    assert (3, "工作表“Sheet1”第 3 行 C 列（选项A）") not in got
    assert (3, "工作表“Sheet1”第 3 行 D 列（选项B）") in got  # a gap before 选项C
    assert (4, "工作表“Sheet1”第 4 行 A 列（题型）") in got  # 问答题 is not a type
    assert (5, "工作表“Sheet1”第 5 行 H 列（适用岗位）") in got  # unknown post
    assert (6, "工作表“Sheet1”第 6 行 I 列（题号）") in got  # repeated id
    assert (7, "工作表“Sheet1”第 7 行 B 列（题干）") in got  # empty stem
    assert all("合并" not in d.message for d in diags)  # a merged title above the header is fine


def test_not_a_workbook_is_one_clear_error(tmp_path):
    path = tmp_path / "题库.xlsx"
    path.write_text("题型,题干\n单选,测试\n", encoding="utf-8")
    bank, diags = read_bank(path)
    assert bank is None and len(diags) == 1 and "不是有效的 .xlsx 文件" in diags[0].message


def test_round_trip_is_lossless_on_the_fixture(ent, tmp_path):
    content = loaded(ent)
    path = tmp_path / "out.xlsx"
    save_workbook(bank_workbook(content, content.questions, "安泰题库"), path, content.build_date)
    back, diags = read_bank(path, content)
    assert not [d for d in diags if d.severity == "error"]
    assert dumps(back.questions) == dumps(content.questions)
    ws = load_workbook(path)["题库"]
    assert ws["A1"].value == "安泰题库"  # the title row above the header, which the importer finds below it
    header = [c.value for c in ws[2] if c.value]
    assert header == [h for h in BANK_HEADERS if h in header] and {"题号", "题型", "题干", "选项A", "选项B", "答案", "知识点"} <= set(header)


def test_text_starting_with_equals_stays_text(ent, tmp_path):
    content = loaded(ent)
    q = Question(id="eq-1", type="判断", stem="=号开头的题干也必须原样导出，不能变成公式。", answer="正确", knowledge_point="导出")
    path = tmp_path / "eq.xlsx"
    save_workbook(bank_workbook(content, [q], None), path, DAY)
    assert load_workbook(path)["题库"]["C2"].data_type == "s"
    back, diags = read_bank(path, content)
    assert back is not None and back.questions[0].stem == q.stem


def test_round_trip_is_lossless_on_demo_transport(tmp_path):
    content, diags = load(DEMO, build_date=dt.date(2026, 11, 26))
    assert content is not None and not diags.errors, [d.format() for d in diags.errors[:3]]
    assert len(content.questions) >= 150
    path = tmp_path / "demo.xlsx"
    save_workbook(bank_workbook(content, content.questions, "题库"), path, content.build_date)
    back, problems = read_bank(path, content)
    assert back is not None, [p.format() for p in problems[:5]]
    assert dumps(back.questions) == dumps(content.questions)


def test_hazard_ledger_and_checklist_exports(ent, tmp_path):
    ledger = {"hazards": [
        {"id": "h-01", "code": "YH-2024-01", "found": "2024-03-02", "source": "企业自查", "place": "2号仓库叉车充电区", "description": "充电区未设置防火隔离和灭火器",
         "grade": "一般", "department": "safety", "five_fixed": {"responsible": "仓储部主管", "measures": "设置防火隔离带，配置 4 具干粉灭火器",
         "funds_wan": 0.6, "deadline": "2024-03-20"}, "status": "整改中",
         "check_item": "safety-officer-card/c02"},
        {"id": "h-02", "found": "2024-04-10", "source": "督导检查", "place": "装卸平台", "description": "装卸平台边缘无防护栏杆",
         "grade": "一般", "five_fixed": {"responsible": "行政部", "measures": "加装 1.2 米防护栏杆", "funds_wan": 1.2, "deadline": "2024-05-10"},
         "status": "已销号", "closed": "2024-05-08", "verifier": "安全管理部"},
    ]}
    (ent / "hazards.yaml").write_text(yaml.safe_dump(ledger, allow_unicode=True), encoding="utf-8")
    content = loaded(ent, dt.date(2024, 4, 1))
    written = export_all(content, tmp_path / "excel")
    assert sorted(p.name for p in written) == ["checklist-dept-safety.xlsx", "checklist-safety-officer-card.xlsx", "checklist-unit.xlsx",
                                               "hazards.xlsx", "question-bank.xlsx"]
    ws = load_workbook(tmp_path / "excel" / "hazards.xlsx")["隐患台账"]
    heads = [c.value for c in ws[3]]  # a title, the date line, then the header
    rows = [dict(zip(heads, (c.value for c in r))) for r in ws.iter_rows(min_row=4, max_row=5)]
    # the enterprise's own number, or nothing; never the internal id
    assert [r["隐患编号"] for r in rows] == ["YH-2024-01", None]
    assert rows[0]["责任部门"] == "安全管理部" and rows[0]["超期天数"] == 12  # 12 days past 2024-03-20 on 2024-04-01
    assert rows[1]["状态"] == "已销号" and rows[1]["超期天数"] is None
    # the checklist item by the checklist's title and the item's number (it has no code)
    assert rows[0]["对应检查项"] == "专职安全管理员岗位安全检查卡片 第2项" and rows[1]["对应检查项"] is None
    assert "应急预案" not in heads  # empty in every row: left out
    cells = {str(c.value) for r in ws.iter_rows() for c in r if c.value is not None}
    assert not {"h-01", "h-02", "safety-officer-card/c02"} & cells
    cl = load_workbook(tmp_path / "excel" / "checklist-safety-officer-card.xlsx").active
    assert "专职安全管理员岗位安全检查卡片" in cl["A1"].value
    # no item has a code: no 编号 column (the internal ids c01, c02 are never printed)
    assert [c.value for c in cl[3]][:4] == ["序号", "检查类别", "检查内容", "检查依据"]
    assert cl["F5"].value == "周" and cl["G4"].value == "岗位"
    assert not {"c01", "c02"} & {str(c.value) for r in cl.iter_rows() for c in r if c.value is not None}


def test_exports_are_byte_identical_for_the_same_content(ent, tmp_path):
    content = loaded(ent)
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    save_workbook(hazards_workbook(content), a, content.build_date)
    save_workbook(hazards_workbook(loaded(ent)), b, content.build_date)
    assert a.read_bytes() == b.read_bytes()
    cl = next(iter(content.checklists.values()))
    save_workbook(checklist_workbook(content, cl), a, content.build_date)
    save_workbook(checklist_workbook(loaded(ent), cl), b, content.build_date)
    assert a.read_bytes() == b.read_bytes()


def test_import_command_writes_a_bank_that_loads(ent, tmp_path, capsys):
    from generators.cli import main

    (ent / "questions" / "fixture.yaml").unlink()
    assert main(["import-bank", str(FIXTURES / "bank_template.xlsx"), str(ent), "--id", "warehouse"]) == 0
    target = ent / "questions" / "warehouse.yaml"
    content = loaded(ent)
    assert len([q for q in content.questions if q.id.startswith(("g-", "s-", "f-"))]) == 43
    assert main(["import-bank", str(FIXTURES / "bank_template.xlsx"), str(ent), "--id", "warehouse"]) == 1
    assert "已存在" in capsys.readouterr().err
    assert main(["import-bank", str(FIXTURES / "broken_bank.xlsx"), str(ent), "--id", "broken"]) == 1
    assert not (ent / "questions" / "broken.yaml").exists()
    assert target.read_text(encoding="utf-8").startswith("# 由 anquan import-bank")


def test_export_command(ent, tmp_path, capsys):
    from generators.cli import main

    assert main(["export", str(ent), "--out", str(tmp_path / "x"), "--date", "2024-06-01"]) == 0
    assert "已导出 5 个 Excel 文件" in capsys.readouterr().out  # the bank, the ledger, the scaffold's three checklists


def test_set_styles_saves_what_per_cell_assignment_saves():
    """xlsx.set_styles looks each style up once; the workbook must save byte for byte as with
    openpyxl's own per-cell assignment (including cells that already had a style or a date)."""
    import datetime as dt
    import io
    import zipfile

    from openpyxl.styles import Alignment, Border, Font, Side

    from generators.render.xlsx import _workbook, set_styles, workbook_bytes

    def sheet(fast: bool) -> bytes:
        wb = _workbook(dt.date(2026, 11, 26))
        ws = wb.active
        for r in range(1, 6):
            for c in range(1, 4):
                ws.cell(r, c, dt.date(2026, 1, r) if c == 3 else f"{r}-{c}")
        ws.cell(2, 2).font = Font(bold=True)
        thin = Side(style="thin", color="999999")
        styles = {"alignment": Alignment(vertical="top", wrap_text=True), "border": Border(top=thin, bottom=thin, left=thin, right=thin)}
        cells = [cell for row in ws.iter_rows(min_row=2, max_row=5, max_col=3) for cell in row]
        if fast:
            set_styles(cells, **styles)
        else:
            for cell in cells:
                for name, style in styles.items():
                    setattr(cell, name, style)
        return workbook_bytes(wb, dt.date(2026, 11, 26))

    fast = sheet(True)
    assert fast == sheet(False)
    assert b"wrapText" in zipfile.ZipFile(io.BytesIO(fast)).read("xl/styles.xml")
