"""GB/T 9704-2012 layout of a notice, independent of the output format.

`lay_out(content, notice)` turns a `Notice` into a `NoticeLayout`: the version
head (份号, 密级, 紧急程度, 标志, 发文字号), the title broken into balanced lines,
the body as numbered paragraphs, the signature block, the attachments typeset
in full and the 版记. The .docx writer (notice_docx) and the HTML/PDF fallback
(notice_pdf) both render this one structure with the measurements below.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from functools import lru_cache

from ...model import Content, Heading, Notice, Plan, Policy, zh_date
from ...model.documents import TITLE_MAX_LINES
from ...zh import AMBIGUOUS, char_width, cn_number, em_width, title_width  # noqa: F401 - AMBIGUOUS, char_width: used through this module

# ------------------------------------------------------------------ geometry (mm, pt)

PAGE_W_MM, PAGE_H_MM = 210.0, 297.0
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 37.0, 35.0, 28.0, 26.0
TEXT_W_MM = PAGE_W_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM  # 156
TEXT_H_MM = PAGE_H_MM - MARGIN_TOP_MM - MARGIN_BOTTOM_MM  # 225
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28

PT_PER_MM = 72 / 25.4
TWIPS_PER_MM = 1440 / 25.4
SIZE_2HAO, SIZE_3HAO, SIZE_4HAO = 22.0, 16.0, 14.0  # 2号, 3号, 4号 in pt

# One grid line: the text height shared by 22 lines, rounded down to whole twips so 22 fit.
LINE_PITCH_TWIPS = math.floor(TEXT_H_MM * TWIPS_PER_MM / LINES_PER_PAGE)  # 579
LINE_PITCH_PT = LINE_PITCH_TWIPS / 20
# One character of the grid: 156 mm / 28 (a 3号 character is 16 pt, the grid squeezes it).
CHAR_PITCH_PT = TEXT_W_MM * PT_PER_MM / CHARS_PER_LINE  # 15.79

MARK_TOP_MM = 35.0  # top of the 发文机关标志 below the top of the text area
MARK_MAX_PT = 62.0  # about 22 mm glyphs: the usual upper size of a 标志
RULE_BELOW_NUMBER_MM = 4.0  # red separator under the 发文字号
FOOTER_GAP_MM = 7.0  # page number line under the text area
FOOTER_LINE_PT = SIZE_4HAO  # exact height of the footer line
FOOTER_DISTANCE_MM = MARGIN_BOTTOM_MM - FOOTER_GAP_MM - FOOTER_LINE_PT / PT_PER_MM  # 23.06
SEAL_MM = 42.0
TITLE_MAX_CHARS = math.floor(TEXT_W_MM * PT_PER_MM / SIZE_2HAO)  # 20 characters of 2号
IMPRINT_RULE_OUTER_MM, IMPRINT_RULE_INNER_MM = 0.35, 0.25

RED = "FF0000"

# Where the 版记 goes (GB/T 9704 7.4.1, 7.5): on the last page, which is an even page.
IMPRINT_SAME = "same"  # under the text on its last page (an even page, with room for it)
IMPRINT_NEXT_PAGE = "next"  # the text ends on an odd page: the 版记 alone on the next page, numbered
IMPRINT_BLANK_PAGE = "blank"  # the text fills an even page: a blank page, then the 版记; neither numbered

NO_LINE_START = set("，。、；：！？）》〉」』”’…—·%％")
NO_LINE_END = set("（《〈「『“‘")

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def heading_label(depth: int, n: int) -> str:
    """一、 / （一） / 1. / （1）, then ① for anything deeper than the standard's four levels."""
    if depth == 0:
        return f"{cn_number(n)}、"
    if depth == 1:
        return f"（{cn_number(n)}）"
    if depth == 2:
        return f"{n}."
    if depth == 3:
        return f"（{n}）"
    return CIRCLED[n - 1] if n <= len(CIRCLED) else f"（{n}）"


# ------------------------------------------------------------------ the layout structure

# Font roles; the writer maps them through the enterprise's FontMap.
XBS, FS, HT, KT, ST = "xiaobiaosong", "fangsong", "heiti", "kaiti", "songti"


@dataclass
class Run:
    text: str
    font: str = FS


@dataclass
class Para:
    runs: list[Run]
    align: str = "justify"  # justify | left | center | right
    size: float = SIZE_3HAO
    first_chars: float = 0.0  # first-line indent in characters (negative: hanging)
    left_chars: float = 0.0
    right_chars: float = 0.0
    keep_next: bool = False
    page_break: bool = False
    role: str = "body"  # for tests and the HTML classes

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


def blank(role: str = "blank", keep_next: bool = False) -> Para:
    return Para([], role=role, keep_next=keep_next)


@dataclass
class AttachmentLayout:
    label: str  # 附件1
    title_lines: list[str]
    paras: list[Para]


@dataclass
class NoticeLayout:
    notice_id: str
    copy_number: str | None
    secrecy: str | None
    urgency: str | None
    mark: str
    mark_pt: float
    number: str
    signer: str | None
    title_lines: list[str]
    to: str
    body: list[Para]
    attachment_note: list[Para]  # "附件：1. ××", wrapped names aligned with the first name
    signature: str
    date: str
    seal: bool
    note: str | None
    attachments: list[AttachmentLayout]
    cc: str | None  # "抄送：××，××。"
    printer: str
    print_date: str
    fonts: dict[str, str] = field(default_factory=dict)  # role -> font name

    # horizontal placement of 署名 and 成文日期, in characters from the right edge
    @property
    def signature_right_chars(self) -> tuple[float, float]:
        return signature_indents(self.signature, self.date, self.seal)


def signature_indents(signature: str, date: str, seal: bool) -> tuple[float, float]:
    """(署名 right indent, 成文日期 right indent) in characters, per GB/T 9704 7.3.5."""
    sig_w, date_w = em_width(signature), em_width(date)
    if seal:
        # date 4 字 from the right, 署名 centred over the date
        date_right = 4.0
        sig_right = date_right + date_w / 2 - sig_w / 2
        if sig_right < 0:  # a long 署名: keep it in the text area, the date stays centred under it
            date_right -= sig_right
            sig_right = 0.0
        return sig_right, date_right
    # no seal: 署名 2 字 from the right, the date's first character 2 字 right of the 署名's
    if sig_w - 2 >= date_w:
        return 2.0, sig_w - date_w
    return 2.0 + date_w + 2 - sig_w, 2.0


def imprint_placement(text_end_page: int, fits: bool) -> str:
    """Where the 版记 goes when the text ends on `text_end_page` and the 版记 `fits` under it.

    The 版记 is on the last page, the back of the last sheet: an even page. Text ending on an odd
    page sends the 版记 to the next page (numbered, as every page with content). Text that fills an
    even page needs a blank page first; 7.5: "公文的版记页前有空白页的，空白页和版记页均不编排页码"."""
    if text_end_page % 2:
        return IMPRINT_NEXT_PAGE
    return IMPRINT_SAME if fits else IMPRINT_BLANK_PAGE


def mark_size(mark: str) -> float:
    """The 标志's font size: as large as fits the 156 mm text width, capped at MARK_MAX_PT."""
    width_pt = TEXT_W_MM * PT_PER_MM * 0.98  # leave 2 % so rounding never wraps it
    size = min(MARK_MAX_PT, width_pt / max(em_width(mark), 1.0))
    return math.floor(size * 2) / 2


# ------------------------------------------------------------------ title breaking


# Terms of the safety domain that must never be split across title lines.
TITLE_WORDS = (
    "安全生产", "安全生产月", "治本攻坚", "三年行动", "实施方案", "实施细则", "行动方案", "动态监控",
    "应知应会", "隐患排查", "隐患治理", "风险分级", "分级管控", "双重预防", "标准化", "主体责任",
    "委员会", "安委会", "安委办", "责任制", "危险货物", "道路运输", "有限公司", "应急预案", "教育培训",
)
# Good places to break a title: before 关于 and 《, after 》.
PREFERRED_BEFORE = ("关于", "《")
PREFERRED_AFTER = ("》",)


class _Overlay(dict):
    """A dictionary of its own entries over jieba's process-wide one, which it never writes to:
    what jieba reads of its FREQ (`in`, `[]`, `get`) sees both, its own first."""

    @property
    def base(self) -> dict:
        import jieba

        return jieba.dt.FREQ

    def __missing__(self, key):
        return self.base[key]

    def __contains__(self, key) -> bool:
        return dict.__contains__(self, key) or key in self.base

    def get(self, key, default=None):
        return dict.get(self, key, self.base.get(key, default))


@lru_cache(maxsize=1)
def _tokenizer():
    """A jieba tokenizer of our own, so the domain words do not change other users of jieba. Its
    dictionary reads through to the process-wide one (loaded once, ~1 s; the site's search uses it
    too) as it is now, outside any site build, when that one holds jieba's own words only; the
    words added here stay in the overlay (a copy of the dictionary would cost ~30 MB a process)."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    tok = jieba.Tokenizer()
    tok.FREQ, tok.total, tok.initialized = _Overlay(), jieba.dt.total, True
    for word in TITLE_WORDS:
        tok.add_word(word, freq=200000)
    return tok


def _break_allowed(text: str, pos: int) -> bool:
    prev, nxt = text[pos - 1], text[pos]
    if nxt in NO_LINE_START or prev in NO_LINE_END:
        return False
    if prev in "—-～~" or nxt in "—-～~":
        return False
    if prev.isdigit() and (nxt.isdigit() or nxt in "年月日号"):
        return False
    if prev.isascii() and prev.isalnum() and nxt.isascii() and nxt.isalnum():
        return False
    return True


def word_boundaries(text: str) -> list[int]:
    """Positions between jieba words where a line may break."""
    cuts, pos = [], 0
    for word in _tokenizer().lcut(text, HMM=True):
        pos += len(word)
        if 0 < pos < len(text) and _break_allowed(text, pos):
            cuts.append(pos)
    return cuts


def break_title(title: str, max_chars: int = TITLE_MAX_CHARS) -> list[str]:
    """Break a long title into balanced lines (trapezoid or diamond) at word boundaries."""
    total = title_width(title)
    if total <= max_chars:
        return [title]
    cuts = word_boundaries(title)
    best: tuple[float, list[str]] | None = None
    lines_min = math.ceil(total / max_chars)
    # one line more than needed may balance better, but never more than the model allows
    for k in range(lines_min, max(lines_min, min(lines_min + 1, TITLE_MAX_LINES)) + 1):
        for combo in _combinations(cuts, k - 1, title, max_chars):
            bounds = [0, *combo, len(title)]
            lines = [title[a:b] for a, b in zip(bounds, bounds[1:])]
            widths = [title_width(x) for x in lines]
            if max(widths) > max_chars:
                continue
            ideal = total / k
            cost = sum((w - ideal) ** 2 for w in widths) + 40 * (k - lines_min)
            cost -= sum(2.5 for c in combo if title.startswith(PREFERRED_BEFORE, c) or title[c - 1] in PREFERRED_AFTER)
            if k >= 3 and any(widths[i] < widths[i - 1] and widths[i] < widths[i + 1] for i in range(1, k - 1)):
                cost += 1000  # an hourglass is neither trapezoid nor diamond
            if best is None or cost < best[0]:
                best = (cost, lines)
        if best is not None:
            break
    if best is None:  # no word boundary fits: fall back to character breaks, still balanced
        k = lines_min
        per = math.ceil(len(title) / k)
        return [title[i : i + per] for i in range(0, len(title), per)]
    return best[1]


def _combinations(cuts: list[int], r: int, title: str, max_chars: int):
    """Break-point combinations; pruned to those whose lines can fit (titles are short)."""
    if r == 0:
        yield ()
        return
    if len(cuts) <= 40 or r <= 2:
        yield from itertools.combinations(cuts, r)
        return
    # long titles: greedy-balanced windows around the ideal positions
    step = len(title) / (r + 1)
    windows = [[c for c in cuts if abs(c - step * (i + 1)) <= max_chars / 2] or cuts for i in range(r)]
    for combo in itertools.product(*windows):
        if list(combo) == sorted(set(combo)):
            yield combo


# ------------------------------------------------------------------ body


def _join_heading(heading: str, text: str | None) -> tuple[str, str | None]:
    if text and heading[-1] not in "。！？：；":
        return heading + "。", text
    return heading, text


HEADING_FONTS = {0: HT, 1: KT}


def body_paras(blocks: list, depth: int = 0) -> list[Para]:
    """Paragraphs of a notice (or attachment) body, headings numbered by nesting."""
    out: list[Para] = []
    n = 0
    for block in blocks:
        if isinstance(block, Heading):
            n += 1
            label = heading_label(depth, n)
            head, text = _join_heading(block.heading, block.text)
            runs = [Run(label + head, HEADING_FONTS.get(depth, FS))]
            if text:
                runs.append(Run(text, FS))
            out.append(Para(runs, first_chars=2, keep_next=not text, role=f"h{min(depth, 3) + 1}"))
            out.extend(body_paras(block.body, depth + 1))
        else:
            out.append(Para([Run(str(block))], first_chars=2))
    return out


def policy_paras(policy: Policy) -> list[Para]:
    """第一章 … centred in 黑体; 第一条 … numbered continuously, the number in 黑体.

    No blank line before a chapter: a heading keeps with the first two lines of what follows,
    and a blank line kept with it would leave three or four empty lines at the foot of a page."""
    out: list[Para] = []
    article = 0
    for i, chapter in enumerate(policy.chapters, 1):
        out.append(Para([Run(f"第{cn_number(i)}章　{chapter.title}", HT)], align="center", keep_next=True, role="chapter"))
        for text in chapter.articles:
            article += 1
            out.append(Para([Run(f"第{cn_number(article)}条", HT), Run(f"　{text}")], first_chars=2, role="article"))
    return out


def plan_paras(plan: Plan) -> list[Para]:
    """Preamble, 一、 sections with numbered tasks (deadline, responsible unit, phase), 实施步骤."""
    out = [Para([Run(p)], first_chars=2) for p in plan.preamble]
    steps_section = next((i for i, s in enumerate(plan.sections) if "步骤" in s.title), None)
    n = 0
    for i, section in enumerate(plan.sections):
        n += 1
        out.append(Para([Run(f"{cn_number(n)}、{section.title}", HT)], first_chars=2, keep_next=True, role="h1"))
        out.extend(Para([Run(p)], first_chars=2) for p in section.paragraphs)
        for j, task in enumerate(section.tasks, 1):
            title, _ = _join_heading(task.title, task.content)
            extra = f"责任单位：{task.responsible}"
            if task.phase:
                extra += f"；所属阶段：{task.phase}"
            out.append(Para([Run(f"{j}.{title}（{task.deadline_text}）{task.content}（{extra}）")], first_chars=2, role="task"))
        if i == steps_section:
            out.extend(_phase_paras(plan))
    if plan.phases and steps_section is None:
        n += 1
        out.append(Para([Run(f"{cn_number(n)}、实施步骤", HT)], first_chars=2, keep_next=True, role="h1"))
        out.extend(_phase_paras(plan))
    return out


def _phase_paras(plan: Plan) -> list[Para]:
    out = []
    for k, phase in enumerate(plan.phases, 1):
        head = f"（{cn_number(k)}）{phase.name}。"  # the 楷体 heading; the dates follow in 仿宋
        when = f"{zh_date(phase.start)}—{zh_date(phase.end)}。"
        out.append(Para([Run(head, KT), Run(when + phase.work)], first_chars=2, role="h2"))
    return out


# ------------------------------------------------------------------ the whole notice


def attachment_titles(content: Content, notice: Notice) -> list[str]:
    titles = []
    for a in notice.attachments:
        if a.title:
            titles.append(a.title)
        elif a.policy:
            titles.append(content.policies[a.policy].title)
        else:
            titles.append(content.plans[a.plan].title)
    return titles


def attachment_note(titles: list[str]) -> list[Para]:
    """附件说明: indent 2 字; wrapped lines align with the first character of the name."""
    out = []
    for i, title in enumerate(titles, 1):
        number = f"{i}. " if len(titles) > 1 else ""
        start = 2.0 + (0 if i == 1 else em_width("附件："))
        name_at = 2.0 + em_width("附件：") + em_width(number)
        text = ("附件：" if i == 1 else "") + number + title
        out.append(Para([Run(text)], align="left", left_chars=name_at, first_chars=start - name_at, keep_next=True, role="attachment-note"))
    return out


def secrecy_text(notice: Notice) -> str | None:
    if not notice.secrecy:
        return None
    s = notice.secrecy
    return f"{s.level}★{s.period}" if s.period else s.level


def notice_fonts(content: Content) -> dict[str, str]:
    """Role → font name of the enterprise's notices (NoticeLayout.fonts)."""
    fonts = content.enterprise.settings.fonts
    return {XBS: fonts.xiaobiaosong, FS: fonts.fangsong, HT: fonts.heiti, KT: fonts.kaiti, ST: fonts.songti}


def lay_out(content: Content, notice: Notice) -> NoticeLayout:
    ent = content.enterprise
    issuer = ent.issuer
    titles = attachment_titles(content, notice)

    note_lines = attachment_note(titles)

    attachments = []
    for i, (a, title) in enumerate(zip(notice.attachments, titles), 1):
        if a.policy:
            paras = policy_paras(content.policies[a.policy])
        elif a.plan:
            paras = plan_paras(content.plans[a.plan])
        else:
            paras = body_paras(a.body)
        label = "附件" if len(titles) == 1 else f"附件{i}"
        attachments.append(AttachmentLayout(label, break_title(title), paras))

    cc = f"抄送：{'，'.join(notice.cc)}。" if notice.cc else None
    return NoticeLayout(
        notice_id=notice.id,
        copy_number=notice.copy_number,
        secrecy=secrecy_text(notice),
        urgency=notice.urgency,
        mark=issuer.mark,
        mark_pt=mark_size(issuer.mark),
        number=notice.number.render(issuer.code),
        signer=notice.signer,
        title_lines=break_title(notice.title),
        to=f"{notice.to}：",
        body=body_paras(notice.body),
        attachment_note=note_lines,
        signature=notice.signature or issuer.full_name,
        date=zh_date(notice.date),
        seal=notice.seal and bool(issuer.seal),
        note=f"（{notice.note}）" if notice.note else None,
        attachments=attachments,
        cc=cc,
        printer=notice.printer or issuer.full_name,
        print_date=f"{zh_date(notice.print_date or notice.date)}印发",
        fonts=notice_fonts(content),
    )
