"""PDF of a notice: LibreOffice converts the very .docx (same layout; `generators.render.libreoffice`),
WeasyPrint is the fallback. The standard's licensed font names map to the free fonts installed
here (or to the enterprise's own font files); each substitution is reported with ctx.note."""

from __future__ import annotations

from pathlib import Path

from ... import paths
from ...load.images import guard_pillow
from ...render.jinja import environment
from ...render.libreoffice import installed
from . import layout as L
from .docx import CHAR_TWIPS, SEAL_TOP_LINES

# Free fonts standing in for the standard's licensed ones, by role.
SUBSTITUTES = {
    L.XBS: ["Noto Serif CJK SC"],
    L.FS: ["FandolFang", "Noto Serif CJK SC"],
    L.HT: ["Noto Sans CJK SC"],
    L.KT: ["AR PL UKai CN", "LXGW WenKai"],
    L.ST: ["Noto Serif CJK SC"],
}


def font_plan(fonts: dict[str, str], font_files: dict[str, Path]) -> tuple[dict[str, str], list[str]]:
    """(font name → substitute family, notes) for the fonts the notice names."""
    aliases: dict[str, str] = {}
    notes: list[str] = []
    for role, name in fonts.items():
        if name in aliases or name in font_files or installed(name):
            continue
        sub = next((f for f in SUBSTITUTES[role] if installed(f)), None)
        if sub:
            aliases[name] = sub
            notes.append(f"公文 PDF：{name} 未安装，以 {sub} 代替")
        else:
            notes.append(f"公文 PDF：{name} 未安装，也没有可替代的免费字体，由系统默认字体显示")
    return aliases, notes


# ------------------------------------------------------------------ WeasyPrint fallback

# WeasyPrint places glyphs differently in their line boxes than LibreOffice (measured at 100 dpi):
WP_MARK_INK_OFFSET = 0.08  # the mark's ink top below its line top, in font sizes
WP_RULE_TEXT_GAP_PT = 6.9  # ink bottom of the 发文字号 to the bottom of its line box
ROLE_CLASSES = {L.XBS: "xbs", L.FS: "fs", L.HT: "ht", L.KT: "kt", L.ST: "st"}
GENERIC = {L.XBS: "serif", L.FS: "serif", L.HT: "sans-serif", L.KT: "serif", L.ST: "serif"}


def _jinja():
    return environment("notice", trim=False)


def _css_family(role: str, name: str, font_files: dict[str, Path]) -> str:
    families = [name]
    if name not in font_files:
        families += [f for f in SUBSTITUTES[role] if installed(f)]
    return ", ".join(f'"{f}"' for f in families) + f", {GENERIC[role]}"


def notice_html(layout: L.NoticeLayout, seal: Path | None, font_files: dict[str, Path]) -> str:
    """The notice as HTML with the .docx's measurements (for WeasyPrint)."""
    char_pt = CHAR_TWIPS / 20
    head = [(layout.copy_number, "fs"), (layout.secrecy, "ht"), (layout.urgency, "ht")]
    head_lines = [{"text": t, "cls": c} for t, c in head if t]
    mark_before = L.MARK_TOP_MM * L.PT_PER_MM - len(head_lines) * L.LINE_PITCH_PT - layout.mark_pt * WP_MARK_INK_OFFSET
    sig_right, date_right = layout.signature_right_chars
    date_centre_pt = (date_right + L.em_width(layout.date) / 2) * char_pt
    return _jinja().get_template("notice.html").render(
        lay=layout,
        title="".join(layout.title_lines),
        head_lines=head_lines,
        fonts={role: _css_family(role, name, font_files) for role, name in layout.fonts.items()},
        font_faces=[{"family": name, "url": path.as_uri()} for name, path in sorted(font_files.items())],
        roles=ROLE_CLASSES,
        mark_before_pt=round(mark_before, 2),
        rule_space_pt=round(L.RULE_BELOW_NUMBER_MM * L.PT_PER_MM - WP_RULE_TEXT_GAP_PT, 2),
        sig_right=sig_right * char_pt / L.SIZE_3HAO,
        date_right=date_right * char_pt / L.SIZE_3HAO,
        seal_url=seal.as_uri() if seal and layout.seal else None,
        seal_right_mm=round(date_centre_pt / L.PT_PER_MM - L.SEAL_MM / 2, 2),
        seal_top_pt=round((1 if layout.seal else 0) * L.LINE_PITCH_PT * (2 - SEAL_TOP_LINES), 2),
        stylesheets=[(paths.templates() / "notice" / "notice.css").as_uri()],
    )


def weasyprint_pdf(layout: L.NoticeLayout, seal: Path | None, font_files: dict[str, Path]) -> bytes:
    from weasyprint import HTML

    guard_pillow()
    html = notice_html(layout, seal, font_files)
    return HTML(string=html, base_url=str(paths.templates() / "notice")).write_pdf()
