"""Build many enterprises: in parallel processes, with a progress bar, one failure never stopping the rest."""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import os
import sys
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable, Iterator

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from ..diagnostics import BuildError, ContentError
from ..heap import trim
from ..outputs import FLEET_OUTPUTS, OUTPUTS, resolve_names
from ..outputs.base import FleetSettings, Outcome
from .build import BuildOptions, build
from .render import die_with_parent
from .shards import write_shard_file

# A fleet worker builds this many enterprises, then a fresh process takes its place. What a worker
# holds grows slowly with the enterprises it has built (LibreOffice by ~6 MiB an enterprise, the
# worker itself by ~1 MiB, measured over 24), which over a city's 1,300 enterprises a worker would
# run out of memory; a new worker costs about 3 s (imports, jieba, Typst fonts, LibreOffice), ~0.1 s
# an enterprise at this rate.
WORKER_ENTERPRISES = 25


def shard_of(path: Path, n: int) -> int:
    """1-based shard of an enterprise: stable when others are added or removed."""
    digest = hashlib.sha1(path.resolve().name.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % n + 1


def _worker_init(only: list[str] | None = None) -> None:
    """Once per worker process: warm up the selected outputs (servers, fonts, templates, dictionaries)."""
    names = resolve_names(only or [])
    for output in OUTPUTS:
        if names and output.name not in names:
            continue
        if output.warm_up is not None:
            try:
                output.warm_up()
            except Exception:  # noqa: BLE001 - warming is only a speed-up: a failure must not
                pass  # kill the pool; the builds themselves report what is wrong, per enterprise


def _fleet_worker_init(only: list[str] | None, parent: int) -> None:
    """A fleet worker ends with the run that started it. Left alone, the workers of a killed run
    went on building (and replacing) enterprises' outputs after it, and lingered afterwards with
    their Typst and LibreOffice servers (about 1 GiB each)."""
    die_with_parent()
    if os.getppid() != parent:  # the run ended before the line above
        os._exit(1)
    _worker_init(only)


def build_one(source: str, out_root: str, only: list[str] | None, force: bool, build_date: dt.date | None, debug: bool = False, workers: int = 1, wait: bool = True) -> Outcome:
    outcome = Outcome(source, worker=os.getpid())
    started = time.perf_counter()
    try:
        options = BuildOptions(out_root=Path(out_root), only=tuple(only or ()), force=force, build_date=build_date, workers=workers, wait=wait)
        result = build(source, options)
        outcome.enterprise = result.enterprise
        outcome.ok = True
        outcome.rendered = len(result.rendered)
        outcome.reused = len(result.reused)
        outcome.unchanged = result.unchanged
        outcome.notes = result.notes
        outcome.out_dir = str(result.out_dir)
    except ContentError as exc:
        outcome.messages = [d.format() for d in exc.diagnostics]
    except BuildError as exc:
        outcome.messages = [str(exc)]
    except MemoryError:
        outcome.messages = ["内存不足，构建中止；原有的构建结果保持不变"]
    except Exception as exc:  # noqa: BLE001 - reported per enterprise, never a crash of the fleet
        outcome.messages = [f"内部错误：{type(exc).__name__}: {exc}；原有的构建结果保持不变"]
        if debug:
            outcome.messages.append(traceback.format_exc())
    outcome.seconds = time.perf_counter() - started
    trim()  # the next enterprise starts from what this worker holds, not from this one's peak
    if not outcome.enterprise:
        outcome.enterprise = Path(source).name
    return outcome


class _Worker:
    """One fleet worker: a fresh (spawned, not forked) process that builds one enterprise at a time
    and is retired after WORKER_ENTERPRISES. The retiring is done here rather than with the
    executor's max_tasks_per_child, which deadlocks on Python 3.11-3.13 once a worker has exited
    with tasks still queued (CPython gh-115634)."""

    def __init__(self, only: list[str] | None):
        self.pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=_fleet_worker_init,
                                        initargs=(only, os.getpid()))
        self.built = 0

    def retire(self, cancel: bool = False) -> None:
        self.pool.shutdown(wait=True, cancel_futures=cancel)


def _run_in_workers(dirs: list[Path], jobs: int, only: list[str] | None, args: tuple, task: Callable[..., Outcome] = build_one) -> Iterator[Outcome]:
    """Build each directory in one of `jobs` workers, yielding outcomes as they finish. A worker
    that dies (killed for memory, a crash in a native library) fails only the enterprise it was
    building; a fresh worker takes its place."""
    queue = list(reversed(dirs))
    idle = [_Worker(only) for _ in range(jobs)]
    running: dict[Future, tuple[_Worker, Path]] = {}
    try:
        while queue or running:
            while queue and idle:
                worker, d = idle.pop(), queue.pop()
                running[worker.pool.submit(task, str(d), *args)] = (worker, d)
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in done:
                worker, d = running.pop(fut)
                try:
                    outcome = fut.result()
                except BrokenProcessPool:
                    outcome = Outcome(str(d), enterprise=d.name, messages=["构建进程意外退出（内存不足被系统终止，或外部程序崩溃）；原有的构建结果保持不变"])
                    worker.retire()
                    worker = _Worker(only)
                else:
                    worker.built += 1
                    if worker.built >= WORKER_ENTERPRISES and queue:
                        worker.retire()
                        worker = _Worker(only)
                idle.append(worker)
                yield outcome
    finally:
        for worker, _ in running.values():
            worker.retire(cancel=True)
        for worker in idle:
            worker.retire()


def build_many(dirs: list[Path], out_root: Path, only: list[str] | None = None, jobs: int = 1, force: bool = False, build_date: dt.date | None = None, shard: tuple[int, int] | None = None, debug: bool = False, quiet: bool = False, fleet: FleetSettings | None = None, wait: bool = True) -> int:
    console = Console(stderr=False, highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    seen: set[Path] = set()
    unique_dirs = []
    for d in dirs:
        r = d.resolve()
        if r not in seen:
            seen.add(r)
            unique_dirs.append(d)
    if shard:
        i, n = shard
        unique_dirs = [d for d in unique_dirs if shard_of(d, n) == i]
    outcomes: list[Outcome] = []
    if jobs <= 0:
        jobs = os.cpu_count() or 1
    # one enterprise: its outputs render in `jobs` processes; several: one process per enterprise
    render_workers = jobs if len(unique_dirs) == 1 else 1
    jobs = max(1, min(jobs, len(unique_dirs) or 1))
    started = time.perf_counter()
    show_bar = len(unique_dirs) > 1 and not quiet
    progress = Progress(
        TextColumn("[bold]构建[/bold]"), BarColumn(), MofNCompleteColumn(), TextColumn("企业"),
        TextColumn("· 生成 {task.fields[rendered]} 个文件 · 错误 {task.fields[errors]}"),
        TimeElapsedColumn(), TextColumn("剩余"), TimeRemainingColumn(),
        console=err, disable=not show_bar, transient=False,
    )

    def record(o: Outcome, task) -> None:
        outcomes.append(o)
        progress.update(task, advance=1, rendered=sum(x.rendered for x in outcomes), errors=sum(0 if x.ok else 1 for x in outcomes))
        if not o.ok and len(unique_dirs) > 1:
            progress.console.print(f"✗ {o.enterprise}（{o.source}）构建失败：", style="red", markup=False)
            for m in o.messages[:20]:
                progress.console.print("  " + m, style="red", markup=False)
            if len(o.messages) > 20:
                progress.console.print(f"  ……另有 {len(o.messages) - 20} 条错误，请运行 anquan check {o.source}", style="red", markup=False)

    with progress:
        task = progress.add_task("build", total=len(unique_dirs), rendered=0, errors=0)
        if jobs == 1 or len(unique_dirs) <= 1:
            for d in unique_dirs:
                record(build_one(str(d), str(out_root), only, force, build_date, debug, render_workers, wait), task)
        else:
            for outcome in _run_in_workers(unique_dirs, jobs, only, (str(out_root), only, force, build_date, debug, 1, wait)):
                record(outcome, task)
    elapsed = time.perf_counter() - started
    ok = [o for o in outcomes if o.ok]
    if len(unique_dirs) > 1 or not quiet:
        _summary(console, outcomes, elapsed, len(unique_dirs) > 1)
    if len(ok) > 1 or (len(unique_dirs) > 1 and ok):
        for fleet_output in FLEET_OUTPUTS:
            fleet_output.write(outcomes, out_root, fleet or FleetSettings())
    if len(unique_dirs) > 1 or shard:
        write_shard_file(out_root, outcomes, unique_dirs, build_date, shard, only)
    for o in outcomes:
        for note in o.notes:
            if not quiet:
                console.print(f"提示（{o.enterprise}）：{note}", style="yellow", markup=False)
    return 0 if len(ok) == len(outcomes) else 1


def _summary(console: Console, outcomes: list[Outcome], elapsed: float, fleet: bool) -> None:
    if not fleet:
        o = outcomes[0] if outcomes else None
        if o and o.ok:
            if o.unchanged:
                console.print(f"{o.enterprise}：内容无变化，未重新生成（{o.seconds:.2f} 秒）→ {o.out_dir}", markup=False)
            else:
                console.print(f"{o.enterprise}：生成 {o.rendered} 个文件，沿用 {o.reused} 个（{o.seconds:.1f} 秒）→ {o.out_dir}", style="green", markup=False)
        elif o:
            err = Console(stderr=True, highlight=False, soft_wrap=True)
            for m in o.messages:
                err.print(m, style="red", markup=False)
            err.print(f"{o.enterprise}：构建失败，原有的构建结果保持不变", style="bold red", markup=False)
        return
    from rich.table import Table  # only a fleet's summary is a table

    table = Table(title=f"构建汇总（{len(outcomes)} 家企业，用时 {elapsed:.1f} 秒）")
    for col in ("企业", "结果", "生成", "沿用", "用时（秒）"):
        table.add_column(col)
    failed = [o for o in outcomes if not o.ok]
    shown = sorted(outcomes, key=lambda o: (o.ok, o.enterprise))[:50]
    for o in shown:
        table.add_row(o.enterprise, "成功" if o.ok else "失败", str(o.rendered), str(o.reused), f"{o.seconds:.1f}")
    if len(outcomes) > len(shown):
        table.add_row(f"……另 {len(outcomes) - len(shown)} 家", "", "", "", "")
    console.print(table)
    console.print(
        f"成功 {len(outcomes) - len(failed)} 家，失败 {len(failed)} 家；共生成 {sum(o.rendered for o in outcomes)} 个文件，沿用 {sum(o.reused for o in outcomes)} 个",
        style="bold red" if failed else "bold green", markup=False,
    )
    sys.stdout.flush()
