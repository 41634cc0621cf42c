"""Bounds that span files: what one post's one-page 岗位安全风险告知卡 can hold, gathered from the
risk points (risks/*.yaml) that name the post and from its card (cards/<post>.yaml).

The card sets its body at 10 pt and grows from A4 to A3 when its text needs it (see
generators/outputs/cards.py and site_templates/typst/card.typ); the 重大/较大 risk points are set out
in full, the others in full, by their hazards or by their names as room allows, the rest is in the booklet. A post whose card would
carry more than these bounds is refused here, with the post, the counts and what to do, before
anything is built (a wall card that long is not read). Bounds of single
fields (a cell's text, a list's items) are in the model, next to the field.
"""

from __future__ import annotations

from typing import Any

from ..diagnostics import Diagnostics
from ..model import Content, RiskPoint

CARD_MAX_RISK_POINTS = 30  # names on the card, three to a row
CARD_MAX_CHARS = 3300  # characters of card text: the most a wall card should carry (tests/test_bounds.py renders it on one page)
CARD_NAME_CHARS = 12  # what one risk point's name and level badge take, in characters of text
CARD_CONTROL_KINDS = ("engineering", "management", "ppe")
CARD_WHY = "岗位安全风险告知卡只有一页 A4，张贴在岗位上"


def card_key_risks(risks: list[RiskPoint]) -> list[RiskPoint]:
    """The risk points whose controls the densest card still prints: the 重大 ones when there are
    any, else the 较大 ones (as site_templates/typst/card.typ's last step)."""
    if not risks:
        return []
    top = max(3, max(int(r.level) for r in risks))
    return [r for r in risks if int(r.level) >= top]


def card_text(content: Content, post_id: str) -> dict[str, int]:
    """What the densest layout of a post's card prints, in characters and items."""
    risks = content.post_risks(post_id)
    hazards = list(dict.fromkeys(h for r in risks for h in r.hazards))
    controls = list(dict.fromkeys(i for r in card_key_risks(risks) for k in CARD_CONTROL_KINDS for i in getattr(r.controls, k)))
    card = content.cards.get(post_id)
    if card is not None and card.emergency:
        emergency = sum(len(a) + 2 for e in card.emergency for a in e.actions) + CARD_NAME_CHARS * len(card.emergency)
    else:  # without the card's own, each risk point's emergency measures are printed
        own = [r for r in risks if r.controls.emergency]
        emergency = sum(len(a) + 2 for r in own for a in r.controls.emergency) + CARD_NAME_CHARS * len(own)
    out = {
        "risks": len(risks),
        "hazards": len(hazards),
        "hazard_chars": sum(len(h) for h in hazards),
        "controls": len(controls),
        "control_chars": sum(len(c) for c in controls),
        "emergency_chars": emergency,
    }
    out["total"] = out["hazard_chars"] + out["control_chars"] + emergency + CARD_NAME_CHARS * len(risks)
    return out


def check_card_bounds(content: Content, files: dict[str, list[Any]], diags: Diagnostics) -> None:
    ent_file = files["enterprise"][0]
    cards = {f.model.post: f for f in files.get("card", [])}
    for i, post in enumerate(content.posts):
        naming = [(f, ("risk_points", j, "posts", k)) for f in files.get("risks", []) for j, r in enumerate(f.model.risk_points)
                  for k, pid in enumerate(r.posts) if pid == post.id]
        if len(naming) > CARD_MAX_RISK_POINTS:
            f, path = naming[CARD_MAX_RISK_POINTS]
            diags.error(f, path, f"岗位“{post.name}”（{post.id}）涉及 {len(naming)} 个风险点，告知卡最多列出 {CARD_MAX_RISK_POINTS} 个"
                                 f"（{CARD_WHY}）：告知卡只列本岗位人员直接接触的风险点；管理岗位对其他风险点的职责请写入安全生产责任清单，"
                                 f"并从这些风险点的 posts 中去掉该岗位（从此处起超出）")
            continue
        text = card_text(content, post.id)
        if text["total"] <= CARD_MAX_CHARS:
            continue
        where, path = (cards[post.id], ("post",)) if post.id in cards else (ent_file, ("posts", i, "id"))
        diags.error(where, path, f"岗位“{post.name}”（{post.id}）的告知卡内容约 {text['total']} 字：{text['risks']} 个风险点的危险有害因素"
                                 f" {text['hazards']} 条（{text['hazard_chars']} 字）、重大/较大风险的管控措施 {text['controls']} 条"
                                 f"（{text['control_chars']} 字）、应急处置 {text['emergency_chars']} 字，超过一页 A4 告知卡在最小字号下能容纳的"
                                 f"约 {CARD_MAX_CHARS} 字（{CARD_WHY}）：请合并相近的危险有害因素、精简措施的表述，详细做法写入岗位作业流程标准")
