"""Commands that make records (a paper drawn on demand, exported workbooks) write where no build
replaces them: records/<id>/ by default, or the folder the user names."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generators.cli import main

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


@pytest.fixture
def ent(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content" / "library", content / "library")
    shutil.copytree(ROOT / "content" / "enterprises" / "demo-factory", content / "enterprises" / "demo-factory")
    return content / "enterprises" / "demo-factory"


def test_exam_papers_and_exports_survive_a_forced_build(ent, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["exam", str(ent), "--post", "forklift-driver", "--kind", "first", "--seed", "7", "--date", "2026-03-01"]) == 0
    assert main(["export", str(ent), "--date", "2026-03-01"]) == 0
    papers = sorted((tmp_path / "records" / "demo-factory" / "exams").iterdir())
    exports = sorted((tmp_path / "records" / "demo-factory" / "excel").iterdir())
    assert [p.name for p in papers] == ["forklift-driver-first-7-key.docx", "forklift-driver-first-7-paper.docx", "forklift-driver-first-7-paper.pdf"]
    assert any(p.name == "hazards.xlsx" for p in exports)
    before = {p: p.read_bytes() for p in papers + exports}
    assert main(["build", str(ent), "--out", "build", "--force", "--only", "coverage,exams", "--date", "2026-03-01", "--quiet"]) == 0
    assert main(["build", str(ent), "--out", "build", "--force", "--only", "coverage", "--date", "2026-03-01", "--quiet"]) == 0
    assert {p: p.read_bytes() for p in papers + exports} == before
    assert not (tmp_path / "build" / "demo-factory" / "exams" / "forklift-driver-first-7-paper.pdf").exists()


def test_exam_out_names_the_folder(ent, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["exam", str(ent), "--post", "forklift-driver", "--kind", "first", "--seed", "2", "--out", "mine", "--date", "2026-03-01"]) == 0
    assert (tmp_path / "mine" / "forklift-driver-first-2-paper.docx").is_file()
    assert not (tmp_path / "records").exists()
