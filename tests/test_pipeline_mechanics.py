"""The pipeline's mechanics (staleness, carrying fresh outputs over, the atomic swap, --only,
parallel rendering, folder permissions), tested with cheap outputs that write a few bytes, as
Sphinx tests its builders with a dummy one. Full renders are tested elsewhere (slow lane)."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest
import yaml

from generators.cli.new import scaffold
from generators.diagnostics import BuildError
from generators.model import Content
from generators.outputs.base import BuildContext, Job, Output, Settle
from generators.pipeline import BuildOptions, build
from generators.pipeline.manifest import read_manifest

DATE = dt.date(2026, 3, 1)


def _post_jobs(content: Content) -> list[Job]:
    out = []
    for post in content.posts:
        def render(dest: Path, ctx: BuildContext, name=post.name) -> None:
            dest.write_text(f"{name} {ctx.content.build_date}\n", encoding="utf-8")

        out.append(Job(f"dummy/{post.id}.txt", "dummy-post", {"name": post.name, "date": str(content.build_date)}, render))
    return out


def _index_jobs(content: Content) -> list[Job]:
    posts = [f"dummy/{p.id}.txt" for p in content.posts]

    def render(dest: Path, ctx: BuildContext) -> None:
        dest.mkdir()
        (dest / "index.txt").write_text("".join((ctx.staging / p).read_text(encoding="utf-8") for p in posts), encoding="utf-8")

    return [Job("index", "dummy-index", {"n": len(posts)}, render, after=posts, folder=True)]


POSTS = Output("posts", ("dummy-post",), _post_jobs)
INDEX = Output("index", ("dummy-index",), _index_jobs)
CHEAP = (POSTS, INDEX)


@pytest.fixture
def ent(tmp_path: Path) -> Path:
    target = tmp_path / "content" / "enterprises" / "mech"
    scaffold(target, today=DATE)
    return target


def opts(out: Path, **kw) -> BuildOptions:
    return BuildOptions(out_root=out, build_date=DATE, outputs=CHEAP, **kw)


def test_cold_build_then_nothing_to_do(ent, tmp_path):
    out = tmp_path / "build"
    first = build(ent, opts(out))
    assert not first.unchanged and first.rendered and "index" in first.rendered
    manifest = read_manifest(first.out_dir)
    assert {m["output"] for m in manifest["outputs"].values()} == {"posts", "index"}
    assert all(len(m["sha256"]) == 64 for m in manifest["outputs"].values())
    again = build(ent, opts(out))
    assert again.unchanged and again.rendered == []


def test_a_changed_post_renders_that_post_and_what_reads_it(ent, tmp_path):
    out = tmp_path / "build"
    build(ent, opts(out))
    d = out / "mech" / "dummy"
    inodes = {p.name: p.stat().st_ino for p in d.iterdir()}
    post_id = sorted(inodes)[0].removesuffix(".txt")
    # rename the first post: its file and the index (which reads it) are stale, the rest are carried over
    data = yaml.safe_load((ent / "enterprise.yaml").read_text(encoding="utf-8"))
    for p in data["posts"]:
        if p["id"] == post_id:
            p["name"] += "（改）"
    (ent / "enterprise.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = build(ent, opts(out))
    assert set(result.rendered) == {f"dummy/{post_id}.txt", "index"}
    assert (out / "mech" / "index" / "index.txt").read_text(encoding="utf-8").count("（改）") == 1
    for name, ino in inodes.items():
        if name != f"{post_id}.txt":
            assert (d / name).stat().st_ino == ino, "a fresh output is hard-linked, not rewritten"


def test_force_renders_everything(ent, tmp_path):
    out = tmp_path / "build"
    first = build(ent, opts(out))
    forced = build(ent, opts(out, force=True))
    assert sorted(forced.rendered) == sorted(first.rendered)


def test_a_failing_render_leaves_the_previous_build_whole(ent, tmp_path):
    out = tmp_path / "build"
    build(ent, opts(out))
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def broken(content: Content) -> list[Job]:
        def render(dest: Path, ctx: BuildContext) -> None:
            raise BuildError("故意失败")

        return [Job("index", "dummy-index", {"broken": True}, render, folder=True)]

    with pytest.raises(BuildError, match="故意失败"):
        build(ent, BuildOptions(out_root=out, build_date=DATE, force=True, outputs=(POSTS, Output("index", ("dummy-index",), broken))))
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not list(out.glob(".tmp-*")) and not list(out.glob(".old-*"))


def test_only_carries_the_other_outputs_over(ent, tmp_path):
    out = tmp_path / "build"
    build(ent, opts(out))
    result = build(ent, opts(out, only=("index",), force=True))
    assert result.rendered == ["index"]
    manifest = read_manifest(out / "mech")
    assert any(k.startswith("dummy/") for k in manifest["outputs"]), "the posts' files stay, with their manifest entries"
    assert manifest["inputs"] is None, "a partial build never counts as a full one"
    with pytest.raises(ValueError, match="无效"):
        opts(out, only=("nonsense",))


def test_parallel_rendering_gives_the_same_files(ent, tmp_path):
    serial, parallel = tmp_path / "a", tmp_path / "b"
    build(ent, opts(serial, workers=1))
    build(ent, opts(parallel, workers=2))

    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in (root / "mech").rglob("*") if p.is_file() and p.name != "manifest.json"}

    assert files(serial) == files(parallel)


def test_killed_between_the_renames_is_repaired(ent, tmp_path):
    out = tmp_path / "build"
    build(ent, opts(out))
    (out / "mech").rename(out / ".old-mech-x1")  # as if killed after the first rename
    (out / ".tmp-mech-x2").mkdir()  # and a staging folder left behind
    result = build(ent, opts(out))
    assert result.unchanged, "the previous build is put back and found up to date"
    assert (out / "mech" / "index" / "index.txt").is_file()
    assert not list(out.glob(".old-*")) and not list(out.glob(".tmp-*"))


def test_output_folders_are_readable_by_a_web_server(ent, tmp_path):
    old = os.umask(0o022)
    try:
        build(ent, opts(tmp_path / "build"))
    finally:
        os.umask(old)
    root = tmp_path / "build" / "mech"
    for p in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(p.stat().st_mode)
        if p.is_dir():
            assert mode & 0o755 == 0o755, f"{p} is {oct(mode)}"
        else:
            assert mode & 0o644 == 0o644, f"{p} is {oct(mode)}"


def _lane_jobs(content: Content) -> list[Job]:
    """Two chained 'conversions' in one lane, each recording the process that rendered it, and a
    folder output whose render does not wait for the posts and whose `finish` collects them."""
    posts = [f"dummy/{p.id}.txt" for p in content.posts]

    def conv(dest: Path, ctx: BuildContext) -> None:
        dest.write_text(str(os.getpid()), encoding="utf-8")

    def conv2(dest: Path, ctx: BuildContext) -> None:
        first = (ctx.staging / "lane/a.pid").read_text(encoding="utf-8")  # fails if not rendered first
        dest.write_text(first + " " + str(os.getpid()), encoding="utf-8")

    def early(dest: Path, ctx: BuildContext) -> None:
        dest.mkdir()
        (dest / "expected.txt").write_text("\n".join(p for p in posts if p in ctx.expected), encoding="utf-8")

    def finish(dest: Path, ctx: BuildContext) -> None:
        (dest / "all.txt").write_text("".join((ctx.staging / p).read_text(encoding="utf-8") for p in posts), encoding="utf-8")

    return [Job("lane/a.pid", "dummy-conv", {}, conv, lane="office"),
            Job("lane/b.pid", "dummy-conv", {}, conv2, after=["lane/a.pid"], lane="office"),
            Job("early", "dummy-early", {"n": len(posts)}, early, after=posts, folder=True, finish=finish)]


LANE = Output("lane", ("dummy-conv", "dummy-early"), _lane_jobs)


def test_a_lane_renders_in_one_worker_and_finish_runs_after_everything(ent, tmp_path):
    result = build(ent, BuildOptions(out_root=tmp_path / "out", build_date=DATE, outputs=(POSTS, LANE), workers=2))
    first, second = (result.out_dir / "lane/b.pid").read_text(encoding="utf-8").split()
    assert first == second  # the lane's two jobs ran in the same worker process
    early = result.out_dir / "early"
    posts = sorted(p.name for p in (result.out_dir / "dummy").iterdir())
    assert (early / "expected.txt").read_text(encoding="utf-8").split("\n") == [f"dummy/{p}" for p in posts]
    assert (early / "all.txt").read_text(encoding="utf-8") == "".join(
        (result.out_dir / "dummy" / p).read_text(encoding="utf-8") for p in posts)


def test_heap_trim_gives_freed_memory_back():
    """heap.trim (called by fleet workers between enterprises and by the Typst server when
    it passes its memory limit) returns the free pages glibc would keep: freed memory under a live block."""
    from generators.heap import trim

    def rss_mib() -> float:
        with open("/proc/self/status", encoding="ascii") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:")) / 1024

    blocks = [bytearray(100_000) for _ in range(2000)]  # ~200 MB on the heap (under mmap's threshold)
    keep = blocks[-1]
    del blocks
    held = rss_mib()
    trim()
    assert held - rss_mib() > 100
    assert len(keep) == 100_000


def _tally_jobs(content: Content) -> list[Job]:
    """Reads every post's file but prints only how many posts are marked “（改）”: its settled key
    is that count (early cutoff, outputs.base.Settle), not the posts' files."""
    posts = [f"dummy/{p.id}.txt" for p in content.posts]

    def marked(ctx: BuildContext) -> dict[str, int]:
        return {"marked": sum("（改）" in (ctx.staging / p).read_text(encoding="utf-8") for p in posts)}

    def render(dest: Path, ctx: BuildContext) -> None:
        dest.write_text(f"改动的岗位 {ctx.facts['marked']} 个\n", encoding="utf-8")
        ctx.note("统计表已生成")

    return [Job("tally.txt", "dummy-tally", {"posts": [p.name for p in content.posts], "form": 1}, render, after=posts,
                settle=Settle(marked, stands_for=("posts",)))]


TALLY = Output("tally", ("dummy-tally",), _tally_jobs)


def _rename(ent: Path, post_id: str, suffix: str) -> None:
    data = yaml.safe_load((ent / "enterprise.yaml").read_text(encoding="utf-8"))
    for p in data["posts"]:
        if p["id"] == post_id:
            p["name"] += suffix
    (ent / "enterprise.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize("workers", [1, 2])
def test_a_stale_job_whose_facts_did_not_change_carries_its_file_over(ent, tmp_path, workers):
    out = tmp_path / "build"
    said: list[str] = []
    options = BuildOptions(out_root=out, build_date=DATE, outputs=(POSTS, TALLY), workers=workers, log=said.append)
    build(ent, options)
    tally = out / "mech" / "tally.txt"
    post_id = sorted(p.stem for p in (out / "mech" / "dummy").iterdir())[0]

    _rename(ent, post_id, "（改）")  # the count moves: rendered
    result = build(ent, options)
    assert "tally.txt" in result.rendered and tally.read_text(encoding="utf-8") == "改动的岗位 1 个\n"
    settled = read_manifest(out / "mech")["outputs"]["tally.txt"]["settled"]
    inode = tally.stat().st_ino

    _rename(ent, post_id, "（再改）")  # the post's file changes, the count does not: carried over
    said.clear()
    result = build(ent, options)
    assert "沿用 tally.txt（它从其他文件读到的内容未变）" in said, said
    assert f"dummy/{post_id}.txt" in result.rendered
    assert "tally.txt" not in result.rendered and "tally.txt" in result.reused
    assert tally.stat().st_ino == inode, "carried over (a hard link), not rendered again"
    entry = read_manifest(out / "mech")["outputs"]["tally.txt"]
    assert entry["settled"] == settled and entry["notes"] == ["统计表已生成"], "the last render's notes stay with the file"

    forced = build(ent, BuildOptions(out_root=out, build_date=DATE, outputs=(POSTS, TALLY), workers=workers, force=True))
    assert "tally.txt" in forced.rendered and tally.stat().st_ino != inode

    cold = tmp_path / "cold"
    build(ent, BuildOptions(out_root=cold, build_date=DATE, outputs=(POSTS, TALLY), force=True))
    assert (cold / "mech" / "tally.txt").read_bytes() == tally.read_bytes()


def test_a_settled_job_renders_again_when_its_own_data_changes(ent, tmp_path):
    """The data the facts do not stand for ("form") is part of the settled key."""
    out = tmp_path / "build"
    build(ent, BuildOptions(out_root=out, build_date=DATE, outputs=(POSTS, TALLY)))

    def other_form(content: Content) -> list[Job]:
        jobs = _tally_jobs(content)
        jobs[0].key_data["form"] = 2
        return jobs

    changed = (POSTS, Output("tally", ("dummy-tally",), other_form))
    result = build(ent, BuildOptions(out_root=out, build_date=DATE, outputs=changed, only=("tally",)))  # the code changed, not the content
    assert result.rendered == ["tally.txt"]
