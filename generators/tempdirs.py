"""Temporary folders named after the process that made them (`anquan-<kind>-p<pid>-<random>`).

A process that is killed (a build stopped with SIGKILL, a fleet worker killed for its memory)
cannot remove its folders. The next build removes every such folder in the temporary directory
whose process has ended: its own user's, of our kinds only, never one of a running process (a
build running alongside keeps its folders).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

_NAME = re.compile(r"anquan-[a-z]+-p([1-9][0-9]*)-")


def prefix(kind: str) -> str:
    """The name prefix of this process's folders of `kind` (lowercase letters)."""
    assert kind.isalpha() and kind.islower(), kind
    return f"anquan-{kind}-p{os.getpid()}-"


def mkdtemp(kind: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix(kind)))


def temporary(kind: str) -> tempfile.TemporaryDirectory:
    """A folder removed when the `with` block ends (or by `sweep`, should the process be killed)."""
    return tempfile.TemporaryDirectory(prefix=prefix(kind))


def running(pid: int) -> bool:
    """Whether the process runs: it exists and is not a zombie (killed, not yet reaped: the children
    of a killed build wait for init to reap them)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True  # no /proc to tell: take it as running


def sweep(folder: Path | str | None = None) -> list[Path]:
    """Remove the folders ended processes left in `folder` (default: the temporary directory)."""
    folder = Path(folder or tempfile.gettempdir())
    removed = []
    uid = os.getuid()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        m = _NAME.match(entry.name)
        if not m:
            continue
        try:
            if not entry.is_dir(follow_symlinks=False) or entry.stat(follow_symlinks=False).st_uid != uid:
                continue
        except OSError:
            continue
        if running(int(m.group(1))):
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        removed.append(Path(entry.path))
    return removed
