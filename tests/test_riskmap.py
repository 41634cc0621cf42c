"""四色安全风险空间分布图: zone colours follow the risk register, plans are read safely,
mistakes are reported with file and line, and the outputs are reproducible."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from generators.checks import run_checks
from generators.cli.new import scaffold
from generators.load import load
from generators.load.images import SvgRejected, parse_svg
from generators.model.riskmap import zone_points
from generators.outputs import riskmap as rm
from generators.outputs.base import BuildContext
from generators.pipeline import BuildOptions, build
from generators.rules import RiskLevel

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "content" / "enterprises"
DATE = dt.date(2026, 3, 2)
SVG_NS = {"s": "http://www.w3.org/2000/svg"}

RISKS = """\
risk_points:
  - id: rp-paint
    name: 喷漆房喷涂作业
    kind: 场所
    department: safety
    posts: [safety-officer]
    zone: {paint_zone}
    hazards: [溶剂蒸气积聚达到爆炸下限]
    accidents: [火灾, 其他爆炸]
    assessment: {{method: LEC, L: {L}, E: 10, C: 40}}
    controls:
      engineering: [可燃气体报警与排风联锁]
      emergency: [报警后停止喷涂并撤离]
    control_level: 公司
    responsible: 涂装车间主任
  - id: rp-store
    name: 仓库叉车搬运
    department: safety
    zone: store
    hazards: [叉车视线受阻]
    accidents: [车辆伤害]
    assessment: {{method: LEC, L: 3, E: 6, C: 7}}
    controls:
      management: [叉车限速5公里]
    control_level: 班组
    responsible: 仓储部部长
  - id: rp-road
    name: 厂外送货途中行车
    department: safety
    hazards: [疲劳驾驶]
    accidents: [车辆伤害]
    assessment: {{method: LEC, L: 1, E: 6, C: 15}}
    controls:
      management: [动态监控]
    control_level: 车间
    responsible: 车队长
"""

SCHEMATIC = """\
north: 30
zones:
  - id: paint
    name: 喷漆房
    responsible: 黄永辉（涂装车间主任）
    rect: {x: 5, y: 5, w: 40, h: 40}
  - id: store
    name: 仓库
    responsible: 王丽珍（仓储部部长）
    rect: {x: 55, y: 5, w: 40, h: 40}
  - id: lawn
    name: 绿化带
    responsible: 施雅琴（综合办公室主任）
    polygon: [[5, 60], [95, 60], [95, 95], [5, 95]]
"""


def make_enterprise(tmp_path: Path, riskmap: str = SCHEMATIC, L: float = 1, paint_zone: str = "paint", plan: tuple[str, bytes] | None = None) -> Path:
    ent = tmp_path / "ent"
    scaffold(ent, today=DATE)
    (ent / "risks" / "area.yaml").write_text(RISKS.format(L=L, paint_zone=paint_zone), encoding="utf-8")
    (ent / "riskmap.yaml").write_text(riskmap, encoding="utf-8")
    if plan:
        (ent / "assets").mkdir(exist_ok=True)
        (ent / "assets" / plan[0]).write_bytes(plan[1])
    return ent


def load_ok(path: Path):
    content, diags = load(path, build_date=DATE)
    assert content is not None
    return content, diags


def figure_fills(svg: str) -> dict[str, str]:
    """Zone id -> fill of its shape in a rendered figure."""
    root = ET.fromstring(svg)
    out = {}
    for elem in root.iter():
        zone = elem.get("data-zone")
        if zone and "rm-zone" in (elem.get("class") or ""):
            shapes = [e for e in elem.iter() if e.get("fill")]
            out[zone] = shapes[0].get("fill")
    return out


# ------------------------------------------------------------------ the samples


@pytest.mark.parametrize("enterprise", ["demo-transport", "demo-factory", "demo-chemical"])
def test_sample_zone_colour_is_highest_level_of_its_points(enterprise):
    content, diags = load_ok(SAMPLES / enterprise)
    assert not [d for d in diags.errors if "riskmap" in d.file or "yard-plan" in d.file or d.field.endswith("zone")]
    source = content.extras["riskmap"]
    points = zone_points(content)
    data = rm.sheet_data(content)
    fills = figure_fills(str(rm.figure_svg(content, data)))
    colours = source.model.colours
    assert set(fills) == {z.id for z in source.model.zones}, "every zone is drawn"
    for z in data["zones"]:
        expected = max((r.level for r in points[z["id"]]), default=None)
        assert expected is not None, f"{enterprise}: zone {z['id']} has no assessed risk point"
        assert z["level"] == expected.value
        assert z["level_label"] == expected.label
        assert fills[z["id"]] == colours.of(expected), z["id"]
    # the register has points of every colour somewhere on at least one sample map
    assert len({z["level"] for z in data["zones"]}) >= 2


def test_transport_plan_is_the_svg_with_six_zones():
    content, _ = load_ok(SAMPLES / "demo-transport")
    source = content.extras["riskmap"]
    assert source.plan_kind == "svg"
    assert [z.id for z in source.model.zones] == ["office", "parking", "hazmat-parking", "workshop", "fuel-area", "loading-area"]
    figure = str(rm.figure_svg(content))
    assert 'id="rmp-grass"' in figure and "url(#rmp-grass)" in figure  # plan ids and references prefixed
    assert "inkscape" not in figure and "sodipodi" not in figure


# ------------------------------------------------------------------ colours follow the register


def test_zone_takes_highest_level_and_unassessed_zone_is_hatched(tmp_path):
    content, diags = load_ok(make_enterprise(tmp_path, L=10))  # D = 10×10×40 = 4000 → 重大
    assert not diags.errors, [d.format() for d in diags.errors]
    zones = {z["id"]: z for z in rm.sheet_data(content)["zones"]}
    assert zones["paint"]["level"] == RiskLevel.MAJOR
    assert zones["store"]["level"] == RiskLevel.GENERAL  # 3×6×7 = 126 → 一般
    assert zones["lawn"]["level"] is None
    fills = figure_fills(str(rm.figure_svg(content, uid="t")))
    assert fills["paint"] == "#E60012" and fills["store"] == "#FFF100"
    assert fills["lawn"] == "url(#t-hatch)"
    figure = str(rm.figure_svg(content))
    for text in ("红·重大风险", "黄·一般风险", "未评估", "重大风险", "较大风险", "一般风险", "低风险", "北"):
        assert text in figure, text


@pytest.mark.slow
def test_changing_lec_values_changes_zone_colour_in_next_build(tmp_path):
    ent = make_enterprise(tmp_path, L=1)  # D = 1×10×40 = 400 → 重大 (> 320)
    out = tmp_path / "build"
    opts = BuildOptions(out_root=out, only=("riskmap",), build_date=DATE)
    first = build(ent, opts)
    assert sorted(first.rendered) == ["riskmap/boards.pdf", "riskmap/riskmap.pdf", "riskmap/riskmap.svg"]
    svg1 = (out / "ent" / "riskmap" / "riskmap.svg").read_text(encoding="utf-8")
    pdf1 = (out / "ent" / "riskmap" / "riskmap.pdf").read_bytes()
    assert figure_fills(svg1)["paint"] == "#E60012"

    # rebuilding unchanged input reuses everything; a forced rebuild gives the same bytes
    assert build(ent, opts).unchanged
    again = tmp_path / "again"
    build(ent, BuildOptions(out_root=again, only=("riskmap",), build_date=DATE))
    assert (again / "ent" / "riskmap" / "riskmap.pdf").read_bytes() == pdf1
    assert (again / "ent" / "riskmap" / "riskmap.svg").read_text(encoding="utf-8") == svg1

    register = ent / "risks" / "area.yaml"
    register.write_text(RISKS.format(L=0.5, paint_zone="paint"), encoding="utf-8")  # D = 200 → 较大
    second = build(ent, opts)
    assert "riskmap/riskmap.svg" in second.rendered and "riskmap/riskmap.pdf" in second.rendered
    svg2 = (out / "ent" / "riskmap" / "riskmap.svg").read_text(encoding="utf-8")
    assert figure_fills(svg2)["paint"] == "#F39800"
    assert "橙·较大风险" in svg2 and "红·重大风险" not in svg2
    assert (out / "ent" / "riskmap" / "riskmap.pdf").read_bytes() != pdf1


# ------------------------------------------------------------------ references and gaps


def test_check_reports_unassessed_zones_and_points_in_no_zone(tmp_path):
    ent = make_enterprise(tmp_path)
    content, diags = load_ok(ent)
    run_checks(content, diags)
    texts = [d for d in diags.warnings if "四色" in d.message or "斜线" in d.message]
    lawn = [d for d in texts if "绿化带" in d.message]
    assert len(lawn) == 1 and lawn[0].file.endswith("riskmap.yaml")
    assert lawn[0].line == SCHEMATIC.splitlines().index("  - id: lawn") + 1
    road = [d for d in texts if "rp-road" in d.message]
    assert len(road) == 1 and road[0].file.endswith("area.yaml")
    assert road[0].line == RISKS.splitlines().index("  - id: rp-road") + 1

    # listing the point as offsite closes the gap
    (ent / "riskmap.yaml").write_text(SCHEMATIC + "offsite: [rp-road]\n", encoding="utf-8")
    content, diags = load_ok(ent)
    run_checks(content, diags)
    assert not [d for d in diags.warnings if "rp-road" in d.message]


def test_unknown_zone_and_unknown_risk_point_are_errors_at_their_line(tmp_path):
    bad_map = SCHEMATIC.replace("    rect: {x: 55, y: 5, w: 40, h: 40}\n", "    rect: {x: 55, y: 5, w: 40, h: 40}\n    risk_points: [rp-missing]\n")
    bad_map += "  - id: paint\n    name: 重复区域\n    responsible: 某人\n    rect: {x: 1, y: 1, w: 2, h: 2}\n"
    ent = make_enterprise(tmp_path, riskmap=bad_map, paint_zone="paint-shop")
    _, diags = load(ent, build_date=DATE)
    errors = {d.message: d for d in diags.errors}
    zone_err = next(d for m, d in errors.items() if "paint-shop" in m)
    assert zone_err.file.endswith("area.yaml") and zone_err.line == RISKS.splitlines().index("    zone: {paint_zone}") + 1
    missing = next(d for m, d in errors.items() if "rp-missing" in m)
    assert missing.file.endswith("riskmap.yaml") and missing.line == bad_map.splitlines().index("    risk_points: [rp-missing]") + 1
    assert any("区域编号“paint”重复" in m for m in errors)


def test_schematic_zone_without_shape_is_an_error(tmp_path):
    bad = SCHEMATIC + "  - id: gate\n    name: 大门\n    responsible: 门卫\n"
    _, diags = load(make_enterprise(tmp_path, riskmap=bad), build_date=DATE)
    err = [d for d in diags.errors if "大门" in d.message]
    assert len(err) == 1 and "没有图形" in err[0].message
    assert err[0].line == bad.splitlines().index("  - id: gate") + 1


# ------------------------------------------------------------------ SVG plans

PLAN = """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 200">
  <rect x="0" y="0" width="400" height="200" fill="#eee"/>
  <g id="zones" transform="translate(10 5)">
    <rect id="paint" x="0" y="0" width="150" height="150"/>
    <path id="store" d="M200 0 h150 v150 h-150 z"/>
    <rect id="canteen" x="360" y="0" width="20" height="20"/>
  </g>
</svg>
"""
SVG_MAP = """\
plan: assets/plan.svg
zones:
  - id: paint
    name: 喷漆房
    responsible: 黄永辉
  - id: store
    name: 仓库
    responsible: 王丽珍
  - id: boiler
    name: 锅炉房
    responsible: 许文彬
"""


def test_svg_ids_matching_no_zone_and_zones_without_shape_reported_with_file_and_line(tmp_path):
    ent = make_enterprise(tmp_path, riskmap=SVG_MAP, plan=("plan.svg", PLAN.encode()))
    content, diags = load(ent, build_date=DATE)
    stray = [d for d in diags if "canteen" in d.message]
    assert len(stray) == 1 and stray[0].file.endswith("assets/plan.svg")
    assert stray[0].line == PLAN.splitlines().index('    <rect id="canteen" x="360" y="0" width="20" height="20"/>') + 1
    shapeless = [d for d in diags.errors if "锅炉房" in d.message]
    assert len(shapeless) == 1 and shapeless[0].file.endswith("riskmap.yaml")
    assert shapeless[0].line == SVG_MAP.splitlines().index("  - id: boiler") + 1
    assert "boiler" in shapeless[0].message


def test_svg_plan_shapes_are_coloured_in_place_and_labelled_inside(tmp_path):
    ent = make_enterprise(tmp_path, riskmap=SVG_MAP.rsplit("  - id: boiler", 1)[0], plan=("plan.svg", PLAN.encode()), L=10)
    content, diags = load_ok(ent)
    assert not diags.errors, [d.format() for d in diags.errors]
    figure = str(rm.figure_svg(content, interactive=True))
    fills = figure_fills(figure)
    assert fills == {"paint": "#E60012", "store": "#FFF100"}
    assert 'href="#rz-paint"' in figure and 'href="#rz-store"' in figure
    # label of the path zone sits at the centre of its transformed outline: (10+275, 5+75) plan units
    frame_scale = (rm.FIG_W - 2 * rm.FIG_MARGIN) / 400
    root = ET.fromstring(figure)
    label = next(g for g in root.iter() if g.get("data-zone") == "store" and g.get("class") == "rm-label")
    name = [t for t in label.iter("{http://www.w3.org/2000/svg}text") if t.text == "仓库"][0]
    assert abs(float(name.get("y")) - (rm.FIG_MARGIN + 80 * frame_scale)) < 30


HOSTILE = {
    "billion-laughs": """<?xml version="1.0"?>
<!DOCTYPE svg [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text>&lol3;</text></svg>
""",
    "external-entity": """<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text>&xxe;</text></svg>
""",
    "parameter-entity": """<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"/>
""",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_entity_tricks_are_refused(name, tmp_path):
    with pytest.raises(SvgRejected) as info:
        parse_svg(HOSTILE[name].encode())
    assert info.value.line >= 2
    ent = make_enterprise(tmp_path, riskmap=SVG_MAP, plan=("plan.svg", HOSTILE[name].encode()))
    _, diags = load(ent, build_date=DATE)
    assert any(d.file.endswith("plan.svg") and ("实体" in d.message or "XML" in d.message) for d in diags.errors)


def test_active_content_in_a_plan_is_neutralised(tmp_path):
    hostile = """\
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 400 200" onload="alert(1)">
  <script>alert(document.cookie)</script>
  <style>@import url(http://evil.example/x.css); rect { fill: red }</style>
  <style>.wall { stroke: #000 } #paint { stroke-width: 2 }</style>
  <foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>
  <a xlink:href="javascript:alert(2)"><rect class="wall" x="0" y="0" width="5" height="5"/></a>
  <image href="http://evil.example/track.png" width="5" height="5"/>
  <rect x="0" y="0" width="5" height="5" style="fill: url(http://evil.example/p.svg#x)" onclick="alert(3)"/>
  <set attributeName="href" to="javascript:alert(4)"/>
  <g id="zones">
    <rect id="paint" x="0" y="0" width="150" height="150" onmouseover="alert(5)"/>
    <rect id="store" x="200" y="0" width="150" height="150"/>
  </g>
</svg>
"""
    ent = make_enterprise(tmp_path, riskmap=SVG_MAP.rsplit("  - id: boiler", 1)[0], plan=("plan.svg", hostile.encode()))
    content, diags = load_ok(ent)
    assert not diags.errors, [d.format() for d in diags.errors]
    figure = str(rm.figure_svg(content, interactive=True))
    lowered = figure.lower()
    for bad in ("<script", "alert(", "javascript:", "evil.example", "foreignobject", "onload", "onclick", "onmouseover", "<set", "@import"):
        assert bad not in lowered, bad
    assert ".rm-plan .wall" in figure and ".rm-plan #rmp-paint" in figure  # harmless styles kept, scoped
    ET.fromstring(figure)  # still well-formed XML


# ------------------------------------------------------------------ raster plans, paper


def _png(width: int, height: int) -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), (230, 230, 230)).save(buf, format="PNG")
    return buf.getvalue()


def test_png_plan_with_polygons(tmp_path):
    raster = """\
plan: assets/plan.png
zones:
  - id: paint
    name: 喷漆房
    responsible: 黄永辉
    polygon: [[10, 10], [300, 10], [300, 200], [10, 200]]
  - id: store
    name: 仓库
    responsible: 王丽珍
    rect: {x: 320, y: 10, w: 200, h: 500}
"""
    ent = make_enterprise(tmp_path, riskmap=raster, plan=("plan.png", _png(640, 400)))
    _, diags = load(ent, build_date=DATE)
    out_of_plan = [d for d in diags.errors if "超出平面图范围" in d.message]
    assert len(out_of_plan) == 1 and "仓库" in out_of_plan[0].message
    (ent / "riskmap.yaml").write_text(raster.replace("h: 500", "h: 300"), encoding="utf-8")
    content, diags = load_ok(ent)
    assert not diags.errors
    figure = str(rm.figure_svg(content))
    assert 'href="data:image/png;base64,' in figure
    assert set(figure_fills(figure)) == {"paint", "store"}


@pytest.mark.slow
def test_a1_paper_and_one_board_page_per_zone(tmp_path):
    from pypdf import PdfReader

    ent = make_enterprise(tmp_path, riskmap="paper: A1\n" + SCHEMATIC)
    content, _ = load_ok(ent)
    jobs = {j.output: j for j in rm.jobs(content)}
    ctx = BuildContext(content, tmp_path, None)
    jobs["riskmap/riskmap.pdf"].render(tmp_path / "sheet.pdf", ctx)
    jobs["riskmap/boards.pdf"].render(tmp_path / "boards.pdf", ctx)
    sheet = PdfReader(tmp_path / "sheet.pdf")
    box = sheet.pages[0].mediabox
    assert len(sheet.pages) == 1
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (841, 594)
    boards = PdfReader(tmp_path / "boards.pdf")
    assert len(boards.pages) == 3  # one A3 page per zone
    texts = [p.extract_text() for p in boards.pages]
    assert "喷漆房" in texts[0] and "报警后停止喷涂并撤离" in texts[0]
    assert "未评估" in texts[2]
    assert all(re.search(r"安\s*全\s*风\s*险\s*公\s*告\s*栏", t) for t in texts)


def test_copying_the_sample_keeps_the_plan_inside_the_enterprise(tmp_path):
    ent = tmp_path / "demo-transport"
    shutil.copytree(SAMPLES / "demo-transport", ent)
    text = (ent / "riskmap.yaml").read_text(encoding="utf-8").replace("plan: assets/yard-plan.svg", "plan: ../../etc/passwd")
    (ent / "riskmap.yaml").write_text(text, encoding="utf-8")
    _, diags = load(ent, build_date=DATE)
    assert any("企业目录之外" in d.message and d.field == "plan" for d in diags.errors)

