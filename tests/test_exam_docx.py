"""Exam papers and keys as Word documents written from the prepared package (site_templates/word/,
generators/render/docx.py): well-formed parts, python-docx reads back the same structure the
python-docx-made papers had (fonts, sizes, tables, page setup, footer), content escaped, the same
bytes on every build."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

import docx
import pytest
import yaml
from docx.shared import Pt

from generators.model import papers
from generators.outputs import exams
from tests.helpers.exams import loaded, make_enterprise, rules_of

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NASTY = "<b>&amp; ]]> \"引号\" 'x' \x01\x0b"


@pytest.fixture()
def content(tmp_path):
    return loaded(make_enterprise(tmp_path))


def _paper(content, post="forklift-driver", kind="first", seed=3):
    return papers.plan_paper(content, rules_of(content), post, kind, seed)


def _east_asian(run) -> str | None:
    rfonts = run._element.rPr.find(f"{W}rFonts")
    return rfonts.get(f"{W}eastAsia")


def test_every_part_is_well_formed_and_python_docx_opens_it(content):
    paper = _paper(content)
    for data in (exams.paper_docx(content, paper), exams.key_docx(content, paper)):
        package = zipfile.ZipFile(io.BytesIO(data))
        assert package.namelist()[0] == "[Content_Types].xml"
        for name in package.namelist():
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(package.read(name))  # raises on malformed XML
        assert docx.Document(io.BytesIO(data)).paragraphs


def test_paper_structure_fonts_sizes_and_page_setup(content):
    paper = _paper(content)
    d = docx.Document(io.BytesIO(exams.paper_docx(content, paper)))
    sec = d.sections[0]
    assert [round(x.cm, 2) for x in (sec.page_width, sec.page_height)] == [21.0, 29.7]
    assert [round(x.cm, 2) for x in (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)] == [2.2, 2.2, 2.5, 2.5]
    normal = d.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(11.5)
    assert normal.paragraph_format.line_spacing == 1.25
    assert normal.element.rPr.find(f"{W}rFonts").get(f"{W}eastAsia") == "宋体"
    footer = sec.footer.paragraphs[0]
    assert footer.text == "第 1 页  共 1 页" and footer.alignment == 1  # the PAGE / NUMPAGES fields' placeholders
    assert [i.text for i in footer._element.iter(f"{W}instrText")] == [" PAGE ", " NUMPAGES "]
    assert d.core_properties.title == f"{paper.title}（叉车司机·首次考试）"
    assert d.core_properties.created.date() == content.build_date
    paras = d.paragraphs
    assert [p.text for p in paras[:3]] == ["安泰仓储物流有限公司", paper.title, "（叉车司机 · 首次考试）"]
    assert [(_east_asian(p.runs[0]), p.runs[0].font.size) for p in paras[:3]] == [("黑体", Pt(16)), ("黑体", Pt(18)), ("宋体", Pt(12))]
    assert all(p.alignment == 1 for p in paras[:3])
    boxes, scores = d.tables
    assert [c.text for c in boxes.rows[0].cells] == ["姓名", "", "岗位", "叉车司机", "日期", "", "得分", ""]
    assert [round(c.width.cm, 2) for c in boxes.rows[0].cells] == [1.6, 3.0, 1.6, 3.4, 1.6, 2.8, 1.6, 2.4]
    assert round(boxes.rows[0].height.cm, 2) == 1.0 and boxes.style.name == "Table Grid"
    assert [c.text for c in scores.rows[0].cells] == ["题型", "一", "二", "三", "总分", "阅卷人"]
    assert [c.text for c in scores.rows[1].cells] == ["得分", "", "", "", "", ""]
    first = paper.sections[0].questions[0]
    stem = next(p for p in paras if p.text == f"1．{exams._stem_with_blank(first)}")
    assert round(stem.paragraph_format.left_indent.cm, 2) == 0.65 and round(stem.paragraph_format.first_line_indent.cm, 2) == -0.65
    assert stem.paragraph_format.keep_with_next and stem.runs[0].font.size == Pt(11.5) and _east_asian(stem.runs[0]) == "宋体"
    options = paras[paras.index(stem) + 1]
    assert options.text.startswith(f"A．{first.options[0]}\t")  # the options sit on tab stops
    per_line = exams.option_layout(first.options)
    assert [abs(t.position.cm - (0.65 + 15.35 * k / per_line)) < 0.01 for t, k in zip(options.paragraph_format.tab_stops, range(1, per_line), strict=True)] == [True] * (per_line - 1)
    headings = [p for p in paras if p.text.startswith(("一、", "二、", "三、"))]
    assert [_east_asian(p.runs[0]) for p in headings] == ["黑体"] * 3 and headings[0].paragraph_format.space_before == Pt(10)
    assert paras[-1].text == f"试卷编号：{paper.number}" and paras[-1].alignment == 2


def test_key_table_rows_repeat_and_stay_whole(content):
    paper = _paper(content)
    d = docx.Document(io.BytesIO(exams.key_docx(content, paper)))
    assert len(d.tables) == len(paper.sections)
    table = d.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["题号", "题目", "答案", "解析与依据"]
    assert table.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None
    assert all(r._tr.trPr.find(f"{W}cantSplit") is not None for r in table.rows[1:])
    q = paper.sections[0].questions[0]
    cells = table.rows[1].cells
    assert cells[0].text == "1" and cells[2].text == q.answer_text
    assert [p.text for p in cells[1].paragraphs] == [q.stem, "　".join(f"{'ABCDEFGH'[k]}．{o}" for k, o in enumerate(q.options))]
    assert _east_asian(cells[2].paragraphs[0].runs[0]) == "黑体" and cells[3].paragraphs[0].runs[0].font.size == Pt(9.5)
    strip = next(p for p in d.paragraphs if p.text.startswith("一、") and "：1." in p.text)
    assert [(_east_asian(r), r.font.size) for r in strip.runs] == [("黑体", Pt(10.5)), ("宋体", Pt(10.5))]


def test_content_is_escaped_and_prints_literally(tmp_path):
    ent = make_enterprise(tmp_path)
    bank_file = ent / "questions" / "fixture.yaml"
    bank = yaml.safe_load(bank_file.read_text(encoding="utf-8"))
    for q in bank["questions"]:
        q["stem"] = q["stem"] + NASTY
    bank_file.write_text(yaml.safe_dump(bank, allow_unicode=True, sort_keys=False), encoding="utf-8")
    content = loaded(ent)
    paper = papers.plan_paper(content, rules_of(content), "forklift-driver", "first", 3)
    expected = sum("<b>" in q.stem for s in paper.sections for q in s.questions)  # the library's questions are not the bank's
    assert expected >= 15
    printed = "<b>&amp; ]]> \"引号\" 'x'"  # the control characters XML cannot hold are dropped
    for data in (exams.paper_docx(content, paper), exams.key_docx(content, paper)):
        ElementTree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
        d = docx.Document(io.BytesIO(data))
        texts = [p.text for p in d.paragraphs] + [p.text for t in d.tables for r in t.rows for c in r.cells for p in c.paragraphs]
        assert sum(printed in t for t in texts) >= expected, [t for t in texts if printed not in t]
        assert not any("<b>" in t and printed not in t for t in texts)


def test_same_bytes_on_every_build(tmp_path):
    ent = make_enterprise(tmp_path)
    one, two = loaded(ent), loaded(ent)
    for kind in ("first", "year-end"):
        p1, p2 = _paper(one, kind=kind), _paper(two, kind=kind)
        assert exams.paper_docx(one, p1) == exams.paper_docx(two, p2)
        assert exams.key_docx(one, p1) == exams.key_docx(two, p2)
