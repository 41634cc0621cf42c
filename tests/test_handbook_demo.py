"""The issue's acceptance checks on the real demo-transport content (skipped until it loads cleanly)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.helpers.pdf import embedded_fonts, outline, toc_entries
from tests.helpers.shared_build import load_sample

pytestmark = pytest.mark.slow

DEMO = Path(__file__).resolve().parent.parent / "content" / "enterprises" / "demo-transport"


@pytest.fixture(scope="module")
def demo():
    return load_sample(DEMO.name)


@pytest.fixture(scope="module")
def built(shared_build) -> Path:
    return shared_build(DEMO.name).out  # the run's full build of the sample


@pytest.fixture(scope="module")
def demo_handbook(built):
    return PdfReader(built / "handbook" / "handbook.pdf")


def test_demo_handbook_bookmarks_toc_and_text(demo, demo_handbook):
    reader = demo_handbook
    assert 60 <= len(reader.pages) <= 150
    marks = outline(reader)
    chapter_marks = [t for d, t, _ in marks if d == 1]
    for post in demo.handbook_posts():
        assert any(t.endswith("\u3000" + post.name) for t in chapter_marks), post.name
    toc = toc_entries(reader)
    pages = {t: p for _, t, p in marks}
    assert len(toc) >= len(demo.handbook_posts())
    for title, page in toc.items():
        assert pages[title] == page, title
    text = "".join((p.extract_text() or "") for p in reader.pages).replace("\n", "").replace(" ", "")
    for post in demo.handbook_posts():
        assert post.name in text
        std = demo.job_standards.get(post.id)
        for step in std.process.steps if std else []:
            assert step.name.replace(" ", "") in text, (post.id, step.name)
    fonts = embedded_fonts(reader)
    assert fonts and all(fonts.values())


def test_demo_cards_are_one_page(demo, built):
    for post in demo.posts:
        reader = PdfReader(built / "cards" / f"{post.id}.pdf")
        assert len(reader.pages) == 1, post.id
        level = demo.post_level(post.id)
        if level is not None:
            assert level.label in reader.pages[0].extract_text()
