"""四色安全风险空间分布图 (riskmap.yaml): the site plan, its zones and how they are drawn.

A zone's colour is not written here: it follows from the risk points inside it (就高原则),
so the map can never drift from the 安全风险点名册. This module holds the model, the safe
reading of an SVG plan, and the load hook and check that tie zones to risk points.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal
from xml.etree import ElementTree as ET
from xml.parsers import expat

from pydantic import Field, StringConstraints, model_validator

from ..codes import RiskLevel
from .base import Id, Model, Revised, ShortText, Text

if TYPE_CHECKING:  # pragma: no cover
    from ..loader import Diagnostics
    from . import Content, RiskPoint

Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]
Point = tuple[float, float]


class LevelColours(Model):
    """Print-safe fills per level. Defaults are the process-colour (CMYK) solids a print shop
    reproduces exactly: 红 C0 M100 Y100 K0, 橙 C0 M50 Y100 K0, 黄 C0 M0 Y100 K0, 蓝 C100 M50 Y0 K0."""

    red: Colour = Field(default="#E60012", description="红色（重大风险），如 #E60012")
    orange: Colour = Field(default="#F39800", description="橙色（较大风险），如 #F39800")
    yellow: Colour = Field(default="#FFF100", description="黄色（一般风险），如 #FFF100")
    blue: Colour = Field(default="#0068B7", description="蓝色（低风险），如 #0068B7")
    unassessed: Colour = Field(default="#6E6E6E", description="未评估区域的斜线颜色")

    def of(self, level: RiskLevel | None) -> str:
        return self.unassessed if level is None else getattr(self, level.css)


class Rect(Model):
    x: float = Field(description="左上角横坐标")
    y: float = Field(description="左上角纵坐标")
    w: float = Field(gt=0, description="宽")
    h: float = Field(gt=0, description="高")

    def points(self) -> list[Point]:
        return [(self.x, self.y), (self.x + self.w, self.y), (self.x + self.w, self.y + self.h), (self.x, self.y + self.h)]


class Zone(Model):
    """图上的一个区域（场所）."""

    id: Id = Field(description="区域编号（风险点的 zone 字段引用它；SVG 平面图中对应图形的 id）")
    name: ShortText = Field(description="区域名称，如 维修车间")
    number: int | None = Field(default=None, ge=1, le=999, description="图上编号（省略则按顺序编 1、2、3…）")
    responsible: ShortText = Field(description="区域安全责任人（姓名及职务）")
    phone: ShortText | None = Field(default=None, description="责任人联系电话（公告栏）")
    svg_id: ShortText | None = Field(default=None, description="SVG 平面图中图形的 id（与区域编号不同时填写）")
    rect: Rect | None = Field(default=None, description="矩形位置：无平面图时为相对坐标 0–100；PNG/JPG 平面图时为像素")
    polygon: list[Point] | None = Field(default=None, min_length=3, description="多边形顶点 [[x, y], …]，坐标同 rect")
    label_at: Point | None = Field(default=None, description="标注位置 [x, y]（自动位置不合适时填写）")
    risk_points: list[Id] = Field(default_factory=list, description="区域内的风险点编号（也可在风险点中填写 zone）")
    emergency: list[Text] = Field(default_factory=list, description="本区域补充的应急处置措施（公告栏）")
    signs: list[ShortText] = Field(default_factory=list, description="本区域设置的安全标志，如 禁止烟火、当心爆炸")
    description: Text | None = Field(default=None, description="区域说明（面积、用途等）")

    @model_validator(mode="after")
    def _one_shape(self) -> "Zone":
        if self.rect is not None and self.polygon is not None:
            raise ValueError("rect 和 polygon 只能填写一个")
        return self

    @property
    def shape_id(self) -> str:
        return self.svg_id or self.id

    def outline(self) -> list[Point] | None:
        if self.polygon is not None:
            return list(self.polygon)
        if self.rect is not None:
            return self.rect.points()
        return None


class RiskMap(Revised):
    """四色安全风险空间分布图 (riskmap.yaml)."""

    title: ShortText = Field(default="四色安全风险空间分布图", description="图名")
    plan: str | None = Field(
        default=None,
        description="平面图（相对企业目录）：SVG（区域图形带 id）或 PNG/JPG（区域用 polygon 标出）；不填则按 rect/polygon 相对坐标绘制示意图",
    )
    zone_layer: ShortText = Field(default="zones", description="SVG 平面图中放区域图形的图层（<g> 的 id 或 Inkscape 图层名）")
    aspect: float = Field(default=1.6, ge=0.5, le=3, description="示意图的宽高比（无平面图时）")
    north: float | None = Field(default=None, ge=-360, le=360, description="指北针方向：北方相对图纸正上方顺时针转过的角度；不填则不画指北针")
    paper: Literal["A3", "A1"] = Field(default="A3", description="纸张：A3（默认）或 A1，横向")
    colours: LevelColours = Field(default_factory=LevelColours, description="四色（印刷色值）")
    fill_opacity: float = Field(default=0.85, ge=0.3, le=1, description="区域填色不透明度（平面图线条透出）")
    offsite: list[Id] = Field(default_factory=list, description="不在平面图上的风险点（道路运输途中等场外作业）")
    prepared_by: ShortText | None = Field(default=None, description="编制（部门或人）")
    approved_by: ShortText | None = Field(default=None, description="审核/批准")
    note: Text | None = Field(default=None, description="图注说明")
    zones: list[Zone] = Field(min_length=1, description="区域")

    def numbers(self) -> dict[str, int]:
        """Zone id -> its number on the map (given, else the position in the list)."""
        return {z.id: z.number if z.number is not None else i + 1 for i, z in enumerate(self.zones)}


# ---------------------------------------------------------------- SVG plans, read safely

SVG_NS = "http://www.w3.org/2000/svg"
MAX_SVG_BYTES = 20 * 1024 * 1024
MAX_SVG_ELEMENTS = 200_000
MAX_SVG_DEPTH = 200
SHAPE_TAGS = {"rect", "polygon", "polyline", "path", "circle", "ellipse", "g", "line"}


class SvgRejected(Exception):
    """The plan cannot be used; message (Chinese) and 1-based line in the SVG file."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class SvgPlan:
    root: ET.Element
    lines: dict[int, int]  # id(element) -> line in the file

    def line_of(self, elem: ET.Element) -> int:
        return self.lines.get(id(elem), 1)


def local_name(tag: str) -> str:
    return tag.rsplit(":", 1)[-1]


def parse_svg(data: bytes) -> SvgPlan:
    """Parse an SVG without ever expanding an entity or reading another file.

    Expat is driven directly (no namespace processing, so names stay as written and every
    element keeps its line). Any <!ENTITY> declaration (billion laughs, external entities)
    is refused outright, parameter entities and external DTDs are never read, and the size,
    element count and depth are bounded. What the tree may *do* when drawn (scripts, event
    handlers, external links) is removed later by the renderer's sanitiser.
    """
    if len(data) > MAX_SVG_BYTES:
        raise SvgRejected(f"SVG 文件过大（{len(data) // 1024 // 1024} MB），上限 {MAX_SVG_BYTES // 1024 // 1024} MB")
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    stack: list[ET.Element] = []
    lines: dict[int, int] = {}
    holder: dict[str, Any] = {"root": None, "count": 0}

    def refuse_entity(*_args: Any) -> None:
        raise SvgRejected("SVG 中声明了实体（<!ENTITY>）：为防止实体膨胀和读取外部文件，拒绝使用；请在绘图软件中另存为“普通 SVG”", parser.CurrentLineNumber)

    def external(*_args: Any) -> int:
        raise SvgRejected("SVG 引用了外部实体，拒绝使用", parser.CurrentLineNumber)

    def start(name: str, attrs: dict[str, str]) -> None:
        holder["count"] += 1
        if holder["count"] > MAX_SVG_ELEMENTS:
            raise SvgRejected(f"SVG 元素超过 {MAX_SVG_ELEMENTS} 个，请简化平面图", parser.CurrentLineNumber)
        if len(stack) >= MAX_SVG_DEPTH:
            raise SvgRejected("SVG 嵌套过深", parser.CurrentLineNumber)
        elem = ET.SubElement(stack[-1], name, attrs) if stack else ET.Element(name, attrs)
        if not stack:
            holder["root"] = elem
        lines[id(elem)] = parser.CurrentLineNumber
        stack.append(elem)

    def end(_name: str) -> None:
        stack.pop()

    def chars(text: str) -> None:
        if not stack:
            return
        parent = stack[-1]
        if len(parent):
            last = parent[-1]
            last.tail = (last.tail or "") + text
        else:
            parent.text = (parent.text or "") + text

    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = external
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise SvgRejected(f"SVG 不是合法的 XML：{expat.ErrorString(exc.code)}（第 {exc.lineno} 行第 {exc.offset + 1} 列）", exc.lineno) from None
    root = holder["root"]
    if root is None or local_name(root.tag) != "svg":
        raise SvgRejected("文件的根元素不是 <svg>，不是 SVG 平面图")
    return SvgPlan(root, lines)


def find_layer(root: ET.Element, name: str) -> ET.Element | None:
    for elem in root.iter():
        if local_name(elem.tag) == "g" and name in (elem.get("id"), elem.get("inkscape:label")):
            return elem
    return None


def find_ids(root: ET.Element) -> dict[str, ET.Element]:
    out: dict[str, ET.Element] = {}
    for elem in root.iter():
        ident = elem.get("id")
        if ident and ident not in out:
            out[ident] = elem
    return out


# ---------------------------------------------------------------- load hook and check


@dataclass
class RiskMapSource:
    """What the hook stores in content.extras["riskmap"]."""

    model: RiskMap
    display: str  # riskmap.yaml as named in messages
    zone_where: dict[str, tuple[int, int]]  # zone id -> line, column in riskmap.yaml
    plan_path: Path | None = None
    plan_kind: Literal["svg", "image"] | None = None
    plan_display: str | None = None
    # risk point id -> (file, line, column) of the point, for warnings
    point_where: dict[str, tuple[str, int, int]] = field(default_factory=dict)


def _display(path: Path) -> str:
    rel = os.path.relpath(path)
    return str(path) if rel.startswith("..") else rel


def zone_points(content: "Content", source: RiskMapSource | None = None) -> dict[str, list["RiskPoint"]]:
    """Zone id -> its risk points: those naming the zone plus those the zone lists."""
    source = source or content.extras.get("riskmap")  # type: ignore[assignment]
    if source is None:
        return {}
    by_id = {r.id: r for r in content.risk_points}
    out: dict[str, list] = {z.id: [] for z in source.model.zones}
    for r in content.risk_points:
        if r.zone in out:
            out[r.zone].append(r)
    for z in source.model.zones:
        for rid in z.risk_points:
            r = by_id.get(rid)
            if r is not None and r not in out[z.id]:
                out[z.id].append(r)
    return out


def zone_level(points: list["RiskPoint"]) -> RiskLevel | None:
    """就高原则: the highest level among the zone's points; None when none is assessed."""
    return max((r.level for r in points), default=None)


def _check_plan(loaded: Any, rm: RiskMap, source: RiskMapSource, content: "Content", diags: "Diagnostics") -> None:
    from ..loader import safe_path

    has_shape = {z.id: z.outline() is not None for z in rm.zones}
    if rm.plan is None:
        for i, z in enumerate(rm.zones):
            pts = z.outline()
            if pts is None:
                diags.error(loaded, ("zones", i, "id"), f"区域“{z.name}”（{z.id}）没有图形：没有平面图时，请用 rect 或 polygon 给出相对位置（0–100）")
            elif any(not (0 <= v <= 100) for p in pts for v in p):
                diags.error(loaded, ("zones", i, "rect" if z.rect else "polygon"), f"区域“{z.name}”的坐标超出 0–100：没有平面图时坐标是相对图幅的百分比")
        return
    path = safe_path(content.root, rm.plan)
    if path is None:
        diags.error(loaded, ("plan",), f"平面图路径“{rm.plan}”指向企业目录之外（不允许 ../、绝对路径或外部符号链接）")
        return
    if not path.is_file():
        diags.error(loaded, ("plan",), f"平面图文件“{rm.plan}”不存在")
        return
    suffix = path.suffix.lower()
    source.plan_path, source.plan_display = path, _display(path)
    if suffix in (".png", ".jpg", ".jpeg"):
        size = image_size(path)
        if size is None:
            diags.error(loaded, ("plan",), f"平面图“{rm.plan}”不是可读的 PNG 或 JPEG 图片")
            return
        source.plan_kind = "image"
        width, height = size
        for i, z in enumerate(rm.zones):
            pts = z.outline()
            if pts is None:
                diags.error(loaded, ("zones", i, "id"), f"区域“{z.name}”（{z.id}）没有图形：PNG/JPG 平面图上的区域请用 polygon 或 rect 按像素坐标标出")
            elif any(not (0 <= x <= width and 0 <= y <= height) for x, y in pts):
                diags.error(loaded, ("zones", i, "rect" if z.rect else "polygon"), f"区域“{z.name}”的坐标超出平面图范围（{width}×{height} 像素）")
        return
    if suffix != ".svg":
        diags.error(loaded, ("plan",), f"平面图“{rm.plan}”应为 SVG、PNG 或 JPG 文件")
        return
    try:
        plan = parse_svg(path.read_bytes())
    except SvgRejected as exc:
        diags.error(source.plan_display, (), exc.message, line_col=(exc.line, 1))
        diags.error(loaded, ("plan",), f"平面图“{rm.plan}”无法使用（见上一条）")
        return
    source.plan_kind = "svg"
    ids = find_ids(plan.root)
    layer = find_layer(plan.root, rm.zone_layer)
    wanted = {z.shape_id for z in rm.zones}
    if layer is None:
        diags.warning(loaded, ("zone_layer",), f"平面图中没有名为“{rm.zone_layer}”的图层（<g id=\"{rm.zone_layer}\">）：按 id 在全图查找区域图形，无法发现多余的区域图形")
    else:
        for child in layer:
            ident = child.get("id")
            if ident and ident not in wanted and local_name(child.tag) in SHAPE_TAGS:
                diags.warning(source.plan_display, ("id",), f"平面图区域图层中的图形 id“{ident}”没有对应的区域：请在 riskmap.yaml 的 zones 中增加 id: {ident} 的区域，或更正图形 id（现有区域：{'、'.join(sorted(wanted))}）", line_col=(plan.line_of(child), 1))
    for i, z in enumerate(rm.zones):
        elem = ids.get(z.shape_id)
        if elem is not None and local_name(elem.tag) not in SHAPE_TAGS:
            diags.error(loaded, ("zones", i, "id"), f"平面图中 id 为“{z.shape_id}”的元素是 <{local_name(elem.tag)}>，不是可填色的图形（rect、polygon、path、g 等）")
        elif elem is None and not has_shape[z.id]:
            diags.error(loaded, ("zones", i, "svg_id" if z.svg_id else "id"), f"区域“{z.name}”（{z.id}）没有图形：平面图 {rm.plan} 中没有 id 为“{z.shape_id}”的图形，也没有用 rect/polygon 给出位置")


def image_size(path: Path) -> tuple[int, int] | None:
    try:
        from PIL import Image

        with Image.open(path) as img:
            if img.format not in ("PNG", "JPEG"):
                return None
            return img.size
    except Exception:  # noqa: BLE001 - any unreadable image is reported as such
        return None


def load_hook(files: dict, content: "Content", diags: "Diagnostics") -> None:
    """Store riskmap.yaml in content.extras["riskmap"] and check its references."""
    loaded_files = files.get("riskmap") or []
    if not loaded_files:
        return
    loaded = loaded_files[0]
    rm: RiskMap = loaded.model
    zone_where = {z.id: loaded.where("zones", i, "id") for i, z in enumerate(rm.zones)}
    source = RiskMapSource(rm, loaded.display, zone_where)

    seen: dict[str, int] = {}
    for i, z in enumerate(rm.zones):
        if z.id in seen:
            line = loaded.where("zones", seen[z.id], "id")[0]
            diags.error(loaded, ("zones", i, "id"), f"区域编号“{z.id}”重复（已在第 {line} 行使用）")
        else:
            seen[z.id] = i
    numbers: dict[int, str] = {}
    for i, z in enumerate(rm.zones):
        n = rm.numbers()[z.id]
        if n in numbers and numbers[n] != z.id:
            diags.error(loaded, ("zones", i, "number"), f"图上编号 {n} 重复（区域“{numbers[n]}”已使用）")
        numbers.setdefault(n, z.id)

    risk_ids = {r.id for r in content.risk_points}
    zone_ids = set(seen)
    for i, z in enumerate(rm.zones):
        for j, rid in enumerate(z.risk_points):
            if rid not in risk_ids:
                diags.error(loaded, ("zones", i, "risk_points", j), f"风险点“{rid}”不在安全风险点名册中")
    for j, rid in enumerate(rm.offsite):
        if rid not in risk_ids:
            diags.error(loaded, ("offsite", j), f"风险点“{rid}”不在安全风险点名册中")
    for f in files.get("risks", []):
        for i, r in enumerate(getattr(f.model, "risk_points", None) or []):
            line, col = f.where("risk_points", i, "id")
            source.point_where.setdefault(r.id, (f.display, line, col))
            if r.zone is not None and r.zone not in zone_ids:
                diags.error(f, ("risk_points", i, "zone"), f"区域“{r.zone}”不在四色安全风险空间分布图（{loaded.display}）中（可用：{'、'.join(sorted(zone_ids))}）")

    _check_plan(loaded, rm, source, content, diags)
    content.extras["riskmap"] = source
    content.sources["riskmap"] = loaded.display


def check_gaps(content: "Content", diags: "Diagnostics") -> None:
    """`anquan check`: zones without an assessed risk and risk points on no zone are gaps."""
    source: RiskMapSource | None = content.extras.get("riskmap")  # type: ignore[assignment]
    if source is None:
        return
    rm = source.model
    points = zone_points(content, source)
    numbers = rm.numbers()
    for z in rm.zones:
        if not points.get(z.id):
            diags.warning(source.display, ("zones",), f"区域“{z.name}”（图上 {numbers[z.id]} 号）没有已评估的风险点，图上以斜线表示：请辨识评估该区域的风险，并在风险点中填写 zone: {z.id}", line_col=source.zone_where.get(z.id))
    placed = {r.id for pts in points.values() for r in pts} | set(rm.offsite)
    for r in content.risk_points:
        if r.id not in placed:
            where = source.point_where.get(r.id)
            display = where[0] if where else content.sources.get(f"risk:{r.id}", source.display)
            diags.warning(display, ("zone",), f"风险点“{r.name}”（{r.id}）不在四色安全风险空间分布图的任何区域中：请填写 zone（可用：{'、'.join(z.id for z in rm.zones)}），场外作业请列入 riskmap.yaml 的 offsite", line_col=(where[1], where[2]) if where else None)


def register() -> None:
    from ..check import register_check
    from ..loader import FileKind, register_kind

    register_kind(FileKind("riskmap", "四色安全风险空间分布图", RiskMap, None, "riskmap"), load_hook)
    register_check(check_gaps)


register()

__all__ = [
    "LevelColours", "Rect", "RiskMap", "RiskMapSource", "SvgPlan", "SvgRejected", "Zone",
    "check_gaps", "find_ids", "find_layer", "load_hook", "parse_svg", "zone_level", "zone_points",
]
