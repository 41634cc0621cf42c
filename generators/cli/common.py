"""What every command shares: the Chinese argument parser, dates, consoles, diagnostics, loading.

Importing the command line costs little: each command imports what it uses when it runs
(tests/test_cli_imports.py holds the line)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from ..model import Content


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors in Chinese, exit 2
        self.print_usage(sys.stderr)
        translated = (
            message.replace("the following arguments are required", "缺少参数")
            .replace("unrecognized arguments", "无法识别的参数")
            .replace("invalid choice", "无效的选项")
            .replace("expected one argument", "需要一个值")
            .replace("argument", "参数")
        )
        sys.stderr.write(f"anquan：用法错误：{translated}\n")
        sys.exit(2)


def date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”应写成 2026-03-01") from None


def console(stderr: bool = False) -> Console:
    from rich.console import Console

    console = Console(stderr=stderr, highlight=False, soft_wrap=True)
    if not console.is_terminal:
        console.width = 160  # piped or redirected: keep the coverage table whole
    return console


def print_diagnostics(diags, console: Console) -> None:
    for d in diags:
        style = "red" if d.severity == "error" else "yellow"
        console.print(d.format(), style=style, markup=False)


def load_content(enterprise_dir: str | Path, date: dt.date | None = None) -> Content | None:
    """Load an enterprise for a command; on errors print them and return None."""
    from ..load import load

    content, diags = load(enterprise_dir, build_date=date)
    if content is None or diags.errors:
        err = console(True)
        print_diagnostics(diags.errors or diags, err)
        err.print("内容有错误，请先运行 anquan check 修正", style="red", markup=False)
        return None
    return content


def records_dir(out: str | None, content: Content, what: str) -> Path:
    """Where a command that makes records (papers on demand, results, exports) writes: the folder
    the user names, or records/<enterprise-id>/<what>/, which no build replaces."""
    return Path(out) if out else Path("records") / content.enterprise.id / what
