"""Images named by content (seal, logo, site plan), read safely and measured before anything
decodes them: SVG (no entities, no external files, bounded size, element count and depth) and
rasters (format, dimensions and pixel count from the file header only: PNG IHDR, JPEG SOF, GIF,
WebP), each against the limits of its use. Nothing here decodes pixels."""

from __future__ import annotations

import base64
import binascii
import io
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO
from xml.etree import ElementTree as ET
from xml.parsers import expat

from ..diagnostics import BuildError
from ..paths import display

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


@dataclass(frozen=True)
class SvgLimits:
    max_bytes: int = MAX_SVG_BYTES
    max_elements: int = MAX_SVG_ELEMENTS
    max_depth: int = MAX_SVG_DEPTH


PLAN_SVG = SvgLimits()


def parse_svg(data: bytes, limits: SvgLimits = PLAN_SVG) -> SvgPlan:
    """Parse an SVG without ever expanding an entity or reading another file.

    Expat is driven directly (no namespace processing, so names stay as written and every
    element keeps its line). Any <!ENTITY> declaration (billion laughs, external entities)
    is refused outright, parameter entities and external DTDs are never read, and the size,
    element count and depth are bounded. What the tree may *do* when drawn (scripts, event
    handlers, external links) is removed later by the renderer's sanitiser.
    """
    if len(data) > limits.max_bytes:
        raise SvgRejected(f"SVG 文件过大（{_mb(len(data))}），上限 {_mb(limits.max_bytes)}")
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
        if holder["count"] > limits.max_elements:
            raise SvgRejected(f"SVG 元素超过 {limits.max_elements} 个，请在绘图软件中简化图形（合并路径、删除隐藏图层）", parser.CurrentLineNumber)
        if len(stack) >= limits.max_depth:
            raise SvgRejected(f"SVG 元素嵌套超过 {limits.max_depth} 层，请在绘图软件中取消多余的编组", parser.CurrentLineNumber)
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


# ---------------------------------------------------------------- measuring images by their headers


class ImageRejected(Exception):
    """An image refused before it is decoded; message (Chinese) and, for SVG, the line in it."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class ImageInfo:
    format: str  # PNG, JPEG, GIF, WEBP, BMP, TIFF or SVG
    width: int  # pixels (0 for SVG: a vector image has no pixel size)
    height: int
    size: int  # bytes

    @property
    def pixels(self) -> int:
        return self.width * self.height


@dataclass(frozen=True)
class ImageUse:
    """What an image is for and what that use needs at most."""

    name: str  # Chinese, as messages name the image: 印章图片
    formats: tuple[str, ...]
    max_side: int  # pixels, width and height each
    max_pixels: int
    max_bytes: int
    why: str  # why the limit suffices for the use (Chinese)
    svg: SvgLimits | None = None  # SVG accepted, with these limits

    def accepts(self) -> str:
        names = self.formats + (("SVG",) if self.svg else ())
        return names[0] if len(names) == 1 else "、".join(names[:-1]) + " 或 " + names[-1]


SEAL = ImageUse("印章图片", ("PNG", "JPEG"), 2000, 4_000_000, 5 * 1024 * 1024,
                "印章在公文上印成 42 mm 宽，2000 像素已相当于 1200 dpi")
LOGO = ImageUse("站点标志", ("PNG", "JPEG"), 1024, 1024 * 1024, 2 * 1024 * 1024,
                "标志显示在站点页眉和浏览器标签上，高不过几十像素",
                SvgLimits(max_bytes=2 * 1024 * 1024, max_elements=20_000, max_depth=50))
PLAN = ImageUse("平面图", ("PNG", "JPEG"), 12000, 100_000_000, 50 * 1024 * 1024,
                "最大的 A1 图幅按 300 dpi 印刷约为 9933×7016 像素（7000 万像素）",
                PLAN_SVG)
USES = (SEAL, LOGO, PLAN)
SUFFIX_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP", ".svg": "SVG",
                  ".bmp": "BMP", ".tif": "TIFF", ".tiff": "TIFF"}
EMBEDDED_PREFIXES = {"data:image/png;base64,": "PNG", "data:image/jpeg;base64,": "JPEG",
                     "data:image/jpg;base64,": "JPEG", "data:image/gif;base64,": "GIF"}
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_TRUNCATED = "文件头不完整（文件已截断或损坏），无法读出图片尺寸"


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n < 10 * 1024 * 1024 else f"{n // 1024 // 1024} MB"


def _pixels_zh(n: int) -> str:
    return f"{n / 100_000_000:.1f} 亿" if n >= 100_000_000 else f"{n / 10_000:.0f} 万"


def _read(fh: BinaryIO, n: int) -> bytes:
    data = fh.read(n)
    if len(data) < n:
        raise ImageRejected(_TRUNCATED)
    return data


def _jpeg_size(fh: BinaryIO) -> tuple[int, int]:
    """Walk the JPEG segments (seeking over their contents) to the first SOF marker."""
    for _ in range(10_000):
        byte = _read(fh, 1)
        if byte != b"\xff":
            raise ImageRejected("JPEG 文件结构损坏（段标记错误），无法读出图片尺寸")
        marker = _read(fh, 1)[0]
        while marker == 0xFF:  # fill bytes
            marker = _read(fh, 1)[0]
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            continue
        if marker in (0xD9, 0xDA):
            raise ImageRejected("JPEG 文件在图像数据之前没有给出尺寸（缺少 SOF 段）")
        (length,) = struct.unpack(">H", _read(fh, 2))
        if length < 2:
            raise ImageRejected("JPEG 文件结构损坏（段长度错误），无法读出图片尺寸")
        if marker in _SOF:
            _precision, height, width = struct.unpack(">BHH", _read(fh, 5))
            if height == 0:
                raise ImageRejected("JPEG 文件头没有给出图片高度（DNL 编码），请另存为普通 JPEG 或 PNG")
            return width, height
        fh.seek(length - 2, io.SEEK_CUR)
    raise ImageRejected("JPEG 文件结构异常（段过多），无法读出图片尺寸")


def _webp_size(head: bytes) -> tuple[int, int]:
    chunk = head[12:16]
    if chunk == b"VP8 " and len(head) >= 30:
        w, h = struct.unpack("<HH", head[26:30])
        return w & 0x3FFF, h & 0x3FFF
    if chunk == b"VP8L" and len(head) >= 25:
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X" and len(head) >= 30:
        return int.from_bytes(head[24:27], "little") + 1, int.from_bytes(head[27:30], "little") + 1
    raise ImageRejected(_TRUNCATED)


def read_header(fh: BinaryIO, size: int) -> ImageInfo:
    """Format and pixel size of an image from its header alone (never its pixels); format "" when
    the file is no image format known here."""
    head = fh.read(32)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        if len(head) < 24:
            raise ImageRejected(_TRUNCATED)
        if head[12:16] != b"IHDR":
            raise ImageRejected("PNG 文件结构损坏（第一个数据块不是 IHDR），无法读出图片尺寸")
        width, height = struct.unpack(">II", head[16:24])
        return ImageInfo("PNG", width, height, size)
    if head.startswith(b"\xff\xd8"):
        fh.seek(2)
        width, height = _jpeg_size(fh)
        return ImageInfo("JPEG", width, height, size)
    if head[:6] in (b"GIF87a", b"GIF89a"):
        if len(head) < 10:
            raise ImageRejected(_TRUNCATED)
        width, height = struct.unpack("<HH", head[6:10])
        return ImageInfo("GIF", width, height, size)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        width, height = _webp_size(head)
        return ImageInfo("WEBP", width, height, size)
    if head[:2] == b"BM" and len(head) >= 26:
        width, height = struct.unpack("<ii", head[18:26])
        return ImageInfo("BMP", abs(width), abs(height), size)
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return ImageInfo("TIFF", 0, 0, size)
    text = (head + fh.read(4096)).lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<") and b"<svg" in text.lower():
        return ImageInfo("SVG", 0, 0, size)
    return ImageInfo("", 0, 0, size)  # not an image format this tool knows


def _check_pixels(info: ImageInfo, use: ImageUse, what: str = "") -> None:
    """Dimensions and pixel count against the use's limits (what: e.g. “中嵌入的第 1 张图片”)."""
    if info.width <= 0 or info.height <= 0:
        raise ImageRejected(f"{what}的文件头给出的尺寸为 {info.width}×{info.height} 像素，不是有效的图片")
    if info.width > use.max_side or info.height > use.max_side:
        raise ImageRejected(f"{what}为 {info.width}×{info.height} 像素，超过{use.name}的上限 {use.max_side}×{use.max_side} 像素"
                            f"（{use.why}）；请缩小后再用")
    if info.pixels > use.max_pixels:
        raise ImageRejected(f"{what}共 {_pixels_zh(info.pixels)}像素（{info.width}×{info.height}），超过{use.name}的上限"
                            f" {_pixels_zh(use.max_pixels)}像素（{use.why}）；请缩小后再用")


def check_image(path: Path, use: ImageUse) -> ImageInfo:
    """Measure an image before anything decodes it: file size, format (and that it matches the file
    name), and for rasters the width, height and pixel count from the header; SVG is parsed within
    its limits and the rasters embedded in it are measured too. Raises ImageRejected."""
    size = path.stat().st_size
    suffix = path.suffix.lower()
    named = SUFFIX_FORMATS.get(suffix)
    limit = use.svg.max_bytes if (use.svg and named == "SVG") else use.max_bytes
    if size > limit:
        raise ImageRejected(f"文件大小 {_mb(size)}，超过{use.name}的上限 {_mb(limit)}（{use.why}）")
    if size == 0:
        raise ImageRejected("是空文件")
    with open(path, "rb") as fh:
        info = read_header(fh, size)
    allowed = use.formats + (("SVG",) if use.svg else ())
    if not info.format:
        raise ImageRejected(f"不是 {use.accepts()} 图片（文件内容不是图片，或是不支持的格式）")
    if info.format not in allowed:
        raise ImageRejected(f"是 {info.format} 图片，{use.name}只接受 {use.accepts()}；请另存为 {use.formats[0]}")
    if named != info.format:
        label = f"扩展名为“{suffix}”" if suffix else "没有扩展名"
        raise ImageRejected(f"{label}，但文件内容是 {info.format} 图片；请把扩展名改为 .{info.format.lower()}，或另存为正确的格式")
    if info.format == "SVG":
        check_svg_file(path, use)
        return info
    _check_pixels(info, use, "")
    return info


def check_svg_file(path: Path, use: ImageUse) -> SvgPlan:
    """Parse an SVG file within the use's limits (its size before it is read) and measure the
    rasters embedded in it. Raises ImageRejected (with the line in the SVG when there is one)."""
    assert use.svg is not None
    size = path.stat().st_size
    if size > use.svg.max_bytes:
        raise ImageRejected(f"文件大小 {_mb(size)}，超过{use.name}的上限 {_mb(use.svg.max_bytes)}（{use.why}）")
    try:
        plan = parse_svg(path.read_bytes(), use.svg)
    except SvgRejected as exc:
        raise ImageRejected(exc.message, exc.line) from None
    check_embedded(plan, use)
    return plan


def check_embedded(plan: SvgPlan, use: ImageUse) -> None:
    """Rasters embedded in an SVG as data: URIs are measured as if they were the file itself."""
    count = 0
    for elem in plan.root.iter():
        if local_name(elem.tag) != "image":
            continue
        href = next((v for k, v in elem.attrib.items() if local_name(k) == "href"), "")
        compact = href.replace(" ", "").replace("\n", "").replace("\r", "").replace("\t", "")
        prefix = next((p for p in EMBEDDED_PREFIXES if compact.lower().startswith(p)), None)
        if prefix is None:
            continue
        count += 1
        what = f"SVG 中嵌入的第 {count} 张图片"
        try:
            raw = base64.b64decode(compact[len(prefix):], validate=False)
        except (binascii.Error, ValueError):
            raise ImageRejected(f"{what}的 base64 编码损坏", plan.line_of(elem)) from None
        try:
            info = read_header(io.BytesIO(raw), len(raw))
            if info.format not in ("PNG", "JPEG", "GIF", "WEBP", "BMP"):
                raise ImageRejected(f"{what}不是 PNG、JPEG 或 GIF 图片")
            _check_pixels(info, use, what)
        except ImageRejected as exc:
            message = exc.message if exc.message.startswith(what) else f"{what}：{exc.message}"
            raise ImageRejected(message, plan.line_of(elem)) from None


def passed(path: Path, use: ImageUse) -> ImageInfo:
    """For renderers, just before they hand an image on: the same check as at load (header only,
    cheap), so that a file replaced after loading never reaches a decoder. Raises BuildError."""
    return _or_build_error(check_image, path, use)


def passed_svg(path: Path, use: ImageUse) -> SvgPlan:
    """As `passed`, for an SVG the renderer goes on to use: parsed once, within the use's limits."""
    return _or_build_error(check_svg_file, path, use)


def _or_build_error(check: Any, path: Path, use: ImageUse) -> Any:
    try:
        return check(path, use)
    except (ImageRejected, OSError) as exc:
        message = exc.message if isinstance(exc, ImageRejected) else (exc.strerror or str(exc))
        raise BuildError(f"{display(path)}：{use.name}{message}（文件在构建过程中被改动了？请重新构建）") from None


def guard_pillow() -> None:
    """Where Pillow decodes (WeasyPrint's images): no image larger than the largest use allows,
    and a decompression-bomb warning is an error, never a long decode."""
    import warnings

    from PIL import Image

    Image.MAX_IMAGE_PIXELS = max(u.max_pixels for u in USES)
    warnings.simplefilter("error", Image.DecompressionBombWarning)
