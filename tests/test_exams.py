"""一试: pass marks, drawing papers by the rules, Word/PDF papers and keys, results, the builder."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml

from generators.cli import main
from generators.load import load
from generators.model import papers
from generators.model.exam import ExamHistory, ExamRecord, ExamSpec, pass_mark, passed
from generators.outputs import exam_results, exams
from generators.outputs import site as site_output
from tests.helpers.exams import DAY, FIXTURES, RULES, loaded, make_enterprise, rules_of


@pytest.fixture()
def ent(tmp_path: Path) -> Path:
    return make_enterprise(tmp_path)


# ------------------------------------------------------------------ pass marks (seed 000 §三(二)4)


@pytest.mark.parametrize(
    "kind, score, ok",
    [
        ("first", 59, False), ("first", 59.5, False), ("first", 60, True), ("first", 100, True), ("first", 0, False),
        ("year-end", 69, False), ("year-end", 69.9, False), ("year-end", 70, True),
        ("annual", 79, False), ("annual", 79.5, False), ("annual", 80, True),
    ],
)
def test_pass_mark_edges(kind, score, ok):
    assert passed(score, kind) is ok


def test_pass_marks_per_kind_and_unknown_kind():
    assert [pass_mark(k) for k in ("first", "year-end", "annual")] == [60, 70, 80]
    with pytest.raises(ValueError, match="考试类别"):
        pass_mark("final")


def test_spec_must_total_100_points_and_mix_must_sum_to_one():
    with pytest.raises(ValueError, match="总分应为 100 分"):
        ExamSpec(sections=[{"type": "单选", "count": 10, "points": 2}])
    with pytest.raises(ValueError, match="难度比例之和应为 1"):
        ExamSpec(sections=[{"type": "判断", "count": 50, "points": 2}], difficulty={"易": 0.5, "难": 0.2})
    with pytest.raises(ValueError, match="同一题型只能出现一次"):
        ExamSpec(sections=[{"type": "判断", "count": 25, "points": 2}, {"type": "判断", "count": 25, "points": 2}])


# ------------------------------------------------------------------ drawing


def test_same_seed_same_paper_other_seed_other_paper(ent):
    content = loaded(ent)
    a = papers.plan_paper(content, rules_of(content), "forklift-driver", "year-end", 11)
    b = papers.plan_paper(loaded(ent), rules_of(content), "forklift-driver", "year-end", 11)
    assert a.question_ids == b.question_ids
    others = {tuple(papers.plan_paper(content, rules_of(content), "forklift-driver", "year-end", s).question_ids) for s in range(1, 6)}
    assert len(others) > 1


@pytest.mark.parametrize("post, kind", [("forklift-driver", "first"), ("safety-officer", "first"), ("forklift-driver", "year-end"), ("safety-officer", "year-end")])
def test_paper_respects_every_rule(ent, post, kind):
    content = loaded(ent)
    spec = rules_of(content).spec(kind)
    for seed in range(5):
        paper = papers.plan_paper(content, rules_of(content), post, kind, seed)
        assert [s.rule.type for s in paper.sections] == ["单选", "多选", "判断"]
        ids = paper.question_ids
        assert len(ids) == len(set(ids)) == spec.total_count
        assert sum(s.rule.points * len(s.questions) for s in paper.sections) == 100
        for s in paper.sections:
            assert len(s.questions) == s.rule.count
            assert all(q.type == s.rule.type for q in s.questions)
            assert all(q.general or post in q.posts for q in s.questions)
        general = sum(q.general for s in paper.sections for q in s.questions)
        assert general == round(spec.total_count * spec.general_share)
        if spec.difficulty:
            got = {d: sum(q.difficulty == d for s in paper.sections for q in s.questions) for d in "易中难"}
            want = dict(zip("易中难", papers._largest_remainder(spec.total_count, [spec.difficulty.get(d, 0) for d in "易中难"])))
            assert got == want, (seed, got, want)
            if kind == "first":  # 24 × (0.4, 0.4, 0.2) = 9.6, 9.6, 4.8: the larger remainders round up
                assert got == {"易": 10, "中": 9, "难": 5}
            assert paper.notes == []


def test_shortage_is_explained_in_chinese(ent, capsys):
    content = loaded(ent)
    with pytest.raises(papers.ExamImpossible) as exc:
        papers.plan_paper(content, rules_of(content), "forklift-driver", "annual", 1)
    assert "单选题需要“叉车司机”岗位题 6 道，题库中只有 5 道" in exc.value.problems
    assert "判断题需要“叉车司机”岗位题 5 道，题库中只有 4 道" in exc.value.problems
    rc = main(["exam", str(ent), "--post", "forklift-driver", "--kind", "annual", "--out", str(ent.parent / "out")])
    err = capsys.readouterr().err
    assert rc == 1
    assert "无法按规则组卷" in err and "题库中只有 5 道" in err
    assert not (ent.parent / "out").exists()


def test_difficulty_mix_the_bank_cannot_meet_is_reported(ent):
    content = loaded(ent)
    rules = rules_of(content).model_copy(deep=True)
    rules.kinds["year-end"] = ExamSpec.model_validate({**RULES["kinds"]["year-end"], "difficulty": {"难": 1}})
    paper = papers.plan_paper(content, rules, "forklift-driver", "year-end", 2)
    assert len(paper.question_ids) == 15
    assert paper.notes and "难度比例无法完全满足" in paper.notes[0] and "难 15" in paper.notes[0]
    hard = sum(q.difficulty == "难" for s in paper.sections for q in s.questions)
    pool_hard = sum(q.difficulty == "难" for q in content.questions if q.general or "forklift-driver" in q.posts)
    assert 0 < hard <= pool_hard


def test_history_excludes_the_persons_previous_paper(ent):
    content = loaded(ent)
    first = papers.plan_paper(content, rules_of(content), "forklift-driver", "year-end", 5)
    history = ExamHistory(records=[
        ExamRecord(person="倪国栋", post="forklift-driver", kind="year-end", date=DAY, questions=first.question_ids, score=65),
        ExamRecord(person="钱晓峰", post="forklift-driver", kind="year-end", date=DAY, questions=["g-01"], score=90),
    ])
    previous = {q for r in history.latest("倪国栋", "forklift-driver") for q in r.questions}
    assert previous == set(first.question_ids)
    for seed in range(5):
        resit = papers.plan_paper(content, rules_of(content), "forklift-driver", "year-end", seed, previous)
        assert not set(resit.question_ids) & previous
    # the post's last sitting (no person): both records of that date
    assert {q for r in history.latest(None, "forklift-driver") for q in r.questions} == previous | {"g-01"}
    # the first-exam rules need every forklift question: after one paper nothing is left to draw
    used = set(papers.plan_paper(content, rules_of(content), "forklift-driver", "first", 1).question_ids)
    with pytest.raises(papers.ExamImpossible, match="已排除"):
        papers.plan_paper(content, rules_of(content), "forklift-driver", "first", 2, used)


# ------------------------------------------------------------------ files


def _docx_text(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def test_exam_command_writes_paper_pdf_and_key(ent, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # papers on demand go to records/<id>/exams/ by default
    rc = main(["exam", str(ent), "--post", "forklift-driver", "--kind", "first", "--seed", "3", "--date", "2024-06-01"])
    assert rc == 0, capsys.readouterr().err
    folder = tmp_path / "records" / "acme" / "exams"
    assert sorted(p.name for p in folder.iterdir()) == [
        "forklift-driver-first-3-key.docx", "forklift-driver-first-3-paper.docx", "forklift-driver-first-3-paper.pdf"]
    content = loaded(ent)
    paper = papers.plan_paper(content, rules_of(content), "forklift-driver", "first", 3)
    text = _docx_text(folder / "forklift-driver-first-3-paper.docx")
    for needle in ("安泰仓储物流有限公司", "（叉车司机 · 首次考试）", "姓名", "岗位", "日期", "得分",
                   "一、单项选择题（共 10 题，每题 3 分，共 30 分）", "二、多项选择题（共 6 题，每题 5 分，共 30 分）",
                   "三、判断题（共 8 题，每题 5 分，共 40 分）", "60 分及以上为合格", "试卷编号：叉车司机首次考试（第 1 套）"):
        assert needle in text, needle
    assert "forklift-driver-first-3" not in text  # the internal id names the files only
    first_q = paper.sections[0].questions[0]
    assert f"A．{first_q.options[0]}" in text
    assert "（\u3000\u3000\u3000）" in text  # a blank wide enough to write the answer in
    key = _docx_text(folder / "forklift-driver-first-3-key.docx")
    assert "及格线 60 分（首次考试）" in key
    assert f"一、单项选择题：1.{first_q.answer}　2.{paper.sections[0].questions[1].answer}" in key  # answer strip
    judged = "　".join(f"{25 - 8 + k}.{'√' if q.answer else '×'}" for k, q in enumerate(paper.sections[2].questions))
    assert judged in key
    qs = list(enumerate((q for s in paper.sections for q in s.questions), start=1))
    assert sum(1 for _, q in qs if q.code) >= 15  # the template's 题号 are the enterprise's numbers
    assert "题库题号：" + "　".join(f"{n}. {q.code}" for n, q in qs if q.code) in key
    assert not [q.id for _, q in qs if not q.code and q.id in key]  # a question without a 题号: nothing printed
    import subprocess

    pdf_text = subprocess.run(["pdftotext", "-layout", str(folder / "forklift-driver-first-3-paper.pdf"), "-"], capture_output=True, text=True).stdout
    assert "叉车司机" in pdf_text and "60 分及以上为合格" in pdf_text and "判断题" in pdf_text


def test_docx_sets_east_asian_font_and_is_reproducible(ent):
    import zipfile

    content = loaded(ent)
    paper = papers.plan_paper(content, rules_of(content), "safety-officer", "first", 7)
    one, two = exams.paper_docx(content, paper), exams.paper_docx(loaded(ent), paper)
    assert one == two
    styles = zipfile.ZipFile(io.BytesIO(one)).read("word/styles.xml").decode()
    assert 'w:eastAsia="宋体"' in styles and 'w:eastAsia="zh-CN"' in styles
    body = zipfile.ZipFile(io.BytesIO(exams.key_docx(content, paper))).read("word/document.xml").decode()
    assert 'w:eastAsia="黑体"' in body


def test_record_then_resit_excludes_previous_questions(ent, tmp_path):
    hist = tmp_path / "exam_history.yaml"
    out = tmp_path / "out"
    base = ["exam", str(ent), "--post", "forklift-driver", "--kind", "year-end", "--out", str(out), "--history", str(hist), "--person", "倪国栋"]
    assert main([*base, "--seed", "1", "--record", "--date", "2024-06-01"]) == 0
    first = ExamHistory.model_validate(yaml.safe_load(hist.read_text(encoding="utf-8")))
    assert [r.exam for r in first.records] == ["forklift-driver-year-end-1"]
    assert main([*base, "--seed", "1", "--record", "--date", "2024-07-01"]) == 0
    both = ExamHistory.model_validate(yaml.safe_load(hist.read_text(encoding="utf-8")))
    assert len(both.records) == 2
    assert not set(both.records[0].questions) & set(both.records[1].questions)
    assert main(["exam", str(ent), "--post", "forklift-driver", "--kind", "year-end", "--record"]) == 2


# ------------------------------------------------------------------ results


def test_results_apply_the_pass_mark_per_kind(ent):
    from generators.importers.scores import read_scores

    content = loaded(ent)
    rows, diags = read_scores(FIXTURES / "scores.xlsx", content)
    assert not diags and [r.score for r in rows] == [59, 60, 69, 70, 79.5, 80]
    failed = lambda kind: [r.name for r in exam_results.apply_pass_marks(rows, content, kind) if not r.passed]  # noqa: E731
    assert failed("first") == ["韩立新"]
    assert failed("year-end") == ["韩立新", "邵佳怡", "倪国栋"]
    assert failed("annual") == ["韩立新", "邵佳怡", "倪国栋", "钱晓峰", "蒋雨桐"]
    resit = exam_results.apply_pass_marks(rows, content, "first", resit=True)
    assert resit[0].action.startswith("补考不合格") and resit[1].action == "—"


def test_results_command_writes_sheet_and_pdf_and_records(ent, tmp_path, capsys, monkeypatch):
    from openpyxl import load_workbook

    monkeypatch.chdir(tmp_path)  # results go to records/<id>/results/ by default
    out, hist = tmp_path / "records" / "acme", tmp_path / "exam_history.yaml"
    rc = main(["exam-results", str(ent), str(FIXTURES / "scores.xlsx"), "--kind", "year-end", "--history", str(hist), "--date", "2024-06-20"])
    stdout = capsys.readouterr().out
    assert rc == 0
    assert "参考 6 人，合格 3 人" in stdout and "倪国栋（叉车司机）69 分" in stdout
    wb = load_workbook(out / "results" / "year-end-scores.xlsx")
    resit = [[c.value for c in row] for row in wb["补考名单"].iter_rows(min_row=2)]
    assert [r[1] for r in resit] == ["韩立新", "邵佳怡", "倪国栋"]
    assert all(r[4] == "不合格者停岗培训，并组织补考" for r in resit)
    assert (out / "results" / "year-end-scores.pdf").read_bytes().startswith(b"%PDF")
    history = ExamHistory.model_validate(yaml.safe_load(hist.read_text(encoding="utf-8")))
    assert {(r.person, r.score) for r in history.records} >= {("韩立新", 59), ("祁文博", 80)}


def test_broken_score_sheet_names_sheet_row_and_column(ent, tmp_path, capsys):
    rc = main(["exam-results", str(ent), str(FIXTURES / "broken_scores.xlsx"), "--kind", "first", "--out", str(tmp_path / "results")])
    err = capsys.readouterr().err
    assert rc == 1
    assert "工作表“成绩”第 2 行 C 列（分数）：分数 105 应在 0–100 之间" in err
    assert "工作表“成绩”第 3 行 B 列（岗位）：岗位“仓库保管员”不存在" in err
    assert "工作表“成绩”第 4 行 D 列（考试日期）" in err
    assert not (tmp_path / "results").exists()


def test_site_results_show_name_and_post_only(ent):
    hist = {"records": [
        {"person": "韩立新", "post": "safety-officer", "kind": "first", "date": "2024-06-15", "score": 59},
        {"person": "韩立新", "post": "safety-officer", "kind": "first", "date": "2024-07-01", "score": 72, "resit": True},
        {"person": "倪国栋", "post": "forklift-driver", "kind": "year-end", "date": "2024-06-15", "score": 69},
        {"person": "邵佳怡", "post": "safety-officer", "kind": "first", "date": "2024-06-15", "questions": ["g-01"]},
    ]}
    (ent / "exam_history.yaml").write_text(yaml.safe_dump(hist, allow_unicode=True), encoding="utf-8")
    assert site_output.exam_results(loaded(ent)) is None  # off by default
    text = (ent / "enterprise.yaml").read_text(encoding="utf-8")
    (ent / "enterprise.yaml").write_text(text + "site:\n  show_exam_results: true\n", encoding="utf-8")
    data = site_output.exam_results(loaded(ent))
    assert [(d["name"], d["post_name"], d["passed"], d["resit"]) for d in data] == [
        ("倪国栋", "叉车司机", False, False), ("韩立新", "专职安全管理员", True, True)]
    assert all("score" not in d for d in data)


# ------------------------------------------------------------------ file kinds, checks, builder


def test_rules_and_history_references_are_checked_with_lines(ent):
    rules = dict(RULES, papers=[{"post": "driver", "kind": "first", "seed": 1}])
    (ent / "exam_rules.yaml").write_text(yaml.safe_dump(rules, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (ent / "exam_history.yaml").write_text(
        "records:\n  - person: 倪国栋\n    post: forklift-driver\n    kind: first\n    date: 2024-06-15\n    questions: [g-01, zz-99]\n",
        encoding="utf-8")
    content, diags = load(ent, build_date=DAY)
    errors = [d for d in diags.errors if d.file.endswith("exam_rules.yaml")]
    assert len(errors) == 1 and "岗位“driver”不存在" in errors[0].message and errors[0].line > 1
    warns = [d for d in diags.warnings if d.file.endswith("exam_history.yaml")]
    assert len(warns) == 1 and "zz-99" in warns[0].message and warns[0].line == 6


def _check(ent: Path) -> list[str]:
    from generators.checks import run_checks
    from generators.diagnostics import Diagnostics

    content = loaded(ent)
    diags = Diagnostics()
    run_checks(content, diags)
    return [d.message for d in diags]


def test_training_minimums_are_checked(ent):
    assert not [m for m in _check(ent) if ("培训" in m or "三级" in m) and "考核方式" not in m]
    plan = yaml.safe_load((ent / "training.yaml").read_text(encoding="utf-8"))
    plan["items"] = [t for t in plan["items"] if t["kind"] != "三级安全教育" and t["id"] != "t04"]
    plan["items"][0]["hours"] = 23
    (ent / "training.yaml").write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    messages = _check(ent)
    assert any("主要负责人培训计划共 23 学时" in m and "少于 3 天（24 学时" in m for m in messages)
    assert any("三级安全教育" in m for m in messages)
    plan["items"] = [t for t in plan["items"] if "全员" not in t["audience"]]
    (ent / "training.yaml").write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    assert any("岗位“叉车司机”（forklift-driver）没有任何培训安排" in m for m in _check(ent))


def test_managers_need_two_exams_a_year(ent):
    rules = dict(RULES, papers=[{"post": "safety-officer", "kind": "first", "seed": 1}, {"post": "forklift-driver", "kind": "first", "seed": 1},
                                {"post": "forklift-driver", "kind": "year-end", "seed": 1}])
    (ent / "exam_rules.yaml").write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")
    msgs = [m for m in _check(ent) if "2 次以上考试" in m]
    assert len(msgs) == 1 and "专职安全管理员" in msgs[0]


@pytest.mark.slow
def test_builder_makes_papers_plan_and_excel_and_reuses_them(ent, tmp_path):
    import json

    from generators.pipeline import BuildOptions, build

    out = tmp_path / "build"
    only = ("exams", "training", "excel")  # the old "exams" builder: papers, training plan, Excel
    result = build(ent, BuildOptions(out_root=out, only=only, build_date=DAY))
    made = sorted(result.rendered)
    assert "training/plan.pdf" in made and "excel/question-bank.xlsx" in made and "excel/hazards.xlsx" in made
    for spec in RULES["papers"]:
        stem = f"exams/{spec['post']}-{spec['kind']}-{spec['seed']}"
        assert {f"{stem}-paper.docx", f"{stem}-paper.pdf", f"{stem}-key.docx"} <= set(made)
    manifest = json.loads((out / "acme" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["outputs"]["training/plan.pdf"]["output"] == "training"
    again = build(ent, BuildOptions(out_root=out, only=only, build_date=DAY))
    assert again.unchanged or not again.rendered
    import subprocess

    plan = subprocess.run(["pdftotext", "-layout", str(out / "acme" / "training" / "plan.pdf"), "-"], capture_output=True, text=True).stdout
    assert "2024年度安全生产教育培训计划" in plan and "各岗位学时汇总" in plan
    # the seeds' minimums are `anquan check`'s findings, not lines of the formal plan
    assert "主要负责人安全教育培训时间不少于" not in plan and "培训要求核对" not in plan


def test_weasyprint_pdf_is_serialised_once_with_the_same_bytes(ent, monkeypatch):
    """The writer keeps each object's first serialisation (pydyf would deflate every stream a second
    time for the /ID hash): the bytes are those of the plain two-pass writer, with half the deflating.
    (The results sheet: the WeasyPrint document.)"""
    import zlib

    import pydyf

    from generators.importers.scores import read_scores
    from generators.render import weasy

    content = loaded(ent)
    rows, _ = read_scores(FIXTURES / "scores.xlsx", content)
    view = exam_results.results_view(content, exam_results.apply_pass_marks(rows, content, "year-end"), "year-end", False)
    deflated = []

    def counting(*args, **kwargs):
        deflated.append(1)
        return zlib.compressobj(*args, **kwargs)

    monkeypatch.setattr(pydyf, "zlib", type("Zlib", (), {"compressobj": staticmethod(counting)}))
    once = exam_results.results_pdf(content, view)
    once_count = len(deflated)
    deflated.clear()
    monkeypatch.setattr(weasy, "_serialise_once", lambda document, pdf: None)
    twice = exam_results.results_pdf(content, view)
    assert once == twice
    assert 0 < once_count < len(deflated) * 0.6
