"""The third bundled sample (issue 14): 安储化工仓储有限公司, a 危险化学品 storage warehouse in 张家港市 (江苏省).

It is written the way a real enterprise keeps its records: its own uppercase numbers on every record
(R01…, YH-2026-001…, Q001…, AQ-KP-03/K01…, PX-2026-01…, AC-KS-2026-101…), levels named 公司/部门/班组/岗位,
free-wording check frequencies, audience groups, 年度再培训/专项培训, post-level legal bases, optional
fields left out; it uses the national 危险化学品 pack of the library and cites national law only.

The quick tests read the loaded content; the `slow` ones read the run's shared full build (tests/helpers/shared_build.py).
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pdfplumber
import pytest
import yaml
from lxml import html as lhtml

from generators.checks import run_checks
from generators.checks.regulator import facts as F
from generators.checks.regulator import rate
from generators.checks.regulator.fleet import enterprise_row
from generators.load import load
from generators.rules import credit_check_char, credit_code_problem
from tests.helpers.shared_build import SHARED_DATE

ROOT = Path(__file__).resolve().parent.parent
ENT = ROOT / "content" / "enterprises" / "demo-chemical"
HAZCHEM_POSTS = ("safety-officer", "warehouse-keeper", "forklift-driver", "electrician")
BUILD_DATE = SHARED_DATE
# other jurisdictions: the two other samples' provinces, cities, counties, towns and their documents' marks
ELSEWHERE = re.compile(r"山西|福建|长治|晋城|上党|八义|潞州|泉州|石狮|宝盖|晋[A-Z]·|长上交字|晋应急|闽|140404|140403|350581")


@pytest.fixture(scope="module")
def chem():
    content, diags = load(ENT, build_date=BUILD_DATE)
    assert content is not None and not diags.errors, [d.format() for d in diags.errors]
    run_checks(content, diags)
    return content, diags


def test_loads_and_checks_without_errors_or_warnings(chem):
    _, diags = chem
    # the only warnings: the signs no standard graphic sign carries, printed as 文字辅助标志 (checks.signs)
    signs = sorted((Path(d.file).name, d.field) for d in diags.warnings if "不是 GB 2894 图形标志" in d.message)
    assert signs == [("forklift-driver.yaml", "signs.prohibition[1]"), ("safety-officer.yaml", "signs.prohibition[1]")], signs
    others = [d.format() for d in diags.warnings if "不是 GB 2894 图形标志" not in d.message]
    assert not diags.errors and not others, [d.format() for d in diags]


def test_region_comes_from_the_credit_code(chem):
    content, _ = chem
    ent = content.enterprise
    assert credit_code_problem(ent.credit_code) is None and ent.credit_code[-1] == credit_check_char(ent.credit_code[:17])
    assert ent.credit_code[2:8] == "320582" and ent.region is not None and ent.region.code is None  # 江苏省苏州市张家港市
    assert ent.region_code == F.region(content) == "320582" and F.region_derived(content)
    assert F.region_label(content) == "320582 江苏省苏州市张家港市"
    assert ent.regulator is not None and ent.regulator.region is None and ent.regulator.region_name is None  # written the new way
    row = enterprise_row(content, rate(content))
    assert (row["region"], row["region_name"], row["province"]) == ("320582", "江苏省苏州市张家港市", "江苏省")


def test_seven_posts_and_headcounts(chem):
    content, _ = chem
    ent = content.enterprise
    assert [p.code for p in ent.posts] == [f"GW-0{i}" for i in range(1, 8)]
    assert set(HAZCHEM_POSTS) <= {p.id for p in ent.posts}
    total = sum(p.headcount for p in ent.posts)
    assert total < ent.employees and str(total) in ent.headcount_note
    assert sum(int(n) for n in re.findall(r"(\d+) 人", ent.headcount_note)[1:]) == ent.employees - total


def test_own_uppercase_numbers(chem):
    content, _ = chem
    risks = sorted(content.risk_points, key=lambda r: r.code)
    assert [r.code for r in risks] == [f"R{i:02d}" for i in range(1, 13)]
    assert all(r.id == r.code.lower() for r in risks)  # the internal id is derived from the code
    assert [h.code for h in content.hazards.hazards] == [f"YH-2026-{i:03d}" for i in range(1, 6)]
    own = [q for q in content.questions if q.code]
    assert len(own) == 40 and all(re.fullmatch(r"Q\d{3}", q.code) for q in own)
    for cl in content.checklists.values():
        assert cl.code and re.fullmatch(r"AQ-(QD|BC|KP)-\d\d", cl.code), cl.id
        mine = [it for it in cl.items if not it.id.startswith("hazchem-")]
        assert mine and all(it.code and it.code.isupper() for it in mine), cl.id
    assert all(re.fullmatch(r"PX-2026-\d\d", t.code) for t in content.training.items)
    rules = content.extras["exam_rules"]
    assert all(re.fullmatch(r"AC-KS-2026-[12]0\d", p.code) for p in rules.papers)
    # a hazard refers to a checklist item by the enterprise's own numbers
    assert {h.check_item.split("/")[0] for h in content.hazards.hazards} <= {cl.code for cl in content.checklists.values()}


def test_department_levels_free_frequencies_audiences_and_kinds(chem):
    content, _ = chem
    assert content.enterprise.settings.levels == ["公司", "部门", "班组", "岗位"]
    assert content.levels.word("车间") == "部门"
    depts = [cl for cl in content.checklists.values() if cl.department]
    assert {cl.department for cl in depts} == {"storage", "safety", "engineering"}
    texts = {it.frequency.text: it.frequency.period for cl in content.checklists.values() for it in cl.items}
    assert {"每班", "每次作业", "每次入库", "每车", "每次入场"} <= set(texts)
    assert texts["每次入库"] is None and texts["每次出库"] == "日" and texts["夜间每 2 小时"] == "日" and texts["每班"] == "日"
    assert {r.control_level for r in content.risk_points} == {"公司", "车间", "班组", "岗位"}  # 车间 is stored, 部门 printed
    kinds = {t.kind for t in content.training.items}
    assert {"年度再培训", "专项培训", "三级安全教育", "应急演练"} <= kinds
    groups = set(content.enterprise.audiences)
    used = {a for t in content.training.items for a in t.audience}
    assert {"承包商作业人员", "特殊作业监护人", "装卸作业人员", "微型消防站队员", "库区作业人员"} <= groups & used


def test_legal_basis_on_the_post_and_optional_fields_left_out(chem):
    content, _ = chem
    for pid, resp in content.responsibilities.items():
        assert resp.legal_basis, pid
    assert any(d.assessment is None and not d.basis for r in content.responsibilities.values() for d in r.duties)
    assert any(e.name is None for s in content.job_standards.values() for e in s.equipment)
    assert any(r.responsible is None for r in content.risk_points)
    assert "principal" not in content.job_standards and not content.enterprise.post("principal").key_post


def test_uses_the_national_hazchem_pack(chem):
    content, _ = chem
    assert content.checklists["unit"].extends == "hazchem" and content.checklists["dept-storage"].extends == "hazchem-warehouse"
    assert any(it.id.startswith("hazchem-sto-") for it in content.checklists["unit"].items)
    hb = content.handbook
    assert {"hazchem-regulation", "hazchem-storage", "hazchem-major-hazard", "hazchem-special-work", "hazchem-signs-sds"} <= set(hb.general)
    assert "hazchem" in content.enterprise.question_banks
    for post in HAZCHEM_POSTS:  # the pack's post-tagged questions apply to this enterprise's posts
        assert any(q.id.startswith("hazchem-q-") for q in content.questions if post in q.posts), post


def test_cites_national_law_and_nothing_of_another_region(chem):
    _, diags = chem
    assert not [d for d in diags if "其他地区" in d.message]
    for path in sorted(ENT.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert not ELSEWHERE.search(text), (path.name, ELSEWHERE.search(text).group(0))
        yaml.safe_load(text)
    # no local document of its own province either: every cited title is a national law, regulation or standard
    titles = set(re.findall(r"《([^》]+)》", "\n".join(p.read_text(encoding="utf-8") for p in ENT.rglob("*.yaml"))))
    local = [t for t in titles if re.search(r"江苏|苏州|张家港|省|市", t)]
    assert not local, local


def test_dates_are_not_in_the_future_and_revisions_have_approvers(chem):
    content, _ = chem
    for path in sorted(ENT.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for rev in (data.get("revisions") or []) if isinstance(data, dict) else []:
            assert rev["date"] <= BUILD_DATE and rev.get("approved_by"), (path.name, rev)
    assert content.enterprise.site.base_url.startswith("http://") and ".local" not in content.enterprise.site.base_url
    assert "localhost" not in content.enterprise.site.base_url
    assert any("24小时" in p.name for p in content.enterprise.emergency_phones)


# ------------------------------------------------------------------ one full build


@pytest.fixture(scope="module")
def built(shared_build) -> Path:
    return shared_build(ENT.name).out  # the run's full build at BUILD_DATE


def _pdf(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _site(path: Path) -> str:
    doc = lhtml.fromstring(path.read_bytes())
    for hidden in doc.xpath("//script|//style"):
        hidden.drop_tree()
    return re.sub(r"\s+", " ", doc.text_content())


@pytest.mark.slow
def test_hazard_ledger_and_risk_register_print_the_own_numbers(built):
    ws = openpyxl.load_workbook(built / "excel" / "hazards.xlsx").active
    rows = [[c for c in r] for r in ws.iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if "隐患编号" in r)  # under the title rows
    head = rows[at]
    by = [d for d in (dict(zip(head, r)) for r in rows[at + 1:]) if str(d.get("隐患编号") or "").startswith("YH-")]
    assert [r["隐患编号"] for r in by] == [f"YH-2026-{i:03d}" for i in range(1, 6)]
    assert by[0]["对应检查项"] == "仓库保管员岗位安全检查卡片 K02"
    cells = " ".join(str(c) for r in rows for c in r if c is not None)
    assert "yh-2026" not in cells and "card-" not in cells
    register = _site(built / "site" / "risks" / "index.html")
    for i in range(1, 13):
        assert f"R{i:02d}" in register
    assert not re.search(r"\br(0[1-9]|1[0-2])\b", register)
    hazards = _site(built / "site" / "hazards" / "index.html")
    assert "YH-2026-005" in hazards and "仓储部安全检查表册 CC-02" in hazards


@pytest.mark.slow
def test_department_level_and_free_frequencies_print(built):
    dept = _pdf(built / "checklists" / "dept-storage.pdf")
    assert "部门安全检查表册" in dept and "AQ-BC-02" in dept
    card = re.sub(r"\s+", "", _pdf(built / "checklists" / "card-warehouse-keeper.pdf"))
    assert "每次入库" in card and "每次出库" in card and "每班" in card and "AQ-KP-03" in card
    guard = re.sub(r"\s+", "", _pdf(built / "checklists" / "card-guard.pdf"))
    assert "夜间每2小时" in guard and "每车" in guard
    riskmap = re.sub(r"\s+", "", _pdf(built / "riskmap" / "riskmap.pdf"))
    assert "部门" in riskmap and "车间" not in riskmap
    register = _site(built / "site" / "risks" / "index.html")
    assert "部门" in register and "车间" not in register
    paper = _pdf(built / "exams" / "warehouse-keeper-annual-202611-paper.pdf")
    assert "AC-KS-2026-203" in paper


@pytest.mark.slow
def test_no_other_region_anywhere_in_the_built_documents(built):
    seen = []
    for path in sorted(built.rglob("*")):
        if path.suffix == ".pdf":
            text = subprocess.run(["pdftotext", "-q", str(path), "-"], capture_output=True, text=True, check=True).stdout
        elif path.suffix == ".docx":
            with zipfile.ZipFile(path) as z:
                text = " ".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/") and n.endswith(".xml"))
        elif path.suffix == ".html":
            text = _site(path)
        elif path.suffix == ".xlsx":
            text = " ".join(str(c.value) for ws in openpyxl.load_workbook(path) for row in ws.iter_rows() for c in row if c.value is not None)
        else:
            continue
        seen.append(path.suffix)
        m = ELSEWHERE.search(text)
        assert not m, (path.relative_to(built).as_posix(), text[max(0, m.start() - 30):m.end() + 30])
    assert {".pdf", ".docx", ".html", ".xlsx"} <= set(seen)


@pytest.mark.slow
def test_handbook_card_table_without_basis(built):
    with pdfplumber.open(built / "handbook" / "handbook.pdf") as pdf:
        page = next(p for p in pdf.pages if "装卸工岗位安全检查卡片" in (p.extract_text() or ""))
        table = next(t for t in page.extract_tables() if t and t[0][:2] == ["编号", "检查内容"])
    assert table[1][0] == "K01" and table[1][2] == "每班" and len(table) == 4


def test_second_year_papers_in_its_second_year_of_testing(chem):
    """Its people were first tested in 2025: in 2026 every post sits two 第二年起 (80-point) papers, and no other kind."""
    from tests.helpers.exams import made_papers

    content, _ = chem
    made = made_papers(content)
    assert len(made) == 14 and all("-annual-" in m for m in made), made
