"""Images named by content, read safely: SVG site plans (no entities, no external files, bounded
size), and the size of PNG/JPEG rasters."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET
from xml.parsers import expat

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


def image_size(path: Path) -> tuple[int, int] | None:
    try:
        from PIL import Image

        with Image.open(path) as img:
            if img.format not in ("PNG", "JPEG"):
                return None
            return img.size
    except Exception:  # noqa: BLE001 - any unreadable image is reported as such
        return None
