"""The build pipeline of one enterprise; `build()` reads as its table of contents.

Each output (`generators.outputs.OUTPUTS`) makes `Job`s from the loaded content; this module
decides which are out of date, renders those into a staging folder, carries the rest over, writes
the manifest and swaps the folder in. It is the only writer of `build/<enterprise-id>/`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

import yaml

from .. import __version__, tempdirs
from ..checks import gate
from ..diagnostics import BuildError, ContentError
from ..load import default_library, load_or_raise
from ..model import Content
from ..outputs import OUTPUTS, Output, resolve_names
from ..outputs.base import BuildContext, Job, Report
from ..paths import new_folder, replace_folder
from .digest import base_key, inputs_digest, job_key, tree_digest
from .folders import enterprise_lock, link_or_copy, os_message, recover
from .manifest import read_manifest, source_name, write_manifest
from .render import render_all


@dataclass(frozen=True)
class BuildOptions:
    """How to build: where, which outputs, and how hard."""

    out_root: Path = Path("build")
    only: tuple[str, ...] = ()  # output names or aliases; empty: every output
    force: bool = False  # render everything, whatever the manifest says
    build_date: dt.date | None = None  # the date documents are built on (default: today)
    library_dir: Path | None = None  # default: content/library beside content/enterprises
    workers: int = 1  # render processes for this enterprise
    log: Callable[[str], None] | None = None
    wait: bool = True  # another build of the enterprise holds its lock: wait for it (else fail at once)
    on_wait: Callable[[str], None] | None = None  # where "waiting for …" goes (default: stderr)
    outputs: tuple[Output, ...] = tuple(OUTPUTS)  # the outputs to choose from (tests pass cheap ones)
    gates: bool = True  # stop on the errors of checks.GATES (a preview, `anquan serve`, goes on)

    def __post_init__(self) -> None:
        object.__setattr__(self, "out_root", Path(self.out_root))
        object.__setattr__(self, "only", tuple(resolve_names(self.only, self.outputs)))

    def selected(self) -> list[Output]:
        return [o for o in self.outputs if not self.only or o.name in self.only]


@dataclass
class BuildResult:
    enterprise: str
    out_dir: Path
    rendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    unchanged: bool = False


def build(enterprise_dir: Path | str, options: BuildOptions = BuildOptions()) -> BuildResult:
    """Load one enterprise and build its outputs. Raises ContentError or BuildError."""
    started = time.perf_counter()
    tempdirs.sweep()  # what a killed build or worker left in the temporary directory
    enterprise_dir = Path(enterprise_dir)
    options = _dated(options)
    library = options.library_dir or default_library(enterprise_dir)
    digest = None if options.only else inputs_digest(enterprise_dir, library, options.build_date, [o.name for o in options.outputs])  # type: ignore[arg-type]
    eid = _quick_id(enterprise_dir)
    # the lock is taken before the quick check (which repairs a killed build's leftovers) and held
    # to the swap, so a second build sees the first's result; build_content takes it by the real id
    with _lock(options, eid) if eid else contextlib.nullcontext():
        unchanged = quick_check(enterprise_dir, options, digest, eid)
        if unchanged is not None:
            return unchanged
        content, diags = load_or_raise(enterprise_dir, build_date=options.build_date, library_dir=library)
        content.outputs = tuple(o.name for o in options.selected())
        if options.gates:
            errors = gate(content)
            if errors:
                raise ContentError(errors)
        result = build_content(content, options, inputs=digest)
    result.notes = [d.format() for d in diags.warnings] + result.notes
    result.seconds = time.perf_counter() - started
    return result


def build_content(content: Content, options: BuildOptions = BuildOptions(), inputs: str | None = None) -> BuildResult:
    """Build the outputs of loaded content: collect jobs, decide what is stale, render, swap."""
    with _lock(options, content.enterprise.id):
        return _build_content(content, options, inputs, time.perf_counter())


def _build_content(content: Content, options: BuildOptions, inputs: str | None, started: float) -> BuildResult:
    eid = content.enterprise.id
    out_root = prepare_out_root(options.out_root, eid)
    final = out_root / eid
    previous = final if final.is_dir() else None
    old = read_manifest(final) if previous else {"outputs": {}}
    jobs = collect_jobs(content, options.selected())
    plan = Plan(jobs, old, previous, options)
    if plan.up_to_date(inputs):
        return BuildResult(eid, final, reused=[j.output for j in jobs], unchanged=True, seconds=time.perf_counter() - started)
    staging = _staging(out_root, eid)
    ctx = BuildContext(content, staging, previous, expected=frozenset(j.output for j in jobs) | frozenset(plan.kept),
                       last={} if options.force else plan.old_outputs)
    try:
        reused = plan.carry_over(staging)
        reports = render_all(plan.stale, ctx, options.workers, options.log)
        write_manifest(staging, plan.manifest(content, staging, reports, inputs))
        replace_folder(staging, final)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(os_message(exc, out_root)) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    cut_off = [j.output for j in plan.stale if reports[j.output].cut_off]  # their settled keys had not changed
    return BuildResult(eid, final, rendered=[j.output for j in plan.stale if not reports[j.output].cut_off],
                       reused=reused + cut_off, notes=ctx.notes, seconds=time.perf_counter() - started)


# ------------------------------------------------------------------ the steps


def _dated(options: BuildOptions) -> BuildOptions:
    return options if options.build_date is not None else replace(options, build_date=dt.date.today())


def _lock(options: BuildOptions, eid: str):
    return enterprise_lock(options.out_root, eid, wait=options.wait, say=options.on_wait)


def quick_check(enterprise_dir: Path, options: BuildOptions, digest: str | None, eid: str | None = None) -> BuildResult | None:
    """A full build whose inputs hash as the last one's did: done, without parsing anything."""
    if digest is None:
        return None
    eid = eid or _quick_id(enterprise_dir)
    if not eid:
        return None
    out_root = options.out_root
    recover(out_root, eid)  # a killed build's leftovers, before deciding anything
    manifest = read_manifest(out_root / eid)
    if options.force or manifest.get("inputs") != digest or list(out_root.glob(f".old-{eid}-*")):
        return None
    return BuildResult(eid, out_root / eid, reused=list(manifest["outputs"]), unchanged=True)


def _quick_id(enterprise_dir: Path) -> str | None:
    for name in ("enterprise.yaml", "enterprise.yml"):
        path = enterprise_dir / name
        if path.is_file() and path.stat().st_size < 1_000_000:
            try:
                data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
            except (yaml.YAMLError, UnicodeDecodeError, OSError):
                return None
            ident = data.get("id") if isinstance(data, dict) else None
            return ident if isinstance(ident, str) and ident.replace("-", "").replace("_", "").isalnum() else None
    return None


def prepare_out_root(out_root: Path, eid: str) -> Path:
    out_root = Path(out_root).absolute()  # renderers may run tools from other folders
    try:
        out_root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(os_message(exc, out_root)) from exc
    recover(out_root, eid)
    return out_root


def collect_jobs(content: Content, outputs: list[Output]) -> list[Job]:
    """Every selected output's jobs, each with its key (outputs are listed so that the ones a job
    reads through `after` come first)."""
    jobs: list[Job] = []
    for output in outputs:
        jobs.extend(output.jobs(content))
    keys: dict[str, str] = {}
    folders: dict[Path, bytes] = {}
    for job in jobs:
        job.key = job_key(job, keys, folders)
        keys[job.output] = job.key
        if job.settle is not None:
            job.base_key = base_key(job, folders)
    return jobs


def _staging(out_root: Path, eid: str) -> Path:
    try:
        return new_folder(out_root, f".tmp-{eid}-")
    except OSError as exc:
        raise BuildError(os_message(exc, out_root)) from exc


class Plan:
    """Which jobs are fresh (their key is in the manifest and their file is there), which are stale,
    and which outputs of other, unselected outputs are carried over unchanged (`--only`)."""

    def __init__(self, jobs: list[Job], old: dict[str, Any], previous: Path | None, options: BuildOptions) -> None:
        self.jobs, self.old, self.previous, self.options = jobs, old, previous, options
        self.old_outputs: dict[str, Any] = old.get("outputs", {})
        selected = {o.name for o in options.selected()}
        self.kind_output = {k: o.name for o in options.outputs for k in o.kinds}
        planned = {j.output for j in jobs}
        only = bool(options.only)
        self.kept = [o for o, meta in self.old_outputs.items() if only and meta.get("output") not in selected and o not in planned]
        self.obsolete = [o for o in self.old_outputs if o not in planned and (not only or self.old_outputs[o].get("output") in selected)]
        self.stale = [j for j in jobs if not self.fresh(j)]

    def fresh(self, job: Job) -> bool:
        old = self.old_outputs.get(job.output)
        return (not self.options.force and self.previous is not None and isinstance(old, dict)
                and old.get("key") == job.key and (self.previous / job.output).exists())

    def up_to_date(self, inputs: str | None) -> bool:
        return (not self.stale and not self.obsolete and self.old.get("tool_version") == __version__
                and (inputs is None or self.old.get("inputs") == inputs))

    def carry_over(self, staging: Path) -> list[str]:
        """Hard-link the fresh outputs (and, with --only, the other outputs' files) into staging."""
        for out in self.kept:
            if (self.previous / out).exists():  # type: ignore[operator]
                link_or_copy(self.previous / out, staging / out)  # type: ignore[operator]
        reused = []
        for job in self.jobs:
            if job not in self.stale:
                link_or_copy(self.previous / job.output, staging / job.output)  # type: ignore[operator]
                reused.append(job.output)
        return reused

    def manifest(self, content: Content, staging: Path, reports: dict[str, Report], inputs: str | None) -> dict[str, Any]:
        outputs: dict[str, Any] = {o: self.old_outputs[o] for o in self.kept if (staging / o).exists()}
        stale = {id(j) for j in self.stale}
        for job in self.jobs:
            target = staging / job.output
            if id(job) in stale and not target.exists():
                raise BuildError(f"内部错误：{job.kind} 没有生成 {job.output}")
            old = self.old_outputs.get(job.output, {})
            report = reports.get(job.output) if id(job) in stale else None
            outputs[job.output] = {
                "kind": job.kind,
                "output": self.kind_output.get(job.kind, job.kind),
                "key": job.key,
                "sha256": tree_digest(target),
                "folder": job.folder,
                "sources": sorted({source_name(content.root, src) for src in job.sources if src}),
                "notes": report.notes if report is not None else old.get("notes", []),
            }
            if job.settle is not None:  # a fresh job's settled key is the last build's
                settled = report.settled if report is not None else old.get("settled")
                if settled:
                    outputs[job.output]["settled"] = settled
        return {
            "tool": "anquan",
            "tool_version": __version__,
            "enterprise": content.enterprise.id,
            "name": content.enterprise.name,
            "build_date": str(content.build_date),
            "inputs": inputs,  # None after a partial (--only) build: the next full build renders
            "outputs": dict(sorted(outputs.items())),
        }
