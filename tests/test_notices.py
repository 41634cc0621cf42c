"""公文 .docx: reopened with python-docx/lxml and measured against GB/T 9704-2012."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from pydantic import ValidationError

from generators.load import load
from generators.model import Notice
from generators.outputs.notices import jobs, render_docx
from generators.outputs.notices import layout as L
from generators.outputs.notices.docx import CHAR_TWIPS, CONDENSE_TWIPS

FIXTURE = Path(__file__).parent / "fixtures" / "notices" / "fixture-notices"
DEMO = Path(__file__).parent.parent / "content" / "enterprises" / "demo-transport"
MM = 36000  # EMU per mm
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def content():
    content, diags = load(FIXTURE, build_date=dt.date(2026, 3, 1))
    assert content is not None and not diags.errors, [str(d) for d in diags]
    return content


@pytest.fixture(scope="module")
def docs(content):
    """notice id -> (bytes, Document)"""
    out = {}
    for nid, notice in content.notices.items():
        data = render_docx(content, notice, paginate="estimate")
        out[nid] = (data, Document(io.BytesIO(data)))
    return out


def paragraphs(doc):
    return doc.element.body.findall(qn("w:p"))


def text_of(p) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def find_para(doc, needle: str):
    for p in paragraphs(doc):
        if needle in text_of(p):
            return p
    raise AssertionError(f"no paragraph with {needle!r}")


def run_font(r) -> str:
    return r.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia"))


def run_size(r) -> float:
    return int(r.find(qn("w:rPr")).find(qn("w:sz")).get(qn("w:val"))) / 2


def runs(p):
    return [r for r in p.iter(qn("w:r")) if r.find(qn("w:t")) is not None]


# ---------------------------------------------------------------- page and grid


def test_page_size_margins_and_footer_distance(docs):
    for nid, (_, doc) in docs.items():
        sec = doc.sections[0]
        assert sec.page_width.mm == pytest.approx(210, abs=0.5), nid
        assert sec.page_height.mm == pytest.approx(297, abs=0.5), nid
        assert sec.top_margin.mm == pytest.approx(37, abs=0.5)
        assert sec.bottom_margin.mm == pytest.approx(35, abs=0.5)
        assert sec.left_margin.mm == pytest.approx(28, abs=0.5)
        assert sec.right_margin.mm == pytest.approx(26, abs=0.5)
        # the footer line (exactly 14 pt high) starts 7 mm under the text area
        footer_line_mm = 14 / 72 * 25.4
        assert sec.footer_distance.mm + footer_line_mm == pytest.approx(35 - 7, abs=0.3)


def test_document_grid_22_lines_28_chars(docs):
    for _, doc in docs.values():
        grid = doc.sections[0]._sectPr.find(qn("w:docGrid"))
        # a line grid only: LibreOffice sets a linesAndChars grid with charSpace -848 (28 characters
        # of 16 pt in Word) 27 characters a line (measured in test_notices_pdf)
        assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:charSpace")) is None
        pitch = int(grid.get(qn("w:linePitch")))
        text_h = 225 / 25.4 * 1440
        assert 22 * pitch <= text_h < 23 * pitch
    # the renderer-independent equivalent: exact grid lines and condensed 3号 characters
    text_w_twips = 156 / 25.4 * 1440
    assert 28 * CHAR_TWIPS <= text_w_twips < 29 * CHAR_TWIPS
    assert CHAR_TWIPS == 16 * 20 + CONDENSE_TWIPS
    _, doc = docs["n-2026-06"]
    body = find_para(doc, "根据上级部署")
    spacing = body.find(qn("w:pPr")).find(qn("w:spacing"))
    assert spacing.get(qn("w:line")) == str(L.LINE_PITCH_TWIPS) and spacing.get(qn("w:lineRule")) == "exact"
    assert body.find(qn("w:pPr")).find(qn("w:ind")).get(qn("w:firstLine")) == str(2 * CHAR_TWIPS)


# ---------------------------------------------------------------- fonts


def test_fonts_on_the_east_asian_slot_everywhere(docs):
    for nid, (_, doc) in docs.items():
        styles = doc.styles.element
        rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        assert rpr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
        assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
        for style in styles.findall(qn("w:style")):
            fonts = style.find(qn("w:rPr")).find(qn("w:rFonts"))
            assert fonts.get(qn("w:eastAsia")), style.get(qn("w:styleId"))
            assert fonts.get(qn("w:eastAsiaTheme")) is None
        parts = [doc.element] + [s.footer._element for s in doc.sections] + [s.even_page_footer._element for s in doc.sections]
        for part in parts:
            for r in part.iter(qn("w:r")):
                if r.find(qn("w:t")) is None and r.find(qn("w:instrText")) is None:
                    continue
                rpr = r.find(qn("w:rPr"))
                assert rpr.find(qn("w:rFonts")).get(qn("w:eastAsia")), (nid, text_of(r))
                assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
                text = "".join(t.text or "" for t in r.iter(qn("w:t")))
                if any(c in text for c in "“”—…《》"):
                    assert rpr.find(qn("w:rFonts")).get(qn("w:hint")) == "eastAsia", text
        settings = doc.settings.element
        assert settings.find(qn("w:themeFontLang")).get(qn("w:eastAsia")) == "zh-CN"


def test_fonts_per_element(docs):
    _, doc = docs["n-2026-05"]
    mark = find_para(doc, "晋阳顺达物流有限公司文件")
    (mark_run,) = runs(mark)
    assert run_font(mark_run) == "方正小标宋简体"
    title = find_para(doc, "关于印发《晋阳顺达")
    assert {run_font(r) for r in runs(title)} == {"方正小标宋简体"} and run_size(runs(title)[0]) == 22
    h1 = find_para(doc, "一、提高思想认识")
    assert run_font(runs(h1)[0]) == "黑体" and run_size(runs(h1)[0]) == 16
    h2 = find_para(doc, "（一）明确责任分工。")
    assert run_font(runs(h2)[0]) == "楷体_GB2312" and run_font(runs(h2)[1]) == "仿宋_GB2312"
    h3 = find_para(doc, "1.季度考核。")
    assert run_font(runs(h3)[0]) == "仿宋_GB2312"
    h4 = find_para(doc, "（1）考核结果应用。")
    assert run_font(runs(h4)[0]) == "仿宋_GB2312"
    body = find_para(doc, "为深入贯彻落实")
    assert run_font(runs(body)[0]) == "仿宋_GB2312" and run_size(runs(body)[0]) == 16
    label = find_para(doc, "附件1")
    assert run_font(runs(label)[0]) == "黑体"
    article = find_para(doc, "第一条")
    assert run_font(runs(article)[0]) == "黑体" and text_of(article).startswith("第一条　为建立健全")
    footer = doc.sections[0].footer._element
    assert {run_font(r) for r in footer.iter(qn("w:r"))} == {"宋体"}
    assert {run_size(r) for r in footer.iter(qn("w:r"))} == {14}


def test_enterprise_font_map_overrides_names(content):
    fonts = content.enterprise.settings.fonts
    custom = fonts.model_copy(update={"fangsong": "FandolFang"})
    ent = content.enterprise.model_copy(update={"settings": content.enterprise.settings.model_copy(update={"fonts": custom})})
    from dataclasses import replace

    other = replace(content, enterprise=ent)
    doc = Document(io.BytesIO(render_docx(other, other.notices["n-2026-06"], paginate="estimate")))
    assert run_font(runs(find_para(doc, "根据上级部署"))[0]) == "FandolFang"
    assert run_font(runs(find_para(doc, "一、活动主题"))[0]) == "黑体"


# ---------------------------------------------------------------- version head


def test_red_mark_fits_the_text_width_and_rule(docs):
    for nid, (_, doc) in docs.items():
        mark = find_para(doc, "晋阳顺达物流有限公司文件")
        (r,) = runs(mark)
        assert r.find(qn("w:rPr")).find(qn("w:color")).get(qn("w:val")) == "FF0000"
        size = run_size(r)
        assert size * len("晋阳顺达物流有限公司文件") <= 156 / 25.4 * 72  # never wider than the text area
        assert size >= 30
        assert mark.find(qn("w:pPr")).find(qn("w:jc")).get(qn("w:val")) == "center"
        number = find_para(doc, "顺达物〔2026〕")
        bottom = number.find(qn("w:pPr")).find(qn("w:pBdr")).find(qn("w:bottom"))
        assert bottom.get(qn("w:color")) == "FF0000" and bottom.get(qn("w:val")) == "single"
        ind = number.find(qn("w:pPr")).find(qn("w:ind"))
        if nid != "n-2026-07":  # a full-width rule: the paragraph has no indents
            assert ind is None


def test_mark_size_is_computed_from_its_length():
    assert L.mark_size("某某公司文件") == L.MARK_MAX_PT  # short marks stop at the cap
    long = "晋阳市某某某某某某道路运输集团有限责任公司文件"
    size = L.mark_size(long)
    assert size * len(long) <= 156 / 25.4 * 72
    assert size > 0.9 * 156 / 25.4 * 72 / len(long)


def test_doc_number_uses_tortoise_shell_brackets(docs, content):
    _, doc = docs["n-2026-05"]
    number = text_of(find_para(doc, "顺达物〔"))
    assert number == "顺达物\u30142026\u30155号"
    assert "[" not in number and "第" not in number
    data = content.notices["n-2026-05"].model_dump()
    for bad in ({"year": 26, "seq": 5}, {"year": 2026, "seq": 0}):
        with pytest.raises(ValidationError):
            Notice.model_validate({**data, "number": bad})


def test_copy_number_secrecy_and_urgency_lead_the_page(docs):
    _, doc = docs["n-2026-08"]
    first = paragraphs(doc)[:4]
    assert [text_of(p) for p in first[:3]] == ["000017", "秘密★6个月", "特急"]
    assert run_font(runs(first[1])[0]) == "黑体" and run_font(runs(first[2])[0]) == "黑体"
    assert text_of(first[3]) == "晋阳顺达物流有限公司文件"
    # the mark still starts 35 mm under the text area: the three lines are taken off its spacing
    before3 = int(first[3].find(qn("w:pPr")).find(qn("w:spacing")).get(qn("w:before")))
    _, plain = docs["n-2026-06"]
    before0 = int(paragraphs(plain)[0].find(qn("w:pPr")).find(qn("w:spacing")).get(qn("w:before")))
    assert before0 - before3 == 3 * L.LINE_PITCH_TWIPS
    assert before0 / 1440 * 25.4 == pytest.approx(35, abs=1.5)


def test_upward_notice_has_signer(docs):
    _, doc = docs["n-2026-07"]
    p = find_para(doc, "签发人：")
    assert text_of(p) == "顺达物〔2026〕7号\t签发人：贺文涛"
    name = runs(p)[-1]
    assert text_of(name) == "贺文涛" and run_font(name) == "楷体_GB2312"
    ppr = p.find(qn("w:pPr"))
    assert ppr.find(qn("w:ind")).get(qn("w:left")) == str(CHAR_TWIPS)  # 发文字号 1 字 from the left
    tab = ppr.find(qn("w:tabs")).find(qn("w:tab"))
    assert tab.get(qn("w:val")) == "right" and int(tab.get(qn("w:pos"))) == 27 * CHAR_TWIPS  # 签发人 1 字 from the right


# ---------------------------------------------------------------- title


def test_long_title_breaks_into_balanced_lines_at_word_boundaries(docs, content):
    title = content.notices["n-2026-05"].title
    assert len(title) >= 40
    lines = L.break_title(title)
    assert "".join(lines) == title and len(lines) == 3
    widths = [L.title_width(x) for x in lines]
    assert max(widths) <= L.TITLE_MAX_CHARS
    assert max(widths) - min(widths) <= 4  # balanced
    bounds = L.word_boundaries(title)
    pos = 0
    for line in lines[:-1]:
        pos += len(line)
        assert pos in bounds
        assert line[-1] not in "《（“" and title[pos] not in "》）”，、"
    _, doc = docs["n-2026-05"]
    para = find_para(doc, "关于印发《晋阳顺达")
    assert len(list(para.iter(qn("w:br")))) == len(lines) - 1


def test_title_breaking_keeps_domain_words_and_shapes():
    lines = L.break_title("石狮市安全生产委员会关于扎实推进安全生产标准化提升专项行动全面攻坚的通知")
    assert len(lines) == 2 and lines[1].startswith(("安全生产", "关于"))
    assert L.break_title("关于开展2026年“安全生产月”活动的通知") == ["关于开展2026年“安全生产月”活动的通知"]
    lines = L.break_title("关于2026年第一季度安全生产工作情况的报告")
    assert len(lines) == 2 and not lines[1] == "告"
    # three lines are a diamond or a trapezoid, never an hourglass
    three = L.break_title("关于进一步加强道路危险货物运输车辆动态监控和驾驶员疲劳驾驶安全管理工作切实防范遏制重特大事故的通知")
    w = [L.title_width(x) for x in three]
    assert len(three) == 3 and not (w[1] < w[0] and w[1] < w[2])


# ---------------------------------------------------------------- body numbering and blocks


def test_numbering_helpers():
    assert [L.cn_number(n) for n in (1, 10, 11, 20, 21, 100, 105, 110, 1000)] == [
        "一", "十", "十一", "二十", "二十一", "一百", "一百零五", "一百一十", "一千"]
    assert [L.heading_label(d, 2) for d in range(5)] == ["二、", "（二）", "2.", "（2）", "②"]


def test_policy_attachment_numbers_chapters_and_articles_continuously(docs, content):
    _, doc = docs["n-2026-05"]
    texts = [text_of(p) for p in paragraphs(doc)]
    policy = content.policies["hazard-rules"]
    total = sum(len(c.articles) for c in policy.chapters)
    for n in range(1, total + 1):
        assert sum(t.startswith(f"第{L.cn_number(n)}条　") for t in texts) == 1
    assert [t for t in texts if t.startswith("第") and "章　" in t[:5]] == [
        f"第{L.cn_number(i)}章　{c.title}" for i, c in enumerate(policy.chapters, 1)]


def test_plan_attachment_has_tasks_with_deadline_unit_and_phase(docs):
    _, doc = docs["n-2026-05"]
    task = text_of(find_para(doc, "监控人员配备到位"))
    assert task.startswith("2.监控人员配备到位。（2026年6月30日）按照每30台车辆")
    assert task.endswith("（责任单位：综合办公室；所属阶段：集中攻坚）")
    steps = text_of(find_para(doc, "实施步骤"))
    assert steps == "四、实施步骤"
    phase = find_para(doc, "（二）集中攻坚")
    assert text_of(phase).startswith("（二）集中攻坚。2026年5月1日—2026年9月30日。对照任务清单")
    assert run_font(runs(phase)[0]) == "楷体_GB2312" and run_font(runs(phase)[1]) == "仿宋_GB2312"


def test_three_attachments_each_on_a_new_page(docs):
    _, doc = docs["n-2026-05"]
    labels = [p for p in paragraphs(doc) if text_of(p) in ("附件1", "附件2", "附件3")]
    assert [text_of(p) for p in labels] == ["附件1", "附件2", "附件3"]
    for p in labels:
        assert p.find(qn("w:pPr")).find(qn("w:pageBreakBefore")) is not None
    notes = [text_of(p) for p in paragraphs(doc) if text_of(p).startswith(("附件：1. ", "2. 道路运输", "3. 2026"))]
    assert notes == ["附件：1. 生产安全事故隐患排查治理制度", "2. 道路运输车辆动态监控专项整治实施方案", "3. 2026年春节期间应急值班安排表"]
    # wrapped names align with the first name: hanging indent = the width of "附件：1. "
    first = find_para(doc, "附件：1. ")
    ind = first.find(qn("w:pPr")).find(qn("w:ind"))
    assert int(ind.get(qn("w:left"))) - int(ind.get(qn("w:hanging"))) == 2 * CHAR_TWIPS


def test_notice_without_attachment(docs):
    _, doc = docs["n-2026-06"]
    texts = [text_of(p) for p in paragraphs(doc)]
    assert not any(t.startswith("附件") for t in texts)
    assert not any(p.find(qn("w:pPr")).find(qn("w:pageBreakBefore")) is not None for p in paragraphs(doc) if text_of(p))
    assert not list(doc.element.body.iter(qn("pic:pic")))  # no seal picture


# ---------------------------------------------------------------- signature, seal, 附注


def test_signature_layouts():
    sig, date = "晋阳顺达物流有限公司", "2026年2月6日"
    # no seal: 署名 2 字 from the right, the date starts 2 字 further right
    s, d = L.signature_indents(sig, date, seal=False)
    assert s == 2 and (d + L.em_width(date)) == pytest.approx(s + L.em_width(sig) - 2)
    # a short 署名: the date keeps 2 字 and the 署名 moves left
    s, d = L.signature_indents("安委会", date, seal=False)
    assert d == 2 and s + L.em_width("安委会") - 2 == pytest.approx(d + L.em_width(date))
    # seal: date 4 字 from the right, 署名 centred over it
    s, d = L.signature_indents(sig, date, seal=True)
    assert d == 4 and s + L.em_width(sig) / 2 == pytest.approx(d + L.em_width(date) / 2)


def test_seal_floats_over_signature_and_date(docs):
    _, doc = docs["n-2026-05"]
    sig = find_para(doc, "晋阳顺达物流有限公司")
    sig = [p for p in paragraphs(doc) if text_of(p) == "晋阳顺达物流有限公司"][0]
    anchor = sig.find(".//" + qn("wp:anchor"))
    assert anchor is not None and anchor.get("behindDoc") == "0"
    extent = anchor.find(qn("wp:extent"))
    assert int(extent.get("cx")) / MM == pytest.approx(42, abs=0.5)
    assert anchor.find(qn("wp:positionV")).get("relativeFrom") == "paragraph"
    assert int(anchor.find(qn("wp:positionV")).find(qn("wp:posOffset")).text) < 0  # reaches up over the blank lines
    blip = anchor.find(".//" + qn("a:blip"))
    image = doc.part.related_parts[blip.get(qn("r:embed"))]
    assert image.blob == (FIXTURE / "assets" / "seal.png").read_bytes()
    date = [p for p in paragraphs(doc) if text_of(p) == "2026年2月6日"][0]
    note = find_para(doc, "（联系人：田晓东")
    assert paragraphs(doc).index(note) == paragraphs(doc).index(date) + 1
    # the seal's centre is the date's centre
    seal_centre = int(anchor.find(qn("wp:positionH")).find(qn("wp:posOffset")).text) / MM + 21
    x0, x1 = placed(doc, date)
    assert seal_centre == pytest.approx((x0 + x1) / 2 / TWIPS_PER_MM, abs=1.0)


TWIPS_PER_MM = 1440 / 25.4


def text_width_twips(doc) -> int:
    sect = doc.element.body.find(qn("w:sectPr"))
    pg, mar = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))
    return int(pg.get(qn("w:w"))) - int(mar.get(qn("w:left"))) - int(mar.get(qn("w:right")))


def placed(doc, p) -> tuple[float, float]:
    """(left, right) of a one-line paragraph's text in twips from the text area's left edge, from its
    alignment and indents and its width in condensed 3号 characters (Latin digits half a character)."""
    ppr = p.find(qn("w:pPr"))
    ind = ppr.find(qn("w:ind"))
    left = int(ind.get(qn("w:left"), 0)) if ind is not None else 0
    right = int(ind.get(qn("w:right"), 0)) if ind is not None else 0
    jc = ppr.find(qn("w:jc")).get(qn("w:val"))
    width = L.em_width(text_of(p)) * CHAR_TWIPS
    text_w = text_width_twips(doc)
    if jc == "left":
        return left, left + width
    if jc == "right":
        return text_w - right - width, text_w - right
    assert jc == "center"
    centre = (left + text_w - right) / 2
    return centre - width / 2, centre + width / 2


def test_sealed_signature_is_centred_over_the_date_four_characters_from_the_right(docs):
    """GB/T 9704 7.3.5.1: 成文日期一般右空四字编排, 以成文日期为准居中编排发文机关署名. Both are centred
    between the same indents, so the 署名 stays centred over the date whatever the digits' width;
    no extra space between digits and hanzi (w:autoSpaceDN off), so Word sets the date as measured."""
    _, doc = docs["n-2026-05"]
    sig = [p for p in paragraphs(doc) if text_of(p) == "晋阳顺达物流有限公司"][0]
    date = [p for p in paragraphs(doc) if text_of(p) == "2026年2月6日"][0]
    text_w = text_width_twips(doc)
    (s0, s1), (d0, d1) = placed(doc, sig), placed(doc, date)
    assert (s0 + s1) / 2 == pytest.approx((d0 + d1) / 2, abs=TWIPS_PER_MM)  # within 1 mm
    assert text_w - d1 == pytest.approx(4 * CHAR_TWIPS, abs=TWIPS_PER_MM)
    for p in (sig, date):
        ppr = p.find(qn("w:pPr"))
        assert ppr.find(qn("w:jc")).get(qn("w:val")) == "center"
        assert ppr.find(qn("w:autoSpaceDN")).get(qn("w:val")) == "0"
        ind = ppr.find(qn("w:ind"))
        assert (ind.get(qn("w:left")), ind.get(qn("w:right"))) == (date.find(qn("w:pPr")).find(qn("w:ind")).get(qn("w:left")),
                                                                  date.find(qn("w:pPr")).find(qn("w:ind")).get(qn("w:right")))


def test_unsealed_signature_indents(docs):
    """GB/T 9704 7.3.5.2: 右空二字编排发文机关署名, the date on the next line, 首字比发文机关署名首字右移二字: 2 字 right
    of the 署名's. Both are left-aligned at their first characters, so the 2 字 hold in any font."""
    _, doc = docs["n-2026-06"]
    sig = [p for p in paragraphs(doc) if text_of(p) == "晋阳顺达物流有限公司"][0]
    date = [p for p in paragraphs(doc) if text_of(p) == "2026年5月20日"][0]
    text_w = text_width_twips(doc)
    (s0, s1), (d0, _) = placed(doc, sig), placed(doc, date)
    assert text_w - s1 == pytest.approx(2 * CHAR_TWIPS, abs=TWIPS_PER_MM)  # 署名 右空二字
    assert d0 - s0 == pytest.approx(2 * CHAR_TWIPS, abs=1)  # 首字比署名首字右移二字
    assert sig.find(qn("w:pPr")).find(qn("w:jc")).get(qn("w:val")) == "left"
    assert date.find(qn("w:pPr")).find(qn("w:jc")).get(qn("w:val")) == "left"
    body = paragraphs(doc)
    i = body.index(sig)
    assert text_of(body[i - 1]) == "" and text_of(body[i - 2]) != ""  # one blank line under the body


def test_short_unsealed_signature_moves_left_of_a_longer_date():
    """7.3.5.2: 如成文日期长于发文机关署名，应当使成文日期右空二字编排，并相应增加发文机关署名右空字数."""
    from types import SimpleNamespace

    from generators.outputs.notices.docx import TEXT_W_TWIPS, signature_paras

    lay = SimpleNamespace(signature="安委会", date="2026年12月20日", seal=False)
    lay.signature_right_chars = L.signature_indents(lay.signature, lay.date, lay.seal)
    (sa, sl, _), (da, dl, _) = signature_paras(lay)
    assert sa == da == "left" and dl - sl == 2 * CHAR_TWIPS
    assert TEXT_W_TWIPS - (dl + L.em_width(lay.date) * CHAR_TWIPS) == pytest.approx(2 * CHAR_TWIPS, abs=1)


# ---------------------------------------------------------------- footers and 版记


def test_page_fields_in_odd_and_even_footers(docs):
    for _, doc in docs.values():
        assert doc.settings.odd_and_even_pages_header_footer
        sec = doc.sections[0]
        for footer, jc, side in ((sec.footer, "right", "right"), (sec.even_page_footer, "left", "left")):
            el = footer._element
            kinds = [f.get(qn("w:fldCharType")) for f in el.iter(qn("w:fldChar"))]
            assert kinds == ["begin", "separate", "end"]
            assert [t.text.strip() for t in el.iter(qn("w:instrText"))] == ["PAGE"]
            (p,) = el.findall(qn("w:p"))
            assert text_of(p) == "— 1 —"
            assert p.find(qn("w:pPr")).find(qn("w:jc")).get(qn("w:val")) == jc
            assert p.find(qn("w:pPr")).find(qn("w:ind")).get(qn(f"w:{side}")) == "280"  # 1 字 of 4号


def test_imprint_at_the_bottom_of_the_last_page(docs):
    for nid, (_, doc) in docs.items():
        last = paragraphs(doc)[-1]
        anchor = last.find(".//" + qn("wp:anchor"))
        assert anchor is not None, nid
        pos = anchor.find(qn("wp:positionV"))
        assert pos.get("relativeFrom") == "margin" and pos.find(qn("wp:align")).text == "bottom"
        assert int(anchor.find(qn("wp:extent")).get("cx")) / MM == pytest.approx(156, abs=0.5)
        box = last.find(".//" + qn("w:txbxContent"))
        texts = [text_of(p) for p in box.findall(qn("w:p"))]
        rules = [p.find(qn("w:pPr")).find(qn("w:pBdr")) for p in box.findall(qn("w:p"))]
        sizes = [r.find(qn("w:bottom")).get(qn("w:sz")) for r in rules if r is not None]
        printed = [t for t in texts if t.endswith("印发")]
        assert len(printed) == 1 and "\t" in printed[0]
        if nid in ("n-2026-05", "n-2026-06"):
            assert any(t.startswith("抄送：") and t.endswith("。") for t in texts)
            assert sizes == ["8", "6", "8"]  # 0.35 mm, 0.25 mm, 0.35 mm
        else:
            assert sizes == ["8", "8"]
        for p in box.findall(qn("w:p")):
            for r in runs(p):
                assert run_size(r) == 14 and run_font(r) == "仿宋_GB2312"
    _, doc = docs["n-2026-05"]
    box = paragraphs(doc)[-1].find(".//" + qn("w:txbxContent"))
    assert [text_of(p) for p in box.findall(qn("w:p")) if text_of(p)] == [
        "抄送：晋阳市交通运输局，晋阳市应急管理局。", "晋阳顺达物流有限公司综合办公室\t2026年2月6日印发"]


# ---------------------------------------------------------------- reproducibility and the builder


def test_docx_is_reproducible_and_dated_by_the_notice(content, docs):
    for nid, (data, doc) in docs.items():
        notice = content.notices[nid]
        assert hashlib.sha256(render_docx(content, notice, paginate="estimate")).digest() == hashlib.sha256(data).digest()
        zf = zipfile.ZipFile(io.BytesIO(data))
        assert {i.date_time[:3] for i in zf.infolist()} == {(notice.date.year, notice.date.month, notice.date.day)}
        assert doc.core_properties.created.date() == notice.date
        assert doc.core_properties.modified.date() == notice.date


def test_output_listed_first_and_makes_docx_and_pdf(content):
    from generators.outputs import OUTPUTS

    assert OUTPUTS[0].name == "notices" and OUTPUTS[0].jobs is jobs
    outputs = [j.output for j in jobs(content)]
    assert outputs == [f"notices/{n}.{ext}" for n in sorted(content.notices) for ext in ("docx", "pdf")]
    pdf_jobs = [j for j in jobs(content) if j.kind == "notice-pdf"]
    assert all(j.after == [j.output[:-4] + ".docx"] for j in pdf_jobs)


def test_key_data_follows_the_attached_policy(content):
    from dataclasses import replace

    before = {j.output: j.key_data for j in jobs(content)}
    policy = content.policies["hazard-rules"]
    changed = policy.model_copy(update={"title": "生产安全事故隐患排查治理办法"})
    other = replace(content, policies={**content.policies, "hazard-rules": changed})
    after = {j.output: j.key_data for j in jobs(other)}
    assert before["notices/n-2026-05.docx"] != after["notices/n-2026-05.docx"]
    assert before["notices/n-2026-06.docx"] == after["notices/n-2026-06.docx"]


def test_demo_transport_notices():
    content, diags = load(DEMO, build_date=dt.date(2026, 3, 1))
    assert content is not None and not diags.errors
    assert {"n-2026-16", "n-2026-21"} <= set(content.notices)
    for nid in ("n-2026-16", "n-2026-21"):
        notice = content.notices[nid]
        doc = Document(io.BytesIO(render_docx(content, notice, paginate="estimate")))
        texts = [text_of(p) for p in paragraphs(doc)]
        assert f"安途运〔{notice.number.year}〕{notice.number.seq}号" in texts
        box = paragraphs(doc)[-1].find(".//" + qn("w:txbxContent"))
        assert any(text_of(p).endswith("印发") for p in box.findall(qn("w:p")))
    big = content.notices["n-2026-16"]
    assert big.seal and any(a.policy for a in big.attachments) and any(a.plan for a in big.attachments)
    plain = content.notices["n-2026-21"]
    assert plain.cc and plain.note


def test_title_tokenizer_reads_through_to_jieba_without_changing_it(content):
    """The notices' tokenizer adds the domain words over jieba's own dictionary without copying or
    changing it, and cuts titles exactly as a tokenizer with a full copy of that dictionary does."""
    import jieba

    tok = L._tokenizer()
    assert "隐患排查" in tok.FREQ and "隐患排查" not in jieba.dt.FREQ
    assert len(dict.keys(tok.FREQ)) < 1000  # only its own words, not a copy
    copied = jieba.Tokenizer()
    copied.FREQ, copied.total, copied.initialized = dict(jieba.dt.FREQ), tok.total, True
    for word in L.TITLE_WORDS:
        copied.add_word(word, freq=200000)
    titles = [n.title for n in content.notices.values()] + ["关于开展安全生产治本攻坚三年行动隐患排查治理的实施方案"]
    for title in titles:
        assert tok.lcut(title, HMM=True) == copied.lcut(title, HMM=True)


def test_only_a_text_whose_last_paragraph_is_not_kept_with_the_next_is_checked_on_the_final_rendering():
    """A rendering with the 版记 on the next page shows where the probe's text ends only when the
    text's last paragraph is not kept with the next (the probe's 版记 would carry it along)."""
    import dataclasses

    from generators.outputs.notices import lay_out, next_page_checkable
    from tests.helpers.shared_build import load_sample

    content = load_sample("demo-factory")
    lay = lay_out(content, content.notices["confined-space-policy"])
    assert lay.attachments and next_page_checkable(lay)
    last = lay.attachments[-1]
    kept = dataclasses.replace(last, paras=[*last.paras[:-1], dataclasses.replace(last.paras[-1], keep_next=True)])
    assert not next_page_checkable(dataclasses.replace(lay, attachments=[*lay.attachments[:-1], kept]))
    assert not next_page_checkable(dataclasses.replace(lay, attachments=[*lay.attachments[:-1], dataclasses.replace(last, paras=[])]))
    assert next_page_checkable(dataclasses.replace(lay, attachments=[]))
