"""GB 2894 safety signs: every sign content names has a drawing of the right kind, the drawings
keep the standard's geometry and the safety colours, and cards and boards draw them (not the
old placeholders: a plain red circle, a blue “i”, a green cross) with the sign's text under it."""

from __future__ import annotations

import importlib.util
import math
import re
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import yaml
from pypdf import PdfReader
from pypdf.generic import ContentStream

from generators.load import load
from generators.outputs import riskmap as rm
from generators.outputs import signs
from tests.helpers.shared_build import SHARED_DATE

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
DEMO = CONTENT / "enterprises" / "demo-transport"
SVG = "{http://www.w3.org/2000/svg}"
KINDS = {"prohibition": "禁止", "warning": "警告", "mandatory": "指令", "information": "提示"}
# the drawings only an unknown name gets (灭火器 and 注意安全 are signs of their own as well)
PLACEHOLDERS = {"prohibition-generic", "mandatory-generic", "information-generic"}
FRAME_CLASS = {"禁止": "prohibition", "警告": "warning", "指令": "mandatory", "提示": "information", "消防": "fire"}


def _make_signs():
    spec = importlib.util.spec_from_file_location("make_signs", ROOT / "scripts" / "make_signs.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


MS = _make_signs()
RED, YELLOW, BLUE, GREEN, BLACK, WHITE = MS.RED, MS.YELLOW, MS.BLUE, MS.GREEN, MS.BLACK, MS.WHITE
CATEGORY_COLOUR = {"禁止": RED, "警告": YELLOW, "指令": BLUE, "提示": GREEN, "消防": RED}


def content_signs() -> list[tuple[str, str | None, str]]:
    """(name as written, card group or None for a risk-map zone, file) for every sign in content/
    and in the scaffold's template card."""
    out = []
    files = sorted(CONTENT.rglob("*.yaml")) + sorted((ROOT / "generators" / "scaffold_template").rglob("*.yaml"))
    for f in files:
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            continue
        if isinstance(data.get("signs"), dict):
            for key, kind in KINDS.items():
                out += [(n, kind, f.name) for n in data["signs"].get(key) or []]
        for zone in data.get("zones") or []:
            if isinstance(zone, dict):
                out += [(n, None, f.name) for n in zone.get("signs") or []]
    return out


def svg_files() -> list[Path]:
    return sorted(signs.SIGNS_DIR.glob("*.svg"))


def parse(path: Path) -> ET.Element:
    return ET.fromstring(path.read_text(encoding="utf-8"))


def by_class(root: ET.Element, cls: str) -> ET.Element:
    found = [e for e in root.iter() if cls in (e.get("class") or "").split()]
    assert len(found) == 1, (cls, len(found))
    return found[0]


def points(el: ET.Element) -> list[tuple[float, float]]:
    return [tuple(float(v) for v in p.split(",")) for p in el.get("points").split()]


def within(value: float, expected: float, rel: float = 0.02) -> bool:
    return abs(value - expected) <= rel * abs(expected)


# ------------------------------------------------------------------ content -> drawings


def test_content_names_signs():
    names = content_signs()
    assert len(names) > 150 and len({n for n, _, _ in names}) > 100


@pytest.mark.parametrize("name,kind,where", content_signs())
def test_every_sign_in_content_has_its_drawing(name, kind, where):
    s = signs.resolve(name, kind)
    # the samples name no sign the table lacks: each one was given its drawing on purpose
    assert not s["generic"], f"{where}: {name} is not in site_templates/signs/signs.yaml"
    path = signs.svg_path(s)
    assert path.is_file() and path.parent == signs.SIGNS_DIR
    root = parse(path)
    assert root.tag == SVG + "svg"
    assert FRAME_CLASS[s["category"]] in root.get("class").split()
    if kind is not None:  # a card's group: the drawing is of that kind (fire equipment may be 提示)
        assert s["category"] == kind or (kind == "提示" and s["category"] == "消防"), (name, kind, s["category"])
    assert s["text"] and s["text"] in signs.table()["signs"]
    # no sample sign is drawn with a generic or borrowed frame: the bare ring and slash, the
    # empty green square, the blue “!” and the 注意安全 “!” are only for unknown names
    stem = Path(s["file"]).stem
    assert stem not in PLACEHOLDERS and (stem != "caution" or s["text"] == "注意安全"), (where, name, stem)
    assert "未绘" not in signs.table()["signs"][s["text"]]["source"], (where, name)
    if s["text_sign"]:
        assert stem == "text-" + stem.removeprefix("text-") and "text-sign" in root.get("class").split()


def test_the_issues_signs_have_their_own_pictograms():
    generic = set(signs.table()["generic"].values())
    wanted = {"禁止烟火": "禁止", "禁止吸烟": "禁止", "必须戴安全帽": "指令", "必须系安全带": "指令",
              "必须穿防静电工作服": "指令", "当心火灾": "警告", "当心触电": "警告", "当心机械伤人": "警告",
              "注意安全": "警告", "紧急出口": "提示"}
    files = set()
    for name, kind in wanted.items():
        s = signs.resolve(name)
        assert s["category"] == kind and s["text"] == name and not s["generic"]
        stem = Path(s["file"]).stem
        assert stem not in generic or name == "注意安全"  # 注意安全 is itself 警告's generic sign
        files.add(stem)
    assert len(files) == len(wanted)  # no two of them share a picture


def test_qualifier_goes_under_the_text():
    assert signs.split("禁止吸烟（停车场、加油区）") == ("禁止吸烟", "停车场、加油区")
    assert signs.split("必须穿防护服(防静电)") == ("必须穿防护服", "防静电")
    assert signs.split("当心触电") == ("当心触电", "")
    s = signs.resolve("必须戴防毒面具（开启人孔时）", "指令")
    assert (s["text"], s["note"], s["file"]) == ("必须戴防毒面具", "开启人孔时", "signs/wear-gas-mask.svg")
    # other wordings and spacing of the same sign
    assert signs.resolve("禁止使用手机")["text"] == "禁止开启无线移动通讯设备"
    assert signs.resolve("禁止合闸 有人工作")["text"] == "禁止合闸，有人工作"


@pytest.mark.parametrize("name,kind,file", [
    ("禁止疲劳驾驶", "禁止", "prohibition-generic"),
    ("严禁酒后驾车", None, "prohibition-generic"),
    ("当心高压管线", None, "caution"),
    ("当心高压管线", "警告", "caution"),
    ("必须佩戴胸卡", None, "mandatory-generic"),
    ("进入库区须登记", None, "mandatory-generic"),
    ("疏散示意图", None, "information-generic"),
    ("疏散示意图", "提示", "information-generic"),
    ("禁止疲劳驾驶（夜间）", "禁止", "prohibition-generic"),
])
def test_unknown_name_gets_its_kinds_generic_sign_with_its_own_words(name, kind, file):
    s = signs.resolve(name, kind)
    base, note = signs.split(name)
    assert s["generic"] and s["file"] == f"signs/{file}.svg"
    assert (s["text"], s["note"]) == (base, note)


def test_table_is_consistent():
    t = signs.table()
    stems = {p.stem for p in svg_files()}
    used = {e["file"] for e in t["signs"].values()} | set(t["generic"].values())
    assert used <= stems
    assert stems == set(MS.drawings())  # every drawing comes from scripts/make_signs.py
    for name, entry in t["signs"].items():
        assert FRAME_CLASS[entry["category"]] in parse(signs.SIGNS_DIR / f"{entry['file']}.svg").get("class").split(), name
    for cat, stem in t["generic"].items():
        assert FRAME_CLASS[cat] in parse(signs.SIGNS_DIR / f"{stem}.svg").get("class").split()


def test_committed_drawings_are_what_the_script_draws(tmp_path):
    MS.main(["make_signs.py", str(tmp_path)])
    for path in svg_files():
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


# ------------------------------------------------------------------ the drawings themselves


@pytest.mark.parametrize("path", svg_files(), ids=lambda p: p.stem)
def test_drawing_is_self_contained_and_uses_only_the_safety_colours(path):
    text = path.read_text(encoding="utf-8")
    root = ET.fromstring(text)
    assert root.get("viewBox") == "0 0 100 100"
    allowed = {"svg", "g", "path", "circle", "rect", "polygon"}
    colours = set()
    for el in root.iter():
        assert el.tag.removeprefix(SVG) in allowed, el.tag  # no text, images, fonts, links or scripts
        assert (el.text or "").strip() == ""
        for attr, value in el.attrib.items():
            assert "href" not in attr and "url(" not in value
            if attr in ("fill", "stroke") and value != "none":
                colours.add(value.upper())
    assert colours <= {RED, YELLOW, BLUE, GREEN, BLACK, WHITE}


def _frame_paints(root: ET.Element) -> set[str]:
    return {v.upper() for el in root if el.get("class") != "pictogram"
            for a, v in el.attrib.items() if a in ("fill", "stroke") and v != "none"}


def _pictogram_paints(root: ET.Element) -> set[str]:
    return {v.upper() for g in root.iter() if g.get("class") == "pictogram" for el in g.iter()
            for a, v in el.attrib.items() if a in ("fill", "stroke") and v != "none"}


def _classes(p: Path) -> set[str]:
    return set(parse(p).get("class").split())


@pytest.mark.parametrize("path", [p for p in svg_files() if "prohibition" in _classes(p) and not {"text-sign", "traffic"} & _classes(p)],
                         ids=lambda p: p.stem)
def test_prohibition_ring_and_bar(path):
    root = parse(path)
    ring = by_class(root, "ring")
    r, w = float(ring.get("r")), float(ring.get("stroke-width"))
    outer, inner = r + w / 2, r - w / 2
    assert within(inner / outer, 0.8)  # d1 = 0.800 d
    assert ring.get("stroke").upper() == RED and ring.get("fill") == "none"
    assert (float(ring.get("cx")), float(ring.get("cy"))) == (50, 50) and outer <= 50
    assert _pictogram_paints(root) <= {BLACK, WHITE}  # black pictogram on white
    bar = [e for e in root.iter() if e.get("class") == "bar"][0]
    assert bar.get("stroke").upper() == RED
    assert within(float(bar.get("stroke-width")), 0.08 * 2 * outer)  # c = 0.080 d
    x1, y1, x2, y2 = (float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", bar.get("d")))
    assert x1 < x2 and y1 < y2 and within(x2 - x1, y2 - y1, 0.001)  # 45°, upper left to lower right
    for x, y in ((x1, y1), (x2, y2)):  # it spans the inner circle
        assert abs(math.hypot(x - 50, y - 50) - inner) < 0.5
    # the bar is drawn over the pictogram, the ring last
    order = [e.get("class") for e in root if e.get("class")]
    assert order.index("pictogram") < order.index("bar") < order.index("ring")


def _equilateral(pts: list[tuple[float, float]]) -> tuple[float, tuple[float, float]]:
    sides = [math.dist(pts[i], pts[(i + 1) % 3]) for i in range(3)]
    assert max(sides) - min(sides) < 0.05, sides
    assert pts[0][1] < pts[1][1] and abs(pts[1][1] - pts[2][1]) < 0.01  # apex up, base level
    return sum(sides) / 3, (sum(p[0] for p in pts) / 3, sum(p[1] for p in pts) / 3)


@pytest.mark.parametrize("path", [p for p in svg_files() if "warning" in _classes(p) and "text-sign" not in _classes(p)], ids=lambda p: p.stem)
def test_warning_triangle_band(path):
    root = parse(path)
    border, field = by_class(root, "border"), by_class(root, "field")
    core_side, c1 = _equilateral(points(border))
    a2, c2 = _equilateral(points(field))
    assert math.dist(c1, c2) < 0.01  # concentric
    r = float(border.get("stroke-width")) / 2  # round joins: the outer corners' radius
    assert border.get("stroke-linejoin") == "round"
    a1 = core_side + 2 * math.sqrt(3) * r  # the stroke widens the triangle's inradius by r
    assert within(a2 / a1, 0.7)  # a2 = 0.700 a1
    assert within(r, 0.08 * a2)  # r = 0.080 a2
    assert border.get("fill").upper() == BLACK and border.get("stroke").upper() == BLACK
    assert field.get("fill").upper() == YELLOW
    edging = by_class(root, "edging")  # the yellow edging outside the black band
    assert edging.get("stroke").upper() == YELLOW and float(edging.get("stroke-width")) / 2 - r == pytest.approx(0.025 * a1, rel=0.02)
    assert _pictogram_paints(root) <= {BLACK, YELLOW}


@pytest.mark.parametrize("path", [p for p in svg_files() if "mandatory" in _classes(p) and "text-sign" not in _classes(p)], ids=lambda p: p.stem)
def test_mandatory_blue_disc(path):
    root = parse(path)
    disc = by_class(root, "disc")
    assert disc.get("fill").upper() == BLUE and float(disc.get("r")) == 48
    assert _pictogram_paints(root) <= {WHITE, BLUE} and WHITE in _pictogram_paints(root)
    assert _frame_paints(root) == {BLUE}


@pytest.mark.parametrize("path", [p for p in svg_files() if {"information", "fire"} & _classes(p) and "text-sign" not in _classes(p)],
                         ids=lambda p: p.stem)
def test_information_and_fire_square_panels(path):
    root = parse(path)
    panel = by_class(root, "panel")
    assert float(panel.get("width")) == float(panel.get("height")) == 96
    colour = GREEN if "information" in root.get("class") else RED
    assert panel.get("fill").upper() == colour and _frame_paints(root) == {colour}
    assert _pictogram_paints(root) <= {WHITE, colour}


def _xy(hex_colour: str) -> tuple[float, float, float]:
    def lin(c: int) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(int(hex_colour[i:i + 2], 16)) for i in (1, 3, 5))
    x = 0.4124 * r + 0.3576 * g + 0.1805 * b
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = 0.0193 * r + 0.1192 * g + 0.9505 * b
    return x / (x + y + z), y / (x + y + z), y


def _inside(p: tuple[float, float], poly: list[tuple[float, float]]) -> bool:
    sign = None
    for (x1, y1), (x2, y2) in zip(poly, poly[1:] + poly[:1]):
        cross = (x2 - x1) * (p[1] - y1) - (y2 - y1) * (p[0] - x1)
        if sign is None:
            sign = cross > 0
        elif (cross > 0) != sign:
            return False
    return True


def test_safety_red_is_inside_the_red_colour_region():
    # ISO 3864-4 red region for ordinary materials (see scripts/make_signs.py for the source)
    region = [(0.735, 0.265), (0.681, 0.239), (0.579, 0.341), (0.655, 0.345)]
    x, y, lum = _xy(RED)
    assert _inside((x, y), region) and lum > 0.07
    assert not _inside(_xy("#C8102E")[:2], region)  # why not the common #C8102E


# ------------------------------------------------------------------ in the documents

FILL_OPS = {"f", "F", "f*", "B", "B*", "b", "b*"}
STROKE_OPS = {"S", "s", "B", "B*", "b", "b*"}


def _colour(operands) -> str | None:
    vals = [float(v) for v in operands if isinstance(v, (int, float))]
    if len(vals) == 1:
        vals *= 3
    return "#" + "".join(f"{round(v * 255):02X}" for v in vals) if len(vals) == 3 else None


def paints(reader: PdfReader, page) -> tuple[Counter, Counter]:
    """How many fill and stroke operations a page paints in each colour (forms included).

    Typst and WeasyPrint both turn an SVG image into vector paths (Typst inline in the page,
    WeasyPrint partly in form XObjects), not into image XObjects, so a sign is found by the
    paths its frame paints: 禁止 two red strokes (ring, bar; a limit only the ring), 警告 two yellow fills (edging, field),
    指令 a blue disc, 提示 a green and 消防 a red panel."""
    fills, strokes = Counter(), Counter()

    def walk(stream, resources, fill, stroke, depth):
        stack = []
        for operands, op in ContentStream(stream, reader).operations:
            op = op.decode()
            if op == "q":
                stack.append((fill, stroke))
            elif op == "Q" and stack:
                fill, stroke = stack.pop()
            elif op in ("scn", "sc", "rg", "g"):
                fill = _colour(operands)
            elif op in ("SCN", "SC", "RG", "G"):
                stroke = _colour(operands)
            elif op == "Do" and depth < 8:
                xo = resources["/XObject"][operands[0]].get_object()
                if xo.get("/Subtype") == "/Form":
                    walk(xo, xo.get("/Resources", resources), fill, stroke, depth + 1)
            if op in FILL_OPS:
                fills[fill] += 1
            if op in STROKE_OPS:
                strokes[stroke] += 1

    walk(page.get_contents(), page["/Resources"], BLACK, BLACK, 0)
    return fills, strokes


def assert_draws(reader: PdfReader, page, resolved: list[dict]) -> None:
    n = Counter(s["category"] for s in resolved)
    fills, strokes = paints(reader, page)
    kinds = [_classes(signs.svg_path(s)) for s in resolved]
    rings = sum(1 for c in kinds if "prohibition" in c and "text-sign" not in c)
    bars = sum(1 for c in kinds if "prohibition" in c and not {"text-sign", "traffic"} & c)
    bars += 2 * sum(1 for s in resolved if s["file"] == "signs/traffic-no-parking.svg")
    assert strokes[RED] >= rings + bars, (strokes, n)
    text_red = sum(1 for c in kinds if {"prohibition", "text-sign"} <= c)
    assert fills[RED] >= n["消防"] + text_red, (fills, n)
    assert fills[YELLOW] >= 2 * n["警告"], (fills, n)
    assert fills[BLUE] >= n["指令"] and fills[GREEN] >= n["提示"], (fills, n)
    # the old placeholders' yellow triangle and green cross are gone
    assert fills["#FFD200"] == 0 and fills["#009A44"] == 0
    text = re.sub(r"\s", "", page.extract_text())
    for s in resolved:
        assert re.sub(r"\s", "", s["text"]) in text, s["text"]
        if s["note"]:
            assert re.sub(r"\s", "", s["note"]) in text, s["note"]


@pytest.fixture(scope="module")
def demo():
    content, diags = load(DEMO, build_date=SHARED_DATE)
    assert content is not None and not diags.errors
    return content


@pytest.mark.slow
def test_demo_card_draws_its_signs_with_their_text(demo, shared_build):
    reader = PdfReader(shared_build(DEMO.name).out / "cards" / "hazmat-driver.pdf")
    groups = signs.card_groups(demo.cards["hazmat-driver"].signs)
    resolved = [s for g in groups for s in g["signs"]]
    assert len(resolved) == 13 and {s["category"] for s in resolved} >= {"禁止", "警告", "指令", "提示"}
    assert_draws(reader, reader.pages[0], resolved)


@pytest.mark.slow
def test_demo_boards_draw_each_zones_signs(demo, shared_build):
    reader = PdfReader(shared_build(DEMO.name).out / "riskmap" / "boards.pdf")
    zones = rm.sheet_data(demo)["boards"]  # the zones' boards, then the off-site ones
    assert len(reader.pages) == len(zones)
    assert sum(len(z["signs"]) for z in zones) >= 20
    for zone, page in zip(zones, reader.pages):
        assert all(s["file"].startswith("signs/") for s in zone["signs"])
        assert_draws(reader, page, zone["signs"])
