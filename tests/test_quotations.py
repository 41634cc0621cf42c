"""Quotations of laws and standards in the shared library match the wording checked against the official text.

content/library/VERIFIED.yaml records each verified quotation (law, edition, article, exact wording, where it
was checked) and where the library quotes it. These tests hold the library to that record. They read the YAML
with plain pyyaml so that they do not depend on the package layout.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
LIBRARY = CONTENT / "library"
VERIFIED = LIBRARY / "VERIFIED.yaml"

WORK_SAFETY_LAW = "《中华人民共和国安全生产法》"
ARTICLE = re.compile(r"^第[一二三四五六七八九十百零]+条")
CN_NUMERAL_ARTICLE = re.compile(r"第[一二三四五六七八九十百零]+条")


def _load(path: Path):
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _verified() -> list[dict]:
    return _load(VERIFIED)["quotations"]


def _strings(node) -> list[str]:
    """Every string value under a YAML node."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


def _record(file: str, record_id: str, section: str | None = None):
    """The library record a quotation lives in: a knowledge file (or one of its sections), a question or a checklist item."""
    data = _load(LIBRARY / file)
    if data.get("id") == record_id and "sections" in data:
        if section is None:
            return data
        matches = [s for s in data["sections"] if s.get("title") == section]
        assert matches, f"{file}: no section titled {section!r}"
        return matches[0]
    for key in ("questions", "items"):
        for item in data.get(key) or []:
            if item.get("id") == record_id:
                return item
    raise AssertionError(f"{file}: no record with id {record_id!r}")


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def _basis_values(node):
    """Every string given under a `basis` key (a string or a list of strings), anywhere in a document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "basis":
                yield from _strings(value)
            else:
                yield from _basis_values(value)
    elif isinstance(node, list):
        for value in node:
            yield from _basis_values(value)


VERIFIED_ENTRIES = _verified()


def test_verified_record_is_complete():
    ids = [q["id"] for q in VERIFIED_ENTRIES]
    assert len(ids) == len(set(ids)), "duplicate ids in VERIFIED.yaml"
    assert len(VERIFIED_ENTRIES) >= 30
    for q in VERIFIED_ENTRIES:
        for field in ("law", "edition", "article", "text", "used_in", "checked_at"):
            assert q.get(field), f"{q['id']}: missing {field}"
        assert q["law"].startswith("《") and q["law"].endswith("》"), q["id"]
        assert CN_NUMERAL_ARTICLE.match(q["article"]), f"{q['id']}: article {q['article']!r} is not 第…条"
        for source in q["checked_at"]:
            assert source.get("title") and source.get("url", "").startswith("http"), f"{q['id']}: source needs a title and URL"


@pytest.mark.parametrize("entry", VERIFIED_ENTRIES, ids=[q["id"] for q in VERIFIED_ENTRIES])
def test_library_quotes_verified_wording_verbatim(entry):
    for place in entry["used_in"]:
        record = _record(place["file"], place["id"], place.get("section"))
        text = "\n".join(_strings(record))
        assert entry["text"] in text, (
            f"{place['file']} {place['id']} {place.get('section') or ''}: does not contain the verified wording of "
            f"{entry['law']}{entry['article']}: {entry['text']}"
        )


def test_work_safety_law_article_3_is_quoted_correctly():
    article_3 = next(q for q in VERIFIED_ENTRIES if q["law"] == WORK_SAFETY_LAW and q["article"].startswith("第三条第三款"))
    assert "建立生产经营单位负责、职工参与、政府监管、行业自律和社会监督的机制" in article_3["text"]


def test_known_misquotation_appears_nowhere_in_content():
    offenders = [str(p.relative_to(ROOT)) for p in _yaml_files(CONTENT)
                 if p != VERIFIED and "实行管理、行业自律" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_every_work_safety_law_basis_cites_an_article():
    missing = []
    for path in _yaml_files(CONTENT):
        if path == VERIFIED:
            continue
        for basis in _basis_values(_load(path)):
            for match in re.finditer(re.escape(WORK_SAFETY_LAW), basis):
                if not ARTICLE.match(basis[match.end():]):
                    missing.append(f"{path.relative_to(ROOT)}: {basis}")
    assert missing == []


def test_basis_check_would_catch_a_missing_article():
    """The scan above reads every `basis`, nested or not, and finds a title with no article."""
    doc = {"items": [{"basis": f"{WORK_SAFETY_LAW}；GB 2894-2008"}, {"basis": [f"{WORK_SAFETY_LAW}第三条"]}]}
    values = list(_basis_values(doc))
    assert values == [f"{WORK_SAFETY_LAW}；GB 2894-2008", f"{WORK_SAFETY_LAW}第三条"]
    bare = [v for v in values for m in re.finditer(re.escape(WORK_SAFETY_LAW), v) if not ARTICLE.match(v[m.end():])]
    assert bare == [f"{WORK_SAFETY_LAW}；GB 2894-2008"]
