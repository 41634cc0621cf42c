"""The build pipeline: load → plan jobs → render what changed → swap the folder in atomically.

Each output generator ("builder") is a peer with one function, `jobs(content)`,
returning `Job`s. A job names its output, the data and templates it depends on,
and a function that renders it. This module is the only one that decides what
is out of date and the only one that moves files into `build/<enterprise-id>/`.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import importlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import __version__
from .diagnostics import ContentError
from .loader import load_or_raise
from .model import Content

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = PROJECT_ROOT / "site_templates"
MANIFEST = "manifest.json"

# builder name -> module that defines `jobs(content) -> list[Job]`, in build order
# (the site comes last: it links the documents the others made).
BUILDERS: dict[str, str] = {}


def register_builder(name: str, module: str) -> None:
    BUILDERS[name] = module


@dataclass
class Job:
    output: str  # path under build/<id>/: a file, or a folder when `folder` is true
    kind: str
    key_data: Any  # JSON-able: the part of the model this output is made from
    render: Callable[["Path", "BuildContext"], None]
    templates: list[str] = field(default_factory=list)  # paths relative to site_templates/ (or absolute)
    sources: list[str] = field(default_factory=list)  # source files it came from (display paths)
    after: list[str] = field(default_factory=list)  # outputs of other jobs it reads (their keys join its key)
    folder: bool = False
    key: str = ""


@dataclass
class BuildContext:
    content: Content
    staging: Path  # the new build/<id>/ being assembled
    previous: Path | None  # the current build/<id>/, if any
    notes: list[str] = field(default_factory=list)  # messages for the user (font substitutions, ...)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


@dataclass
class BuildResult:
    enterprise: str
    out_dir: Path
    rendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    unchanged: bool = False


class BuildError(Exception):
    """A build could not finish; the message is for the user (Chinese)."""


_hash_cache: dict[tuple[str, float, int], str] = {}


def file_digest(path: Path) -> str:
    st = path.stat()
    cache_key = (str(path), st.st_mtime, st.st_size)
    digest = _hash_cache.get(cache_key)
    if digest is None:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        _hash_cache[cache_key] = digest
    return digest


def _json_default(obj: Any) -> Any:
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json")
    if isinstance(obj, (dt.date, Path)):
        return str(obj)
    if isinstance(obj, (set, frozenset)):
        return sorted(obj)
    if hasattr(obj, "value"):
        return obj.value
    raise TypeError(type(obj).__name__)


def job_key(job: Job, keys: dict[str, str]) -> str:
    h = hashlib.sha256()
    h.update(f"anquan {__version__}\n{job.kind}\n{job.output}\n".encode())
    h.update(json.dumps(job.key_data, default=_json_default, sort_keys=True, ensure_ascii=False).encode())
    for t in sorted(job.templates):
        p = Path(t) if os.path.isabs(t) else TEMPLATES / t
        h.update(f"\n{t}:".encode())
        if p.is_dir():
            for f in sorted(x for x in p.rglob("*") if x.is_file()):
                h.update(f"{f.relative_to(p)}={file_digest(f)};".encode())
        elif p.is_file():
            h.update(file_digest(p).encode())
        else:
            h.update(b"missing")
    for dep in sorted(job.after):
        h.update(f"\nafter {dep}={keys.get(dep, 'none')}".encode())
    return h.hexdigest()


def collect_jobs(content: Content, only: list[str] | None = None) -> list[Job]:
    from . import builders  # noqa: F401 - registers the builders (callers need not import it first)

    jobs: list[Job] = []
    for name, module in BUILDERS.items():
        if only and name not in only:
            continue
        mod = importlib.import_module(module)
        jobs.extend(mod.jobs(content))
    keys: dict[str, str] = {}
    for job in jobs:  # builders are in dependency order, so `after` keys are known
        job.key = job_key(job, keys)
        keys[job.output] = job.key
    return jobs


def read_manifest(out_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) and isinstance(data.get("outputs"), dict) else {"outputs": {}}
    except (OSError, ValueError):
        return {"outputs": {}}


def _sha_of(path: Path) -> str | list[dict[str, str]]:
    if path.is_dir():
        return hashlib.sha256(
            "".join(f"{f.relative_to(path)}:{file_digest(f)}\n" for f in sorted(path.rglob("*")) if f.is_file()).encode()
        ).hexdigest()
    return file_digest(path)


def _link_or_copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    if src.is_dir():
        shutil.copytree(src, dst, copy_function=_link_file, symlinks=False)
    else:
        _link_file(src, dst)


def _link_file(src: str | Path, dst: str | Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def recover(out_root: Path, enterprise_id: str) -> None:
    """A build killed between the two renames leaves build/.old-<id>-*: put it back."""
    final = out_root / enterprise_id
    olds = sorted(out_root.glob(f".old-{enterprise_id}-*"))
    if not final.exists() and olds:
        olds[-1].rename(final)
        olds = olds[:-1]
    for stale in olds + sorted(out_root.glob(f".tmp-{enterprise_id}-*")):
        shutil.rmtree(stale, ignore_errors=True)


def _os_message(exc: OSError, where: Path) -> str:
    if exc.errno == errno.ENOSPC:
        return f"磁盘空间不足，无法写入 {where}；原有的构建结果保持不变。请清理磁盘后重试"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"没有写入权限：{where}；请检查输出目录的权限或用 --out 指定其他目录。原有的构建结果保持不变"
    return f"写入 {where} 失败：{exc.strerror or exc}；原有的构建结果保持不变"


def _source_name(root: Path, source: str) -> str:
    """A job's source file as the manifest names it: relative to the enterprise folder whatever
    the working folder was (messages name files relative to it; the manifest must not)."""
    if not os.path.isabs(source) and (root / source).is_file():
        return Path(source).as_posix()
    path = Path(source).absolute()
    return Path(os.path.relpath(path, root.absolute())).as_posix() if path.is_file() else Path(source).as_posix()


def build_content(content: Content, out_root: Path, only: list[str] | None = None, force: bool = False, log: Callable[[str], None] | None = None, inputs: str | None = None, workers: int = 1) -> BuildResult:
    started = time.perf_counter()
    eid = content.enterprise.id
    out_root = Path(out_root).absolute()  # renderers may run tools from other folders
    try:
        out_root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(_os_message(exc, out_root)) from exc
    recover(out_root, eid)
    final = out_root / eid
    previous = final if final.is_dir() else None
    old_manifest = read_manifest(final) if previous else {"outputs": {}}
    old_outputs: dict[str, Any] = old_manifest.get("outputs", {})

    jobs = collect_jobs(content, only)
    result = BuildResult(eid, final)

    def fresh(job: Job) -> bool:
        old = old_outputs.get(job.output)
        return (not force) and previous is not None and isinstance(old, dict) and old.get("key") == job.key and (final / job.output).exists()

    # with --only, the outputs of the other builders are carried over unchanged
    stale_outputs = [o for o, meta in old_outputs.items() if only and meta.get("builder") not in only]
    planned = {j.output for j in jobs}
    obsolete = [o for o in old_outputs if o not in planned and (not only or old_outputs[o].get("builder") in only)]
    if all(fresh(j) for j in jobs) and not obsolete and old_manifest.get("tool_version") == __version__ and (inputs is None or old_manifest.get("inputs") == inputs):
        result.unchanged = True
        result.reused = [j.output for j in jobs]
        result.seconds = time.perf_counter() - started
        return result

    try:
        staging = Path(tempfile.mkdtemp(prefix=f".tmp-{eid}-", dir=out_root))
    except OSError as exc:
        raise BuildError(_os_message(exc, out_root)) from exc
    ctx = BuildContext(content, staging, previous)
    manifest_outputs: dict[str, Any] = {}
    try:
        for out in stale_outputs:
            if out not in planned and previous is not None and (final / out).exists():
                _link_or_copy(final / out, staging / out)
                manifest_outputs[out] = old_outputs[out]
        stale = [job for job in jobs if not fresh(job)]
        stale_ids = {id(job) for job in stale}
        for job in jobs:
            if fresh(job):
                _link_or_copy(final / job.output, staging / job.output)
                result.reused.append(job.output)
        job_notes = render_all(stale, ctx, workers, log)
        for job in jobs:
            target = staging / job.output
            if id(job) in stale_ids:
                if not target.exists():
                    raise BuildError(f"内部错误：{job.kind} 没有生成 {job.output}")
                result.rendered.append(job.output)
            manifest_outputs[job.output] = {
                "kind": job.kind,
                "builder": _builder_of(job.kind),
                "key": job.key,
                "sha256": _sha_of(target),
                "folder": job.folder,
                "sources": sorted({_source_name(content.root, src) for src in job.sources if src}),
                "notes": job_notes.get(job.output, []) if id(job) in stale_ids else old_outputs.get(job.output, {}).get("notes", []),
            }
        manifest = {
            "tool": "anquan",
            "tool_version": __version__,
            "enterprise": eid,
            "name": content.enterprise.name,
            "build_date": str(content.build_date),
            "inputs": inputs,  # None after a partial (--only) build: the next full build renders
            "outputs": dict(sorted(manifest_outputs.items())),
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        _swap(staging, final, out_root, eid)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildError(_os_message(exc, out_root)) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    result.notes = ctx.notes
    result.seconds = time.perf_counter() - started
    return result


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
        import ctypes
        import signal

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
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

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


def _builder_of(kind: str) -> str:
    return _KIND_BUILDER.get(kind, kind)


def register_kinds(builder: str, *kinds: str) -> None:
    """Tell the manifest which builder (--only name) makes each output kind."""
    for k in kinds:
        _KIND_BUILDER[k] = builder


def _swap(staging: Path, final: Path, out_root: Path, eid: str) -> None:
    """Replace build/<id> by the staging folder with two renames."""
    if final.exists():
        old = Path(tempfile.mkdtemp(prefix=f".old-{eid}-", dir=out_root))
        old.rmdir()
        final.rename(old)
        staging.rename(final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staging.rename(final)


def _tree_entries(root: Path, label: str, suffixes: tuple[str, ...] | None = None) -> list[str]:
    if not root.exists():
        return [f"{label}:absent"]
    if root.is_file():
        return [f"{label}={file_digest(root)}"]
    out = []
    for p in sorted(root.rglob("*")):
        if p.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in p.relative_to(root).parts):
            if suffixes is None or p.suffix in suffixes:
                link = f"->{os.readlink(p)}" if p.is_symlink() else ""
                out.append(f"{label}/{p.relative_to(root).as_posix()}{link}={file_digest(p)}")
    return out


_code_digest: str | None = None


def code_digest() -> str:
    """The tool itself: its version and its source files (a changed generator means a changed output)."""
    global _code_digest
    if _code_digest is None:
        entries = [f"version={__version__}"] + _tree_entries(Path(__file__).parent, "generators", (".py", ".yaml"))
        entries += _tree_entries(TEMPLATES, "templates") + _tree_entries(PROJECT_ROOT / "mkdocs.yml", "mkdocs.yml")
        _code_digest = hashlib.sha256("\n".join(entries).encode()).hexdigest()
    return _code_digest


def inputs_digest(enterprise_dir: Path, library_dir: Path | None, build_date: dt.date) -> str:
    """Everything a full build reads: content files, library, templates, tool, build date."""
    from .loader import default_library

    lib = library_dir or default_library(enterprise_dir)
    entries = [f"code={code_digest()}", f"date={build_date}"] + _tree_entries(enterprise_dir, "enterprise")
    if lib:
        entries += _tree_entries(Path(lib), "library")
    return hashlib.sha256("\n".join(entries).encode()).hexdigest()


def _quick_id(enterprise_dir: Path) -> str | None:
    import yaml

    for name in ("enterprise.yaml", "enterprise.yml"):
        path = enterprise_dir / name
        if path.is_file() and path.stat().st_size < 1_000_000:
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except (yaml.YAMLError, UnicodeDecodeError, OSError):
                return None
            ident = data.get("id") if isinstance(data, dict) else None
            return ident if isinstance(ident, str) and ident.replace("-", "").replace("_", "").isalnum() else None
    return None


def build(enterprise_dir: Path | str, out_root: Path | str = "build", only: list[str] | None = None, force: bool = False, build_date: dt.date | None = None, library_dir: Path | None = None, log: Callable[[str], None] | None = None, workers: int = 1) -> BuildResult:
    """Load one enterprise and build its outputs. Raises ContentError or BuildError.

    A full build whose inputs (content, library, templates, tool, date) hash the same as the
    last one's returns at once without parsing anything.
    """
    from . import builders  # noqa: F401  registers the output builders

    started = time.perf_counter()
    enterprise_dir = Path(enterprise_dir)
    build_date = build_date or dt.date.today()
    digest = None
    if not only:
        digest = inputs_digest(enterprise_dir, library_dir, build_date)
        eid = _quick_id(enterprise_dir)
        if eid:
            recover(Path(out_root), eid)  # a killed build's leftovers, before deciding anything
        if eid and not force:
            manifest = read_manifest(Path(out_root) / eid)
            if manifest.get("inputs") == digest and not list(Path(out_root).glob(f".old-{eid}-*")):
                return BuildResult(eid, Path(out_root) / eid, reused=list(manifest["outputs"]), unchanged=True, seconds=time.perf_counter() - started)
    content, diags = load_or_raise(enterprise_dir, build_date=build_date, library_dir=library_dir)
    result = build_content(content, Path(out_root), only=only, force=force, log=log, inputs=digest, workers=workers)
    result.notes = [d.format() for d in diags.warnings] + result.notes
    return result


__all__ = ["BUILDERS", "BuildContext", "BuildError", "BuildResult", "ContentError", "Job", "build", "build_content", "register_builder", "register_kinds"]
