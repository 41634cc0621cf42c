"""Issue 14 item 1: documents print the enterprise's own numbers (`code`), or nothing, never an internal id.

Every bundled enterprise (and the tests/variant.py enterprise, which has codes, 部门-level names, free
wording and post-level legal bases) is built in full; every id of its content that is not also one
of its codes must be absent from the text of every PDF, the XML text of every .docx, every .xlsx
cell and the visible text of every site page. URLs, anchors and file names may carry ids.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from lxml import etree
from lxml import html as lhtml

from generators.load import load
from generators.model import Content
from generators.pipeline.build import BuildOptions, build
from tests.helpers.shared_build import SHARED_DATE
from tests.variant import DAY, LEGAL_BASIS, make_variant

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(p for p in (ROOT / "content" / "enterprises").iterdir() if (p / "enterprise.yaml").is_file())
BUILD_DATE = SHARED_DATE
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# what may carry an id: URLs and file names
# (a card sets its post page's URL under the QR code on two lines: host, then the path posts/<id>/)
URL_OR_FILE = re.compile(r"https?://\S+|\bposts/[\w-]+/|[\w./-]+\.(?:pdf|docx|xlsx|svg|png|jpe?g|yaml|html)\b")


def internal_ids(content: Content) -> set[str]:
    """Every id of the content (enterprise, library parts it uses, papers) that is not also a code."""
    ent = content.enterprise
    ids = {ent.id, *(d.id for d in ent.departments), *(p.id for p in ent.posts)}
    ids |= {r.id for r in content.risk_points} | {h.id for h in content.hazards.hazards} | {q.id for q in content.questions}
    for cl in content.checklists.values():
        ids |= {cl.id, *(it.id for it in cl.items), *([cl.extends] if cl.extends else [])}
    if content.training:
        ids |= {t.id for t in content.training.items}
    ids |= set(content.notices) | set(content.policies) | set(content.plans) | set(content.knowledge) | set(ent.question_banks)
    riskmap = content.extras.get("riskmap")
    if riskmap is not None:
        ids |= {z.id for z in riskmap.model.zones}  # type: ignore[attr-defined]
    rules = content.extras.get("exam_rules")
    if rules is not None:
        ids |= {f"{p.post}-{p.kind}-{p.seed}" for p in rules.papers}  # type: ignore[attr-defined]
    codes = {ent_code for ent_code in _codes(content)}
    return ids - codes


def _codes(content: Content):
    ent = content.enterprise
    yield from (x.code for x in [*ent.departments, *ent.posts, *content.risk_points, *content.hazards.hazards, *content.questions] if x.code)
    for cl in content.checklists.values():
        yield from (x.code for x in [cl, *cl.items] if x.code)
    if content.training:
        yield from (t.code for t in content.training.items if t.code)


def printed_texts(out: Path):
    """(file, text) for every printed document of a build."""
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if rel.startswith("site/files/") or not path.is_file():
            continue  # copies of the documents checked at their own place
        if path.suffix == ".pdf":
            text = subprocess.run(["pdftotext", "-q", str(path), "-"], capture_output=True, text=True, check=True).stdout
            yield rel, text.replace("-\n", "-")  # an id broken at a hyphen at the end of a line
        elif path.suffix == ".docx":
            with zipfile.ZipFile(path) as z:
                for name in z.namelist():
                    if name.startswith("word/") and name.endswith(".xml"):
                        root = etree.fromstring(z.read(name))
                        yield f"{rel}:{name}", "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p"))
        elif path.suffix == ".xlsx":
            wb = openpyxl.load_workbook(path)
            yield rel, "\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)
        elif path.suffix == ".html" and rel.startswith("site/"):
            doc = lhtml.fromstring(path.read_bytes())
            for hidden in doc.xpath("//script|//style"):
                hidden.drop_tree()
            yield rel, doc.text_content()


def id_hits(content: Content, out: Path) -> list[str]:
    ids = internal_ids(content)
    pattern = re.compile(r"(?<![A-Za-z0-9_-])(" + "|".join(sorted(map(re.escape, ids), key=len, reverse=True)) + r")(?![A-Za-z0-9_-])")
    hits = []
    for name, text in printed_texts(out):
        text = URL_OR_FILE.sub(" ", re.sub(r"(/posts/)\s+", r"\1", text))  # a URL wrapped after posts/
        for m in pattern.finditer(text):
            hits.append(f"{name}: “{m.group(1)}” in …{text[max(0, m.start() - 20):m.end() + 10]}…".replace("\n", " "))
    return hits


@pytest.fixture(scope="module", params=SAMPLES, ids=[p.name for p in SAMPLES])
def sample_build(request, shared_build) -> tuple[Content, Path]:
    built = shared_build(request.param.name)  # the run's full build at BUILD_DATE
    content, _ = load(request.param, build_date=BUILD_DATE)
    return content, built.out


@pytest.fixture(scope="module")
def variant_build(tmp_path_factory) -> tuple[Content, Path]:
    ent = make_variant(tmp_path_factory.mktemp("variant"))
    out = tmp_path_factory.mktemp("variant-build")
    result = build(ent, BuildOptions(out_root=out, build_date=DAY, workers=2))
    content, _ = load(ent, build_date=DAY)
    return content, result.out_dir


def test_no_internal_id_in_any_document_of_the_samples(sample_build):
    content, out = sample_build
    assert len(internal_ids(content)) > 100
    kinds = {Path(name.split(":")[0]).suffix for name, _ in printed_texts(out)}
    assert kinds == {".pdf", ".docx", ".xlsx", ".html"}
    hits = id_hits(content, out)
    assert not hits, "\n".join(hits[:20])


def test_no_internal_id_in_any_document_of_an_enterprise_with_codes(variant_build):
    content, out = variant_build
    hits = id_hits(content, out)
    assert not hits, "\n".join(hits[:20])


def _pdf(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_codes_levels_and_free_wording_print(variant_build):
    _, out = variant_build
    hb = _pdf(out / "handbook" / "handbook.pdf")
    for code in ("R01", "R02", "K-01", "K-02", "K-03", "GW-07", "PX-01", "PX-03", "PX-04"):
        assert code in hb, code
    assert "每趟及途中每 2 h" in hb.replace("\n", "") or "每趟及途中每" in hb
    assert "管控层级：部门" in hb  # the enterprise's word for 车间
    card = _pdf(out / "checklists" / "safety-officer-card.pdf")
    assert "AQK-2026-01" in card and "每次作业" in card and "每班" in card
    # the printed checklists number their items with the enterprise's codes, in the 编号 column
    assert re.search(r"编号\s+检查内容", card) and all(re.search(rf"^\s*{c}\s", card, re.M) for c in ("K-01", "K-02", "K-03")), card
    dept = _pdf(out / "checklists" / "safety-dept.pdf")
    assert "部门安全检查表册" in dept and "车间" not in dept
    assert re.search(r"编号\s+检查内容", dept) and re.search(r"^\s*B-01\s", dept, re.M), dept
    # the handbook's copy of the post card too (not 1, 2, 3)
    hb_card = hb[hb.index("五、专职安全管理员") if "五、专职安全管理员" in hb else hb.index("五、岗位安全检查卡片"):]
    assert all(re.search(rf"^\s*{c}\s", hb_card, re.M) for c in ("K-01", "K-02", "K-03")), hb_card[:800]
    paper = _pdf(out / "exams" / "safety-officer-first-1-paper.pdf")
    assert "试卷编号：AQ-KS-2026-01" in paper
    second = _pdf(out / "exams" / "safety-officer-year-end-1-paper.pdf")
    assert "试卷编号：专职安全管理员年终考试（第 1 套）" in second
    plan = _pdf(out / "training" / "plan.pdf")
    assert "年度再培训" in plan and "承包商作业人员" in plan and "专项培训" in plan
    site = lhtml.fromstring((out / "site" / "checklists" / "index.html").read_bytes()).text_content()
    assert "部门安全检查表册" in site and "公司月查、部门周查、班组日查" in site


def test_absent_values_print_nothing_and_legal_basis_prints_once(variant_build):
    _, out = variant_build
    hb = _pdf(out / "handbook" / "handbook.pdf")
    start = hb.index("一、安全生产责任清单")
    chapter = hb[start:start + re.search(r"第二章\s+危货驾驶员", hb[start:]).start()]
    # one 依据 line for the whole responsibility list; no 依据 or 考核标准 column, nothing invented
    assert chapter.count("《中华人民共和国安全生产法》第二十五条") == 1 and "考核标准" not in chapter and "待补充" not in hb
    assert chapter.count("《危险化学品安全管理条例》第二十四条") == 1  # the job standard's basis, once
    assert "事故原因" not in chapter and "安全要点" not in chapter and "—" not in chapter
    booklet = _pdf(out / "handbook" / "safety-officer.pdf")
    assert booklet.count(LEGAL_BASIS[0]) == 1
    register = hb[hb.index("附录一", hb.index("附录二")):]
    assert "管控层级/责任人" in register  # R02 has a 责任人, R01 has none
    site = lhtml.fromstring((out / "site" / "posts" / "safety-officer" / "index.html").read_bytes())
    heads = [th.text_content() for th in site.xpath("//table//th")]
    assert "考核标准" not in heads and "依据" not in heads
    assert site.text_content().count("《中华人民共和国安全生产法》第二十五条") == 1
