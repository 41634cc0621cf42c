"""The signs the inspector found undrawn (empty green squares, the 注意安全 “!” over other names,
a bare ring and slash) have their own drawings now; names no standard graphic sign carries are
文字辅助标志 in their category's colours, and `anquan check` says so with file, line and field."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from generators.checks import signs as sign_check
from generators.diagnostics import Diagnostics
from generators.load import load
from generators.outputs import signs
from tests.test_signs import BLACK, BLUE, GREEN, MS, PLACEHOLDERS, RED, ROOT, SVG, WHITE, YELLOW, content_signs, parse

ENTERPRISES = sorted((ROOT / "content" / "enterprises").iterdir())
PANEL = {"禁止": (RED, WHITE), "指令": (BLUE, WHITE), "警告": (WHITE, BLACK), "提示": (GREEN, WHITE)}


def _stem(name: str) -> str:
    return Path(signs.resolve(name)["file"]).stem


def _pictogram(root: ET.Element) -> list[ET.Element]:
    return [el for g in root.iter() if g.get("class") == "pictogram" for el in g.iter() if el is not g]


def _paints(els) -> set[str]:
    return {v.upper() for el in els for a, v in el.attrib.items() if a in ("fill", "stroke") and v != "none"}


@pytest.mark.parametrize("name,stem,cls", [
    ("当心缺氧", "anoxia", "warning"), ("当心卷入", "rollers", "warning"), ("当心飞溅", "splash", "warning"),
    ("禁止停车", "traffic-no-parking", "traffic"), ("禁止移车", "no-starting", "prohibition"),
    ("禁止超载", "text-no-overload", "text-sign"), ("叉车通道", "text-forklift-lane", "text-sign"),
    ("危险货物专用停车区", "text-hazmat-parking", "text-sign"), ("服务区休息提示", "text-service-area-rest", "text-sign"),
    ("熄火加油", "text-engine-off-refuelling", "text-sign"), ("限速5公里", "traffic-speed-limit-5", "traffic"),
    ("气体灭火装置手动启动位置", "fire-manual-activation", "fire"),
])
def test_the_reported_signs_are_drawn(name, stem, cls):
    assert _stem(name) == stem
    root = parse(signs.SIGNS_DIR / f"{stem}.svg")
    assert cls in root.get("class").split()
    assert len(_pictogram(root)) >= 1 or stem == "traffic-no-parking"


def test_content_signs_have_a_symbol_not_an_empty_frame():
    """Every drawing a sample uses has something inside its frame (a pictogram, words or numerals)."""
    stems = {_stem(n) for n, _, _ in content_signs()}
    for stem in stems:
        root = parse(signs.SIGNS_DIR / f"{stem}.svg")
        inside = _pictogram(root) + [e for e in root.iter() if e.get("class") == "bar"]
        assert inside, stem
    # the three warning signs no longer share the 注意安全 drawing, nor one another's
    files = {_stem(n) for n in ("当心缺氧", "当心卷入", "当心飞溅", "注意安全")}
    assert len(files) == 4


@pytest.mark.parametrize("stem", sorted(MS.TEXT_SIGNS))
def test_text_sign_panel_and_words(stem):
    category, words = MS.TEXT_SIGNS[stem]
    entry = [(k, e) for k, e in signs.table()["signs"].items() if e["file"] == stem]
    assert [k for k, _ in entry] == [words.replace("/", "")]  # the panel carries the name's own words
    key, e = entry[0]
    assert e.get("text_sign") is True and e["category"] == category
    root = parse(signs.SIGNS_DIR / f"{stem}.svg")
    panel_colour, ink = PANEL[category]
    panel = [el for el in root if el.get("class") == "panel"][0]
    assert panel.get("fill").upper() == panel_colour
    assert float(panel.get("width")) == float(panel.get("height")) == 96
    glyphs = _pictogram(root)
    assert glyphs and _paints(glyphs) == {ink}
    # one outline per line of words, each a real glyph outline (many path commands)
    d = " ".join(el.get("d") for el in glyphs)
    assert d.count("Z") >= len(key)


def test_traffic_signs_gb5768():
    no_parking = parse(signs.SIGNS_DIR / "traffic-no-parking.svg")
    ring = [e for e in no_parking.iter() if e.get("class") == "ring"][0]
    field = [e for e in no_parking.iter() if e.get("class") == "field"][0]
    assert ring.get("stroke").upper() == RED and field.get("fill").upper() == BLUE
    bars = [e for e in no_parking.iter() if e.get("class") == "bar"]
    assert len(bars) == 2 and {b.get("stroke").upper() for b in bars} == {RED}  # the red cross
    for stem in ("traffic-speed-limit-5", "traffic-height-limit-4m"):
        root = parse(signs.SIGNS_DIR / f"{stem}.svg")
        assert [e for e in root.iter() if e.get("class") == "field"][0].get("fill").upper() == WHITE
        assert _paints(_pictogram(root)) == {BLACK}
        assert not [e for e in root.iter() if e.get("class") == "bar"]


def test_new_warning_pictograms_are_black_on_yellow():
    for stem in ("anoxia", "rollers", "splash"):
        root = parse(signs.SIGNS_DIR / f"{stem}.svg")
        assert "warning" in root.get("class").split() and root.tag == SVG + "svg"
        assert _paints(_pictogram(root)) <= {BLACK, YELLOW} and len(_pictogram(root)) >= 3


@pytest.fixture(scope="module")
def checked():
    out = {}
    for ent in ENTERPRISES:
        content, diags = load(ent)
        assert content is not None and not diags.errors
        d = Diagnostics()
        sign_check.check_signs(content, d)
        out[ent.name] = (content, d.warnings)
    return out


def test_check_names_file_line_and_field(checked):
    _, warnings = checked["demo-transport"]
    over = [w for w in warnings if "禁止超载" in w.message and w.file.endswith("cards/forklift-driver.yaml")]
    assert len(over) == 1
    w = over[0]
    assert w.line > 1 and w.field == "signs.prohibition[2]"
    assert "不是 GB 2894 图形标志" in w.message and "限制质量" in w.message
    text = (ROOT / w.file).read_text(encoding="utf-8").splitlines()[w.line - 1]
    assert "禁止超载" in text
    zone = [w for w in warnings if "熄火加油" in w.message and w.file.endswith("riskmap.yaml")]
    assert zone and zone[0].field.startswith("zones[") and "熄火加油" in (ROOT / zone[0].file).read_text(encoding="utf-8").splitlines()[zone[0].line - 1]


def test_every_content_sign_is_drawn_or_warned(checked):
    """A sign name in content resolves to a drawn standard sign, or the check warns about it."""
    for ent, (content, warnings) in checked.items():
        warned = {(w.file, w.field) for w in warnings}
        for cid, card in content.cards.items():
            shown = content.sources[f"card:{cid}"]
            for field, kind in sign_check._GROUPS:
                for i, name in enumerate(getattr(card.signs, field)):
                    s = signs.resolve(name, kind)
                    is_warned = (shown, f"signs.{field}[{i}]") in warned
                    assert is_warned == (s["text_sign"] or s["generic"]), (ent, cid, name)
                    if not is_warned:
                        stem = Path(s["file"]).stem
                        assert stem not in PLACEHOLDERS and (stem != "caution" or s["text"] == "注意安全"), (ent, name)
    assert sum(len(w) for _, w in checked.values()) >= 15


def test_samples_name_the_standard_sign_where_there_is_one(checked):
    """叉车通道 has no GB 2894 drawing; the forklift cards carry the standard's 当心叉车 instead, and
    the warnings left are for names no standard graphic sign carries (文字辅助标志)."""
    counts = {}
    for ent, (content, warnings) in checked.items():
        signs_warned = [w for w in warnings if "不是 GB 2894 图形标志" in w.message]
        assert not [w for w in signs_warned if "叉车通道" in w.message], ent
        counts[ent] = len(signs_warned)
        for cid, card in content.cards.items():
            if cid == "forklift-driver":
                assert "当心叉车" in card.signs.warning, ent
    assert {k: v for k, v in counts.items() if k.startswith("demo-")} == {"demo-transport": 13, "demo-factory": 2, "demo-chemical": 2}


def test_unknown_name_is_warned():
    msg = sign_check._message(signs.resolve("禁止疲劳驾驶", "禁止"))
    assert msg and "不在标志表" in msg and "不是 GB 2894 图形标志" in msg
    assert sign_check._message(signs.resolve("当心缺氧")) is None
    assert sign_check._message(signs.resolve("禁止烟火")) is None
