"""Turn pydantic validation errors into Chinese diagnostics with file, line, column and field."""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from ..diagnostics import Diagnostic, dotted
from ..zh import num
from .yamlload import Located

_MESSAGES = {
    "missing": "缺少必填字段",
    "string_type": "应为文字",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数，不能有小数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "date_type": "应为日期，写成 2023-02-08",
    "date_parsing": "应为日期，写成 2023-02-08",
    "date_from_datetime_parsing": "应为日期，写成 2023-02-08",
    "date_from_datetime_inexact": "应为日期（不含时间），写成 2023-02-08",
    "list_type": "应为列表（每项以“- ”开头）",
    "dict_type": "应为字段集合（“字段名: 值”）",
    "model_type": "应为字段集合（“字段名: 值”）",
    "model_attributes_type": "应为字段集合（“字段名: 值”）",
    "string_too_short": "不能为空",
    "too_short": "项数太少",
    "too_long": "项数太多",
    "string_too_long": "文字太长",
    "string_pattern_mismatch": "格式不对：编号只能用英文小写字母、数字、“-”和“_”，且以字母或数字开头",
    "union_tag_invalid": "评价方法 method 只能是 LEC 或 LS",
    "union_tag_not_found": "缺少评价方法 method（LEC 或 LS）",
    "finite_number": "应为有限的数字",
    "tuple_type": "应为列表，如 [10, 20]",
    "set_type": "应为列表（每项以“- ”开头）",
    "string_unicode": "应为文字",
    "datetime_type": "应为日期和时间",
    "datetime_parsing": "应为日期和时间，写成 2023-02-08 09:30",
    "multiple_of": "数值不符合要求",
    "none_required": "此处不应填写",
    "is_instance_of": "值的类型不对",
    "enum": "值不在允许范围内",
    "json_invalid": "格式不对",
    "url_parsing": "应为网址，如 http://aq.example.cn/",
    "url_scheme": "网址应以 http:// 或 https:// 开头",
}
# A type without a translation above still gets a Chinese message (pydantic's own text is English).
_FALLBACK = "值不符合要求"
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def _unwrap(annotation: Any) -> list[type[BaseModel]]:
    """Model classes reachable from an annotation through list/Optional/Union/Annotated."""
    out: list[type[BaseModel]] = []
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (list, tuple, set, dict, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            out.extend(_unwrap(arg))
        return out
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        out.append(annotation)
    return out


def models_at(root: type[BaseModel], path: tuple) -> list[type[BaseModel]]:
    """The model classes that describe the mapping at `path` inside `root`."""
    current = [root]
    for part in path:
        if isinstance(part, int):
            continue
        nxt: list[type[BaseModel]] = []
        for cls in current:
            info = cls.model_fields.get(part)
            if info is not None:
                nxt.extend(_unwrap(info.annotation))
        if not nxt:
            return current if not isinstance(part, str) else []
        current = nxt
    return current


def _field_info(root: type[BaseModel], path: tuple):
    names = [p for p in path if isinstance(p, str)]
    if not names:
        return None
    for cls in models_at(root, tuple(names)[:-1]):
        info = cls.model_fields.get(names[-1])
        if info is not None:
            return info
    return None


def field_title(root: type[BaseModel], path: tuple) -> str:
    info = _field_info(root, path)
    if info is not None and info.description:
        return info.description.split("（")[0].split("：")[0]
    return ""


def field_bound(root: type[BaseModel], path: tuple) -> str:
    """Why a field's size is bounded (its `json_schema_extra["bound"]`), for the message."""
    info = _field_info(root, path)
    extra = info.json_schema_extra if info is not None else None
    return str(extra.get("bound", "")) if isinstance(extra, dict) else ""


def _clean_loc(loc: tuple, data: Any) -> tuple:
    """Drop the parts pydantic adds for unions (tags, type names): keep what exists in the data."""
    out: list = []
    cur = data
    for i, part in enumerate(loc):
        if isinstance(cur, dict) and part in cur:
            out.append(part)
            cur = cur[part]
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            out.append(part)
            cur = cur[part]
        elif i == len(loc) - 1 and isinstance(part, (str, int)):
            out.append(part)  # a missing field names a key that is not there
    return tuple(out)


def _show(value: Any) -> str:
    text = num(value) if isinstance(value, float) else str(value)
    return text if len(text) <= 30 else text[:30] + "…"


def _choices(expected: str) -> str:
    """pydantic's "'A', 'B' or 'C'" (or "1, 2 or 3") as 中文: A、B、C."""
    quoted = _QUOTED.findall(expected)
    items = quoted if quoted else re.split(r",\s*|\s+or\s+", expected)
    return "、".join(i for i in items if i)


def translate(exc: ValidationError, located: Located, display: str, root: type[BaseModel], base: tuple = (), data: Any = None) -> list[Diagnostic]:
    if data is None:
        data = located.data
        for part in base:
            data = data[part]
    diags: list[Diagnostic] = []
    seen: set[tuple] = set()
    errors = exc.errors(include_url=False)
    # A misspelt field shows up twice: unknown "headcont" and missing "headcount". Say it once.
    extras: dict[tuple, list[str]] = {}
    for err in errors:
        if err["type"] == "extra_forbidden":
            loc = _clean_loc(tuple(err["loc"]), data)
            extras.setdefault(loc[:-1], []).append(str(loc[-1]))
    for err in errors:
        loc = base + _clean_loc(tuple(err["loc"]), data)
        etype = err["type"]
        if etype == "missing" and difflib.get_close_matches(str(loc[-1]), extras.get(loc[len(base):-1], []), n=1, cutoff=0.6):
            continue
        if etype == "extra_forbidden":
            key = loc[-1]
            allowed: set[str] = set()
            for cls in models_at(root, tuple(p for p in loc[len(base):-1] if isinstance(p, str))):
                allowed.update(cls.model_fields)
            guess = difflib.get_close_matches(str(key), sorted(allowed), n=1, cutoff=0.6)
            hint = f"，你是不是想写“{guess[0]}”？" if guess else ""
            if allowed and not guess:
                hint = "；允许的字段有：" + "、".join(sorted(allowed))
            line, col = located.key_where(loc)
            msg = f"未知字段“{key}”{hint}"
        else:
            line, col = located.where(loc) if etype != "missing" else located.where(loc[:-1])
            if etype in ("value_error", "assertion_error"):
                msg = str(err.get("ctx", {}).get("error", err["msg"]))
            elif etype == "literal_error":
                expected = err.get("ctx", {}).get("expected", "")
                msg = f"值“{_show(err.get('input'))}”不在允许范围内，只能是 {_choices(str(expected))}"
            elif etype in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
                ctx = err.get("ctx", {})
                sym = {"greater_than_equal": "≥", "greater_than": ">", "less_than_equal": "≤", "less_than": "<"}[etype]
                bound = next(iter(ctx.values()), "")
                msg = f"应 {sym} {_show(bound)}，现为 {_show(err.get('input'))}"
            elif etype == "too_short" and "min_length" in err.get("ctx", {}):
                msg = f"至少需要 {err['ctx']['min_length']} 项"
            elif etype == "too_long" and "max_length" in err.get("ctx", {}):
                actual = err["ctx"].get("actual_length")
                msg = f"最多 {err['ctx']['max_length']} 项" + (f"，现为 {actual} 项" if actual is not None else "")
            elif etype == "string_too_long" and isinstance(err.get("input"), str):
                msg = f"最多 {err['ctx']['max_length']} 字，现为 {len(err['input'])} 字（开头是“{_show(err['input'])}”）"
            else:
                base_msg = _MESSAGES.get(etype, _FALLBACK)
                if etype not in ("missing",) and "input" in err and not isinstance(err["input"], (dict, list)):
                    base_msg += f"，现为“{_show(err['input'])}”"
                msg = base_msg
        fld = dotted(loc)
        title = field_title(root, loc[len(base):])
        if msg.startswith("最多 ") and etype in ("too_long", "string_too_long"):
            # a bound: “检查内容最多 300 字，现为 …：why the document bounds it”
            kind = "每条" if etype == "string_too_long" and isinstance(loc[-1], int) else ""
            msg = f"{title}{kind}{msg}" if title else msg
            bound = field_bound(root, loc[len(base):])
            if bound:
                msg = f"{msg}：{bound}"
        elif title and etype != "extra_forbidden":
            msg = f"{msg}（{title}）"
        sig = (line, col, fld, msg)
        if sig in seen:
            continue
        seen.add(sig)
        diags.append(Diagnostic.error(display, line, col, fld, msg))
    return diags
