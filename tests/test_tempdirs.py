"""Temporary folders a killed process left behind are removed by the next build, and only those."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from generators import tempdirs


def _ended_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_sweep_removes_the_folders_of_ended_processes_only(tmp_path: Path):
    dead = _ended_pid()
    left = tmp_path / f"anquan-office-p{dead}-x1y2"
    (left / "profile" / "user").mkdir(parents=True)
    (left / "fonts.conf").write_text("<fontconfig/>", encoding="utf-8")
    mine = tmp_path / f"{tempdirs.prefix('notice')}abcd"  # this process is running
    mine.mkdir()
    keep = [
        tmp_path / f"anquan-lo-profile-{os.getuid()}-0123abcd",  # LibreOffice's template profile, kept on purpose
        tmp_path / f"other-office-p{dead}-x1y2",  # not ours
        tmp_path / "anquan-office-x1y2",  # a name without its process
    ]
    for folder in keep:
        folder.mkdir()
    as_file = tmp_path / f"anquan-site-p{dead}-file"
    as_file.write_text("", encoding="utf-8")

    assert tempdirs.sweep(tmp_path) == [left]
    assert not left.exists()
    assert mine.is_dir() and all(f.is_dir() for f in keep) and as_file.is_file()
    assert tempdirs.sweep(tmp_path) == []


def test_folders_carry_their_process_and_kind(tmp_path: Path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    made = tempdirs.mkdtemp("typst")
    assert made.parent == tmp_path and made.name.startswith(f"anquan-typst-p{os.getpid()}-")
    with tempdirs.temporary("site") as name:
        assert Path(name).name.startswith(f"anquan-site-p{os.getpid()}-")
        assert tempdirs.sweep(tmp_path) == []  # this process still runs: its folders stay
    assert not Path(name).exists() and made.is_dir()


def test_a_zombie_has_ended(tmp_path: Path):
    """A killed process not yet reaped (a zombie) has ended: its folders go."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 20
    while " Z " not in _stat(proc.pid) and time.monotonic() < deadline:  # exited, not yet waited for
        time.sleep(0.02)
    try:
        left = tmp_path / f"anquan-notice-p{proc.pid}-abcd"
        left.mkdir()
        assert tempdirs.sweep(tmp_path) == [left]
    finally:
        proc.wait()


def _stat(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1][:3]
