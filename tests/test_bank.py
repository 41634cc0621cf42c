"""一库: answer keys valid for their type, duplicate and near-duplicate stems, options, the 出题依据 report."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generators.checks import run_checks
from generators.checks.bank import bank_summary, basis_report, cited, normalise, similar_stems
from generators.diagnostics import Diagnostics
from generators.load import load
from generators.model import Question
from tests.helpers.exams import DAY, RULES, loaded, make_enterprise


@pytest.fixture()
def ent(tmp_path: Path) -> Path:
    return make_enterprise(tmp_path)


def add_bank(ent: Path, questions: list[dict], name: str = "extra") -> Path:
    path = ent / "questions" / f"{name}.yaml"
    data = {"questions": questions, "revisions": [{"date": DAY.isoformat(), "summary": "补充题目", "approved_by": "总经理"}]}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def check_messages(ent: Path) -> list:
    content = loaded(ent)
    diags = Diagnostics()
    run_checks(content, diags)
    return list(diags)


@pytest.mark.parametrize(
    "qtype, options, answer, message",
    [
        ("单选", ["安全帽", "安全带", "防护眼镜"], "AB", "单选题只能有一个答案"),
        ("多选", ["安全帽", "安全带", "防护眼镜"], "B", "多选题至少要有两个答案"),
        ("单选", ["安全帽", "安全带"], "C", "超出了选项范围"),
        ("判断", [], "B", "判断题答案应为 正确/错误"),
        ("多选", ["安全帽", "安全帽", "防护眼镜"], "AC", "选项有重复"),
    ],
)
def test_invalid_keys_are_errors_at_their_line(ent, qtype, options, answer, message):
    q = {"id": "x-01", "type": qtype, "stem": "进入高处作业区域必须佩戴（  ）。", "answer": answer, "knowledge_point": "劳动防护用品"}
    if options:
        q["options"] = options
    path = add_bank(ent, [q])
    content, diags = load(ent, build_date=DAY)
    errors = [d for d in diags.errors if d.file.endswith(path.name)]
    assert errors and message in errors[0].message
    assert errors[0].line >= 2


def test_normalise_ignores_blanks_punctuation_and_width():
    assert normalise("叉车严禁（  ）。") == normalise("叉车严禁( )") == "叉车严禁"
    assert normalise("ＧＢ ２８９４") == "gb2894"


def test_duplicate_and_near_duplicate_stems_are_reported_with_both_places(ent):
    add_bank(ent, [
        {"id": "x-01", "type": "判断", "stem": "生产经营单位的从业人员有权拒绝违章指挥和强令冒险作业！", "answer": "正确", "knowledge_point": "从业人员权利"},
        {"id": "x-02", "type": "单选", "stem": "叉车司机必须持有（ ）方可上岗作业", "options": ["机动车驾驶证", "特种设备作业人员证"], "answer": "B", "knowledge_point": "持证上岗"},
        {"id": "x-03", "type": "判断", "stem": "动火作业前必须办理动火作业许可证，并清除周围易燃物。", "answer": "正确", "knowledge_point": "动火作业"},
    ])
    diags = check_messages(ent)
    # (the scaffold's own general questions repeat some of the fixture's: only the added ones count here)
    dup = [d for d in diags if "题干重复" in d.message and "x-0" in d.message]
    near = [d for d in diags if "高度相似" in d.message and "x-0" in d.message]
    # both differ from a fixture question only in punctuation and the answer blank: exact repeats
    assert len(dup) == 2 and not near
    assert any("x-01" in d.message and "g-15" in d.message for d in dup)
    assert any("x-02" in d.message and "f-01" in d.message and "extra.yaml 第 7 行" in d.message for d in dup)
    assert not any("x-03" in d.message for d in diags)
    for d in dup + near:
        assert d.severity == "warning" and d.line > 1 and "第" in d.message


def test_similarity_threshold_is_ninety_percent():
    def q(i, stem):
        return Question(id=f"q{i}", type="判断", stem=stem, answer="正确", knowledge_point="测试")

    base = "驾驶人连续驾驶机动车超过四小时应当停车休息不少于二十分钟"  # 28 characters
    one_char = base.replace("四小时", "五小时")
    many = "危险货物运输车辆在高速公路上行驶速度不得超过每小时八十公里"
    pairs = similar_stems([q(1, base), q(2, one_char), q(3, many)])
    assert [(a.id, b.id) for a, b, _ in pairs] == [("q1", "q2")]
    assert 0.9 <= pairs[0][2] < 1


def test_options_equal_once_normalised_are_reported(ent):
    add_bank(ent, [{"id": "x-09", "type": "单选", "stem": "进入有限空间作业前应当首先（  ）。",
                    "options": ["通风、检测", "通风，检测。", "直接进入"], "answer": "A", "knowledge_point": "有限空间"}])
    msgs = [d.message for d in check_messages(ent)]
    assert any("x-09" in m and "选项 A" in m and "选项 B" in m and "实质相同" in m for m in msgs)


def test_cited_finds_laws_and_standards():
    assert cited("《中华人民共和国安全生产法》第二十八条") == ["《中华人民共和国安全生产法》"]
    # a standard's code beside its title is one document
    assert cited("GB 2894-2008《安全标志及其使用导则》") == ["《安全标志及其使用导则》（GB 2894-2008）"]
    assert cited("JT/T 617.1—2018 与 GB/T 9704-2012") == ["JT/T 617.1-2018", "GB/T 9704-2012"]
    assert cited("叉车安全操作规程") == []  # the enterprise's own rules are not a law or standard


def test_basis_report_counts_questions_per_law(ent):
    content = loaded(ent)
    cites, without = basis_report(content.questions)
    by = {c.name: c.questions for c in cites}
    assert len(by["《中华人民共和国安全生产法》"]) == sum(1 for q in content.questions if q.basis and "安全生产法》" in q.basis)
    assert set(by["《中华人民共和国特种设备安全法》"]) == {"f-01", "f-11", "f-12"}
    assert "f-02" in without and "g-01" not in without
    assert cites[0].name == "《中华人民共和国安全生产法》"  # most cited first
    summary = bank_summary(content)
    assert summary["total"] == len(content.questions) == 53  # the scaffold's 10 and the fixture's 43
    fork = next(p for p in summary["posts"] if p["id"] == "forklift-driver")
    assert fork["by_type"] == {"单选": 5, "多选": 3, "判断": 4}


def test_exam_rules_that_the_bank_cannot_meet_are_warned(ent):
    # the forklift drivers were first examined in 2023, so 2024 is their second year (第二年起)
    rules = dict(RULES, post_first_exam_year={"forklift-driver": 2023},
                 papers=[{"post": "forklift-driver", "kind": "annual", "seed": 1}, {"post": "safety-officer", "kind": "first", "seed": 1}])
    (ent / "exam_rules.yaml").write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
    msgs = [d.message for d in check_messages(ent) if "无法按规则组卷" in d.message]
    assert len(msgs) == 1 and "forklift-driver-annual-1" in msgs[0] and "题库中只有 5 道" in msgs[0]


def test_post_minimum_per_type_is_part_of_check(ent):
    text = (ent / "enterprise.yaml").read_text(encoding="utf-8")
    settings = "settings:\n  min_questions_per_type: 4\n  min_questions_per_post: 10\n  count_general_questions: false\n"
    (ent / "enterprise.yaml").write_text(text + settings, encoding="utf-8")
    content = loaded(ent)
    n_general = len(content.general_questions())
    msgs = [d.message for d in check_messages(ent) if "叉车司机" in d.message and "题目" in d.message]
    assert msgs and "单选5、多选3、判断4" in msgs[0] and "每种题型至少 4 道" in msgs[0]
    assert f"未计通用题 {n_general} 道" in msgs[0] and "count_general_questions: false" in msgs[0]


def test_post_coverage_counts_general_questions_by_default(ent):
    """Item 5: a post's coverage counts the 通用 questions its papers draw from, and says how many."""
    text = (ent / "enterprise.yaml").read_text(encoding="utf-8")
    (ent / "enterprise.yaml").write_text(text + "settings:\n  min_questions_per_post: 500\n", encoding="utf-8")
    content = loaded(ent)
    general = content.general_questions()
    by_type = {t: sum(1 for q in general if q.type == t) for t in ("单选", "多选", "判断")}
    assert general and all(by_type.values())
    from generators.checks import coverage

    row = next(r for r in coverage(content) if r.id == "forklift-driver")
    assert row.coverage["questions"] == 12 + len(general)
    assert row.coverage["questions_by_type"] == {"单选": 5 + by_type["单选"], "多选": 3 + by_type["多选"], "判断": 4 + by_type["判断"]}
    msgs = [d.message for d in check_messages(ent) if "叉车司机" in d.message and "题目" in d.message]
    assert msgs and f"含通用题 {len(general)} 道" in msgs[0]
    # without the general ones the same post has only its own 12
    (ent / "enterprise.yaml").write_text(text + "settings:\n  count_general_questions: false\n", encoding="utf-8")
    row = next(r for r in coverage(loaded(ent)) if r.id == "forklift-driver")
    assert row.coverage["questions"] == 12


def test_bank_command_prints_citations(ent, capsys):
    from generators.cli import main

    assert main(["bank", str(ent)]) == 0
    out = capsys.readouterr().out
    assert "题库共 53 道" in out and "《中华人民共和国特种设备安全法》" in out and "叉车司机" in out
