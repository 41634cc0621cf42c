"""The site's notice pages show the official document's text: the same layout as the .docx and the
PDF (numbered headings 一、（一）1.（1）, 附件说明, 署名, 成文日期, 附注, the attachments, the 版记)."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from generators.load import load_or_raise
from generators.outputs.notices.layout import lay_out
from generators.outputs.site import render_site
from tests.helpers.shared_build import SHARED_DATE

pytestmark = pytest.mark.slow

DEMO = Path(__file__).parent.parent / "content" / "enterprises" / "demo-transport"


@pytest.fixture(scope="module")
def site(shared_build):
    """demo-transport's site from the run's shared full build, which reported no site warning."""
    content, _ = load_or_raise(DEMO, build_date=SHARED_DATE)
    built = shared_build(DEMO.name)
    assert [n for n in built.notes if n.startswith("站点：")] == []
    return content, built.out / "site"


def notice_text(dest: Path, nid: str) -> tuple[str, str]:
    """(the notice's HTML, its text as a reader sees it: tags dropped, entities decoded)."""
    page = (dest / "notices" / nid / "index.html").read_text(encoding="utf-8")
    part = page[page.index('<div class="aq-notice">'):page.index('<p class="aq-actions">')]
    text = html.unescape(re.sub(r"<[^>]+>", "", part))
    return part, re.sub(r"\s+", "", text)


def in_order(text: str, parts: list[str]) -> None:
    pos = 0
    for part in parts:
        found = text.find(re.sub(r"\s+", "", part), pos)
        assert found >= 0, f"missing or out of order: {part!r}"
        pos = found + 1


def test_notice_page_has_every_paragraph_of_the_official_document_in_order(site):
    content, dest = site
    for nid, notice in content.notices.items():
        lay = lay_out(content, notice)
        _, text = notice_text(dest, nid)
        parts = [lay.mark, lay.number, "".join(lay.title_lines), lay.to]
        parts += [p.text for p in lay.body]
        parts += [p.text for p in lay.attachment_note]
        parts += [lay.signature, lay.date] + ([lay.note] if lay.note else [])
        for att in lay.attachments:
            parts += [att.label, "".join(att.title_lines)] + [p.text for p in att.paras if p.text]
        parts += ([lay.cc] if lay.cc else []) + [lay.printer, lay.print_date]
        in_order(text, parts)


def test_heading_labels_contact_line_and_imprint(site):
    _, dest = site
    part, text = notice_text(dest, "n-2026-21")
    for label in ("一、排查整治重点", "二、工作步骤", "三、工作要求", "（一）车辆技术状况。重点排查制动", "（三）按时报送。"):
        assert label in text
    assert "（联系人：郝建平，电话：0355-2186113）" in text  # 附注
    assert "安途道路运输有限公司2026年11月2日" in text  # 署名 and 成文日期
    assert "抄送：长治市上党区交通运输局。安途道路运输有限公司综合办公室2026年11月2日印发" in text
    assert re.search(r'<span class="aq-f-ht">一、排查整治重点</span>', part)  # 黑体 first level
    assert re.search(r'<span class="aq-f-kt">（一）车辆技术状况。</span>', part)  # 楷体 second level
    assert 'style="' not in part  # the site's CSP forbids inline styles

    part, text = notice_text(dest, "n-2026-16")
    for label in ("二、抓好制度学习宣贯", "（一）组织全员学习", "1.管理人员集中学习。", "（1）危货驾驶员和押运员。"):
        assert label in text  # all four levels
    assert "附件：1.危险货物运输安全管理制度2.安全生产基础建设巩固提升三年行动实施方案（2026—2028年）" in text
    assert "附件1危险货物运输安全管理制度第一章总则第一条为加强本公司" in text  # (the ideographic spaces squeezed)
    assert "附件2安全生产基础建设巩固提升三年行动" in text
    assert 'class="aq-notice-sign aq-sealed"' in part


def test_hostile_text_in_a_notice_stays_text(tmp_path):
    from tests.hostile import make_hostile

    content, _ = load_or_raise(make_hostile(tmp_path), build_date=dt.date(2026, 11, 1))
    dest = tmp_path / "site"
    render_site(content, dest)
    for nid in content.notices:
        part, text = notice_text(dest, nid)
        assert "<script>" not in part and "&lt;script&gt;" in part
        assert "{{7*7}}" in text
