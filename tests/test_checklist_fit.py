"""A checklist takes one Typst compile: checklist.typ sets the list loose and, when that runs over a
page, compact, and keeps compact when it takes fewer pages, as the builder's old two compiles (one
per variant) chose. The list it keeps is that variant's, byte for byte. Should Typst give up laying
the choice out, the two variants are compiled on their own."""

from __future__ import annotations

import datetime as dt

import pytest

from generators.outputs import checklists
from generators.render import typst
from generators.render.fonts import FontSet, fonts
from tests.helpers.shared_build import SAMPLES, load_sample
from tests.helpers.typst_compiles import typst_compiles


@pytest.mark.slow
@pytest.mark.parametrize("eid", SAMPLES)
def test_one_compile_sets_each_sample_checklist_as_two_compiles_did(eid):
    content = load_sample(eid)
    font_set = fonts(content)
    kept = set()
    for job in checklists.jobs(content):
        data = job.key_data["data"]
        with typst_compiles() as compiles:
            rendered = checklists.fitted_checklist(content, data, font_set)
            assert compiles == ["typst/checklist.typ"], job.output  # one compile per list
        loose = checklists.render_checklist(content, dict(data, variant="loose"), font_set)
        compact = checklists.render_checklist(content, dict(data, variant="compact"), font_set) if loose.pages > 1 else None
        # the old rule: compact only when loose runs over a page and compact takes fewer
        chosen = compact if compact is not None and compact.pages < loose.pages else loose
        assert rendered.pdf == chosen.pdf and rendered.pages == chosen.pages, job.output
        kept.add((chosen is compact, loose.pages > 1))
    if eid == "demo-transport":  # lists on one page, lists kept loose over two, and lists set compact
        assert kept == {(False, False), (False, True), (True, True)}, kept


@pytest.mark.slow
def test_a_layout_typst_gives_up_on_raises_only_when_asked(tmp_path):
    # each layout reads the last one's page count and adds a page: it never settles
    template = tmp_path / "restless.typ"
    template.write_text("#context for _ in range(counter(page).final().first()) { pagebreak(); [x] }\n", encoding="utf-8")
    args = dict(title="t", date=dt.date(2026, 12, 2), author="a", font_set=FontSet())
    assert typst.render(str(template), {}, **args).pages > 1  # as before: the last layout
    with pytest.raises(typst.LayoutUnsettled):
        typst.render(str(template), {}, **args, settled=True)


@pytest.mark.slow
def test_a_checklist_whose_choice_does_not_settle_compiles_each_variant(monkeypatch):
    content = load_sample("demo-transport")
    font_set = fonts(content)
    render = typst.render
    asked = []

    def restless(template, data, **kwargs):
        asked.append(data.get("variant"))
        if kwargs.get("settled"):
            raise typst.LayoutUnsettled("test")
        return render(template, data, **kwargs)

    by_id = {job.output: job.key_data["data"] for job in checklists.jobs(content)}
    expected = {}
    for output in ("checklists/antu-unit.pdf", "checklists/card-hazmat-driver.pdf", "checklists/card-escort.pdf"):
        expected[output] = checklists.fitted_checklist(content, by_id[output], font_set)
    monkeypatch.setattr(typst, "render", restless)
    for output, pages in (("checklists/antu-unit.pdf", 6), ("checklists/card-hazmat-driver.pdf", 2), ("checklists/card-escort.pdf", 1)):
        asked.clear()
        rendered = checklists.fitted_checklist(content, by_id[output], font_set)
        assert asked == [None, "loose", "compact"], output
        assert rendered.pdf == expected[output].pdf and rendered.pages == pages, output


@pytest.mark.slow
def test_the_filling_note_speaks_of_star_items_only_when_the_list_has_them():
    """“★项不符合即构成重大事故隐患” under a list with no ★ item sends the reader looking for one."""
    import io
    import re

    from pypdf import PdfReader

    content = load_sample("demo-transport")
    font_set = fonts(content)
    seen = set()
    for job in checklists.jobs(content):
        data = job.key_data["data"]
        major = any(it["major"] for it in data["items"])
        if major in seen:
            continue
        text = re.sub(r"\s", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(checklists.fitted_checklist(content, data, font_set).pdf)).pages))
        assert "填写说明" in text, job.output
        assert ("★项不符合即构成重大事故隐患" in text) is major, job.output
        seen.add(major)
    assert seen == {True, False}
