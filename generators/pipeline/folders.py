"""The build folder on disk: carrying fresh outputs over from the previous build (hard links),
repairing a build killed between its two renames, messages for file-system failures, and the
lock that keeps two builds of one enterprise out of each other's way."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

from ..diagnostics import BuildError, os_reason


def link_or_copy(src: Path, dst: Path) -> None:
    """Carry a file or folder over into the new build: hard links where possible."""
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
    """A build killed between the two renames leaves build/.old-<id>-*: put it back; remove the
    staging folders of killed builds."""
    final = out_root / enterprise_id
    olds = sorted(out_root.glob(f".old-{enterprise_id}-*"))
    if not final.exists() and olds:
        olds[-1].rename(final)
        olds = olds[:-1]
    for stale in olds + sorted(out_root.glob(f".tmp-{enterprise_id}-*")):
        shutil.rmtree(stale, ignore_errors=True)


def os_message(exc: OSError, where: Path) -> str:
    """A file-system failure, in Chinese, saying that the previous build is intact."""
    if exc.errno == errno.ENOSPC:
        return f"磁盘空间不足，无法写入 {where}；原有的构建结果保持不变。请清理磁盘后重试"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"没有写入权限：{where}；请检查输出目录的权限或用 --out 指定其他目录。原有的构建结果保持不变"
    return f"写入 {where} 失败：{os_reason(exc)}；原有的构建结果保持不变"


# ------------------------------------------------------------------ one build of an enterprise at a time

_held: dict[tuple[str, int], list] = {}  # (lock file, thread) -> [fd, depth]: re-entry in one thread


def _holder(fd: int) -> str:
    """The PID the lock's holder wrote into the lock file ("未知" before it has written it)."""
    for _ in range(20):
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        if text.isdigit():
            return text
        time.sleep(0.01)
    return "未知"


@contextlib.contextmanager
def enterprise_lock(out_root: Path, enterprise_id: str, wait: bool = True,
                    say: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold build/.lock-<id> (fcntl.flock, exclusive) while building one enterprise, so that two
    builds of it (two commands, a fleet build, `anquan serve`) never work in its folder at once.
    The OS releases the lock when the process ends, however it ends. The holder's PID is written
    into the file for the message of the one that waits (`wait`) or gives up (not `wait`)."""
    path = Path(out_root).absolute() / f".lock-{enterprise_id}"
    key = (str(path), threading.get_ident())
    if key in _held:  # build() holds it and calls build_content()
        _held[key][1] += 1
        try:
            yield
        finally:
            _held[key][1] -= 1
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            yield  # a folder nobody may write in needs no lock: an up-to-date build is still reported,
            return  # any other fails at its first write with the permission message
        raise BuildError(os_message(exc, path.parent)) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            folder = path.parent / enterprise_id
            if not wait:
                raise BuildError(f"另一个构建正在生成 {folder}（进程 {holder}）：同一家企业同时只能有一个构建；"
                                 f"请等它完成后再试（不加 --no-wait 时会排队等待）") from None
            (say or _to_stderr)(f"等待另一个构建完成……（进程 {holder}，{folder}）")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        _held[key] = [fd, 1]
        try:
            yield
        finally:
            del _held[key]
            os.ftruncate(fd, 0)  # no stale PID left behind
    finally:
        os.close(fd)  # releases the lock; the file stays (removing it would race with a waiting build)


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
