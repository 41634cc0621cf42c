"""Notice PDFs of the three samples: Simplified Chinese CJK faces only, codes such as YH-2026-005
never broken; the WeasyPrint fallback's 署名/成文日期 as in the .docx; the eexec renumbering and the
LibreOffice profile template."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from generators.load import load

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ("demo-transport", "demo-factory", "demo-chemical")
NOTO = Path("/usr/share/fonts/opentype/noto")
needs_lo = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdffonts") is None, reason="LibreOffice/poppler missing")


@pytest.fixture(scope="module")
def samples(shared_build):
    """Every sample's notices (PDF beside its .docx) from the run's shared full build."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    out = {}
    for name in SAMPLES:
        out[name] = sorted((shared_build(name).out / "notices").glob("*.pdf"))
        assert out[name], name
    return out


def _cid(name: str) -> int | None:
    m = re.fullmatch(r"cid0*(\d+)", name)
    return int(m.group(1)) if m else None


def _to_unicode(font) -> dict[int, str]:
    out: dict[int, str] = {}
    tu = font.get("/ToUnicode")
    if tu is None:
        return out
    text = tu.get_object().get_data().decode("latin-1")
    for sec in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for a, b in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", sec):
            out[int(a, 16)] = bytes.fromhex(b).decode("utf-16-be", "replace")
    for sec in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for a, b, c in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", sec):
            for i in range(int(a, 16), int(b, 16) + 1):
                out[i] = chr(int(c, 16) + i - int(a, 16))
    return out


def _regional_cmaps(path: Path) -> dict[str, dict[int, int]]:
    from fontTools.ttLib import TTCollection

    out = {}
    for f in TTCollection(str(path), lazy=True).fonts:
        region = re.search(r"CJK(jp|kr|sc|tc|hk)", f["name"].getDebugName(6)).group(1)
        if region not in out:  # the first (proportional) face of each region; the Mono ones follow
            out[region] = {u: _cid(g) for u, g in f["cmap"].getBestCmap().items()}
    return out


@pytest.mark.slow
@needs_lo
def test_every_cjk_face_in_the_sample_notices_is_simplified_chinese(samples):
    """pdffonts names no JP/KR/TC/HK face, and every hanzi whose glyph differs between the regions
    of Noto CJK is drawn with the SC face's glyph (the embedded Type 1 glyph names are CIDs)."""
    import subprocess

    from pypdf import PdfReader

    cmaps: dict[Path, dict] = {}
    checked = 0
    for pdfs in samples.values():
        for pdf in pdfs:
            names = [line.split()[0] for line in subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                                                                   check=True).stdout.splitlines()[2:]]
            assert any("CJKsc" in n for n in names), (pdf.name, names)
            assert not [n for n in names if re.search(r"CJK(jp|kr|tc|hk)|\b(JP|KR|TC|HK)\b", n, re.I)], (pdf.name, names)
            for page in PdfReader(pdf).pages:
                for ref in page["/Resources"]["/Font"].values():
                    font = ref.get_object()
                    m = re.search(r"Noto(Sans|Serif)CJK\w\w-(Bold|Regular)", str(font["/BaseFont"]))
                    if not m:
                        continue
                    path = NOTO / f"Noto{m.group(1)}CJK-{m.group(2)}.ttc"
                    if path not in cmaps:  # (setdefault would read the collection again for every font of every page)
                        cmaps[path] = _regional_cmaps(path)
                    regional = cmaps[path]
                    stream = font["/FontDescriptor"].get_object()["/FontFile"].get_object()
                    clear = stream.get_data()[: int(stream["/Length1"])]
                    encoding = {int(a): _cid(n.decode()) for a, n in re.findall(rb"dup (\d+) /(\S+) put", clear)}
                    for code, char in _to_unicode(font).items():
                        if len(char) != 1 or code not in encoding:
                            continue
                        forms = {r: c.get(ord(char)) for r, c in regional.items()}
                        if len(set(forms.values())) > 1:
                            assert encoding[code] == forms["sc"], (pdf.name, char, forms, encoding[code])
                            checked += 1
    assert checked > 20  # glyphs that differ by region were there to be checked


@pytest.mark.slow
@needs_lo
def test_codes_are_not_broken_across_lines(samples):
    """demo-chemical's YH-2026-005 (and the phone number): word joiners hold the hyphens in the
    .docx, the PDF has the whole code on one line; the site's text keeps the plain hyphen."""
    import pdfplumber

    pdf = next(p for p in samples["demo-chemical"] if p.stem == "aca-2026-15")
    xml = zipfile.ZipFile(pdf.with_suffix(".docx")).read("word/document.xml").decode()
    assert "YH\u2060-\u20602026\u2060-\u2060005" in xml and "YH-2026" not in xml
    lines = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            lines += (page.extract_text() or "").splitlines()
    assert any("YH-2026-005" in line.replace("\u2060", "") for line in lines), [x for x in lines if "YH" in x]
    notice_yaml = (ROOT / "content/enterprises/demo-chemical/notices/aca-2026-15.yaml").read_text(encoding="utf-8")
    assert "YH-2026-005" in notice_yaml


@pytest.fixture(scope="module")
def fixture_content():
    content, diags = load(ROOT / "tests" / "fixtures" / "notices" / "fixture-notices", build_date=dt.date(2026, 3, 1))
    assert content is not None and not diags.errors
    return content


def _line(pdf_bytes: bytes, text: str) -> list[dict]:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf_bytes)) as doc:
        for page in doc.pages:
            rows: dict[int, list[dict]] = {}
            for c in page.chars:
                rows.setdefault(round(c["top"]), []).append(c)
            for cs in rows.values():
                cs = sorted(cs, key=lambda c: c["x0"])
                if "".join(c["text"] for c in cs).strip() == text:
                    return cs
    raise AssertionError(text)


def test_weasyprint_fallback_places_signature_and_date_as_the_docx(fixture_content):
    """GB/T 9704 7.3.5 in the WeasyPrint fallback: without a seal the date's first character 2 字
    right of the 署名's and the 署名 2 字 from the right; with a seal the 署名 centred over the date."""
    from generators.outputs.notices import render_pdf

    char_pt = 156 / 28 * 72 / 25.4
    right_pt = (210 - 26) * 72 / 25.4  # right edge of the text area (28 mm left margin + 156 mm)
    pdf = render_pdf(fixture_content, fixture_content.notices["n-2026-06"], b"", engine="weasyprint")
    sig, date = _line(pdf, "晋阳顺达物流有限公司"), _line(pdf, "2026年5月20日")
    assert date[0]["x0"] - sig[0]["x0"] == pytest.approx(2 * char_pt, abs=2)
    assert right_pt - sig[-1]["x1"] == pytest.approx(2 * char_pt, abs=3)
    pdf = render_pdf(fixture_content, fixture_content.notices["n-2026-05"], b"", engine="weasyprint")
    sig, date = _line(pdf, "晋阳顺达物流有限公司"), _line(pdf, "2026年2月6日")
    assert (sig[0]["x0"] + sig[-1]["x1"]) / 2 == pytest.approx((date[0]["x0"] + date[-1]["x1"]) / 2, abs=2)


def test_eexec_renumbering_from_the_number_on_equals_a_full_reencryption():
    import random

    from generators.render.libreoffice import _UNIQUE_ID, _eexec_decrypt, _eexec_encrypt, _eexec_renumber

    rng = random.Random(7)
    for n in range(20):
        plain = bytes(rng.randrange(256) for _ in range(4)) + b"dup /Private 8 dict dup begin /UniqueID 41000%02d def " % n
        plain += bytes(rng.randrange(256) for _ in range(rng.randrange(50, 3000)))
        cipher = _eexec_encrypt(plain)
        new = b"/UniqueID 4154321 def"
        assert _eexec_renumber(cipher, new) == _eexec_encrypt(_UNIQUE_ID.sub(new, plain))
        assert _eexec_decrypt(_eexec_renumber(cipher, new)).count(new) == 1
    same = _eexec_encrypt(b"abcd /UniqueID 4154321 def rest")
    assert _eexec_renumber(same, b"/UniqueID 4154321 def") is same  # already the number: nothing done


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_office_server_starts_from_the_profile_template(tmp_path):
    """The template profile is made once and copied into each server's folder before LibreOffice starts."""
    from generators.render import libreoffice as lo

    exe = lo.soffice_bin()
    python = lo.uno_python()
    if exe is None or python is None:
        pytest.skip("python3-uno missing")
    template = lo.profile_template(exe)
    assert template is not None and (template / "user" / "registrymodifications.xcu").is_file()
    assert lo.profile_template(exe) == template  # made once
    server = lo.OfficeServer("<fontconfig><include>/etc/fonts/fonts.conf</include></fontconfig>", python, exe, template)
    try:
        assert (server.workdir / "profile" / "user" / "registrymodifications.xcu").is_file()
        assert server.alive()
    finally:
        server.close()
    assert not server.workdir.exists()
