"""Structure beyond what a printed document can show (issue 19, item 2): every bounded list and
cell text is refused with file, line, field, what is allowed and why; content at the bound is
accepted, and the densest card at the risk-point bound still fits its one A4 page."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from generators.load import load
from generators.load.bounds import CARD_MAX_CHARS, CARD_MAX_RISK_POINTS, card_text

CORPUS = Path(__file__).parent / "corpus"
CHAPTER = "本条规定了作业前的准备、作业中的监护、作业后的清理和验收要求，" * 400  # 12 400 characters


def base(tmp_path: Path) -> Path:
    ent = tmp_path / "content" / "enterprises" / "base"
    shutil.copytree(CORPUS / "_base", ent)
    shutil.copytree(CORPUS / "_library", tmp_path / "content" / "library")
    return ent


def change(ent: Path, rel: str, edit: Callable[[Any], None]) -> None:
    path = ent / rel
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    edit(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100000), encoding="utf-8")


def risk(i: int, **kw) -> dict[str, Any]:
    point = {"id": f"rp-{i:04d}", "name": f"第{i}号作业点", "department": "safety", "posts": ["safety-officer"],
             "hazards": [f"第{i}号作业点设备运转部位防护缺失"], "accidents": ["机械伤害"],
             "assessment": {"method": "LS", "L": 2, "S": 2}, "controls": {"management": ["专人监护"]},
             "control_level": "班组", "responsible": "班组长"}
    point.update(kw)
    return point


EXAM_RULES = {"kinds": {"first": {"sections": [
    {"type": "单选", "count": 200, "points": 0.2}, {"type": "多选", "count": 200, "points": 0.2},
    {"type": "判断", "count": 200, "points": 0.1}]}}}

# (file, edit, field, what the message must say)
CASES: dict[str, tuple[str, Callable[[Any], None], str, list[str]]] = {
    "card: a thousand emergency situations": (
        "cards/safety-officer.yaml",
        lambda d: d["emergency"].extend({"situation": f"险情{i}", "actions": ["立即报告"]} for i in range(1000)),
        "emergency", ["应急处置最多 6 项，现为 1001 项", "一页 A4"]),
    "card: an emergency action holding a chapter": (
        "cards/safety-officer.yaml", lambda d: d["emergency"][0]["actions"].append(CHAPTER),
        "emergency[0].actions[3]", ["应急处置措施每条最多 150 字，现为 12400 字", "一页 A4"]),
    "card: fifty warning signs": (
        "cards/safety-officer.yaml", lambda d: d["signs"].update(warning=[f"当心{i}" for i in range(50)]),
        "signs.warning", ["警告标志最多 8 项，现为 50 项", "每类标志排成一行"]),
    "card: thirty protective items": (
        "cards/safety-officer.yaml", lambda d: d.update(ppe=[f"防护用品{i}" for i in range(30)]),
        "ppe", ["最多 12 项，现为 30 项"]),
    "risk point: thousands of hazards": (
        "risks/register.yaml", lambda d: d["risk_points"][0].update(hazards=[f"危险因素{i}" for i in range(5000)]),
        "risk_points[0].hazards", ["危险有害因素最多 10 项，现为 5000 项", "安全风险点名册的表格"]),
    "risk point: a measure holding a chapter": (
        "risks/register.yaml", lambda d: d["risk_points"][0]["controls"]["management"].append(CHAPTER),
        "risk_points[0].controls.management[1]", ["管理措施每条最多 200 字，现为 12400 字"]),
    "risk point: forty accident types": (
        "risks/register.yaml", lambda d: d["risk_points"][0].update(accidents=[f"事故{i}" for i in range(40)]),
        "risk_points[0].accidents", ["最多 8 项"]),
    "checklist: a cell holding a chapter": (
        "checklists/unit.yaml", lambda d: d["items"][0].update(content=CHAPTER),
        "items[0].content", ["检查内容最多 300 字，现为 12400 字", "检查表"]),
    "job standard: a step holding a chapter": (
        "job_standards/safety-officer.yaml", lambda d: d["process"]["steps"][0].update(content=CHAPTER),
        "process.steps[0].content", ["作业内容与标准最多 500 字", "排成表格"]),
    "job standard: sixty measures in one cell": (
        "job_standards/safety-officer.yaml", lambda d: d["risk_controls"][0].update(measures=[f"措施{i}" for i in range(60)]),
        "risk_controls[0].measures", ["管控措施最多 12 项，现为 60 项"]),
    "responsibility: a duty holding a chapter": (
        "responsibilities/safety-officer.yaml", lambda d: d["duties"][0].update(content=CHAPTER),
        "duties[0].content", ["最多 500 字", "责任清单在手册中排成表格"]),
    "question: a stem holding a chapter": (
        "questions/general.yaml", lambda d: d["questions"][0].update(stem=CHAPTER),
        "questions[0].stem", ["最多 500 字", "试卷"]),
    "training: thirty content lines in one cell": (
        "training.yaml", lambda d: d["items"][0].update(content=[f"内容{i}" for i in range(30)]),
        "items[0].content", ["主要内容最多 10 项，现为 30 项", "培训计划排成表格"]),
    "enterprise: twenty emergency phones": (
        "enterprise.yaml", lambda d: d["emergency_phones"].extend({"name": f"电话{i}", "number": f"1{i:03d}"} for i in range(17)),
        "emergency_phones", ["应急电话最多 8 项，现为 21 项", "告知卡"]),  # the scaffold's 4 + 17
    "exam rules: a paper of 600 questions": (
        "exam_rules.yaml", lambda d: d.update(EXAM_RULES),
        "kinds.first.sections", ["一份试卷最多 200 道题，现为 600 道", "240 分钟"]),
    "risk map: 250 zones": (
        "riskmap.yaml", lambda d: d.update(zones=[{"id": f"z{i}", "name": f"区域{i}", "responsible": "区域负责人",
                                                   "rect": {"x": 0, "y": 0, "w": 1, "h": 1}} for i in range(250)]),
        "zones", ["区域最多 200 项，现为 250 项", "A3"]),
    "risk map: a board with forty emergency lines": (
        "riskmap.yaml", lambda d: d.update(zones=[{"id": "z1", "name": "车间", "responsible": "车间主任", "rect": {"x": 0, "y": 0, "w": 10, "h": 10},
                                                   "emergency": [f"处置{i}" for i in range(40)]}]),
        "zones[0].emergency", ["最多 10 项，现为 40 项", "一页 A3"]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_structure_beyond_the_document_is_refused_with_what_is_allowed_and_why(name, tmp_path):
    rel, edit, field, words = CASES[name]
    ent = base(tmp_path)
    change(ent, rel, edit)
    _, diags = load(ent)
    errors = [d for d in diags.errors if d.field == field]
    assert errors, [d.format() for d in diags.errors]
    err = errors[0]
    assert err.file.endswith(rel) and err.line >= 1
    for w in words:
        assert w in err.message, err.message


def test_content_at_the_bounds_is_accepted(tmp_path):
    ent = base(tmp_path)
    change(ent, "cards/safety-officer.yaml", lambda d: d.update(
        emergency=[{"situation": f"险情{i}", "actions": ["立即报告" * 25] + ["立即报告"] * 7} for i in range(6)], ppe=["防护" * 60] * 12))
    change(ent, "checklists/unit.yaml", lambda d: d["items"][0].update(content="检" * 300))
    change(ent, "risks/register.yaml", lambda d: d["risk_points"][0].update(hazards=[f"因素{i}" for i in range(10)]))
    _, diags = load(ent)
    assert not diags.errors, [d.format() for d in diags.errors]


def test_a_post_beyond_the_cards_risk_point_count_is_refused_where_it_overflows(tmp_path):
    ent = base(tmp_path)
    change(ent, "risks/zz-more.yaml", lambda d: d.update(risk_points=[risk(i) for i in range(CARD_MAX_RISK_POINTS)]))
    _, diags = load(ent)
    [err] = diags.errors
    assert err.file.endswith("risks/zz-more.yaml") and err.field == f"risk_points[{CARD_MAX_RISK_POINTS - 1}].posts[0]"
    assert f"涉及 {CARD_MAX_RISK_POINTS + 1} 个风险点，告知卡最多列出 {CARD_MAX_RISK_POINTS} 个" in err.message
    change(ent, "risks/zz-more.yaml", lambda d: d["risk_points"].pop())
    _, diags = load(ent)
    assert not diags.errors


def test_card_text_beyond_one_page_is_refused_at_the_card(tmp_path):
    ent = base(tmp_path)
    long = [f"第{{i}}号作业点第{k}项危险有害因素：设备运转部位防护缺失，人员可能被卷入" for k in range(10)]
    change(ent, "risks/zz-more.yaml", lambda d: d.update(risk_points=[risk(i, hazards=[h.format(i=i) for h in long]) for i in range(12)]))
    content, diags = load(ent)
    [err] = diags.errors
    assert err.file.endswith("cards/safety-officer.yaml") and err.field == "post" and err.line == 1
    assert f"约 {CARD_MAX_CHARS} 字" in err.message and "危险有害因素 122 条" in err.message


@pytest.mark.slow
def test_the_densest_card_at_the_risk_point_bound_is_one_page(tmp_path):
    """The bound suits the layout: the most risk points a card may list, with short texts, fit."""
    import datetime as dt
    import io

    from pypdf import PdfReader

    from generators.outputs import cards
    from generators.render.fonts import fonts

    ent = base(tmp_path)
    change(ent, "risks/zz-more.yaml", lambda d: d.update(risk_points=[risk(i) for i in range(CARD_MAX_RISK_POINTS - 1)]))
    content, diags = load(ent, build_date=dt.date(2026, 11, 26))
    assert not diags.errors
    assert card_text(content, "safety-officer")["risks"] == CARD_MAX_RISK_POINTS
    post = content.enterprise.post("safety-officer")
    data = cards.card_data(content, post)
    rendered, paper = cards.fitted_card(content, dict(data, booklet=dict(data["booklet"], page=None)), fonts(content))
    reader = PdfReader(io.BytesIO(rendered.pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text().replace(" ", "").replace("\n", "")
    for name in ["作业现场安全检查", *(f"第{i}号作业点" for i in range(CARD_MAX_RISK_POINTS - 1))]:
        assert name in text, name  # every risk point's name is on the card
