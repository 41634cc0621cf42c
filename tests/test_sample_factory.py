"""The demo-factory sample (恒固机械, 工贸 小微) loads clean and is complete, checked through the loader."""

import datetime as dt
from pathlib import Path

import pytest

from generators.checks import coverage
from generators.load import load
from generators.model import GENERAL
from generators.rules import RiskLevel, SizeClass, credit_code_problem

ROOT = Path(__file__).resolve().parent.parent
FACTORY = ROOT / "content" / "enterprises" / "demo-factory"
LIBRARY = ROOT / "content" / "library"
NATIONAL = LIBRARY / "national"
TODAY = dt.date(2026, 11, 26)
ZONES = {"machining-hall", "paint-booth", "warehouse", "power-room", "yard", "office"}


@pytest.fixture(scope="module")
def loaded():
    content, diags = load(FACTORY, build_date=TODAY)
    assert content is not None
    assert [str(d) for d in diags.errors] == []
    return content, diags


@pytest.fixture(scope="module")
def content(loaded):
    return loaded[0]


def test_identity_and_size_class(content):
    ent = content.enterprise
    assert ent.name == "恒固机械制造有限公司"
    assert ent.issuer.code == "恒固机" and ent.issuer.mark == "恒固机械制造有限公司文件"
    assert ent.issuer.seal is None
    assert credit_code_problem(ent.credit_code) is None
    assert ent.industry == "工贸"
    assert ent.size_class is SizeClass.SMALL_MICRO
    assert ent.employees < 100 and ent.revenue_wan < 1000
    assert set(ent.question_banks) == {"general-safety", "gongmao", "shishi"}  # national + 石狮市 pack


def test_size_class_edges_with_its_revenue(content):
    ent = content.enterprise
    # 800 万元 revenue: the head count alone decides at the 100-person edge
    assert ent.model_copy(update={"employees": 99}).size_class is SizeClass.SMALL_MICRO
    assert ent.model_copy(update={"employees": 100}).size_class is SizeClass.MEDIUM
    assert ent.model_copy(update={"employees": 299}).size_class is SizeClass.MEDIUM
    assert ent.model_copy(update={"employees": 300}).size_class is SizeClass.ABOVE_SCALE
    # 62 people: the revenue alone decides at the 1000 万元 edge
    assert ent.model_copy(update={"revenue_wan": 999.9}).size_class is SizeClass.SMALL_MICRO
    assert ent.model_copy(update={"revenue_wan": 1000}).size_class is SizeClass.MEDIUM


def test_every_post_fully_covered(content):
    rows = coverage(content)
    assert len(rows) == len(content.posts) >= 6
    incomplete = [(r.id, r.coverage) for r in rows if not r.complete]
    assert incomplete == []
    for row in rows:
        assert row.coverage["risks"] >= 2, row.id
        assert row.coverage["training"] >= 2, row.id
    # special-operation posts carry their certificate
    certs = {p.id: p.certificate for p in content.posts}
    assert "焊接与热切割" in certs["welder"]
    assert "Q2" in certs["crane-operator"]
    assert "N1" in certs["forklift-driver"]
    assert "低压电工" in certs["electrician"]


def test_job_standards_have_four_units_linked_to_risk_points(content):
    risk_ids = {r.id for r in content.risk_points}
    for post in content.posts:
        js = content.job_standards[post.id]
        assert js.equipment and js.risk_controls and js.cases
        proc = js.process
        assert proc.pre_checks and proc.steps and proc.abnormal and proc.closing
        linked = {rid for rc in js.risk_controls for rid in rc.risk_points}
        assert linked and linked <= risk_ids, post.id
        # the standard names the post's own risk points, not someone else's only
        assert linked & {r.id for r in content.post_risks(post.id)}, post.id


def test_own_questions_per_post(content):
    own_ids = {q.id for q in content.questions if q.id.startswith("hg-")}
    for post in content.posts:
        own = [q for q in content.post_questions(post.id) if q.id in own_ids]
        assert len(own) >= 10, post.id
        for qtype in ("单选", "多选", "判断"):
            assert sum(q.type == qtype for q in own) >= 2, (post.id, qtype)
    # library gongmao bank merged: post-specific and general questions
    ids = {q.id for q in content.questions}
    assert {"gm-q-001", "gm-q-007", "gm-q-022"} <= ids
    press_q = next(q for q in content.questions if q.id == "gm-q-007")
    assert press_q.posts == ["press-operator"]
    assert any(q.id.startswith("gm-q-") and GENERAL in q.posts for q in content.questions)
    stems = [q.stem for q in content.questions]
    assert len(stems) == len(set(stems))


def test_four_colours_and_zones(content):
    counts = content.level_counts()
    assert len(content.risk_points) >= 20
    assert all(counts[level] > 0 for level in RiskLevel), counts
    by_id = {r.id: r for r in content.risk_points}
    # 喷漆房: LEC 1×10×40 = 400 > 320; 循环水池有限空间: LS 4×5 = 20 ≥ 20
    assert by_id["rp-paint-booth"].assessment.score == 400
    assert by_id["rp-paint-booth"].level is RiskLevel.MAJOR
    assert by_id["rp-paint-confined-pit"].level is RiskLevel.MAJOR
    assert by_id["rp-crane-lifting"].level is RiskLevel.SIGNIFICANT
    assert {r.assessment.method for r in content.risk_points} == {"LEC", "LS"}
    assert {r.zone for r in content.risk_points} == ZONES
    # 就高原则: the painter's post level is red, the lathe operator's yellow
    assert content.post_level("painter") is RiskLevel.MAJOR
    assert content.post_level("lathe-operator") is RiskLevel.GENERAL
    for r in content.risk_points:
        if r.level is RiskLevel.MAJOR:
            assert r.control_level == "公司", r.id


def test_company_checklist_extends_library(content):
    from generators.diagnostics import Diagnostics
    from generators.load import LIBRARY_KINDS, load_files

    lib = load_files(NATIONAL, LIBRARY_KINDS, Diagnostics())
    base = next(f.model for f in lib["checklist"] if f.model.id == "gongmao")
    assert base.level == "单位" and base.industry == "工贸"
    assert len(base.items) >= 30
    # ★ only on items with a 判定标准 clause (《工贸企业重大事故隐患判定标准》第三条, 第十三条)
    majors = [it for it in base.items if it.major]
    assert len(majors) >= 4
    assert all("重大事故隐患判定标准" in it.major_basis and "第" in it.major_basis for it in majors)

    company = content.checklists["company"]
    ids = [it.id for it in company.items]
    removed = {"gm-dust-01", "gm-dust-02", "gm-dust-03"}
    added = ["hg-01", "hg-02", "hg-03", "hg-04"]
    assert not removed & set(ids)
    assert len(ids) == len(base.items) - len(removed) + len(added)
    # grouped by section: each category one run, in the order the sections first appear; the library's
    # items keep their order, an added item closes its section
    runs = [c for i, c in enumerate(it.category for it in company.items) if i == 0 or company.items[i - 1].category != c]
    assert len(runs) == len(set(runs))
    kept = [it.id for it in base.items if it.id not in removed]
    assert [i for i in ids if i in kept] == kept
    for a in added:
        cat = next(it.category for it in company.items if it.id == a)
        run = [it.id for it in company.items if it.category == cat]
        assert run[-1] == a or all(x in added for x in run[run.index(a):]), (a, run)
    merged = {it.id: it for it in company.items}
    base_items = {it.id: it for it in base.items}
    assert "水帘柜循环水池" in merged["gm-cs-01"].content
    assert merged["gm-cs-01"].content != base_items["gm-cs-01"].content
    # no verified 判定标准 clause number for the 涂装 situation: not marked ★
    assert not merged["gm-paint-01"].major and "联锁" in merged["gm-paint-01"].content
    assert merged["gm-cs-01"].major_basis.endswith("第十三条第（一）项")
    assert merged["gm-fire-01"] == base_items["gm-fire-01"]


def test_three_levels_of_checklists(content):
    levels = {}
    for cl in content.checklists.values():
        levels.setdefault(cl.level, []).append(cl)
    workshops = {c.department for c in levels["车间"]}
    assert workshops == {"machining", "painting", "warehouse", "equipment"}
    assert {c.post for c in levels["岗位"]} == {p.id for p in content.posts}
    for card in levels["岗位"]:
        assert {it.frequency.text for it in card.items} <= {"日", "周", "月"}
        assert sum(it.frequency.text == "日" for it in card.items) >= 3, card.id
    texts = " ".join(it.content for cl in content.checklists.values() for it in cl.items)
    assert "5S" in texts and "六有" in texts


def test_hazard_ledger(content):
    hazards = content.hazards.hazards
    assert len(hazards) >= 8
    assert {h.status for h in hazards} == {"待整改", "整改中", "待验收", "已销号"}
    assert {h.source for h in hazards} == {"企业自查", "督导检查", "群众举报"}
    major = [h for h in hazards if h.grade == "重大"]
    assert len(major) == 1
    assert major[0].five_fixed.plan and major[0].supervised and major[0].status != "已销号"
    for h in hazards:
        if h.status == "已销号":
            assert h.closed and h.verifier
    assert {h.id for h in content.overdue_hazards()} == {"hz-2026-006", "hz-2026-010"}
    assert {h.id for h in hazards if h.overdue(dt.date(2026, 10, 1))} == set()
    # every hazard points at a checklist item that exists after merging
    for h in hazards:
        cid, item = h.check_item.split("/")
        assert item in {it.id for it in content.checklists[cid].items}, h.id


def test_training_plan(content):
    plan = content.training
    assert plan.year == 2026
    kinds = {t.kind for t in plan.items}
    assert {"三级安全教育", "主要负责人培训", "特种作业人员培训", "应急演练"} <= kinds
    principal = sum(t.hours for t in plan.items if "主要负责人" in t.audience)
    assert principal >= 24
    assert any("有限空间" in t.topic for t in plan.items if t.kind != "应急演练")
    special = {p for t in plan.items if t.kind == "特种作业人员培训" for p in t.audience}
    assert {p.id for p in content.posts if p.certificate and not p.manager} <= special


def test_documents(content):
    assert set(content.policies) == {"responsibility-system", "confined-space"}
    plan = content.plans["standardization-2026"]
    assert [p.name for p in plan.phases] == ["动员部署", "集中攻坚", "治本提升", "总结评估"]
    assert all(t.phase for s in plan.sections for t in s.tasks)
    notice = content.notices["confined-space-policy"]
    assert notice.number.render(content.enterprise.issuer.code) == "恒固机〔2026〕7号"
    assert notice.title == "关于印发《有限空间作业安全管理制度》的通知"
    assert [a.policy for a in notice.attachments] == ["confined-space"]
    assert not notice.seal
    hb = content.handbook
    assert "gongmao-basics" in hb.general and set(hb.general) <= set(content.knowledge)
    def text_of(kid: str) -> str:
        k = content.knowledge[kid]
        return " ".join([s.title for s in k.sections] + [p for s in k.sections for p in s.paragraphs + s.points + s.basis])

    basics = text_of("gongmao-basics")
    for phrase in ("先通风、再检测、后作业", "GB/T 33000-2016", "粉尘", "起重"):
        assert phrase in basics, phrase
    # 石狮市's own rules come from its region pack, which this enterprise (in 石狮市) sees
    local = text_of("shishi-standardization")
    for phrase in ("小微企业", "六有", "三张清单", "石狮市安全生产委员会"):
        assert phrase in local, phrase
    assert "石狮" not in basics, "the national layer cites no local document"


def test_exam_rules_and_warnings():
    from generators.checks import run_checks

    content, diags = load(FACTORY, build_date=TODAY)
    assert [str(d) for d in diags.errors] == []
    rules = content.extras["exam_rules"]
    # 一试: managers and key posts sit at least two exams a year
    kinds_by_post = {}
    for paper in rules.papers:
        kinds_by_post.setdefault(paper.post, set()).add(paper.kind)
    assert kinds_by_post == {p.id: {"first", "year-end"} for p in content.posts}
    run_checks(content, diags)
    # the only warnings are the two hazards past their 五定 deadline on 2026-11-26, the two zone
    # signs no standard graphic sign carries (printed as 文字辅助标志, checks.signs), and the
    # library's revisions of 2026-12-02 (knowledge split by industry), after this test's build date
    warns = [d for d in diags.warnings if not ("library" in d.file and "晚于构建日期" in d.message)]
    signs = sorted(d.field for d in warns if "不是 GB 2894 图形标志" in d.message)
    assert signs == ["zones[2].signs[5]", "zones[4].signs[3]"], signs
    others = [d for d in warns if "不是 GB 2894 图形标志" not in d.message]
    assert len(others) == 2, [str(d) for d in others]
    assert all("超过整改时限" in d.message for d in others)


def test_overdue_hazard_warning_points_at_its_deadline():
    """A ledger warning names the hazard's own line and field, not the top of hazards.yaml."""
    from generators.checks import run_checks

    content, diags = load(FACTORY, build_date=TODAY)
    run_checks(content, diags)
    lines = (FACTORY / "hazards.yaml").read_text(encoding="utf-8").splitlines()
    overdue = [d for d in diags.warnings if "超过整改时限" in d.message]
    assert overdue
    for d in overdue:
        assert d.field.endswith(".five_fixed.deadline"), d.field
        assert lines[d.line - 1].strip().startswith("deadline:"), (d.line, lines[d.line - 1])
        deadline = d.message.split("（时限 ")[1].split("）")[0]
        assert deadline in lines[d.line - 1]
