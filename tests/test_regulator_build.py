"""The regulator's desk wired into the tool: the per-enterprise outputs (sixchecks, rating, quiz),
the fleet view in build/index/regulator/, `anquan quiz`, `anquan inspection-import`, and the rating
profiles the installed tool carries (the library's copy overriding).

The rubric, the crafted 优/良/中/差 enterprises, 标杆 and the fleet page at 600 rows are in
tests/test_regulator.py.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import http.server
import io
import json
import re
import shutil
import sys
import threading
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook
from pypdf import PdfReader

from generators import paths
from generators.checks import regulator as R
from generators.checks.regulator.quiz import quiz_seed
from generators.cli import main
from generators.load import load
from generators.outputs import OUTPUTS
from generators.outputs import quiz as quiz_output
from generators.outputs import rating as rating_output
from generators.outputs import sixchecks as sixchecks_output
from generators.outputs.site import downloads
from generators.outputs.sixchecks import six_checks_xlsx

ROOT = Path(__file__).resolve().parent.parent
TRANSPORT = ROOT / "content" / "enterprises" / "demo-transport"
FACTORY = ROOT / "content" / "enterprises" / "demo-factory"
DAY = dt.date(2026, 11, 26)
CHROMIUM = "/usr/bin/chromium"
sys.path.insert(0, str(ROOT / "benchmarks"))

from fleet_gen import make_fleet  # noqa: E402


@pytest.fixture(scope="module")
def transport():
    content, diags = load(TRANSPORT, build_date=DAY)
    assert not diags.errors
    return content


def _copy_content(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path / "content"


def _pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages).replace(" ", "")


# ---------------------------------------------------------------- the outputs


def test_regulator_outputs_are_listed_and_not_offered_on_the_site(transport):
    names = [o.name for o in OUTPUTS]
    assert {"rating", "sixchecks", "quiz"} <= set(names)
    assert names.index("quiz") < names.index("site")
    # the sheet and the quiz (with its key) are for the inspector: the enterprise's site neither links nor copies them
    assert not [k for k in downloads(transport) if k.startswith(("regulator/", "data/"))]
    site_job = next(o for o in OUTPUTS if o.name == "site").jobs(transport)[0]
    assert not [a for a in site_job.after if a.startswith("regulator/")]


def test_jobs_of_a_sample(transport):
    sheet_jobs = sixchecks_output.jobs(transport)
    assert [(j.output, j.kind) for j in sheet_jobs] == [("regulator/sixchecks.pdf", "sixchecks-pdf"), ("regulator/sixchecks.xlsx", "sixchecks-xlsx")]
    assert sheet_jobs[0].key_data["sheet"]["rating"]["grade"] == "良"  # the rating is printed on the sheet
    assert any(s.endswith("inspections/2026.yaml") for s in sheet_jobs[0].sources)
    [rating_job] = rating_output.jobs(transport)
    assert rating_job.output == "data/rating.json"
    data = rating_job.key_data
    assert data["rating"]["grade"] == "良" and data["rating"]["rubric"]["id"] == "road-transport"
    # every applicable score carries its evidence, and the 标杆 criteria theirs
    rules = [r for i in data["rating"]["items"] for r in i["rules"]]
    assert rules and all(r["evidence"] and r["evidence"][0]["text"] for r in rules)
    assert data["benchmark"]["missing"] == ["二级及以上安全生产标准化"]
    assert set(data["benchmark"]["evidence"]) == {"standardization", "handbook", "dual_prevention", "accident_free"}
    assert data["row"]["id"] == "demo-transport" and data["row"]["rating"] == "良"
    [quiz_job] = quiz_output.jobs(transport)
    assert quiz_job.output == "regulator/quiz.pdf" and quiz_job.key_data["quiz"]["seed"] == quiz_seed(transport)
    assert len(quiz_job.key_data["quiz"]["pages"]) == 3 and all(len(p["questions"]) == 5 for p in quiz_job.key_data["quiz"]["pages"])


def test_quiz_seed_is_fixed_per_enterprise_and_year(transport):
    import copy

    seed = quiz_seed(transport)
    assert 100000 <= seed < 1000000
    later = copy.deepcopy(transport)
    later.build_date = dt.date(2026, 12, 31)
    assert quiz_seed(later) == seed  # the same quiz all year
    later.build_date = dt.date(2027, 1, 1)
    assert quiz_seed(later) != seed
    factory, _ = load(FACTORY, build_date=DAY)
    assert quiz_seed(factory) != seed
    assert quiz_seed(transport, 2027) == quiz_seed(later)


def test_the_rating_file_keeps_people_for_the_enterprise_and_the_fleet_view_drops_them(transport):
    from generators.checks.regulator.fleet import fleet_data

    row = rating_output.rating_data(transport)["row"]
    principal = transport.enterprise.key_people.principal.name
    assert row["personal"]["principal"] == principal
    stripped = json.dumps(fleet_data([row]), ensure_ascii=False)
    assert principal not in stripped and "personal" not in fleet_data([row])["rows"][0]


# 刑法第一百三十四条之一（《刑法修正案（十一）》增加，2021年3月1日起施行）, items (一)–(三) as enacted
DANGEROUS_WORK = {
    "tamper": ("（一）", "关闭、破坏直接关系生产安全的监控、报警、防护、救生设备、设施，或者篡改、隐瞒、销毁其相关数据、信息的"),
    "defy-order": ("（二）", "因存在重大事故隐患被依法责令停产停业、停止施工、停止使用有关设备、设施、场所或者立即采取排除危险的整改措施，而拒不执行的"),
    "unlicensed": ("（三）", "涉及安全生产的事项未经依法批准或者许可，擅自从事矿山开采、金属冶炼、建筑施工，以及危险物品生产、经营、储存等高度危险的生产作业活动的"),
}


def test_dangerous_work_prompts_quote_the_criminal_law_word_for_word(transport):
    from generators.checks.regulator.six_checks import six_checks
    from generators.model.regulator_lines import line

    for item, (number, text) in DANGEROUS_WORK.items():
        ln = line(item)
        assert f"“{text}”" in ln.title and ln.basis == f"刑法第一百三十四条之一第{number}项"
    printed = {ln["id"]: ln for s in six_checks(transport)["sections"] for ln in s["lines"]}
    assert all(f"“{text}”" in printed[item]["title"] for item, (_, text) in DANGEROUS_WORK.items())


# ---------------------------------------------------------------- rubric profiles: the tool's own, the library's overriding


def test_the_tool_carries_the_profiles_and_the_library_overrides_them(tmp_path):
    shipped = paths.default_rubrics()
    assert sorted(p.name for p in shipped.glob("*.yaml")) == ["default.yaml", "road-transport.yaml"]
    # the sample library holds the same profiles: where a department edits its own copy
    for p in shipped.glob("*.yaml"):
        assert (ROOT / "content" / "library" / "rubrics" / p.name).read_bytes() == p.read_bytes(), p.name
    content_root = _copy_content(tmp_path)
    ent = content_root / "enterprises" / "demo-transport"
    lib = content_root / "library" / "rubrics" / "road-transport.yaml"
    lib.write_text(lib.read_text(encoding="utf-8").replace("thresholds: {优: 90, 良: 75, 中: 60}", "thresholds: {优: 95, 良: 85, 中: 70}"), encoding="utf-8")
    content, _ = load(ent, build_date=DAY)
    rubric = R.rubric_for(content)
    assert rubric.thresholds == {"优": 95, "良": 85, "中": 70}
    assert R.rubric_files(content)["road-transport"] == lib.resolve()
    assert R.rubric_files(content)["default"] == (content_root / "library" / "rubrics" / "default.yaml").resolve()
    # without the library's rubrics/ the tool's own copy is used
    shutil.rmtree(content_root / "library" / "rubrics")
    content, _ = load(ent, build_date=DAY)
    assert R.rubric_files(content)["road-transport"] == (shipped / "road-transport.yaml").resolve()
    assert R.rubric_for(content).thresholds == {"优": 90, "良": 75, "中": 60}
    # a profile only the library has is found for its industry
    (content_root / "library" / "rubrics").mkdir()
    text = (shipped / "default.yaml").read_text(encoding="utf-8").replace("id: default", "id: hazchem").replace("industries: []", "industries: [道路运输]")
    (content_root / "library" / "rubrics" / "hazchem.yaml").write_text(text, encoding="utf-8")
    content, _ = load(ent, build_date=DAY)
    assert R.rubric_for(content).id == "hazchem"


# ---------------------------------------------------------------- anquan inspection-import


def _filled_sheet(content, path: Path, *, date: str | None = "2026-11-20", tested: int | None = 4, passed: int | None = 4) -> Path:
    wb = load_workbook(io.BytesIO(six_checks_xlsx(content, seed=quiz_seed(content))))
    ws = wb["六必查"]
    rows = {ws.cell(r, 3).value: r for r in range(4, ws.max_row + 1)}
    for item in rows:
        if item in ("tamper", "defy-order", "unlicensed"):
            ws.cell(rows[item], 8, "未发现")
        else:
            ws.cell(rows[item], 8, "符合")
    ws.cell(rows["drills"], 8, "不符合")
    ws.cell(rows["drills"], 9, "演练后未评估")
    rec = wb["检查记录"]
    labels = {rec.cell(r, 1).value: r for r in range(3, rec.max_row + 1)}
    assert rec.cell(labels["抽题种子"], 2).value == quiz_seed(content)  # printed on the build's quiz too
    assert rec.cell(labels["检查部门"], 2).value == "长治市上党区交通运输局"
    rec.cell(labels["检查日期"], 2, date)
    rec.cell(labels["检查人员"], 2, "检查人员甲、检查人员乙")
    rec.cell(labels["抽考人数"], 2, tested)
    rec.cell(labels["合格人数"], 2, passed)
    wb.save(path)
    return path


def test_inspection_import_writes_the_years_record(tmp_path, transport, capsys):
    content_root = _copy_content(tmp_path)
    ent = content_root / "enterprises" / "demo-transport"
    sheet = _filled_sheet(transport, tmp_path / "filled.xlsx")
    target = ent / "inspections" / "2026.yaml"
    before = target.read_bytes()
    assert main(["inspection-import", str(sheet), str(ent)]) == 1
    assert "已存在" in capsys.readouterr().err and target.read_bytes() == before
    assert main(["inspection-import", str(sheet), str(ent), "--force"]) == 0
    assert "不符合 1 项" in capsys.readouterr().out
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data["date"] == dt.date(2026, 11, 20) and data["inspectors"] == ["检查人员甲", "检查人员乙"]
    assert data["department"] == "长治市上党区交通运输局" and data["quiz"] == {"seed": quiz_seed(transport), "tested": 4, "passed": 4}
    assert {"item": "drills", "result": "不符合", "note": "演练后未评估"} in data["findings"]
    content, diags = load(ent, build_date=DAY)
    assert not diags.errors
    ins = content.extras["inspections"][2026]
    assert len(ins.findings) == 23 and len(ins.behaviours) == 3
    rating = R.rate(content)
    assert rating.inspection_date == dt.date(2026, 11, 20)
    assert any("现场抽考 4 人，合格 4 人" in e.text for i in rating.items for r in i.rules for e in r.evidence)
    # a new year's sheet goes into its own file; the command line overrides the sheet
    sheet2 = _filled_sheet(transport, tmp_path / "next.xlsx", date=None, tested=None, passed=None)
    assert main(["inspection-import", str(sheet2), str(ent)]) == 1
    assert "没有检查日期" in capsys.readouterr().err
    assert main(["inspection-import", str(sheet2), str(ent), "--date", "2027-03-05", "--inspectors", "检查人员丙"]) == 0
    data = yaml.safe_load((ent / "inspections" / "2027.yaml").read_text(encoding="utf-8"))
    assert data["inspectors"] == ["检查人员丙"] and "quiz" not in data


def test_inspection_import_refuses_a_wrong_sheet(tmp_path, transport, capsys):
    content_root = _copy_content(tmp_path)
    ent = content_root / "enterprises" / "demo-transport"
    sheet = _filled_sheet(transport, tmp_path / "filled.xlsx", tested=3, passed=5)
    assert main(["inspection-import", str(sheet), str(ent), "--force"]) == 1
    assert "合格人数 5 不能多于抽考人数 3" in capsys.readouterr().err
    wb = load_workbook(sheet)
    ws = wb["六必查"]
    ws.cell(5, 8, "基本符合")
    wb.save(sheet)
    assert main(["inspection-import", str(sheet), str(ent), "--force"]) == 1
    err = capsys.readouterr().err
    assert "第 5 行" in err and "基本符合" in err
    (tmp_path / "not.xlsx").write_bytes(b"not a workbook")
    assert main(["inspection-import", str(tmp_path / "not.xlsx"), str(ent)]) == 1
    assert "不是有效的 .xlsx 文件" in capsys.readouterr().err


# ---------------------------------------------------------------- anquan quiz


@pytest.mark.slow
def test_quiz_command_writes_into_the_records_folder(tmp_path, transport, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["quiz", str(TRANSPORT), "--seed", "482915", "--posts", "2", "--questions", "6", "--date", "2026-11-26"]) == 0
    out = capsys.readouterr().out
    path = tmp_path / "records" / "demo-transport" / "quiz" / "quiz-482915-2x6.pdf"
    assert path.is_file() and "抽题种子 482915" in out and "--seed 482915 --posts 2 --questions 6" in out
    reader = PdfReader(path)
    assert len(reader.pages) == 3  # two people, one page each, then the key
    assert "抽题种子482915" in reader.pages[0].extract_text().replace(" ", "")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == hashlib.sha256(quiz_output.quiz_pdf(transport, 482915, 2, 6)).hexdigest()
    assert main(["quiz", str(TRANSPORT), "--seed", "-1"]) == 2
    assert main(["quiz", str(TRANSPORT), "--questions", "21", "--out", str(tmp_path / "q")]) == 1
    assert "最多 20 题" in capsys.readouterr().err


# ---------------------------------------------------------------- a fleet: anquan build --all


@pytest.fixture(scope="module")
def built_fleet(tmp_path_factory):
    """A small synthetic fleet (benchmarks/fleet_gen.py) built with the regulator's outputs."""
    root = tmp_path_factory.mktemp("regfleet")
    made = make_fleet(4, root / "fleet")
    out = root / "build"
    code = main(["build", "--all", str(root / "fleet"), "--out", str(out), "--only", "rating,sixchecks,quiz,data", "-j", "2", "--date", "2026-11-26", "--quiet"])
    assert code == 0
    return made, out


@pytest.mark.slow
def test_build_all_makes_sheet_rating_and_quiz_for_every_enterprise_and_the_fleet_view(built_fleet):
    import pdfplumber

    made, out = built_fleet
    for ent in made:
        folder = out / ent.name
        rating = json.loads((folder / "data" / "rating.json").read_text(encoding="utf-8"))
        name = rating["enterprise"]["name"]
        sheet = (folder / "regulator" / "sixchecks.pdf").read_bytes()
        text = _pdf_text(sheet)
        assert name in text and "六、查危险作业行为" in text
        assert "评价等次" in text
        assert float(re.search(r"总分([\d.]+)分", text).group(1)) == rating["rating"]["total"]
        with pdfplumber.open(io.BytesIO(sheet)) as pdf:
            first = pdf.pages[0]
            assert first.width > first.height  # A4 landscape
            grade_chars = [c for p in pdf.pages for c in p.chars if c["text"] == rating["rating"]["grade"] and c["size"] > 25]
            assert grade_chars, "the grade is printed large on the rating page"
        wb = load_workbook(folder / "regulator" / "sixchecks.xlsx")
        assert wb.sheetnames == ["六必查", "检查记录", "评价"]
        assert wb["评价"].cell(1, 1).value.startswith(f"评价等次：{rating['rating']['grade']}")
        quiz = PdfReader(folder / "regulator" / "quiz.pdf")
        seed = re.search(r"抽题种子(\d{6})", quiz.pages[0].extract_text().replace(" ", "")).group(1)
        assert quiz.pages[-1].extract_text().replace(" ", "").count(seed) >= 1
        assert len(quiz.pages) >= 2
    # the fleet view: lists, plan, 标杆 and the export, next to the portal page
    index = out / "index"
    portal = (index / "index.html").read_text(encoding="utf-8")
    assert 'href="regulator/index.html"' in portal
    view = index / "regulator"
    assert sorted(p.name for p in view.iterdir()) == ["fleet.json", "fleet.xlsx", "index.html", "regulator.css", "regulator.js"]
    data = json.loads((view / "fleet.json").read_text(encoding="utf-8"))
    assert data["count"] == len(made) and {r["id"] for r in data["rows"]} == {e.name for e in made}
    assert data["benchmark"]["cap"] == 1 and "不足 1 家的按 1 家" in data["benchmark"]["rule"]
    assert data["plan"]["total"] == sum(r["frequency"] for r in data["rows"]) and len(data["plan"]["per_month"]) == 12
    for r in data["rows"]:
        assert set(r["links"]) == {"sheet", "sheet_xlsx", "quiz"}  # no site was built
        assert (view / r["links"]["sheet"]).resolve() == (out / r["id"] / "regulator" / "sixchecks.pdf").resolve()
    wb = load_workbook(view / "fleet.xlsx", read_only=True)
    assert wb["企业评价总表"].max_row == len(made) + 1 and "标杆候选" in wb.sheetnames
    # privacy: no principal's name unless the fleet setting asks for it
    principals = [yaml.safe_load((e / "enterprise.yaml").read_text(encoding="utf-8"))["key_people"]["principal"]["name"] for e in made]
    text = (view / "index.html").read_text(encoding="utf-8")
    assert not [p for p in principals if p in text] and "不含人员姓名和考试成绩" in text


@pytest.mark.slow
def test_fleet_personal_setting_adds_names(built_fleet, tmp_path):
    made, out = built_fleet
    other = tmp_path / "build"
    shutil.copytree(out, other)
    assert main(["build", *map(str, made), "--out", str(other), "--only", "rating,sixchecks,quiz,data", "--date", "2026-11-26", "--quiet", "--fleet-personal"]) == 0
    data = json.loads((other / "index" / "regulator" / "fleet.json").read_text(encoding="utf-8"))
    principal = yaml.safe_load((made[0] / "enterprise.yaml").read_text(encoding="utf-8"))["key_people"]["principal"]["name"]
    assert data["personal"] and any(r["personal"]["principal"] == principal for r in data["rows"])
    assert "仅限监管部门内部使用" in (other / "index" / "regulator" / "index.html").read_text(encoding="utf-8")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


@pytest.mark.slow
@pytest.mark.browser
def test_the_built_fleet_view_opens_from_build_index_by_file_and_by_server(built_fleet, browser):
    made, out = built_fleet
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{httpd.server_address[1]}/"
    try:
        for start, local in (((out / "index" / "index.html").as_uri(), "file://"), (origin + "index/index.html", origin)):
            context = browser.new_context()
            requests: list[str] = []
            errors: list[str] = []
            context.on("request", lambda r, requests=requests: requests.append(r.url))
            page = context.new_page()
            page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
            page.goto(start)
            page.click("a[href='regulator/index.html']")
            page.wait_for_selector("html[data-ready=true]", timeout=10000)
            assert page.locator("#list tbody tr").count() == len(made)
            assert f"符合条件 {len(made)} / {len(made)} 家" in page.locator("#summary").inner_text()
            href = page.locator("#list tbody tr td.links a", has_text="六必查表").first.get_attribute("href")
            assert href.startswith("../../synth-") and href.endswith("/regulator/sixchecks.pdf")
            assert page.locator("a.export[href='fleet.xlsx']").count() == 1
            page.click("#tab-bench")
            assert "取整为 1 家" in page.locator("#bench-rule").inner_text()
            page.click("#tab-plan")
            assert page.locator("#months .month").count() == 12
            page.click("a.export[href='../index.html']")
            page.wait_for_selector("text=企业总览")
            context.close()
            assert requests and all(u.startswith(local) for u in requests), [u for u in requests if not u.startswith(local)]
            assert errors == []
    finally:
        httpd.shutdown()
        httpd.server_close()
