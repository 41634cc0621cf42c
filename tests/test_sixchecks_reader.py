"""Review 2026-12-02 item 5: the 六必查 sheet is read by inspectors. It printed internal ids
("编号：licences"), file names in the 来源 column ("enterprise.yaml", "〔inspections/2026.yaml〕")
and the build date in ISO form as 资料截至; the quiz sheet named "inspections/年度.yaml". Now: the
line's number in the scheme (1.1), sources in words, 资料截至 the content's latest date (zh), the
build date only as a small 生成日期."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pdfplumber
import pytest

from generators.checks.regulator.six_checks import as_of, six_checks, source_words
from generators.load import load
from generators.model.regulator_lines import LINES
from generators.outputs import quiz as quiz_output
from generators.outputs.base import BuildContext
from generators.outputs.sixchecks import six_checks_data, six_checks_pdf

ROOT = Path(__file__).resolve().parent.parent
BUILD = dt.date(2026, 12, 2)
FILEISH = re.compile(r"[A-Za-z_]+\.ya?ml|[a-z_]+/|inspections")


def loaded(sample: str):
    content, diags = load(ROOT / "content" / "enterprises" / sample, build_date=BUILD)
    assert content is not None and not diags.errors
    return content


def test_source_words():
    assert source_words("enterprise.yaml") == "企业基本信息"
    assert source_words("inspections/2026.yaml") == "现场检查记录（2026年）"
    assert source_words("handbook.yaml、questions/") == "应知应会手册、题库"
    assert source_words("risks/machining.yaml") == "安全风险点名册"
    assert source_words("policies/、responsibilities/") == "安全管理制度、安全生产责任清单"
    assert source_words("something/odd.yaml") == "企业资料"


@pytest.mark.parametrize("sample", ["demo-transport", "demo-factory"])
def test_sheet_data_has_no_file_names_and_a_content_date(sample: str):
    content = loaded(sample)
    data = six_checks_data(content)
    for sec in data["sections"]:
        for ln in sec["lines"]:
            assert not FILEISH.search(ln["source"]), ln["source"]
            assert not any(FILEISH.search(c) for c in ln["claims"]), ln["claims"]
            assert re.fullmatch(r"[1-6]\.\d+", ln["number"])
    for item in data["rating"]["items"]:
        for rule in item["rules"]:
            for e in rule["evidence"]:
                assert not FILEISH.search(e["source"]), e["source"]
    d = as_of(content)
    assert d is not None and d <= BUILD
    assert data["as_of"] == f"{d.year}年{d.month}月{d.day}日" and data["made"] == "2026年12月2日"
    assert [ln["number"] for sec in data["sections"] for ln in sec["lines"]][:2] == ["1.1", "1.2"]
    assert len([ln for sec in data["sections"] for ln in sec["lines"]]) == len(LINES)


def test_as_of_is_never_after_the_build_and_not_the_build_date_by_default():
    content = loaded("demo-factory")
    early = dt.date(2026, 6, 1)
    content.build_date = early
    assert as_of(content) <= early
    assert six_checks(content)["as_of"] != "2026年6月1日" or as_of(content) == early


def pdf_text(data: bytes) -> tuple[str, list]:
    with pdfplumber.open(io.BytesIO(data)) as doc:
        text = "".join(p.extract_text() or "" for p in doc.pages)
        chars = [c for p in doc.pages[:1] for c in p.chars]
    return re.sub(r"\s+", "", text), chars


@pytest.mark.slow
@pytest.mark.parametrize("sample", ["demo-transport", "demo-factory"])
def test_sixchecks_pdf_prints_what_an_inspector_understands(sample: str):
    content = loaded(sample)
    data = six_checks_data(content)
    text, chars = pdf_text(six_checks_pdf(content, data=data))
    assert "编号：" not in text and not re.search(r"[a-z]+-[a-z]+", text.replace("http", ""))
    for needle in ("enterprise.yaml", "hazards.yaml", "checklists/", "inspections/", ".yaml", "2026-12-02"):
        assert needle not in text, needle
    assert f"资料截至{data['as_of']}" in text and "企业基本信息" in text
    made = "生成日期2026年12月2日"
    assert made in text
    line = "".join(c["text"] for c in chars)
    at = line.find("生成日期")
    assert at >= 0 and max(c["size"] for c in chars[at: at + 4]) < 8
    assert "1.1" in text and "4.4" in text


@pytest.mark.slow
def test_quiz_pdf_names_no_file(tmp_path: Path):
    content = loaded("demo-transport")
    job = quiz_output.jobs(content)[0]
    dest = tmp_path / job.output
    dest.parent.mkdir(parents=True, exist_ok=True)
    job.render(dest, BuildContext(content, tmp_path, None))
    text, _ = pdf_text(dest.read_bytes())
    assert ".yaml" not in text and "inspections" not in text and "现场检查记录" in text
