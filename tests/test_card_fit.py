"""A risk card takes one Typst compile: card.typ measures the candidates of fit_steps and sets the
first that fits, as the builder's old loop (one compile per step until the card holds one page)
chose; the page count stays the judge. And the card's booklet page is read from the booklet's
outline without parsing the whole PDF, as pypdf reads it."""

from __future__ import annotations

import io

import pytest

from generators.outputs import cards
from generators.render.fonts import fonts
from generators.render.weasy import Rendered
from tests.helpers.shared_build import SAMPLES, load_sample
from tests.helpers.typst_compiles import typst_compiles


def _old_loop(content, data, font_set) -> tuple[tuple[str, str], Rendered]:
    """What fitted_card did before the template measured: each step compiled in turn."""
    for step in cards.fit_steps(data):
        rendered = cards.render_card(content, data, font_set, [step])
        if rendered.pages == 1:
            break
    return step, rendered


@pytest.mark.slow
@pytest.mark.parametrize("eid", SAMPLES)
def test_one_compile_sets_each_sample_card_as_the_old_loop_did(shared_build, eid):
    content = load_sample(eid)
    font_set = fonts(content)
    out = shared_build(eid).out
    taken = set()
    for post in content.posts:
        data = cards.card_data(content, post)
        page = cards.chapter_page((out / cards.booklet_output(post)).read_bytes(), post.name)
        assert page is not None, post.id
        data = dict(data, booklet=dict(data["booklet"], page=page))
        with typst_compiles() as compiles:
            rendered, paper = cards.fitted_card(content, data, font_set)
            assert compiles == ["typst/card.typ"], post.id  # one compile per card
        step, old = _old_loop(content, data, font_set)
        assert cards.card_fit(rendered.pdf) == step and paper == step[0], (post.id, step)
        assert rendered.pdf == old.pdf and rendered.pages == 1, post.id  # the same card, byte for byte
        # and the card the build wrote is that one
        assert (out / "cards" / f"{post.id}.pdf").read_bytes() == rendered.pdf, post.id
        taken.add(step)
    if eid == "demo-transport":  # A4 cards and A3 ones (hazmat-driver's, the longest)
        assert {paper for paper, _ in taken} == {"A4", "A3"}, taken


def _fake(answers):
    """A render_card that answers each call with the next (fit label or None, pages), recording the steps asked."""
    calls = []

    def render_card(content, data, font_set, steps):
        calls.append(list(steps))
        fit, pages = answers[len(calls) - 1]
        pdf = b"%PDF" + (b"/Names[(card-fit-%s-%s)1 0 R]" % tuple(s.encode() for s in fit) if fit else b"")
        return Rendered(pdf, pages)

    return calls, render_card


AUTO = {"size": "auto", "other_risks": [{}]}
STEPS = cards.fit_steps(AUTO)


def test_a_card_that_still_runs_over_tries_the_steps_after_the_one_taken(monkeypatch):
    # the template took A4 hazards but the card ran onto a second page: A3 full next, on its own
    calls, fake = _fake([(("A4", "hazards"), 2), (("A3", "full"), 1)])
    monkeypatch.setattr(cards, "render_card", fake)
    rendered, paper = cards.fitted_card(None, AUTO, None)
    assert calls == [STEPS, [("A3", "full")]] and paper == "A3" and rendered.pages == 1
    # one page: nothing more, and the paper is the template's
    calls, fake = _fake([(("A4", "hazards"), 1)])
    monkeypatch.setattr(cards, "render_card", fake)
    assert cards.fitted_card(None, AUTO, None)[1] == "A4" and calls == [STEPS]
    # the last step taken and still too long: nothing after it to try (the builder notes it)
    calls, fake = _fake([(("A3", "count"), 2)])
    monkeypatch.setattr(cards, "render_card", fake)
    rendered, paper = cards.fitted_card(None, AUTO, None)
    assert calls == [STEPS] and paper == "A3" and rendered.pages == 2
    # no label read: every step in turn, as before
    calls, fake = _fake([(None, 2), (None, 2), (None, 1)])
    monkeypatch.setattr(cards, "render_card", fake)
    rendered, paper = cards.fitted_card(None, AUTO, None)
    assert calls == [STEPS, [STEPS[0]], [STEPS[1]]] and paper == "A4" and rendered.pages == 1


def test_card_fit_reads_the_label_of_the_title():
    assert cards.card_fit(b"/Names[(card-fit-A3-count)12 0 R]") == ("A3", "count")
    assert cards.card_fit(b"/Names[(foreword)12 0 R]") is None


@pytest.mark.slow
@pytest.mark.parametrize("eid", SAMPLES)
def test_chapter_page_reads_the_booklet_outline_as_pypdf_does(shared_build, eid):
    content = load_sample(eid)
    out = shared_build(eid).out
    names = [p.name for p in content.posts] + ["没有这个岗位"]
    for post in content.posts:
        pdf = (out / cards.booklet_output(post)).read_bytes()
        for name in names:
            assert cards._chapter_page_read(pdf, name) == cards._chapter_page_pypdf(pdf, name), (post.id, name)
        page = cards.chapter_page(pdf, post.name)
        assert page is not None and page > 1, post.id  # the post's own chapter, after the front matter


def test_chapter_page_of_a_pdf_not_written_by_typst():
    """Another writer's PDF (pypdf's: nested outline, its own string forms) gives pypdf's answer."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(5):
        writer.add_blank_page(100, 100)
    part = writer.add_outline_item(title="第一部分", page_number=0)
    writer.add_outline_item(title="第一章\u3000司机", page_number=1, parent=part)
    writer.add_outline_item(title="第二章\u3000押运员", page_number=3, parent=part)
    writer.add_outline_item(title="Appendix", page_number=4)
    buf = io.BytesIO()
    writer.write(buf)
    pdf = buf.getvalue()
    assert cards.chapter_page(pdf, "押运员") == 4 and cards.chapter_page(pdf, "司机") == 2
    assert cards.chapter_page(pdf, "装卸管理人员") is None
    for name in ("押运员", "司机", "装卸管理人员"):
        try:
            fast = cards._chapter_page_read(pdf, name)
        except cards._NotPlain:
            continue
        assert fast == cards._chapter_page_pypdf(pdf, name), name
