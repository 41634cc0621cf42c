"""Diagnostics: errors and warnings that name file, line, column and field."""

from __future__ import annotations

from dataclasses import asdict, dataclass


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
        kind = "错误" if self.severity == "error" else "警告"
        where = f"{self.file}:{self.line}:{self.column}"
        fld = f" 字段 {self.field}" if self.field else ""
        return f"{where}{fld}：{kind}：{self.message}"

    def as_dict(self) -> dict:
        d = asdict(self)
        return d


class ContentError(Exception):
    """Raised when content cannot be built; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(d.format() for d in diagnostics))
        self.diagnostics = diagnostics
