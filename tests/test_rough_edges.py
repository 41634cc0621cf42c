"""Issue 14 item 11: `anquan new` derives the id from the folder (or asks for --id) and starts with no
warnings; messages are Chinese throughout and print numbers as written; folders are reported
without a line; `anquan bank` classifies each basis (法律 … 企业制度, SDS); printed cards need an
internal 24-hour number, and their 应急电话 block has no empty cell."""

from __future__ import annotations

import datetime as dt
import errno
import io
import json
import re
from pathlib import Path

import pdfplumber
import pytest
import yaml

from generators.checks import run_checks
from generators.checks.bank import basis_report, classify
from generators.cli import main
from generators.cli.new import derive_id
from generators.diagnostics import os_reason
from generators.load import load
from generators.zh import num

DAY = dt.date.today()  # a fresh scaffold is dated today
ENGLISH = re.compile(r"\b(or|and|Input|should|valid|Field|required|Value error|greater|less|than|List|items)\b")


def check_json(ent: Path, capsys) -> dict:
    """`anquan check --format json` as of today (a fresh scaffold's revisions are dated today)."""
    main(["check", str(ent), "--format", "json"])
    return json.loads(capsys.readouterr().out)


# ------------------------------------------------------------------ anquan new


def test_new_asks_for_an_id_when_the_folder_has_no_latin_letters(tmp_path: Path, capsys):
    target = tmp_path / "content" / "enterprises" / "我的企业"
    assert main(["new", str(target)]) == 2
    err = capsys.readouterr().err
    assert "目录名“我的企业”中没有英文字母" in err and "--id" in err
    assert not target.exists()
    assert main(["new", str(target), "--id", "Wode Qiye"]) == 2
    assert "不合格式" in capsys.readouterr().err
    assert main(["new", str(target), "--id", "wode", "--url", "http://192.168.1.20", "--phone", "0351-6012345"]) == 0
    capsys.readouterr()
    data = yaml.safe_load((target / "enterprise.yaml").read_text(encoding="utf-8"))
    assert data["id"] == "wode" and data["site"]["base_url"] == "http://192.168.1.20/"
    assert data["emergency_phones"][0] == {"name": "公司应急值班（24小时）", "number": "0351-6012345"}
    report = check_json(target, capsys)
    assert report["errors"] == [] and report["warnings"] == []  # no "企业编号与目录名不一致" for a Chinese folder


def test_derived_ids():
    assert derive_id("acme") == "acme"
    assert derive_id("My Company") == "my-company"
    assert derive_id("acme工厂") == "acme"
    assert derive_id("Hengan_2024") == "hengan_2024"
    assert derive_id("我的企业") is None and derive_id("企业2024") is None


def test_fresh_scaffold_without_address_and_phone_says_exactly_what_to_fill(tmp_path: Path, capsys):
    target = tmp_path / "my-company"
    assert main(["new", str(target)]) == 0
    out = capsys.readouterr().out
    assert "site.base_url" in out and "24小时应急值班电话" in out
    report = check_json(target, capsys)
    assert report["warnings"] == []
    assert sorted(e["field"] for e in report["errors"]) == ["emergency_phones", "site.base_url"]
    assert "没有填写站点地址 site.base_url" in next(e["message"] for e in report["errors"] if e["field"] == "site.base_url")


def test_new_rejects_an_address_without_scheme(tmp_path: Path, capsys):
    assert main(["new", str(tmp_path / "acme"), "--url", "192.168.1.20"]) == 2
    assert "应以 http:// 或 https:// 开头" in capsys.readouterr().err


# ------------------------------------------------------------------ messages


@pytest.fixture()
def ent(tmp_path: Path, capsys) -> Path:
    target = tmp_path / "acme"
    assert main(["new", str(target), "--url", "http://192.168.1.20", "--phone", "0351-6012345"]) == 0
    capsys.readouterr()
    return target


def errors_of(ent: Path) -> list:
    _, diags = load(ent, build_date=DAY)
    return diags.errors


def test_messages_are_chinese_and_numbers_are_as_written(ent: Path):
    card = ent / "checklists" / "safety-officer-card.yaml"
    card.write_text(card.read_text(encoding="utf-8").replace("frequency: 每班", "frequency: {text: 每班, period: 时}", 1), encoding="utf-8")
    e = ent / "enterprise.yaml"
    text = e.read_text(encoding="utf-8").replace("headcount: 1", "headcount: -20.0", 1).replace("revenue_wan: 500", "revenue_wan: -20.0", 1)
    e.write_text(text, encoding="utf-8")
    risk = ent / "risks" / "register.yaml"
    risk.write_text(risk.read_text(encoding="utf-8").replace("L: 1, E: 6, C: 7", "L: 4.0, E: 6, C: 7"), encoding="utf-8")
    msgs = {d.field: d.message for d in errors_of(ent)}
    freq = next(m for f, m in msgs.items() if f.startswith("items[0].frequency"))
    assert "“时”" in freq and "日、周、月、季、年" in freq, freq
    assert msgs["posts[0].headcount"].startswith("应 ≥ 0，现为 -20")
    assert msgs["revenue_wan"].startswith("应 ≥ 0，现为 -20（")
    assert msgs["risk_points[0].assessment.L"].startswith("L 只能取 10、6、3、1、0.5、0.2、0.1，不能取 4（")
    for m in msgs.values():
        assert not ENGLISH.search(m) and "20.0" not in m and "4.0" not in m, m


def test_untranslated_error_types_still_read_chinese(ent: Path):
    rm = ent / "riskmap.yaml"
    rm.write_text("zones:\n  - id: a\n    name: 办公区\n    responsible: 张三\n    rect: {x: 1, y: 1, w: 10, h: 10}\n    label_at: nope\n"
                  "    polygon: [[1, 2], [3, 4], [5, 6], [7, 8]]\n    risk_points: [a, b]\n", encoding="utf-8")
    book = ent / "questions" / "general.yaml"
    data = yaml.safe_load(book.read_text(encoding="utf-8"))
    data["questions"][0]["options"] = ["一", "二"]
    data["title"] = {"nested": "mapping"}
    book.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    msgs = [d.message for d in errors_of(ent)]
    assert any("应为列表，如 [10, 20]" in m for m in msgs)  # tuple_type
    for m in msgs:
        assert not ENGLISH.search(m), m


def test_os_errors_are_chinese():
    assert os_reason(PermissionError(errno.EACCES, "Permission denied")) == "没有权限"
    assert os_reason(OSError(errno.ENOSPC, "No space left on device")) == "磁盘空间不足"
    assert "Permission" not in os_reason(OSError(9999, "Weird")) and "9999" in os_reason(OSError(9999, "Weird"))


def test_num_prints_numbers_as_people_write_them():
    assert [num(20.0), num(0.5), num(2.5), num(1_500_000.0), num(7), num(1e-7)] == ["20", "0.5", "2.5", "1500000", "7", "0.0000001"]


def test_folders_are_reported_without_line_and_column(ent: Path, capsys):
    book = ent / "questions" / "general.yaml"
    book.write_text(book.read_text(encoding="utf-8").replace(f"date: {dt.date.today().isoformat()}", "date: 2020-01-01"), encoding="utf-8")
    (ent / "drafts").mkdir()
    (ent / "drafts" / "x.yaml").write_text("a: 1\n", encoding="utf-8")
    assert main(["check", str(ent), "--date", DAY.isoformat()]) == 0
    out = capsys.readouterr().out
    folder = re.search(r"^(\S*questions) 字段 revisions：警告：题库超过一年未修订", out, re.M)
    assert folder and not re.search(r"questions:\d+:\d+", out), out
    assert re.search(r"drafts：警告：未识别的目录“drafts”", out) and not re.search(r"drafts:\d", out)
    data = check_json(ent, capsys)
    folder_entry = next(w for w in data["warnings"] if w["field"] == "revisions")
    assert folder_entry["line"] == 0 and folder_entry["column"] == 0


# ------------------------------------------------------------------ anquan bank: bases by class


@pytest.mark.parametrize("basis, expected", [
    ("《中华人民共和国安全生产法》第二十八条", [("《中华人民共和国安全生产法》", "法律")]),
    ("《危险化学品安全管理条例》第四十八条", [("《危险化学品安全管理条例》", "法规")]),
    ("《工贸企业重大事故隐患判定标准》（应急管理部令第10号）", [("《工贸企业重大事故隐患判定标准》（应急管理部令第10号）", "规章")]),
    ("安监总管三〔2017〕121号", [("安监总管三〔2017〕121号", "规范性文件")]),
    ("《企业安全生产费用提取和使用管理办法》（财资〔2022〕136号）", [("《企业安全生产费用提取和使用管理办法》（财资〔2022〕136号）", "规范性文件")]),
    ("GB 30871-2022 6.3", [("GB 30871-2022", "国家标准")]),
    ("《危险货物道路运输规则》（JT/T 617）", [("《危险货物道路运输规则》（JT/T 617）", "行业标准")]),
    ("DB37/T 2882-2016", [("DB37/T 2882-2016", "地方标准")]),
    ("公司危险货物运输安全管理制度", [("公司危险货物运输安全管理制度", "企业制度")]),
    ("叉车司机岗位作业流程标准", [("叉车司机岗位作业流程标准", "企业制度")]),
    ("公司《临时用电安全管理规定》", [("《临时用电安全管理规定》", "企业制度")]),
    ("危险化学品安全技术说明书“急救措施”部分", [("危险化学品安全技术说明书“急救措施”部分", "SDS")]),
    ("《道路危险货物运输管理规定》；公司危险货物运输安全管理制度",
     [("《道路危险货物运输管理规定》", "规章"), ("公司危险货物运输安全管理制度", "企业制度")]),
])
def test_a_basis_is_classified(basis, expected):
    assert [(c.name, c.kind) for c in classify(basis)] == expected


def test_enterprise_policy_titles_are_its_own_rules():
    assert classify("《有限空间作业管理办法》第三条")[0].kind == "规章"
    assert classify("《有限空间作业管理办法》第三条", own=("有限空间作业管理办法",))[0].kind == "企业制度"


def test_one_standard_however_written_is_one_row():
    from generators.model import Question

    qs = [Question(id=f"q{i}", type="判断", stem=f"题{i}", answer="正确", knowledge_point="焊接", basis=b)
          for i, b in enumerate(["GB 9448-1999《焊接与切割安全》", "《焊接与切割安全》（GB 9448）", "GB 9448-1999 10.1", "公司动火作业管理规定"])]
    cites, without = basis_report(qs)
    welding = [c for c in cites if c.kind == "国家标准"]
    assert len(welding) == 1 and welding[0].questions == ["q0", "q1", "q2"] and welding[0].name == "《焊接与切割安全》（GB 9448-1999）"
    assert without == ["q3"]  # only the enterprise's own rules: no law or standard


def test_bank_command_shows_the_table_by_class(ent: Path, capsys):
    book = ent / "questions" / "general.yaml"
    data = yaml.safe_load(book.read_text(encoding="utf-8"))
    data["questions"][1]["basis"] = "《关于进一步加强危险化学品安全生产工作的指导意见》（安监总管三〔2017〕121号）"
    data["questions"][2]["basis"] = "公司隐患排查治理制度"
    book.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["bank", str(ent)]) == 0
    out = capsys.readouterr().out
    assert "类别" in out and "规范性文件" in out and "安监总管三〔2017〕121号" in out
    rows = [ln for ln in out.splitlines() if "公司隐患排查治理制度" in ln]
    assert rows and "企业制度" in rows[0]
    assert "法律" in out and "《中华人民共和国安全生产法》" in out
    assert main(["bank", str(ent), "--format", "json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    classes = {c["name"]: c["class"] for c in summary["citations"]}
    assert classes["公司隐患排查治理制度"] == "企业制度" and classes["《中华人民共和国安全生产法》"] == "法律"
    assert summary["by_class"]["规范性文件"] == 1


# ------------------------------------------------------------------ the card's 应急电话


def phone_cells(page, numbers: list[str]) -> list[list[str]]:
    """The 应急电话 grid as printed: per row (between the grid's horizontal rules) the numbers of each
    cell (between the vertical rules that cross that row), left to right."""
    def within(w, r) -> bool:
        return r["x0"] - 1 <= w["x0"] and w["x1"] <= r["x1"] + 1 and r["top"] - 1 <= w["top"] and w["bottom"] <= r["bottom"] + 1

    found = [w for w in page.extract_words() if w["text"] in numbers]
    # the block: the smallest framed rectangle holding every number (the same numbers may be in the text too)
    frame = min((r for r in page.rects if {w["text"] for w in found if within(w, r)} == set(numbers)), key=lambda r: r["width"] * r["height"])
    words = [w for w in found if within(w, frame)]
    assert sorted(w["text"] for w in words) == sorted(numbers), [w["text"] for w in words]
    inside = [ln for ln in page.lines if frame["x0"] - 1 <= ln["x0"] and ln["x1"] <= frame["x1"] + 1
              and frame["top"] - 1 <= ln["top"] and ln["bottom"] <= frame["bottom"] + 1]
    rules = sorted({round(ln["top"], 1) for ln in inside if abs(ln["top"] - ln["bottom"]) < 0.5} | {round(frame["bottom"], 1)})
    verticals = [ln for ln in inside if abs(ln["x0"] - ln["x1"]) < 0.5]
    rows = []
    for top, bottom in zip(rules, rules[1:]):
        if bottom - top < 3:
            continue
        xs = sorted({frame["x0"], frame["x1"], *(ln["x0"] for ln in verticals if ln["top"] <= top + 1 and ln["bottom"] >= bottom - 1)})
        xs = [x for i, x in enumerate(xs) if i == 0 or x - xs[i - 1] > 1]
        in_row = [w for w in words if top <= (w["top"] + w["bottom"]) / 2 <= bottom]
        rows.append([[w["text"] for w in in_row if a <= (w["x0"] + w["x1"]) / 2 <= b] for a, b in zip(xs, xs[1:])])
    return rows


@pytest.mark.slow
@pytest.mark.parametrize("extra", [0, 1, 3])
def test_card_phone_block_has_the_internal_number_and_no_empty_cell(ent: Path, tmp_path: Path, extra: int):
    """The card's 应急电话 block (at most five to a row on A4, rows even): the internal 24-hour number first, then 119, 120,
    110 and any others; every cell of its grid holds exactly one number, however many there are."""
    from generators.outputs import cards
    from generators.outputs.base import BuildContext

    others = [f"1235{i}" for i in range(extra)]
    e = ent / "enterprise.yaml"
    e.write_text(e.read_text(encoding="utf-8").replace('  - {name: 报警, number: "110"}\n', '  - {name: 报警, number: "110"}\n'
                 + "".join(f'  - {{name: 热线{i}, number: "{n}"}}\n' for i, n in enumerate(others))), encoding="utf-8")
    content, diags = load(ent, build_date=DAY)
    run_checks(content, diags)
    assert not diags.errors, [d.format() for d in diags.errors]
    job = next(j for j in cards.jobs(content) if j.output == "cards/safety-officer.pdf")
    dest = tmp_path / "card.pdf"
    job.render(dest, BuildContext(content, tmp_path, None))
    numbers = ["0351-6012345", "119", "120", "110", *others]
    with pdfplumber.open(io.BytesIO(dest.read_bytes())) as pdf:
        rows = phone_cells(pdf.pages[0], numbers)
    cells = [cell for row in rows for cell in row]
    assert all(len(cell) == 1 for cell in cells), rows  # no empty cell, no cell with two numbers
    assert [cell[0] for cell in cells] == numbers, rows  # in order, the internal number first
    per_row = len(rows[0])  # at most five to a row, fewer where the box beside the QR code is too narrow
    assert per_row <= 5 and len(rows) == -(-len(numbers) // per_row), rows
    assert max(map(len, rows)) - min(map(len, rows)) <= 1, rows  # rows as even as they can be
