"""The exam tests' enterprise: a scaffolded 安泰仓储物流有限公司 with a 叉车司机 post, the fixture
question bank imported from Excel and exam rules (test_exams, test_bank, test_excel, test_exam_docx,
test_exam_rules_year)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from generators.cli.new import scaffold
from generators.importers.bank import read_bank
from generators.load import load
from generators.model.exam import ExamRules
from generators.outputs import exams

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "excel"
DAY = dt.date(2024, 6, 1)

RULES = {
    "title": "安全生产知识考试",
    "first_exam_year": 2024,
    "max_points": 8,
    "consequences": {"fail": "不合格者停岗培训，并组织补考", "resit_fail": "补考仍不合格的，调离原工作岗位"},
    "kinds": {
        "first": {
            "duration": 90, "general_share": 0.5, "difficulty": {"易": 0.4, "中": 0.4, "难": 0.2},
            "sections": [{"type": "单选", "count": 10, "points": 3}, {"type": "多选", "count": 6, "points": 5}, {"type": "判断", "count": 8, "points": 5}],
        },
        "year-end": {
            "duration": 60, "general_share": 0.667,
            "sections": [{"type": "单选", "count": 6, "points": 6}, {"type": "多选", "count": 4, "points": 6}, {"type": "判断", "count": 5, "points": 8}],
        },
        "annual": {
            "duration": 90, "general_share": 0.4, "difficulty": {"易": 0.3, "中": 0.4, "难": 0.3},
            "sections": [{"type": "单选", "count": 10, "points": 3}, {"type": "多选", "count": 6, "points": 5}, {"type": "判断", "count": 8, "points": 5}],
        },
    },
    "papers": [
        {"post": "safety-officer", "kind": "first", "seed": 7},
        {"post": "safety-officer", "kind": "year-end", "seed": 7},
        {"post": "forklift-driver", "kind": "first", "seed": 3},
        {"post": "forklift-driver", "kind": "year-end", "seed": 3},
    ],
}


def make_enterprise(root: Path, rules: dict | None = RULES) -> Path:
    """A scaffolded enterprise with a 叉车司机 post, the fixture bank imported from Excel and exam rules."""
    ent = root / "acme"
    scaffold(ent, name="安泰仓储物流有限公司", today=DAY)
    text = (ent / "enterprise.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "key_people:",
        "  - id: forklift-driver\n    name: 叉车司机\n    department: safety\n    headcount: 6\n"
        "    certificate: 特种设备作业人员证（N1 叉车司机）\nkey_people:",
    )
    (ent / "enterprise.yaml").write_text(text, encoding="utf-8")
    base, _ = load(ent, build_date=DAY)
    bank, diags = read_bank(FIXTURES / "bank_template.xlsx", base)
    assert bank is not None, diags
    data = bank.model_dump(mode="json", exclude_none=True)
    data["revisions"] = [{"date": DAY.isoformat(), "summary": "由 Excel 导入", "approved_by": "总经理"}]
    (ent / "questions" / "fixture.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    training = yaml.safe_load((ent / "training.yaml").read_text(encoding="utf-8"))
    training["items"].append({"id": "t03", "topic": "新员工公司级、车间级、班组级安全教育", "kind": "三级安全教育",
                              "audience": ["新员工"], "hours": 24, "month": 1, "trainer": "安全管理部"})
    training["items"].append({"id": "t04", "topic": "叉车安全操作规程与典型事故案例", "kind": "岗位技能培训",
                              "audience": ["forklift-driver"], "hours": 8, "month": 5, "trainer": "仓储部",
                              "content": ["岗前安全确认", "坡道与装卸作业要点"], "assessment": "闭卷考试"})
    (ent / "training.yaml").write_text(yaml.safe_dump(training, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if rules is not None:
        (ent / "exam_rules.yaml").write_text(yaml.safe_dump(rules, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return ent


def loaded(ent: Path, date: dt.date = DAY):
    content, diags = load(ent, build_date=date)
    assert content is not None and not diags.errors, [d.format() for d in diags.errors]
    return content


def rules_of(content) -> ExamRules:
    return content.extras["exam_rules"]


def made_papers(content) -> set[str]:
    return {j.output.removeprefix("exams/").removesuffix("-paper.docx") for j in exams.jobs(content) if j.output.endswith("-paper.docx")}
