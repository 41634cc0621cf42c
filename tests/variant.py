"""An enterprise written the way a real one keeps its records (issue 14): its own numbers in any case
(R01, YH-2024-001, Q001), levels named 公司/部门/班组/岗位, free-wording frequencies, audience groups,
training kinds outside the usual list, no 考核标准, no 事故原因, no risk 责任人, a nameless piece of
equipment, and one legal basis for the whole post.

Built on the `anquan new` scaffold (one post), so that tests can render it quickly.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from generators.cli.new import scaffold

DAY = dt.date(2026, 6, 1)
LEGAL_BASIS = ["《中华人民共和国安全生产法》第二十五条", "《生产经营单位安全培训规定》第十条"]


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def make_variant(root: Path) -> Path:
    ent = root / "hx-chem"
    scaffold(ent, name="华信化工仓储有限公司", today=DAY, url="http://aq.hx-chem.internal/", phone="0571-86001234")

    def enterprise(d):
        d["settings"] = {"levels": ["公司", "部门", "班组", "岗位"]}
        d["departments"][0]["code"] = "AH-01"
        d["departments"][0]["kind"] = "部门"
        d["posts"][0]["code"] = "GW-07"
        d["posts"].append({"id": "driver", "code": "GW-12", "name": "危货驾驶员", "department": "safety", "headcount": 8, "key_post": False})
        d["audiences"] = {
            "驾驶员": ["driver"],
            "承包商作业人员": {"headcount": 12, "description": "外来施工单位进入库区作业的人员"},
            "特殊作业监护人": {"posts": ["safety-officer"]},
        }
    _edit(ent / "enterprise.yaml", enterprise)

    def risks(d):
        r = d["risk_points"][0]
        del r["id"]
        r["code"] = "R01"  # the id comes from the code: r01
        r["control_level"] = "部门"
        del r["responsible"]
        d["risk_points"].append({
            "code": "R02", "name": "危货车辆库区行驶", "kind": "作业活动", "department": "safety", "posts": ["driver"],
            "hazards": ["库区内超速行驶"], "accidents": ["车辆伤害"], "assessment": {"method": "LEC", "L": 3, "E": 6, "C": 15},
            "controls": {"management": ["库区限速 5 km/h"]}, "control_level": "班组", "responsible": "车队班长",
        })
    _edit(ent / "risks" / "register.yaml", risks)

    def responsibility(d):
        d["legal_basis"] = LEGAL_BASIS
        for duty in d["duties"]:
            duty.pop("assessment")
            duty.pop("basis")
    _edit(ent / "responsibilities" / "safety-officer.yaml", responsibility)

    def standard(d):
        d["legal_basis"] = ["《危险化学品安全管理条例》第二十四条"]
        d["equipment"][0].pop("name")
        d["risk_controls"][0]["risk_points"] = ["r01"]
        d["cases"][0].pop("causes")
        for step in d["process"]["steps"]:
            step.pop("safety", None)
    _edit(ent / "job_standards" / "safety-officer.yaml", standard)

    def card(d):
        d["code"] = "AQK-2026-01"
        d["items"][0]["code"] = "K-01"
        d["items"][0]["frequency"] = "每班"
        d["items"][1]["code"] = "K-02"
        d["items"][1]["frequency"] = {"text": "每趟及途中每 2 h", "period": "日"}
        d["items"][1]["responsible"] = "部门"
        d["items"].append({"code": "K-03", "category": "现场管理", "content": "动火作业票已审批，监护人在场",
                           "method": "查作业票", "frequency": "每次作业", "responsible": "岗位"})
    _edit(ent / "checklists" / "safety-officer-card.yaml", card)
    (ent / "checklists" / "safety-dept.yaml").write_text(yaml.safe_dump({
        "id": "safety-dept", "code": "AQB-2026-02", "title": "安全环保部安全检查表册", "level": "部门", "department": "safety",
        "items": [{"code": "B-01", "category": "隐患治理", "content": "本周新增隐患已登记台账并落实“五定”", "basis": "《中华人民共和国安全生产法》第四十一条",
                   "method": "查台账", "frequency": "周", "responsible": "部门"}],
    }, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def questions(d):
        for n, q in enumerate(d["questions"], start=1):
            del q["id"]
            q["code"] = f"Q{n:03d}"
    _edit(ent / "questions" / "general.yaml", questions)

    def training(d):
        d["items"][0]["code"] = "PX-01"
        d["items"].append({"code": "PX-03", "topic": "危险货物道路运输驾驶员年度再培训", "kind": "年度再培训", "audience": ["驾驶员"],
                           "hours": 24, "month": 5})
        d["items"].append({"code": "PX-04", "topic": "承包商入场安全专项培训", "kind": "专项培训", "audience": ["承包商作业人员"],
                           "hours": 4, "month": 6, "trainer": "安全环保部"})
    _edit(ent / "training.yaml", training)

    sections = [{"type": "单选", "count": 1, "points": 40}, {"type": "多选", "count": 1, "points": 30}, {"type": "判断", "count": 1, "points": 30}]
    (ent / "exam_rules.yaml").write_text(yaml.safe_dump({
        "max_points": 40,  # a tiny bank: one question per type (the default 6-point cap wants more questions)
        "kinds": {"first": {"sections": sections, "general_share": 1}, "year-end": {"sections": sections, "general_share": 1}},
        "papers": [{"post": "safety-officer", "kind": "first", "seed": 1, "code": "AQ-KS-2026-01"},
                   {"post": "safety-officer", "kind": "year-end", "seed": 1}],
    }, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (ent / "hazards.yaml").write_text(yaml.safe_dump({"hazards": [{
        "code": "YH-2026-001", "found": "2026-05-06", "source": "企业自查", "place": "2号库房", "description": "库房内应急照明灯不亮",
        "grade": "一般", "department": "safety", "check_item": "AQK-2026-01/K-01",
        "five_fixed": {"responsible": "安全环保部", "measures": "更换应急照明灯", "funds_wan": 0.1, "deadline": "2026-05-20"},
        "status": "已销号", "closed": "2026-05-10", "verifier": "安全环保部负责人",
    }]}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return ent
