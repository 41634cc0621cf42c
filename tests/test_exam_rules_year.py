"""Issue 14 item 6: exam rules that belong to the enterprise — the consequences of failing come from
its own rules (the seed's wording by default), only the papers of the year of testing are made, and
points per question are whole or half numbers of a sensible size."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml

from generators.checks import run_checks
from generators.cli import main
from generators.diagnostics import Diagnostics
from generators.load import load
from generators.model import papers
from generators.outputs import exam_results, exams
from generators.rules import FAIL_CONSEQUENCE, RESIT_FAIL_CONSEQUENCE
from tests.helpers.exams import DAY, RULES, loaded, made_papers, make_enterprise

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "content" / "enterprises"
SEED_000 = Path("/work/shared/seeds/000_40c0aa3e3c5035e4.txt")


# the fixture bank is small: let the 第二年起 paper have the year-end paper's shape
KINDS = {**RULES["kinds"], "annual": RULES["kinds"]["year-end"]}


def write_rules(ent: Path, **changes) -> None:
    rules = {**RULES, "kinds": KINDS, **changes}
    rules = {k: v for k, v in rules.items() if v is not None}
    (ent / "exam_rules.yaml").write_text(yaml.safe_dump(rules, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture()
def ent(tmp_path: Path) -> Path:
    return make_enterprise(tmp_path)


def check(ent: Path, date: dt.date = DAY) -> Diagnostics:
    content, diags = load(ent, build_date=date)
    assert content is not None and not diags.errors, [d.format() for d in diags.errors]
    run_checks(content, diags)
    return diags


def document_text(docx_bytes: bytes) -> str:
    xml = zipfile.ZipFile(io.BytesIO(docx_bytes)).read("word/document.xml").decode()
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


# ------------------------------------------------------------------ consequences


def test_default_consequences_are_the_seeds_words():
    """The default is what seed 000 §三(二)4 says, word for word, and nothing more."""
    if SEED_000.is_file():
        seed = SEED_000.read_text(encoding="utf-8")
        assert f"{FAIL_CONSEQUENCE}；{RESIT_FAIL_CONSEQUENCE}。" in seed
    assert FAIL_CONSEQUENCE == "对不合格者须停职培训，并组织补考"
    assert RESIT_FAIL_CONSEQUENCE == "补考不合格者，由用人单位调离原工作岗位或予以解聘"


def test_key_and_paper_print_the_enterprises_own_consequences(ent):
    write_rules(ent, consequences={"fail": "考试不合格者停岗培训并补考", "resit_fail": "补考不合格者调离原岗位"})
    content = loaded(ent)
    paper = papers.plan_paper(content, content.extras["exam_rules"], "forklift-driver", "first", 3)
    key = document_text(exams.key_docx(content, paper))
    assert "考试不合格者停岗培训并补考；补考不合格者调离原岗位。" in key
    assert "解聘" not in key
    sheet = document_text(exams.paper_docx(content, paper))
    assert "60 分及以上为合格（首次考试）。考试不合格者停岗培训并补考；补考不合格者调离原岗位。" in sheet
    assert "解聘" not in sheet  # the Word paper says both consequences, as the PDF paper and the key do


def test_null_resit_consequence_prints_nothing(ent):
    write_rules(ent, consequences={"fail": "不合格者停岗培训并补考", "resit_fail": None})
    content = loaded(ent)
    paper = papers.plan_paper(content, content.extras["exam_rules"], "forklift-driver", "first", 3)
    key = document_text(exams.key_docx(content, paper))
    assert "及格以上为合格" not in key and "不合格者停岗培训并补考。" in key
    assert "补考不合格" not in key and "解聘" not in key and "调离" not in key
    rows = [type("Row", (), {"name": "倪国栋", "post": "forklift-driver", "score": 50.0, "date": DAY})()]
    resit = exam_results.apply_pass_marks(rows, content, "first", resit=True)
    assert resit[0].action == "补考不合格"
    first = exam_results.apply_pass_marks(rows, content, "first")
    assert first[0].action == "不合格者停岗培训并补考"


def test_absent_consequences_use_the_default_and_are_warned(ent):
    write_rules(ent, consequences=None)
    content = loaded(ent)
    paper = papers.plan_paper(content, content.extras["exam_rules"], "forklift-driver", "first", 3)
    key = document_text(exams.key_docx(content, paper))
    assert f"{FAIL_CONSEQUENCE}；{RESIT_FAIL_CONSEQUENCE}。" in key
    msgs = [d for d in check(ent).warnings if d.field == "consequences"]
    assert len(msgs) == 1 and "请按本企业制度填写 fail 和 resit_fail" in msgs[0].message


def test_paper_pdf_prints_the_consequence(ent):
    write_rules(ent, consequences={"fail": "考试不合格者停岗培训并补考", "resit_fail": "补考不合格者调离原岗位"})
    content = loaded(ent)
    paper = papers.plan_paper(content, content.extras["exam_rules"], "forklift-driver", "first", 3)
    pdf = exams.paper_pdf(content, paper)
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True).stdout.decode()
    flat = re.sub(r"\s+", "", text)
    # review 2026-12-02 item 14: the paper states both consequences of the enterprise's rules
    assert "60分及以上为合格（首次考试）。考试不合格者停岗培训并补考；补考不合格者调离原岗位。" in flat
    assert "解聘" not in flat


def test_paper_pdf_without_a_resit_rule_prints_only_the_failure(ent):
    write_rules(ent, consequences={"fail": "不合格者停岗培训并补考", "resit_fail": None})
    content = loaded(ent)
    paper = papers.plan_paper(content, content.extras["exam_rules"], "forklift-driver", "first", 3)
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=exams.paper_pdf(content, paper), capture_output=True).stdout.decode()
    flat = re.sub(r"\s+", "", text)
    assert "为合格（首次考试）。不合格者停岗培训并补考。" in flat and "补考不合格" not in flat and "调离" not in flat


def test_sample_answer_keys_do_not_dismiss(tmp_path):
    """Neither sample's rules provide for 解聘: their keys say what their own rules say."""
    for sample, resit in (("demo-transport", "补考不合格者调离原岗位"), ("demo-factory", None),
                           ("demo-chemical", "补考仍不合格者调离危险化学品作业岗位")):
        content, diags = load(SAMPLES / sample, build_date=dt.date(2026, 11, 26))
        assert content is not None and not diags.errors
        job = next(j for j in exams.jobs(content) if j.output.endswith("-key.docx"))
        dest = tmp_path / f"{sample}.docx"
        from generators.outputs.base import BuildContext

        job.render(dest, BuildContext(content, tmp_path, None))
        text = document_text(dest.read_bytes())
        rule = text[text.index("及格线：首次考试"): text.index("答案速查")]  # the key's rules, before the answers
        assert "解聘" not in rule
        if resit:
            assert resit in rule
        else:
            assert "补考不合格" not in rule and "调离" not in rule


# ------------------------------------------------------------------ the year of testing


def test_first_year_makes_first_and_year_end_papers_only(ent):
    papers_ = [{"post": "safety-officer", "kind": k, "seed": 7} for k in ("first", "year-end", "annual")]
    write_rules(ent, first_exam_year=2024, papers=papers_)
    content = loaded(ent)
    assert made_papers(content) == {"safety-officer-first-7", "safety-officer-year-end-7"}
    warns = [d for d in check(ent).warnings if "今年不适用" in d.message]
    assert len(warns) == 1 and "safety-officer-annual-7" in warns[0].message
    assert "2024 年是第一年考试（first_exam_year: 2024）" in warns[0].message
    assert warns[0].field == "papers[2]" and warns[0].line > 1


def test_second_year_makes_the_80_point_papers_only(ent):
    papers_ = [{"post": "safety-officer", "kind": k, "seed": 7} for k in ("first", "year-end", "annual")]
    write_rules(ent, first_exam_year=2023, papers=papers_)
    content = loaded(ent)
    assert made_papers(content) == {"safety-officer-annual-7"}
    warns = [d.message for d in check(ent).warnings if "今年不适用" in d.message]
    assert len(warns) == 2 and all("第二年起的考试 80 分及格" in m for m in warns)


def test_per_post_first_year_and_unknown_year(ent):
    papers_ = [{"post": "safety-officer", "kind": "annual", "seed": 1}, {"post": "forklift-driver", "kind": "first", "seed": 1}]
    write_rules(ent, first_exam_year=2023, post_first_exam_year={"forklift-driver": 2024}, papers=papers_)
    assert made_papers(loaded(ent)) == {"safety-officer-annual-1", "forklift-driver-first-1"}
    # without the year every listed paper is made, and the check asks for it
    write_rules(ent, first_exam_year=None, papers=papers_)
    assert made_papers(loaded(ent)) == {"safety-officer-annual-1", "forklift-driver-first-1"}
    assert any(d.field == "first_exam_year" for d in check(ent).warnings)


def test_unknown_post_in_per_post_years_is_an_error(ent):
    write_rules(ent, post_first_exam_year={"driver": 2024})
    _, diags = load(ent, build_date=DAY)
    assert any(d.field == "post_first_exam_year.driver" and "岗位“driver”不存在" in d.message for d in diags.errors)


def test_samples_make_no_second_year_paper_in_their_first_year():
    for sample in ("demo-transport", "demo-factory"):
        content, _ = load(SAMPLES / sample, build_date=dt.date(2026, 11, 26))
        made = made_papers(content)
        assert made and not any("-annual-" in m for m in made), sample


# ------------------------------------------------------------------ points per question


def test_seven_and_a_half_points_per_question_is_an_error_with_line_and_field(ent):
    kinds = {"first": {"sections": [{"type": "单选", "count": 6, "points": 5}, {"type": "多选", "count": 4, "points": 10},
                                    {"type": "判断", "count": 4, "points": 7.5}]}}
    write_rules(ent, kinds=kinds, max_points=None, papers=[])
    _, diags = load(ent, build_date=DAY)
    by_field = {d.field: d for d in diags.errors}
    judge = by_field["kinds.first.sections[2].points"]
    assert judge.file.endswith("exam_rules.yaml") and judge.line > 1
    assert judge.message.startswith("4 道判断题每题 7.5 分：每题分值不应超过 6 分")
    assert "4 道多选题每题 10 分" in by_field["kinds.first.sections[1].points"].message
    lines = (ent / "exam_rules.yaml").read_text(encoding="utf-8").splitlines()
    assert "7.5" in lines[judge.line - 1]


def test_points_must_be_whole_or_half(ent, capsys):
    kinds = {"first": {"sections": [{"type": "单选", "count": 30, "points": 2.2}, {"type": "判断", "count": 17, "points": 2}]}}
    write_rules(ent, kinds=kinds, papers=[])
    assert main(["check", str(ent), "--date", DAY.isoformat()]) == 1
    out = capsys.readouterr().out
    assert re.search(r"exam_rules\.yaml:\d+:\d+ 字段 kinds\.first\.sections\[0\]\.points：错误：30 道单选题每题 2.2 分：每题分值只能是整数或半分", out), out


def test_half_points_and_a_raised_maximum_are_accepted(ent):
    kinds = {"first": {"sections": [{"type": "单选", "count": 20, "points": 2.5}, {"type": "判断", "count": 25, "points": 2}]},
             "year-end": RULES["kinds"]["year-end"]}
    write_rules(ent, kinds=kinds, papers=[])
    _, diags = load(ent, build_date=DAY)
    assert not diags.errors, [d.format() for d in diags.errors]
