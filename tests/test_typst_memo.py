"""Typst's memo across the compiles of one server (generators/render/typst_server.py).

Typst keeps the layout of what it has typeset and reuses it in the next compile when the input is
the same; anything that differs in `sys.inputs` is part of every memo key, and so is the document
title when it is set before the body. So the data reaches the templates as a file whose path is
the same string on every compile, and `setup` (common.typ) names the document after the body: a
booklet's 通用知识, the same for every post, is laid out once per server. These tests pin that
down, and that a PDF's bytes never depend on what the server compiled before it.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from generators.render import fonts as pdf
from generators.render import typst as typst_pdf

ROOT = Path(__file__).resolve().parent.parent
DATE = dt.date(2026, 11, 26)


def _text(data: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_inputs_are_the_same_strings_on_every_compile(tmp_path):
    template = tmp_path / "show.typ"
    template.write_text('#set text(font: json(sys.inputs.doc).body_fonts)\n#sys.inputs.data 数据 #json(sys.inputs.data).text\n', encoding="utf-8")
    try:
        texts = [_text(typst_pdf.render(str(template), {"text": t}, title="t", date=DATE, author="a", font_set=pdf.FontSet()).pdf)
                 for t in ("甲方", "乙方")]
        # a template added to the same folder after the server started is found too
        later = tmp_path / "later.typ"
        later.write_text('#set text(font: json(sys.inputs.doc).body_fonts)\n后来 #json(sys.inputs.data).text\n', encoding="utf-8")
        texts.append(_text(typst_pdf.render(str(later), {"text": "丙方"}, title="t", date=DATE, author="a", font_set=pdf.FontSet()).pdf))
    finally:
        typst_pdf.shutdown()
    assert "/_anquan_input/data.json" in texts[0] and "/_anquan_input/data.json" in texts[1]
    assert "甲方" in texts[0] and "乙方" in texts[1] and "乙方" not in texts[0]
    assert "后来" in texts[2] and "丙方" in texts[2]


@pytest.mark.slow
def test_booklet_bytes_do_not_depend_on_what_was_compiled_before():
    from generators.load import load_or_raise
    from generators.outputs.handbook import handbook_data, render_handbook
    from generators.render.fonts import fonts

    content, _ = load_or_raise(ROOT / "content" / "enterprises" / "demo-transport", build_date=DATE)
    font_set = fonts(content)
    first, second = content.posts[0], content.posts[3]
    try:
        alone = render_handbook(content, handbook_data(content, [second], booklet=True), font_set).pdf
        typst_pdf.shutdown()
        render_handbook(content, handbook_data(content, content.handbook_posts()), font_set)
        render_handbook(content, handbook_data(content, [first], booklet=True), font_set)
        after = render_handbook(content, handbook_data(content, [second], booklet=True), font_set).pdf
    finally:
        typst_pdf.shutdown()
    assert after == alone
    meta = PdfReader(io.BytesIO(after)).metadata
    # the document set rule after the body still names the PDF
    assert meta.title.endswith(f"（{second.name}）") and meta.author == content.enterprise.name
    assert "应知应会手册" in (meta.get("/Keywords") or "")
