"""The library in layers: national content for everyone, region packs only where the region's
documents apply (seeds are local documents), and a warning at any citation of another region's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from generators.cli.new import scaffold
from generators.load import load
from generators.load.library import region_chain
from generators.rules import credit_check_char

DATE = dt.date(2026, 3, 1)


def _bank(folder: Path, bank_id: str, stem: str, basis: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{bank_id}.yaml").write_text(yaml.safe_dump({
        "id": bank_id, "title": bank_id,
        "questions": [{"id": f"{bank_id}-1", "type": "判断", "stem": stem, "answer": "正确", "knowledge_point": "区域",
                       "posts": ["通用"], "basis": basis}],
    }, allow_unicode=True), encoding="utf-8")


def _pack(lib: Path, folder: str, info: dict, bank: str) -> None:
    root = lib / "regions" / folder
    root.mkdir(parents=True)
    (root / "region.yaml").write_text(yaml.safe_dump(info, allow_unicode=True), encoding="utf-8")
    _bank(root / "questions", bank, f"{info['name']}的规定（{bank}）", f"《{info['name']}某某通知》")


def make(tmp_path: Path, region: str, address: str, cites: str | None = None) -> Path:
    content = tmp_path / "content"
    lib = content / "library"
    _bank(lib / "national" / "questions", "nat", "全国通用的题目", "《中华人民共和国安全生产法》第三条")
    _pack(lib, "140000", {"code": "140000", "name": "山西省"}, "sx")
    _pack(lib, "140400", {"code": "140400", "name": "长治市"}, "cz")
    _pack(lib, "140404", {"code": "140404", "name": "长治市上党区", "aliases": ["上党区"]}, "sd")
    _pack(lib, "140404-八义镇", {"code": "140404", "name": "长治市上党区", "town": "八义镇"}, "by")
    _pack(lib, "140502", {"code": "140502", "name": "晋城市城区"}, "jc")
    _pack(lib, "350581", {"code": "350581", "name": "石狮市", "aliases": ["石狮"]}, "ss")
    ent = content / "enterprises" / "acme"
    scaffold(ent, today=DATE)
    data = yaml.safe_load((ent / "enterprise.yaml").read_text(encoding="utf-8"))
    first17 = f"91{region}MA0000000"
    data["credit_code"] = first17 + credit_check_char(first17)
    data["address"] = address
    data["question_banks"] = ["nat", "sx", "cz", "sd", "by"] if region.startswith("1404") else ["nat"]
    (ent / "enterprise.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if cites:
        q = ent / "questions" / "general.yaml"
        bank = yaml.safe_load(q.read_text(encoding="utf-8"))
        bank["questions"][0]["basis"] = cites
        q.write_text(yaml.safe_dump(bank, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return ent


def test_region_chain():
    assert region_chain("140404") == ["140000", "140400", "140404"]
    assert region_chain("140400") == ["140000", "140400"]
    assert region_chain("350000") == ["350000"]


def test_an_enterprise_sees_national_content_and_its_own_regions(tmp_path):
    content, diags = load(make(tmp_path, "140404", "山西省长治市上党区八义镇工业路1号"), build_date=DATE)
    assert not diags.errors, [d.format() for d in diags.errors]
    ids = {q.id for q in content.questions}
    assert {"nat-1", "sx-1", "cz-1", "sd-1", "by-1"} <= ids
    assert not {"jc-1", "ss-1"} & ids
    names = [p.name for p in content.library_packs]
    assert names[0] == "national" and names[1:] == ["140000", "140400", "140404", "140404-八义镇"], "national, then province → city → county → town"


def test_a_town_pack_applies_only_in_that_town(tmp_path):
    ent = make(tmp_path, "140404", "山西省长治市上党区韩店街道1号")
    content, diags = load(ent, build_date=DATE)
    errors = [d.format() for d in diags.errors]
    assert any("by" in e and "不存在" in e for e in errors), errors  # the 八义镇 bank is not visible outside 八义镇


def test_another_provinces_enterprise_sees_none_of_them(tmp_path):
    content, diags = load(make(tmp_path, "320505", "江苏省苏州市虎丘区某路1号"), build_date=DATE)
    assert not diags.errors
    assert [p.name for p in content.library_packs] == ["national"]
    assert {q.id for q in content.questions} >= {"nat-1"}


def test_citing_another_regions_document_is_flagged_with_file_line_and_field(tmp_path):
    ent = make(tmp_path, "320505", "江苏省苏州市虎丘区某路1号", cites="《长治市上党区安全生产基础建设水平巩固提升行动实施细则》三（二）4")
    content, diags = load(ent, build_date=DATE)
    hits = [d for d in diags.warnings if "其他地区" in d.message]
    assert len(hits) == 1, [d.format() for d in diags.warnings]
    d = hits[0]
    assert d.file.endswith("questions/general.yaml") and d.line > 1 and d.field.endswith(".basis")
    assert "长治市上党区" in d.message and "140404" in d.message
    # no region pack of its own: the message says where the enterprise is, not “未知”
    assert "本企业所在地区为 行政区划代码 320505（内容库中没有这个地区的地区包）" in d.message, d.message


def test_citing_ones_own_region_is_fine(tmp_path):
    ent = make(tmp_path, "140404", "山西省长治市上党区八义镇工业路1号", cites="《长治市上党区安全生产基础建设水平巩固提升行动实施细则》三（二）4")
    _, diags = load(ent, build_date=DATE)
    assert not [d for d in diags.warnings if "其他地区" in d.message]


def test_the_old_flat_library_is_all_national(tmp_path):
    content_dir = tmp_path / "content"
    _bank(content_dir / "library" / "questions", "nat", "全国通用的题目", "《中华人民共和国安全生产法》第三条")
    ent = content_dir / "enterprises" / "acme"
    scaffold(ent, today=DATE)
    data = yaml.safe_load((ent / "enterprise.yaml").read_text(encoding="utf-8"))
    data["question_banks"] = ["nat"]
    (ent / "enterprise.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    content, diags = load(ent, build_date=DATE)
    assert not diags.errors and "nat-1" in {q.id for q in content.questions}


ROOT = Path(__file__).resolve().parent.parent


def test_samples_cite_only_national_law_and_their_own_region():
    for sample in ("demo-transport", "demo-factory", "demo-chemical"):
        _, diags = load(ROOT / "content" / "enterprises" / sample, build_date=DATE)
        assert not [d.format() for d in diags if "其他地区" in d.message], sample


def test_the_national_layer_names_no_region_pack():
    from generators.diagnostics import Diagnostics
    from generators.load.library import read_packs

    packs = read_packs(ROOT / "content" / "library", Diagnostics())
    names = {n for p in packs for n in p.names}
    assert {"石狮市", "长治市上党区", "八义镇", "晋城市城区"} <= names
    for path in (ROOT / "content" / "library" / "national").rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert not [n for n in names if n in text], path
