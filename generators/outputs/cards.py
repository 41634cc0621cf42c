"""岗位安全风险告知卡 (seed 001 §二(二)3): cards/<post-id>.pdf, one page read on a wall, typeset by
Typst (site_templates/typst/card.typ).

Every card has the same layout and its body text is never under 10 pt: the post's 重大 and 较大 risk
points with their hazards, controls and emergency actions; the main hazards of its other risk
code of the post's page on the site and the page of the post's chapter in its booklet, where the
full list of risk points and controls is. Paper is A4 or A3 (an office prints nothing larger): with
settings.card_size `auto`, the default, A4 whenever the card fits it; `A4` or `A3` fix the size for
every card, and a card file's `size` for its post. When every risk point in full does not fit A3, the
others than 重大/较大 are set by their hazards, then only counted and named (see fit_steps)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from ..model import Content, Post, RiskPoint, zh_date
from ..render import typst
from ..render.fonts import FontSet, fonts
from ..render.weasy import Rendered
from .base import BuildContext, Job, Output, Settle
from .common import _dept_name, _level, _post_sources, enterprise_data, noted, phones, post_url, qr_svg, sorted_risks
from .handbook import handbook_data, render_handbook
from .signs import card_groups as sign_groups

CARD_TEMPLATES = ["typst/card.typ", "typst/common.typ", "signs"]

# settings.card_size `auto` tries these in turn: A4 whenever the card fits it, else A3.
AUTO_SIZES = ("A4", "A3")
# One body size on every card and every paper (the same layout everywhere), never under 10 pt.
MIN_BODY_PT = 10
BODY_PT = MIN_BODY_PT
# How the risk points other than 重大/较大 are set, from the most to the least: in full like those
# ("full"), by their hazards and accidents ("hazards"), by a count and their names ("count"); the
# booklet page printed on the card has them all in full. fitted_card takes the first of fit_steps
# that keeps the card on one page.
MODES = ("full", "hazards", "count")
# 重大 (4) and 较大 (3) risk points are set out in full on the card; the others by their hazards.
KEY_LEVEL = 3
# What a card shows of a risk point's controls (培训教育措施 stay in the booklet and on the site;
# 应急处置措施 have their own line).
CARD_CONTROL_KINDS = ("engineering", "management", "ppe")


def _risk(r: RiskPoint) -> dict[str, Any]:
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


# Where a sign's name may break between two lines (after its standard opening word, at a comma,
# before 位置/方向): "必须戴|安全帽", "禁止合闸，|有人工作"; never inside a word.
_SIGN_OPENINGS = ("必须佩戴", "必须戴", "必须穿", "必须系", "必须", "禁止", "当心", "注意", "紧急", "应急")
_SIGN_ENDINGS = ("位置", "方向")


def caption_parts(name: str) -> list[str]:
    """A sign's name in the pieces its caption may break between (a short name is one piece)."""
    if len(name) <= 4:
        return [name]
    out: list[str] = []
    for piece in name.replace("，", "，\n").split("\n"):
        if len(piece.rstrip("，")) <= 4:
            out.append(piece)
            continue
        head = next((w for w in _SIGN_OPENINGS if piece.startswith(w) and len(piece) > len(w) + 1), "")
        rest = piece[len(head):]
        tail = next((w for w in _SIGN_ENDINGS if rest.endswith(w) and len(rest) > len(w) + 1), "")
        out += [p for p in (head, rest[:len(rest) - len(tail)], tail) if p]
    return out


def note_parts(note: str) -> list[str]:
    """A sign's note, bracketed, in the pieces it may break between: after 、 and ， only, so
    "（开启人孔时）" stays whole and "（装卸、苫盖时）" breaks, if at all, after 、."""
    if not note:
        return []
    pieces = [p for p in re.split(r"(?<=[、，])", note) if p]
    pieces[0] = "（" + pieces[0]
    pieces[-1] += "）"
    return pieces


def _signs(groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [dict(g, signs=[dict(s, parts=caption_parts(s["text"]), note_parts=note_parts(s.get("note") or ""))
                           for s in g["signs"]]) for g in groups]


def _phones(content: Content, post_id: str) -> list[dict[str, str]]:
    """The emergency numbers, each number once (the first name given for it)."""
    seen: set[str] = set()
    out = []
    for ph in phones(content, post_id):
        key = "".join(ch for ch in ph["number"] if ch.isdigit()) or ph["number"]
        if key not in seen:
            seen.add(key)
            out.append(ph)
    return out


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
        "key_risks": [_risk(r) for r in risks if int(r.level) >= KEY_LEVEL],
        "other_risks": [_risk(r) for r in risks if int(r.level) < KEY_LEVEL],
        "emergency": [e.model_dump(mode="json") for e in card.emergency] if card else [],
        "signs": _signs(sign_groups(card.signs)) if card else [],
        "ppe": list(card.ppe) if card else [],
        "phones": _phones(content, post.id),
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


def render_card(content: Content, data: dict[str, Any], font_set: FontSet, steps: list[tuple[str, str]]) -> Rendered:
    """The card on the first of `steps` ((paper, mode), see fit_steps) whose body the template measures
    as fitting its paper, else on the last: one compile. card_fit tells which it took."""
    ent = content.enterprise
    return typst.render(
        "typst/card.typ", {"card": data, "steps": [list(step) for step in steps], "body": BODY_PT},
        title=f"{data['post']['name']}岗位安全风险告知卡", date=content.build_date, author=ent.name,
        font_set=font_set, keywords=["岗位安全风险告知卡", data["post"]["name"]],
    )


# card.typ labels the card's title "card-fit-<paper>-<mode>": a named destination in the PDF
_FIT = re.compile(rb"\(card-fit-(A4|A3)-(full|hazards|count)\)")


def card_fit(pdf: bytes) -> tuple[str, str] | None:
    """The (paper, mode) a card's PDF was set on, from its title's named destination."""
    found = _FIT.search(pdf)
    return (found[1].decode(), found[2].decode()) if found else None


def fit_steps(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(paper, mode) in the order fitted_card tries them: A4 whenever the card fits it with the main
    hazards of every risk point (in full, then the others by their hazards); then A3 in full, by
    hazards and, last, the others counted. A fixed size tries its own paper in the three modes."""
    modes = MODES if data["other_risks"] else MODES[:1]
    if data["size"] != "auto":
        return [(data["size"], mode) for mode in modes]
    return [("A4", mode) for mode in modes[:2]] + [("A3", mode) for mode in modes]


def fitted_card(content: Content, data: dict[str, Any], font_set: FontSet) -> tuple[Rendered, str]:
    """The card on the first of fit_steps that holds it on one page (else on the last), and its paper.

    One compile: the template measures the steps and sets the first that fits. The page count stays
    the judge: should the card still run over, each step after the one taken is compiled on its own,
    in turn, as before the template measured (so a measuring slip costs compiles, never the fit)."""
    steps = fit_steps(data)
    rendered = render_card(content, data, font_set, steps)
    taken = card_fit(rendered.pdf)
    paper = taken[0] if taken else steps[-1][0]
    if rendered.pages > 1:
        for paper, mode in steps[steps.index(taken) + 1 if taken in steps else 0:]:
            rendered = render_card(content, data, font_set, [(paper, mode)])
            if rendered.pages == 1:
                break
    return rendered, paper


def chapter_page(pdf: bytes, post_name: str) -> int | None:
    """The page (1-based) the booklet's bookmark of the post's chapter (“第N章　<post>”) points to."""
    try:
        return _chapter_page_read(pdf, post_name)
    except _NotPlain:  # a PDF not laid out as Typst writes it: read it in full
        return _chapter_page_pypdf(pdf, post_name)


def _is_chapter(title: str, post_name: str) -> bool:
    return title.startswith("第") and "章" in title and title.endswith("\u3000" + post_name)


def _chapter_page_pypdf(pdf: bytes, post_name: str) -> int | None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))

    def walk(items):
        for it in items:
            if isinstance(it, list):
                found = walk(it)
                if found:
                    return found
            elif _is_chapter(it.title, post_name):
                return reader.get_destination_page_number(it) + 1
        return None

    return walk(reader.outline)


class _NotPlain(Exception):
    """The PDF is not as _chapter_page_read expects (an xref stream, a literal title, an action…)."""


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_XREF = re.compile(rb"xref\s+")
_XREF_SECTION = re.compile(rb"(\d+) (\d+)\s+")
_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_OBJ_HEAD = re.compile(rb"(\d+) (\d+) obj\s*")


def _chapter_page_read(pdf: bytes, post_name: str) -> int | None:
    """chapter_page from the few objects it needs (the catalog, the outline items, the chapter's
    destination and the page tree), found through the cross-reference table, without reading the
    rest of the PDF as pypdf would (Typst writes a plain table and plain dictionaries); the same
    walk as pypdf's outline: each item, then its children, in order."""
    end = _STARTXREF.search(pdf, max(0, len(pdf) - 64))
    table = _XREF.match(pdf, int(end[1])) if end else None
    if not table:
        raise _NotPlain
    at = table.end()
    sections = []  # (first object, count, where its 20-byte entries start)
    while section := _XREF_SECTION.match(pdf, at):
        first, count = int(section[1]), int(section[2])
        sections.append((first, count, section.end()))
        at = section.end() + 20 * count
    trailer = pdf[at:end.start()]
    if not trailer.lstrip().startswith(b"trailer") or b"/Prev" in trailer:  # one table, no updates
        raise _NotPlain

    def offset(n: int) -> int:
        for first, count, start in sections:
            if first <= n < first + count:
                entry = _XREF_ENTRY.match(pdf, start + 20 * (n - first))
                if entry and entry[3] == b"n":
                    return int(entry[1])
        raise _NotPlain

    def obj(n: int) -> bytes:
        head = _OBJ_HEAD.match(pdf, offset(n))
        stop = pdf.find(b"endobj", head.end()) if head else -1
        if not head or int(head[1]) != n or stop < 0:
            raise _NotPlain
        body = pdf[head.end():stop]
        if b"stream" in body:
            raise _NotPlain
        return body

    def ref(body: bytes, key: bytes) -> int | None:
        found = re.search(rb"/" + key + rb"\s*(\d+) 0 R", body)
        return int(found[1]) if found else None

    root = ref(trailer, b"Root")
    outlines = ref(obj(root), b"Outlines") if root is not None else None
    if outlines is None:
        return None

    def title(body: bytes) -> str:
        """The item's title when it is Unicode (a hex string with a byte order mark); a title in
        PDFDocEncoding has no Chinese, so no chapter's: ""."""
        found = re.search(rb"/Title\s*(?:<([0-9A-Fa-f\s]*)>|(\())", body)
        if not found or found[2]:
            raise _NotPlain  # a literal string: pypdf reads its escapes
        raw = bytes.fromhex(found[1].decode("ascii"))
        return raw[2:].decode("utf-16-be") if raw.startswith(b"\xfe\xff") else ""

    def walk(item: int | None, seen: set[int]) -> int | None:
        while item is not None:
            if item in seen:
                raise _NotPlain
            seen.add(item)
            body = obj(item)
            if _is_chapter(title(body), post_name):
                return destination(body)
            found = walk(ref(body, b"First"), seen)
            if found is not None:
                return found
            item = ref(body, b"Next")
        return None

    def destination(body: bytes) -> int:
        """The 1-based page of the item's destination: an array [page /XYZ …], inline or referenced."""
        dest = re.search(rb"/Dest\s*(?:(\d+) 0 R|(\[))", body)
        if not dest:
            raise _NotPlain  # a named destination or a link action
        target = re.match(rb"\[\s*(\d+) 0 R", body[dest.start(2):] if dest[2] else obj(int(dest[1])).strip())
        index = _page_index(obj, ref(obj(root), b"Pages"), int(target[1])) if target else None
        if index is None:
            raise _NotPlain
        return index + 1

    return walk(ref(obj(outlines), b"First"), set())


def _page_index(obj, node: int | None, page: int) -> int | None:
    """The index of page object `page` among the leaves of the page tree under `node`, in order."""
    count = 0

    def visit(n: int) -> int | None:
        nonlocal count
        body = obj(n)
        if re.search(rb"/Type\s*/Pages(?![A-Za-z])", body):
            kids = re.search(rb"/Kids\s*\[([^\]]*)\]", body)
            if not kids:
                raise _NotPlain
            for kid in re.findall(rb"(\d+) 0 R", kids[1]):
                found = visit(int(kid))
                if found is not None:
                    return found
            return None
        if n == page:
            return count
        count += 1
        return None

    return visit(node) if node is not None else None


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
           "papers": [AUTO_SIZES, BODY_PT, MODES]}
    out: list[Job] = []
    for post in content.posts:
        c_data = card_data(content, post)
        # The card prints the page its post's chapter starts on in the booklet, read from the booklet
        # (`after`) once it is there: the booklet's data keeps the key right when the card has to
        # render the booklet itself. A change that moves nothing on the card (a library point added
        # to the booklet's 通用知识, the chapter still on the same page) carries the last card over.
        b_data = handbook_data(content, [post], booklet=True)

        def page(ctx: BuildContext, b_data=b_data, post=post) -> dict[str, Any]:
            return {"booklet_page": booklet_page(content, post, ctx, font_set, b_data)}

        def render_c(dest: Path, ctx: BuildContext, c_data=c_data, post=post, page=page) -> None:
            noted(ctx, font_set)
            facts = ctx.facts if ctx.facts is not None else page(ctx)  # rendered on its own, outside a build
            data = dict(c_data, booklet=dict(c_data["booklet"], page=facts["booklet_page"]))
            rendered, paper = fitted_card(content, data, font_set)
            if rendered.pages > 1:
                advice = "请在告知卡文件中设置 A3 纸张（size: A3），或精简风险点的文字" if paper != "A3" else "请精简重大、较大风险点或管控措施的文字"
                ctx.note(f"岗位安全风险告知卡“{c_data['post']['name']}”在 {paper} 纸上排成了 {rendered.pages} 页；{advice}")
            dest.write_bytes(rendered.pdf)

        out.append(Job(f"cards/{post.id}.pdf", "card", {"data": c_data, "booklet": b_data, **key}, render_c, templates=CARD_TEMPLATES,
                       sources=["enterprise.yaml", *_post_sources(content, post.id)], after=[booklet_output(post)],
                       settle=Settle(page, stands_for=("booklet",))))
    return out


OUTPUT = Output("cards", ("card",), jobs, typst.warm_up)
