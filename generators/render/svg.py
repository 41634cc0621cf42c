"""SVG geometry and sanitising for drawn figures (the risk map): transforms, outline points,
label placement, readable ink on a fill, and a plan SVG stripped of anything active."""

from __future__ import annotations

import math
import re
from xml.etree import ElementTree as ET

from ..load.images import SvgRejected, local_name

Matrix = tuple[float, float, float, float, float, float]  # a b c d e f (SVG order)
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_NUM = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _mul(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + c * b2, b * a2 + d * b2, a * c2 + c * d2, b * c2 + d * d2, a * e2 + c * f2 + e, b * e2 + d * f2 + f)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return (a * x + c * y + e, b * x + d * y + f)


def parse_transform(text: str | None) -> Matrix:
    m = IDENTITY
    for name, args in re.findall(r"(matrix|translate|scale|rotate|skewX|skewY)\s*\(([^)]*)\)", text or ""):
        v = [float(x) for x in _NUM.findall(args)]
        if name == "matrix" and len(v) == 6:
            t = tuple(v)
        elif name == "translate" and v:
            t = (1, 0, 0, 1, v[0], v[1] if len(v) > 1 else 0)
        elif name == "scale" and v:
            t = (v[0], 0, 0, v[1] if len(v) > 1 else v[0], 0, 0)
        elif name == "rotate" and v:
            r = math.radians(v[0])
            cos, sin = math.cos(r), math.sin(r)
            t = (cos, sin, -sin, cos, 0, 0)
            if len(v) == 3:
                t = _mul(_mul((1, 0, 0, 1, v[1], v[2]), t), (1, 0, 0, 1, -v[1], -v[2]))
        elif name == "skewX" and v:
            t = (1, 0, math.tan(math.radians(v[0])), 1, 0, 0)
        elif name == "skewY" and v:
            t = (1, math.tan(math.radians(v[0])), 0, 1, 0, 0)
        else:
            continue
        m = _mul(m, t)  # type: ignore[arg-type]
    return m


def path_points(d: str) -> list[tuple[float, float]]:
    """End and control points of an SVG path (enough for a bounding box and a label spot)."""
    tokens = re.findall(r"[MmLlHhVvCcSsQqTtAaZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?", d or "")
    pts: list[tuple[float, float]] = []
    x = y = sx = sy = 0.0
    cmd = ""
    i = 0
    sizes = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "T": 2, "A": 7, "Z": 0}
    while i < len(tokens):
        tok = tokens[i]
        if tok.isalpha():
            cmd = tok
            i += 1
            if cmd in "Zz":
                x, y = sx, sy
                continue
        if not cmd or cmd in "Zz":
            i += 1
            continue
        n = sizes[cmd.upper()]
        args = tokens[i:i + n]
        if len(args) < n or any(a.isalpha() for a in args):
            break
        v = [float(a) for a in args]
        i += n
        rel = cmd.islower()
        up = cmd.upper()
        if up == "H":
            x = x + v[0] if rel else v[0]
        elif up == "V":
            y = y + v[0] if rel else v[0]
        else:
            coords = v[5:7] if up == "A" else v
            for k in range(0, len(coords), 2):
                px, py = coords[k], coords[k + 1]
                if rel:
                    px, py = px + x, py + y
                if k + 2 < len(coords):
                    pts.append((px, py))  # control point
                else:
                    x, y = px, py
        pts.append((x, y))
        if up == "M":
            sx, sy = x, y
            cmd = "l" if rel else "L"
    return pts


def _floats(elem: ET.Element, *names: str) -> list[float]:
    out = []
    for n in names:
        m = _NUM.match((elem.get(n) or "0").strip())
        out.append(float(m.group()) if m else 0.0)
    return out


def element_points(elem: ET.Element, m: Matrix) -> list[tuple[float, float]]:
    """Outline points of a shape (and of a group's shapes) in the plan's root coordinates."""
    m = _mul(m, parse_transform(elem.get("transform")))
    tag = local_name(elem.tag)
    local: list[tuple[float, float]] = []
    if tag == "rect":
        x, y, w, h = _floats(elem, "x", "y", "width", "height")
        local = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
    elif tag in ("polygon", "polyline"):
        v = [float(t) for t in _NUM.findall(elem.get("points") or "")]
        local = list(zip(v[0::2], v[1::2]))
    elif tag == "line":
        x1, y1, x2, y2 = _floats(elem, "x1", "y1", "x2", "y2")
        local = [(x1, y1), (x2, y2)]
    elif tag in ("circle", "ellipse"):
        cx, cy = _floats(elem, "cx", "cy")
        rx, ry = (_floats(elem, "r") * 2) if tag == "circle" else _floats(elem, "rx", "ry")
        local = [(cx + rx * math.cos(t * math.pi / 8), cy + ry * math.sin(t * math.pi / 8)) for t in range(16)]
    elif tag == "path":
        local = path_points(elem.get("d") or "")
    elif tag == "g":
        return [p for child in elem for p in element_points(child, m)]
    return [_apply(m, px, py) for px, py in local]


def ancestors_matrix(root: ET.Element, target: ET.Element) -> Matrix:
    """The combined transform of target's ancestors (not target's own)."""
    def walk(elem: ET.Element, m: Matrix) -> Matrix | None:
        for child in elem:
            if child is target:
                return m
            found = walk(child, _mul(m, parse_transform(child.get("transform"))))
            if found is not None:
                return found
        return None

    return walk(root, IDENTITY) or IDENTITY


def label_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Area centroid of a polygon when it lies inside it, else the centre of the bounding box."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    centre = ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-9:
        return centre
    c = (cx / (3 * area), cy / (3 * area))
    return c if _inside(c, points) else centre


def _inside(p: tuple[float, float], poly: list[tuple[float, float]]) -> bool:
    x, y = p
    inside = False
    for (x0, y0), (x1, y1) in zip(poly, poly[1:] + poly[:1]):
        if (y0 > y) != (y1 > y) and x < (x1 - x0) * (y - y0) / (y1 - y0) + x0:
            inside = not inside
    return inside


def text_em(text: str) -> float:
    """Width of a label in em: CJK and full-width characters 1 em, others about 0.58 em."""
    return sum(1.0 if ord(ch) > 0x2E80 else 0.58 for ch in text)


def _luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def ink_on(hex_colour: str) -> str:
    """Black or white text, whichever reads better on the fill."""
    return "#000000" if _luminance(hex_colour) > 0.22 else "#FFFFFF"


# ---------------------------------------------------------------- plan SVG, sanitised

DROP_TAGS = {
    "script", "foreignObject", "iframe", "object", "embed", "audio", "video", "canvas", "handler", "listener",
    "animate", "animateMotion", "animateTransform", "animateColor", "set", "discard", "metadata", "title", "desc",
}
SAFE_DATA = ("data:image/png;base64,", "data:image/jpeg;base64,", "data:image/jpg;base64,", "data:image/gif;base64,")
ID_PREFIX = "rmp-"


def _prefix_refs(text: str) -> str:
    return re.sub(r"url\(\s*(['\"]?)#([^)'\"\s]+)\1\s*\)", lambda m: f"url(#{ID_PREFIX}{m.group(2)})", text)


def _unsafe_css(text: str) -> bool:
    low = text.lower()
    return "@import" in low or "expression(" in low or "javascript:" in low or bool(re.search(r"url\(\s*['\"]?\s*(?!#)", low))


def _scope_css(text: str) -> str:
    """Keep simple `selector { declarations }` rules, scoped to the plan, ids prefixed; drop @-rules."""
    rules = []
    for selectors, body in re.findall(r"([^{}@]+)\{([^{}]*)\}", re.sub(r"/\*.*?\*/", "", text, flags=re.S)):
        scoped = []
        for sel in selectors.split(","):
            sel = sel.strip()
            if not sel or "@" in sel:
                continue
            sel = re.sub(r"#([A-Za-z_][\w-]*)", lambda m: f"#{ID_PREFIX}{m.group(1)}", sel)
            scoped.append(f".rm-plan {sel}")
        if scoped:
            rules.append(f"{', '.join(scoped)} {{{_prefix_refs(body)}}}")
    return "\n".join(rules)


def sanitise(root: ET.Element, namespaces: dict[str, str] | None = None) -> None:
    """Make a parsed plan inert and embeddable, in place.

    Removes scripts, foreign content, animation, event handlers, external links and unsafe
    styles; drops elements and attributes of other XML vocabularies (Inkscape, Sodipodi, RDF);
    prefixes every id (and every reference to one) so the plan cannot clash with the page.
    """
    namespaces = dict(namespaces or {})
    for k, v in root.attrib.items():
        if k.startswith("xmlns:"):
            namespaces[k[6:]] = v

    def clean(elem: ET.Element) -> None:
        for child in list(elem):
            tag = child.tag
            prefix = tag.split(":", 1)[0] if ":" in tag else None
            if prefix is not None and namespaces.get(prefix) == "http://www.w3.org/2000/svg":
                child.tag = tag = local_name(tag)
            if ":" in tag or tag in DROP_TAGS or child.get("xmlns", "http://www.w3.org/2000/svg") != "http://www.w3.org/2000/svg":
                elem.remove(child)
                continue
            if tag == "style":
                css = child.text or ""
                if _unsafe_css(css):
                    elem.remove(child)
                    continue
                child.text = _scope_css(css)
                child.attrib.clear()
                child[:] = []
                continue
            if tag == "a":
                child.tag = "g"
            attrs = dict(child.attrib)
            child.attrib.clear()
            for key, value in attrs.items():
                name = key.lower()
                if name.startswith("on") or name.startswith("xmlns") or name in ("target", "xml:base"):
                    continue
                if name in ("href", "xlink:href"):
                    if value.startswith("#"):
                        child.set("href", "#" + ID_PREFIX + value[1:])
                    elif value.replace(" ", "").replace("\n", "").lower().startswith(SAFE_DATA) and tag == "image":
                        child.set("href", value)
                    continue
                if ":" in key and not key.startswith("xml:"):
                    continue
                if name == "style" and _unsafe_css(value):
                    continue
                if name == "id":
                    value = ID_PREFIX + value
                child.set(key, _prefix_refs(value))
            clean(child)

    clean(root)


def viewbox(root: ET.Element) -> tuple[float, float, float, float]:
    vb = [float(x) for x in _NUM.findall(root.get("viewBox") or "")]
    if len(vb) == 4 and vb[2] > 0 and vb[3] > 0:
        return (vb[0], vb[1], vb[2], vb[3])
    units = {"mm": 3.7795, "cm": 37.795, "in": 96.0, "pt": 4 / 3, "pc": 16.0, "px": 1.0, "": 1.0}
    size = []
    for name in ("width", "height"):
        m = re.fullmatch(r"\s*([0-9.]+)\s*([a-z]*)\s*", root.get(name) or "")
        if not m or m.group(2) not in units:
            raise SvgRejected("SVG 平面图缺少 viewBox（或以 px/mm 表示的 width、height），无法确定坐标范围")
        size.append(float(m.group(1)) * units[m.group(2)])
    return (0.0, 0.0, size[0], size[1])


# ---------------------------------------------------------------- a plan in greys

_HEX = re.compile(r"#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})\b")
_RGB = re.compile(r"rgba?\(\s*([0-9.]+%?)\s*,\s*([0-9.]+%?)\s*,\s*([0-9.]+%?)\s*(,\s*[0-9.]+%?\s*)?\)", re.I)
# the named colours a plan drawn by hand is likely to use; the rest are left alone
_NAMED = {"red": "#FF0000", "orange": "#FFA500", "yellow": "#FFFF00", "blue": "#0000FF", "green": "#008000",
          "lightblue": "#ADD8E6", "skyblue": "#87CEEB", "lightgreen": "#90EE90", "cyan": "#00FFFF", "aqua": "#00FFFF",
          "gold": "#FFD700", "navy": "#000080", "purple": "#800080", "pink": "#FFC0CB", "brown": "#A52A2A"}
_COLOUR_ATTRS = ("fill", "stroke", "stop-color", "flood-color", "lighting-color", "color")


def grey_of(hex_colour: str) -> str:
    """The grey of the same lightness (relative luminance) as a colour."""
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    y = _luminance("#" + h)
    v = 12.92 * y if y <= 0.0031308 else 1.055 * y ** (1 / 2.4) - 0.055
    g = max(0, min(255, round(v * 255)))
    return f"#{g:02X}{g:02X}{g:02X}"


def _grey_text(text: str) -> str:
    def rgb(m: re.Match) -> str:
        parts = [float(p[:-1]) * 2.55 if p.endswith("%") else float(p) for p in m.groups()[:3]]
        return grey_of("#" + "".join(f"{max(0, min(255, round(p))):02X}" for p in parts))

    text = _RGB.sub(rgb, text)
    return _HEX.sub(lambda m: grey_of(m.group(0)), text)


def _grey_value(name: str, value: str) -> str:
    named = _NAMED.get(value.strip().lower()) if name in _COLOUR_ATTRS else None
    return grey_of(named) if named else _grey_text(value)


def _grey_declaration(decl: str) -> str:
    if ":" not in decl:
        return decl
    name, value = decl.split(":", 1)
    return f"{name}:{_grey_value(name.strip().lower(), value)}"


def greyscale(root: ET.Element, keep: set[ET.Element] | None = None) -> None:
    """Turn every colour of a plan into its grey, in place (attributes, inline styles, <style>).

    On a four-colour risk map only the zones carry colour: a pool drawn light blue or a lawn
    drawn green would read as a risk level. Elements in `keep` (and their content) are left alone."""
    keep = keep or set()

    def walk(elem: ET.Element) -> None:
        if elem in keep:
            return
        if local_name(elem.tag) == "style" and elem.text:
            elem.text = _grey_text(elem.text)
        for name in _COLOUR_ATTRS:
            value = elem.get(name)
            if value:
                elem.set(name, _grey_value(name, value))
        style = elem.get("style")
        if style:
            elem.set("style", ";".join(_grey_declaration(d) for d in style.split(";")))
        for child in elem:
            walk(child)

    walk(root)
