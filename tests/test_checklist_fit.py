"""A checklist takes one Typst compile: checklist.typ sets the list loose and, when that runs over a
page, compact, and keeps compact when it takes fewer pages, as the builder's old two compiles (one
per variant) chose. The list it keeps is that variant's, byte for byte."""

from __future__ import annotations

import pytest

from generators.outputs import checklists
from generators.render import typst
from generators.render.fonts import fonts
from tests.helpers.shared_build import SAMPLES, load_sample


@pytest.mark.slow
@pytest.mark.parametrize("eid", SAMPLES)
def test_one_compile_sets_each_sample_checklist_as_two_compiles_did(monkeypatch, eid):
    content = load_sample(eid)
    font_set = fonts(content)
    compiles = []
    render = typst.render

    def counted(template, *args, **kwargs):
        compiles.append(template)
        return render(template, *args, **kwargs)

    kept = set()
    for job in checklists.jobs(content):
        data = job.key_data["data"]
        with monkeypatch.context() as m:
            m.setattr(typst, "render", counted)
            compiles.clear()
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
