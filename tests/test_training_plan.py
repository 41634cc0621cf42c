"""The annual training plan PDF as an inspector reads it (issue 15 item 6): no self-check lines,
考核方式 where the content says it, signed by the safety department, no page holding only the sign-off."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pdfplumber
import pytest

from generators.checks import run_checks
from generators.checks.training import assessment_of
from generators.diagnostics import Diagnostics
from generators.load import load
from generators.model import TrainingItem
from generators.outputs.training import training_plan_pdf

ROOT = Path(__file__).resolve().parent.parent
DAY = dt.date(2026, 11, 26)
SAMPLES = ("demo-transport", "demo-factory")


def loaded(ent: Path):
    content, diags = load(ent, build_date=DAY)
    assert content is not None and not diags.errors, [d.format() for d in diags.errors[:3]]
    return content


def pages_text(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [re.sub(r"\s+", "", p.extract_text() or "") for p in doc.pages]


def plan_rows(pdf: bytes) -> list[dict[str, str]]:
    """The plan table's rows as the PDF draws them, by header (cells without line breaks)."""
    rows = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            for table in page.extract_tables():
                heads = [re.sub(r"\s+", "", h or "") for h in table[0]]
                if "考核方式" in heads:
                    rows += [dict(zip(heads, (re.sub(r"\s+", "", c or "") for c in r))) for r in table[1:]]
    return rows


@pytest.fixture(scope="module", params=SAMPLES)
def sample(request):
    content = loaded(ROOT / "content" / "enterprises" / request.param)
    pdf = training_plan_pdf(content)
    return content, pages_text(pdf), plan_rows(pdf)


def test_no_self_check_lines_and_the_sign_off_ends_the_table(sample):
    content, pages, _ = sample
    text = "".join(pages)
    for line in ("培训要求核对", "每个岗位都有培训安排", "主要负责人安全教育培训时间不少于", "✓", "✗", "未达到要求"):
        assert line not in text
    last = pages[-1]
    # the last page carries table rows (the summary's last group and a post) with the sign-off
    assert "编制：" in last and "批准：" in last
    assert "新员工" in last and content.posts[-1].name in last
    assert sum(p.count("编制：") for p in pages) == 1


def test_assessment_printed_wherever_the_content_says_it(sample):
    content, _, rows = sample
    items = sorted(content.training.items, key=lambda t: (t.month, t.id))
    assert len(rows) == len(items)
    for item, row in zip(items, rows):
        assert row["培训主题与主要内容"].startswith(re.sub(r"\s+", "", item.topic))
        said = assessment_of(item)
        if item.assessment:
            assert said == item.assessment
        assert row["考核方式"] == re.sub(r"\s+", "", said), item.id
    assert sum(1 for r in rows if r["考核方式"]) >= len([t for t in items if t.assessment])


def test_assessment_derived_only_from_the_items_own_words():
    def item(**kw) -> TrainingItem:
        return TrainingItem(**{"id": "t1", "topic": "叉车安全操作培训", "kind": "岗位技能培训", "audience": ["全员"], "hours": 2, "month": 3, **kw})

    assert assessment_of(item(assessment="签到并撰写心得")) == "签到并撰写心得"
    assert assessment_of(item(content=["叉车点检与稳定性原理。", "考核：现场操作，考官评分。"])) == "现场操作，考官评分"
    assert assessment_of(item(content=["培训结束后实操考核和闭卷考试。"])) == "实操考核、闭卷考试"
    assert assessment_of(item(kind="复训补考")) == "补考"
    # a 警示教育 that says nothing about an assessment: nothing is made up
    assert assessment_of(item(kind="警示教育", topic="4月警示教育：疲劳驾驶与超速", content=["典型违章视频回放。"])) == ""


def test_blank_assessments_are_warned_by_check(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    ent = tmp_path / "content" / "enterprises" / "demo-transport"
    plan = ent / "training.yaml"
    text = plan.read_text(encoding="utf-8")
    assert text.count("    assessment: 签到，现场提问\n") == 12  # the monthly 警示教育 rows
    plan.write_text(text.replace("    assessment: 签到，现场提问\n", ""), encoding="utf-8")
    content = loaded(ent)
    diags = Diagnostics()
    run_checks(content, diags)
    blank = [t for t in content.training.items if not assessment_of(t)]
    warned = [d for d in diags.warnings if "没有写考核方式" in d.message]
    assert blank and len(warned) == len(blank)
    assert all(d.file.endswith("training.yaml") and d.line > 1 for d in warned)
    assert {t.id for t in blank} == {re.search(r"（(t\d+)）", d.message).group(1) for d in warned}


def test_signed_with_the_departments_name(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    ent = tmp_path / "content" / "enterprises" / "demo-factory"
    f = ent / "enterprise.yaml"
    text = f.read_text(encoding="utf-8")
    assert "    name: 安全环保部\n    department: safety" in text
    f.write_text(text.replace("    name: 安全环保部\n    department: safety", "    name: 安全管理机构\n    department: safety"), encoding="utf-8")
    pages = pages_text(training_plan_pdf(loaded(ent)))
    assert "编制：安全环保部" in pages[-1] and "安全管理机构" not in "".join(pages)


def test_a_summary_taller_than_a_page_runs_on_and_loses_no_row(monkeypatch):
    """The summary is kept on one page only when it fits one: with 90 posts every row is printed
    (an unbreakable block would have been cut off at the page's foot) and the sign-off ends it."""
    from generators.outputs import training

    content = loaded(ROOT / "content" / "enterprises" / "demo-factory")
    view = training.training_view(content)
    view["per_post"] = [dict(p, name=f"岗位{i:02d}") for i, p in enumerate(view["per_post"] * 10)][:90]
    monkeypatch.setattr(training, "training_view", lambda c: view)
    with pdfplumber.open(io.BytesIO(training.training_plan_pdf(content))) as doc:  # only what is on the paper
        pages = [re.sub(r"\s+", "", p.within_bbox(p.bbox).extract_text() or "") for p in doc.pages]
    text = "".join(pages)
    assert all(f"岗位{i:02d}" in text for i in range(90))
    assert "新员工" in pages[-1] and "编制：" in pages[-1] and text.count("编制：") == 1
    assert sum("各岗位学时汇总" in p for p in pages) == 1
