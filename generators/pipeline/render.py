"""Rendering the stale jobs into the staging folder: in order in this process, or in forked
workers (`-j`), each job after the outputs it reads (`after`)."""

from __future__ import annotations

import ctypes
import multiprocessing
import signal
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Callable

from ..diagnostics import BuildError
from ..outputs.base import BuildContext, Job

# Heavier kinds first, so that the long renders start while the short ones fill the gaps.
_PRIORITY = {"handbook": 0, "booklet": 1, "riskmap-boards": 2, "card": 3, "checklist": 4, "exam-paper-pdf": 5, "notice-docx": 1}
_FORKED: tuple[list[Job], BuildContext] | None = None


def _render_one(job: Job, ctx: BuildContext, log: Callable[[str], None] | None) -> None:
    target = ctx.staging / job.output
    target.parent.mkdir(parents=True, exist_ok=True)
    if log:
        log(f"生成 {job.output}")
    job.render(target, ctx)


def _die_with_parent() -> None:
    """Forked render workers must not outlive a killed build (they would write into its staging)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _render_in_child(index: int) -> list[str]:
    """Runs in a forked worker: the jobs and the loaded content are inherited, not pickled."""
    assert _FORKED is not None
    jobs, ctx = _FORKED
    ctx.notes = []
    _render_one(jobs[index], ctx, None)
    return ctx.notes


def render_all(jobs: list[Job], ctx: BuildContext, workers: int = 1, log: Callable[[str], None] | None = None) -> dict[str, list[str]]:
    """Render the stale jobs, in parallel processes when workers > 1, respecting `after`.

    Returns the notes (font substitutions, ...) each output's rendering made."""
    global _FORKED
    per_job: dict[str, list[str]] = {}
    if workers <= 1 or len(jobs) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        collected = ctx.notes
        try:
            for job in jobs:
                ctx.notes = []  # each output's own notes, as in a worker
                _render_one(job, ctx, log)
                per_job[job.output] = ctx.notes
                collected += [n for n in ctx.notes if n not in collected]
        finally:
            ctx.notes = collected
        return per_job
    outputs = {j.output for j in jobs}
    deps = {i: {d for d in j.after if d in outputs} for i, j in enumerate(jobs)}
    pending = sorted(range(len(jobs)), key=lambda i: (jobs[i].folder, _PRIORITY.get(jobs[i].kind, 9), i))
    done: set[str] = set()
    running: dict = {}
    _FORKED = (jobs, ctx)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"), initializer=_die_with_parent)
    try:
        while pending or running:
            ready = [i for i in pending if deps[i] <= done]
            if not ready and not running:
                raise BuildError("内部错误：输出之间的依赖关系有循环")
            for i in ready:
                pending.remove(i)
                if log:
                    log(f"生成 {jobs[i].output}")
                running[pool.submit(_render_in_child, i)] = i
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in finished:
                i = running.pop(fut)
                notes = fut.result()
                per_job[jobs[i].output] = notes
                for note in notes:
                    ctx.note(note)
                done.add(jobs[i].output)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _FORKED = None
    return per_job


_KIND_BUILDER: dict[str, str] = {}
