"""PDF of a notice: LibreOffice converts the very .docx (same layout; `generators.render.libreoffice`),
WeasyPrint is the fallback. The standard's licensed font names map to the free fonts installed
here (or to the enterprise's own font files); each substitution is reported with ctx.note."""

from __future__ import annotations

import io
import re
from pathlib import Path

from markupsafe import Markup

from ... import paths
from ...load.images import guard_pillow
from ...render.jinja import environment
from ...render.libreoffice import installed
from . import layout as L
from .grid import CHAR_TWIPS, SEAL_TOP_LINES, signature_paras

# Free fonts standing in for the standard's licensed ones, by role: (family, weight), first
# installed wins. Coverage of the 6763 hanzi of GB 2312 (fontTools cmap, see the README):
# FandolFang 6763, LXGW WenKai 6763, Noto Serif/Sans CJK SC 6763; cwTeX 仿宋 only 4384, so it
# is not used. 方正小标宋 is a bold Song (FZXiaoBiaoSong-B05: "B" is FounderType's bold weight),
# so Noto Serif CJK SC Bold stands in for it.
SUBSTITUTES: dict[str, list[tuple[str, str | None]]] = {
    L.XBS: [("Noto Serif CJK SC", "bold")],
    L.FS: [("FandolFang", None), ("Noto Serif CJK SC", None)],
    L.HT: [("Noto Sans CJK SC", None)],
    L.KT: [("LXGW WenKai", None), ("AR PL UKai CN", None)],
    L.ST: [("Noto Serif CJK SC", None)],
}
WEIGHT_NAMES = {"bold": "Bold"}
CSS_WEIGHTS = {None: "normal", "bold": "bold"}


def substitute(role: str, name: str, font_files: dict[str, Path]) -> tuple[str, str | None] | None:
    """The free (family, weight) that stands in for `name`, or None when `name` itself is there."""
    if name in font_files or installed(name):
        return None
    return next(((f, w) for f, w in SUBSTITUTES[role] if installed(f)), None)


def font_plan(fonts: dict[str, str], font_files: dict[str, Path]) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """(font name → substitute family, font name → fontconfig weight, notes) for the notice's fonts."""
    aliases: dict[str, str] = {}
    weights: dict[str, str] = {}
    notes: list[str] = []
    for role, name in fonts.items():
        if name in aliases or name in font_files or installed(name):
            continue
        sub = substitute(role, name, font_files)
        if sub:
            family, weight = sub
            aliases[name] = family
            if weight:
                weights[name] = weight
            shown = f"{family} {WEIGHT_NAMES[weight]}" if weight else family
            notes.append(f"公文 PDF：{name} 未安装，以 {shown} 代替")
        else:
            notes.append(f"公文 PDF：{name} 未安装，也没有可替代的免费字体，由系统默认字体显示")
    return aliases, weights, notes


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def probe_placement(layout: L.NoticeLayout, probe_pdf: bytes) -> str:
    """The 版记's placement from a rendering of the PROBE .docx (the 版记 inline after the text,
    after one blank line, kept together): on the text's last page when it fits there, else alone
    on a page of its own. The text ends on the last page, or on the one before when the last
    page holds nothing but the 版记 and its page number."""
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(probe_pdf)).pages
    alone = _imprint_alone(layout, pages[-1])
    return L.imprint_placement(len(pages) - 1 if alone else len(pages), not alone)


def _imprint_alone(layout: L.NoticeLayout, page) -> bool:
    """Whether `page` holds nothing but the 版记 and its page number."""
    rest = _squeeze(page.extract_text() or "")
    for part in (layout.cc, layout.printer, layout.print_date):
        if part:
            rest = rest.replace(_squeeze(part), "", 1)
    return not re.sub(r"[\d—–-]", "", rest)


def next_page_confirmed(layout: L.NoticeLayout, pdf: bytes) -> bool:
    """Whether a rendering of the .docx made with IMPRINT_NEXT_PAGE shows the placement that
    probe_placement would find: the 版记 alone on the last page, the text ending on the odd page
    before it. The text is laid out as in the probe (the same paragraphs before the 版记, the
    last of them not kept with the next: notices.next_page_checkable), so it ends on the same
    page, and on an odd page the probe puts the 版记 on the next page whether or not it fits."""
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(pdf)).pages
    return len(pages) >= 2 and len(pages) % 2 == 0 and _imprint_alone(layout, pages[-1]) and _has_text(pages[-2])


def _has_text(page) -> bool:
    """Whether `page` holds more than a page number (the text's last page, not an empty one)."""
    return bool(re.sub(r"[\d—–-]", "", _squeeze(page.extract_text() or "")))


# ------------------------------------------------------------------ WeasyPrint fallback

# WeasyPrint places glyphs differently in their line boxes than LibreOffice (measured at 100 dpi):
WP_MARK_INK_OFFSET = 0.08  # the mark's ink top below its line top, in font sizes
WP_RULE_TEXT_GAP_PT = 6.9  # ink bottom of the 发文字号 to the bottom of its line box
ROLE_CLASSES = {L.XBS: "xbs", L.FS: "fs", L.HT: "ht", L.KT: "kt", L.ST: "st"}
GENERIC = {L.XBS: "serif", L.FS: "serif", L.HT: "sans-serif", L.KT: "serif", L.ST: "serif"}


def _jinja():
    return environment("notice", trim=False)


def css_string(text: str) -> Markup:
    """A CSS string for a <style> element: HTML escaping would not be undone there (the font
    names would not match), so everything but letters, digits, space, - and _ is a CSS escape."""
    return Markup('"' + "".join(c if c.isalnum() or c in " -_" else f"\\{ord(c):x} " for c in text) + '"')


def _css_family(role: str, name: str, font_files: dict[str, Path]) -> Markup:
    """The CSS font stack: the named font when it is there, else its free substitutes (an absent
    name first would let fontconfig answer it with its default face)."""
    if name in font_files or installed(name):
        families = [name]
    else:
        families = [f for f, _ in SUBSTITUTES[role] if installed(f)]
    return Markup(", ").join([*(css_string(f) for f in families), Markup(GENERIC[role])])


def _css_weight(role: str, name: str, font_files: dict[str, Path]) -> str:
    sub = substitute(role, name, font_files)
    return CSS_WEIGHTS[sub[1] if sub else None]


def notice_html(layout: L.NoticeLayout, seal: Path | None, font_files: dict[str, Path], placement: str | None = L.IMPRINT_SAME) -> str:
    """The notice as HTML with the .docx's measurements (for WeasyPrint); `placement` None leaves
    the 版记 out."""
    char_pt = CHAR_TWIPS / 20
    head = [(layout.copy_number, "fs"), (layout.secrecy, "ht"), (layout.urgency, "ht")]
    head_lines = [{"text": t, "cls": c} for t, c in head if t]
    mark_before = L.MARK_TOP_MM * L.PT_PER_MM - len(head_lines) * L.LINE_PITCH_PT - layout.mark_pt * WP_MARK_INK_OFFSET
    date_right = layout.signature_right_chars[1]
    # the .docx's paragraphs (GB/T 9704 7.3.5): left-aligned at the first characters' places
    # without a seal, centred over the date with one; twips → pt
    sig, date = ({"align": "center" if a == "center" else "left", "left": round(left / 20, 2), "right": round(right / 20, 2)}
                 for a, left, right in signature_paras(layout))
    date_centre_pt = (date_right + L.em_width(layout.date) / 2) * char_pt
    return _jinja().get_template("notice.html").render(
        lay=layout,
        title="".join(layout.title_lines),
        head_lines=head_lines,
        fonts={role: _css_family(role, name, font_files) for role, name in layout.fonts.items()},
        weights={role: _css_weight(role, name, font_files) for role, name in layout.fonts.items()},
        placement=placement,
        font_faces=[{"family": css_string(name), "url": css_string(path.as_uri())} for name, path in sorted(font_files.items())],
        roles=ROLE_CLASSES,
        mark_before_pt=round(mark_before, 2),
        rule_space_pt=round(L.RULE_BELOW_NUMBER_MM * L.PT_PER_MM - WP_RULE_TEXT_GAP_PT, 2),
        sig=sig,
        date=date,
        seal_url=seal.as_uri() if seal and layout.seal else None,
        seal_right_mm=round(date_centre_pt / L.PT_PER_MM - L.SEAL_MM / 2, 2),
        seal_top_pt=round((1 if layout.seal else 0) * L.LINE_PITCH_PT * (2 - SEAL_TOP_LINES), 2),
        stylesheets=[(paths.templates() / "notice" / "notice.css").as_uri()],
    )


def weasyprint_pdf(layout: L.NoticeLayout, seal: Path | None, font_files: dict[str, Path]) -> bytes:
    """WeasyPrint's rendering, the 版记 on an even last page: the text's last page comes from a
    rendering without the 版记, whether it fits from one with it under the text."""
    from weasyprint import HTML

    guard_pillow()
    def render(placement: str | None):
        html = notice_html(layout, seal, font_files, placement)
        return HTML(string=html, base_url=str(paths.templates() / "notice")).render()

    under = render(L.IMPRINT_SAME)
    text_end = len(render(None).pages)
    placement = L.imprint_placement(text_end, len(under.pages) == text_end)
    doc = under if placement == L.IMPRINT_SAME else render(placement)
    return doc.write_pdf()
