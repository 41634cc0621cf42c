"""One full build of each bundled sample per test run, shared by every test and every xdist worker.

The first process that asks for a sample builds it (every output, at `SHARED_DATE`) into a folder
that all the run's workers see, under an exclusive file lock, and writes a "done" record; the others
wait on the lock and then read the same files. The build is read-only: its files are made
read-only, and the `shared_build` fixture (tests/conftest.py) checks at the end of the session that
no file of it was changed, added or removed. A test that modifies content or outputs builds its own
copy, or starts from `copy_build()`.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENTERPRISES = ROOT / "content" / "enterprises"
SAMPLES = tuple(sorted(p.name for p in ENTERPRISES.iterdir() if (p / "enterprise.yaml").is_file()))
SHARED_DATE = dt.date(2026, 12, 2)  # every test reading a shared build loads its content at this date


@dataclass(frozen=True)
class SharedBuild:
    enterprise: str
    out: Path  # the build's folder, <out_root>/<enterprise id>/
    notes: tuple[str, ...]  # what the build reported (BuildResult.notes)
    rendered: tuple[str, ...]

    def notes_of(self, output: str) -> list[str]:
        """The notes one output's rendering made, from the build's manifest."""
        from generators.pipeline.manifest import MANIFEST

        manifest = json.loads((self.out / MANIFEST).read_text(encoding="utf-8"))
        return manifest["outputs"][output]["notes"]


def shared_root(tmp_path_factory) -> Path:
    """A folder shared by the workers of one run: with xdist each worker's basetemp is
    <run>/popen-gwN, so its parent; without xdist the run's own basetemp."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    root = base / "shared-builds"
    root.mkdir(exist_ok=True)
    return root


def snapshot(folder: Path) -> dict[str, list[int]]:
    """Every file's size and modification time: what the end-of-session check compares."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() or path.is_symlink():
            st = path.lstat()
            out[path.relative_to(folder).as_posix()] = [st.st_size, st.st_mtime_ns]
    return out


def _freeze(folder: Path) -> None:
    """Make the build's own files read-only (hard links, e.g. the site's theme files linked from a
    per-process cache, are left alone: their mode is the cache's too)."""
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink() and path.stat().st_nlink == 1:
            path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def build_shared(root: Path, enterprise: str, date: dt.date = SHARED_DATE, *, outputs: tuple = (),
                 workers: int = 2) -> tuple[SharedBuild, dict]:
    """The shared build of one sample, building it if no process of this run has yet (`outputs`:
    cheap stand-ins for tests of this helper; default every output)."""
    from generators.pipeline import BuildOptions, build

    name = f"{enterprise}-{date.isoformat()}"
    done = root / f"{name}.done.json"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if the build fails
        failed = root / f"{name}.failed"
        if failed.exists():  # one failed build fails every test that reads it, without building again
            raise RuntimeError(f"the shared build of {enterprise} failed: {failed.read_text(encoding='utf-8')}")
        if not done.exists():
            try:
                options = BuildOptions(out_root=root / name, build_date=date, workers=workers, **({"outputs": outputs} if outputs else {}))
                result = build(ENTERPRISES / enterprise, options)
            except Exception as e:
                failed.write_text(f"{type(e).__name__}: {e}", encoding="utf-8")
                raise
            _freeze(result.out_dir)
            record = {"out": str(result.out_dir), "notes": result.notes, "rendered": result.rendered,
                      "files": snapshot(result.out_dir)}
            tmp = done.with_suffix(".tmp")
            tmp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
            tmp.replace(done)
    record = json.loads(done.read_text(encoding="utf-8"))
    shared = SharedBuild(enterprise, Path(record["out"]), tuple(record["notes"]), tuple(record["rendered"]))
    return shared, record["files"]


def copy_build(shared: SharedBuild, dest: Path) -> Path:
    """A writable copy of a shared build's folder at dest (for tests that change outputs)."""
    shutil.copytree(shared.out, dest, symlinks=True)
    for path in [dest, *dest.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
    return dest


class Builds:
    """`builds / "demo-transport"`: the shared build's folder of that sample (built on first use),
    for modules that used to build several samples into one out_root."""

    def __init__(self, get) -> None:
        self._get = get

    def __truediv__(self, enterprise: str) -> Path:
        return self._get(enterprise).out


def load_sample(enterprise: str, date: dt.date = SHARED_DATE):
    """A bundled sample's content at the shared build's date, loaded without errors."""
    from generators.load import load

    content, diags = load(ENTERPRISES / enterprise, build_date=date)
    assert content is not None and not diags.errors, [d.format() for d in diags.errors]
    return content
