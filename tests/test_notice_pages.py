"""The notices of both samples as a reader gets them: LibreOffice's PDF of the .docx, page by page.

The 版记 on the last page, an even one (GB/T 9704-2012 7.4.1, 7.5), with a blank, unnumbered page
before it when the text fills an even page; no page left half empty because a heading waits for a
whole paragraph; the free 仿宋 and 楷体 faces embedded at 3号."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import shutil
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from generators.load import load_or_raise
from generators.model import Notice
from generators.outputs.notices import imprint_placement, lay_out, render_docx, render_pdf
from generators.outputs.notices import layout as L
from generators.outputs.notices.docx import estimate_text_end
from tests.helpers.shared_build import SHARED_DATE

pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")]

ROOT = Path(__file__).parent.parent
SAMPLES = [ROOT / "content" / "enterprises" / "demo-transport", ROOT / "content" / "enterprises" / "demo-factory"]
FIXTURE = Path(__file__).parent / "fixtures" / "notices" / "fixture-notices"
PT_PER_MM = 72 / 25.4
TEXT_BOTTOM = (297 - 35) * PT_PER_MM  # the bottom edge of the text area, in pt from the top
LINE = L.LINE_PITCH_PT
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclasses.dataclass
class Built:
    content: object
    notice: Notice
    pdf: Path
    docx: Path


@pytest.fixture(scope="module")
def built(shared_build) -> list[Built]:
    """The samples' notices from the run's shared full build."""
    result = []
    for root in SAMPLES:
        content, _ = load_or_raise(root, build_date=SHARED_DATE)
        out = shared_build(root.name).out
        for nid, notice in sorted(content.notices.items()):
            result.append(Built(content, notice, out / "notices" / f"{nid}.pdf", out / "notices" / f"{nid}.docx"))
    assert {b.notice.id for b in result} == {"n-2026-16", "n-2026-21", "confined-space-policy"}
    return result


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def body_chars(page) -> list[dict]:
    """Characters inside the text area (not the page number under it)."""
    return [c for c in page.chars if c["bottom"] < TEXT_BOTTOM + 2 and c["text"].strip()]


def page_number(page) -> str | None:
    """The page number printed under the text area (— N —), if any."""
    below = sorted((c for c in page.chars if c["top"] > TEXT_BOTTOM + 2), key=lambda c: c["x0"])
    digits = "".join(c["text"] for c in below if c["text"].isdigit())
    return digits or None


def imprint_paragraph(document_xml: bytes):
    """The body paragraph that anchors the 版记's text box."""
    from lxml import etree

    root = etree.fromstring(document_xml)
    (doc_pr,) = [e for e in root.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")
                 if e.get("name") == "版记"]
    body = root.find(f"{W}body")
    p = doc_pr
    while p.getparent() is not body:
        p = p.getparent()
    return p


def printed_line(b: Built) -> str:
    date = b.notice.print_date or b.notice.date
    return f"{date.year}年{date.month}月{date.day}日印发"


# ---------------------------------------------------------------- 1. the 版记 on the last, even page


def test_every_notice_has_an_even_page_count_with_the_imprint_on_the_last_page(built):
    for b in built:
        with pdfplumber.open(b.pdf) as pdf:
            pages = pdf.pages
            assert len(pages) % 2 == 0, (b.notice.id, len(pages))
            holding = [i for i, p in enumerate(pages, 1) if printed_line(b) in squeeze(p.extract_text())]
            assert holding == [len(pages)], (b.notice.id, holding)
            last = squeeze(pages[-1].extract_text())
            assert squeeze(lay_out(b.content, b.notice).printer) in last
            # the 版记's last rule lies on the bottom edge of the text area
            rules = [ln for ln in pages[-1].lines + pages[-1].rects if ln["width"] > 150 * PT_PER_MM]
            assert rules and max(r["bottom"] for r in rules) == pytest.approx(TEXT_BOTTOM, abs=3)


def test_text_ending_on_an_odd_page_sends_the_imprint_to_the_next_page(built):
    """n-2026-21 ends on page 3 and the factory notice on page 7: the 版记 stands alone on the next
    page, which is numbered like every page with content (no blank page precedes it, 7.5)."""
    ends = {"n-2026-21": 3, "confined-space-policy": 7}
    for b in built:
        if b.notice.id not in ends:
            continue
        with pdfplumber.open(b.pdf) as pdf:
            assert len(pdf.pages) == ends[b.notice.id] + 1
            text_end, imprint = pdf.pages[-2], pdf.pages[-1]
            alone = squeeze(imprint.extract_text())
            for part in (lay_out(b.content, b.notice).cc, lay_out(b.content, b.notice).printer, printed_line(b)):
                alone = alone.replace(squeeze(part), "", 1)
            assert re.fullmatch(r"[—\d]*", alone), alone  # nothing but the 版记 and its page number
            assert page_number(imprint) == str(len(pdf.pages))
            assert body_chars(text_end) and page_number(text_end) == str(ends[b.notice.id])
        xml = zipfile.ZipFile(b.docx).read("word/document.xml")
        assert xml.count(b"<w:sectPr") == 1  # one numbered section
        assert imprint_paragraph(xml).find(f"{W}pPr/{W}pageBreakBefore") is not None


def _one_line_notice(content, lines: int) -> Notice:
    """A notice whose body is `lines` paragraphs of one line each (2 字 indent + 20 字)."""
    base = content.notices["n-2026-06"]
    body = [f"第{i:02d}项工作按照公司统一部署认真落实到位。" for i in range(1, lines + 1)]
    return base.model_copy(update={"id": "n-fill", "body": body, "attachments": [], "seal": False, "note": None,
                                   "cc": ["晋阳市交通运输局"]})


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    """A notice whose text fills page 2 with no room left for the 版记 (found by measuring)."""
    content, _ = load_or_raise(FIXTURE, build_date=dt.date(2026, 3, 1))
    start = next(n for n in range(10, 60) if estimate_text_end(lay_out(content, _one_line_notice(content, n)))[0] == 2)
    for n in range(start + 18, start + 26):
        notice = _one_line_notice(content, n)
        if imprint_placement(content, notice, lay_out(content, notice)) == L.IMPRINT_BLANK_PAGE:
            break
    else:
        pytest.fail("no length fills page 2")
    docx = render_docx(content, notice)
    pdf = tmp_path_factory.mktemp("filled") / "n-fill.pdf"
    pdf.write_bytes(render_pdf(content, notice, docx, engine="libreoffice"))
    return content, notice, docx, pdf


def test_text_filling_an_even_page_gets_a_blank_unnumbered_page_before_the_imprint(filled):
    content, notice, docx, pdf_path = filled
    with pdfplumber.open(pdf_path) as pdf:
        pages = pdf.pages
        assert len(pages) == 4
        assert body_chars(pages[1]) and page_number(pages[1]) == "2"  # the text fills page 2
        assert not [c for c in pages[2].chars if c["text"].strip()]  # page 3: blank, no page number
        assert page_number(pages[3]) is None  # page 4: the 版记, no page number (7.5)
        assert "晋阳市交通运输局" in squeeze(pages[3].extract_text())
        assert squeeze(pages[3].extract_text()).endswith("2026年5月20日印发")
    # in the .docx: the numbered section ends with the text; the last one has empty footers
    zf = zipfile.ZipFile(io.BytesIO(docx))
    xml = zf.read("word/document.xml").decode()
    assert xml.count("<w:sectPr") == 2
    last_sect = xml[xml.rindex("<w:sectPr"):]
    footers = re.findall(r'<w:footerReference w:type="(\w+)" r:id="(\w+)"', last_sect)
    assert sorted(t for t, _ in footers) == ["default", "even"]
    rels = zf.read("word/_rels/document.xml.rels").decode()
    for _, rid in footers:
        target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', rels) or re.search(rf'Target="([^"]+)"[^>]*Id="{rid}"', rels)
        footer = zf.read("word/" + target.group(1)).decode()
        assert "PAGE" not in footer and "<w:t" not in footer
    first_sect = xml[xml.index("<w:sectPr"):xml.index("</w:sectPr>")]
    numbered = [rid for _, rid in re.findall(r'<w:footerReference w:type="(\w+)" r:id="(\w+)"', first_sect)]
    assert all("PAGE" in zf.read("word/" + re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', rels).group(1)).decode() for rid in numbered)


def _counted_conversions(monkeypatch) -> list[str]:
    """The names of the LibreOffice conversions from now on."""
    from generators.render import libreoffice

    names: list[str] = []
    convert = libreoffice.libreoffice_pdf

    def counted(docx, name, *args, **kwargs):
        names.append(name)
        return convert(docx, name, *args, **kwargs)

    monkeypatch.setattr(libreoffice, "libreoffice_pdf", counted)
    return names


def test_a_notice_whose_estimate_holds_is_converted_once_for_both_files(monkeypatch):
    import generators.outputs.notices as N
    from generators.outputs.notices.docx import notice_docx

    monkeypatch.setattr(N, "_RENDERED", {})
    content, _ = load_or_raise(SAMPLES[0], build_date=SHARED_DATE)
    notice = content.notices["n-2026-21"]  # text on 3 pages, the estimate says so too
    lay = lay_out(content, notice)
    names = _counted_conversions(monkeypatch)
    docx = render_docx(content, notice)
    pdf = render_pdf(content, notice, docx, engine="libreoffice")
    assert names == [notice.id]  # the .docx job's rendering, checked and kept for the PDF job
    assert not N._RENDERED  # taken once
    # the same files as measuring a probe and converting the .docx afresh
    placement = imprint_placement(content, notice, lay)
    assert placement == L.IMPRINT_NEXT_PAGE
    assert docx == notice_docx(lay, N._seal(content, notice), notice.date, placement)
    assert render_pdf(content, notice, docx, engine="libreoffice") == pdf
    assert names == [notice.id, f"{notice.id}-probe", notice.id]


def test_a_wrong_estimate_is_caught_on_the_rendering_and_the_probe_decides(filled, monkeypatch):
    import generators.outputs.notices as N

    content, notice, docx, _ = filled  # the probe's placement: a blank page before the 版记
    monkeypatch.setattr(N, "_RENDERED", {})
    monkeypatch.setattr(N, "estimate_placement", lambda lay: L.IMPRINT_NEXT_PAGE)
    names = _counted_conversions(monkeypatch)
    assert render_docx(content, notice) == docx
    assert names == [notice.id, f"{notice.id}-probe"]  # the rendering with the 版记 on page 3 showed an even page
    assert not N._RENDERED  # nothing kept: the PDF job converts the right .docx


def test_weasyprint_fallback_puts_the_imprint_on_an_even_page_too(built, filled, tmp_path):
    content, notice, _, _ = filled
    cases = [(b.content, b.notice) for b in built] + [(content, notice)]
    for c, n in cases:
        pdf = tmp_path / f"{n.id}.pdf"
        pdf.write_bytes(render_pdf(c, n, b"", engine="weasyprint"))
        with pdfplumber.open(pdf) as doc:
            pages = doc.pages
            assert len(pages) % 2 == 0, n.id
            date = n.print_date or n.date
            assert f"{date.year}年{date.month}月{date.day}日印发" in squeeze(pages[-1].extract_text()), n.id
            if not body_chars(pages[-2]):  # a blank page before the 版记: neither is numbered
                assert page_number(pages[-2]) is None and page_number(pages[-1]) is None, n.id


# ---------------------------------------------------------------- 2. no half-empty pages


def empty_lines_at_foot(page) -> float:
    chars = body_chars(page)
    return (TEXT_BOTTOM - max(c["bottom"] for c in chars)) / LINE if chars else L.LINES_PER_PAGE


def test_no_page_is_left_half_empty_by_a_heading_waiting_for_its_paragraph(built):
    """A heading keeps with the first two lines of what follows, so a page ends at most two empty
    lines short, except where a part ends: the text's last page (before the 版记) and the last page
    before each attachment, which starts on a new page."""
    for b in built:
        with pdfplumber.open(b.pdf) as pdf:
            pages = pdf.pages
            starts = [i for i, p in enumerate(pages) if re.match(r"附件 ?\d*\n", p.extract_text() or "")]
            assert len(starts) == len(b.notice.attachments), b.notice.id
            # the 版记 page and the one before it (the text's last page, or the blank page)
            exempt = {len(pages) - 1, len(pages) - 2} | {i - 1 for i in starts}
            for i, page in enumerate(pages):
                if i in exempt:
                    continue
                assert empty_lines_at_foot(page) < 3, (b.notice.id, i + 1, round(empty_lines_at_foot(page), 2))


def test_docx_keeps_headings_with_what_follows_never_a_whole_paragraph(built):
    for b in built:
        zf = zipfile.ZipFile(b.docx)
        styles = zf.read("word/styles.xml").decode()
        defaults = styles[styles.index("<w:pPrDefault>"):styles.index("</w:pPrDefault>")]
        assert "<w:widowControl/>" in defaults  # widow/orphan control on every paragraph
        xml = zf.read("word/document.xml").decode()
        assert "keepLines" not in xml
        paras = re.findall(r"<w:p>.*?</w:p>", xml, re.S)
        texts = ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)) for p in paras]
        for p, text in zip(paras, texts):
            if re.fullmatch(r"[一二三四五六七八九十]+、\S{2,20}", text) or re.fullmatch(r"第[一二三四五六七八九十]+章　\S+", text):
                assert "<w:keepNext/>" in p, text  # a heading without text of its own
        for i, text in enumerate(texts):
            if re.fullmatch(r"第[二三四五六七八九十]+章　\S+", text):  # after the first chapter
                assert texts[i - 1].strip(), "no blank line kept with a chapter heading"


# ---------------------------------------------------------------- 3. the free faces, at 3号


def test_pdfs_embed_fandolfang_and_lxgw_wenkai_at_the_body_size(built):
    for b in built:
        names = set()
        for page in PdfReader(b.pdf).pages:
            for ref in (page.get("/Resources") or {}).get("/Font", {}).values():
                names.add(str(ref.get_object()["/BaseFont"]).split("+")[-1])
        assert any(n.startswith("FandolFang") for n in names), names  # 仿宋_GB2312
        assert any(n.startswith("LXGWWenKai") for n in names), names  # 楷体_GB2312
        assert any("SerifCJK" in n and "Bold" in n for n in names), names  # 方正小标宋简体
        assert not any("UKai" in n for n in names), names
        with pdfplumber.open(b.pdf) as pdf:
            fang = [c for p in pdf.pages for c in body_chars(p) if "FandolFang" in c["fontname"]]
            kai = [c for p in pdf.pages for c in body_chars(p) if "WenKai" in c["fontname"]]
            assert len(fang) > 300 and kai, b.notice.id
            assert {round(c["size"], 1) for c in fang} <= {16.0, 14.0}  # 3号 body, 4号 版记
            assert sum(round(c["size"], 1) == 16.0 for c in fang) > 0.8 * len(fang)
            assert {round(c["size"], 1) for c in kai} == {16.0}  # 楷体 headings at the body size
            title = [c for c in body_chars(pdf.pages[0]) if "Bold" in c["fontname"] and round(c["size"], 1) == 22.0]
            assert title  # the title in 2号 小标宋 (Noto Serif CJK SC Bold)


def test_docx_still_names_the_standard_fonts(built):
    for b in built:
        xml = zipfile.ZipFile(b.docx).read("word/document.xml").decode()
        fonts = set(re.findall(r'w:eastAsia="([^"]+)"', xml)) - {"zh-CN"}
        assert fonts <= {"方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"}, fonts
        assert {"仿宋_GB2312", "方正小标宋简体"} <= fonts


def gb2312_hanzi() -> list[str]:
    """The 6763 hanzi of GB 2312: rows 16–87 of the 94 × 94 table (EUC-CN bytes B0–F7, A1–FE)."""
    out = []
    for row in range(0xB0, 0xF8):
        for col in range(0xA1, 0xFF):
            try:
                out.append(bytes([row, col]).decode("gb2312"))
            except UnicodeDecodeError:
                continue  # the unused end of row 55
    return out


@pytest.mark.parametrize("pattern, family", [
    ("FandolFang", "FandolFang"), ("LXGW WenKai:style=Regular", "LXGW WenKai"), ("Noto Serif CJK SC:bold", "Noto Serif CJK SC"),
    ("Noto Sans CJK SC", "Noto Sans CJK SC"),
])
def test_substitute_faces_cover_every_gb2312_hanzi(pattern, family):
    """The figures in the README's 许可与字体: each face the notice PDFs use has all 6763."""
    import subprocess

    from fontTools.ttLib import TTFont

    found = subprocess.run(["fc-match", "-f", "%{family}|%{file}|%{index}", pattern], capture_output=True, text=True, check=True).stdout
    families, path, index = found.split("|")
    assert family in families.split(","), found
    hanzi = gb2312_hanzi()
    assert len(hanzi) == 6763
    cmap = TTFont(path, fontNumber=int(index), lazy=True).getBestCmap()
    assert [c for c in hanzi if ord(c) not in cmap] == []
