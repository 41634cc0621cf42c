"""岗位安全风险告知卡 (seed 001 §二(二)3): cards/<post-id>.pdf, one A4 page with the QR code of
the post's page, typeset by Typst (site_templates/typst/card.typ)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model import Content, Post, RiskPoint, zh_date
from ..model.risk import CONTROL_KINDS
from ..render import typst
from ..render.fonts import FontSet, fonts
from ..render.weasy import Rendered
from .base import BuildContext, Job, Output
from .common import _dept_name, _level, _post_sources, enterprise_data, noted, phones, post_url, qr_svg, sorted_risks
from .signs import card_groups as sign_groups

CARD_TEMPLATES = ["typst/card.typ", "typst/common.typ", "signs"]

# Card density steps: the card must stay one A4 page however much the post's risk points say.
# 0–2: one table row per risk point, smaller type at each step; 3–7: the risk points' hazards,
# accidents and 工程技术/管理/个体防护 controls merged (duplicates removed), smaller type at each
# step; 8: as 7 but controls of 重大/较大 risk points only, the card saying where the rest is.
# site_templates/typst/card.typ holds the type sizes of each step and picks the first that fits,
# starting from the guess below (which only skips layouts that cannot fit).
CARD_MERGED_FROM = 3
CARD_KEY_ONLY = 8
CARD_CAPACITY = [(900, 6), (1200, 8), (1600, 10), (2400, 99), (2800, 99), (3200, 99), (3700, 99), (4200, 99)]  # (characters, rows)
CARD_CONTROL_KINDS = ("engineering", "management", "ppe")


def _merged_controls(risks: list[RiskPoint]) -> list[dict[str, Any]]:
    zh = dict(CONTROL_KINDS)
    return [
        {"kind": zh[key], "items": list(dict.fromkeys(i for r in risks for i in getattr(r.controls, key)))}
        for key in CARD_CONTROL_KINDS
        if any(getattr(r.controls, key) for r in risks)
    ]


def card_data(content: Content, post: Post) -> dict[str, Any]:
    risks = sorted_risks(content.post_risks(post.id))
    card = content.cards.get(post.id)
    url = post_url(content, post.id)
    ent = content.enterprise
    return {
        "enterprise": enterprise_data(content),
        "post": {"id": post.id, "name": post.name, "department": _dept_name(content, post.department),
                 "certificate": post.certificate or "", "headcount": post.headcount},
        "level": _level(content.post_level(post.id)),
        "risks": [
            {"name": r.name, "level": _level(r.level), "hazards": list(r.hazards), "accidents": list(r.accidents),
             "controls": [{"kind": zh, "items": items} for zh, items in r.controls.groups() if zh != "应急处置措施"],
             "emergency": list(r.controls.emergency)}
            for r in risks
        ],
        "accidents": list(dict.fromkeys(a for r in risks for a in r.accidents)),
        "merged": {
            "hazards": list(dict.fromkeys(h for r in risks for h in r.hazards)),
            "controls": _merged_controls(risks),
            "key_controls": _merged_controls([r for r in risks if r.level >= max(3, max(int(x.level) for x in risks))]) if risks else [],
        },
        "emergency": [e.model_dump(mode="json") for e in card.emergency] if card else [],
        "signs": sign_groups(card.signs) if card else [],
        "ppe": list(card.ppe) if card else [],
        "phones": phones(content, post.id),
        "url": url,
        "qr": qr_svg(url),
        "agency": ent.key_people.safety_agency.name,
        "officer": ent.key_people.safety_officers[0].name,
        "officer_phone": ent.key_people.safety_officers[0].phone or "",
        # 发布日期: the card's latest approved revision; none recorded: no date, only a small 生成日期
        "date": zh_date(card.last_revised) if card and card.last_revised else "",
        "made": zh_date(content.build_date),
    }


def render_card(content: Content, data: dict[str, Any], font_set: FontSet) -> Rendered:
    """Render the card; the template tightens the layout until it fits one A4 page."""
    ent = content.enterprise
    return typst.render(
        "typst/card.typ",
        {"card": data, "start": _card_start_density(data), "merged_from": CARD_MERGED_FROM, "key_only": CARD_KEY_ONLY},
        title=f"{data['post']['name']}岗位安全风险告知卡", date=content.build_date, author=ent.name,
        font_set=font_set, keywords=["岗位安全风险告知卡", data["post"]["name"]],
    )


def _card_start_density(data: dict[str, Any]) -> int:
    """Skip the layouts that cannot fit: a first guess from the amount of text (characters)."""
    emergency = sum(len(a) + 2 for e in data["emergency"] for a in e["actions"]) + 12 * len(data["emergency"])
    rows_text = emergency + sum(len(h) for r in data["risks"] for h in r["hazards"])
    rows_text += sum(len(i) for r in data["risks"] for c in r["controls"] for i in c["items"])
    rows_text += sum(len(x) for r in data["risks"] for x in r["emergency"])
    merged_text = emergency + sum(len(h) for h in data["merged"]["hazards"]) + 12 * len(data["risks"])
    merged_text += sum(len(i) for c in data["merged"]["controls"] for i in c["items"])
    rows = len(data["risks"])
    for density, (max_chars, max_rows) in enumerate(CARD_CAPACITY):
        text = rows_text if density < CARD_MERGED_FROM else merged_text
        if text <= max_chars and rows <= max_rows:
            return density
    return CARD_KEY_ONLY


def jobs(content: Content) -> list[Job]:
    font_set = fonts(content)
    key = {"fonts": font_set.key(), "date": str(content.build_date), "engine": typst.version()}
    out: list[Job] = []
    for post in content.posts:
        c_data = card_data(content, post)

        def render_c(dest: Path, ctx: BuildContext, c_data=c_data) -> None:
            noted(ctx, font_set)
            rendered = render_card(content, c_data, font_set)
            if rendered.pages > 1:
                ctx.note(f"岗位安全风险告知卡“{c_data['post']['name']}”内容过多，排成了 {rendered.pages} 页；请精简风险点或管控措施的文字")
            dest.write_bytes(rendered.pdf)

        out.append(Job(f"cards/{post.id}.pdf", "card", {"data": c_data, **key}, render_c, templates=CARD_TEMPLATES,
                       sources=["enterprise.yaml", *_post_sources(content, post.id)]))
    return out


OUTPUT = Output("cards", ("card",), jobs, typst.warm_up)
