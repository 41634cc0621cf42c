"""The measurements of a GB/T 9704-2012 notice that its .docx (notices/docx.py) and its PDF
(notices/pdf.py) share: twips of the 3号 grid, the 署名/成文日期 indents and the page estimate for
the 版记. Kept apart from the .docx writer so that using them does not import python-docx."""

from __future__ import annotations

import math

from . import layout as L

EMU_PER_MM = 36000
# LibreOffice snaps a 16 pt character that is wider than the 15.79 pt grid cell into two cells,
# while Word squeezes it. So paragraphs do not snap to the grid (w:snapToGrid="0") and 3号 runs
# are condensed by whole twips to the grid pitch: 28 characters a line in both programs.
CONDENSE_TWIPS = math.floor((L.CHAR_PITCH_PT - L.SIZE_3HAO) * 20)  # -5: 15.75 pt a character
CHAR_TWIPS = round(L.SIZE_3HAO * 20) + CONDENSE_TWIPS  # one 3号 character: 315 twips
CHAR4_TWIPS = round(L.SIZE_4HAO * 20)  # one 4号 character (版记, page number): 280 twips

# Where a 3号 glyph sits in an exact grid line, measured on LibreOffice's rendering at 300 dpi:
# the mark's ink top lies this fraction of its font size below the top of its line box.
MARK_LINE_FACTOR = 1.0  # the mark's exact line height, in font sizes
MARK_INK_OFFSET = -0.035  # ink top below the line top, in font sizes (LibreOffice puts it slightly above)
RULE_TEXT_GAP_PT = 5.25  # ink bottom of a 3号 line to the bottom of its 579-twip box
SEAL_TOP_LINES = 1.7  # seal top above the 署名 line, in grid lines
PROBE = "probe"  # a placement of the 版记: inline after the text, to find out where it lands


# ------------------------------------------------------------ 署名 and 成文日期

TEXT_W_TWIPS = round(L.PAGE_W_MM * L.TWIPS_PER_MM) - round(L.MARGIN_LEFT_MM * L.TWIPS_PER_MM) - round(L.MARGIN_RIGHT_MM * L.TWIPS_PER_MM)


def signature_paras(lay: L.NoticeLayout) -> tuple[tuple[str, int, int], tuple[str, int, int]]:
    """(alignment, left indent, right indent in twips) of the 署名 and of the 成文日期 (GB/T 9704 7.3.5).

    Without a seal both are left-aligned at the first characters' places, so that the date's first
    character lies exactly 2 字 right of the 署名's whatever the width of the digits in the font.
    With a seal both are centred between the same symmetric indents around the date's centre
    (the date 4 字 from the right), so that the 署名 is centred over the date in any font."""
    sig_w, date_w = L.em_width(lay.signature), L.em_width(lay.date)
    sig_right, date_right = lay.signature_right_chars
    if not lay.seal:
        sig_left = TEXT_W_TWIPS - round((sig_right + sig_w) * CHAR_TWIPS)
        date_left = TEXT_W_TWIPS - round((date_right + date_w) * CHAR_TWIPS)
        return ("left", sig_left, 0), ("left", date_left, 0)
    centre = TEXT_W_TWIPS - (date_right + date_w / 2) * CHAR_TWIPS  # from the left edge of the text area
    half = min((max(sig_w, date_w) / 2 + 1) * CHAR_TWIPS, centre, TEXT_W_TWIPS - centre)
    left, right = round(centre - half), round(TEXT_W_TWIPS - centre - half)
    return ("center", left, right), ("center", left, right)


# ------------------------------------------------------------ page estimate for the 版记


def _para_lines(para: L.Para) -> int:
    """Lines of a grid paragraph: its text plus the first-line indent, 28 characters a line."""
    width = L.CHARS_PER_LINE - para.left_chars - para.right_chars
    text = L.em_width(para.text) + para.first_chars
    return max(1, math.ceil(text / width))


def _lines_to_pages(used: float) -> tuple[int, int]:
    """(pages, grid lines used on the last of them) for a part that starts on a new page."""
    used = max(1, int(used + 0.999))
    pages = math.ceil(used / L.LINES_PER_PAGE)
    return pages, used - (pages - 1) * L.LINES_PER_PAGE


def estimate_text_end(lay: L.NoticeLayout) -> tuple[int, int]:
    """(page, grid lines used on it) where the text ends: a close estimate, 28 characters a line,
    each attachment on a new page. Used when no LibreOffice can render the notice."""
    head = L.MARK_TOP_MM / (L.LINE_PITCH_PT / L.PT_PER_MM) + lay.mark_pt / L.LINE_PITCH_PT + 2 + 1 + 0.5 + 2
    used = head + len(lay.title_lines) + 1 + 1 + sum(_para_lines(p) for p in lay.body)
    if lay.attachment_note:
        used += 1 + sum(_para_lines(p) for p in lay.attachment_note)
    used += (2 if lay.seal else 1) + 2 + (1 if lay.note else 0)
    page, lines = _lines_to_pages(used)
    for att in lay.attachments:
        pages, lines = _lines_to_pages(2 + len(att.title_lines) + 1 + sum(_para_lines(p) for p in att.paras))
        page += pages
    return page, lines


def estimate_last_page_lines(lay: L.NoticeLayout) -> int:
    """Grid lines used on the page where the text ends (estimate_text_end)."""
    return estimate_text_end(lay)[1]


def estimate_placement(lay: L.NoticeLayout) -> str:
    """The 版记's placement from the estimate: it fits under the text with one line to spare."""
    page, lines = estimate_text_end(lay)
    return L.imprint_placement(page, lines <= L.LINES_PER_PAGE - imprint_lines(lay) - 1)


def imprint_lines(lay: L.NoticeLayout) -> int:
    """Grid lines of the 版记: each of its 4号 lines takes one grid line."""
    cc_lines = 0
    if lay.cc:
        per_line = math.floor(L.TEXT_W_MM * L.PT_PER_MM / L.SIZE_4HAO) - 2
        cc_lines = math.ceil(L.em_width(lay.cc) / per_line)
    return cc_lines + 1
