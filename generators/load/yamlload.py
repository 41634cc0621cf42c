"""Safe YAML loading that keeps the line and column of every value.

PyYAML's composer gives us a node tree with marks; we construct plain Python
data from it ourselves so that we can (a) record a position for every path,
(b) reject duplicate keys, which PyYAML silently overwrites, and (c) bound the
work an alias bomb or a deeply nested document can cause.
"""

from __future__ import annotations

import datetime as _dt
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..diagnostics import Diagnostic, dotted, os_reason

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 40

Path_ = tuple[Any, ...]


@dataclass
class Located:
    """Data of one YAML file plus the position of every path in it. Files of the same bytes share
    one Located (see load_file): treat it as read-only."""

    data: Any
    # path -> (line, column), 1-based, of the value; for mapping keys also the key
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path_) -> tuple[int, int]:
        """Best position for a path: the longest prefix that we know."""
        path = tuple(path)
        for n in range(len(path), -1, -1):
            prefix = path[:n]
            if prefix in self.positions:
                return self.positions[prefix]
        return (1, 1)

    def key_where(self, path: Path_) -> tuple[int, int]:
        path = tuple(path)
        if path in self.key_positions:
            return self.key_positions[path]
        return self.where(path)


class _Budget:
    def __init__(self) -> None:
        self.nodes = 0


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_STR = "tag:yaml.org,2002:str"
# PyYAML's constructors of the plain scalars are functions of the node alone (they keep nothing in
# the constructor), so they are called directly, without construct_object's per-node bookkeeping.
_SCALAR_CONSTRUCTORS = {
    "tag:yaml.org,2002:" + t: yaml.constructor.SafeConstructor.yaml_constructors["tag:yaml.org,2002:" + t]
    for t in ("str", "int", "float", "bool", "null", "timestamp")
}
_SCALAR_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _construct_scalar(node: yaml.ScalarNode) -> Any:
    if type(node) is yaml.ScalarNode:
        if node.tag == _STR:
            return node.value  # SafeConstructor.construct_yaml_str
        construct = _SCALAR_CONSTRUCTORS.get(node.tag)
        if construct is not None:
            return construct(_SCALAR_CONSTRUCTOR, node)
    # Anything else the general way, with a fresh constructor: the shared one would cache every node.
    constructor = yaml.constructor.SafeConstructor()
    return constructor.construct_object(node, deep=True)


def _pos(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


_ALLOWED_TAGS = {
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge")
}


class YamlProblem(Exception):
    def __init__(self, message: str, line: int, column: int, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.field = field


def _build(node: yaml.Node, path: Path_, out: Located, budget: _Budget, depth: int, source: str = "") -> Any:
    budget.nodes += 1
    if budget.nodes > MAX_NODES:
        raise YamlProblem(
            f"文件内容展开后超过 {MAX_NODES} 个节点（可能是锚点/别名“炸弹”或结构过大），已拒绝读取",
            *_pos(node),
        )
    if depth > MAX_DEPTH:
        raise YamlProblem(f"嵌套层级超过 {MAX_DEPTH} 层，请简化结构", *_pos(node), field=_dotted(path))
    out.positions.setdefault(path, _pos(node))
    if node.tag not in _ALLOWED_TAGS:
        raise YamlProblem(f"使用了不支持的 YAML 标签“{node.tag}”，已拒绝（内容只能是普通文字、数字、日期、列表和字段）", *_pos(node), field=_dotted(path))
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlProblem("不支持 YAML 合并键“<<”，请直接写出各字段", *_pos(key_node), field=_dotted(path))
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem("字段名必须是简单文字", *_pos(key_node), field=_dotted(path))
            key = _safe_scalar(key_node, path)
            if isinstance(key, (list, dict)):
                raise YamlProblem("字段名必须是简单文字", *_pos(key_node), field=_dotted(path))
            if not isinstance(key, (str, int)):
                key = str(key)
            if key in result:
                first = out.key_positions.get(path + (key,), (0, 0))[0]
                raise YamlProblem(
                    f"字段“{key}”重复出现（第一次在第 {first} 行），请删除或合并其中一个",
                    *_pos(key_node),
                    field=_dotted(path + (key,)),
                )
            out.key_positions[path + (key,)] = _pos(key_node)
            result[key] = _build(value_node, path + (key,), out, budget, depth + 1, source)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(child, path + (i,), out, budget, depth + 1, source) for i, child in enumerate(node.value)]
    value = _safe_scalar(node, path)
    if isinstance(value, str) and " " in value and node.style != "|" and source:
        value = _unfold(value, source[node.start_mark.index:node.end_mark.index])
    return value


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _unfold(value: str, raw: str) -> str:
    """A scalar written over several lines is folded by YAML with a space at each line break
    ("…百叶窗。 作业前…"), which Chinese text never has. As CSS does for East Asian text, a line
    break between two wide characters (Han, full-width punctuation) joins them without a space;
    spaces the author typed between two words of Latin script, or anywhere on one line, stay."""
    if "\n" not in raw:
        return value
    lines = [ln.strip() for ln in raw.split("\n")]
    breaks = {(a[-1], b[0]) for a, b in zip(lines, lines[1:]) if a and b}
    if not breaks:
        return value
    chars = list(value)
    for i in range(len(chars) - 2, 0, -1):
        if chars[i] == " " and (chars[i - 1], chars[i + 1]) in breaks and _wide(chars[i - 1]) and _wide(chars[i + 1]):
            del chars[i]
    return "".join(chars)


def _safe_scalar(node: yaml.ScalarNode, path: Path_) -> Any:
    try:
        value = _construct_scalar(node)
    except (ValueError, OverflowError, yaml.YAMLError) as exc:
        text = node.value
        if node.tag == "tag:yaml.org,2002:timestamp":
            raise YamlProblem(f"日期“{text}”不存在或格式不对，应写成 2023-02-08 这样的真实日期", *_pos(node), field=_dotted(path)) from exc
        raise YamlProblem(f"无法识别的值“{text[:40]}”", *_pos(node), field=_dotted(path)) from exc
    if isinstance(value, _dt.datetime):
        # We only deal in calendar dates; keep the date part.
        value = value.date()
    if isinstance(value, bytes):
        raise YamlProblem("不支持二进制（!!binary）内容", *_pos(node), field=_dotted(path))
    if isinstance(value, float) and value != value:  # NaN
        raise YamlProblem("数值不能是 .nan", *_pos(node), field=_dotted(path))
    return value


_dotted = dotted


_YAML_HINTS = [
    ("found character '\\t'", "使用了制表符（Tab）缩进，YAML 只能用空格缩进：请把 Tab 替换为空格"),
    ("found a tab character", "使用了制表符（Tab），YAML 只能用空格缩进：请把 Tab 替换为空格"),
    ("mapping values are not allowed here", "此处不能出现“:”：冒号后要有空格，含冒号的文字请加引号，或检查上一行的缩进"),
    ("could not find expected ':'", "缺少“:”：每个字段应写成“字段名: 值”"),
    ("did not find expected key", "缩进不一致或缺少“- ”：请检查本行与上一行的缩进"),
    ("did not find expected '-' indicator", "列表项缩进不一致：每一项都应以同样缩进的“- ”开头"),
    ("found undefined alias", "引用了未定义的别名（*名称）"),
    ("found unhashable key", "字段名不能是列表或字典"),
    ("expected <block end>, but found", "缩进不一致：请检查本行与上一行的缩进"),
    ("while scanning a quoted scalar", "引号没有闭合：请检查本行的引号是否成对"),
    ("found unexpected end of stream", "文件意外结束：请检查引号或括号是否成对"),
    ("while scanning a simple key", "缺少“:”：每个字段应写成“字段名: 值”"),
    ("found unknown escape character", "双引号内有无法识别的转义字符“\\”：改用单引号或写成“\\\\”"),
    ("while parsing a flow", "方括号或花括号没有闭合"),
    ("could not determine a constructor for the tag", "使用了不支持的 YAML 标签（!!python 等），已拒绝"),
    ("special characters are not allowed", "文件含有不可见的控制字符，请删除"),
    ("unacceptable character", "文件含有不可见的控制字符，请删除"),
    ("exceeded maximum nesting depth", f"嵌套层级过深，请简化结构（不超过 {MAX_DEPTH} 层）"),
]


def _translate_yaml_error(exc: yaml.YAMLError, source: str | None = None) -> YamlProblem:
    text = str(exc)
    if isinstance(exc, yaml.reader.ReaderError) and source is not None:
        # libyaml counts bytes, the pure-Python reader characters
        prefix = source.encode("utf-8")[: exc.position].decode("utf-8", "ignore") if _Loader is not yaml.SafeLoader else source[: exc.position]
        line = prefix.count("\n") + 1
        return YamlProblem("YAML 语法错误：文件含有不可见的控制字符，请删除", line, 1)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    context = getattr(exc, "context", None) or ""
    if getattr(exc, "context_mark", None) is not None and any(w in context for w in ("flow", "quoted")):
        mark = exc.context_mark  # where the bracket or quote was opened, not where the parser gave up
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    if source is not None:
        quote_line = _unbalanced_quote_line(source, line)
        if quote_line is not None:
            return YamlProblem("YAML 语法错误：本行的引号没有成对（少了一个 \" 或 '）", quote_line, 1)
    for needle, hint in _YAML_HINTS:
        if needle in text:
            return YamlProblem(f"YAML 语法错误：{hint}", line, col)
    problem = getattr(exc, "problem", None) or text.splitlines()[0]
    return YamlProblem(f"YAML 语法错误：{problem}", line, col)


def _unbalanced_quote_line(source: str, upto: int) -> int | None:
    """The first line (≤ upto) whose value opens a double quote it does not close."""
    for number, line in enumerate(source.splitlines()[:upto], 1):
        body = line.split(" #", 1)[0]
        _, sep, value = body.partition(": ")
        value = value.strip() if sep else body.strip().lstrip("- ").strip()
        if value.startswith('"') and (value.count('"') - value.count('\\"')) % 2 == 1:
            return number
    return None


def decode(raw: bytes) -> tuple[str, list[str]]:
    """Decode file bytes as UTF-8. Returns (text, warnings). Raises YamlProblem."""
    warnings: list[str] = []
    if b"\x00" in raw and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise YamlProblem("文件含有空字符（\\0），不是文本文件：请确认选对了文件", line, 1)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        warnings.append("文件以 UTF-8 BOM 开头（记事本等编辑器会加上），已忽略 BOM；建议另存为“UTF-8（无 BOM）”")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlProblem("文件是 UTF-16 编码：请在编辑器中“另存为”UTF-8 编码后再试", 1, 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            raise YamlProblem(f"文件不是 UTF-8 编码（第 {line} 行起无法解码）：请另存为 UTF-8 编码", line, 1) from exc
        raise YamlProblem(
            "文件是 GBK/GB18030 编码（Windows 记事本或 Excel 的默认编码）：请用编辑器“另存为”UTF-8 编码后再试，"
            "例如 iconv -f GB18030 -t UTF-8 原文件 > 新文件",
            line,
            1,
        ) from exc
    if "\x00" in text:
        raise YamlProblem("文件含有空字符（\\0），不是文本文件", text[: text.index("\x00")].count("\n") + 1, 1)
    return text, warnings


def load_text(text: str) -> Located:
    """Parse one YAML document; raise YamlProblem with a Chinese message."""
    out = Located(data=None)
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        if "expected a single document" in str(exc):
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else 1
            raise YamlProblem("一个文件只能有一个 YAML 文档：请删除多余的“---”分隔行", line, 1) from exc
        raise _translate_yaml_error(exc, text) from exc
    except RecursionError as exc:
        raise YamlProblem(f"嵌套层级过深，请简化结构（不超过 {MAX_DEPTH} 层）", 1, 1) from exc
    if node is None:
        out.data = None
        return out
    try:
        out.data = _build(node, (), out, _Budget(), 0, text)
    except RecursionError as exc:
        raise YamlProblem(f"嵌套层级过深，请简化结构（不超过 {MAX_DEPTH} 层）", 1, 1) from exc
    return out


# Parsed files by their bytes: the loader, the checks (which look up positions) and a fleet's
# enterprises (which share the library) read the same files again; the same bytes parse the same.
# Bounded by the size of the sources kept (a Located takes about ten times its file's size).
_PARSED: OrderedDict[bytes, tuple[Located | YamlProblem, list[str]]] = OrderedDict()
_PARSED_MAX_BYTES = 4 * 1024 * 1024
_parsed_bytes = 0
_parsed_lock = threading.Lock()


def _parse(raw: bytes) -> tuple[Located | YamlProblem, list[str]]:
    """The Located (or the problem) and the decoding warnings of a file's bytes (kept when good)."""
    global _parsed_bytes
    with _parsed_lock:
        hit = _PARSED.get(raw)
        if hit is not None:
            _PARSED.move_to_end(raw)
            return hit
    warns: list[str] = []
    try:
        text, warns = decode(raw)
        result: tuple[Located | YamlProblem, list[str]] = (load_text(text), warns)
    except YamlProblem as p:
        return p, warns  # not kept: the decoding warnings (a BOM) stand beside the syntax error
    with _parsed_lock:
        if raw not in _PARSED and len(raw) <= _PARSED_MAX_BYTES:
            _PARSED[raw] = result
            _parsed_bytes += len(raw)
            while _parsed_bytes > _PARSED_MAX_BYTES:
                old, _ = _PARSED.popitem(last=False)
                _parsed_bytes -= len(old)
    return result


def load_file(path, display: str) -> tuple[Located | None, list[Diagnostic]]:
    """Load one YAML file. Returns data (or None on error) and diagnostics."""
    diags: list[Diagnostic] = []
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            diags.append(Diagnostic.error(display, 1, 1, "", f"文件过大（{size / 1048576:.1f} MB，上限 {MAX_FILE_BYTES // 1048576} MB）：请拆分为多个文件"))
            return None, diags
        raw = path.read_bytes()
    except OSError as exc:
        diags.append(Diagnostic.error(display, 1, 1, "", f"无法读取文件：{os_reason(exc)}"))
        return None, diags
    located, warns = _parse(raw)
    for w in warns:
        diags.append(Diagnostic.warning(display, 1, 1, "", w))
    if isinstance(located, YamlProblem):
        diags.append(Diagnostic.error(display, located.line, located.column, located.field, located.message))
        return None, diags
    return located, diags
