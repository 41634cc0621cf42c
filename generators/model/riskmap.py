"""四色安全风险空间分布图 (riskmap.yaml): the site plan, its zones and how they are drawn.

A zone's colour is not written here: it follows from the risk points inside it (就高原则),
so the map can never drift from the 安全风险点名册. This module holds the model and the
queries that tie zones to risk points; `generators.load.images` reads the plan safely,
`generators.load.hooks` checks riskmap.yaml and `generators.checks.riskmap` finds gaps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from ..rules import RiskLevel
from .base import Chars, Id, Model, Revised, ShortText, Text, bound

if TYPE_CHECKING:  # pragma: no cover
    from . import Content, RiskPoint

BOARD_PAGE = "每个区域的安全风险公告栏是一页 A3，张贴在区域入口，只列最要紧的内容"
MAP_ZONES = "区域都要在一张 A3（或 A1）分布图上填色并标出编号和名称，区域过多时图上无法辨认；请合并相邻的同类区域"
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
    emergency: list[Chars(200)] = Field(default_factory=list, max_length=10, description="本区域补充的应急处置措施（公告栏）", **bound(BOARD_PAGE))  # type: ignore[valid-type]
    signs: list[ShortText] = Field(default_factory=list, max_length=12, description="本区域设置的安全标志，如 禁止烟火、当心爆炸", **bound(BOARD_PAGE))
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


class OffsiteBoard(Model):
    """场外作业的安全风险公告栏: off-site risks (道路运输途中等) are on no zone of the map, so their
    board is posted where the post's people report (车队办公室、调度室)."""

    id: Id = Field(description="公告栏编号")
    name: ShortText = Field(description="公告栏名称，如 危货运输车队道路运输作业")
    department: Id | None = Field(default=None, description="部门编号：该部门的重大、较大场外风险点都列入本公告栏")
    risk_points: list[Id] = Field(default_factory=list, description="另外列入的风险点编号（场外风险点）")
    posted_in: Id | None = Field(default=None, description="张贴所在区域编号（人员报到、出车前集合的区域，如 调度大厅所在的办公楼）")
    place: ShortText | None = Field(default=None, description="张贴位置，如 办公楼一层调度大厅")
    responsible: ShortText | None = Field(default=None, description="责任人（姓名及职务）")
    phone: ShortText | None = Field(default=None, description="责任人联系电话")
    emergency: list[Chars(200)] = Field(default_factory=list, max_length=10, description="补充的应急处置措施", **bound(BOARD_PAGE))  # type: ignore[valid-type]
    signs: list[ShortText] = Field(default_factory=list, max_length=12, description="安全标志（不填则取相关岗位告知卡的安全标志）", **bound(BOARD_PAGE))


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
    offsite_boards: list[OffsiteBoard] = Field(
        default_factory=list, max_length=30,
        description="场外风险点的安全风险公告栏（张贴在岗位人员报到处）；不填则每个有重大、较大场外风险点的部门一块",
    )
    prepared_by: ShortText | None = Field(default=None, description="编制（姓名；只填部门时签字处留空）")
    reviewed_by: ShortText | None = Field(default=None, description="审核（姓名；不填则留空供手签）")
    approved_by: ShortText | None = Field(default=None, description="批准（姓名；不填则取最近一次修订记录的批准人）")
    note: Text | None = Field(default=None, description="图注说明")
    zones: list[Zone] = Field(min_length=1, max_length=200, description="区域", **bound(MAP_ZONES))

    def numbers(self) -> dict[str, int]:
        """Zone id -> its number on the map (given, else the position in the list)."""
        return {z.id: z.number if z.number is not None else i + 1 for i, z in enumerate(self.zones)}


# ---------------------------------------------------------------- queries


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


def offsite_boards(content: "Content", source: RiskMapSource | None = None) -> list[tuple[OffsiteBoard, list["RiskPoint"]]]:
    """The boards of risk points on no zone (场外作业), each with its points, highest first.

    A board in riskmap.yaml's offsite_boards takes the points it lists plus its department's
    重大/较大 ones; every other 重大/较大 point on no zone gets a board of its department, so
    that no such risk is missing from the 安全风险公告栏."""
    source = source or content.extras.get("riskmap")  # type: ignore[assignment]
    if source is None:
        return []
    rm = source.model
    placed = {r.id for pts in zone_points(content, source).values() for r in pts}
    loose = [r for r in content.risk_points if r.id not in placed]
    by_id = {r.id: r for r in loose}
    out: list[tuple[OffsiteBoard, list]] = []
    on_board: set[str] = set()
    for b in rm.offsite_boards:
        pts = [by_id[i] for i in b.risk_points if i in by_id]
        pts += [r for r in loose if b.department and r.department == b.department and r.level >= RiskLevel.SIGNIFICANT and r not in pts]
        on_board |= {r.id for r in pts}
        out.append((b, sorted(pts, key=lambda r: (-r.level, r.id))))
    missing: dict[str, list] = {}
    for r in loose:
        if r.level >= RiskLevel.SIGNIFICANT and r.id not in on_board:
            missing.setdefault(r.department, []).append(r)
    departments = {d.id: d for d in content.enterprise.departments}
    for dept_id, pts in missing.items():
        dept = departments.get(dept_id)
        name = dept.name if dept else dept_id
        board = OffsiteBoard(id=f"offsite-{dept_id}", name=name, department=dept_id, responsible=dept.head if dept else None)
        out.append((board, sorted(pts, key=lambda r: (-r.level, r.id))))
    return out
