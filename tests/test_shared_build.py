"""tests/helpers/shared_build.py: concurrent callers get one build, read-only, and a write into it is seen."""

from __future__ import annotations

import stat
import threading
import time
from pathlib import Path

import pytest

from generators import pipeline
from generators.outputs.base import BuildContext, Job, Output
from tests.helpers.shared_build import build_shared, copy_build, snapshot


def counting_output(log: Path) -> Output:
    """One cheap output whose every render adds a line to `log` and takes a moment (so callers overlap)."""

    def jobs(content) -> list[Job]:
        def render(dest: Path, ctx: BuildContext) -> None:
            time.sleep(0.3)
            with log.open("a", encoding="utf-8") as f:
                f.write("rendered\n")
            dest.write_text(f"{len(content.posts)} posts\n", encoding="utf-8")

        return [Job("posts.txt", "posts", {"posts": len(content.posts)}, render)]

    return Output("posts", ("posts",), jobs)


def test_concurrent_callers_share_one_read_only_build(tmp_path: Path, monkeypatch):
    root, log = tmp_path / "shared", tmp_path / "renders.log"
    root.mkdir()
    outputs = (counting_output(log),)
    results, errors, builds = [], [], []
    real_build = pipeline.build

    def counted(*args, **kwargs):
        builds.append(1)
        return real_build(*args, **kwargs)

    monkeypatch.setattr(pipeline, "build", counted)

    def worker():
        try:
            results.append(build_shared(root, "demo-factory", outputs=outputs, workers=1))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(builds) == 1  # the others waited on the lock, then read the "done" record
    assert log.read_text(encoding="utf-8").splitlines() == ["rendered"]  # built once, by the first caller
    assert len({shared.out for shared, _ in results}) == 1 and len(results) == 3
    shared, files = results[0]
    assert shared.rendered == ("posts.txt",) and shared.notes_of("posts.txt") == []
    posts = shared.out / "posts.txt"
    assert posts.read_text(encoding="utf-8").endswith("posts\n")
    assert stat.S_IMODE(posts.stat().st_mode) & 0o222 == 0  # read-only
    assert "posts.txt" in files and snapshot(shared.out) == files

    copy = copy_build(shared, tmp_path / "copy")  # a copy is writable and leaves the shared build alone
    (copy / "posts.txt").write_text("changed\n", encoding="utf-8")
    assert snapshot(shared.out) == files

    posts.chmod(0o644)  # what the session's end check catches: a test writing into the shared build
    posts.write_text("changed by a test\n", encoding="utf-8")
    assert snapshot(shared.out) != files


def test_a_failed_build_is_not_tried_again(tmp_path: Path):
    def jobs(content) -> list[Job]:
        def render(dest: Path, ctx: BuildContext) -> None:
            with (tmp_path / "tries").open("a") as f:
                f.write("x")
            raise OSError("renderer broke")

        return [Job("broken.txt", "broken", {}, render)]

    outputs = (Output("broken", ("broken",), jobs),)
    with pytest.raises(Exception) as first:
        build_shared(tmp_path, "demo-factory", outputs=outputs, workers=1)
    with pytest.raises(RuntimeError, match="shared build of demo-factory failed") as again:
        build_shared(tmp_path, "demo-factory", outputs=outputs, workers=1)
    assert str(first.value) in str(again.value)
    assert (tmp_path / "tries").read_text() == "x"
