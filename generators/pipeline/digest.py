"""Keys that decide what is out of date: one per job (its data, templates, the outputs it reads)
and one over every input of a full build (content, library, templates, tool, date)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from .. import __version__, paths
from ..outputs.base import Job


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


def job_key(job: Job, keys: dict[str, str], folders: dict[Path, bytes] | None = None) -> str:
    """The job's key: tool version, kind, output path, its data, its templates' bytes, and the keys
    of the outputs it reads (`after`, already computed in `keys`). `folders`, when given, keeps the
    digest of each template folder for the other jobs of the same collection (many jobs list
    the same folder of drawings)."""
    templates = paths.templates()
    h = hashlib.sha256()
    h.update(f"anquan {__version__}\n{job.kind}\n{job.output}\n".encode())
    h.update(json.dumps(job.key_data, default=_json_default, sort_keys=True, ensure_ascii=False).encode())
    for t in sorted(job.templates):
        p = Path(t) if os.path.isabs(t) else templates / t
        h.update(f"\n{t}:".encode())
        if p.is_dir():
            part = folders.get(p) if folders is not None else None
            if part is None:
                part = "".join(f"{f.relative_to(p)}={paths.file_digest(f)};" for f in sorted(x for x in p.rglob("*") if x.is_file())).encode()
                if folders is not None:
                    folders[p] = part
            h.update(part)
        elif p.is_file():
            h.update(paths.file_digest(p).encode())
        else:
            h.update(b"missing")
    for dep in sorted(job.after):
        h.update(f"\nafter {dep}={keys.get(dep, 'none')}".encode())
    return h.hexdigest()


def base_key(job: Job, folders: dict[Path, bytes] | None = None) -> str:
    """A job with `settle`: its key without the outputs it reads and without the data its facts
    stand for (see outputs.base.Settle)."""
    assert job.settle is not None
    data = job.key_data
    if isinstance(data, dict):
        data = {k: v for k, v in data.items() if k not in job.settle.stands_for}
    return job_key(replace(job, key_data=data, after=[]), {}, folders)


def settled_key(job: Job, facts: Any) -> str:
    """The key a job with `settle` is judged by once its facts are read: base key and facts."""
    return hashlib.sha256(f"{job.base_key}\n".encode() + json.dumps(facts, default=_json_default, sort_keys=True,
                                                                     ensure_ascii=False).encode()).hexdigest()


def tree_digest(path: Path) -> str:
    """A built file's sha256, or a folder's: of its files' names and digests."""
    if path.is_dir():
        return hashlib.sha256(
            "".join(f"{f.relative_to(path)}:{paths.file_digest(f)}\n" for f in sorted(path.rglob("*")) if f.is_file()).encode()
        ).hexdigest()
    return paths.file_digest(path)


def _tree_entries(root: Path, label: str, suffixes: tuple[str, ...] | None = None) -> list[str]:
    if not root.exists():
        return [f"{label}:absent"]
    if root.is_file():
        return [f"{label}={paths.file_digest(root)}"]
    out = []
    for p in sorted(root.rglob("*")):
        if p.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in p.relative_to(root).parts):
            if suffixes is None or p.suffix in suffixes:
                link = f"->{os.readlink(p)}" if p.is_symlink() else ""
                out.append(f"{label}/{p.relative_to(root).as_posix()}{link}={paths.file_digest(p)}")
    return out


_code_digest: str | None = None


def code_digest() -> str:
    """The tool itself: its version, its source files, templates and base mkdocs.yml (a changed
    generator means a changed output)."""
    global _code_digest
    if _code_digest is None:
        entries = [f"version={__version__}"] + _tree_entries(paths.package_dir(), "generators", (".py", ".yaml"))
        entries += _tree_entries(paths.templates(), "templates") + _tree_entries(paths.base_mkdocs(), "mkdocs.yml")
        _code_digest = hashlib.sha256("\n".join(entries).encode()).hexdigest()
    return _code_digest


def inputs_digest(enterprise_dir: Path, library_dir: Path | None, build_date: dt.date, outputs: list[str]) -> str:
    """Everything a full build reads: content files, library, templates, tool, build date, and which
    outputs it makes."""
    entries = [f"code={code_digest()}", f"date={build_date}", f"outputs={','.join(outputs)}"] + _tree_entries(enterprise_dir, "enterprise")
    if library_dir:
        entries += _tree_entries(Path(library_dir), "library")
    return hashlib.sha256("\n".join(entries).encode()).hexdigest()
