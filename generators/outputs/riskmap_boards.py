"""安全风险公告栏 (boards.pdf of the output "riskmap"): what each board says and how it is laid out.

One A3 portrait page per zone of the map, and one per off-site board: risk points on no zone
(道路运输途中等) are posted where the post's people report (`model.riskmap.offsite_boards`), so
that every 重大/较大 risk is on a board.

The layout is computed here: the body text size is the largest that lets the board's content fill
its page (estimated from the amount of text), and the two text columns are balanced in Python and
set side by side. Typst sets the boards as estimated (site_templates/typst/board.typ); a board that
still ran onto a second page is set one size smaller (`step_down`) and compiled again. (WeasyPrint
took about 1.5 s of CPU per enterprise for the boards; Typst and this layout take about 0.15 s.)
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

from ..model import Content
from ..model.levels import LEVELS, Levels
from ..model.riskmap import RiskMapSource, offsite_boards
from ..render.svg import ink_on, text_em
from .signs import resolve as resolve_sign

# A3 portrait, margins 12 mm (the running footer sits in the 30 mm bottom margin): mm
PAGE_W, PAGE_H = 273.0, 378.0
COL_GAP = 8.0
COL_W = (PAGE_W - COL_GAP) / 2
INDENT = 1.2  # em: the hanging bullet of a list item
PT = 25.4 / 72
LINE = 1.4
HEAD_H = 33.0  # title band
LOCATOR_W = 92.0
FONTS = (24.0, 22.0, 20.0, 18.0, 17.0, 16.0, 15.0, 14.0, 13.0, 12.5, 12.0, 11.5, 11.0, 10.5, 10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0)
SIGN_SIZES = (48.0, 42.0, 36.0, 32.0, 28.0, 24.0, 20.0, 18.0)
MAX_SIGNS = 8  # signs taken from the posts' cards: one row
SIGN_MIN = 24.0  # mm: smaller signs only to keep the text readable
READABLE = 9.5  # pt: below this a board leaves the measures of its lesser points to the 告知卡
FILL = 0.985  # share of the page the estimate may use (the estimate is not exact)
COLUMN_FIT = 0.95  # measured: set text runs about 5 % shorter than the line count estimates


def _dedup(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def card_signs(content: Content, post_ids: list[str]) -> list[dict[str, Any]]:
    """The safety signs the posts' risk cards name, 禁止 → 警告 → 指令 → 提示, without repeats."""
    out: dict[str, dict[str, Any]] = {}
    groups: dict[str, list[dict[str, Any]]] = {}
    for pid in post_ids:
        card = content.cards.get(pid)
        if card is None:
            continue
        for kind, items in card.signs.groups():
            for name in items:
                groups.setdefault(kind, []).append(resolve_sign(name, kind))
    for kind in ("禁止", "警告", "指令", "提示"):
        for s in groups.get(kind, []):
            out.setdefault(s["text"], s)
    return list(out.values())[:MAX_SIGNS]


def _posts_by_weight(points: list[Any]) -> list[str]:
    """The points' posts, the most involved first (then in the order met)."""
    count: dict[str, int] = {}
    for r in points:
        for pid in r.posts:
            count[pid] = count.get(pid, 0) + 1
    return sorted(count, key=lambda p: -count[p])


def _body(points: list[dict[str, Any]], extra_emergency: list[str], floor: int = 0) -> dict[str, Any]:
    """The text of a board from its points (dicts of `riskmap._point_dict`); points below
    `floor` (a RiskLevel value) are left to the 告知卡 and the 名册."""
    shown = [p for p in points if p["level"] >= floor]
    ctrl: dict[str, list[str]] = {}
    emergency: list[str] = []
    for p in shown:
        for zh, items in p["controls"]:
            if zh == "应急处置措施":
                emergency += items
            else:
                ctrl.setdefault(zh, []).extend(items)
    return {
        "hazards": _dedup([h for p in shown for h in p["hazards"]]),
        "accidents": _dedup([a for p in shown for a in p["accidents"]]),
        "controls": [[zh, _dedup(items)] for zh, items in ctrl.items()],
        "emergency": _dedup([*extra_emergency, *emergency]),
        "omitted": len(points) - len(shown),
    }


def _control_levels(points: list[Any], levels: Levels) -> list[str]:
    return _dedup([levels.word(r.control_level) for r in sorted(points, key=lambda r: LEVELS.index(r.control_level))])


def boards(content: Content, source: RiskMapSource, data: dict[str, Any], point_dict: Any) -> list[dict[str, Any]]:
    """Every board, JSON-able: the zones' in map order, then the off-site ones."""
    rm = source.model
    zones = {z.id: z for z in rm.zones}
    by_id = {r.id: r for r in content.risk_points}
    out = []
    for z in data["zones"]:
        pts = [by_id[p["id"]] for p in z["points"]]
        signs = z["signs"] or card_signs(content, _posts_by_weight(pts))
        extra = list(zones[z["id"]].emergency)
        out.append({
            "id": z["id"], "kind": "zone", "heading": f"{z['number']}号区域　{z['name']}",
            "place": "", "locator": z["id"], "locator_caption": f"本区域在厂区中的位置（{z['number']}号）",
            **{k: z[k] for k in ("level", "level_zh", "colour_zh", "css", "fill", "ink", "responsible", "phone", "points")},
            "extra_emergency": extra, **_body(z["points"], extra), "control_levels": _control_levels(pts, content.levels),
            "signs": signs,
        })
    numbers = rm.numbers()
    for b, pts in offsite_boards(content, source):
        level = max((r.level for r in pts), default=None)
        fill = rm.colours.of(level)
        where = zones.get(b.posted_in) if b.posted_in else None
        place = " ".join(x for x in (f"{numbers[where.id]}号区域 {where.name}" if where else "", b.place or "") if x)
        posts = _posts_by_weight(pts)
        if b.department:  # the department's own posts first
            own = [p.id for p in content.posts if p.department == b.department]
            posts = [p for p in posts if p in own] + [p for p in posts if p not in own]
        out.append({
            "id": b.id, "kind": "offsite", "heading": f"场外作业　{b.name}",
            "place": place, "locator": where.id if where else None,
            "locator_caption": f"本公告栏张贴在{numbers[where.id]}号区域（{where.name}）" if where else "",
            "level": level.value if level else None, "level_zh": level.zh if level else "未评估",
            "colour_zh": level.colour_zh if level else "", "css": level.css if level else "none",
            "fill": fill, "ink": ink_on(fill) if level else "#000000",
            "responsible": b.responsible or "", "phone": b.phone,
            "points": [point_dict(r) for r in pts],
            "extra_emergency": list(b.emergency), **_body([point_dict(r) for r in pts], list(b.emergency)),
            "control_levels": _control_levels(pts, content.levels),
            "signs": [resolve_sign(s) for s in b.signs] or card_signs(content, posts),
        })
    return out


# ---------------------------------------------------------------- layout


# the fitting tries every size on the same texts: each text's width is measured once
_em = lru_cache(maxsize=8192)(text_em)


def _lines(text: str, font: float, width: float) -> int:
    per_line = width / (font * PT)
    return max(1, math.ceil(_em(text) * 1.02 / per_line))


def _entries(board: dict[str, Any]) -> list[dict[str, Any]]:
    """The text of the two columns as a flat list: headings, list items, tags."""
    out: list[dict[str, Any]] = []
    if board["hazards"]:
        out.append({"t": "h2", "text": "主要危险有害因素", "cls": ""})
        out += [{"t": "li", "text": h, "n": "•"} for h in board["hazards"]]
    if board["accidents"]:
        out.append({"t": "h2", "text": "可能导致的事故类型", "cls": ""})
        out.append({"t": "tags", "items": board["accidents"]})
    if board["controls"]:
        out.append({"t": "h2", "text": "管控措施", "cls": ""})
        for group, items in board["controls"]:
            out.append({"t": "h3", "text": group})
            out += [{"t": "li", "text": m, "n": "•"} for m in items]
    out.append({"t": "h2", "text": "应急处置措施", "cls": "emergency"})
    if board["emergency"]:
        out += [{"t": "li", "text": e, "n": f"{i}."} for i, e in enumerate(board["emergency"], 1)]
    else:
        out.append({"t": "p", "text": "发生事故或险情立即停止作业，撤离到安全地点，拨打下方应急电话报告。"})
    if board.get("omitted"):
        out.append({"t": "p", "text": f"另有 {board['omitted']} 个等级较低的风险点，其危险有害因素和管控措施见岗位安全风险告知卡和安全风险点名册。"})
    return out


def _height(e: dict[str, Any], font: float) -> float:
    fm = font * PT
    if e["t"] == "h2":
        return font * 1.2 * PT * 1.3 + 1.2 + 4.2
    if e["t"] == "h3":
        return fm * 1.3 + 1.3
    if e["t"] == "li":
        return _lines(e["text"], font, COL_W - INDENT * fm) * fm * LINE + 0.6
    if e["t"] == "tags":
        x, rows = 0.0, 1
        for a in e["items"]:
            w = _em(a) * fm + 4.7 + 1.5
            if x + w > COL_W and x > 0:
                rows, x = rows + 1, 0.0
            x += w
        return rows * (fm * LINE + 1.9)
    return _lines(e["text"], font, COL_W) * fm * LINE + 1.0


def _split(entries: list[dict[str, Any]], font: float) -> tuple[list[list[dict[str, Any]]], float]:
    """Two columns in reading order, as even as possible; a list cut between the columns
    repeats its heading with （续）. Returns the columns and the taller one's height."""
    heights = [_height(e, font) for e in entries]
    total = sum(heights)
    best: tuple[float, int, dict[str, Any] | None] = (total, len(entries), None)
    run = 0.0
    h2: dict[str, Any] | None = None
    for k in range(len(entries) + 1):
        if k > 0:
            run += heights[k - 1]
            if entries[k - 1]["t"] == "h2":
                h2 = entries[k - 1]
        if k < len(entries) and k > 0 and entries[k - 1]["t"] in ("h2", "h3"):
            continue  # a heading never ends a column
        cont = None
        if 0 < k < len(entries) and entries[k]["t"] != "h2" and h2 is not None:
            cont = {**h2, "text": h2["text"] + "（续）"}
        right = total - run + (_height(cont, font) if cont else 0.0)
        tall = max(run, right)
        if tall < best[0]:
            best = (tall, k, cont)
    tall, k, cont = best
    left, right_col = entries[:k], entries[k:]
    if cont is not None:
        right_col = [cont, *right_col]
    return [left, right_col], tall


def _facts_height(board: dict[str, Any], font: float, locator_h: float) -> float:
    fm = font * PT
    cell_w = PAGE_W - 26.0 - (LOCATOR_W + 4 if board["locator"] else 0) - 6
    rows = 20 * PT * 1.4 + 3.4  # 风险等级
    rows += fm * LINE + 3.4  # 管控层级
    if board["place"]:
        rows += _lines(board["place"], font, cell_w) * fm * LINE + 3.4
    rows += (2 if board["phone"] else 1) * fm * LINE + 3.4
    rows += sum(_lines(p["name"], font, cell_w - 17) * fm * LINE + 1.2 for p in board["points"]) or fm * LINE * 2
    rows += 3.4
    return max(rows, locator_h + 8.0 if board["locator"] else 0.0) + 3.0


def caption_pt(size: float) -> float:
    """The text under a sign grows with the sign."""
    return round(min(16.0, max(10.0, size * 0.42)), 1)


def _signs_height(signs: list[dict[str, Any]], size: float, font: float) -> float:
    if not signs:
        return 0.0
    per_row = max(1, int(PAGE_W // (size + 7)))
    cap = caption_pt(size)
    line = cap * PT * 1.25
    height = font * 1.2 * PT * 1.3 + 1.2 + 3.0
    for i in range(0, len(signs), per_row):
        lines = max(_lines(s["text"], cap, size + 6) + (_lines(s["note"], cap * 0.85, size + 6) if s["note"] else 0) for s in signs[i:i + per_row])
        height += size + 1.0 + lines * line + 2.0
    return height


def _fit(board: dict[str, Any], locator_h: float) -> tuple[float, float, list[list[dict[str, Any]]], float] | None:
    """The largest body size (and with it the largest sign size) that fits the page; signs
    under SIGN_MIN mm only when the text would otherwise drop below READABLE pt."""
    entries = _entries(board)
    budget = PAGE_H * FILL - HEAD_H
    found = None
    for smallest in (SIGN_MIN, SIGN_SIZES[-1]):
        for font in FONTS:
            if found and font <= found[0]:
                break
            columns, tall = _split(entries, font)
            tall *= COLUMN_FIT
            fixed = _facts_height(board, font, locator_h) + 2.0
            sizes = [s for s in SIGN_SIZES if smallest <= s <= max(smallest, font * 2.6)]
            fit = next(((font, size, columns, used) for size in sizes
                        if (used := fixed + tall + _signs_height(board["signs"], size, font)) <= budget), None)
            if fit:
                found = fit
                break
        if found and found[0] >= READABLE:
            break
    return found


def layout(board: dict[str, Any], locator_ratio: float) -> dict[str, Any]:
    """Body size, sign size and the two columns, chosen so that the board fills its page.

    A board too full to be read at READABLE pt keeps the names of its 低 (then 一般) risk points
    in the list but leaves their measures to the 告知卡 and the 名册 (the board lists what matters most)."""
    locator_h = LOCATOR_W * locator_ratio + 6.0
    body: dict[str, Any] = {}
    choice = None
    for floor in (0, 2, 3):
        if floor and not any(p["level"] < floor for p in board["points"]):
            continue
        body = _body(board["points"], board["extra_emergency"], floor)
        choice = _fit({**board, **body}, locator_h)
        if choice and choice[0] >= READABLE:
            break
    if choice is None:  # too much for one page even at the smallest size: the render will say so
        font, size = FONTS[-1], SIGN_SIZES[-1]
        columns, _ = _split(_entries({**board, **body}), font)
        choice = (font, size, columns, PAGE_H)
    font, size, columns, used = choice
    return {**body, "font": font, "sign": size, "caption": caption_pt(size), "columns": columns, "estimate": round((used + HEAD_H) / PAGE_H, 3)}


def step_down(board: dict[str, Any]) -> bool:
    """Set a board that ran onto a second page one size smaller; False when it is at the smallest."""
    smaller = [f for f in FONTS if f < board["font"]]
    if not smaller:
        return False
    entries = _entries(board)
    board["font"] = smaller[0]
    board["columns"], _ = _split(entries, smaller[0])
    board["sign"] = min(board["sign"], SIGN_SIZES[-3])
    board["caption"] = caption_pt(board["sign"])
    return True
