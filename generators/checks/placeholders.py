"""Placeholder-like text anywhere in the content (待补充, 待定, XXX, TODO, 略, 暂无, （源资料未提供）): text
written only to fill a field. A field without real content is left out (documents then print
nothing), so such text is a warning naming file, line and field."""

from __future__ import annotations

import re
from typing import Any, Iterator

from ..diagnostics import Diagnostics
from ..model import Content

# (pattern, what the message calls it); a value matches when the pattern is found in it
PLACEHOLDERS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"待补充|待完善|待填写|待定|待核实|待确认"), ""),
    (re.compile(r"(?:源)?资料未提供|未提供资料"), ""),
    (re.compile(r"(?<![A-Za-z0-9])(?:[Xx]{3,}|XX)(?![A-Za-z0-9])|×{2,}|＊{2,}|\*{3,}"), ""),
    (re.compile(r"(?i)(?<![a-z])(?:todo|tbd|fixme)(?![a-z])"), ""),
    (re.compile(r"^[\s（(【\[]*(?:略|暂无|暂缺|空)[\s）)】\]。.…]*$"), ""),
    (re.compile(r"[（(【\[]\s*略\s*[）)】\]]|……略|^暂无"), ""),
]


# Every placeholder has one of these characters; most texts have none (one quick scan each).
_TRIGGER = re.compile(r"[待提Xx×＊*TtFf略暂空]")


def placeholder(text: str) -> str | None:
    """The placeholder found in `text`, or None."""
    if not _TRIGGER.search(text):
        return None
    for pattern, _ in PLACEHOLDERS:
        m = pattern.search(text)
        if m:
            return m.group(0).strip() or text.strip()
    return None


def _strings(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _strings(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _strings(v, path + (i,))
    elif isinstance(data, str):
        yield path, data


def check_placeholders(content: Content, diags: Diagnostics) -> None:
    """待补充, 待定, XXX, TODO, 略, 暂无, （源资料未提供）… in any text of any loaded file."""
    for display, located in content.located_files:
        for path, text in _strings(getattr(located, "data", None)):
            found = placeholder(text)
            if found is not None:
                diags.warning(display, path, f"疑似占位文字“{found}”：请填写实际内容；资料中没有的内容可以不填（可选字段不填时文档上不印）", line_col=located.where(path))  # type: ignore[attr-defined]
