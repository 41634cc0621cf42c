"""Word documents with python-docx: the few building blocks the exam papers and keys use
(fonts set for Chinese, fixed-layout tables, repeated header rows, rows kept whole, page fields)."""

from __future__ import annotations

import datetime as dt


def set_run_font(run, east_asian: str, size_pt: float | None = None, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = "Times New Roman"
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), east_asian)
    rfonts.set(qn("w:ascii"), "Times New Roman")
    rfonts.set(qn("w:hAnsi"), "Times New Roman")
    if size_pt:
        run.font.size = Pt(size_pt)
    if bold:
        run.bold = True


def new_document(font: str, title: str, subject: str, author: str, date: dt.date):
    """An A4 document whose Normal style uses `font` for Chinese, with fixed core properties
    (dates = `date`, so the same input gives the same bytes) and a 第 X 页 共 Y 页 footer."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    songti = font
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(2.2), Cm(2.2)
    sec.left_margin, sec.right_margin = Cm(2.5), Cm(2.5)
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(11.5)
    rpr = normal.element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), songti)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    pf = normal.paragraph_format
    pf.space_before, pf.space_after = Pt(0), Pt(2)
    pf.line_spacing = 1.25
    stamp = dt.datetime(date.year, date.month, date.day)
    cp = doc.core_properties
    cp.title, cp.subject, cp.author, cp.last_modified_by = title, subject, author, "anquan"
    cp.created = cp.modified = cp.last_printed = stamp
    cp.revision = 1
    cp.language = "zh-CN"
    # footer: 第 X 页 共 Y 页
    footer = sec.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in ("第 ", "PAGE", " 页  共 ", "NUMPAGES", " 页"):
        if part in ("PAGE", "NUMPAGES"):
            field(footer, part, songti)
        else:
            set_run_font(footer.add_run(part), songti, 9)
    return doc


def field(paragraph, code: str, font: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind, text in (("begin", None), ("instr", f" {code} "), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        set_run_font(run, font, 9)
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
            run._element.append(el)
        elif kind == "text":
            run.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._element.append(el)


def para(doc, text: str = "", font: str = "", size: float | None = None, bold: bool = False, align: str | None = None,
          before: float = 0, after: float = 2, indent_cm: float = 0, keep_next: bool = False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    p = doc.add_paragraph()
    if text:
        set_run_font(p.add_run(text), font, size, bold)
    if align:
        p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT, "left": WD_ALIGN_PARAGRAPH.LEFT}[align]
    p.paragraph_format.space_before = Pt(before)
    p.paragraph_format.space_after = Pt(after)
    if indent_cm:
        p.paragraph_format.left_indent = Cm(indent_cm)
    if keep_next:
        p.paragraph_format.keep_with_next = True
    return p


def cell_text(cell, text: str, font: str, size: float = 11, bold: bool = False, center: bool = False) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.space_before = Pt(0)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    lines = text.split("\n")
    for k, line in enumerate(lines):
        if k:
            p = cell.add_paragraph()
            p.paragraph_format.space_after = Pt(0)
        if line:
            set_run_font(p.add_run(line), font, size, bold)


def table(doc, rows: int, widths_cm: list[float]):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table = doc.add_table(rows=rows, cols=len(widths_cm))
    table.style = "Table Grid"
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for row in table.rows:
        for c, w in enumerate(widths_cm):
            row.cells[c].width = Cm(w)
    for c, w in enumerate(widths_cm):
        table.columns[c].width = Cm(w)
    return table


def row_height(row, cm: float) -> None:
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.shared import Cm

    row.height = Cm(cm)
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def keep_row(row) -> None:
    """A row that does not break across pages (a question and its answer stay together)."""
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
