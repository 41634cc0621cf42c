"""《安全生产应知应会手册》 (seed 000 §三(二)1): handbook/handbook.pdf, typeset by Typst
(site_templates/typst/handbook.typ). The per-post booklets (`booklets`) use the same data and template."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model import Content, Post, Revision, zh_date
from ..model.risk import CONTROL_KINDS
from ..render import typst
from ..render.fonts import FontSet, fonts
from ..render.weasy import Rendered
from ..zh import cn_number
from .base import BuildContext, Job, Output
from .common import (
    _common_sources,
    _dept_name,
    _level,
    _post_sources,
    checklist_data,
    enterprise_data,
    noted,
    phones,
    post_url,
    qr_svg,
    risk_data,
    sorted_risks,
)
from .signs import card_groups as sign_groups

HANDBOOK_TEMPLATES = ["typst/handbook.typ", "typst/common.typ", "signs"]


def post_data(content: Content, post: Post) -> dict[str, Any]:
    resp = content.responsibilities.get(post.id)
    std = content.job_standards.get(post.id)
    card = content.cards.get(post.id)
    risks = sorted_risks(content.post_risks(post.id))
    risk_names = {r.id: r for r in content.risk_points}
    standard = None
    if std:
        standard = std.model_dump(mode="json")
        for rc, raw in zip(std.risk_controls, standard["risk_controls"]):
            raw["risk_points"] = [
                {"code": risk_names[rid].code or "", "name": risk_names[rid].name, "level": _level(risk_names[rid].level)}
                for rid in rc.risk_points if rid in risk_names
            ]
        for raw in standard["equipment"]:
            raw["name"] = raw["name"] or ""
        for raw in standard["process"]["steps"]:
            raw["safety"] = raw["safety"] or ""
        standard["has_safety"] = any(st.safety for st in std.process.steps)
        standard["all_safety"] = bool(std.process.steps) and all(st.safety for st in std.process.steps)
        standard["has_risk_points"] = any(raw["risk_points"] for raw in standard["risk_controls"])
    responsibility = None
    if resp:
        responsibility = resp.model_dump(mode="json")
        for raw in responsibility["duties"]:
            raw["assessment"] = raw["assessment"] or ""
        responsibility["has_basis"] = any(d.basis for d in resp.duties)
        responsibility["has_assessment"] = any(d.assessment for d in resp.duties)
    return {
        "id": post.id,
        "code": post.code or "",
        "name": post.name,
        "department": _dept_name(content, post.department),
        "headcount": post.headcount,
        "certificate": post.certificate or "",
        "key_post": post.key_post,
        "manager": post.manager,
        "level": _level(content.post_level(post.id)),
        "responsibility": responsibility,
        "standard": standard,
        "risks": [risk_data(content, r) for r in risks],
        "card": card.model_dump(mode="json") if card else None,
        "signs": sign_groups(card.signs) if card else [],
        "phones": phones(content, post.id),
        "checklists": [checklist_data(content, c) for c in content.post_checklists(post.id)],
        "training_hours": sum(t.hours for t in content.post_training(post.id)),
        "revised": {
            "responsibility": zh_date(resp.last_revised) if resp and resp.last_revised else "",
            "standard": zh_date(std.last_revised) if std and std.last_revised else "",
            "card": zh_date(card.last_revised) if card and card.last_revised else "",
        },
    }


def general_data(content: Content) -> list[dict[str, Any]]:
    """通用知识: the library sections named by handbook.general, then the enterprise's policies."""
    hb = content.handbook
    if hb is None:
        return []
    out: list[dict[str, Any]] = []
    for kid in hb.general:
        k = content.knowledge.get(kid)
        if k:
            out.append({"kind": "knowledge", "anchor": f"k-{k.id}", "title": k.title,
                        "sections": [s.model_dump(mode="json") for s in k.sections]})
    for pid in hb.extra_general:
        pol = content.policies.get(pid)
        if not pol:
            continue
        n = 0
        chapters = []
        for ch in pol.chapters:
            articles = []
            for text in ch.articles:
                n += 1
                articles.append({"no": cn_number(n), "text": text})
            chapters.append({"title": ch.title, "articles": articles})
        out.append({"kind": "policy", "anchor": f"policy-{pol.id}", "title": pol.title, "chapters": chapters,
                    "revised": zh_date(pol.last_revised) if pol.last_revised else ""})
    return out


def training_data(content: Content) -> dict[str, Any] | None:
    tp = content.training
    if tp is None:
        return None

    return {
        "year": tp.year,
        "items": [
            {"code": t.code or "", "topic": t.topic, "kind": t.kind, "audience": [content.audience_label(a) for a in t.audience],
             "hours": _hours(t.hours), "month": t.month, "trainer": t.trainer or "", "assessment": t.assessment or ""}
            for t in sorted(tp.items, key=lambda t: (t.month, t.id))
        ],
        "has_code": any(t.code for t in tp.items),
        "has_trainer": any(t.trainer for t in tp.items),
        "per_post": [
            {"post": p.name, "hours": _hours(sum(t.hours for t in content.post_training(p.id))),
             "topics": len(content.post_training(p.id))}
            for p in content.posts
        ],
        "total": _hours(sum(t.hours for t in tp.items)),
    }


def _hours(h: float) -> str:
    return str(int(h)) if float(h).is_integer() else f"{h:g}"


def _titled(title: str) -> str:
    """A document title in 《》, unless it already has them (《中华人民共和国安全生产法》要点)."""
    return title if "《" in title else f"《{title}》"


def content_revisions(content: Content, posts: list[Post], booklet: bool = False) -> list[tuple[str, Revision]]:
    """Every revision of what the handbook (or a post's booklet) is made of, with the documents it
    revised: handbook.yaml, the library knowledge and the policies it includes, each post's
    responsibility list, job standard, card and checklists, the risk register (a booklet: the
    revisions touching its post's risk points, which it prints) and (the full handbook) the training
    plan of its appendices. Oldest first; one revision made to several
    documents at once (same date, summary and approver) is one row ("车工、电工安全生产责任清单")."""
    hb = content.handbook
    # (post name or "", document title, revisions)
    docs: list[tuple[str, str, list[Revision]]] = []
    if hb is not None:
        docs.append(("", _titled(hb.title), hb.revisions))
        docs += [("", _titled(k.title), k.revisions) for kid in hb.general if (k := content.knowledge.get(kid))]
        docs += [("", _titled(p.title), p.revisions) for pid in hb.extra_general if (p := content.policies.get(pid))]
    for post in posts:
        for what, doc in (("安全生产责任清单", content.responsibilities.get(post.id)),
                          ("岗位作业流程标准", content.job_standards.get(post.id)),
                          ("岗位安全风险告知卡", content.cards.get(post.id))):
            if doc is not None:
                docs.append((post.name, what, doc.revisions))
        for cl in content.post_checklists(post.id):  # "叉车司机岗位安全检查卡片" groups as 叉车司机、电工…岗位安全检查卡片
            named = cl.title.startswith(post.name) and len(cl.title) > len(post.name)
            docs.append((post.name, cl.title[len(post.name):], cl.revisions) if named else ("", cl.title, cl.revisions))
        if booklet:  # the post's risk points print from the register: its revisions date the booklet too
            docs.append(("", "安全风险点名册", content.post_risk_revisions(post.id)))
    if not booklet:
        docs.append(("", "安全风险点名册", content.risk_revisions))
        if content.training is not None:
            docs.append(("", f"{content.training.year}年度安全培训计划", content.training.revisions))
    groups: dict[tuple, dict[str, list[str]]] = {}
    for prefix, title, revs in docs:
        for rev in revs:
            by_title = groups.setdefault((rev.date, rev.summary, rev.approved_by), {})
            names = by_title.setdefault(title, [])
            if prefix not in names:
                names.append(prefix)
    rows = []
    for (date, summary, approved_by), by_title in groups.items():
        name = "；".join("、".join(p for p in prefixes if p) + title for title, prefixes in by_title.items())
        rows.append((name, Revision(date=date, summary=summary, approved_by=approved_by)))
    return sorted(rows, key=lambda row: row[1].date)


def handbook_data(content: Content, posts: list[Post], booklet: bool = False) -> dict[str, Any]:
    hb = content.handbook
    revisions = content_revisions(content, posts, booklet)
    data = {
        "enterprise": enterprise_data(content),
        "has_spec": hb is not None,
        "title": hb.title if hb else "安全生产应知应会手册",
        "edition": hb.edition if hb else "",
        # the date of the latest revision of its content; none recorded: no date (only 生成日期)
        "revised": zh_date(revisions[-1][1].date) if revisions else "",
        "revisions": [
            {"date": zh_date(r.date), "document": name, "summary": r.summary, "approved_by": r.approved_by}
            for name, r in revisions
        ],
        "foreword": list(hb.foreword) if hb else [],
        "general": general_data(content),
        "posts": [post_data(content, p) for p in posts],
        "booklet": booklet,
        "page_size": content.enterprise.settings.booklet_size if booklet else "A4",
        "risk_profile": content.enterprise.settings.risk_profile.name,
        "control_kinds": [zh for _, zh in CONTROL_KINDS],
        "card_title": f"{content.levels.names[3]}安全检查卡片",
        "build_date": zh_date(content.build_date),
    }
    if booklet:
        post = posts[0]
        data["booklet_post"] = {"name": post.name, "url": post_url(content, post.id), "qr": qr_svg(post_url(content, post.id))}
    else:
        data["register"] = [risk_data(content, r) for r in sorted_risks(content.risk_points)]
        data["level_counts"] = [{"level": _level(lvl), "count": n} for lvl, n in content.level_counts().items()]
        data["training"] = training_data(content)
    return data


def render_handbook(content: Content, data: dict[str, Any], font_set: FontSet) -> Rendered:
    ent = content.enterprise
    title = data["title"] if not data["booklet"] else f"{data['title']}（{data['booklet_post']['name']}）"
    return typst.render(
        "typst/handbook.typ", data, title=title, date=content.build_date, author=ent.name, font_set=font_set,
        subject=f"{ent.name}{data['title']}（{data['edition']}）", keywords=["安全生产", "应知应会手册", ent.industry],
    )


def jobs(content: Content) -> list[Job]:
    font_set = fonts(content)
    posts = content.handbook_posts()
    hb_data = handbook_data(content, posts)

    def render_hb(dest: Path, ctx: BuildContext) -> None:
        noted(ctx, font_set)
        if content.handbook is None:
            ctx.note("未找到 handbook.yaml：应知应会手册只包含专业知识部分（通用知识需在 handbook.yaml 中配置）")
        dest.write_bytes(render_handbook(content, hb_data, font_set).pdf)

    all_sources = _common_sources(content) + [s for p in posts for s in _post_sources(content, p.id)]
    all_sources += [content.sources[k] for k in content.sources if k.startswith("risk:")]
    if content.training:
        all_sources.append("training.yaml")
    key = {"data": hb_data, "fonts": font_set.key(), "date": str(content.build_date), "engine": typst.version()}
    return [Job("handbook/handbook.pdf", "handbook", key, render_hb, templates=HANDBOOK_TEMPLATES, sources=all_sources)]


def warm_up() -> None:
    """Once per fleet worker: start its Typst compile server and load the fonts."""
    typst.warm_up()


OUTPUT = Output("handbook", ("handbook",), jobs, warm_up)
