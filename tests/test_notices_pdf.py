"""公文 PDFs: LibreOffice's rendering of the .docx and the WeasyPrint fallback, measured on the page."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generators.load import load
from generators.outputs.notices import render_docx, render_pdf
from generators.pipeline import BuildOptions, build_content

pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).parent / "fixtures" / "notices" / "fixture-notices"
PT = 25.4 / 72  # mm per pt
needs_lo = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None, reason="poppler-utils missing")


@pytest.fixture(scope="module")
def content():
    content, diags = load(FIXTURE, build_date=dt.date(2026, 3, 1))
    assert content is not None and not diags.errors
    return content


@pytest.fixture(scope="module")
def built(content, tmp_path_factory):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    out = tmp_path_factory.mktemp("notices-build")
    result = build_content(content, BuildOptions(out_root=out, only=("notices",)))
    return result


def pages_text(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def words(pdf: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """(word, xMin, yMin, xMax, yMax) in mm on one page."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    out = []
    for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html):
        x0, y0, x1, y1 = (float(m.group(i)) * PT for i in range(1, 5))
        out.append((m.group(5), x0, y0, x1, y1))
    return out


def measure_page(pdf: Path, page: int, tmp: Path, dpi: int = 100) -> dict:
    """Red rows and ink box of one page rendered to PNG, in mm."""
    from PIL import Image

    stem = tmp / f"p{page}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", str(page), "-l", str(page), str(pdf), str(stem)], check=True)
    img = Image.open(f"{stem}.png").convert("RGB")
    w, h = img.size
    px = img.load()
    red_rows: dict[int, list[int]] = {}
    dark_rows: list[int] = []
    for y in range(h):
        row_dark = False
        for x in range(w):
            r, g, b = px[x, y]
            if r > 180 and g < 90 and b < 90:
                red_rows.setdefault(y, []).append(x)
            elif r < 110 and g < 110 and b < 110:
                row_dark = True
        if row_dark:
            dark_rows.append(y)
    mm = 25.4 / dpi
    rule = [y for y, xs in red_rows.items() if len(xs) > 0.8 * 156 / mm]
    mark = [y for y in red_rows if rule and y < rule[0]]
    return {
        "size": (w * mm, h * mm),
        "rule_y": rule[0] * mm if rule else None,
        "rule_x": (min(red_rows[rule[0]]) * mm, max(red_rows[rule[0]]) * mm) if rule else None,
        "mark_top": min(mark) * mm if mark else None,
        "dark_rows": [y * mm for y in dark_rows],
    }


# ---------------------------------------------------------------- LibreOffice


@needs_lo
@needs_poppler
def test_build_writes_docx_and_pdf_and_reports_font_substitutions(built, content):
    for nid in content.notices:
        assert (built.out_dir / "notices" / f"{nid}.docx").stat().st_size > 10_000
        assert (built.out_dir / "notices" / f"{nid}.pdf").read_bytes().startswith(b"%PDF")
    assert "公文 PDF：仿宋_GB2312 未安装，以 FandolFang 代替" in built.notes
    assert "公文 PDF：方正小标宋简体 未安装，以 Noto Serif CJK SC Bold 代替" in built.notes
    assert "公文 PDF：楷体_GB2312 未安装，以 LXGW WenKai 代替" in built.notes
    fonts = subprocess.run(["pdffonts", str(built.out_dir / "notices" / "n-2026-05.pdf")], capture_output=True, text=True).stdout
    # 仿宋, 小标宋 and 宋, 黑体, 楷体 substitutes
    assert "FandolFang" in fonts and "NotoSerifCJK" in fonts and "Bold" in fonts and "NotoSansCJK" in fonts and "LXGWWenKai" in fonts
    assert all(line.split()[-4] == "yes" for line in fonts.splitlines()[2:])  # all embedded


@needs_lo
@needs_poppler
def test_imprint_only_on_the_last_page_at_the_bottom(built, content):
    for nid, notice in content.notices.items():
        pdf = built.out_dir / "notices" / f"{nid}.pdf"
        pages = pages_text(pdf)
        assert len(pages) % 2 == 0, nid  # the 版记 on an even last page
        stamp = f"{notice.date.year} 年 {notice.date.month} 月 {notice.date.day} 日印发"
        assert [i for i, t in enumerate(pages) if stamp in re.sub(r"\s+", " ", t)] == [len(pages) - 1], nid
        last = words(pdf, len(pages))
        printed = [w for w in last if w[0].endswith("印发")]
        assert printed and 250 < printed[0][4] < 262, printed  # the last 版记 line ends above the text-area edge
        body_bottom = max((w[4] for w in last if w[4] < printed[0][2] - 12), default=0)  # text above the 版记 does not run into it
        assert body_bottom < printed[0][2]


@needs_lo
@needs_poppler
def test_page_numbers_odd_right_even_left(built):
    pdf = built.out_dir / "notices" / "n-2026-05.pdf"
    n = len(pages_text(pdf))
    assert n >= 5  # the policy attachment runs over several pages
    for page in range(1, n + 1):
        number = [w for w in words(pdf, page) if w[0] == str(page) and w[2] > 262]
        assert number, page
        _, x0, y0, x1, _ = number[0]
        assert 262 + 6 < y0 < 262 + 9  # 7 mm under the text area
        if page % 2:
            assert x1 > 170  # right, 1 字 in
        else:
            assert x0 < 45


@needs_lo
@needs_poppler
def test_first_page_positions_measured_on_the_png(built, tmp_path):
    pdf = built.out_dir / "notices" / "n-2026-05.pdf"
    m = measure_page(pdf, 1, tmp_path)
    assert m["size"][0] == pytest.approx(210, abs=0.5) and m["size"][1] == pytest.approx(297, abs=0.5)
    assert m["mark_top"] == pytest.approx(37 + 35, abs=1.0)  # 标志 top 35 mm under the text area
    assert m["rule_x"][0] == pytest.approx(28, abs=1.0) and m["rule_x"][1] == pytest.approx(184, abs=1.0)
    number_bottom = max(y for y in m["dark_rows"] if y < m["rule_y"])
    assert m["rule_y"] - number_bottom == pytest.approx(4, abs=1.0)  # red rule 4 mm under the 发文字号
    w = words(pdf, 1)
    text_left = min(x0 for _, x0, _, _, y1 in w if y1 < 262)
    text_right = max(x1 for _, _, _, x1, y1 in w if y1 < 262)
    assert text_left == pytest.approx(28, abs=1.0) and text_right <= 184 + 0.5
    # body lines hold 28 characters: the first full body line after the indent has 26 + 2
    lines = pages_text(pdf)[0].splitlines()
    body = next(line.strip() for line in lines if line.strip().startswith("为深入贯彻"))
    assert len(re.sub(r"\s", "", body)) >= 25


@needs_lo
def test_libreoffice_pdf_is_reproducible(content):
    notice = content.notices["n-2026-06"]
    docx = render_docx(content, notice)
    first, second = render_pdf(content, notice, docx, engine="libreoffice"), render_pdf(content, notice, docx, engine="libreoffice")
    # compare digests: a failing comparison of two 50 KB byte strings makes pytest diff for hours
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()
    import io

    from pypdf import PdfReader

    meta = PdfReader(io.BytesIO(first)).metadata
    assert meta["/CreationDate"] == meta["/ModDate"] == "D:20260520090000+08'00'"
    assert meta["/Title"] == "关于开展2026年“安全生产月”活动的通知"


# ---------------------------------------------------------------- WeasyPrint fallback


@needs_poppler
def test_weasyprint_fallback_has_the_same_layout(content, tmp_path):
    notice = content.notices["n-2026-05"]
    pdf_bytes = render_pdf(content, notice, render_docx(content, notice), engine="weasyprint")
    pdf = tmp_path / "n.pdf"
    pdf.write_bytes(pdf_bytes)
    pages = pages_text(pdf)
    assert len(pages) >= 5
    assert "附件1" in pages[[i for i, t in enumerate(pages) if "附件1" in t and "生产安全事故隐患排查治理制度" in t][0]]
    assert "印发" in pages[-1] and not any("2026年2月6日印发" in p for p in pages[:-1])
    m = measure_page(pdf, 1, tmp_path)
    assert m["mark_top"] == pytest.approx(72, abs=1.0)
    number_bottom = max(y for y in m["dark_rows"] if y < m["rule_y"])
    assert m["rule_y"] - number_bottom == pytest.approx(4, abs=1.0)
    last = words(pdf, len(pages))
    printed = [w for w in last if w[0].endswith("印发")]
    assert printed and 250 < printed[0][4] < 262
    assert render_pdf(content, notice, b"", engine="weasyprint") == pdf_bytes  # reproducible


@needs_lo
def test_type1_font_ids_do_not_depend_on_libreoffice_thread_order(content):
    """LibreOffice numbers the Type 1 fonts it makes 4100001, 4100002, ... in the order its
    threads finish, so two conversions of one notice could differ only in those numbers
    (seen under load). fix_metadata gives each font a number derived from its name."""
    import io

    from fontTools.misc import eexec
    from pypdf import PdfReader, PdfWriter

    from generators.render.libreoffice import fix_metadata, libreoffice_pdf

    notice = content.notices["n-2026-06"]
    raw = libreoffice_pdf(render_docx(content, notice), "n", {"仿宋_GB2312": "Noto Serif CJK SC", "黑体": "Noto Sans CJK SC"}, [])
    # the same PDF with the numbers swapped, as a racing conversion would write it
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(raw)))
    swapped = 0
    for page in writer.pages:
        for ref in (page["/Resources"].get("/Font") or {}).values():
            desc = ref.get_object().get("/FontDescriptor")
            stream = desc.get_object().get("/FontFile") if desc is not None else None
            if stream is None:
                continue
            stream = stream.get_object()
            data, l1, l2 = stream.get_data(), int(stream["/Length1"]), int(stream["/Length2"])
            other = b"/UniqueID %d def" % (4199999 - swapped)
            plain, _ = eexec.decrypt(data[l1:l1 + l2], 55665)
            secret, _ = eexec.encrypt(re.sub(rb"/UniqueID \d{7} def", other, plain), 55665)
            stream.set_data(re.sub(rb"/UniqueID \d{7} def", other, data[:l1]) + secret + data[l1 + l2:])
            swapped += 1
    out = io.BytesIO()
    writer.write(out)
    assert swapped >= 1  # Noto CJK (CFF) becomes Type 1 in LibreOffice's PDF
    date = dt.date(2026, 3, 1)
    assert fix_metadata(raw, date, "t", "a") == fix_metadata(out.getvalue(), date, "t", "a")


# ---------------------------------------------------------------- GB/T 9704 measured with pdfplumber

TEXT_LEFT_MM, TEXT_RIGHT_MM, CHAR_MM = 28.0, 28.0 + 156.0, 156.0 / 28


def pdf_lines(pdf: Path, page: int) -> list[tuple[str, list[dict]]]:
    """(text, chars) of each line of a page, chars left to right, positions in mm."""
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        p = doc.pages[page - 1]
        rows: dict[int, list[dict]] = {}
        for c in p.chars:
            c = {**c, "x0": c["x0"] * PT, "x1": c["x1"] * PT, "top": c["top"] * PT, "base": (p.height - c["matrix"][5]) * PT}
            rows.setdefault(round(c["top"]), []).append(c)
    return [("".join(c["text"] for c in cs), cs) for _, cs in sorted(rows.items()) for cs in [sorted(cs, key=lambda c: c["x0"])]]


def find_line(pdf: Path, text: str) -> tuple[int, list[dict]]:
    for page in range(1, len(pages_text(pdf)) + 1):
        for t, cs in pdf_lines(pdf, page):
            if t.strip() == text:
                return page, cs
    raise AssertionError(f"{text!r} not in {pdf.name}")


@needs_lo
@needs_poppler
def test_unsealed_date_starts_two_characters_right_of_the_signature(built):
    """7.3.5.2 in the PDF: 署名右空二字, the date's first character 2 字 (11.1 mm) right of the 署名's."""
    pdf = built.out_dir / "notices" / "n-2026-06.pdf"
    page, sig = find_line(pdf, "晋阳顺达物流有限公司")
    page2, date = find_line(pdf, "2026年5月20日")
    assert page == page2
    assert date[0]["x0"] - sig[0]["x0"] == pytest.approx(2 * CHAR_MM, abs=1.0)
    assert TEXT_RIGHT_MM - sig[-1]["x1"] == pytest.approx(2 * CHAR_MM, abs=1.0)


@needs_lo
@needs_poppler
def test_sealed_signature_is_centred_over_the_date(built):
    """7.3.5.1 in the PDF: the 署名 centred over the date (1 mm), the date about 4 字 from the right.
    LibreOffice adds its Latin/CJK spacing around the digits (its .docx import ignores
    w:autoSpaceDN), so the date is about 5 mm wider than in Word: centred, its right end moves
    up to 3 mm further right than the 22.3 mm of Word."""
    pdf = built.out_dir / "notices" / "n-2026-05.pdf"
    _, sig = find_line(pdf, "晋阳顺达物流有限公司")
    _, date = find_line(pdf, "2026年2月6日")
    assert (sig[0]["x0"] + sig[-1]["x1"]) / 2 == pytest.approx((date[0]["x0"] + date[-1]["x1"]) / 2, abs=1.0)
    assert 4 * CHAR_MM - 3.5 < TEXT_RIGHT_MM - date[-1]["x1"] < 4 * CHAR_MM + 1.0


@needs_lo
@needs_poppler
def test_body_lines_hold_28_characters_inside_the_text_area(built):
    """The 28 × 22 grid: a full line of hanzi holds 28 characters, and no glyph, line-end
    punctuation included, reaches beyond the text area's right edge (1 mm)."""
    full = []
    for pdf in sorted((built.out_dir / "notices").glob("*.pdf")):
        for page in range(1, len(pages_text(pdf)) + 1):
            for text, cs in pdf_lines(pdf, page):
                body = [c for c in cs if abs(c["size"] - 16) < 0.1]
                if not body:
                    continue
                assert max(c["x1"] for c in body) <= TEXT_RIGHT_MM + 1.0, (pdf.name, page, text)
                cjk = all(ord(c["text"]) >= 0x2E80 and abs(c["size"] - 16) < 0.1 for c in cs)
                if cjk and cs[-1]["x1"] > TEXT_RIGHT_MM - CHAR_MM / 2:
                    indent = round((cs[0]["x0"] - TEXT_LEFT_MM) / CHAR_MM)  # a first line's 2 字
                    full.append((indent + len(cs), pdf.name, page, text))
    assert len(full) >= 15
    assert all(n == 28 for n, *_ in full), [f for f in full if f[0] != 28]


@needs_lo
@needs_poppler
def test_mark_top_35_mm_below_the_text_area(built, tmp_path):
    """7.2.1: the 标志's top edge 35 mm below the top of the text area (37 + 35 = 72 mm from the
    paper edge), within 1 mm: its ideographic em box (baseline − 0.88 em: OS/2 sTypoAscender of
    Noto CJK) and its red ink. pdfplumber's `top` is baseline − 1 em, 1.5 mm higher than the em box."""
    pdf = built.out_dir / "notices" / "n-2026-06.pdf"
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        p = doc.pages[0]
        mark = [c for c in p.chars if c["size"] > 30]
        assert mark
        base_mm = (p.height - mark[0]["matrix"][5]) * PT
        em_top = base_mm - 0.88 * mark[0]["size"] * PT
    assert em_top == pytest.approx(72, abs=1.0)
    assert measure_page(pdf, 1, tmp_path, dpi=200)["mark_top"] == pytest.approx(72, abs=1.0)
