"""Safety signs (安全标志): a sign's name -> its drawing in site_templates/signs/.

The table and `resolve()` live in generators.model.signs (the checks read them too): a bracketed
qualifier (“禁止吸烟（停车场、加油区）”) becomes a note printed under the sign's text; a name the
table does not know gets the generic drawing of its category with its own words, so a sign is
never shown with another sign's picture; a name no standard graphic sign carries is drawn as a
文字辅助标志 (its words on a panel of the category's colour).

Cards and the handbook (Typst) read the SVGs by path from the compile root (site_templates/);
the risk-map boards (WeasyPrint) by a URL relative to the same folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import paths
from ..model.signs import CATEGORIES, guess_category, resolve, signs_dir, split, table

SIGNS_DIR = signs_dir()


def card_groups(signs: Any) -> list[dict[str, Any]]:
    """A card's four groups (model.posts.Signs) with each sign resolved; empty groups left out."""
    return [{"kind": kind, "items": list(items), "signs": [resolve(s, kind) for s in items]}
            for kind, items in signs.groups() if items]


def svg_path(sign: dict[str, Any]) -> Path:
    return paths.templates() / sign["file"]


__all__ = ["CATEGORIES", "SIGNS_DIR", "card_groups", "guess_category", "resolve", "split", "svg_path", "table"]
