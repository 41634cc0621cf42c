"""Facts about the demo-transport sample (organisation, posts, risks, checklists), read through the loader."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from generators.load import load
from generators.rules import LEC_C, LEC_E, LEC_L, RiskLevel, SizeClass, credit_check_char, credit_code_problem

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "content" / "enterprises" / "demo-transport"
LIBRARY = ROOT / "content" / "library"
NATIONAL = LIBRARY / "national"
BUILD_DATE = dt.date(2026, 11, 26)

POSTS = {
    "hazmat-driver", "escort", "loading-manager", "freight-driver", "monitor", "dispatcher", "mechanic",
    "welder", "electrician", "forklift-driver", "fuel-attendant", "safety-officer", "fleet-captain",
}
ZONES = {"parking", "hazmat-parking", "workshop", "fuel-area", "loading-area", "office"}
# graded control: 重大→公司, 较大→车间, 一般→班组, 低→岗位
CONTROL_LEVEL = {RiskLevel.MAJOR: "公司", RiskLevel.SIGNIFICANT: "车间", RiskLevel.GENERAL: "班组", RiskLevel.LOW: "岗位"}
GB6441 = {
    "物体打击", "车辆伤害", "机械伤害", "起重伤害", "触电", "淹溺", "灼烫", "火灾", "高处坠落", "坍塌", "冒顶片帮",
    "透水", "放炮", "火药爆炸", "瓦斯爆炸", "锅炉爆炸", "容器爆炸", "其它爆炸", "爆炸", "中毒和窒息", "其它伤害",
}


@pytest.fixture(scope="module")
def loaded():
    content, diags = load(SAMPLE, build_date=BUILD_DATE)
    assert content is not None
    return content, diags


@pytest.fixture(scope="module")
def content(loaded):
    return loaded[0]


def test_loads_without_errors(loaded):
    _, diags = loaded
    assert [f"{d.file}:{d.line} {d.message}" for d in diags.errors] == []


def test_identity_credit_code_and_size_class(content):
    ent = content.enterprise
    assert ent.name == "安途道路运输有限公司" and ent.short_name == "安途运输"
    assert credit_code_problem(ent.credit_code) is None
    assert ent.credit_code[17] == credit_check_char(ent.credit_code[:17])
    assert ent.credit_code[2:8] == "140404"  # 长治市上党区 (its region packs: 上党区 and 八义镇)
    assert ent.size_class is SizeClass.ABOVE_SCALE
    assert 300 <= ent.employees <= 400 and 8000 <= ent.revenue_wan <= 10000
    assert ent.issuer.code == "安途运" and ent.issuer.mark == "安途道路运输有限公司文件"
    assert ent.site.base_url == "http://aq.antu.internal/"
    assert set(ent.question_banks) == {"general-safety", "road-transport", "shangdang", "bayi"}  # national + its region packs
    numbers = {p.number for p in ent.emergency_phones}
    assert {"119", "120", "110", "122", "12328"} <= numbers
    assert any("24" in p.name for p in ent.emergency_phones)


def test_seal_is_a_transparent_red_png(content):
    from PIL import Image

    seal = SAMPLE / content.enterprise.issuer.seal
    with Image.open(seal) as img:
        assert img.format == "PNG" and img.mode == "RGBA"
        assert img.getpixel((0, 0))[3] == 0  # transparent corner
        raw = img.tobytes()
        pixels = [tuple(raw[i : i + 4]) for i in range(0, len(raw), 4)]
        opaque = [px for px in pixels if px[3] > 200]
        assert len(opaque) > 0.05 * img.width * img.height
        red = sum(1 for r, g, b, _ in opaque if r > 150 and g < 90 and b < 90)
        assert red / len(opaque) > 0.9


def test_thirteen_posts_and_headcount(content):
    ent = content.enterprise
    assert {p.id for p in ent.posts} == POSTS
    in_posts = sum(p.headcount for p in ent.posts)
    # office and leadership staff are not in posts, so posts hold most but not all of the staff
    assert 0.85 * ent.employees <= in_posts < ent.employees
    deps_with_posts = {p.department for p in ent.posts}
    assert deps_with_posts == {"safety", "operations", "hazmat-fleet", "freight-fleet", "monitoring", "maintenance", "loading"}
    assert {p.id for p in ent.posts if p.manager} == {"safety-officer", "fleet-captain"}
    certified = {p.id for p in ent.posts if p.certificate}
    assert {"hazmat-driver", "escort", "loading-manager", "freight-driver", "welder", "electrician", "forklift-driver", "safety-officer"} == certified


def test_every_post_fully_covered(content):
    for post in POSTS:
        assert post in content.responsibilities, post
        assert post in content.job_standards, post
        assert post in content.cards, post
        assert content.post_risks(post), post
        cards = [c for c in content.post_checklists(post) if c.level == "岗位"]
        assert len(cards) == 1, post
        assert 6 <= len(cards[0].items) <= 12, post
        assert {it.frequency.text for it in cards[0].items} <= {"日", "周"}, post
        assert "日" in {it.frequency.text for it in cards[0].items}, post


def test_responsibilities_have_basis_and_scored_assessment(content):
    for post, rl in content.responsibilities.items():
        assert 5 <= len(rl.duties) <= 10, post
        for duty in rl.duties:
            assert duty.basis, (post, duty.content)
            assert re.search(r"\d+ 分", duty.assessment), (post, duty.assessment)


def test_job_standards_reference_existing_risk_points_of_the_post(content):
    ids = {r.id for r in content.risk_points}
    for post, js in content.job_standards.items():
        referenced = {rid for rc in js.risk_controls for rid in rc.risk_points}
        assert referenced and referenced <= ids, post
        own = {r.id for r in content.post_risks(post)}
        assert referenced & own, f"{post}: no risk control points at the post's own risk points"
        assert js.process.pre_checks and js.process.steps and js.process.abnormal and js.process.closing
    pre = " ".join(content.job_standards["hazmat-driver"].process.pre_checks)
    for word in ("轮胎", "制动", "灯光", "紧急切断装置", "静电", "灭火器", "标志灯", "电子运单", "北斗"):
        assert word in pre, word


def test_cards_have_all_four_sign_kinds_and_ppe(content):
    for post, card in content.cards.items():
        assert all(items for _, items in card.signs.groups()), post
        assert card.ppe, post
        assert len(card.emergency) >= 3, post


def test_risk_register_levels_zones_and_graded_control(content):
    risks = content.risk_points
    assert len(risks) >= 40
    counts = content.level_counts()
    assert all(counts[lvl] > 0 for lvl in RiskLevel)
    methods = {r.assessment.method for r in risks}
    assert methods == {"LEC", "LS"}
    assert sum(r.assessment.method == "LEC" for r in risks) > len(risks) / 2
    for r in risks:
        assert r.control_level == CONTROL_LEVEL[r.level], (r.id, r.level, r.control_level)
        assert set(r.accidents) <= GB6441, r.id
        assert r.controls.count() >= 3, r.id
        if r.assessment.method == "LEC":
            a = r.assessment
            assert a.L in LEC_L and a.E in LEC_E and a.C in LEC_C
    used_zones = {r.zone for r in risks if r.zone}
    assert used_zones == ZONES  # every yard zone has at least one assessed risk point
    road = [r for r in risks if r.zone is None]
    assert {"hz-tanker-road", "hz-fatigue", "fr-highway-driving"} <= {r.id for r in road}


def test_risk_level_follows_the_profile(content):
    by_id = {r.id: r for r in content.risk_points}
    assert by_id["hz-tanker-road"].assessment.score == 720 and by_id["hz-tanker-road"].level is RiskLevel.MAJOR
    assert by_id["ld-flammable-loading"].assessment.score == 20 and by_id["ld-flammable-loading"].level is RiskLevel.MAJOR
    assert by_id["mt-lifting"].level is RiskLevel.SIGNIFICANT
    assert by_id["fr-yard-reversing"].assessment.score == 9 and by_id["fr-yard-reversing"].level is RiskLevel.GENERAL
    assert by_id["ld-forklift-charging"].level is RiskLevel.LOW
    # the posts with road tankers carry the highest level (就高原则)
    assert content.post_level("hazmat-driver") is RiskLevel.MAJOR
    assert content.post_level("monitor") is RiskLevel.GENERAL


def test_library_checklist_is_an_industry_list_with_major_items():
    from generators.diagnostics import Diagnostics
    from generators.load import LIBRARY_KINDS, load_files

    diags = Diagnostics()
    lib = load_files(NATIONAL, LIBRARY_KINDS, diags)
    assert not diags.errors
    base = next(f.model for f in lib["checklist"] if f.model.id == "road-transport")
    assert base.level == "单位" and base.issued_by is None  # the national layer is issued by no local bureau
    assert len(base.items) >= 30
    assert len({it.category for it in base.items}) >= 10
    majors = [it for it in base.items if it.major]
    assert len(majors) >= 4
    assert all("重大事故隐患判定标准" in it.basis for it in majors)
    assert all(it.major_basis.startswith("《道路运输企业和城市客运企业安全生产重大事故隐患判定标准（试行）》第三条第（") for it in majors)
    assert {it.frequency.text for it in base.items} <= {"月", "季", "年"}


def test_unit_checklist_extends_removes_and_overrides(content):
    from generators.diagnostics import Diagnostics
    from generators.load import LIBRARY_KINDS, load_files

    lib = load_files(NATIONAL, LIBRARY_KINDS, Diagnostics())
    base = next(f.model for f in lib["checklist"] if f.model.id == "road-transport")
    unit = content.checklists["antu-unit"]
    ids = [it.id for it in unit.items]
    base_ids = [it.id for it in base.items]
    assert unit.level == "单位" and unit.extends == "road-transport"
    assert len(ids) == len(set(ids))
    # removed
    assert "rt-dg-06" not in ids and "rt-site-04" not in ids
    # overridden in place: the library's order, enterprise wording
    kept = [i for i in base_ids if i not in ("rt-dg-06", "rt-site-04")]
    assert [i for i in ids if i in kept] == kept
    by_id = {it.id: it for it in unit.items}
    base_by_id = {it.id: it for it in base.items}
    assert "186" in by_id["rt-mon-02"].content and by_id["rt-mon-02"].content != base_by_id["rt-mon-02"].content
    assert "泄漏" in by_id["rt-em-02"].content
    # added items join the end of their section, new sections follow the library's: every section
    # heading appears once, in the library's order
    added = [i for i in ids if i not in kept]
    assert added and all(i.startswith("ant-") for i in added)
    categories = [it.category for it in unit.items]
    runs = [c for i, c in enumerate(categories) if i == 0 or categories[i - 1] != c]
    assert len(runs) == len(set(runs)), runs
    library_sections = list(dict.fromkeys(it.category for it in base.items))
    assert [c for c in runs if c in library_sections] == [c for c in library_sections if c in runs]
    fuel = ids.index("ant-fuel-01")
    assert unit.items[fuel].category == "场站设施与消防" and unit.items[fuel + 1].category != "场站设施与消防"
    # library major items survive in the enterprise list
    assert sum(it.major for it in unit.items) == sum(it.major for it in base.items)


def test_three_levels_and_frequencies(content):
    levels = {}
    for cl in content.checklists.values():
        levels.setdefault(cl.level, []).append(cl)
    assert len(levels["单位"]) == 1
    workshop_deps = {c.department for c in levels["车间"]}
    # a 班组 (装卸作业班组) has 岗位（班组）cards, not a 车间（部门）table (review 2026-12-02 item 16)
    teams = {d.id for d in content.enterprise.departments if d.kind == "班组"}
    assert teams and not workshop_deps & teams
    assert workshop_deps == {p.department for p in content.posts} - teams
    assert all(content.post_checklists(p.id) for p in content.posts if p.department in teams)
    for cl in levels["车间"]:
        assert {it.frequency.text for it in cl.items} == {"周"}, cl.id
        assert {it.responsible for it in cl.items} == {"车间"}, cl.id
    assert {c.post for c in levels["岗位"]} == POSTS
    assert {it.frequency.text for it in levels["单位"][0].items} <= {"月", "季", "年"}


def test_broken_copy_reports_dangling_risk_reference(tmp_path):
    copy = tmp_path / "enterprises" / "demo-transport"
    shutil.copytree(SAMPLE, copy)
    shutil.copytree(LIBRARY, tmp_path / "library")
    path = copy / "job_standards" / "welder.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("risk_points: [mt-tanker-hotwork]", "risk_points: [mt-tanker-hotwerk]"), encoding="utf-8")
    _, diags = load(copy, build_date=BUILD_DATE)
    errors = [d for d in diags.errors if "mt-tanker-hotwerk" in d.message]
    assert len(errors) == 1
    line = next(i for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "mt-tanker-hotwerk" in ln)
    assert errors[0].file.endswith("welder.yaml") and errors[0].line == line
