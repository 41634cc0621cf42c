"""Property tests: whatever bytes or YAML a file holds, the loader loads it or reports an error.

It never raises anything else, never hangs, and every diagnostic names a file and a line.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generators.load import load
from generators.load.yamlload import YamlProblem, decode, load_text

CORPUS = Path(__file__).parent / "corpus"

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=40),
    st.dates().map(lambda d: d), st.sampled_from(["单选", "多选", "判断", "LEC", "LS", "重大", "已销号", "日", "safety-officer"]),
)
keys = st.one_of(
    st.sampled_from(["id", "name", "post", "posts", "questions", "risk_points", "type", "answer", "options", "assessment", "L", "E", "C", "items", "hazards", "year", "department", "revisions"]),
    st.text(min_size=1, max_size=12),
)
documents = st.recursive(scalars, lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=5), max_leaves=25)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_crash(raw: bytes):
    try:
        text, _ = decode(raw)
        load_text(text)
    except YamlProblem as problem:
        assert problem.message and problem.line >= 1


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_random_unicode_never_crash(text: str):
    try:
        load_text(text)
    except YamlProblem as problem:
        assert problem.message and problem.line >= 1


FILES = ["enterprise.yaml", "training.yaml", "hazards.yaml", "handbook.yaml", "risks/register.yaml", "questions/general.yaml", "checklists/unit.yaml", "notices/n1.yaml", "responsibilities/safety-officer.yaml"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(target=st.sampled_from(FILES), doc=documents)
def test_random_documents_load_or_report(tmp_path_factory, target: str, doc):
    tmp = tmp_path_factory.mktemp("prop")
    ent = tmp / "content" / "enterprises" / "base"
    shutil.copytree(CORPUS / "_base", ent)
    shutil.copytree(CORPUS / "_library", tmp / "content" / "library")
    try:
        text = yaml.safe_dump(doc, allow_unicode=True)
    except yaml.YAMLError:
        return
    (ent / target).write_text(text, encoding="utf-8")
    content, diags = load(ent)
    for d in diags:
        assert d.file and d.line >= 1 and d.message
    if diags.errors:
        # the mistake is reported in the changed file, or as references the change broke
        assert any(d.file.endswith(target) for d in diags.errors) or all(("不存在" in d.message or "不在" in d.message) for d in diags.errors)
    else:
        assert content is not None


def test_a_line_break_inside_chinese_text_joins_without_a_space():
    """YAML folds a scalar written over several lines with a space at each break: printed Chinese
    then read “百叶窗。 作业前”. A break between two wide characters joins them directly."""
    doc = load_text(
        "summary: >-\n"
        "  焊接点下方为油漆仓库的通风百叶窗。\n"
        "  作业前未办理动火审批，火势迅速\n"
        "  蔓延，烧毁仓库，依据 GB\n"
        "  6441 判定\n"
        "plain: 未设监护人，\n"
        "  焊接飞溅物落入仓库\n"
        "quoted: \"事故\n"
        "  原因\"\n"
        "typed: 总经理 郭振华\n"
        "literal: |\n"
        "  第一行\n"
        "  第二行\n"
    ).data
    assert doc["summary"] == "焊接点下方为油漆仓库的通风百叶窗。作业前未办理动火审批，火势迅速蔓延，烧毁仓库，依据 GB 6441 判定"
    assert doc["plain"] == "未设监护人，焊接飞溅物落入仓库"
    assert doc["quoted"] == "事故原因"
    assert doc["typed"] == "总经理 郭振华", "a space typed on one line stays"
    assert doc["literal"] == "第一行\n第二行\n"
