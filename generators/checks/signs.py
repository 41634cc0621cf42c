"""`anquan check`: safety signs that are not a graphic sign of a standard.

A card's or risk-map zone's sign whose name no standard graphic sign carries is printed as a
文字辅助标志 (its words on a panel, site_templates/signs/signs.yaml `text_sign`), and a name the
table does not know gets the generic drawing of its category. Both are told, with the file, line
and field, so that nobody orders the board as a GB 2894 sign.
"""

from __future__ import annotations

from ..diagnostics import Diagnostics
from ..model import Content
from ..model.signs import resolve
from .where import where

_GROUPS = (("prohibition", "禁止"), ("warning", "警告"), ("mandatory", "指令"), ("information", "提示"))


def _message(s: dict) -> str | None:
    if s["generic"]:
        return (f"安全标志“{s['text']}”不在标志表（site_templates/signs/signs.yaml）中，只印{s['category']}类的通用图形和文字：不是 GB 2894 图形标志，"
                "请改用标准标志的名称，或在标志表中登记其图形和来源")
    if s["text_sign"]:
        hint = f"；可考虑改用{s['hint']}" if s["hint"] else ""
        return f"安全标志“{s['text']}”不是 GB 2894 图形标志，印为文字辅助标志（{s['category']}类颜色的文字牌）{hint}"
    return None


def check_signs(content: Content, diags: Diagnostics) -> None:
    """Warn about each card or zone sign drawn as a text sign or a category's generic drawing."""
    for cid, card in sorted(content.cards.items()):
        shown = content.sources.get(f"card:{cid}")
        if shown is None:
            continue
        for field, kind in _GROUPS:
            for i, name in enumerate(getattr(card.signs, field)):
                msg = _message(resolve(name, kind))
                if msg:
                    path = ("signs", field, i)
                    diags.warning(shown, path, msg, line_col=where(content, shown, path))
    source = content.extras.get("riskmap")
    if source is None:
        return
    shown = source.display
    for zi, zone in enumerate(source.model.zones):
        for i, name in enumerate(zone.signs):
            msg = _message(resolve(name))
            if msg:
                path = ("zones", zi, "signs", i)
                diags.warning(shown, path, f"区域“{zone.name}”：{msg}", line_col=where(content, shown, path))
