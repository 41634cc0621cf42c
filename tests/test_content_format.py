"""Issue 14, items 1–4: the content format fits an enterprise's own records without bending them.

1. display numbers (`code`) beside internal ids; ids derived from ASCII codes; papers numbered for people;
2. free wording (frequencies with a period, training kinds), audience groups, the enterprise's level names;
3. optional fields instead of invented text, and a warning on placeholder-like text;
4. one legal basis per post (responsibility list, job standard).

The enterprise is tests/variant.py (the scaffold rewritten the way such an enterprise keeps its records).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from generators.checks import run_checks
from generators.checks.placeholders import placeholder
from generators.cli import main
from generators.diagnostics import Diagnostics
from generators.importers.bank import read_bank
from generators.load import load
from generators.model.base import id_from_code
from generators.model.checks import CheckItem
from generators.model.levels import Frequency, Levels
from generators.model.papers import paper_number, plan_paper
from generators.outputs.common import check_item_text, checklist_data, risk_data
from generators.outputs.excel import bank_workbook, checklist_workbook, hazards_workbook
from generators.outputs.handbook import handbook_data
from generators.outputs.training import training_view
from generators.render.xlsx import save_workbook
from tests.variant import DAY, LEGAL_BASIS, make_variant

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(p for p in (ROOT / "content" / "enterprises").iterdir() if (p / "enterprise.yaml").is_file())


@pytest.fixture()
def ent(tmp_path: Path) -> Path:
    return make_variant(tmp_path)


def loaded(ent: Path):
    content, diags = load(ent, build_date=DAY)
    assert content is not None and not diags.errors, [d.format() for d in diags.errors]
    return content, diags


def errors_of(ent: Path) -> list[str]:
    _, diags = load(ent, build_date=DAY)
    return [d.format() for d in diags.errors]


def edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


# ------------------------------------------------------------------ 1. display numbers


def test_codes_are_kept_as_written_and_ids_follow_from_ascii_codes(ent):
    content, _ = loaded(ent)
    r01 = next(r for r in content.risk_points if r.code == "R01")
    assert r01.id == "r01"  # written without an id
    n = len(content.questions)
    assert n >= 3 and [q.code for q in content.questions] == [f"Q{i:03d}" for i in range(1, n + 1)]
    assert [q.id for q in content.questions] == [f"q{i:03d}" for i in range(1, n + 1)]
    hazard = content.hazards.hazards[0]
    assert (hazard.id, hazard.code) == ("yh-2026-001", "YH-2026-001")
    assert content.enterprise.post("safety-officer").code == "GW-07"
    assert content.checklists["safety-officer-card"].code == "AQK-2026-01"
    assert id_from_code("YH-2024-001") == "yh-2024-001" and id_from_code("R01") == "r01"
    assert id_from_code("安检-01") is None  # "安检-01" and "巡检-01" must not both become "01"


def test_a_non_ascii_code_needs_an_id(ent):
    edit(ent / "hazards.yaml", lambda d: d["hazards"][0].update(code="安隐-2026-1"))
    errs = errors_of(ent)
    assert any("hazards[0].id" in e and "缺少必填字段" in e for e in errs), errs


def test_repeated_codes_are_errors(ent):
    def twice(d):
        d["risk_points"][1]["code"] = "R01"
    edit(ent / "risks" / "register.yaml", twice)
    errs = errors_of(ent)
    assert any("风险点编号 code“R01”重复" in e and "risk_points[1].code" in e for e in errs), errs


def test_documents_get_codes_never_ids(ent):
    content, _ = loaded(ent)
    risk = risk_data(content, next(r for r in content.risk_points if r.code == "R01"))
    assert risk["code"] == "R01"
    card = checklist_data(content, content.checklists["safety-officer-card"])
    # items print grouped by section (K-03 joins the section of K-01), each with its own code
    codes = [it["code"] for it in card["items"]]
    assert card["has_code"] and sorted(codes) == ["K-01", "K-02", "K-03"]
    sections = [it["category"] for it in card["items"]]
    assert sections == sorted(sections, key=sections.index), "one block per section"
    assert "id" not in card["items"][0]  # the items carry nothing a template could print by mistake
    # a hazard's checklist item, written with the enterprise's numbers, prints as title + code
    assert check_item_text(content, content.hazards.hazards[0].check_item) == "专职安全管理员岗位安全检查卡片 K-01"
    assert check_item_text(content, "safety-officer-card/c01") == "专职安全管理员岗位安全检查卡片 K-01"  # by ids: the same item


def test_checklist_item_reference_that_resolves_to_nothing_is_a_warning(ent):
    edit(ent / "hazards.yaml", lambda d: d["hazards"][0].update(check_item="AQK-2026-01/K-99"))
    content, diags = loaded(ent)
    assert any(d.field == "hazards[0].check_item" and "不在检查清单中" in d.message for d in diags.warnings)
    assert check_item_text(content, "AQK-2026-01/K-99") == "AQK-2026-01/K-99"  # printed as the enterprise wrote it


def test_exam_papers_are_numbered_for_people(ent):
    content, _ = loaded(ent)
    rules = content.extras["exam_rules"]
    assert paper_number(content, rules, "safety-officer", "first", 1) == "AQ-KS-2026-01"  # its code
    assert paper_number(content, rules, "safety-officer", "year-end", 1) == "专职安全管理员年终考试（第 1 套）"
    assert paper_number(content, rules, "safety-officer", "year-end", 9) == "专职安全管理员年终考试（抽题种子 9）"  # on demand
    paper = plan_paper(content, rules, "safety-officer", "first", 1)
    assert paper.number == "AQ-KS-2026-01" and paper.exam_id == "safety-officer-first-1"


def test_bank_export_prints_codes_and_import_keeps_ids(ent, tmp_path):
    content, _ = loaded(ent)
    path = tmp_path / "bank.xlsx"
    save_workbook(bank_workbook(content, content.questions, "题库"), path, DAY)
    from openpyxl import load_workbook

    cells = {str(c.value) for ws in load_workbook(path) for row in ws.iter_rows() for c in row if c.value is not None}
    assert {"Q001", "Q002", "Q003"} <= cells and not {"q001", "q002", "q003"} & cells
    back, diags = read_bank(path, content)
    assert back is not None, [d.format() for d in diags]
    assert [(q.id, q.code) for q in back.questions][:3] == [("q001", "Q001"), ("q002", "Q002"), ("q003", "Q003")]
    assert all(q.id == q.code.lower() for q in back.questions)


def test_import_takes_the_number_as_code_and_keeps_known_ids(ent, tmp_path):
    from openpyxl import Workbook

    content, _ = loaded(ent)
    wb = Workbook()
    ws = wb.active
    ws.append(["题号", "题型", "题干", "选项A", "选项B", "答案", "知识点"])
    ws.append(["YH-Q-7", "单选", "新题目（  ）。", "甲", "乙", "A", "新知识点"])
    ws.append([None, "判断", "从业人员发现事故隐患，应当立即向现场安全生产管理人员或者本单位负责人报告。", None, None, "正确", "报告"])
    ws.append(["第8题", "判断", "另一道新题。", None, None, "错误", "新知识点"])
    path = tmp_path / "in.xlsx"
    wb.save(path)
    bank, diags = read_bank(path, content, "imp")
    assert bank is not None, [d.format() for d in diags]
    assert [(q.id, q.code) for q in bank.questions] == [("yh-q-7", "YH-Q-7"), ("q003", None), ("imp-003", "第8题")]


# ------------------------------------------------------------------ 2. free wording, groups, levels


def test_frequency_free_wording_with_a_period():
    assert Frequency.model_validate("周").period == "周"
    assert Frequency.model_validate("每班").period == "日"  # a shift is at least daily
    assert Frequency.model_validate("每趟").period is None  # not judged
    f = Frequency.model_validate({"text": "每趟及途中每 2 h", "period": "日"})
    assert (f.text, f.period, f.label) == ("每趟及途中每 2 h", "日", "每趟及途中每 2 h")
    assert Frequency.model_validate("月").label == "月查"
    item = CheckItem.model_validate({"code": "K-9", "content": "检查", "frequency": "每次入场", "responsible": "部门"})
    assert item.id == "k-9" and item.frequency.text == "每次入场"


def test_a_period_outside_the_five_is_an_error(ent):
    edit(ent / "checklists" / "safety-dept.yaml", lambda d: d["items"][0].update(frequency={"text": "每旬", "period": "旬"}))
    assert any("items[0].frequency.period" in e and "只能是" in e for e in errors_of(ent))


def test_level_frequency_rule_is_checked_where_the_period_is_known(ent):
    content, diags = loaded(ent)
    run_checks(content, diags)
    assert not [d for d in diags.warnings if "最频繁的检查项" in d.message]
    edit(ent / "checklists" / "safety-dept.yaml", lambda d: d["items"][0].update(frequency="每月"))
    content, diags = loaded(ent)
    run_checks(content, diags)
    found = [d for d in diags.warnings if "最频繁的检查项" in d.message]
    assert len(found) == 1 and "公司月查、部门周查、班组日查" in found[0].message and "部门至少周查一次" in found[0].message
    assert found[0].file.endswith("safety-dept.yaml") and found[0].line > 1
    # free wording without a period is not judged
    edit(ent / "checklists" / "safety-dept.yaml", lambda d: d["items"][0].update(frequency="每次检修"))
    content, diags = loaded(ent)
    run_checks(content, diags)
    assert not [d for d in diags.warnings if "最频繁的检查项" in d.message]


def test_levels_are_the_enterprises_words(ent):
    content, _ = loaded(ent)
    levels = content.levels
    assert levels.names == ("公司", "部门", "班组", "岗位")
    dept = content.checklists["safety-dept"]
    assert dept.level == "车间"  # written "部门": stored as the seeds' level
    assert levels.checklist_title(dept.level) == "部门安全检查表册"
    assert levels.checklist_title("岗位") == "岗位（班组）安全检查卡片" and levels.checklist_title("单位") == "单位安全检查清单"
    card = checklist_data(content, content.checklists["safety-officer-card"])
    assert sorted(it["responsible"] for it in card["items"]) == ["岗位", "岗位", "部门"]  # items grouped by section
    r01 = next(r for r in content.risk_points if r.code == "R01")
    assert r01.control_level == "车间" and risk_data(content, r01)["control_level"] == "部门"
    # the default words stay the seeds'
    assert Levels().checklist_title("车间") == "车间（部门）安全检查表册" and Levels().frequency_rule() == "公司月查、车间周查、班组日查"


def test_a_level_word_the_enterprise_does_not_use_is_an_error(ent):
    edit(ent / "enterprise.yaml", lambda d: d.pop("settings"))
    errs = errors_of(ent)
    assert any("risk_points[0].control_level" in e and "管控层级“部门”不是本企业的层级" in e for e in errs), errs
    assert any("checklists/safety-dept.yaml" in e and "清单层级“部门”无法识别" in e for e in errs), errs


def test_library_checklists_keep_the_seeds_words(tmp_path):
    lib = tmp_path / "content" / "library" / "checklists"
    lib.mkdir(parents=True)
    (lib / "x.yaml").write_text(yaml.safe_dump({"id": "x", "title": "行业清单", "level": "部门", "items": [
        {"id": "a", "content": "检查", "frequency": "月", "responsible": "部门"}]}, allow_unicode=True), encoding="utf-8")
    ent = make_variant(tmp_path / "content" / "enterprises")
    errs = errors_of(ent)
    assert any("x.yaml" in e and "公共清单的层级只能是" in e for e in errs), errs
    assert any("x.yaml" in e and "公共清单的责任层级只能是" in e for e in errs), errs


def test_audience_groups_count_for_their_posts(ent):
    content, _ = loaded(ent)
    # 驾驶员 holds driver; the 全员 item counts too; 承包商作业人员 holds no post
    assert sorted(t.id for t in content.post_training("driver")) == ["px-03", "t02"]
    assert content.audience_label("驾驶员") == "驾驶员" and content.audience_label("全员") == "全体员工"
    assert content.enterprise.audience_headcount("驾驶员") == 8 and content.enterprise.audience_headcount("承包商作业人员") == 12
    view = training_view(content)
    groups = {g["name"]: g for g in view["groups"]}
    assert groups["承包商作业人员"]["headcount"] == 12 and groups["承包商作业人员"]["count"] == 2  # its item and the 全员 one
    assert {r["kind"] for r in view["rows"]} >= {"年度再培训", "专项培训"}
    # the enterprise's numbers in the 编号 column; an item without one prints nothing there
    assert view["has_code"] and {r["topic"]: r["no"] for r in view["rows"]}["新员工公司级、车间级、班组级安全教育"] == ""
    assert [r["no"] for r in view["rows"] if r["no"]] == ["PX-01", "PX-03", "PX-04"]


def test_unknown_audiences_and_bad_groups_are_errors(ent):
    edit(ent / "training.yaml", lambda d: d["items"][0].update(audience=["转岗人员"]))
    errs = errors_of(ent)
    assert any("参训对象“转岗人员”" in e and "驾驶员、承包商作业人员、特殊作业监护人" in e for e in errs), errs

    def bad_groups(d):
        d["audiences"]["全员"] = ["driver"]
        d["audiences"]["驾驶员"] = ["drivr"]
    edit(ent / "enterprise.yaml", bad_groups)
    errs = errors_of(ent)
    assert any("人员组名称“全员”与内置的参训对象重名" in e for e in errs), errs
    assert any("audiences.驾驶员[0]" in e and "岗位“drivr”不存在" in e for e in errs), errs


def test_training_kind_is_free_wording(ent):
    edit(ent / "training.yaml", lambda d: d["items"][0].update(kind="班组安全活动"))
    content, _ = loaded(ent)
    assert content.training.items[0].kind == "班组安全活动"


# ------------------------------------------------------------------ 3. optional fields, placeholders


def test_fields_the_seeds_do_not_require_may_be_left_out(ent):
    content, _ = loaded(ent)
    resp = content.responsibilities["safety-officer"]
    assert all(d.assessment is None and d.basis == [] for d in resp.duties)
    std = content.job_standards["safety-officer"]
    assert std.equipment[0].name is None and std.cases[0].causes == []
    assert next(r for r in content.risk_points if r.code == "R01").responsible is None
    assert next(it for it in content.checklists["safety-officer-card"].items if it.code == "K-03").basis is None
    data = handbook_data(content, content.posts)
    post = data["posts"][0]
    assert not post["responsibility"]["has_basis"] and not post["responsibility"]["has_assessment"]
    assert not post["standard"]["has_safety"]
    assert next(r for r in data["register"] if r["code"] == "R01")["responsible"] == ""


@pytest.mark.parametrize("text,found", [
    ("考核标准待补充（源资料未提供）", "待补充"), ("时间待定", "待定"), ("XXX有限公司", "XXX"), ("××公司", "××"),
    ("TODO", "TODO"), ("略", "略"), ("（略）", "（略）"), ("暂无", "暂无"), ("（源资料未提供）", "源资料未提供"),
])
def test_placeholder_patterns(text, found):
    assert placeholder(text) == found


@pytest.mark.parametrize("text", ["策略", "忽略小隐患是大事故的根源", "省略号", "战略", "X 射线探伤", "GB 2894-2025", "暂时停止作业"])
def test_ordinary_text_is_not_a_placeholder(text):
    assert placeholder(text) is None


def test_placeholder_warning_names_file_line_and_field(ent):
    path = ent / "responsibilities" / "safety-officer.yaml"
    edit(path, lambda d: d["duties"][1].update(assessment="考核标准待补充（源资料未提供）"))
    content, diags = loaded(ent)
    checks = Diagnostics()
    run_checks(content, checks)
    found = [d for d in checks.warnings if "疑似占位文字" in d.message]
    assert len(found) == 1
    d = found[0]
    line = next(i for i, t in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if "待补充" in t)
    assert d.file.endswith("responsibilities/safety-officer.yaml") and d.line == line and d.field == "duties[1].assessment"
    assert "“待补充”" in d.message


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in SAMPLES])
def test_samples_and_library_have_no_placeholders(sample):
    content, diags = load(sample)
    run_checks(content, diags)
    assert not [d.format() for d in diags.warnings if "疑似占位文字" in d.message]


def test_fresh_scaffold_has_no_placeholders_and_shows_the_new_fields(tmp_path, capsys):
    target = tmp_path / "fresh"
    assert main(["new", str(target), "--url", "http://aq.example.internal/", "--phone", "0351-12345678"]) == 0
    content, diags = load(target)
    run_checks(content, diags)
    assert not diags.errors and not [d for d in diags.warnings if "疑似占位文字" in d.message or "最频繁" in d.message]
    assert content.risk_points[0].code == "FX-01" and content.checklists["safety-officer-card"].items[0].frequency.text == "每班"
    text = (target / "enterprise.yaml").read_text(encoding="utf-8")
    assert "levels: [公司, 部门, 班组, 岗位]" in text and "audiences:" in text


# ------------------------------------------------------------------ 4. legal basis per post


def test_legal_basis_belongs_to_the_post(ent):
    content, _ = loaded(ent)
    assert content.responsibilities["safety-officer"].legal_basis == LEGAL_BASIS
    assert content.job_standards["safety-officer"].legal_basis == ["《危险化学品安全管理条例》第二十四条"]
    post = handbook_data(content, content.posts)["posts"][0]
    assert post["responsibility"]["legal_basis"] == LEGAL_BASIS and all(d["basis"] == [] for d in post["responsibility"]["duties"])


# ------------------------------------------------------------------ the JSON Schema


def test_schema_describes_codes_free_wording_levels_and_audiences(tmp_path, capsys):
    assert main(["schema", "--out", str(tmp_path)]) == 0
    s = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in tmp_path.glob("*.schema.json")}
    hazard = s["hazards.schema.json"]["$defs"]["Hazard"]
    assert "code" in hazard["properties"] and "id" not in hazard["required"]
    assert hazard["anyOf"] == [{"required": ["id"]}, {"required": ["code"]}]
    freq = s["checklist.schema.json"]["$defs"]["Frequency"]["anyOf"]
    assert "每班" in freq[0]["enum"] and freq[1]["type"] == "string" and "period" in freq[2]["properties"]
    kind = s["training.schema.json"]["$defs"]["TrainingItem"]["properties"]["kind"]["anyOf"]
    assert {"再培训", "年度再培训", "专项培训"} <= set(kind[0]["enum"]) and kind[1]["type"] == "string"
    ent = s["enterprise.schema.json"]
    assert "audiences" in ent["properties"] and ent["$defs"]["Settings"]["properties"]["levels"]["minItems"] == 4
    duty = s["responsibility.schema.json"]["$defs"]["Duty"]
    assert "assessment" not in duty.get("required", []) and "legal_basis" in s["responsibility.schema.json"]["properties"]
    assert "legal_basis" in s["job_standard.schema.json"]["properties"]
    paper = s["exam_rules.schema.json"]["$defs"]["PaperSpec"]["properties"]
    assert "code" in paper


def test_checklist_workbook_drops_empty_columns_and_uses_the_words(ent, tmp_path):
    from openpyxl import load_workbook

    content, _ = loaded(ent)
    path = tmp_path / "cl.xlsx"
    save_workbook(checklist_workbook(content, content.checklists["safety-dept"]), path, DAY)
    ws = load_workbook(path).active
    assert ws.title == "部门安全检查表册"
    assert [c.value for c in ws[3]][:3] == ["序号", "编号", "检查类别"] and ws["B4"].value == "B-01" and ws["H4"].value == "部门"
    path = tmp_path / "hz.xlsx"
    save_workbook(hazards_workbook(content), path, DAY)
    ws = load_workbook(path).active
    row = {h.value: c.value for h, c in zip(ws[3], ws[4])}  # under the title and the date line
    assert row["隐患编号"] == "YH-2026-001" and row["对应检查项"] == "专职安全管理员岗位安全检查卡片 K-01"
