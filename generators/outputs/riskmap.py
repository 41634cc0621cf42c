"""四色安全风险空间分布图 and 安全风险公告栏 (the output "riskmap").

Outputs under build/<id>/riskmap/:
- riskmap.svg   the map figure (plan, coloured zones, numbers, level names, north arrow,
                legend) with a title band; the same figure the site and the handbook inline;
- riskmap.pdf   A3 (or A1) landscape wall sheet: the figure beside the zone table (Typst,
                site_templates/typst/sheet.typ);
- boards.pdf    安全风险公告栏, one A3 page per zone, then one per off-site board (risks on no
                zone, posted where the post reports); what they say and their layout are
                `generators.outputs.riskmap_boards` (Typst, site_templates/typst/board.typ).

Every zone is coloured by the highest level among its risk points (就高原则), so the map
follows the 安全风险点名册 on every build; the plan itself is drawn in greys, so that only
zones carry colour. The plan's geometry and sanitising are `generators.render.svg`; its safe
reading is `generators.load.images`. 编制/审核/批准 come from riskmap.yaml (批准 falling back
to the latest revision's approver); a missing name leaves a line for the hand signature.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from markupsafe import Markup

from ..load.images import PLAN, SHAPE_TAGS, find_ids, local_name, passed, passed_svg
from ..model import Content, RiskPoint, zh_date
from ..model.levels import LEVELS, Levels
from ..model.riskmap import RiskMap, RiskMapSource, zone_level, zone_points
from ..render import typst, weasy
from ..render.fonts import fonts
from ..render.svg import (
    ancestors_matrix,
    element_points,
    greyscale,
    ink_on,
    label_point,
    sanitise,
    text_em,
    viewbox,
)
from ..rules import RiskLevel
from . import riskmap_boards as rb
from .base import BuildContext, Job, Output
from .signs import resolve as resolve_sign

SHEET_TEMPLATES = ["typst/sheet.typ", "typst/common.typ", "riskmap/figure.svg"]
BOARD_TEMPLATES = ["typst/board.typ", "typst/common.typ", "riskmap/figure.svg", "signs"]
SVG_TEMPLATES = ["riskmap/standalone.svg", "riskmap/figure.svg"]

FIG_W = 1000.0  # figure width in figure units
FIG_MARGIN = 8.0
LEGEND_H = 64.0
LABEL_MIN, LABEL_MAX = 10.0, 24.0  # label font size range, figure units
PAPER = {"A3": (420, 297), "A1": (841, 594)}
def level_meaning(levels: Levels) -> dict[RiskLevel, str]:
    """Who manages each risk level, in the enterprise's words for its levels."""
    company, workshop, team, post = levels.names
    middle = "车间（部门）" if workshop == "车间" else workshop
    return {
        RiskLevel.MAJOR: f"重大风险：不可接受，{company}主要负责人管控，立即采取措施降低风险",
        RiskLevel.SIGNIFICANT: f"较大风险：{company}（分管负责人）和{workshop}管控，制定专项管控方案",
        RiskLevel.GENERAL: f"一般风险：{middle}和{team}管控，落实管控措施",
        RiskLevel.LOW: f"低风险：{team}和{post}管控，保持现有措施",
    }




# ---------------------------------------------------------------- data


@dataclass
class Frame:
    """Where the plan goes in the figure: plan coordinates -> figure units."""

    vx: float
    vy: float
    vw: float
    vh: float
    kind: str  # "svg", "image" or "schematic"

    @property
    def scale(self) -> float:
        return (FIG_W - 2 * FIG_MARGIN) / self.vw

    @property
    def height(self) -> float:
        return self.vh * self.scale

    @property
    def fig_h(self) -> float:
        return FIG_MARGIN + self.height + 10 + LEGEND_H + FIG_MARGIN


def _dedup(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _point_dict(r: RiskPoint, colours: Any, levels: Levels) -> dict[str, Any]:
    fill = colours.of(r.level)
    return {
        "fill": fill,
        "ink": ink_on(fill),
        "id": r.id,
        "code": r.code or "",
        "name": r.name,
        "kind": r.kind,
        "level": r.level.value,
        "level_zh": r.level.zh,
        "level_label": r.level.label,
        "css": r.level.css,
        "score": r.assessment.formula,
        "hazards": list(r.hazards),
        "accidents": list(r.accidents),
        "controls": [[zh, list(items)] for zh, items in r.controls.groups()],
        "control_level": levels.word(r.control_level),
        "responsible": r.responsible or "",
    }


def zone_data(content: Content, source: RiskMapSource) -> list[dict[str, Any]]:
    """JSON-able zones with their level (就高原则), colour and risk points, highest first."""
    rm = source.model
    numbers = rm.numbers()
    points = zone_points(content, source)
    levels = content.levels
    out = []
    for z in rm.zones:
        pts = sorted(points.get(z.id, []), key=lambda r: (-r.level, r.id))
        level = zone_level(pts)
        fill = rm.colours.of(level)
        ctrl: dict[str, list[str]] = {}
        for r in pts:
            for zh, items in r.controls.groups():
                if zh != "应急处置措施":
                    ctrl.setdefault(zh, []).extend(items)
        out.append({
            "id": z.id,
            "number": numbers[z.id],
            "name": z.name,
            "responsible": z.responsible,
            "phone": z.phone,
            "description": z.description,
            "signs": [resolve_sign(s) for s in z.signs],
            "level": level.value if level else None,
            "level_zh": level.zh if level else "未评估",
            "level_label": level.label if level else "未评估（斜线）",
            "colour_zh": level.colour_zh if level else "",
            "css": level.css if level else "none",
            "fill": fill,
            "ink": ink_on(fill) if level else "#000000",
            "main_hazards": _dedup([h for r in pts for h in r.hazards[:1]])[:3],
            "hazards": _dedup([h for r in pts for h in r.hazards]),
            "accidents": _dedup([a for r in pts for a in r.accidents]),
            "controls": [[zh, _dedup(items)] for zh, items in ctrl.items()],
            "emergency": _dedup([*z.emergency, *(e for r in pts for e in r.controls.emergency)]),
            "control_levels": _dedup([levels.word(r.control_level) for r in sorted(pts, key=lambda r: LEVELS.index(r.control_level))]),
            "points": [_point_dict(r, rm.colours, levels) for r in pts],
        })
    return out


def _digest(path: Path | None) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path and path.is_file() else None


def sheet_data(content: Content) -> dict[str, Any] | None:
    """Everything the map outputs are made from (JSON-able: it is also the build key)."""
    source: RiskMapSource | None = content.extras.get("riskmap")  # type: ignore[assignment]
    if source is None:
        return None
    rm = source.model
    ent = content.enterprise
    zones = zone_data(content, source)
    counts = {lvl: sum(1 for z in zones if z["level"] == lvl.value) for lvl in sorted(RiskLevel, reverse=True)}
    offsite = [r for r in content.risk_points if r.id in set(rm.offsite)]
    # the map's date: the latest approved revision of riskmap.yaml or of the risk register it is
    # coloured from; with none recorded it carries no date, only a small 生成日期
    revised = max((r.date for r in [*rm.revisions, *content.risk_revisions]), default=None)
    out = {
        "model": rm.model_dump(mode="json"),
        "title": rm.title,
        "enterprise": ent.name,
        "short_name": ent.short_name,
        "agency": ent.key_people.safety_agency.name,
        "date": revised.isoformat() if revised else "",
        "date_zh": zh_date(revised) if revised else "",
        "made_zh": zh_date(content.build_date),
        "paper": rm.paper,
        "plan_kind": source.plan_kind or "schematic",
        "plan_sha": _digest(source.plan_path),
        "zones": zones,
        "legend": [
            {"level": lvl.value, "colour_zh": lvl.colour_zh, "zh": lvl.zh, "fill": rm.colours.of(lvl), "ink": ink_on(rm.colours.of(lvl)),
             "meaning": level_meaning(content.levels)[lvl], "zones": counts[lvl]}
            for lvl in sorted(RiskLevel, reverse=True)
        ],
        "unassessed": sum(1 for z in zones if z["level"] is None),
        "hatch": rm.colours.unassessed,
        "offsite": [_point_dict(r, rm.colours, content.levels) for r in sorted(offsite, key=lambda r: (-r.level, r.id))],
        "point_count": len(content.risk_points),
        "point_levels": [{"zh": lvl.zh, "count": n} for lvl, n in content.level_counts().items()],
        "phones": [{"name": p.name, "number": p.number} for p in ent.emergency_phones],
        "prepared_by": rm.prepared_by or ent.key_people.safety_agency.name,
        "approved_by": rm.approved_by,
        "signoff": signoff(content, rm),
        "note": rm.note,
        "north": rm.north,
        "profile": ent.settings.risk_profile.name,
    }
    out["boards"] = rb.boards(content, source, out, lambda r: _point_dict(r, rm.colours, content.levels))
    return out


def _names_a_person(content: Content, name: str) -> bool:
    """False for a department's or the safety agency's name (a unit signs by hand)."""
    units = {d.name for d in content.enterprise.departments} | {content.enterprise.key_people.safety_agency.name, content.enterprise.name}
    return name.strip() not in units


def signoff(content: Content, rm: RiskMap) -> list[dict[str, Any]]:
    """编制 / 审核 / 批准 as riskmap.yaml gives them (批准 falls back to the latest revision's
    批准人); a missing name, or a unit's name, leaves a line for the hand signature."""
    latest = max(rm.revisions, key=lambda r: r.date, default=None)
    approved = rm.approved_by or (latest.approved_by if latest else None)
    rows = [("编制", rm.prepared_by), ("审核", rm.reviewed_by), ("批准", approved)]
    return [{"role": role, "name": name or "", "line": not name or not _names_a_person(content, name)} for role, name in rows]


# ---------------------------------------------------------------- the figure


@dataclass
class Drawing:
    frame: Frame
    plan: Markup  # the sanitised SVG plan's content ("" otherwise)
    outlines: dict[str, list[tuple[float, float]]]  # zone id -> outline in plan coordinates
    from_plan: set[str]  # zones drawn by the plan's own shapes (coloured in place)
    image: dict[str, Any] | None = None  # a raster plan, embedded


def _drawing(source: RiskMapSource, styles: dict[str, dict[str, Any]], interactive: bool) -> Drawing:
    """The plan's frame and markup and every zone's outline; zone shapes of an SVG plan are
    filled in place from `styles` (zone id -> colour data)."""
    rm = source.model
    outlines = {z.id: pts for z in rm.zones if (pts := z.outline()) is not None}
    if source.plan_kind == "image" and source.plan_path is not None:

        info = passed(source.plan_path, PLAN)
        w, h = info.width, info.height
        uri = "data:image/png;base64," + base64.b64encode(_grey_png(source.plan_path)).decode("ascii")
        return Drawing(Frame(0, 0, w, h, "image"), Markup(""), outlines, set(), {"href": uri, "width": w, "height": h})
    if source.plan_kind == "svg" and source.plan_path is not None:
        plan = passed_svg(source.plan_path, PLAN)
        frame = Frame(*viewbox(plan.root), "svg")
        stroke = f"{1.3 / frame.scale:.4g}"
        ids = find_ids(plan.root)
        from_plan: set[str] = set()
        for z in rm.zones:
            elem = ids.get(z.shape_id)
            if elem is not None and local_name(elem.tag) in SHAPE_TAGS:
                pts = element_points(elem, ancestors_matrix(plan.root, elem))
                if pts:
                    outlines[z.id] = pts
                    from_plan.add(z.id)
                    elem.set("data-rm-zone", z.id)
        sanitise(plan.root)
        greyscale(plan.root)  # only the zones carry colour: a light-blue pool must not read as 蓝·低风险
        parents = {child: parent for parent in plan.root.iter() for child in parent}
        for elem in list(plan.root.iter()):
            zid = elem.get("data-rm-zone")
            if zid in styles:
                _style_zone(elem, {**styles[zid], "stroke": stroke}, rm)
                if interactive:
                    parent = parents[elem]
                    link = ET.Element("a", {"href": f"#rz-{zid}", "class": "rm-link"})
                    parent.insert(list(parent).index(elem), link)
                    parent.remove(elem)
                    link.append(elem)
        markup = Markup("".join(ET.tostring(child, encoding="unicode") for child in plan.root))
        return Drawing(frame, markup, outlines, from_plan)
    scaled = {k: [(x * rm.aspect, y) for x, y in v] for k, v in outlines.items()}
    return Drawing(Frame(0, 0, 100 * rm.aspect, 100, "schematic"), Markup(""), scaled, set())


def _grey_png(path: Path) -> bytes:
    """A raster plan in greys (only the zones drawn over it carry colour)."""
    import io

    from PIL import Image

    with Image.open(path) as im:
        buf = io.BytesIO()
        im.convert("L").save(buf, format="PNG", optimize=False)
    return buf.getvalue()


def _style_zone(elem: ET.Element, zone: dict[str, Any], rm: RiskMap) -> None:
    """Fill a plan's zone shape (and every shape inside a zone group) with its level colour."""
    hatched = zone["level"] is None
    elem.set("class", f"rm-zone rm-{zone['css']}")
    del elem.attrib["data-rm-zone"]
    elem.set("data-zone", zone["id"])
    for e in elem.iter():
        if local_name(e.tag) in SHAPE_TAGS - {"g"}:
            kept = [s for s in (e.get("style") or "").split(";") if s.strip() and s.split(":", 1)[0].strip() not in ("fill", "fill-opacity", "opacity", "stroke", "stroke-width")]
            if kept:
                e.set("style", ";".join(kept))
            else:
                e.attrib.pop("style", None)
            e.set("fill", zone["fill_ref"] if hatched else zone["fill"])
            e.set("fill-opacity", "1" if hatched or zone.get("faded") else f"{rm.fill_opacity:g}")
            e.set("stroke", "#1A1A1A")
            e.set("stroke-width", zone["stroke"])


def _labels(zone: dict[str, Any], pts: list[tuple[float, float]], frame: Frame, at: tuple[float, float] | None) -> dict[str, Any]:
    """Label geometry in figure units: number badge, name, level name, fitted to the zone."""
    s = frame.scale
    fig = [((x - frame.vx) * s + FIG_MARGIN, (y - frame.vy) * s + FIG_MARGIN) for x, y in pts]
    xs, ys = [p[0] for p in fig], [p[1] for p in fig]
    bw, bh = max(xs) - min(xs), max(ys) - min(ys)
    if at is not None:
        cx, cy = (at[0] - frame.vx) * s + FIG_MARGIN, (at[1] - frame.vy) * s + FIG_MARGIN
    else:
        cx, cy = label_point(fig)
    name_em = text_em(zone["name"]) + 1.6  # badge and gap
    level_em = text_em(zone["map_label"]) * 0.85
    font = min(LABEL_MAX, bw * 0.92 / (max(name_em, level_em, 1) + 0.8), bh * 0.8 / 2.6)
    compact = font < LABEL_MIN
    if compact:
        font = LABEL_MIN
        fits_name = bw * 0.95 >= (text_em(zone["name"]) + 1.6) * font * 0.85 and bh >= font * 1.3
        return {"x": round(cx, 2), "y": round(cy, 2), "font": font, "compact": True, "show_name": fits_name,
                "name_font": round(font * 0.85, 2), "r": round(font * 0.72, 2),
                "outline": " ".join(f"{x:.2f},{y:.2f}" for x, y in fig)}
    name_w = text_em(zone["name"]) * font
    r = font * 0.72
    total = 2 * r + font * 0.3 + name_w
    return {
        "x": round(cx, 2), "y": round(cy, 2), "font": round(font, 2), "compact": False, "show_name": True,
        "r": round(r, 2),
        "badge_x": round(cx - total / 2 + r, 2),
        "name_x": round(cx - total / 2 + 2 * r + font * 0.3, 2),
        "line1_y": round(cy - font * 0.25, 2),
        "line2_y": round(cy + font * 1.05, 2),
        "level_font": round(font * 0.85, 2),
        "plate_w": round(max(total, level_em * font) + font * 0.8, 2),
        "plate_h": round(font * 2.6, 2),
        "outline": " ".join(f"{x:.2f},{y:.2f}" for x, y in fig),
    }


def figure_svg(content: Content, data: dict[str, Any] | None = None, *, interactive: bool = False, highlight: str | None = None, uid: str = "rm") -> Markup:
    return _figure(content, data, interactive=interactive, highlight=highlight, uid=uid)[0]


def _figure(content: Content, data: dict[str, Any] | None = None, *, interactive: bool = False, highlight: str | None = None, uid: str = "rm") -> tuple[Markup, float]:
    """The map figure as one <svg> element (inline in HTML, or the body of riskmap.svg).

    `interactive` wraps each zone in a link to #rz-<zone-id> (site page); `highlight` leaves
    every other zone white (the locator on a bulletin board). `uid` prefixes the figure's own
    ids so that several figures can share a page.
    """
    source: RiskMapSource = content.extras["riskmap"]  # type: ignore[assignment]
    data = data or sheet_data(content)
    assert data is not None
    styles: dict[str, dict[str, Any]] = {}
    for z in data["zones"]:
        faded = bool(highlight) and z["id"] != highlight
        style = {**z, "fill_ref": f"url(#{uid}-hatch)", "faded": faded, "map_label": z["level_label"] if z["level"] else "未评估"}
        if faded:
            style.update(level=0, fill="#FFFFFF", ink="#000000", css="other")
        styles[z["id"]] = style
    drawing = _drawing(source, styles, interactive)
    frame = drawing.frame
    zone_model = {z.id: z for z in source.model.zones}
    drawn = []
    for zid, style in styles.items():
        pts = drawing.outlines.get(zid)
        if not pts:
            continue
        at = zone_model[zid].label_at
        if at is not None and frame.kind == "schematic":
            at = (at[0] * source.model.aspect, at[1])
        drawn.append({**style, "label": _labels(style, pts, frame, at), "draw_shape": zid not in drawing.from_plan})
    fig_h = round(frame.fig_h if not highlight else frame.height + 2 * FIG_MARGIN, 2)
    return Markup(weasy.environment().get_template("riskmap/figure.svg").render(
        uid=uid, d=data, zones=drawn, frame=frame, plan=drawing.plan, image=drawing.image, interactive=interactive,
        highlight=highlight, fig_w=FIG_W, fig_h=fig_h, margin=FIG_MARGIN,
        plan_transform=f"translate({FIG_MARGIN} {FIG_MARGIN}) scale({frame.scale:.6g}) translate({-frame.vx:g} {-frame.vy:g})",
        legend_y=round(FIG_MARGIN + frame.height + 10, 2), legend_h=LEGEND_H,
        north=None if highlight else data["north"], north_x=FIG_W - FIG_MARGIN - 40, north_y=round(FIG_MARGIN + frame.height + 10 + LEGEND_H / 2 + 4, 2),
        schematic=frame.kind == "schematic",
    )), fig_h


# ---------------------------------------------------------------- jobs


def board_pages(content: Content, data: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The boards with their layout (body size, sign size, the two columns) and the locator
    figure (SVG markup) of each zone a board points at."""
    locators: dict[str, str] = {}
    ratios: dict[str, float] = {}
    for zid in dict.fromkeys(b["locator"] for b in data["boards"] if b["locator"]):
        figure, fig_h = _figure(content, data, highlight=zid, uid=f"rm-{zid}")
        locators[zid], ratios[zid] = str(figure), fig_h / FIG_W
    pages = [{**b, **rb.layout(b, ratios.get(b["locator"] or "", 0.0))} for b in data["boards"]]
    return pages, locators


def _spilled_boards(pdf: bytes, boards: list[dict[str, Any]]) -> list[int]:
    """The boards (indexes) that ran onto a second page, from the pages their bookmarks (one per
    board, its name) point at."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    starts = [reader.get_destination_page_number(o) for o in reader.outline if not isinstance(o, list)]
    if len(starts) != len(boards):
        return []
    ends = starts[1:] + [len(reader.pages)]
    return [i for i, (start, end) in enumerate(zip(starts, ends)) if end - start > 1]


LAYOUT_KEYS = ("font", "sign", "caption", "columns")


def render_boards_pdf(content: Content, data: dict[str, Any], pages: list[dict[str, Any]], locators: dict[str, str]) -> tuple[bytes, list[str]]:
    """boards.pdf (Typst, board.typ) and the ids of the boards that ran over their page.

    Each board is set as `rb.layout` estimated it; a board that still ran onto a second page (the
    estimate is conservative: rare) is set one size smaller (`rb.step_down`) and the set compiled again."""
    name = content.enterprise.name
    keep = ("id", "kind", "heading", "place", "locator_caption", "level", "level_zh", "colour_zh", "fill", "ink",
            "responsible", "phone", "control_levels", "signs")
    boards = [{**{k: b[k] for k in keep},
               "points": [{k: p[k] for k in ("fill", "ink", "level_zh", "code", "name")} for p in b["points"]],
               "locator_svg": locators[b["locator"]] if b["locator"] else None,
               "layout": {k: b[k] for k in LAYOUT_KEYS}} for b in pages]
    view = {k: data[k] for k in ("phones", "signoff", "date_zh", "enterprise", "agency", "made_zh")}
    steps = [dict(b) for b in pages]
    while True:
        rendered = typst.render("typst/board.typ", {"d": view, "boards": boards}, title=f"{name}安全风险公告栏",
                                date=content.build_date, author=name, font_set=fonts(content), subject="安全风险公告栏",
                                keywords=["安全风险公告栏"])
        spill = _spilled_boards(rendered.pdf, pages) if rendered.pages > len(pages) else []
        smaller = [i for i in spill if rb.step_down(steps[i])]
        if not smaller:
            break
        for i in smaller:
            boards[i]["layout"] = {k: steps[i][k] for k in LAYOUT_KEYS}
    return rendered.pdf, [pages[i]["id"] for i in spill]


def jobs(content: Content) -> list[Job]:
    data = sheet_data(content)
    if data is None:
        return []
    source: RiskMapSource = content.extras["riskmap"]  # type: ignore[assignment]
    sources = sorted({source.display, *(d for k, d in content.sources.items() if k.startswith("risk:"))} | ({source.plan_display} if source.plan_display else set()))
    fkey = fonts(content).key()
    name = content.enterprise.name

    def render_svg(dest: Path, ctx: BuildContext) -> None:
        figure, fig_h = _figure(content, data, uid="rm")
        dest.write_text(weasy.environment().get_template("riskmap/standalone.svg").render(d=data, figure=figure, fig_w=FIG_W, fig_h=fig_h), encoding="utf-8")

    def render_sheet(dest: Path, ctx: BuildContext) -> None:
        figure, fig_h = _figure(content, data, uid="rm")
        paper_w, paper_h = PAPER[data["paper"]]
        unit = paper_w / 420  # A1 is A3 scaled by two
        # the map column is 59 % of the text width; a tall plan is narrowed so that it fits the height
        map_w = min((paper_w - 20 * unit) * 0.59 - 4 * unit, 196 * unit * FIG_W / fig_h)
        dest.write_bytes(typst.render(
            "typst/sheet.typ", {"d": data, "figure": str(figure), "map_w": round(map_w, 1), "unit": unit},
            title=f"{name}{data['title']}", date=content.build_date, author=name, font_set=fonts(content),
            subject="安全风险分级管控", keywords=["四色安全风险空间分布图", "安全风险公告栏"]).pdf)

    def render_boards(dest: Path, ctx: BuildContext) -> None:
        pages, locators = board_pages(content, data)
        pdf, spill = render_boards_pdf(content, data, pages, locators)
        if spill:
            ctx.note(f"安全风险公告栏：{'、'.join(spill)} 的内容超过一页 A3，请精简其风险点的措施表述")
        dest.write_bytes(pdf)

    key = {"data": data, "fonts": fkey}
    return [
        Job("riskmap/riskmap.svg", "riskmap-svg", key, render_svg, templates=SVG_TEMPLATES, sources=sources),
        Job("riskmap/riskmap.pdf", "riskmap-pdf", {**key, "engine": typst.version()}, render_sheet, templates=SHEET_TEMPLATES, sources=sources),
        Job("riskmap/boards.pdf", "riskmap-boards", {**key, "engine": typst.version()}, render_boards, templates=BOARD_TEMPLATES, sources=sources),
    ]


def warm_up() -> None:
    weasy.environment().get_template("riskmap/figure.svg")
    typst.warm_up()


OUTPUT = Output("riskmap", ("riskmap-svg", "riskmap-pdf", "riskmap-boards"), jobs, warm_up)
