"""Safety signs (安全标志): the table of site_templates/signs/signs.yaml and how a name as content
writes it resolves to a drawing. Pure queries; `generators.outputs.signs` places the drawings and
`generators.checks.signs` reports the names that are not a graphic sign of a standard.

An entry with `text_sign: true` is drawn as a 文字辅助标志 (the words on a panel of the
category's colour, GB 2894-2008 4.5) because no standard graphic sign carries its meaning; a
name the table does not know gets the generic drawing of its category. `anquan check` warns
about both, so that a sign board is not ordered as if it were a standard sign.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml

from .. import paths

CATEGORIES = ("禁止", "警告", "指令", "提示", "消防")
# a trailing qualifier in full-width or ASCII brackets
_QUALIFIER = re.compile(r"^(?P<base>.+?)\s*[（(](?P<note>[^（）()]*)[）)]\s*$")
_PUNCT = re.compile(r"[\s，,、！!。：:]")


def signs_dir():
    return paths.templates() / "signs"


def _norm(name: str) -> str:
    return _PUNCT.sub("", name)


@lru_cache(maxsize=1)
def table() -> dict[str, Any]:
    """signs.yaml, checked: every file exists, every category is known."""
    folder = signs_dir()
    raw = yaml.load((folder / "signs.yaml").read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: ~20× faster
    signs: dict[str, dict[str, Any]] = raw["signs"]
    for name, entry in signs.items():
        if entry["category"] not in CATEGORIES:
            raise ValueError(f"signs.yaml: {name}: unknown category {entry['category']}")
        if not (folder / f"{entry['file']}.svg").is_file():
            raise ValueError(f"signs.yaml: {name}: no drawing {entry['file']}.svg")
    index = {_norm(name): name for name in signs}
    for alias, target in raw.get("aliases", {}).items():
        if target not in signs:
            raise ValueError(f"signs.yaml: alias {alias} -> unknown sign {target}")
        index[_norm(alias)] = target
    return {"signs": signs, "index": index, "generic": raw["generic"]}


def split(name: str) -> tuple[str, str]:
    """“禁止吸烟（停车场、加油区）” -> ("禁止吸烟", "停车场、加油区")."""
    m = _QUALIFIER.match(name.strip())
    if m and m.group("note").strip():
        return m.group("base").strip(), m.group("note").strip()
    return name.strip(), ""


def guess_category(name: str) -> str:
    """The category a name's wording implies (risk-map zones list signs without one)."""
    if name.startswith(("当心", "注意")):
        return "警告"
    if name.startswith("必须") or "须" in name:
        return "指令"
    if any(w in name for w in ("禁止", "严禁", "不得", "不准", "限速", "限高")):
        return "禁止"
    if "灭火器" in name or "消防" in name:
        return "消防"
    return "提示"


def resolve(name: str, category: str | None = None) -> dict[str, Any]:
    """A sign as the templates draw it.

    {"name": as written, "text": words under the sign, "note": qualifier or "",
     "file": "signs/<file>.svg" (relative to site_templates/), "category": 禁止/警告/指令/提示/消防,
     "generic": True when the drawing is the category's generic one for an unknown name,
     "text_sign": True when the drawing is a 文字辅助标志 (no standard graphic sign has its meaning),
     "hint": the standard sign to consider instead, or ""}
    """
    t = table()
    base, note = split(name)
    key = t["index"].get(_norm(base))
    if key is None and note:  # a bracket that is part of the name itself
        key = t["index"].get(_norm(name))
        if key is not None:
            base, note = name.strip(), ""
    if key is not None:
        entry = t["signs"][key]
        return {"name": name, "text": key, "note": note, "file": f"signs/{entry['file']}.svg",
                "category": entry["category"], "generic": False, "text_sign": bool(entry.get("text_sign")),
                "hint": entry.get("hint", "")}
    cat = category if category in CATEGORIES else guess_category(base)
    return {"name": name, "text": base, "note": note, "file": f"signs/{t['generic'][cat]}.svg",
            "category": cat, "generic": True, "text_sign": False, "hint": ""}


__all__ = ["CATEGORIES", "guess_category", "resolve", "signs_dir", "split", "table"]
