"""The regulator's desk: facts, 六必查, the 优良中差 rubric, 标杆, 凡查必考 and the fleet view.

Crafted enterprises start from the demo-transport sample (complete content) and are changed in
Python: one comes out 优 (and is a 标杆 candidate), one 良, one 中, one 差 by score and one 差 by
a cap; a near miss meets three of the four 标杆 criteria. The fleet page is driven in Debian's
Chromium with a synthetic fleet of 600 rows.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import hashlib
import http.server
import io
import itertools
import json
import random
import re
import shutil
import threading
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from generators.checks import regulator as R
from generators.checks import run_checks as warnings
from generators.checks.regulator import facts as F
from generators.checks.regulator.benchmark import CRITERIA, benchmark_cap, criteria, select
from generators.checks.regulator.fleet import enterprise_row, fleet_data, plan_months
from generators.checks.regulator.quiz import QuizImpossible, draw_quiz
from generators.checks.regulator.six_checks import six_checks
from generators.importers.inspection import read_six_checks_xlsx
from generators.load import load
from generators.model.enterprise import Region
from generators.model.regulator import (
    Accident,
    BehaviourObservation,
    EmergencyPlan,
    Finding,
    Inspection,
    Licence,
    PostCertificates,
    QuizOutcome,
    RegulatorFacts,
    Standardization,
)
from generators.model.regulator_lines import BEHAVIOUR_IDS, FINDING_IDS, LINES, SECTIONS
from generators.outputs.fleet_view import write_fleet_view
from generators.outputs.quiz import quiz_pdf
from generators.outputs.sixchecks import six_checks_pdf, six_checks_xlsx

ROOT = Path(__file__).resolve().parent.parent
TRANSPORT = ROOT / "content" / "enterprises" / "demo-transport"
FACTORY = ROOT / "content" / "enterprises" / "demo-factory"
DAY = dt.date(2026, 11, 26)
CHROMIUM = "/usr/bin/chromium"


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


@pytest.fixture(scope="module")
def base():
    content, diags = load(TRANSPORT, build_date=DAY)
    assert [str(d) for d in diags.errors] == []
    return content


# ---------------------------------------------------------------- crafted enterprises


def ideal_facts(content) -> RegulatorFacts:
    return RegulatorFacts(
        supervisor="示例交通运输局",
        licences=[
            Licence(kind="营业执照", number="示例-执照-0001", issuer="示例市场监督管理局", valid_from=dt.date(2016, 4, 12)),
            Licence(kind="道路运输经营许可证", number="示例-道运证-0001", issuer="示例行政审批局", valid_until=DAY + days(400)),
        ],
        certificates=[PostCertificates(post=p.id, required=p.headcount, held=p.headcount) for p in content.posts if p.certificate],
        standardization=Standardization(grade="二级", certificate="示例-标准化-0001", valid_until=DAY + days(300)),
        emergency_plan=EmergencyPlan(filing_number="示例-备案-0001", filed=DAY - days(200), last_drill=DAY - days(30), rescue_organisation="兼职应急救援队"),
        accident_records_since=dt.date(2016, 4, 12),
    )


def with_facts(content, **changes):
    content.enterprise = content.enterprise.model_copy(update={"regulator": ideal_facts(content).model_copy(update=changes)})
    return content


def close_all_hazards(content):
    closed = [h.model_copy(update={"status": "已销号", "closed": h.five_fixed.deadline, "verifier": "验收人"}) for h in content.hazards.hazards]
    content.hazards = content.hazards.model_copy(update={"hazards": closed})
    return content


def inspect(content, failed=(), quiz=(6, 6), observed=()):
    content.extras["inspections"] = {2026: Inspection(
        year=2026, date=DAY - days(10), inspectors=["检查人员甲"],
        findings=[Finding(item=i, result="不符合" if i in failed else "符合") for i in sorted(FINDING_IDS)],
        behaviours=[BehaviourObservation(item=b, observed=b in observed) for b in sorted(BEHAVIOUR_IDS)],
        quiz=QuizOutcome(tested=quiz[0], passed=quiz[1]),
    )}
    return content


FAILED_SOME = ("equipment-maintenance", "equipment-list", "rules-enforced", "hazards-on-time", "risk-assessment")


def excellent(base):
    return inspect(close_all_hazards(with_facts(copy.deepcopy(base))))


def good(base):
    third = Standardization(grade="三级", certificate="示例-标准化-0002", valid_until=DAY + days(300))
    return inspect(close_all_hazards(with_facts(copy.deepcopy(base), standardization=third)), failed=FAILED_SOME, quiz=(6, 3))


def fair(base):
    c = good(base)
    c.job_standards = {}
    c.cards = {k: v for i, (k, v) in enumerate(sorted(c.cards.items())) if i % 2}
    c.extras.pop("riskmap", None)
    return inspect(c, failed=FAILED_SOME + ("special-certs",), quiz=(6, 2))


def poor(base):
    c = copy.deepcopy(base)
    c.responsibilities, c.job_standards, c.cards, c.checklists, c.risk_points = {}, {}, {}, {}, []
    c.training, c.handbook, c.questions = None, None, []
    c.extras.pop("exam_rules", None)
    c.extras.pop("riskmap", None)
    return c


def near_miss(base):
    """Excellent, but an accident two years ago: three 标杆 criteria of four."""
    c = excellent(base)
    facts = c.enterprise.regulator.model_copy(update={"accidents": [
        Accident(date=DAY - days(730), type="车辆伤害", injuries=1, description="场内倒车碰伤装卸工"),
    ]})
    c.enterprise = c.enterprise.model_copy(update={"regulator": facts})
    return c


# ---------------------------------------------------------------- rubric profiles


def test_profiles_load_and_match_the_catalogue(base):
    road = R.rubric_for(base)
    assert road.id == "road-transport"
    factory, _ = load(FACTORY, build_date=DAY)
    assert R.rubric_for(factory).id == "default"
    # every measure the profiles may name is implemented, and nothing else
    assert set(R.Measure.__args__) == set(R.MEASURES)
    # the five items of the 专项检查, each with weight 20
    assert [i.title for i in road.items] == ["安全管理机构和安全设施设备", "安全生产标准化运行", "隐患源头治理体系", "风险分级管控执行", "全员素质提升"]
    assert road.thresholds == {"优": 90, "良": 75, "中": 60}
    assert road.supervision.frequency["差"] > road.supervision.frequency["良"] > road.supervision.frequency["优"]


def test_bad_profile_is_reported(tmp_path):
    text = (ROOT / "content/library/rubrics/default.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "default.yaml"
    bad.write_text(text.replace("thresholds: {优: 90, 良: 75, 中: 60}", "thresholds: {优: 70, 良: 75, 中: 60}"), encoding="utf-8")
    with pytest.raises(R.RubricError, match="优 > 良 > 中"):
        R.load_rubric(bad)
    bad.write_text(text.replace("item: rules-enforced", "item: no-such-line"), encoding="utf-8")
    with pytest.raises(R.RubricError, match="no-such-line"):
        R.load_rubric(bad)


# ---------------------------------------------------------------- 优 良 中 差


@pytest.mark.parametrize("craft, grade", [(excellent, "优"), (good, "良"), (fair, "中"), (poor, "差")])
def test_crafted_enterprises_get_their_grade_by_score(base, craft, grade):
    rating = R.rate(craft(base))
    assert rating.grade == grade, (rating.total, rating.reasons)
    assert rating.uncapped == grade  # the score alone decides: no cap lowered it
    rubric = R.rubric_for(base)
    low = {"优": rubric.thresholds["优"], "良": rubric.thresholds["良"], "中": rubric.thresholds["中"], "差": 0}[grade]
    assert rating.total >= low
    # every score shows its evidence, and every evidence from the content names its file
    for item in rating.items:
        for rule in item.rules:
            assert rule.evidence and all(e.text for e in rule.evidence), rule
            if rule.applies and not rule.label.startswith(("现场核查", "凡查必考")):
                assert all(e.source for e in rule.evidence), rule


def test_excellent_scores_in_detail(base):
    rating = R.rate(excellent(base))
    assert rating.inspected and rating.inspection_date == DAY - days(10)
    grade_rule = next(r for r in rating.item("standardization").rules if r.id == "grade")
    assert grade_rule.value == pytest.approx(0.9)  # 二级 per the profile
    pass_rate = next(r for r in rating.item("competence").rules if r.id == "pass-rate")
    assert pass_rate.value is None and "不计分" in pass_rate.evidence[0].text  # no exam_history.yaml
    assert rating.frequency == 1


def test_caps_lower_the_grade(base):
    # a 危险作业行为 seen on site: 差 whatever the score
    c = inspect(excellent(base), observed=("tamper",))
    rating = R.rate(c)
    assert rating.uncapped == "优" and rating.grade == "差"
    assert any("关闭破坏安全设备或篡改数据" in x for x in rating.caps)
    assert rating.frequency == R.rubric_for(base).supervision.frequency["差"]
    # the sample as it is: overdue hazards keep it from 优
    sample = R.rate(base)
    assert sample.uncapped == "优" and sample.grade == "良"
    assert any("YH-2026-015" in x for x in sample.caps)
    # an expired licence caps at 中
    c = excellent(base)
    lic = [x.model_copy(update={"valid_until": DAY - days(1)}) if x.kind == "道路运输经营许可证" else x for x in c.enterprise.regulator.licences]
    c.enterprise = c.enterprise.model_copy(update={"regulator": c.enterprise.regulator.model_copy(update={"licences": lic})})
    assert R.rate(c).grade == "中"


def test_without_inspection_only_content_counts(base):
    c = excellent(base)
    c.extras["inspections"] = {}
    rating = R.rate(c)
    assert not rating.inspected
    findings = [r for i in rating.items for r in i.rules if r.label.startswith("现场核查")]
    assert findings and all(r.value is None for r in findings)
    assert any("仅依据企业资料" in x for x in rating.reasons)
    # an inspection dated after the build date is not used
    c = excellent(base)
    c.build_date = DAY - days(20)
    assert not R.rate(c).inspected


# ---------------------------------------------------------------- facts: licences, accidents


@pytest.mark.parametrize("offset, status", [(-1, "已过期"), (0, "即将到期"), (90, "即将到期"), (91, "有效")])
def test_licence_status_edges(offset, status):
    lic = Licence(kind="道路运输经营许可证", number="示例-1", issuer="示例局", valid_until=DAY + days(offset))
    assert F.licence_state(lic, DAY).status.value == status
    assert F.licence_state(lic.model_copy(update={"valid_until": None}), DAY).status is F.LicenceStatus.VALID


def test_licence_missing_and_best_copy(base):
    c = with_facts(copy.deepcopy(base), licences=[
        Licence(kind="道路运输经营许可证", number="示例-旧", issuer="示例局", valid_until=DAY - days(400)),
        Licence(kind="道路运输经营许可证", number="示例-新", issuer="示例局", valid_until=DAY + days(600)),
    ])
    states = {s.kind: s for s in F.licence_states(c, ["营业执照", "道路运输经营许可证"])}
    assert states["道路运输经营许可证"].status is F.LicenceStatus.VALID  # the renewed copy counts
    assert states["道路运输经营许可证"].licence.number == "示例-新"
    assert states["营业执照"].status is F.LicenceStatus.MISSING


def _copy_content(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path / "content" / "enterprises"


def test_check_warns_on_expired_expiring_and_missing(tmp_path):
    ents = _copy_content(tmp_path)
    # the samples: the factory has nothing to warn about; the transport company's licence expires within 90 days
    content, diags = load(ents / "demo-factory", build_date=DAY)
    warnings(content, diags)
    assert not [d for d in diags.warnings if d.field.startswith("regulator")], [str(d) for d in diags.warnings]
    content, diags = load(ents / "demo-transport", build_date=DAY)
    warnings(content, diags)
    assert [d.message for d in diags.warnings if "即将到期" in d.message] == [
        "证照即将到期（90 天内）：道路运输经营许可证（示例-道运证-140404-0186，长治市行政审批服务管理局）有效期至 2027年2月15日：81 天后到期，请及时办理延续"]
    # break the factory: an inspection report expired, the business licence gone, a post short of certificates
    path = ents / "demo-factory" / "enterprise.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("valid_until: 2027-04-15", "valid_until: 2026-10-31")
    text = re.sub(r"\n    - \{kind: 营业执照,[^\n]*", "", text)
    text = text.replace("{post: welder, required: 3, held: 3}", "{post: welder, required: 3, held: 2}")
    text = text.replace("last_drill: 2026-09-17", "last_drill: 2025-09-17")
    path.write_text(text, encoding="utf-8")
    content, diags = load(ents / "demo-factory", build_date=DAY)
    assert not diags.errors
    warnings(content, diags)
    messages = [d.message for d in diags.warnings if d.field.startswith("regulator")]
    assert any(m.startswith("证照已过期：特种设备定期检验报告（叉车 2 台）") and "已过期 26 天" in m for m in messages), messages
    assert "缺少证照：营业执照（企业安全生产基础建设评价细则（通用）要求），请在 regulator.licences 中填写" in messages
    assert any("持证不足：电焊工" in m and "缺 1 人" in m for m in messages)
    assert any("应急演练超过 365 天未开展" in m for m in messages)


def test_no_regulator_block_no_regulator_warnings(base):
    from generators.diagnostics import Diagnostics

    bare = copy.deepcopy(base)
    bare.enterprise = bare.enterprise.model_copy(update={"regulator": None})
    diags = Diagnostics()
    R.check_regulator(bare, diags)
    assert list(diags) == []
    # but the rating still asks for the facts: licences missing cap the grade
    assert any("证照缺失" in c for c in R.rate(bare).caps)


@pytest.mark.parametrize("accident_days_ago, since_days_ago, expected", [
    (None, 3 * 365 + 1, True),   # records since just over three years, no accident
    (None, 2 * 365, False),      # records too short to show three years
    (1096, 4000, True),          # an accident exactly three years ago (2023-11-26) leaves three full years
    (1095, 4000, False),         # one day later: not yet three years
    (None, None, False),         # no record start: cannot tell
])
def test_three_years_without_accident(base, accident_days_ago, since_days_ago, expected):
    accidents = []
    if accident_days_ago is not None:
        accidents = [Accident(date=DAY - days(accident_days_ago), type="车辆伤害", description="示例")]
    since = DAY - days(since_days_ago) if since_days_ago is not None else None
    c = with_facts(copy.deepcopy(base), accidents=accidents, accident_records_since=since)
    assert F.years_before(DAY, 3) == dt.date(2023, 11, 26)
    assert F.accident_record(c).three_years is expected


def test_region_from_credit_code(base):
    assert F.region(base) == "140404" and F.region_derived(base)
    assert F.region_label(base) == "140404 山西省长治市上党区"
    with pytest.raises(ValueError, match="6 位数字"):
        RegulatorFacts(region="14040")
    with pytest.raises(ValueError, match="省级"):
        RegulatorFacts(region="990101")
    with pytest.raises(ValueError, match="省级"):
        Region(code="990101")


def _ent_with(tmp_path, change):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    ent = tmp_path / "content" / "enterprises" / "demo-transport"
    path = ent / "enterprise.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load(ent, build_date=DAY)


def test_region_has_one_place(base, tmp_path):
    """enterprise.region is the one source; regulator.region and regulator.region_name (the old place)
    are still read, moved into it, with a warning each; the two places may not disagree."""
    assert base.enterprise.region.name == "山西省长治市上党区" and base.enterprise.region.code is None
    assert "region" not in (base.enterprise.regulator.model_fields_set)  # the sample is written the new way

    def old_way(d):
        d.pop("region")
        d["regulator"]["region"] = "140404"
        d["regulator"]["region_name"] = "长治市上党区（旧写法）"
    content, diags = _ent_with(tmp_path / "old", old_way)
    assert content is not None and not diags.errors, [d.format() for d in diags.errors]
    ent = content.enterprise
    assert ent.region.code == "140404" and ent.region.name == "长治市上党区（旧写法）" and ent.region_code == "140404"
    assert F.region(content) == "140404" and not F.region_derived(content)
    assert F.region_label(content) == "140404 长治市上党区（旧写法）"
    assert enterprise_row(content, R.rate(content))["region_name"] == "长治市上党区（旧写法）"
    warnings(content, diags)  # run_checks: check_regulator says the old fields are used
    moved = [d for d in diags.warnings if "已弃用" in d.message]
    assert {d.field for d in moved} == {"regulator.region", "regulator.region_name"}
    assert all("region." in d.message for d in moved)

    def both_ways(d):
        d["region"] = {"code": "140404"}
        d["regulator"]["region"] = "140403"
    content, diags = _ent_with(tmp_path / "both", both_ways)
    assert any("不一致" in d.message for d in diags.errors)

    def new_way(d):
        d["region"] = {"code": "140404", "name": "山西省长治市上党区"}
    content, diags = _ent_with(tmp_path / "new", new_way)
    warnings(content, diags)
    assert F.region(content) == "140404" and not F.region_derived(content) and not [d for d in diags.warnings if "已弃用" in d.message]


# ---------------------------------------------------------------- 标杆


def test_benchmark_candidate_and_near_miss(base):
    best = excellent(base)
    crit = criteria(best, R.rate(best))
    assert crit.all and crit.missing == []
    miss = near_miss(base)
    rating = R.rate(miss)
    assert rating.grade == "优"  # as good as the candidate ...
    crit = criteria(miss, rating)
    assert not crit.all and crit.missing == ["三年以上无事故"]  # ... but for the accident
    # the sample: 三级 standardization only
    assert criteria(base, R.rate(base)).missing == ["二级及以上安全生产标准化"]
    # a handbook not revised within a year is not high quality
    stale = excellent(base)
    stale.handbook = stale.handbook.model_copy(update={"revisions": [r.model_copy(update={"date": DAY - days(400)}) for r in stale.handbook.revisions]})
    assert criteria(stale, R.rate(stale)).missing == ["高质量《应知应会手册》"]


@pytest.mark.parametrize("n, cap", [(0, 0), (1, 1), (99, 1), (100, 1), (199, 1), (200, 2), (999, 9), (1000, 10), (2579, 25)])
def test_benchmark_cap_is_ten_permille_at_least_one(n, cap):
    assert benchmark_cap(n) == cap


def _row(rid: str, score: float, missing: list[str], rating: str = "优") -> dict:
    return {"id": rid, "name": f"企业{rid}", "score": score, "rating": rating, "industry": "道路运输", "region": "140403",
            "accident_free_years": 5.0, "benchmark": {"all": not missing, "missing": missing, "dual_score": 0.95}}


def test_selection_ranks_caps_and_shows_the_cutoff():
    rows = [_row(f"e{i:03d}", 50 + i % 40, ["三年以上无事故"] if i % 7 else []) for i in range(300)]
    result = select(rows)
    assert result["cap"] == 3
    cands = result["candidates"]
    assert len(cands) == len([r for r in rows if r["benchmark"]["all"]]) > 3
    scores = [c["score"] for c in cands]
    assert scores == sorted(scores, reverse=True)
    assert [c["selected"] for c in cands[:4]] == [True, True, True, False]
    assert result["cutoff"] == {"rank": 3, "score": cands[2]["score"], "id": cands[2]["id"], "name": cands[2]["name"]}
    assert "300 家 × 10‰ = 3.00，取整为 3 家" in result["rule"]
    assert result["near_misses"] and all(n["missing"] == "三年以上无事故" for n in result["near_misses"])
    # a small fleet may still select one
    small = select([_row("a", 95, []), _row("b", 97, [])])
    assert small["cap"] == 1 and small["selected"] == ["b"] and "不足 1 家的按 1 家" in small["rule"]


# ---------------------------------------------------------------- 六必查


def test_six_sections_with_claims_sources_and_onsite_prompts(base):
    sheet = six_checks(base)
    assert [s["title"] for s in sheet["sections"]] == ["查证照", "查机构队伍", "查设施设备", "查基础建设", "查应急管理", "查危险作业行为"]
    lines = {ln["id"]: ln for s in sheet["sections"] for ln in s["lines"]}
    assert set(lines) == {ln.id for ln in LINES}
    for ln in lines.values():
        assert ln["onsite"] == {"result": "", "note": ""}  # the on-site column is left to the inspector
        if ln["onsite_only"]:
            assert ln["claims"] == [] and ln["status"] == "onsite" and ln["basis"].startswith("刑法第一百三十四条之一")
        else:
            assert ln["claims"] and ln["source"]
    assert {ln["id"] for ln in lines.values() if ln["onsite_only"]} == set(BEHAVIOUR_IDS)
    # 查基础建设 from the real content
    assert "超期 3 条（YH-2026-013、YH-2026-014、YH-2026-015）" in lines["hazards-on-time"]["claims"][0]
    assert lines["hazards-on-time"]["status"] == "warn"
    assert lines["responsibility-posts"]["claims"] == ["全员安全生产责任清单：13/13 个岗位"]
    # 企业分类 with both of its criteria (either one decides), the agency's department only when it is another name
    ent = base.enterprise
    assert lines["officers"]["claims"][1] == f"从业人员 {ent.employees} 人，营业收入 {ent.revenue_wan:.0f} 万元（{ent.size_class.value}企业）"
    assert sheet["enterprise"]["size_basis"] == f"{ent.employees} 人，营业收入 {ent.revenue_wan:.0f} 万元"
    agency = ent.key_people.safety_agency
    named = copy.deepcopy(base)
    named.enterprise.departments[0] = named.enterprise.departments[0].model_copy(update={"name": agency.name})
    named.enterprise.key_people.safety_agency = agency.model_copy(update={"department": named.enterprise.departments[0].id})
    same = {ln["id"]: ln for s in six_checks(named)["sections"] for ln in s["lines"]}
    assert same["agency"]["claims"][0] == f"安全管理机构：{agency.name}", "not “安全环保部（部门：安全环保部）”"
    assert "一年内辨识评估（名册修订）47/47 个" in lines["risk-assessment"]["claims"][0]
    assert lines["exams"]["claims"][0] == "首次考试 60 分及格；年终考试 70 分及格；年度考试（第二年起） 80 分及格"
    assert lines["training-plan"]["source"] == "年度安全培训计划" and lines["training-plan"]["status"] == "ok"
    assert "81 天后到期" in " ".join(lines["licences"]["claims"]) and lines["licences"]["status"] == "warn"
    assert lines["plan-filed"]["claims"][0].startswith("生产安全事故应急预案（综合预案") and "示例-上党交应急备-2026-017" in lines["plan-filed"]["claims"][0]
    # a gap shows as one
    c = copy.deepcopy(base)
    del c.responsibilities["escort"]
    c.training = c.training.model_copy(update={"year": 2025})
    lines = {ln["id"]: ln for s in six_checks(c)["sections"] for ln in s["lines"]}
    assert lines["responsibility-posts"]["claims"] == ["全员安全生产责任清单：12/13 个岗位，缺：押运员"]
    assert lines["rules-enforced"]["claims"][1] == "责任清单职责 84 条，每条均写明考核标准"
    assert lines["responsibility-posts"]["status"] == "warn"
    assert "（不是 2026 年度）" in lines["training-plan"]["claims"][0] and lines["training-plan"]["status"] == "warn"
    # the sheet says how many duties state their 考核标准, as the lists have them
    for rl in c.responsibilities.values():
        rl.duties[0] = rl.duties[0].model_copy(update={"assessment": None})
    lines = {ln["id"]: ln for s in six_checks(c)["sections"] for ln in s["lines"]}
    assert lines["rules-enforced"]["claims"][1] == "责任清单职责 84 条，其中 72 条写明考核标准"
    for rl in c.responsibilities.values():
        rl.duties[:] = [d.model_copy(update={"assessment": None}) for d in rl.duties]
    lines = {ln["id"]: ln for s in six_checks(c)["sections"] for ln in s["lines"]}
    assert lines["rules-enforced"]["claims"][1] == "责任清单职责 84 条，均未写明考核标准"
    c.responsibilities.clear()
    lines = {ln["id"]: ln for s in six_checks(c)["sections"] for ln in s["lines"]}
    assert lines["rules-enforced"]["claims"][1] == "未编制岗位安全生产责任清单"
    # the basis of the transport profile is printed only for enterprises of the place that issued it
    assert "长上交字〔2023〕16号" in six_checks(base)["rubric"]["basis"]  # demo-transport is in 上党区 (140404)
    elsewhere = copy.deepcopy(base)
    elsewhere.enterprise = elsewhere.enterprise.model_copy(update={"region": Region(code="140403")})
    assert six_checks(elsewhere)["rubric"]["basis"] == ""


def _digest(data: bytes) -> str:
    """Compare documents by digest: a failure reports at once instead of diffing megabytes."""
    return hashlib.sha256(data).hexdigest()


def _pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.slow
def test_six_checks_pdf_and_xlsx(base, tmp_path):
    pdf = six_checks_pdf(base)
    assert pdf.startswith(b"%PDF")
    text = _pdf_text(pdf).replace(" ", "")
    for title in ("一、查证照", "二、查机构队伍", "三、查设施设备", "四、查基础建设", "五、查应急管理", "六、查危险作业行为"):
        assert title in text
    assert "YH-2026-015" in text and "hazards-on-time" not in text and "编号：" not in text  # review 2026-12-02: no internal ids
    assert "评价等次" in text and "存在超期未销号的隐患" in text  # the rating and its reasons
    assert _digest(pdf) == _digest(six_checks_pdf(base))  # reproducible
    from openpyxl import load_workbook

    data = six_checks_xlsx(base)
    wb = load_workbook(io.BytesIO(data))
    ws = wb["六必查"]
    ids = [ws.cell(r, 3).value for r in range(4, ws.max_row + 1)]
    assert ids == [ln.id for ln in LINES]
    assert {dv.formula1 for dv in ws.data_validations.dataValidation} == {'"符合,不符合,不适用"', '"未发现,发现"'}
    assert "评价" in wb.sheetnames and wb["评价"].cell(1, 1).value.startswith("评价等次：良")
    # the inspector fills it in and it comes back as an inspection record
    row = {ws.cell(r, 3).value: r for r in range(4, ws.max_row + 1)}
    ws.cell(row["drills"], 8, "不符合")
    ws.cell(row["drills"], 9, "演练记录缺评估报告")
    ws.cell(row["licences"], 8, "符合")
    ws.cell(row["tamper"], 8, "未发现")
    buf = io.BytesIO()
    wb.save(buf)
    ins = read_six_checks_xlsx(buf.getvalue(), 2026, DAY, ["检查人员甲"])
    assert [(f.item, f.result, f.note) for f in ins.findings] == [("licences", "符合", None), ("drills", "不符合", "演练记录缺评估报告")]
    assert [(b.item, b.observed) for b in ins.behaviours] == [("tamper", False)]


# ---------------------------------------------------------------- inspections/<year>.yaml


def test_inspection_file_loads_and_is_checked(tmp_path):
    ents = _copy_content(tmp_path)
    ent = ents / "demo-transport"
    content, diags = load(ent, build_date=DAY)
    assert not diags.errors
    ins = content.extras["inspections"][2026]
    assert ins.date == dt.date(2026, 10, 21) and ins.quiz.passed == 5
    assert content.sources["inspection:2026"].endswith("inspections/2026.yaml")
    rating = R.rate(content)
    assert rating.inspected
    assert any("设备设施维护检测" in e.text and "不符合" in e.text for i in rating.items for r in i.rules for e in r.evidence)
    # wrong ids, a behaviour filed as a finding, a file not named after its year
    path = ent / "inspections" / "2026.yaml"
    text = path.read_text(encoding="utf-8").replace("{item: exams, result: 符合}", "{item: exam, result: 符合}")
    text = text.replace("{item: drills, result: 符合}", "{item: tamper, result: 符合}")
    path.write_text(text, encoding="utf-8")
    shutil.copyfile(path, ent / "inspections" / "2025.yaml")
    content, diags = load(ent, build_date=DAY)
    errors = [str(d) for d in diags.errors]
    assert any("2026.yaml" in e and "六必查检查项“exam”不存在" in e for e in errors), errors
    assert any("“tamper”不存在（危险作业行为请填在 behaviours 中）" in e for e in errors), errors
    assert any("2025.yaml" in e and "文件名应为年度：2026.yaml" in e for e in errors), errors
    # a post in regulator.certificates must exist
    epath = ent / "enterprise.yaml"
    epath.write_text(epath.read_text(encoding="utf-8").replace("{post: escort, required: 58", "{post: escorts, required: 58"), encoding="utf-8")
    content, diags = load(ent, build_date=DAY)
    assert any("岗位“escorts”不存在" in str(d) for d in diags.errors)


# ---------------------------------------------------------------- 凡查必考


def test_quiz_draw_is_reproducible_from_the_seed(base):
    a = draw_quiz(base, 482915, posts=3, questions=5)
    b = draw_quiz(copy.deepcopy(base), 482915, posts=3, questions=5)
    ids = lambda q: [(p.post.id, [x.id for x in p.questions]) for p in q.pages]
    assert ids(a) == ids(b)
    # the files' load order does not matter: the draw works on lists sorted by id
    shuffled = copy.deepcopy(base)
    random.Random(3).shuffle(shuffled.questions)
    assert ids(draw_quiz(shuffled, 482915, posts=3, questions=5)) == ids(a)
    assert ids(draw_quiz(base, 482916, posts=3, questions=5)) != ids(a)
    for page in a.pages:
        assert page.post.key_post and len(page.questions) == 5
        own = {q.id for q in base.post_questions(page.post.id)}
        assert len({q.id for q in page.questions}) == 5
        assert all(q.id in own or q.general for q in page.questions)
    assert len({p.post.id for p in a.pages}) == 3
    with pytest.raises(QuizImpossible, match="最多 20 题"):
        draw_quiz(base, 1, questions=21)
    empty = copy.deepcopy(base)
    empty.questions = []
    with pytest.raises(QuizImpossible, match="没有可抽考的重点岗位"):
        draw_quiz(empty, 1)


def test_quiz_tops_up_from_general_questions(base):
    c = copy.deepcopy(base)
    post = "fuel-attendant"
    keep = [q.id for q in c.post_questions(post)][:2]
    c.questions = [q for q in c.questions if post not in q.posts or q.id in keep]
    c.enterprise = c.enterprise.model_copy(update={"posts": [p for p in c.posts if p.id == post]})
    page = draw_quiz(c, 5, posts=1, questions=6).pages[0]
    assert len(page.questions) == 6 and page.general == 4
    assert {q.id for q in page.questions[:2]} == set(keep)


@pytest.mark.slow
def test_quiz_pdf_one_page_per_person_and_a_key(base):
    pdf = quiz_pdf(base, 482915, posts=3, questions=8)
    assert _digest(pdf) == _digest(quiz_pdf(base, 482915, posts=3, questions=8))  # reprint gives the same bytes
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 4  # three people, one page each, then the key
    quiz = draw_quiz(base, 482915, posts=3, questions=8)
    for page, drawn in zip(reader.pages[:3], quiz.pages):
        text = page.extract_text().replace(" ", "")
        assert "抽题种子482915" in text and f"岗位：{drawn.post.name}" in text
    key = reader.pages[3].extract_text()
    assert "答案" in key and all(q.knowledge_point in key for p in quiz.pages for q in p.questions)
    assert not any(q.id in key for p in quiz.pages for q in p.questions if q.id != (q.code or "").lower()), "the key prints the question's own number, never its internal id"
    assert _digest(pdf) != _digest(quiz_pdf(base, 1, posts=3, questions=8))


# ---------------------------------------------------------------- fleet view


def test_enterprise_row_has_counts_not_people(base):
    rating = R.rate(base)
    row = enterprise_row(base, rating)
    text = json.dumps(row, ensure_ascii=False)
    kp = base.enterprise.key_people
    people = [kp.principal.name, kp.safety_agency.head.name, *(o.name for o in kp.safety_officers), kp.deputy.name]
    people += base.extras["inspections"][2026].inspectors
    assert not [n for n in people if n in text]
    assert not [p.phone for p in [kp.principal, *kp.safety_officers] if p.phone and p.phone in text]
    assert row["rating"] == "良" and row["hazards_overdue"] == 3 and row["licence_alert"] and row["next_expiry"] == "2027-02-15"
    assert row["region"] == "140404" and row["size_class"] == "规模以上" and row["cert_rate"] == 100.0
    assert row["benchmark"]["missing"] == ["二级及以上安全生产标准化"]
    personal = enterprise_row(base, rating, personal=True)
    assert personal["personal"]["principal"] == kp.principal.name and personal["personal"]["quiz"] == {"tested": 6, "passed": 5}
    # the setting is the fleet's: rows with personal data are stripped unless the view asks for them
    data = fleet_data([personal])
    assert "personal" not in data["rows"][0] and not data["personal"]
    assert fleet_data([personal], personal=True)["rows"][0]["personal"]["principal"] == kp.principal.name


def test_plan_spreads_inspections_evenly():
    rows = [{"id": f"e{i:03d}", "frequency": f} for i, f in enumerate([1] * 120 + [4] * 30 + [3] * 10)]
    months = plan_months(rows)
    per_month = [0] * 12
    for ms in months.values():
        for m in ms:
            per_month[m - 1] += 1
    assert sum(per_month) == 120 + 120 + 30
    assert max(per_month) - min(per_month) <= 1
    assert all(len(months[r["id"]]) == r["frequency"] for r in rows)
    quarterly = months["e120"]
    assert [b - a for a, b in itertools.pairwise(quarterly)] == [3, 3, 3]
    assert plan_months(list(reversed(rows))) == months  # deterministic


def synthetic_rows(base, n: int, seed: int = 7) -> list[dict]:
    """`n` rows shaped like enterprise_row()'s, varied: industries, regions, sizes, grades, alerts."""
    factory, _ = load(FACTORY, build_date=DAY)
    real = [enterprise_row(base, R.rate(base)), enterprise_row(factory, R.rate(factory))]
    rng = random.Random(seed)
    regions = [("140403", "山西省长治市潞州区", "山西省"), ("140404", "山西省长治市上党区", "山西省"), ("350581", "福建省泉州市石狮市", "福建省")]
    out = []
    for i in range(n):
        r = copy.deepcopy(real[i % 2])
        code, name, prov = regions[i % 3]
        score = round(rng.uniform(40, 99.5), 1)
        grade = "优" if score >= 90 else "良" if score >= 75 else "中" if score >= 60 else "差"
        met = {k: rng.random() < 0.8 for k in CRITERIA}
        r.update({
            "id": f"syn-{i:04d}", "name": f"合成示例{i:04d}有限公司", "region": code, "region_name": name, "province": prov,
            "size_class": ("规模以上", "中等", "小微")[i % 5 % 3], "score": score, "rating": grade, "uncapped": grade,
            "hazards_overdue": (i % 5 == 0) * (1 + i % 3), "licence_alert": i % 6 == 0,
            "frequency": {"优": 1, "良": 2, "中": 3, "差": 4}[grade],
            "benchmark": {"met": met, "all": all(met.values()), "missing": [CRITERIA[k] for k, v in met.items() if not v], "dual_score": 0.95},
        })
        out.append(r)
    return out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def fleet_site(base, tmp_path_factory):
    rows = synthetic_rows(base, 600)
    www = tmp_path_factory.mktemp("fleet")
    index = write_fleet_view(rows, www / "index" / "regulator")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(www)))
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{httpd.server_address[1]}/"
    yield rows, index, origin
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.slow
def test_fleet_files(fleet_site):
    _, index, _ = fleet_site
    folder = index.parent
    assert sorted(p.name for p in folder.iterdir()) == ["fleet.json", "fleet.xlsx", "index.html", "regulator.css", "regulator.js"]
    data = json.loads((folder / "fleet.json").read_text(encoding="utf-8"))
    assert data["count"] == 600 and len(data["rows"]) == 600
    assert data["benchmark"]["cap"] == 6 and len(data["benchmark"]["selected"]) == 6
    assert sum(1 for r in data["rows"] if r["benchmark_selected"]) == 6
    assert all(r["frequency"] == 1 for r in data["rows"] if r["benchmark_selected"])
    assert data["plan"]["total"] == sum(r["frequency"] for r in data["rows"])
    # the page embeds the same data (so it opens from the file system), safely
    html = index.read_text(encoding="utf-8")
    embedded = re.search(r'<script type="application/json" id="fleet-data">(.*?)</script>', html, re.DOTALL).group(1)
    assert json.loads(embedded) == data and "<" not in embedded
    from openpyxl import load_workbook

    wb = load_workbook(folder / "fleet.xlsx", read_only=True)
    assert wb["企业评价总表"].max_row == 601
    assert "标杆候选" in wb.sheetnames


def expect(locator):
    from playwright.sync_api import expect as pw_expect

    return pw_expect(locator)


def _summary_count(page) -> int:
    return int(re.search(r"符合条件 (\d+) /", page.locator("#summary").inner_text()).group(1))


@pytest.mark.browser
def test_fleet_page_filters_pages_and_stays_local(browser, fleet_site):
    rows, _, origin = fleet_site
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN", accept_downloads=True)
    requests: list[str] = []
    errors: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(origin + "index/regulator/index.html")
    page.wait_for_selector("html[data-ready=true]", timeout=60000)
    assert _summary_count(page) == 600
    assert page.locator("#list tbody tr").count() == 50  # one page of 50
    assert page.locator("#panel-list .page-info").inner_text() == "第 1 / 12 页"

    # each filter, alone and combined, against the rows
    page.select_option("#f-industry", "工贸")
    assert _summary_count(page) == sum(1 for r in rows if r["industry"] == "工贸")
    cells = page.locator("#list tbody tr td:nth-child(2)").all_inner_texts()
    assert cells and all(c.startswith("工贸") for c in cells)
    page.select_option("#f-region", "35")
    want = [r for r in rows if r["industry"] == "工贸" and r["region"].startswith("35")]
    assert _summary_count(page) == len(want)
    page.check("#f-overdue")
    want = [r for r in want if r["hazards_overdue"] > 0]
    assert _summary_count(page) == len(want) > 0
    page.click("#f-reset")
    expect(page.locator("#summary")).to_contain_text("符合条件 600 /")
    page.select_option("#f-size", "小微")
    page.select_option("#f-rating", "差")
    page.check("#f-licence")
    selected = set(json.loads(page.locator("#fleet-data").text_content())["benchmark"]["selected"])
    want = [r for r in rows if r["size_class"] == "小微" and r["licence_alert"] and r["rating"] == "差" and r["id"] not in selected]
    assert _summary_count(page) == len(want) > 0
    assert set(page.locator("#list tbody tr").evaluate_all("rs => rs.map(r => r.dataset.id)")) == {r["id"] for r in want[:50]}
    # a filter answers at once (measured in the page: filtering and drawing 600 rows)
    page.click("#f-reset")
    expect(page.locator("#summary")).to_contain_text("符合条件 600 /")
    took = page.evaluate("""() => { const t = performance.now(); const q = document.getElementById('f-q');
        q.value = '合成示例01'; q.dispatchEvent(new Event('input')); return performance.now() - t; }""")
    assert took < 300, took
    assert _summary_count(page) == 100
    page.fill("#f-q", "")

    # paging and sorting
    first = page.locator("#list tbody tr").first.get_attribute("data-id")
    page.click("#panel-list .next")
    assert page.locator("#panel-list .page-info").inner_text() == "第 2 / 12 页"
    assert page.locator("#list tbody tr").first.get_attribute("data-id") != first
    page.click("#list th[data-sort=score]")
    shown = [float(re.search(r"([\d.]+) 分", t).group(1)) for t in page.locator("#list tbody td.rating").all_inner_texts()]
    assert shown == sorted(shown, reverse=True) and shown[0] == max(r["score"] for r in rows)

    # CSV of the filtered rows, made in the page
    page.select_option("#f-rating", "优")
    with page.expect_download() as dl:
        page.click("#csv")
    csv = Path(dl.value.path()).read_text(encoding="utf-8-sig").strip().splitlines()
    assert len(csv) == 1 + _summary_count(page) and csv[0].startswith("企业编号,企业名称")

    # 差别监管 and 标杆
    page.click("#tab-plan")
    assert page.locator("#panel-plan").is_visible() and not page.locator("#panel-list").is_visible()
    assert page.locator("#months .month").count() == 12
    assert "优" in page.locator("#plan-summary").inner_text()
    page.click("#tab-bench")
    assert not page.locator("#filters").is_visible()
    rule = page.locator("#bench-rule").inner_text()
    assert "600 家 × 10‰ = 6.00，取整为 6 家" in rule and "分数线" in rule
    assert page.locator("#bench tr.selected").count() == 6
    assert page.locator("#bench tr.cutoff").count() == 1
    context.close()
    assert requests and all(u.startswith(origin) for u in requests), [u for u in requests if not u.startswith(origin)]
    assert not [u for u in requests if u.endswith("fleet.json")]  # the page reads the embedded copy
    assert errors == []


@pytest.mark.browser
def test_fleet_page_opens_from_the_file_system(browser, fleet_site):
    _, index, _ = fleet_site
    context = browser.new_context()
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.goto(index.as_uri())
    page.wait_for_selector("html[data-ready=true]", timeout=10000)
    assert _summary_count(page) == 600
    context.close()
    assert all(u.startswith("file://") for u in requests), requests


@pytest.mark.browser
def test_fleet_page_with_a_city_of_2579(browser, base, tmp_path):
    """The notice's city counts 2,579 enterprises: the page stays quick with all of them because it
    puts one page of 50 rows in the document, however many match (structure, not a stopwatch)."""
    index = write_fleet_view(synthetic_rows(base, 2579, seed=11), tmp_path / "regulator")
    context = browser.new_context()
    page = context.new_page()
    page.goto(index.as_uri())
    page.wait_for_selector("html[data-ready=true]", timeout=60000)
    assert _summary_count(page) == 2579 and page.locator("#list tbody tr").count() == 50
    page.evaluate("""() => { const s = document.getElementById('f-rating');
        s.value = '差'; s.dispatchEvent(new Event('input')); }""")
    filtered = _summary_count(page)
    assert 0 < filtered < 2579
    assert page.locator("#list tbody tr").count() == min(50, filtered)
    page.click("#tab-bench")
    assert "2579 家 × 10‰ = 25.79，取整为 25 家" in page.locator("#bench-rule").inner_text()
    context.close()


def test_fleet_rows_from_the_samples_render(base, tmp_path):
    factory, _ = load(FACTORY, build_date=DAY)
    rows = [enterprise_row(c, R.rate(c)) for c in (base, factory)]
    index = write_fleet_view(rows, tmp_path / "regulator")
    data = json.loads((index.parent / "fleet.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in data["rows"]] == ["demo-factory", "demo-transport"]
    assert data["benchmark"]["cap"] == 1 and data["benchmark"]["candidates"] == []
    assert {n["id"] for n in data["benchmark"]["near_misses"]} == {"demo-transport"}
    assert [i["title"] for i in data["items"]] == ["安全管理机构和安全设施设备", "安全生产标准化运行", "隐患源头治理体系", "风险分级管控执行", "全员素质提升"]
    # write again: the folder is replaced whole
    (index.parent / "stale.txt").write_text("x", encoding="utf-8")
    write_fleet_view(rows, tmp_path / "regulator")
    assert not (index.parent / "stale.txt").exists()


def test_sample_inspection_yaml_is_plain_data():
    data = yaml.safe_load((TRANSPORT / "inspections" / "2026.yaml").read_text(encoding="utf-8"))
    assert {f["item"] for f in data["findings"]} == set(FINDING_IDS)
    assert {b["item"] for b in data["behaviours"]} == set(BEHAVIOUR_IDS)
    assert [s.title for s in SECTIONS][-1] == "查危险作业行为"


def test_schema_puts_the_region_in_one_place(tmp_path):
    from generators.cli import main

    assert main(["schema", "--out", str(tmp_path)]) == 0
    s = json.loads((tmp_path / "enterprise.schema.json").read_text(encoding="utf-8"))
    region = s["$defs"]["Region"]["properties"]
    assert {"code", "name", "town"} <= set(region) and "pattern" in json.dumps(region["code"])
    old = s["$defs"]["RegulatorFacts"]["properties"]
    assert old["region"]["deprecated"] is True and old["region_name"]["deprecated"] is True
    assert "region.code" in old["region"]["description"] and "region.name" in old["region_name"]["description"]


def test_the_six_checks_facts_print_dates_in_chinese(base):
    """A 检查表 is read by inspectors: its facts give dates as 2026年3月16日, never 2026-03-16."""
    sheet = six_checks(base)
    texts = [json.dumps(ln, ensure_ascii=False) for s in sheet["sections"] for ln in s["lines"]]
    assert any(re.search(r"\d{4}年\d{1,2}月\d{1,2}日", t) for t in texts)
    assert not [t for t in texts if re.search(r"(有效期至|修订|备案日期|应急演练：) ?\d{4}-\d{2}-\d{2}", t)]
