"""The `anquan` command line. Messages are Chinese; exit 0 ok, 1 content/build errors, 2 usage.

Every command is listed once, in `COMMANDS`; the modules below the CLI never register commands.
Importing this package is cheap: a command imports what it needs when it is configured or run, and
only the invoked command is configured (tests/test_cli_imports.py).
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from typing import Callable

from .. import __version__
from ..diagnostics import ContentError, os_reason
from . import bank, core, exam, regulator, serve
from .common import Parser, print_diagnostics
from .common import console as _console


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


COMMANDS: list[Command] = [
    Command("check", "检查企业内容：格式、引用、覆盖情况", core.configure_check, core.cmd_check),
    Command("build", "生成公文、手册、告知卡、检查表、试卷和站点", core.configure_build, core.cmd_build),
    Command("merge", "合并多台机器的分片构建结果（--shard i/n），生成一个监管视图", core.configure_merge, core.cmd_merge),
    Command("new", "新建一个最小的企业目录（可通过检查）", core.configure_new, core.cmd_new),
    Command("schema", "写出各类文件的 JSON Schema（编辑器校验与补全）", core.configure_schema, core.cmd_schema),
    Command("serve", "生成并在本机预览企业站点，YAML 修改后自动重新生成", serve.configure, serve.run),
    Command("exam", "按考试规则抽题，生成试卷（Word/PDF）和参考答案", exam.configure_exam, exam.run_exam),
    Command("exam-results", "导入成绩表，按及格线判定，生成成绩及补考名单（Excel/PDF）", exam.configure_results, exam.run_results),
    Command("bank", "题库统计：各岗位题量与出题依据（法规、标准）", bank.configure_bank, bank.run_bank),
    Command("export", "导出题库、隐患台账和检查清单为 Excel", bank.configure_export, bank.run_export),
    Command("import-bank", "从 Excel 题库模板导入题目，写成 YAML", bank.configure_import, bank.run_import),
    Command("quiz", "凡查必考：从企业题库为随机抽取的重点岗位出现场抽考试卷（PDF，含答案）", regulator.configure_quiz, regulator.run_quiz),
    Command("inspection-import", "导入检查人员填好的六必查检查表（xlsx），写成 inspections/<年度>.yaml", regulator.configure_import, regulator.run_import),
]


def make_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command. With `only`, only the command of that name has its arguments
    configured ("": none), as configuring a command may import much that the others do not need;
    the top-level help and a wrong command's message do not depend on any command's arguments."""
    parser = Parser(prog="anquan", description="安全生产文档编译工具：把企业的 YAML 内容编译为公文、手册、告知卡、试卷和内网站点。")
    parser.add_argument("--version", action="version", version=f"anquan {__version__}")
    parser.add_argument("--debug", action="store_true", help="出错时显示 Python 调用栈（供开发者排查）")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=Parser)
    for command in COMMANDS:
        p = sub.add_parser(command.name, help=command.help)
        if only is None or command.name == only:
            command.configure(p)
        p.set_defaults(func=command.run)
    return parser


def _invoked(argv: list[str]) -> str:
    """The command named on the command line (no top-level option takes a value), or "" if none is."""
    name = next((a for a in argv if not a.startswith("-")), "")
    return name if any(c.name == name for c in COMMANDS) else ""


def main(argv: list[str] | None = None) -> int:
    parser = make_parser(_invoked(sys.argv[1:] if argv is None else argv))
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    debug = args.debug or os.environ.get("ANQUAN_DEBUG") == "1"
    try:
        return args.func(args)
    except KeyboardInterrupt:
        _console(True).print("已中断；原有的构建结果保持不变", style="yellow", markup=False)
        return 130
    except Exception as exc:  # last resort: never a traceback for the user
        if debug:
            raise
        console = _console(True)
        if isinstance(exc, ContentError):
            print_diagnostics(exc.diagnostics, console)
            return 1
        if isinstance(exc, OSError):
            console.print(f"文件操作失败：{os_reason(exc)}（{getattr(exc, 'filename', '') or ''}）", style="red", markup=False)
            return 1
        console.print(f"内部错误：{type(exc).__name__}: {exc}。请用 --debug 重新运行并把输出报告给维护者", style="red", markup=False)
        return 1


def entry() -> None:
    sys.exit(main())

