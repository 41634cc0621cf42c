"""Write a `NoticeLayout` as a GB/T 9704-2012 .docx with python-docx and lxml.

Every measurement comes from notice_layout; this module only knows WordprocessingML:
page geometry and the 22 × 28 document grid, fonts on the East-Asian slot, the
red 标志 and rule, odd/even PAGE footers, the floating seal and the 版记 frame
at the bottom of the last page. The output is byte-reproducible.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm

from ...render.zips import normalise_zip
from . import layout as L
from .grid import (
    CHAR4_TWIPS,
    CHAR_TWIPS,
    CONDENSE_TWIPS,
    EMU_PER_MM,
    MARK_INK_OFFSET,
    MARK_LINE_FACTOR,
    PROBE,
    RULE_TEXT_GAP_PT,
    SEAL_TOP_LINES,
    TEXT_W_TWIPS,
    estimate_last_page_lines,
    estimate_placement,
    estimate_text_end,
    imprint_lines,
    signature_paras,
)


def _el(tag: str, **attrs: str):
    e = OxmlElement(tag)
    for k, v in attrs.items():
        e.set(qn(k if ":" in k else f"w:{k}"), str(v))
    return e


def _sub(parent, tag: str, **attrs: str):
    e = _el(tag, **attrs)
    parent.append(e)
    return e


# A hyphen between letters or digits joins a code or 文号 (YH-2026-005, GB/T 9704-2012): no line break there.
# The hyphen is held by word joiners (U+2060, zero width, no break on either side): LibreOffice
# still breaks after U+2011 and after w:noBreakHyphen (which it imports as U+2011) in Chinese text.
CODE_HYPHEN = re.compile(r"(?<=[0-9A-Za-z])-(?=[0-9A-Za-z])")
NO_BREAK_HYPHEN = "\u2060-\u2060"


def _rfonts(font: str):
    return _el("w:rFonts", ascii=font, hAnsi=font, eastAsia=font, cs=font)


class NoticeDocx:
    def __init__(self, layout: L.NoticeLayout, seal_path: Path | None, date: dt.date, placement: str = L.IMPRINT_SAME):
        self.lay = layout
        self.seal_path = seal_path
        self.date = date
        self.placement = placement  # where the 版记 goes (layout.imprint_placement), or PROBE
        self.doc = Document()
        self.body = self.doc.element.body
        for p in list(self.body):
            if p.tag == qn("w:p"):
                self.body.remove(p)
        self._sectpr = self.body.find(qn("w:sectPr"))
        self._drawing_id = 0

    # ------------------------------------------------------------ fonts and styles

    def font(self, role: str) -> str:
        return self.lay.fonts[role]

    def _styles(self) -> None:
        styles = self.doc.styles.element
        body_font = self.font(L.FS)
        defaults = styles.find(qn("w:docDefaults"))
        rpr_default = defaults.find(qn("w:rPrDefault"))
        rpr = rpr_default.find(qn("w:rPr"))
        for child in list(rpr):
            rpr.remove(child)
        rpr.append(_rfonts(body_font))
        _sub(rpr, "w:kern", val="2")
        _sub(rpr, "w:sz", val=str(int(L.SIZE_3HAO * 2)))
        _sub(rpr, "w:szCs", val=str(int(L.SIZE_3HAO * 2)))
        _sub(rpr, "w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA")
        # Widow/orphan control on every paragraph (Word's and LibreOffice's two lines); a heading
        # keeps with the first two lines of what follows (w:keepNext), never with a whole paragraph
        # (no w:keepLines anywhere).
        ppr_default = defaults.find(qn("w:pPrDefault"))
        ppr = ppr_default.find(qn("w:pPr"))
        if ppr.find(qn("w:widowControl")) is None:
            ppr.insert(0, _el("w:widowControl"))
        for style in styles.findall(qn("w:style")):
            srpr = style.find(qn("w:rPr"))
            if srpr is None:
                srpr = _sub(style, "w:rPr")
            old = srpr.find(qn("w:rFonts"))
            if old is not None:
                srpr.remove(old)
            srpr.insert(0, _rfonts(body_font))
            lang = srpr.find(qn("w:lang"))
            if lang is None:
                lang = _sub(srpr, "w:lang")
            lang.set(qn("w:eastAsia"), "zh-CN")
            if style.get(qn("w:styleId")) == "Normal":
                for tag in ("w:spacing", "w:sz", "w:szCs", "w:color"):
                    old = srpr.find(qn(tag))
                    if old is not None:
                        srpr.remove(old)
                _sub(srpr, "w:spacing", val=str(CONDENSE_TWIPS))
                _sub(srpr, "w:sz", val=str(int(L.SIZE_3HAO * 2)))
                _sub(srpr, "w:szCs", val=str(int(L.SIZE_3HAO * 2)))
        settings = self.doc.settings.element
        theme_lang = settings.find(qn("w:themeFontLang"))
        if theme_lang is not None:
            theme_lang.set(qn("w:eastAsia"), "zh-CN")

    # ------------------------------------------------------------ page

    def _page(self) -> None:
        sec = self.doc.sections[0]
        sec.orientation = WD_ORIENT.PORTRAIT
        sec.page_width, sec.page_height = Mm(L.PAGE_W_MM), Mm(L.PAGE_H_MM)
        sec.top_margin, sec.bottom_margin = Mm(L.MARGIN_TOP_MM), Mm(L.MARGIN_BOTTOM_MM)
        sec.left_margin, sec.right_margin = Mm(L.MARGIN_LEFT_MM), Mm(L.MARGIN_RIGHT_MM)
        sec.gutter = 0
        sec.header_distance = Mm(15)
        sec.footer_distance = Mm(L.FOOTER_DISTANCE_MM)
        grid = self._sectpr.find(qn("w:docGrid"))
        if grid is None:
            grid = _sub(self._sectpr, "w:docGrid")
        # A line grid only: LibreOffice lays a "linesAndChars" grid with a negative charSpace
        # (-848 for 28 characters of 3号) out as 27 characters a line, shifted 0.3 mm right, and
        # hangs the 28th character's punctuation into the margin. The 28 characters come from
        # the condensed 3号 runs (CONDENSE_TWIPS), in Word and in LibreOffice alike.
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(L.LINE_PITCH_TWIPS))
        if grid.get(qn("w:charSpace")) is not None:
            del grid.attrib[qn("w:charSpace")]
        self.doc.settings.odd_and_even_pages_header_footer = True
        self._footer(sec.footer, odd=True)
        self._footer(sec.even_page_footer, odd=False)
        sec.header.is_linked_to_previous = False
        sec.even_page_header.is_linked_to_previous = False

    def _footer(self, footer, odd: bool) -> None:
        footer.is_linked_to_previous = False
        el = footer._element
        for p in list(el):
            el.remove(p)
        p = _el("w:p")
        ppr = _sub(p, "w:pPr")
        _sub(ppr, "w:snapToGrid", val="0")
        _sub(ppr, "w:spacing", before="0", after="0", line=str(int(L.FOOTER_LINE_PT * 20)), lineRule="exact")
        if odd:
            _sub(ppr, "w:ind", right=str(round(CHAR4_TWIPS)))
            _sub(ppr, "w:jc", val="right")
        else:
            _sub(ppr, "w:ind", left=str(round(CHAR4_TWIPS)))
            _sub(ppr, "w:jc", val="left")
        size = L.SIZE_4HAO
        font = self.font(L.ST)
        p.append(self._run("— ", font, size))
        p.append(self._field_char("begin", font, size))
        instr = self._run("", font, size)
        it = _sub(instr, "w:instrText")
        it.set(qn("xml:space"), "preserve")
        it.text = " PAGE "
        p.append(instr)
        p.append(self._field_char("separate", font, size))
        p.append(self._run("1", font, size))
        p.append(self._field_char("end", font, size))
        p.append(self._run(" —", font, size))
        el.append(p)

    def _field_char(self, kind: str, font: str, size: float):
        r = self._run("", font, size)
        _sub(r, "w:fldChar", fldCharType=kind)
        return r

    # ------------------------------------------------------------ paragraphs and runs

    def _run(self, text: str, font: str, size: float, color: str | None = None, bold: bool = False):
        r = _el("w:r")
        rpr = _sub(r, "w:rPr")
        fonts = _rfonts(font)
        if any(c in L.AMBIGUOUS for c in text):
            fonts.set(qn("w:hint"), "eastAsia")
        rpr.append(fonts)
        if bold:
            _sub(rpr, "w:b")
        if color:
            _sub(rpr, "w:color", val=color)
        if size == L.SIZE_3HAO:
            _sub(rpr, "w:spacing", val=str(CONDENSE_TWIPS))
        _sub(rpr, "w:sz", val=str(round(size * 2)))
        _sub(rpr, "w:szCs", val=str(round(size * 2)))
        _sub(rpr, "w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA")
        if text:
            parts = text.split("\n")
            for i, part in enumerate(parts):
                if i:
                    _sub(r, "w:br")
                t = _sub(r, "w:t")
                t.set(qn("xml:space"), "preserve")
                t.text = CODE_HYPHEN.sub(NO_BREAK_HYPHEN, part)
        return r

    def _p(self, *, align: str = "both", first: float = 0, left: float = 0, right: float = 0, line: int = L.LINE_PITCH_TWIPS,
           before: int = 0, keep_next: bool = False, page_break: bool = False, char_twips: float = CHAR_TWIPS):
        p = _el("w:p")
        ppr = _sub(p, "w:pPr")
        if keep_next:
            _sub(ppr, "w:keepNext")
        if page_break:
            _sub(ppr, "w:pageBreakBefore")
        # No punctuation hanging into the right margin in LibreOffice: its import reads w:overflowPunct
        # the other way round (val="0" hangs, as does its default; "1" keeps the line inside the text
        # area), while "1" is Word's default, so Word lays the paragraph out as without it.
        _sub(ppr, "w:overflowPunct", val="1")
        _sub(ppr, "w:snapToGrid", val="0")
        _sub(ppr, "w:spacing", before=str(round(before)), after="0", line=str(line), lineRule="exact")
        ind = {}
        if left:
            ind["left"] = str(round(left * char_twips))
        if right:
            ind["right"] = str(round(right * char_twips))
        if first > 0:
            ind["firstLine"] = str(round(first * char_twips))
        elif first < 0:
            ind["hanging"] = str(round(-first * char_twips))
        if ind:
            _sub(ppr, "w:ind", **ind)
        _sub(ppr, "w:jc", val=align)
        self.body.insert(len(self.body) - 1, p)  # before the final sectPr
        return p

    def para(self, para: L.Para) -> None:
        align = {"justify": "both", "left": "left", "center": "center", "right": "right"}[para.align]
        p = self._p(align=align, first=para.first_chars, left=para.left_chars, right=para.right_chars,
                    keep_next=para.keep_next, page_break=para.page_break)
        for run in para.runs:
            p.append(self._run(run.text, self.font(run.font), para.size))

    def blank(self, n: int = 1, keep_next: bool = False) -> None:
        for _ in range(n):
            self._p(keep_next=keep_next)

    # ------------------------------------------------------------ the parts of a notice

    def head(self) -> None:
        lay = self.lay
        head_lines = 0
        for text, role in ((lay.copy_number, L.FS), (lay.secrecy, L.HT), (lay.urgency, L.HT)):
            if text:
                p = self._p(align="left", keep_next=True)
                p.append(self._run(text, self.font(role), L.SIZE_3HAO))
                head_lines += 1
        size = lay.mark_pt
        line = round(size * MARK_LINE_FACTOR * 20)
        before = L.MARK_TOP_MM * L.TWIPS_PER_MM - head_lines * L.LINE_PITCH_TWIPS - size * MARK_INK_OFFSET * 20
        p = self._p(align="center", line=line, before=before, keep_next=True)
        p.append(self._run(lay.mark, self.font(L.XBS), size, color=L.RED))
        self.blank(2, keep_next=True)
        # 发文字号 (and 签发人), with the red separator as its bottom border 4 mm under the text
        if lay.signer:
            p = self._p(align="left", left=1, keep_next=True)
            tabs = _el("w:tabs")
            _sub(tabs, "w:tab", val="right", pos=str(round((L.CHARS_PER_LINE - 1) * CHAR_TWIPS)))
            p.find(qn("w:pPr")).insert(0, tabs)
            p.append(self._run(lay.number + "\t签发人：", self.font(L.FS), L.SIZE_3HAO))
            p.append(self._run(lay.signer, self.font(L.KT), L.SIZE_3HAO))
        else:
            p = self._p(align="center", keep_next=True)
            p.append(self._run(lay.number, self.font(L.FS), L.SIZE_3HAO))
        space = max(0.0, L.RULE_BELOW_NUMBER_MM * L.PT_PER_MM - RULE_TEXT_GAP_PT)
        ppr = p.find(qn("w:pPr"))
        bdr = _el("w:pBdr")
        _sub(bdr, "w:bottom", val="single", sz="8", space=str(round(space)), color=L.RED)
        ppr.insert(len(ppr) - 2, bdr)  # pBdr precedes spacing/ind/jc in CT_PPr order
        self._reorder(ppr)
        self.blank(2, keep_next=True)
        self.title(lay.title_lines, keep_next=True)
        self.blank(1, keep_next=True)
        p = self._p(align="left")
        p.append(self._run(lay.to, self.font(L.FS), L.SIZE_3HAO))

    def _no_autospace(self, p) -> None:
        """No extra space between Latin and CJK characters: the line was measured without it."""
        ppr = p.find(qn("w:pPr"))
        ppr.append(_el("w:autoSpaceDE", val="0"))
        ppr.append(_el("w:autoSpaceDN", val="0"))
        self._reorder(ppr)

    def title(self, lines: list[str], keep_next: bool = False) -> None:
        p = self._p(align="center", keep_next=keep_next)
        self._no_autospace(p)
        p.append(self._run("\n".join(lines), self.font(L.XBS), L.SIZE_2HAO))

    def closing(self) -> None:
        lay = self.lay
        if lay.body:
            last = self.body[len(self.body) - 2]
            self._keep_next(last)
        if lay.attachment_note:
            self.blank(1, keep_next=True)
            for para in lay.attachment_note:
                self.para(para)
        self.blank(2 if lay.seal else 1, keep_next=True)
        (sig_align, sig_left, sig_right), (date_align, date_left, date_right) = signature_paras(lay)
        p = self._p(align=sig_align, left=sig_left, right=sig_right, keep_next=True, char_twips=1)
        self._no_autospace(p)
        p.append(self._run(lay.signature, self.font(L.FS), L.SIZE_3HAO))
        if lay.seal and self.seal_path:
            p.append(self._seal_run(lay.signature_right_chars[1]))
        p = self._p(align=date_align, left=date_left, right=date_right, keep_next=bool(lay.note), char_twips=1)
        self._no_autospace(p)
        p.append(self._run(lay.date, self.font(L.FS), L.SIZE_3HAO))
        if lay.note:
            p = self._p(align="left", first=2)
            p.append(self._run(lay.note, self.font(L.FS), L.SIZE_3HAO))

    def attachments(self) -> None:
        for att in self.lay.attachments:
            p = self._p(align="left", page_break=True, keep_next=True)
            p.append(self._run(att.label, self.font(L.HT), L.SIZE_3HAO))
            self.blank(1, keep_next=True)
            self.title(att.title_lines, keep_next=True)
            self.blank(1, keep_next=True)
            for para in att.paras:
                self.para(para)

    def imprint(self) -> None:
        """版记: 抄送 and 印发 between full-width rules, in a text box at the bottom of the last page.

        The box is anchored to the document's last paragraph and aligned to the bottom of the
        text area, so its last rule lies on the bottom edge of the text area (GB/T 9704 7.4.1).
        The placement puts that page on an even page number (layout.imprint_placement); PROBE
        sets the 版记 inline after the text instead, so that a rendering shows where it lands.
        """
        lay = self.lay
        paras = []
        if lay.cc:
            name_at = 1 + L.em_width("抄送：")
            p = self._p(align="left", left=name_at, first=1 - name_at, right=1, char_twips=CHAR4_TWIPS)
            p.append(self._run(lay.cc, self.font(L.FS), L.SIZE_4HAO))
            paras.append(p)
        p = self._p(align="left", left=1, char_twips=CHAR4_TWIPS)
        tabs = _el("w:tabs")
        _sub(tabs, "w:tab", val="right", pos=str(round(L.TEXT_W_MM * L.TWIPS_PER_MM - CHAR4_TWIPS)))
        p.find(qn("w:pPr")).insert(0, tabs)
        p.append(self._run(f"{lay.printer}\t{lay.print_date}", self.font(L.FS), L.SIZE_4HAO))
        paras.append(p)
        # full-width rules as one-point paragraphs of their own (a border on an indented
        # paragraph would follow its indents): first and last 0.35 mm, the middle one 0.25 mm
        outer, inner = "8", "6"  # eighths of a point: 1 pt ≈ 0.35 mm, 0.75 pt ≈ 0.26 mm
        box = [self._rule(outer)]
        for i, p in enumerate(paras):
            self.body.remove(p)
            box += [p, self._rule(outer if i == len(paras) - 1 else inner)]
        if self.placement == PROBE:
            # one blank line, then the 版记 kept together: it stays on the text's last page if it fits
            self.blank(1, keep_next=True)
            for i, p in enumerate(box):
                if i < len(box) - 1:
                    self._keep_next(p)
                self.body.insert(len(self.body) - 1, p)
            return
        if self.placement == L.IMPRINT_BLANK_PAGE:
            self._unnumbered_section()
            self._p(line=20)  # the blank page
        next_page = self.placement in (L.IMPRINT_NEXT_PAGE, L.IMPRINT_BLANK_PAGE)
        anchor_p = self._p(line=20, page_break=next_page)  # the last paragraph, one point high, holds the box
        anchor_p.append(self._textbox(box, imprint_lines(lay)))

    def _unnumbered_section(self) -> None:
        """End the numbered section at the text's last paragraph. What follows (a blank page and
        the 版记 page) is a section of its own whose footers are empty: GB/T 9704 7.5 numbers
        neither a blank page before the 版记 nor the 版记 page."""
        last = self.body[len(self.body) - 2]  # the last paragraph before the body's sectPr
        last.find(qn("w:pPr")).append(copy.deepcopy(self._sectpr))
        for ref in self._sectpr.findall(qn("w:footerReference")):
            self._sectpr.remove(ref)
        sec = self.doc.sections[-1]
        for footer in (sec.footer, sec.even_page_footer):
            footer.is_linked_to_previous = False  # a new, empty footer part

    def _rule(self, size: str):
        p = self._p(line=20)
        self.body.remove(p)
        ppr = p.find(qn("w:pPr"))
        bdr = _el("w:pBdr")
        _sub(bdr, "w:bottom", val="single", sz=size, space="0", color="000000")
        ppr.append(bdr)
        self._reorder(ppr)
        return p

    def _textbox(self, paras: list, lines: int):
        width = round(L.TEXT_W_MM * EMU_PER_MM)
        height = round((lines * L.LINE_PITCH_TWIPS + 4 * 20 + 40) * 635)  # lines, rule paragraphs, rules (EMU)
        self._drawing_id += 1
        anchor = parse_xml(
            f'<wp:anchor {nsdecls("wp", "a", "w")} xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
            f'distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="251662336" behindDoc="0" locked="1" '
            f'layoutInCell="1" allowOverlap="0">'
            f'<wp:simplePos x="0" y="0"/>'
            f'<wp:positionH relativeFrom="margin"><wp:posOffset>0</wp:posOffset></wp:positionH>'
            f'<wp:positionV relativeFrom="margin"><wp:align>bottom</wp:align></wp:positionV>'
            f'<wp:extent cx="{width}" cy="{height}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>'
            f'<wp:docPr id="{100 + self._drawing_id}" name="版记"/><wp:cNvGraphicFramePr/>'
            f'<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            f'<wps:wsp><wps:cNvSpPr txBox="1"/>'
            f'<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{width}" cy="{height}"/></a:xfrm>'
            f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>'
            f'<wps:txbx><w:txbxContent/></wps:txbx>'
            f'<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="b" anchorCtr="0">'
            f'<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor>'
        )
        content = anchor.find(".//" + qn("w:txbxContent"))
        for p in paras:
            content.append(p)
        r = _el("w:r")
        drawing = _sub(r, "w:drawing")
        drawing.append(anchor)
        return r

    # ------------------------------------------------------------ helpers

    _PPR_ORDER = ["w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
                  "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                  "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                  "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc"]

    def _reorder(self, ppr) -> None:
        order = {qn(t): i for i, t in enumerate(self._PPR_ORDER)}
        children = sorted(list(ppr), key=lambda e: order.get(e.tag, len(order)))
        for c in list(ppr):
            ppr.remove(c)
        for c in children:
            ppr.append(c)

    def _keep_next(self, p) -> None:
        ppr = p.find(qn("w:pPr"))
        if ppr.find(qn("w:keepNext")) is None:
            ppr.insert(0, _el("w:keepNext"))
            self._reorder(ppr)

    def _seal_run(self, date_right: float):
        """The seal as a floating picture over 署名 and 成文日期, centred on the date."""
        r = _el("w:r")
        tmp_run = self.doc.add_paragraph().add_run()
        tmp_run.add_picture(str(self.seal_path), width=Mm(L.SEAL_MM))
        inline = tmp_run._r.find(".//" + qn("wp:inline"))
        graphic = inline.find(qn("a:graphic"))
        extent = inline.find(qn("wp:extent"))
        self.body.remove(tmp_run._r.getparent())
        date_w = L.em_width(self.lay.date)
        centre_from_right_mm = (date_right + date_w / 2) * L.CHAR_PITCH_PT / L.PT_PER_MM
        x = round((L.TEXT_W_MM - centre_from_right_mm - L.SEAL_MM / 2) * EMU_PER_MM)
        y = round(-SEAL_TOP_LINES * L.LINE_PITCH_PT / L.PT_PER_MM * EMU_PER_MM)
        self._drawing_id += 1
        anchor = parse_xml(
            f'<wp:anchor {nsdecls("wp", "a", "pic", "r")} distT="0" distB="0" distL="0" distR="0" simplePos="0" '
            f'relativeHeight="251660288" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
            f'<wp:simplePos x="0" y="0"/>'
            f'<wp:positionH relativeFrom="margin"><wp:posOffset>{x}</wp:posOffset></wp:positionH>'
            f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>{y}</wp:posOffset></wp:positionV>'
            f'<wp:extent cx="{extent.get("cx")}" cy="{extent.get("cy")}"/>'
            f'<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
            f'<wp:docPr id="{100 + self._drawing_id}" name="印章 {self._drawing_id}" descr="{self.lay.signature}印章"/>'
            f'<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
            f'</wp:anchor>'
        )
        anchor.append(copy.deepcopy(graphic))
        drawing = _sub(r, "w:drawing")
        drawing.append(anchor)
        return r

    # ------------------------------------------------------------ the whole document

    def build(self) -> bytes:
        self._styles()
        self._page()
        self.head()
        for para in self.lay.body:
            self.para(para)
        self.closing()
        self.attachments()
        self.imprint()
        self._properties()
        buf = io.BytesIO()
        self.doc.save(buf)
        return _normalise(buf.getvalue(), self.date)

    def _properties(self) -> None:
        cp = self.doc.core_properties
        stamp = dt.datetime(self.date.year, self.date.month, self.date.day, 9, 0, 0)
        cp.title = " ".join(self.lay.title_lines) if len(self.lay.title_lines) == 1 else "".join(self.lay.title_lines)
        cp.subject = self.lay.number
        cp.author = self.lay.printer
        cp.last_modified_by = self.lay.printer
        cp.created = stamp
        cp.modified = stamp
        cp.last_printed = stamp
        cp.revision = 1
        cp.keywords = "公文"
        cp.comments = ""
        cp.category = "通知"
        cp.language = "zh-CN"


def _normalise(data: bytes, date: dt.date) -> bytes:
    """Word-like entries: stamped 09:00, 0644, made on DOS; core.xml already carries the date."""
    return normalise_zip(data, date, hour=9, mode=0o644, dos=True, core_dates=False)


def notice_docx(layout: L.NoticeLayout, seal_path: Path | None, date: dt.date, placement: str = L.IMPRINT_SAME) -> bytes:
    return NoticeDocx(layout, seal_path, date, placement).build()


__all__ = ["notice_docx", "estimate_last_page_lines", "estimate_placement", "estimate_text_end", "signature_paras", "PROBE", "EMU_PER_MM",
           "CHAR_TWIPS", "CONDENSE_TWIPS", "TEXT_W_TWIPS"]
