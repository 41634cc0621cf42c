"""Atomic builds: a killed, failed or starved build never leaves a half-written build/<id>/."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pytest

from generators import paths, tempdirs
from generators.cli import main
from generators.outputs import OUTPUTS
from generators.pipeline import BuildError, BuildOptions, build, recover

from .test_corpus import BUILD_DATE, lay_out, tree_digest

pytestmark = pytest.mark.slow  # full builds: the fast lane tests these mechanics with cheap outputs (test_pipeline_mechanics.py)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def base(tmp_path: Path) -> Path:
    return lay_out(tmp_path)


def test_sigkill_mid_build_keeps_previous_and_next_build_is_correct(base: Path, tmp_path: Path):
    out = tmp_path / "build"
    assert main(["build", str(base), "--out", str(out), "--date", BUILD_DATE, "--quiet"]) == 0
    good = tree_digest(out / "base")
    assert "manifest.json" in good

    killed = False
    for _ in range(5):  # a fast machine may finish before we see the staging folder: retry
        proc = subprocess.Popen(
            [sys.executable, "-m", "generators", "build", str(base), "--out", str(out), "--date", BUILD_DATE, "--force", "--quiet"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            if list(out.glob(".tmp-base-*")) and any(p.is_file() for p in next(out.glob(".tmp-base-*"), out).rglob("*")):
                tree = _descendants(proc.pid)
                os.kill(proc.pid, signal.SIGKILL)
                killed = True
                break
            time.sleep(0.002)
        proc.wait()
        if killed:
            break
    assert killed, "the build finished before it could be killed"
    assert tree_digest(out / "base") == good, "a killed build changed the previous build"
    deadline = time.monotonic() + 30  # its render workers, Typst and LibreOffice servers end with it
    while any(tempdirs.running(pid) for pid in tree) and time.monotonic() < deadline:
        time.sleep(0.1)

    assert main(["build", str(base), "--out", str(out), "--date", BUILD_DATE, "--quiet"]) == 0
    assert not list(out.glob(".tmp-*")), "the next build did not clean the killed build's staging folder"
    assert tree_digest(out / "base") == good
    left = [d.name for d in Path(tempfile.gettempdir()).glob("anquan-*") if any(f"-p{pid}-" in d.name for pid in tree)]
    assert not left, f"the killed build's temporary folders are still there: {left}"


def _descendants(pid: int) -> set[int]:
    """The process and every process under it, now."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    tree, grew = {pid}, True
    while grew:
        more = {p for p, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return tree



def test_kill_between_the_two_renames_is_recovered(base: Path, tmp_path: Path):
    out = tmp_path / "build"
    build(base, BuildOptions(out_root=out, build_date=None))
    good = tree_digest(out / "base")
    # the state a kill between "rename old away" and "rename new in" leaves
    (out / "base").rename(out / ".old-base-abc123")
    recover(out, "base")
    assert tree_digest(out / "base") == good


def test_disk_full_gives_clear_message_and_keeps_previous(base: Path, tmp_path: Path, monkeypatch, capsys):
    out = tmp_path / "build"
    assert main(["build", str(base), "--out", str(out), "--date", BUILD_DATE, "--quiet"]) == 0
    good = tree_digest(out / "base")

    real_write = Path.write_text

    def full(self, *args, **kwargs):
        if self.name == "manifest.json":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full)
    code = main(["build", str(base), "--out", str(out), "--date", BUILD_DATE, "--force"])
    err = capsys.readouterr()
    assert code == 1
    assert "磁盘空间不足" in err.out + err.err
    assert "Traceback" not in err.out + err.err
    monkeypatch.setattr(Path, "write_text", real_write)
    assert tree_digest(out / "base") == good
    assert not list(out.glob(".tmp-*"))


def test_unwritable_build_folder(base: Path, tmp_path: Path, monkeypatch):
    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(paths.tempfile, "mkdtemp", denied)
    with pytest.raises(BuildError, match="没有写入权限"):
        build(base, BuildOptions(out_root=tmp_path / "build"))


def test_output_path_is_a_file(base: Path, tmp_path: Path, capsys):
    blocker = tmp_path / "build"
    blocker.write_text("not a folder", encoding="utf-8")
    code = main(["build", str(base), "--out", str(blocker)])
    out = capsys.readouterr()
    assert code == 1
    assert "build" in out.out + out.err and "Traceback" not in out.out + out.err
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_a_failing_renderer_leaves_previous_build(base: Path, tmp_path: Path, monkeypatch):
    out = tmp_path / "build"
    build(base, BuildOptions(out_root=out))
    good = tree_digest(out / "base")
    from generators.outputs import coverage

    real_jobs = coverage.jobs

    def broken_jobs(content):
        jobs = real_jobs(content)

        def explode(dest, ctx):
            dest.write_text("half", encoding="utf-8")
            raise RuntimeError("renderer crashed")

        jobs[0].render = explode
        jobs[0].key_data = {"changed": True}
        return jobs

    outputs = tuple(replace(o, jobs=broken_jobs) if o is coverage.OUTPUT else o for o in OUTPUTS)
    with pytest.raises(RuntimeError):
        build(base, BuildOptions(out_root=out, force=True, outputs=outputs))
    assert tree_digest(out / "base") == good
    assert not list(out.glob(".tmp-*"))


def test_isolation_reference_into_other_enterprise_is_refused(tmp_path: Path):
    ent = lay_out(tmp_path)
    other = tmp_path / "content" / "enterprises" / "other"
    shutil.copytree(ent, other)
    (other / "assets" / "secret.png").write_bytes((ent / "assets" / "seal.png").read_bytes())
    text = (ent / "enterprise.yaml").read_text(encoding="utf-8")
    (ent / "enterprise.yaml").write_text(text.replace("seal: assets/seal.png", "seal: ../other/assets/secret.png"), encoding="utf-8")
    from generators.load import load

    content, diags = load(ent)
    assert any("企业目录之外" in d.message and d.field == "issuer.seal" for d in diags.errors)
