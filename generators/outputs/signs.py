"""Safety signs (安全标志): a sign's name -> its drawing in site_templates/signs/.

`site_templates/signs/signs.yaml` maps each name content uses to an SVG (GB 2894-2008 frames,
drawn by scripts/make_signs.py), its category and the text set under it. `resolve()` reads a
name as written in content: a bracketed qualifier (“禁止吸烟（停车场、加油区）”) becomes a note
printed under the sign's text; a name the table does not know gets the generic drawing of its
category with its own words, so a sign is never shown with another sign's picture.

Cards and the handbook (Typst) read the SVGs by path from the compile root (site_templates/);
the risk-map boards (WeasyPrint) by a URL relative to the same folder.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .. import paths

SIGNS_DIR = paths.templates() / "signs"
CATEGORIES = ("禁止", "警告", "指令", "提示", "消防")
# a trailing qualifier in full-width or ASCII brackets
_QUALIFIER = re.compile(r"^(?P<base>.+?)\s*[（(](?P<note>[^（）()]*)[）)]\s*$")
_PUNCT = re.compile(r"[\s，,、！!。：:]")


def _norm(name: str) -> str:
    return _PUNCT.sub("", name)


@lru_cache(maxsize=1)
def table() -> dict[str, Any]:
    """signs.yaml, checked: every file exists, every category is known."""
    raw = yaml.safe_load((SIGNS_DIR / "signs.yaml").read_text(encoding="utf-8"))
    signs: dict[str, dict[str, str]] = raw["signs"]
    for name, entry in signs.items():
        if entry["category"] not in CATEGORIES:
            raise ValueError(f"signs.yaml: {name}: unknown category {entry['category']}")
        if not (SIGNS_DIR / f"{entry['file']}.svg").is_file():
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
     "generic": True when the drawing is the category's generic one for an unknown name}
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
                "category": entry["category"], "generic": False}
    cat = category if category in CATEGORIES else guess_category(base)
    return {"name": name, "text": base, "note": note, "file": f"signs/{t['generic'][cat]}.svg",
            "category": cat, "generic": True}


def card_groups(signs: Any) -> list[dict[str, Any]]:
    """A card's four groups (model.posts.Signs) with each sign resolved; empty groups left out."""
    return [{"kind": kind, "items": list(items), "signs": [resolve(s, kind) for s in items]}
            for kind, items in signs.groups() if items]


def svg_path(sign: dict[str, Any]) -> Path:
    return paths.templates() / sign["file"]


__all__ = ["CATEGORIES", "SIGNS_DIR", "card_groups", "guess_category", "resolve", "split", "svg_path", "table"]
