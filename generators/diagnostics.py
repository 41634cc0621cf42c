"""Diagnostics: errors and warnings that name file, line, column and field."""

from __future__ import annotations

import errno
import os
from dataclasses import asdict, dataclass
from typing import Any


def dotted(path: tuple) -> str:
    """A field path as messages print it: risk_points[2].assessment.L."""
    parts: list[str] = []
    for p in path:
        if isinstance(p, int):
            parts.append(f"[{p}]")
        else:
            parts.append(("." if parts else "") + str(p))
    return "".join(parts)


@dataclass(frozen=True)
class Diagnostic:
    severity: str  # "error" | "warning"
    file: str
    line: int
    column: int
    field: str
    message: str

    @classmethod
    def error(cls, file: str, line: int, column: int, field: str, message: str) -> "Diagnostic":
        return cls("error", file, line, column, field, message)

    @classmethod
    def warning(cls, file: str, line: int, column: int, field: str, message: str) -> "Diagnostic":
        return cls("warning", file, line, column, field, message)

    def format(self) -> str:
        """file:line:column 字段 x：错误：… — a folder has no position (line 0): file 字段 x：错误：…"""
        kind = "错误" if self.severity == "error" else "警告"
        # a folder (or a file as a whole) has no position: line 0 means "no line"
        where = f"{self.file}:{self.line}:{self.column}" if self.line > 0 else self.file
        fld = f" 字段 {self.field}" if self.field else ""
        return f"{where}{fld}：{kind}：{self.message}"

    def as_dict(self) -> dict:
        d = asdict(self)
        return d


_OS_REASONS = {
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.ENOENT: "文件或目录不存在",
    errno.EISDIR: "这是一个目录，不是文件",
    errno.ENOTDIR: "路径中的某一级不是目录",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统只读",
    errno.ELOOP: "符号链接循环",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EMFILE: "打开的文件太多",
    errno.EIO: "磁盘读写错误",
    errno.EBUSY: "文件正被占用",
    errno.EADDRINUSE: "端口已被占用",
    errno.EADDRNOTAVAIL: "地址不可用",
}


def os_reason(exc: OSError) -> str:
    """Why a file operation failed, in Chinese (the system's own text is English)."""
    reason = _OS_REASONS.get(exc.errno or 0)
    if reason:
        return reason
    return f"系统错误（错误码 {exc.errno}）" if exc.errno else "系统错误"


class BuildError(Exception):
    """A build could not finish; the message is for the user (Chinese)."""


class ContentError(Exception):
    """Raised when content cannot be built; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(d.format() for d in diagnostics))
        self.diagnostics = diagnostics


class Diagnostics(list):
    """Errors and warnings of one run; `failed` names the file kinds that did not load whole, so
    that references into them are not reported as dangling (one mistake, one message).

    `error`/`warning` take a loaded file (anything with `display` and `located.where(path)`, see
    `generators.load.Loaded`) or a display name, and the field path inside it."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.failed: set[str] = set()

    def error(self, loaded: Any, path: tuple, message: str, line_col: tuple[int, int] | None = None) -> None:
        self._add("error", loaded, path, message, line_col)

    def warning(self, loaded: Any, path: tuple, message: str, line_col: tuple[int, int] | None = None) -> None:
        self._add("warning", loaded, path, message, line_col)

    def _add(self, severity: str, loaded: Any, path: tuple, message: str, line_col: tuple[int, int] | None) -> None:
        if isinstance(loaded, str):
            line, col = line_col or ((0, 0) if os.path.isdir(loaded) else (1, 1))
            display = loaded
        else:
            line, col = line_col or loaded.located.where(tuple(path))
            display = loaded.display
        self.append(Diagnostic(severity, display, line, col, dotted(tuple(path)), message))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self if d.severity == "warning"]
