"""Rendering the stale jobs into the staging folder: in order in this process, or in forked
workers (`-j`), each job after the outputs it reads (`after`); a job with a `finish` step renders
without waiting, and its `finish` runs here once every job is done."""

from __future__ import annotations

import ctypes
import multiprocessing
import signal
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Callable

from ..diagnostics import BuildError
from ..outputs.base import BuildContext, Job, Report
from .digest import settled_key
from .folders import link_or_copy

# Rough seconds per job of each kind (demo-transport, one worker): the long renders start first
# and the short ones fill the gaps. Only the order depends on them.
_COST = {"site": 5.0, "notice-docx": 2.5, "notice-pdf": 0.8, "riskmap-boards": 0.4, "training-plan": 0.3, "handbook": 1.6,
         "riskmap-pdf": 0.1, "card": 0.4, "booklet": 0.25, "checklist": 0.1, "excel": 0.07, "exam-paper-pdf": 0.05,
         "exam-key": 0.03, "exam-paper": 0.03}
_FORKED: tuple[list[Job], BuildContext] | None = None
CARRIED = "沿用 {}（它从其他文件读到的内容未变）"


def _render_one(job: Job, ctx: BuildContext, log: Callable[[str], None] | None) -> Report:
    """Render one job into staging, or, for a job with `settle` whose settled key is the last
    build's, carry the last build's file over (early cutoff). ctx.notes collects this job's notes."""
    target = ctx.staging / job.output
    target.parent.mkdir(parents=True, exist_ok=True)
    ctx.notes = []
    report = Report(notes=ctx.notes)
    try:
        if job.settle is not None:
            ctx.facts = job.settle.reads(ctx)
            report.settled = settled_key(job, ctx.facts)
            last = ctx.last.get(job.output)
            if (isinstance(last, dict) and last.get("settled") == report.settled and ctx.previous is not None
                    and (ctx.previous / job.output).exists()):
                link_or_copy(ctx.previous / job.output, target)
                ctx.notes[:] = [n for n in last.get("notes", []) if isinstance(n, str)]
                report.cut_off = True
                if log:
                    log(CARRIED.format(job.output))
                return report
        if log:
            log(f"生成 {job.output}")
        job.render(target, ctx)
        return report
    finally:
        ctx.facts = None  # the facts are this job's only


def die_with_parent() -> None:
    """Called in a worker process: it is killed when the thread that started it ends (its parent
    process killed, say). Forked render workers would write into a killed build's staging, a fleet's
    workers build on after a killed run."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _render_in_child(task: list[int]) -> list[Report]:
    """Runs in a forked worker: the jobs and the loaded content are inherited, not pickled."""
    assert _FORKED is not None
    jobs, ctx = _FORKED
    return [_render_one(jobs[index], ctx, None) for index in task]


def render_all(jobs: list[Job], ctx: BuildContext, workers: int = 1, log: Callable[[str], None] | None = None) -> dict[str, Report]:
    """Render the stale jobs, in parallel processes when workers > 1, respecting `after`.

    Returns what each job came to: the notes (font substitutions, ...) its rendering made, its
    settled key, whether it was carried over instead (see outputs.base.Settle)."""
    per_job = _render(jobs, ctx, workers, log)
    for job in jobs:
        if job.finish is not None:
            job.finish(ctx.staging / job.output, ctx)
    return per_job


def _render(jobs: list[Job], ctx: BuildContext, workers: int, log: Callable[[str], None] | None) -> dict[str, Report]:
    global _FORKED
    per_job: dict[str, Report] = {}
    if workers <= 1 or len(jobs) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        collected = ctx.notes
        try:
            for job in jobs:  # each output's own notes, as in a worker
                report = per_job[job.output] = _render_one(job, ctx, log)
                collected += [n for n in report.notes if n not in collected]
        finally:
            ctx.notes = collected
        return per_job
    tasks = _tasks(jobs)
    outputs = {j.output for j in jobs}
    deps = [{d for i in task for d in _waits_for(jobs[i]) if d in outputs} - {jobs[i].output for i in task} for task in tasks]
    priority = _priorities(jobs, tasks)
    pending = list(range(len(tasks)))
    done: set[str] = set()
    running: dict = {}
    _FORKED = (jobs, ctx)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"), initializer=die_with_parent)
    try:
        while pending or running:
            ready = sorted((t for t in pending if deps[t] <= done), key=lambda t: (-priority[t], t))
            if not ready and not running:
                raise BuildError("内部错误：输出之间的依赖关系有循环")
            for t in ready[:max(0, workers - len(running))]:  # one task per free worker: the next pick sees newly ready ones
                pending.remove(t)
                if log:
                    for i in tasks[t]:
                        log(f"生成 {jobs[i].output}")
                running[pool.submit(_render_in_child, tasks[t])] = t
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in finished:
                t = running.pop(fut)
                for i, report in zip(tasks[t], fut.result()):
                    per_job[jobs[i].output] = report
                    if log and report.cut_off:
                        log(CARRIED.format(jobs[i].output))
                    for note in report.notes:
                        ctx.note(note)
                    done.add(jobs[i].output)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _FORKED = None
    return per_job


def _waits_for(job: Job) -> list[str]:
    return job.after if job.finish is None else []


def _tasks(jobs: list[Job]) -> list[list[int]]:
    """What one worker renders in one go: a job alone, or every job of a lane in list order (which
    is already an order that renders each job after those it reads: see collect_jobs)."""
    tasks: list[list[int]] = []
    lanes: dict[str, list[int]] = {}
    for i, job in enumerate(jobs):
        if not job.lane:
            tasks.append([i])
        elif job.lane in lanes:
            lanes[job.lane].append(i)
        else:
            lanes[job.lane] = [i]
            tasks.append(lanes[job.lane])
    return tasks


def _priorities(jobs: list[Job], tasks: list[list[int]]) -> list[float]:
    """Longest first, counting what waits for a task: a task's own estimated seconds plus those
    of the jobs that read its outputs (the handbook before the cards that print its pages)."""
    cost = [_COST.get(j.kind, 0.1) for j in jobs]
    readers: dict[str, float] = {}
    for i, job in enumerate(jobs):
        for dep in _waits_for(job):
            readers[dep] = readers.get(dep, 0.0) + cost[i]
    return [sum(cost[i] + readers.get(jobs[i].output, 0.0) for i in task) for task in tasks]


_KIND_BUILDER: dict[str, str] = {}
