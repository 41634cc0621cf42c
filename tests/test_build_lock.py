"""Two builds of one enterprise at once (issue 19, item 3): the second waits for the first (or,
with --no-wait, fails at once naming the process that holds build/.lock-<id>); the lock dies with
its process, even on SIGKILL. Tested with real processes."""

from __future__ import annotations

import datetime as dt
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generators.cli.new import scaffold
from generators.diagnostics import BuildError
from generators.pipeline import BuildOptions, build
from generators.pipeline.folders import enterprise_lock
from tests.test_pipeline_mechanics import CHEAP

ROOT = Path(__file__).resolve().parent.parent
DATE = dt.date(2026, 3, 1)


@pytest.fixture
def ent(tmp_path: Path) -> Path:
    target = tmp_path / "content" / "enterprises" / "mech"
    scaffold(target, today=DATE)
    return target


def start(*args: str, module: str = "tests.slowbuild") -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", module, *args], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def holding(proc: subprocess.Popen, lock: Path, timeout: float = 60) -> None:
    """Wait until `proc` holds the lock (its PID is in the lock file)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if lock.is_file() and lock.read_text().strip() == str(proc.pid):
            return
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.02)
    raise AssertionError("the first build never took the lock")


def said(proc: subprocess.Popen, words: str, timeout: float = 60) -> str:
    """Read `proc`'s stderr until a line with `words` (the process keeps running); returns that line."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stderr], [], [], 0.1)
        if ready:
            line = proc.stderr.readline()
            if words in line:
                return line
            assert line or proc.poll() is None, "the process ended without saying it"
    raise AssertionError(f"no “{words}” from the process")


def staging_appeared(out: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not list(out.glob(".tmp-mech-*")):
        assert time.monotonic() < deadline, "the first build never started rendering"
        time.sleep(0.02)


def test_second_build_waits_with_a_visible_message_then_finds_the_first_ones_result(ent, tmp_path):
    out = tmp_path / "build"
    lock = out / ".lock-mech"
    release = tmp_path / "release"
    # the first build holds the lock until the second has said it waits (not for a fixed time,
    # which a loaded machine can outlast while the second process is still starting)
    first = start(str(ent), str(out), "120", "--until", str(release))
    holding(first, lock)
    second = start(str(ent), str(out), "0")
    waiting = said(second, "等待另一个构建完成")
    release.touch()
    o1, e1 = first.communicate(timeout=120)
    o2, e2 = second.communicate(timeout=120)
    assert first.returncode == 0 and o1.strip() == "built", e1
    assert second.returncode == 0, e2
    assert f"等待另一个构建完成……（进程 {first.pid}" in waiting
    assert o2.strip() == "unchanged"  # it waited, then saw the first build's result: nothing to do
    assert "No such file" not in e1 + e2
    assert (out / "mech" / "slow.txt").read_text(encoding="utf-8") == "1 posts\n"
    assert not list(out.glob(".tmp-*")) and not list(out.glob(".old-*"))
    assert lock.read_text() == ""  # released, no stale PID left


def test_no_wait_fails_at_once_naming_the_process_that_holds_the_lock(ent, tmp_path):
    out = tmp_path / "build"
    first = start(str(ent), str(out), "300")
    try:
        holding(first, out / ".lock-mech")
        started = time.monotonic()
        second = start(str(ent), str(out), "0", "--no-wait")
        o2, e2 = second.communicate(timeout=60)
        assert time.monotonic() - started < 30  # at once, not after the first build's five minutes
        assert second.returncode == 1
        assert f"另一个构建正在生成 {out / 'mech'}（进程 {first.pid}）" in e2 and "--no-wait" in e2
        # the command-line flag, and a fleet build (--all) take the same lock
        cli = start("build", str(ent), "--out", str(out), "--no-wait", "--date", "2026-03-01", module="generators")
        _, e3 = cli.communicate(timeout=120)
        assert cli.returncode == 1 and f"（进程 {first.pid}）" in e3
        fleet = start("build", "--all", str(ent.parent.parent), "--out", str(out), "--no-wait", module="generators")
        o4, e4 = fleet.communicate(timeout=120)
        assert fleet.returncode == 1 and f"（进程 {first.pid}）" in o4 + e4
    finally:
        first.kill()
        first.wait()


def test_sigkill_of_the_lock_holder_lets_the_next_build_proceed(ent, tmp_path):
    out = tmp_path / "build"
    lock = out / ".lock-mech"
    first = start(str(ent), str(out), "60")
    holding(first, lock)
    staging_appeared(out)
    waiting = start(str(ent), str(out), "0")
    assert f"（进程 {first.pid}，" in said(waiting, "等待另一个构建完成……")  # queued behind the first
    assert waiting.poll() is None
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    o2, e2 = waiting.communicate(timeout=120)
    assert waiting.returncode == 0 and o2.strip() == "built", e2
    assert (out / "mech" / "slow.txt").is_file()
    assert not list(out.glob(".tmp-*")), "the killed build's staging folder was cleaned up"
    # and a build started after the kill proceeds at once
    later = start(str(ent), str(out), "0", "--no-wait", "--force")
    o3, e3 = later.communicate(timeout=120)
    assert later.returncode == 0 and o3.strip() == "built", e3


def test_lock_in_one_process_is_reentrant_and_cheap(ent, tmp_path):
    out = tmp_path / "build"
    with enterprise_lock(out, "mech"):
        assert (out / ".lock-mech").read_text().strip() == str(os.getpid())
        result = build(ent, BuildOptions(out_root=out, build_date=DATE, outputs=CHEAP, wait=False))  # takes it again
        assert not result.unchanged
    started = time.perf_counter()
    for _ in range(200):
        with enterprise_lock(out, "mech"):
            pass
    assert (time.perf_counter() - started) / 200 < 0.005  # the no-change quick path pays microseconds
    started = time.perf_counter()
    again = build(ent, BuildOptions(out_root=out, build_date=DATE, outputs=CHEAP))
    assert again.unchanged and time.perf_counter() - started < 1.0


def test_another_thread_of_the_same_process_is_kept_out_too(ent, tmp_path):
    import threading

    out = tmp_path / "build"
    errors: list[str] = []
    with enterprise_lock(out, "mech"):
        def other() -> None:
            try:
                build(ent, BuildOptions(out_root=out, build_date=DATE, outputs=CHEAP, wait=False))
            except BuildError as exc:
                errors.append(str(exc))

        t = threading.Thread(target=other)
        t.start()
        t.join(30)
    assert errors and f"（进程 {os.getpid()}）" in errors[0]
