"""Incremental builds: only what changed is rendered, and the result equals a cold build."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from generators import paths
from generators.pipeline import BuildOptions, build
from generators.pipeline import digest as digest_mod

from .test_corpus import lay_out, tree_digest

pytestmark = pytest.mark.slow  # full builds: the fast lane tests these mechanics with cheap outputs (test_pipeline_mechanics.py)

DATE = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def first_build(tmp_path_factory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("incr")
    ent = lay_out(tmp)
    out = tmp / "build"
    result = build(ent, BuildOptions(out_root=out, build_date=DATE, workers=2))
    assert not result.unchanged and result.rendered
    return ent, out


def _copy(first_build, tmp_path: Path) -> tuple[Path, Path]:
    ent, out = first_build
    shutil.copytree(ent.parent.parent, tmp_path / "content")
    shutil.copytree(out, tmp_path / "build")
    return tmp_path / "content" / "enterprises" / "base", tmp_path / "build"


def test_no_change_renders_nothing(first_build, tmp_path):
    ent, out = _copy(first_build, tmp_path)
    before = tree_digest(out / "base")
    result = build(ent, BuildOptions(out_root=out, build_date=DATE))
    assert result.unchanged and result.rendered == []
    assert tree_digest(out / "base") == before


def test_one_post_change_rebuilds_only_its_outputs_and_equals_a_cold_build(first_build, tmp_path):
    ent, out = _copy(first_build, tmp_path)
    js = ent / "job_standards" / "safety-officer.yaml"
    js.write_text(js.read_text(encoding="utf-8").replace("按安全检查清单逐项检查，如实记录检查结果", "按安全检查清单逐项检查，如实记录检查结果并拍照留存"), encoding="utf-8")
    result = build(ent, BuildOptions(out_root=out, build_date=DATE))
    rendered = set(result.rendered)
    assert "handbook/handbook.pdf" in rendered and "handbook/safety-officer.pdf" in rendered and "site" in rendered
    assert not any(r.startswith("notices/") for r in rendered), rendered
    assert not any(r.startswith("checklists/") for r in rendered), rendered
    assert "data/coverage.json" not in rendered

    cold_out = tmp_path / "cold"
    build(ent, BuildOptions(out_root=cold_out, build_date=DATE, force=True))
    assert tree_digest(out / "base") == tree_digest(cold_out / "base")


def test_changed_template_invalidates_what_uses_it(first_build, tmp_path, monkeypatch):
    ent, out = _copy(first_build, tmp_path)
    real = paths.file_digest
    card_template = paths.templates() / "typst" / "card.typ"

    def digest(path: Path) -> str:
        return "edited" if Path(path) == card_template else real(path)

    monkeypatch.setattr(paths, "file_digest", digest)
    monkeypatch.setattr(digest_mod, "_code_digest", None)
    result = build(ent, BuildOptions(out_root=out, build_date=DATE))
    rendered = set(result.rendered)
    assert "cards/safety-officer.pdf" in rendered
    assert "handbook/handbook.pdf" not in rendered and "notices/n1.docx" not in rendered
    assert all(r.startswith("cards/") or r == "site" for r in rendered), rendered


def test_changed_shared_typst_template_invalidates_every_typst_output(first_build, tmp_path, monkeypatch):
    ent, out = _copy(first_build, tmp_path)
    real = paths.file_digest
    common = paths.templates() / "typst" / "common.typ"
    monkeypatch.setattr(paths, "file_digest", lambda path: "edited" if Path(path) == common else real(path))
    monkeypatch.setattr(digest_mod, "_code_digest", None)
    rendered = set(build(ent, BuildOptions(out_root=out, build_date=DATE)).rendered)
    assert {"handbook/handbook.pdf", "handbook/safety-officer.pdf", "cards/safety-officer.pdf"} <= rendered
    assert any(r.startswith("checklists/") for r in rendered)
    assert not any(r.startswith("notices/") or r.endswith(".docx") or r.endswith(".xlsx") for r in rendered), rendered


def test_build_date_change_rebuilds_dated_outputs_only(first_build, tmp_path):
    ent, out = _copy(first_build, tmp_path)
    result = build(ent, BuildOptions(out_root=out, build_date=DATE + dt.timedelta(days=1)))
    assert not result.unchanged
    assert "notices/n1.docx" not in result.rendered  # a notice carries its own date


def test_parallel_and_serial_builds_are_identical(first_build, tmp_path):
    ent, out = first_build
    serial = tmp_path / "serial"
    build(ent, BuildOptions(out_root=serial, build_date=DATE, workers=1, force=True))
    assert tree_digest(serial / "base") == tree_digest(out / "base")


def test_relative_output_folder_gets_a_whole_site(tmp_path, monkeypatch):
    """`anquan build … --out build` (relative, as the README says) must put the pages in build/<id>/site."""
    from generators.cli import main

    ent = lay_out(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["build", str(ent.relative_to(tmp_path)), "--out", "build", "--only", "site", "--quiet", "--date", "2026-11-26"]) == 0
    site = tmp_path / "build" / "base" / "site"
    assert (site / "index.html").is_file()
    assert (site / "posts" / "safety-officer" / "index.html").is_file()


def test_manifest_names_sources_relative_to_the_enterprise_whatever_the_working_folder(first_build, tmp_path, monkeypatch):
    import json
    import os

    ent, out = _copy(first_build, tmp_path)
    manifests = []
    for cwd in (ent.parent, tmp_path):
        monkeypatch.chdir(cwd)
        only = ("handbook", "booklets", "cards", "checklists")  # what the old "handbook" builder made
        build(ent, BuildOptions(out_root=out, build_date=DATE, force=True, only=only))
        manifests.append(json.loads((out / "base" / "manifest.json").read_text(encoding="utf-8")))
    a, b = ({o: m["sources"] for o, m in mf["outputs"].items()} for mf in manifests)
    assert a == b and a["handbook/handbook.pdf"]
    for sources in a.values():
        for src in sources:
            assert not os.path.isabs(src) and (ent / src).resolve().is_file(), src


def _add_points(library: Path, n: int) -> None:
    kb = library / "knowledge" / "kb-basic.yaml"
    first = "      - 从业人员发现事故隐患或者其他不安全因素，应当立即报告。\n"
    text = kb.read_text(encoding="utf-8")
    assert first in text
    more = "".join(f"      - 第{i + 1}条补充：从业人员应当严格落实岗位安全责任，遵守安全生产规章制度和操作规程，正确佩戴和使用劳动防护用品。\n"
                   for i in range(n))
    kb.write_text(text.replace(first, first + more), encoding="utf-8")


def _card_page(pdf: Path) -> str:
    import re

    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(pdf).pages).replace("\n", "")
    found = re.search(r"岗位分册）第\s*(\d+)\s*页", text)
    assert found, text[:400]
    return found.group(1)


def test_a_library_point_rebuilds_the_booklets_but_carries_the_cards_over(first_build, tmp_path):
    """The card prints only the page its post's chapter starts on in the booklet: a point added to
    the shared 通用知识 that leaves that page where it was re-renders the booklet, not the card."""
    ent, out = _copy(first_build, tmp_path)
    card = out / "base" / "cards" / "safety-officer.pdf"
    inode, page = card.stat().st_ino, _card_page(card)
    _add_points(tmp_path / "content" / "library", 1)
    result = build(ent, BuildOptions(out_root=out, build_date=DATE, workers=2))
    assert "handbook/safety-officer.pdf" in result.rendered
    assert not any(r.startswith("cards/") for r in result.rendered), result.rendered
    assert "cards/safety-officer.pdf" in result.reused and card.stat().st_ino == inode and _card_page(card) == page

    cold = tmp_path / "cold"
    build(ent, BuildOptions(out_root=cold, build_date=DATE, force=True))
    assert tree_digest(out / "base") == tree_digest(cold / "base")


def test_library_text_that_moves_the_post_chapter_renders_the_card_again(first_build, tmp_path):
    ent, out = _copy(first_build, tmp_path)
    card = out / "base" / "cards" / "safety-officer.pdf"
    page = _card_page(card)
    _add_points(tmp_path / "content" / "library", 40)  # a few pages more of 通用知识 before the post's chapter
    result = build(ent, BuildOptions(out_root=out, build_date=DATE))
    assert "cards/safety-officer.pdf" in result.rendered
    assert int(_card_page(card)) > int(page)
