"""Parsed YAML files are kept by their bytes (load/yamlload.py): the checks and a fleet's shared library
do not parse a file again, and a changed file is always parsed afresh."""

from __future__ import annotations

import datetime as dt
import os

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generators.load import yamlload
from generators.load.yamlload import load_file, load_text


def test_a_changed_file_is_read_again_even_with_the_same_size_and_time(tmp_path):
    f = tmp_path / "a.yaml"
    f.write_text("name: 甲\nn: 1\n", encoding="utf-8")
    first, _ = load_file(f, "a.yaml")
    st_ = f.stat()
    f.write_text("name: 乙\nn: 2\n", encoding="utf-8")  # same length
    os.utime(f, ns=(st_.st_atime_ns, st_.st_mtime_ns))  # and the same time: only the bytes differ
    second, _ = load_file(f, "a.yaml")
    assert first.data == {"name": "甲", "n": 1}
    assert second.data == {"name": "乙", "n": 2}


def test_the_same_bytes_share_one_parse_and_name_their_own_file(tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    for f in (a, b):
        f.write_bytes("\ufeffitems:\n  - id: x\n    date: 2026-01-02\n".encode())  # with a BOM: a warning each
    la, da = load_file(a, "a.yaml")
    lb, db = load_file(b, "b.yaml")
    assert la is lb and la.data == {"items": [{"id": "x", "date": dt.date(2026, 1, 2)}]}
    assert la.where(("items", 0, "date")) == (3, 11)
    assert [d.file for d in da] == ["a.yaml"] and [d.file for d in db] == ["b.yaml"]
    assert da[0].message == db[0].message and "BOM" in da[0].message


def test_a_syntax_error_keeps_the_bom_warning_and_is_not_kept(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_bytes("\ufeffa: [1, 2\n".encode())
    for _ in range(2):
        located, diags = load_file(f, "bad.yaml")
        assert located is None
        assert [d.severity for d in diags] == ["warning", "error"]
    assert f.read_bytes() not in yamlload._PARSED


def test_the_kept_parses_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(yamlload, "_PARSED_MAX_BYTES", 200)
    monkeypatch.setattr(yamlload, "_PARSED", type(yamlload._PARSED)())
    monkeypatch.setattr(yamlload, "_parsed_bytes", 0)
    for i in range(20):
        f = tmp_path / f"{i}.yaml"
        f.write_text(f"n: {i}\ntext: {'字' * 10}\n", encoding="utf-8")
        assert load_file(f, f.name)[0].data["n"] == i
    assert 0 < sum(len(k) for k in yamlload._PARSED) == yamlload._parsed_bytes <= 200


scalars = st.one_of(
    st.sampled_from(["yes", "No", "on", "~", "null", "", "0x1F", "0o17", "1_000", "-.5", "+1", ".inf", ".NaN", "2026-02-03",
                     "2026-02-03 10:00:00", "2026-02-03T10:00:00+08:00", "1e3", "007", "true", "False", "'1'", '"2026-01-01"', "!!str 12"]),
    st.text(alphabet="0123456789-.:+eExXoO_ TtFfNnYy字", max_size=12),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(scalars, min_size=1, max_size=8))
def test_plain_scalars_are_what_pyyaml_makes_of_them(values):
    """The loader constructs plain scalars itself (str, int, float, bool, null, timestamp): the same
    values as PyYAML's safe loader, or the same refusal."""
    doc = "".join(f"k{i}: {v}\n" for i, v in enumerate(values))
    try:
        expected = yaml.safe_load(doc)
    except (yaml.YAMLError, ValueError, OverflowError):
        expected = None
    try:
        got = load_text(doc).data
    except yamlload.YamlProblem:
        got = None
    if expected is None or got is None:
        return  # an invalid document: the corpus tests hold its messages
    norm = {k: (v.date() if isinstance(v, dt.datetime) else v) for k, v in expected.items()}
    assert repr(got) == repr(norm)
