"""The inspector's layout review of the three samples' Typst PDFs, measured in the PDFs themselves:
risk cards on A4 or A3 in one 10 pt layout with every 重大/较大 risk point and its controls, each
number once and sign names never broken inside a word; checklists whose table continues onto a
page repeat its header there, and the sign-off keeps two items; booklets print no 安全要点 column
left blank, and the handbook names a post's card once, without nested brackets."""

from __future__ import annotations

import re
from collections import Counter

import pdfplumber
import pytest

from generators.outputs import cards
from generators.outputs.common import name_parts, phones
from tests.helpers.printed import OVER_A3, flat, stream_text
from tests.helpers.shared_build import SHARED_DATE, Builds, load_sample

pytestmark = pytest.mark.slow

SAMPLES = ("demo-transport", "demo-factory", "demo-chemical")
BUILD_DATE = SHARED_DATE
A4, A3 = (210, 297), (297, 420)
MIN_PT = 9.95  # 10 pt, allowing for the PDF's rounding
# The longest cards: one A3 page each (escort: 7 重大/较大, hazmat-driver: 9).
LONGEST_ON_A3 = {("demo-transport", "escort"), ("demo-transport", "hazmat-driver")}


@pytest.fixture(scope="module")
def built(shared_build) -> Builds:
    """The samples' full builds at BUILD_DATE (booklets, handbook, cards and checklists read here), shared by the run."""
    return Builds(shared_build)


@pytest.fixture(scope="module")
def contents():
    return {eid: load_sample(eid, BUILD_DATE) for eid in SAMPLES}


# ------------------------------------------------------------------ risk cards


@pytest.mark.parametrize("eid", SAMPLES)
def test_cards_are_a4_or_a3_with_one_body_size_and_every_key_risk_with_its_controls(built, contents, eid):
    content = contents[eid]
    bodies = set()
    for post in content.posts:
        with pdfplumber.open(built / eid / "cards" / f"{post.id}.pdf") as pdf:
            assert len(pdf.pages) == 1 or (eid, post.id) in OVER_A3, post.id
            page = pdf.pages[0]
            size = (round(float(page.width) / 72 * 25.4), round(float(page.height) / 72 * 25.4))
            assert size in (A4, A3), (post.id, size)
            chars = [ch for ch in page.chars if ch["text"].strip()]
            assert min(ch["size"] for ch in chars) >= MIN_PT, (post.id, min(ch["size"] for ch in chars))
            bodies.add(round(Counter(round(ch["size"], 1) for ch in chars).most_common(1)[0][0]))
        text = stream_text(built / eid / "cards" / f"{post.id}.pdf")
        assert "岗位风险点及管控措施" in text, post.id
        for r in content.post_risks(post.id):
            assert flat(r.name) in text, (post.id, r.name)  # every risk point at least by its name
            if int(r.level) >= cards.KEY_LEVEL:  # 重大/较大: its hazards, controls and emergency actions
                for item in r.hazards + r.controls.engineering + r.controls.management + r.controls.ppe + r.controls.emergency:
                    assert flat(item) in text, (post.id, r.name, item)
        assert "《" in text and "第" in text and "页" in text  # the page reference into the booklet
        assert "http" not in text  # the address is in the QR code, not printed small
    assert bodies == {10}, bodies  # one body size on every card


def test_the_longest_transport_cards_fit_one_a3_page(built, shared_build):
    for eid, pid in sorted(LONGEST_ON_A3):
        with pdfplumber.open(built / eid / "cards" / f"{pid}.pdf") as pdf:
            assert len(pdf.pages) == 1, pid
            page = pdf.pages[0]
            assert (round(float(page.width) / 72 * 25.4), round(float(page.height) / 72 * 25.4)) == A3, pid
    for eid in SAMPLES:  # the build no longer says a card ran onto a second page
        notes = shared_build(eid).notes
        assert not [n for n in notes if "排成了" in n], (eid, notes)


def test_a_card_is_a4_when_it_fits_and_a3_cards_do_not_fit_a4(contents):
    """fit_steps: A4 first; and a card built on A3 really does not fit A4 (dispatcher used to leave
    a 52 mm band on A3 at 13 pt)."""
    data = {"size": "auto", "other_risks": [{}]}
    steps = cards.fit_steps(data)
    assert steps[0] == ("A4", "full") and {p for p, _ in steps} == {"A4", "A3"}
    assert cards.fit_steps({"size": "A4", "other_risks": []}) == [("A4", "full")]


@pytest.mark.parametrize("eid", SAMPLES)
def test_card_phone_numbers_once_and_sign_names_unbroken(built, contents, eid):
    content = contents[eid]
    for post in content.posts:
        with pdfplumber.open(built / eid / "cards" / f"{post.id}.pdf") as pdf:
            lines = [flat(line["text"]) for page in pdf.pages for line in page.extract_text_lines()]
        text = stream_text(built / eid / "cards" / f"{post.id}.pdf")
        data = cards.card_data(content, post)
        elsewhere = flat(str([data["key_risks"], data["other_risks"], data["emergency"], data["officer_phone"]]))
        numbers = {m for p in phones(content, post.id) for m in re.findall(r"\d[\d-]{6,}\d", p["number"])}
        for number in numbers:  # a full number (not 110/119/120) in the phone box once, whatever else quotes it
            assert text.count(number) == 1 + elsewhere.count(number), (post.id, number)
        for group in data["signs"]:
            for sign in group["signs"]:
                for part in sign["parts"]:  # each word of a sign's name whole on one line
                    assert any(flat(part) in line for line in lines), (post.id, sign["text"], part)
                for part in sign["note_parts"]:  # its note, broken (if at all) only after 、 or ，
                    assert any(flat(part) in line for line in lines), (post.id, sign["text"], sign["note"], part)
        if data["date"]:  # the publication date whole on one line
            assert any(flat("发布日期：" + data["date"]) in line for line in lines), (post.id, data["date"])
        for ph in data["phones"]:  # a phone's name and number broken only between their words ("举报投诉" whole)
            assert "".join(ph["name_parts"]) == ph["name"] and "".join(ph["number_parts"]) == ph["number"], ph
            for part in ph["name_parts"] + ph["number_parts"]:
                assert any(flat(part) in line for line in lines), (post.id, ph["name"], part)


def test_sign_note_parts_break_only_after_punctuation():
    assert cards.note_parts("开启人孔时") == ["（开启人孔时）"]
    assert cards.note_parts("装卸、苫盖时") == ["（装卸、", "苫盖时）"]
    assert cards.note_parts("") == []


def test_phone_name_parts_break_only_between_words():
    assert name_parts("安全生产举报投诉") == ["安全生产", "举报投诉"]
    assert name_parts("交通运输服务监督电话") == ["交通运输", "服务监督电话"]
    assert name_parts("动态监控中心（24小时）") == ["动态监控中心", "（24小时）"]
    assert name_parts("车队长 宋志刚 0355-2186130") == ["车队长 ", "宋志刚 ", "0355-2186130"]
    assert name_parts("火警") == ["火警"] and name_parts("") == []


def test_caption_parts_break_only_between_words():
    assert cards.caption_parts("禁止烟火") == ["禁止烟火"]
    assert cards.caption_parts("必须戴安全帽") == ["必须戴", "安全帽"]
    assert cards.caption_parts("禁止合闸，有人工作") == ["禁止合闸，", "有人工作"]
    assert cards.caption_parts("紧急切断按钮位置") == ["紧急", "切断按钮", "位置"]


# ------------------------------------------------------------------ checklists

DAILY = {"demo-transport": ["card-fleet-captain", "card-freight-driver", "card-loading-manager", "card-mechanic",
                            "card-safety-officer", "card-welder"],
         "demo-factory": ["safety-officer-card", "welder-card", "warehouse-dept"]}


def _item_rows(page, items) -> int:
    """Items of a checklist on a page: those whose text's opening (its first line) is there."""
    text = flat(page.extract_text())
    return sum(1 for it in items if flat(it.content)[:6] in text)


@pytest.mark.parametrize("eid", SAMPLES)
def test_checklist_pages_that_continue_the_table_repeat_its_header(built, contents, eid):
    for cid, cl in contents[eid].checklists.items():
        with pdfplumber.open(built / eid / "checklists" / f"{cid}.pdf") as pdf:
            daily = "检查结果（每日一栏" in flat(pdf.pages[0].extract_text())
            for page in pdf.pages[1:]:
                rows = _item_rows(page, cl.items)
                if not rows:
                    continue
                text = flat(page.extract_text())
                for col in ("检查内容", "发现问题", "整改要求/责任人"):
                    assert col in text, (cid, page.page_number, col)
                if daily:
                    words = page.extract_words()
                    days = [w for w in words if w["text"] == "31"]
                    assert days, (cid, page.page_number)  # the day numbers 1–31
            last = pdf.pages[-1]
            if len(pdf.pages) > 1:  # the sign-off never with fewer than two items
                assert _item_rows(last, cl.items) >= 2, (cid, len(pdf.pages))


@pytest.mark.parametrize("eid", [e for e in DAILY])
def test_cards_that_fit_one_sheet_are_one_sheet(built, eid):
    for cid in DAILY[eid]:
        with pdfplumber.open(built / eid / "checklists" / f"{cid}.pdf") as pdf:
            assert len(pdf.pages) == 1, cid
            sizes = Counter(round(ch["size"], 1) for ch in pdf.pages[0].chars if ch["text"].strip())
            assert sizes.most_common(1)[0][0] >= 8.95, cid  # the items' text at 9 pt at least


# ------------------------------------------------------------------ booklets and handbook


@pytest.mark.parametrize("eid", SAMPLES)
def test_no_safety_column_left_blank_and_every_safety_note_printed(built, contents, eid):
    content = contents[eid]
    for post in content.posts:
        std = content.job_standards.get(post.id)
        if not std or not std.process.steps:
            continue
        path = built / eid / "handbook" / f"{post.id}.pdf"
        text = stream_text(path)
        for st in std.process.steps:
            if st.safety:
                assert flat(st.safety) in text, (post.id, st.name)
        with pdfplumber.open(path) as pdf:  # page by page, up to the first page with the column
            has_column = any("作业内容与标准安全要点" in flat(page.extract_text()) for page in pdf.pages)
        assert has_column == all(st.safety for st in std.process.steps), post.id


@pytest.mark.parametrize("eid", SAMPLES)
def test_handbook_names_each_card_once_without_nested_brackets(built, contents, eid):
    with pdfplumber.open(built / eid / "handbook" / "handbook.pdf") as pdf:
        text = "".join(flat(p.extract_text()) for p in pdf.pages)
    assert "（岗位（班组）安全检查卡片）" not in text
    assert not re.search(r"（[^（）]*（[^（）]*）[^（）]*安全检查(卡片|表册|清单)）", text)
    for post in contents[eid].handbook_posts():
        for cl in contents[eid].post_checklists(post.id):
            assert flat(cl.title) in text, cl.id
