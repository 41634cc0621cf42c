"""应知应会手册, per-post booklets, 岗位安全风险告知卡 and printable three-level checklists (PDF).

Outputs (under build/<enterprise-id>/):
- handbook/handbook.pdf       the whole 《安全生产应知应会手册》 (seed 000 §三(二)1)
- handbook/<post-id>.pdf      one post's booklet: the common part and that post's chapter
- cards/<post-id>.pdf         the post's 岗位安全风险告知卡, one A4 page with a QR code
- checklists/<id>.pdf         单位清单 / 车间表册 / 岗位卡片 with result, finder, date, signature columns

Python only gathers JSON-able data (which is also each job's key); Typst typesets every one of
these PDFs from site_templates/typst/ (`generators.typst_pdf`). The card template measures its
layout and tightens it step by step until it fits one A4 page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import segno

from . import pdf, typst_pdf
from .build import BuildContext, Job, register_kinds
from .model import Checklist, Content, Post, RiskPoint, zh_date
from .model.risk import CONTROL_KINDS

register_kinds("handbook", "handbook", "booklet", "card", "checklist")

HANDBOOK_TEMPLATES = ["typst/handbook.typ", "typst/common.typ"]
CARD_TEMPLATES = ["typst/card.typ", "typst/common.typ"]
CHECKLIST_TEMPLATES = ["typst/checklist.typ", "typst/common.typ"]

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


# ------------------------------------------------------------------ data


def _level(level) -> dict[str, str] | None:
    if level is None:
        return None
    return {"label": level.label, "css": level.css, "zh": level.zh, "colour": level.colour_zh, "value": int(level)}


def _dept_name(content: Content, dep_id: str | None) -> str:
    dep = content.enterprise.department(dep_id) if dep_id else None
    return dep.name if dep else ""


def _post_name(content: Content, post_id: str | None) -> str:
    post = content.enterprise.post(post_id) if post_id else None
    return post.name if post else ""


def risk_data(content: Content, r: RiskPoint) -> dict[str, Any]:
    a = r.assessment
    return {
        "id": r.id,
        "name": r.name,
        "kind": r.kind,
        "department": _dept_name(content, r.department),
        "posts": [_post_name(content, p) for p in r.posts],
        "hazards": list(r.hazards),
        "accidents": list(r.accidents),
        "method": a.method,
        "formula": a.formula,
        "score": a.score,
        "level": _level(r.level),
        "controls": [{"kind": zh, "items": items} for zh, items in r.controls.groups()],
        "control_level": r.control_level,
        "responsible": r.responsible,
    }


def sorted_risks(risks: list[RiskPoint]) -> list[RiskPoint]:
    """Highest level first, then the higher score, then by id (a stable, readable register)."""
    return sorted(risks, key=lambda r: (-int(r.level), -r.assessment.score, r.id))


def checklist_data(content: Content, cl: Checklist) -> dict[str, Any]:
    return {
        "id": cl.id,
        "title": cl.title,
        "level": cl.level,
        "level_title": cl.level_title,
        "department": _dept_name(content, cl.department),
        "post": _post_name(content, cl.post),
        "issued_by": cl.issued_by or "",
        "revised": zh_date(cl.last_revised) if cl.last_revised else "",
        "frequencies": sorted({it.frequency for it in cl.items}, key="日周月季年".index),
        "items": [it.model_dump(mode="json") for it in cl.items],
    }


def phones(content: Content, post_id: str) -> list[dict[str, str]]:
    out = [{"name": p.name, "number": p.number} for p in content.enterprise.emergency_phones]
    card = content.cards.get(post_id)
    for line in card.phones if card else []:
        name, sep, number = line.rpartition("：") if "：" in line else line.rpartition(":")
        out.append({"name": name.strip() if sep else "", "number": (number if sep else line).strip()})
    return out


def post_url(content: Content, post_id: str) -> str:
    """The post's page on the enterprise site (mkdocs, use_directory_urls: true)."""
    return f"{content.enterprise.site.base_url}posts/{post_id}/"


def qr_svg(url: str) -> str:
    """Inline SVG of a QR code (segno output, not content: safe to embed as markup)."""
    return segno.make(url, error="m", micro=False).svg_inline(scale=1, border=2, omitsize=True, dark="#000")


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
                {"id": rid, "name": risk_names[rid].name, "level": _level(risk_names[rid].level)}
                for rid in rc.risk_points if rid in risk_names
            ]
    return {
        "id": post.id,
        "name": post.name,
        "department": _dept_name(content, post.department),
        "headcount": post.headcount,
        "certificate": post.certificate or "",
        "key_post": post.key_post,
        "manager": post.manager,
        "level": _level(content.post_level(post.id)),
        "responsibility": resp.model_dump(mode="json") if resp else None,
        "standard": standard,
        "risks": [risk_data(content, r) for r in risks],
        "card": card.model_dump(mode="json") if card else None,
        "signs": [{"kind": k, "items": v} for k, v in card.signs.groups() if v] if card else [],
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
                articles.append({"no": pdf.cn_number(n), "text": text})
            chapters.append({"title": ch.title, "articles": articles})
        out.append({"kind": "policy", "anchor": f"policy-{pol.id}", "title": pol.title, "chapters": chapters,
                    "revised": zh_date(pol.last_revised) if pol.last_revised else ""})
    return out


def training_data(content: Content) -> dict[str, Any] | None:
    tp = content.training
    if tp is None:
        return None

    def who(a: str) -> str:
        return _post_name(content, a) or a

    return {
        "year": tp.year,
        "items": [
            {"topic": t.topic, "kind": t.kind, "audience": [who(a) for a in t.audience], "hours": _hours(t.hours),
             "month": t.month, "trainer": t.trainer, "assessment": t.assessment or ""}
            for t in sorted(tp.items, key=lambda t: (t.month, t.id))
        ],
        "per_post": [
            {"post": p.name, "hours": _hours(sum(t.hours for t in content.post_training(p.id))),
             "topics": len(content.post_training(p.id))}
            for p in content.posts
        ],
        "total": _hours(sum(t.hours for t in tp.items)),
    }


def _hours(h: float) -> str:
    return str(int(h)) if float(h).is_integer() else f"{h:g}"


def enterprise_data(content: Content) -> dict[str, Any]:
    ent = content.enterprise
    return {
        "id": ent.id,
        "name": ent.name,
        "short_name": ent.short_name,
        "industry": ent.industry,
        "issuer": ent.issuer.full_name,
        "agency": ent.key_people.safety_agency.name,
        "principal": f"{ent.key_people.principal.title} {ent.key_people.principal.name}",
        "address": ent.address or "",
    }


def handbook_data(content: Content, posts: list[Post], booklet: bool = False) -> dict[str, Any]:
    hb = content.handbook
    revised = (hb.last_revised if hb else None) or content.build_date
    data = {
        "enterprise": enterprise_data(content),
        "has_spec": hb is not None,
        "title": hb.title if hb else "安全生产应知应会手册",
        "edition": hb.edition if hb else f"{content.build_date.year}年版",
        "revised": zh_date(revised),
        "revisions": [
            {"date": zh_date(r.date), "summary": r.summary, "approved_by": r.approved_by}
            for r in sorted(hb.revisions, key=lambda r: r.date)
        ] if hb else [],
        "foreword": list(hb.foreword) if hb else [],
        "general": general_data(content),
        "posts": [post_data(content, p) for p in posts],
        "booklet": booklet,
        "page_size": content.enterprise.settings.booklet_size if booklet else "A4",
        "risk_profile": content.enterprise.settings.risk_profile.name,
        "control_kinds": [zh for _, zh in CONTROL_KINDS],
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
        "signs": [{"kind": k, "items": v} for k, v in card.signs.groups() if v] if card else [],
        "ppe": list(card.ppe) if card else [],
        "phones": phones(content, post.id),
        "url": url,
        "qr": qr_svg(url),
        "agency": ent.key_people.safety_agency.name,
        "officer": ent.key_people.safety_officers[0].name,
        "officer_phone": ent.key_people.safety_officers[0].phone or "",
        "date": zh_date((card.last_revised if card else None) or content.build_date),
    }


# ------------------------------------------------------------------ sources


def _post_sources(content: Content, post_id: str) -> list[str]:
    out = []
    for folder in ("responsibilities", "job_standards", "cards"):
        for suffix in (".yaml", ".yml"):
            if (content.root / folder / f"{post_id}{suffix}").is_file():
                out.append(f"{folder}/{post_id}{suffix}")
    out += [content.sources[f"risk:{r.id}"] for r in content.post_risks(post_id) if f"risk:{r.id}" in content.sources]
    out += [content.sources[f"checklist:{c.id}"] for c in content.post_checklists(post_id) if f"checklist:{c.id}" in content.sources]
    return out


def _common_sources(content: Content) -> list[str]:
    out = ["enterprise.yaml"]
    if content.handbook:
        out.append("handbook.yaml")
        out += [content.sources[f"knowledge:{k}"] for k in content.handbook.general if f"knowledge:{k}" in content.sources]
        out += [content.sources[f"policy:{p}"] for p in content.handbook.extra_general if f"policy:{p}" in content.sources]
    return out


# ------------------------------------------------------------------ jobs


def _write(dest: Path, ctx: BuildContext, rendered: pdf.Rendered) -> None:
    dest.write_bytes(rendered.pdf)


def render_handbook(content: Content, data: dict[str, Any], font_set: pdf.FontSet) -> pdf.Rendered:
    ent = content.enterprise
    title = data["title"] if not data["booklet"] else f"{data['title']}（{data['booklet_post']['name']}）"
    return typst_pdf.render(
        "typst/handbook.typ", data, title=title, date=content.build_date, author=ent.name, font_set=font_set,
        subject=f"{ent.name}{data['title']}（{data['edition']}）", keywords=["安全生产", "应知应会手册", ent.industry],
    )


def render_card(content: Content, data: dict[str, Any], font_set: pdf.FontSet) -> pdf.Rendered:
    """Render the card; the template tightens the layout until it fits one A4 page."""
    ent = content.enterprise
    return typst_pdf.render(
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


def render_checklist(content: Content, data: dict[str, Any], font_set: pdf.FontSet) -> pdf.Rendered:
    ent = content.enterprise
    return typst_pdf.render(
        "typst/checklist.typ", data, title=data["title"], date=content.build_date, author=ent.name, font_set=font_set,
        subject=data["level_title"], keywords=["安全检查", data["level_title"]],
    )


def jobs(content: Content) -> list[Job]:
    font_set = pdf.fonts(content)
    fkey = font_set.key()
    date = str(content.build_date)
    out: list[Job] = []
    common_sources = _common_sources(content)
    posts = content.handbook_posts()

    def noted(ctx: BuildContext) -> None:
        for n in font_set.notes:
            ctx.note(n)

    hb_data = handbook_data(content, posts)

    def render_hb(dest: Path, ctx: BuildContext) -> None:
        noted(ctx)
        if content.handbook is None:
            ctx.note("未找到 handbook.yaml：应知应会手册只包含专业知识部分（通用知识需在 handbook.yaml 中配置）")
        _write(dest, ctx, render_handbook(content, hb_data, font_set))

    all_sources = common_sources + [s for p in posts for s in _post_sources(content, p.id)]
    all_sources += [content.sources[k] for k in content.sources if k.startswith("risk:")]
    if content.training:
        all_sources.append("training.yaml")
    engine = typst_pdf.version()
    out.append(Job("handbook/handbook.pdf", "handbook", {"data": hb_data, "fonts": fkey, "date": date, "engine": engine},
                   render_hb, templates=HANDBOOK_TEMPLATES, sources=all_sources))

    for post in content.posts:
        b_data = handbook_data(content, [post], booklet=True)
        c_data = card_data(content, post)

        def render_b(dest: Path, ctx: BuildContext, b_data=b_data) -> None:
            noted(ctx)
            _write(dest, ctx, render_handbook(content, b_data, font_set))

        def render_c(dest: Path, ctx: BuildContext, c_data=c_data) -> None:
            noted(ctx)
            rendered = render_card(content, c_data, font_set)
            if rendered.pages > 1:
                ctx.note(f"岗位安全风险告知卡“{c_data['post']['name']}”内容过多，排成了 {rendered.pages} 页；请精简风险点或管控措施的文字")
            _write(dest, ctx, rendered)

        psources = _post_sources(content, post.id)
        out.append(Job(f"handbook/{post.id}.pdf", "booklet", {"data": b_data, "fonts": fkey, "date": date, "engine": engine},
                       render_b, templates=HANDBOOK_TEMPLATES, sources=common_sources + psources))
        out.append(Job(f"cards/{post.id}.pdf", "card", {"data": c_data, "fonts": fkey, "date": date, "engine": engine},
                       render_c, templates=CARD_TEMPLATES, sources=["enterprise.yaml", *psources]))

    for cid, cl in sorted(content.checklists.items()):
        cl_data = checklist_data(content, cl)
        cl_data["enterprise"] = enterprise_data(content)

        def render_cl(dest: Path, ctx: BuildContext, cl_data=cl_data) -> None:
            noted(ctx)
            _write(dest, ctx, render_checklist(content, cl_data, font_set))

        src = [content.sources[f"checklist:{cid}"]] if f"checklist:{cid}" in content.sources else []
        out.append(Job(f"checklists/{cid}.pdf", "checklist", {"data": cl_data, "fonts": fkey, "date": date, "engine": engine},
                       render_cl, templates=CHECKLIST_TEMPLATES, sources=["enterprise.yaml", *src]))
    return out


def warm_up() -> None:
    """Once per fleet worker: start its Typst compile server and load the fonts."""
    typst_pdf.warm_up()
