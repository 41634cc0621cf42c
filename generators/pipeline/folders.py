"""The build folder on disk: carrying fresh outputs over from the previous build (hard links),
repairing a build killed between its two renames, and messages for file-system failures."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

from ..diagnostics import os_reason


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
