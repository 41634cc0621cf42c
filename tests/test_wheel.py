"""The installed tool is self-contained: a wheel (not an editable install) in a fresh venv builds a
sample enterprise from another working folder, with the templates and mkdocs.yml it carries."""

from __future__ import annotations

import json
import shutil
import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(dist), str(ROOT)],
                   check=True, capture_output=True, text=True)
    (whl,) = dist.glob("anquan-*.whl")
    return whl


def test_the_wheel_carries_templates_mkdocs_and_scaffold(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "generators/mkdocs.yml" in names
    assert "generators/site_templates/typst/handbook.typ" in names
    assert "generators/site_templates/site/pages/home.md.j2" in names
    assert "generators/scaffold_template/enterprise.yaml" in names
    assert {"generators/rubrics/default.yaml", "generators/rubrics/road-transport.yaml"} <= set(names)  # the rating profiles
    assert "generators/site_templates/regulator/regulator.js" in names
    assert not any(n.startswith(("site_templates/", "content/", "tests/")) for n in names), "only the package is installed"


def test_an_installed_wheel_builds_a_sample_from_another_folder(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    # dependencies come from the test environment (no network needed); anquan itself only from the wheel
    target = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                 check=True, capture_output=True, text=True).stdout.strip())
    (target / "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "-q", "--no-deps", str(wheel)],
                   check=True, capture_output=True, text=True)
    where = subprocess.run([str(py), "-c", "import generators.paths as p; print(p.templates())"], cwd=tmp_path,
                           check=True, capture_output=True, text=True).stdout.strip()
    assert where.startswith(str(env_dir)), f"templates found outside the install: {where}"

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content" / "library", content / "library")
    shutil.copytree(ROOT / "content" / "enterprises" / "demo-factory", content / "enterprises" / "demo-factory")
    shutil.rmtree(content / "library" / "rubrics")  # the installed tool rates with the profiles it carries
    work = tmp_path / "elsewhere"
    work.mkdir()
    proc = subprocess.run([str(env_dir / "bin" / "anquan"), "build", str(content / "enterprises" / "demo-factory"), "--out", "out",
                           "--date", "2026-03-01", "--only", "coverage,handbook,cards,site,rating", "-j", "2", "--quiet"],
                          cwd=work, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    built = work / "out" / "demo-factory"
    assert (built / "handbook" / "handbook.pdf").read_bytes()[:5] == b"%PDF-"
    assert (built / "site" / "index.html").is_file() and (built / "site" / "search" / "search_index.json").is_file()
    assert any((built / "cards").glob("*.pdf"))
    rating = json.loads((built / "data" / "rating.json").read_text(encoding="utf-8"))
    assert rating["rating"]["rubric"]["id"] == "default" and rating["rating"]["grade"] in ("优", "良", "中", "差")
