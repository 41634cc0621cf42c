"""Fleet builds: many enterprises, parallel workers, shards, one failure not stopping the rest."""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path

import pytest

from generators.cli import main
from generators.pipeline.fleet import shard_of

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from fleet_gen import make_fleet  # noqa: E402


@pytest.mark.slow
def test_synthetic_fleet_is_valid_and_varied(tmp_path: Path, capsys):
    made = make_fleet(8, tmp_path / "fleet")
    classes = set()
    post_counts = set()
    for ent in made:
        assert main(["check", str(ent), "--format", "json", "--date", "2026-11-26"]) == 0
        data = json.loads(capsys.readouterr().out)
        classes.add(data["enterprise"]["size_class"])
        post_counts.add(len(data["posts"]))
    assert classes == {"规模以上", "中等", "小微"}
    assert len(post_counts) > 2


@pytest.mark.slow
def test_fleet_build_parallel_with_a_broken_enterprise(tmp_path: Path, capsys):
    made = make_fleet(5, tmp_path / "fleet")
    broken = made[2] / "enterprise.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("employees:", "employees: [", 1), encoding="utf-8")
    out = tmp_path / "build"
    code = main(["build", "--all", str(tmp_path / "fleet"), "--out", str(out), "-j", "2", "--only", "data", "--date", "2026-11-26"])
    captured = capsys.readouterr()
    assert code == 1
    assert "synth-0002" in captured.out + captured.err and "YAML 语法错误" in captured.out + captured.err
    assert "成功 4 家，失败 1 家" in captured.out
    for ent in made:
        assert (out / ent.name / "data" / "coverage.json").is_file() == (ent != made[2])
    portal = (out / "index" / "index.html").read_text(encoding="utf-8")
    assert "synth-0000" in portal or "合成0000" in portal


def test_shards_partition_the_fleet(tmp_path: Path):
    dirs = [tmp_path / f"e{i:03d}" for i in range(60)]
    n = 4
    shards = [[d for d in dirs if shard_of(d, n) == i] for i in range(1, n + 1)]
    assert sorted(sum(shards, [])) == sorted(dirs)
    assert all(shards)  # every shard gets work
    # stable: adding enterprises does not move existing ones
    more = dirs + [tmp_path / f"x{i}" for i in range(20)]
    assert all(shard_of(d, n) == next(i for i, s in enumerate(shards, 1) if d in s) for d in dirs)
    assert len(more) == 80


@pytest.mark.slow
def test_shard_option_builds_only_its_share(tmp_path: Path, capsys):
    make_fleet(6, tmp_path / "fleet")
    out = tmp_path / "build"
    built = set()
    for i in (1, 2, 3):
        assert main(["build", "--all", str(tmp_path / "fleet"), "--out", str(out / str(i)), "--only", "data", "--shard", f"{i}/3", "--quiet"]) == 0
        names = {p.name for p in (out / str(i)).iterdir() if p.name.startswith("synth")}
        assert not names & built
        built |= names
    assert len(built) == 6
    assert main(["build", "--all", str(tmp_path / "fleet"), "--shard", "4/3"]) == 2


def test_every_output_warms_up_cleanly():
    """Fleet workers call each output's warm_up(); one that raises would only cost speed
    (the initializer tolerates it), so it is tested here directly."""
    from generators.outputs import OUTPUTS

    for output in OUTPUTS:
        if output.warm_up:
            output.warm_up()  # raises on a missing template, font or dictionary


@pytest.mark.slow
def test_fleet_workers_are_replaced_after_their_share_of_enterprises(tmp_path: Path, monkeypatch):
    """A fleet worker builds WORKER_ENTERPRISES enterprises, then a fresh process takes over (what a
    worker holds grows with every enterprise; a city would otherwise run it out of memory)."""
    from generators.pipeline import fleet

    made = make_fleet(5, tmp_path / "fleet")
    monkeypatch.setattr(fleet, "WORKER_ENTERPRISES", 2)
    seen = []
    monkeypatch.setattr(fleet, "_summary", lambda console, outcomes, elapsed, many: seen.extend(outcomes))
    code = fleet.build_many(made, tmp_path / "build", only=["data"], jobs=2, build_date=__import__("datetime").date(2026, 11, 26), quiet=True)
    assert code == 0 and len(seen) == 5 and all(o.ok for o in seen)
    per_worker = Counter(o.worker for o in seen)
    assert max(per_worker.values()) <= 2 and len(per_worker) >= 3


def crash_on_marked(source: str, *args):
    """A stand-in for build_one in a spawned worker: dies outright on a directory named *crash*."""
    from generators.outputs.base import Outcome

    if Path(source).name.startswith("crash"):
        os._exit(3)
    return Outcome(source, enterprise=Path(source).name, ok=True, worker=os.getpid())


def test_a_worker_that_dies_fails_only_its_enterprise_and_is_replaced(monkeypatch):
    """A worker killed mid-build (out of memory, a crash in a native library) costs that one
    enterprise; every other enterprise is still built, in fresh workers, and the run ends
    (max_tasks_per_child would hang here on Python 3.11-3.13, CPython gh-115634)."""
    from generators.pipeline import fleet

    monkeypatch.setattr(fleet, "WORKER_ENTERPRISES", 2)
    dirs = [Path(f"/nonexistent/e{i}") for i in range(7)]
    dirs.insert(3, Path("/nonexistent/crash-1"))
    outcomes = list(fleet._run_in_workers(dirs, 2, ["data"], (), task=crash_on_marked))
    assert sorted(o.enterprise for o in outcomes) == sorted(d.name for d in dirs)
    failed = [o for o in outcomes if not o.ok]
    assert [o.enterprise for o in failed] == ["crash-1"] and "意外退出" in failed[0].messages[0]
    per_worker = Counter(o.worker for o in outcomes if o.ok)
    assert max(per_worker.values()) <= 2 and len(per_worker) >= 4


def sleep_and_say(source: str, *args):
    """A stand-in for build_one in a spawned worker: notes its process, then builds for a minute."""
    import time

    Path(source).write_text(str(os.getpid()), encoding="utf-8")
    time.sleep(60)


def test_the_workers_of_a_killed_run_end_with_it(tmp_path):
    """A fleet run killed (by its user, a cron timeout, the OOM killer) takes its workers with it:
    they used to build on, replacing enterprises' outputs after the run was stopped."""
    import signal
    import subprocess
    import sys
    import time

    from generators import tempdirs

    marks = [tmp_path / "a", tmp_path / "b"]
    script = (
        "import sys; sys.path.insert(0, {root!r})\n"
        "from pathlib import Path\n"
        "from generators.pipeline import fleet\n"
        "from tests.test_fleet import sleep_and_say\n"
        "list(fleet._run_in_workers([Path(p) for p in {marks!r}], 2, ['data'], (), task=sleep_and_say))\n"
    ).format(root=str(Path(__file__).resolve().parent.parent), marks=[str(m) for m in marks])
    run = subprocess.Popen([sys.executable, "-c", script], cwd=Path(__file__).resolve().parent.parent)
    deadline = time.monotonic() + 120
    while not all(m.is_file() and m.read_text() for m in marks) and time.monotonic() < deadline:
        time.sleep(0.1)
    workers = [int(m.read_text()) for m in marks]
    assert all(tempdirs.running(pid) for pid in workers), "the workers should be building"
    run.send_signal(signal.SIGKILL)
    run.wait()
    deadline = time.monotonic() + 20
    while any(tempdirs.running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(tempdirs.running(pid) for pid in workers), "the killed run's workers are still building"

