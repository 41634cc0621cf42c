"""Data shared by the printed outputs (handbook, booklets, cards, checklists, site): risk points,
checklists, phones, the post's page on the site and its QR code, the enterprise's header, and
which source files a post's documents come from."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..model import Checklist, Content, RiskPoint, zh_date
from ..model.levels import PERIODS
from ..render.fonts import FontSet
from .base import BuildContext


def _level(level) -> dict[str, str] | None:
    if level is None:
        return None
    return {"label": level.label, "css": level.css, "zh": level.zh, "colour": level.colour_zh, "value": int(level)}


def _dept_name(content: Content, dep_id: str | None) -> str:
    dep = content.enterprise.department(dep_id) if dep_id else None
    return dep.name if dep else ""


def with_name(name: str, title: str) -> str:
    """A title with the enterprise's name in front once (a title that already begins with it stays)."""
    return title if title.startswith(name) else f"{name}{title}"


def without_name(name: str, title: str) -> str:
    """A title printed under the enterprise's name: a leading copy of the name left out."""
    rest = title[len(name):].lstrip() if title.startswith(name) else title
    return rest or title


def safety_department(content: Content) -> str:
    """The name documents are signed with: the safety agency's department as enterprise.yaml lists it."""
    agency = content.enterprise.key_people.safety_agency
    dep = content.enterprise.department(agency.department) if agency.department else None
    return dep.name if dep else agency.name


def _post_name(content: Content, post_id: str | None) -> str:
    post = content.enterprise.post(post_id) if post_id else None
    return post.name if post else ""


def risk_data(content: Content, r: RiskPoint) -> dict[str, Any]:
    a = r.assessment
    return {
        "id": r.id,  # anchors only; documents print `code`
        "code": r.code or "",
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
        "control_level": content.levels.word(r.control_level),
        "responsible": r.responsible or "",
    }


def sorted_risks(risks: list[RiskPoint]) -> list[RiskPoint]:
    """Highest level first, then the higher score, then by id (a stable, readable register)."""
    return sorted(risks, key=lambda r: (-int(r.level), -r.assessment.score, r.id))


def checklist_items(content: Content, cl: Checklist) -> list[dict[str, Any]]:
    """The items as documents print them: the enterprise's code and level words, the frequency's wording."""
    return [
        {"code": it.code or "", "category": it.category, "content": it.content, "basis": it.basis or "", "method": it.method,
         "frequency": it.frequency.text, "period": it.period or "", "responsible": content.levels.word(it.responsible), "major": it.major,
         "major_basis": it.major_basis}
        for it in cl.items
    ]


def frequency_labels(cl: Checklist) -> list[str]:
    """The checklist's frequencies for its header: 日查、周查 … (by period), then free wording as written."""
    labels = {it.frequency.label: PERIODS.index(it.frequency.text) if it.frequency.text in PERIODS else len(PERIODS) for it in cl.items}
    return sorted(labels, key=lambda k: labels[k])


def checklist_data(content: Content, cl: Checklist) -> dict[str, Any]:
    items = checklist_items(content, cl)
    levels = content.levels
    return {
        "id": cl.id,
        "code": cl.code or "",
        "title": cl.title,
        "level": cl.level,
        "level_title": levels.checklist_title(cl.level),
        "unit_word": levels.unit_word(cl.level),
        "dept_word": levels.unit_word("车间"),  # who signs a post card's review: 车间（部门）, or the enterprise's word
        "team_word": levels.names[2],
        "department": _dept_name(content, cl.department),
        "post": _post_name(content, cl.post),
        "issued_by": cl.issued_by or "",
        "revised": zh_date(cl.last_revised) if cl.last_revised else "",
        "frequencies": frequency_labels(cl),
        "periods": sorted({it.period for it in cl.items if it.period}, key=PERIODS.index),
        "has_code": any(it["code"] for it in items),
        "has_basis": any(it["basis"] for it in items),
        "items": items,
        "grid": check_grid(cl),
    }


def check_grid(cl: Checklist) -> dict[str, Any] | None:
    """A 岗位（班组）安全检查卡片 is filled in over a period, one result column per check: a month of
    days when any item is checked daily (per shift), else a month of weeks, else a year of months.
    The 单位清单 and 车间表册 are filled in once per check (None: one result column)."""
    if cl.level != "岗位":
        return None
    frequencies = {it.period for it in cl.items}
    if "日" in frequencies:
        return {"unit": "日", "period": "月", "labels": [str(d) for d in range(1, 32)]}
    if "周" in frequencies:
        return {"unit": "周", "period": "月", "labels": [f"第{n}周" for n in range(1, 6)]}
    return {"unit": "月", "period": "年", "labels": [f"{m}月" for m in range(1, 13)]}


def check_item_text(content: Content, ref: str | None) -> str:
    """A hazard's checklist item as people find it: the checklist's title and the item's code (or number)."""
    found = content.check_item(ref)
    if found is None:
        return ref or ""
    cl, n, it = found
    return f"{cl.title} {it.code or f'第{n}项'}"


# The words a phone's name or a person's line ends with: "交通运输|服务监督电话", "仓储部装卸班|班长".
_NAME_ENDINGS = sorted(("服务监督电话", "监督电话", "服务热线", "举报投诉", "应急值班", "值班电话", "电话", "热线",
                        "值班", "报警", "投诉", "中心", "中控室", "班长", "部长", "主任", "主管", "队长", "经理", "总监"),
                       key=len, reverse=True)


def name_parts(text: str) -> list[str]:
    """A phone's name (or a person's "title name number") in the pieces its line may break between:
    at a space (kept at the end of its piece), around a bracketed part, and before the word a long
    name ends with; never inside a word (a piece of up to six characters is one word)."""
    out: list[str] = []
    for token in re.findall(r"\S+\s*", text.strip()):
        for piece in re.split(r"(?=（)|(?<=）)", token):
            word = piece.rstrip()
            tail = next((w for w in _NAME_ENDINGS if len(word) > 6 and word.endswith(w) and len(word) - len(w) >= 2), "")
            if tail and not word.startswith("（"):
                out += [word[:-len(tail)], piece[len(word) - len(tail):]]
            elif piece:
                out.append(piece)
    return out


def phones(content: Content, post_id: str) -> list[dict[str, Any]]:
    """The emergency numbers, each with the pieces its name and number may break between."""
    pairs = [(p.name, p.number) for p in content.enterprise.emergency_phones]
    card = content.cards.get(post_id)
    for line in card.phones if card else []:
        name, sep, number = line.rpartition("：") if "：" in line else line.rpartition(":")
        pairs.append((name.strip() if sep else "", (number if sep else line).strip()))
    return [{"name": n, "number": num, "name_parts": name_parts(n), "number_parts": name_parts(num)} for n, num in pairs]


def post_url(content: Content, post_id: str) -> str:
    """The post's page on the enterprise site (mkdocs, use_directory_urls: true)."""
    return f"{content.enterprise.site.base_url}posts/{post_id}/"


@lru_cache(maxsize=1024)
def qr_svg(url: str) -> str:
    """Inline SVG of a QR code (segno output, not content: safe to embed as markup). Remembered by
    URL: the handbook, each booklet and each card print the same post's code (~40 ms each)."""
    import segno

    return segno.make(url, error="m", micro=False).svg_inline(scale=1, border=2, omitsize=True, dark="#000")


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


def noted(ctx: BuildContext, font_set: FontSet) -> None:
    """Report the font notes (unusable font files) of a render."""
    for n in font_set.notes:
        ctx.note(n)
