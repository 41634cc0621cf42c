"""岗位安全风险告知卡 (seed 001 §二(二)3): cards/<post-id>.pdf, one page read on a wall, typeset by
Typst (site_templates/typst/card.typ).

Every card has the same layout and its body text is never under 10 pt: the post's 重大 and 较大 risk
points with their hazards, controls and emergency actions; the main hazards of its other risk
points; the post's emergency handling, PPE and GB 2894 safety signs; the emergency numbers; the QR
code of the post's page on the site and the page of the post's chapter in its booklet, where the
full list of risk points and controls is. A card whose text does not fit A4 is set on A3, or A2
(settings.card_size `auto`, the default); `A4`, `A3` or `A2` fix the size for every card, and a card
file's `size` for its post."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from ..model import Content, Post, RiskPoint, zh_date
from ..render import typst
from ..render.fonts import FontSet, fonts
from ..render.weasy import Rendered
from .base import BuildContext, Job, Output
from .common import _dept_name, _level, _post_sources, enterprise_data, noted, phones, post_url, qr_svg, sorted_risks
from .handbook import handbook_data, render_handbook
from .signs import card_groups as sign_groups

CARD_TEMPLATES = ["typst/card.typ", "typst/common.typ", "signs"]

# settings.card_size `auto` tries these in turn: A4 for most posts, A3 (or, for a post with many 重大
# and 较大 risk points, A2) when the card's text does not fit at 10 pt.
AUTO_SIZES = ("A4", "A3", "A2")
# Body sizes (pt) tried on each paper, largest first: a wall card is read from a distance, so a larger
# sheet sets larger type when the text leaves room; 10 pt is the floor everywhere.
MIN_BODY_PT = 10
BODY_PT = {"A4": (11, MIN_BODY_PT), "A3": (13, 12, 11, MIN_BODY_PT), "A2": (14, 13, 12, 11, MIN_BODY_PT)}
# 重大 (4) and 较大 (3) risk points are set out in full on the card; the others by their hazards.
KEY_LEVEL = 3
# What a card shows of a risk point's controls (培训教育措施 stay in the booklet and on the site;
# 应急处置措施 have their own line).
CARD_CONTROL_KINDS = ("engineering", "management", "ppe")


def _key_risk(r: RiskPoint) -> dict[str, Any]:
    return {
        "name": r.name, "kind": r.kind, "level": _level(r.level), "hazards": list(r.hazards), "accidents": list(r.accidents),
        "controls": [{"kind": zh, "items": items} for zh, items in r.controls.groups() if zh in _CONTROL_NAMES],
        "emergency": list(r.controls.emergency),
    }


_CONTROL_NAMES = {"工程技术措施", "管理措施", "个体防护措施"}


def card_size(content: Content, post: Post) -> str:
    """"A4", "A3" or "auto" (A4 when the card fits it, else A3)."""
    card = content.cards.get(post.id)
    return (card.size if card and card.size else None) or content.enterprise.settings.card_size


def booklet_title(content: Content, post: Post) -> str:
    title = content.handbook.title if content.handbook else "安全生产应知应会手册"
    return f"《{title}》（{post.name}岗位分册）"


def card_data(content: Content, post: Post) -> dict[str, Any]:
    risks = sorted_risks(content.post_risks(post.id))
    card = content.cards.get(post.id)
    url = post_url(content, post.id)
    ent = content.enterprise
    return {
        "enterprise": enterprise_data(content),
        "post": {"id": post.id, "code": post.code or "", "name": post.name, "department": _dept_name(content, post.department),
                 "certificate": post.certificate or "", "headcount": post.headcount},
        "level": _level(content.post_level(post.id)),
        "key_risks": [_key_risk(r) for r in risks if int(r.level) >= KEY_LEVEL],
        "other_risks": [
            {"name": r.name, "level": _level(r.level), "hazards": list(r.hazards), "accidents": list(r.accidents)}
            for r in risks if int(r.level) < KEY_LEVEL
        ],
        "emergency": [e.model_dump(mode="json") for e in card.emergency] if card else [],
        "signs": sign_groups(card.signs) if card else [],
        "ppe": list(card.ppe) if card else [],
        "phones": phones(content, post.id),
        "url": url,
        "qr": qr_svg(url),
        "booklet": {"title": booklet_title(content, post), "page": None},
        "size": card_size(content, post),
        "agency": ent.key_people.safety_agency.name,
        "officer": ent.key_people.safety_officers[0].name,
        "officer_phone": ent.key_people.safety_officers[0].phone or "",
        # 发布日期: the card's latest approved revision; none recorded: no date, only a small 生成日期
        # (or of the risk points it prints, when the register was revised for them later)
        "date": zh_date(max(r.date for r in [*card.revisions, *content.post_risk_revisions(post.id)]))
        if card and card.last_revised else "",
        "made": zh_date(content.build_date),
    }


def render_card(content: Content, data: dict[str, Any], font_set: FontSet, paper: str, body: float = MIN_BODY_PT) -> Rendered:
    ent = content.enterprise
    return typst.render(
        "typst/card.typ", {"card": data, "paper": paper, "body": body},
        title=f"{data['post']['name']}岗位安全风险告知卡", date=content.build_date, author=ent.name,
        font_set=font_set, keywords=["岗位安全风险告知卡", data["post"]["name"]],
    )


def fitted_card(content: Content, data: dict[str, Any], font_set: FontSet) -> tuple[Rendered, str]:
    """The card on its paper: the size asked for, or with `auto` the smallest of AUTO_SIZES that holds
    it on one page; on that paper the largest of BODY_PT that still does (never under 10 pt)."""
    papers = AUTO_SIZES if data["size"] == "auto" else (data["size"],)
    for paper in papers:
        for body in BODY_PT[paper]:
            rendered = render_card(content, data, font_set, paper, body)
            if rendered.pages == 1:
                return rendered, paper
    return rendered, paper


def chapter_page(pdf: bytes, post_name: str) -> int | None:
    """The page (1-based) the booklet's bookmark of the post's chapter (“第N章　<post>”) points to."""
    reader = PdfReader(io.BytesIO(pdf))

    def walk(items):
        for it in items:
            if isinstance(it, list):
                found = walk(it)
                if found:
                    return found
            elif it.title.startswith("第") and "章" in it.title and it.title.endswith("\u3000" + post_name):
                return reader.get_destination_page_number(it) + 1
        return None

    return walk(reader.outline)


def booklet_page(content: Content, post: Post, ctx: BuildContext, font_set: FontSet, b_data: dict[str, Any]) -> int | None:
    """The page of the post's chapter in its booklet (handbook/<post>.pdf): read from the booklet this
    build made or carried over (the card job runs after it), else from a booklet rendered here."""
    built = ctx.staging / booklet_output(post)
    if built.is_file():
        pdf = built.read_bytes()
    else:
        pdf = render_handbook(content, b_data, font_set).pdf
    return chapter_page(pdf, post.name)


def booklet_output(post: Post) -> str:
    return f"handbook/{post.id}.pdf"


def jobs(content: Content) -> list[Job]:
    font_set = fonts(content)
    key = {"fonts": font_set.key(), "date": str(content.build_date), "engine": typst.version(),
           "papers": [AUTO_SIZES, BODY_PT]}
    out: list[Job] = []
    for post in content.posts:
        c_data = card_data(content, post)
        # the page reference is read from the booklet: its key joins through `after` when the booklet is
        # built with the card; its data keeps the key right when the card renders the booklet itself
        b_data = handbook_data(content, [post], booklet=True)

        def render_c(dest: Path, ctx: BuildContext, c_data=c_data, b_data=b_data, post=post) -> None:
            noted(ctx, font_set)
            data = dict(c_data, booklet=dict(c_data["booklet"], page=booklet_page(content, post, ctx, font_set, b_data)))
            rendered, paper = fitted_card(content, data, font_set)
            if rendered.pages > 1:
                advice = "请在告知卡文件中设置更大的纸张（size: A3 或 A2），或精简风险点的文字" if paper != "A2" else "请精简风险点或管控措施的文字"
                ctx.note(f"岗位安全风险告知卡“{c_data['post']['name']}”在 {paper} 纸上排成了 {rendered.pages} 页；{advice}")
            dest.write_bytes(rendered.pdf)

        out.append(Job(f"cards/{post.id}.pdf", "card", {"data": c_data, "booklet": b_data, **key}, render_c, templates=CARD_TEMPLATES,
                       sources=["enterprise.yaml", *_post_sources(content, post.id)], after=[booklet_output(post)]))
    return out


OUTPUT = Output("cards", ("card",), jobs, typst.warm_up)
