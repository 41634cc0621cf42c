"""The `anquan` command line. Messages are Chinese; exit 0 ok, 1 content/build errors, 2 usage."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Callable

from rich.console import Console
from rich.table import Table

from . import __version__

# Sub-commands added by other modules: name -> (configure(parser), run(args) -> int)
COMMANDS: dict[str, tuple[Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int], str]] = {}


def register_command(name: str, help_text: str, configure, run) -> None:
    COMMANDS[name] = (configure, run, help_text)


class _Parser(argparse.ArgumentParser):
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


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”应写成 2026-03-01") from None


def _console(stderr: bool = False) -> Console:
    console = Console(stderr=stderr, highlight=False, soft_wrap=True)
    if not console.is_terminal:
        console.width = 160  # piped or redirected: keep the coverage table whole
    return console


def print_diagnostics(diags, console: Console) -> None:
    for d in diags:
        style = "red" if d.severity == "error" else "yellow"
        console.print(d.format(), style=style, markup=False)


# ----------------------------------------------------------------- check


def cmd_check(args: argparse.Namespace) -> int:
    from . import builders  # noqa: F401  (registers generator checks)
    from .check import coverage, report, warnings
    from .loader import load

    content, diags = load(args.enterprise_dir, build_date=args.date)
    if content is not None and not diags.errors:
        warnings(content, diags)
    if args.format == "json":
        print(json.dumps(report(content, diags), ensure_ascii=False, indent=1, default=str))
    else:
        console = _console()
        print_diagnostics(diags, console)
        if content is not None:
            ent = content.enterprise
            console.print(
                f"{ent.name}（{ent.id}）· {ent.industry} · 从业人员 {ent.employees} 人 · 营业收入 {ent.revenue_wan:g} 万元 · 企业分类：{ent.size_class.value}",
                markup=False,
            )
            counts = "、".join(f"{lvl.label} {n}" for lvl, n in content.level_counts().items())
            console.print(f"风险点 {len(content.risk_points)} 个（{counts}）· 题目 {len(content.questions)} 道 · 隐患 {len(content.hazards.hazards)} 条（超期 {len(content.overdue_hazards())}）· 检查清单 {len(content.checklists)} 份 · 公文 {len(content.notices)} 份", markup=False)
            table = Table(title="岗位覆盖情况", show_lines=False)
            for col in ("岗位", "编号", "责任清单", "作业流程标准", "风险点", "告知卡", "检查卡片", "题目（单/多/判）", "培训"):
                table.add_column(col)
            for row in coverage(content):
                c = row.coverage
                tick = lambda v: "✓" if v else "✗"  # noqa: E731
                qt = c["questions_by_type"]
                q = f"{c['questions']}（{qt['单选']}/{qt['多选']}/{qt['判断']}）"
                table.add_row(
                    row.name, row.id, tick(c["responsibility"]), tick(c["job_standard"]), str(c["risks"]) if c["risks"] else "✗",
                    tick(c["card"]), str(c["checklist"]) if c["checklist"] else "✗", q if c["questions_ok"] else f"{q} 不足",
                    str(c["training"]) if c["training"] else "✗",
                )
            console.print(table)
        n_err, n_warn = len(diags.errors), len(diags.warnings)
        if n_err:
            console.print(f"检查未通过：{n_err} 个错误，{n_warn} 个警告", style="bold red", markup=False)
        else:
            console.print(f"检查通过：0 个错误，{n_warn} 个警告", style="bold green", markup=False)
    if diags.errors or (args.strict and diags.warnings):
        return 1
    return 0


# ----------------------------------------------------------------- build


def find_enterprises(content_root: Path) -> list[Path]:
    """Every folder with an enterprise.yaml under content/enterprises (or directly under the root)."""
    base = content_root / "enterprises" if (content_root / "enterprises").is_dir() else content_root
    return sorted(p for p in base.iterdir() if p.is_dir() and ((p / "enterprise.yaml").is_file() or (p / "enterprise.yml").is_file()))


def cmd_build(args: argparse.Namespace) -> int:
    from .fleet import build_many

    dirs = [Path(d) for d in args.enterprise_dirs]
    if args.all:
        root = Path(args.all)
        if not root.is_dir():
            _console(True).print(f"目录不存在：{root}", style="red", markup=False)
            return 1
        dirs += find_enterprises(root)
    if not dirs:
        _console(True).print("请指定企业目录，或用 --all content/ 构建全部企业", style="red", markup=False)
        return 2
    only = [x.strip() for x in args.only.split(",")] if args.only else None
    if only:
        from .build import BUILDERS
        from . import builders  # noqa: F401

        unknown = [x for x in only if x not in BUILDERS]
        if unknown:
            _console(True).print(f"--only 中的“{'、'.join(unknown)}”无效，可选：{','.join(BUILDERS)}", style="red", markup=False)
            return 2
    shard = None
    if args.shard:
        try:
            i, n = (int(x) for x in args.shard.split("/"))
            if not 1 <= i <= n:
                raise ValueError
            shard = (i, n)
        except ValueError:
            _console(True).print(f"--shard 应写成 i/n（1 ≤ i ≤ n），如 2/8；现为“{args.shard}”", style="red", markup=False)
            return 2
    return build_many(dirs, Path(args.out), only=only, jobs=args.jobs, force=args.force, build_date=args.date, shard=shard, debug=args.debug, quiet=args.quiet)


# ----------------------------------------------------------------- new, schema


def cmd_new(args: argparse.Namespace) -> int:
    from .scaffold import scaffold

    target = Path(args.dir)
    if target.exists() and any(target.iterdir()):
        _console(True).print(f"目录 {target} 已存在且不为空，为避免覆盖已有内容，未做任何修改", style="red", markup=False)
        return 1
    scaffold(target, name=args.name)
    _console().print(f"已创建企业目录 {target}。下一步：编辑 {target}/enterprise.yaml，然后运行 anquan check {target}", markup=False)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .schema import write_schemas

    written = write_schemas(Path(args.out))
    _console().print(f"已写出 {len(written)} 个 JSON Schema 到 {args.out}", markup=False)
    return 0


# ----------------------------------------------------------------- main


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="anquan", description="安全生产文档编译工具：把企业的 YAML 内容编译为公文、手册、告知卡、试卷和内网站点。")
    parser.add_argument("--version", action="version", version=f"anquan {__version__}")
    parser.add_argument("--debug", action="store_true", help="出错时显示 Python 调用栈（供开发者排查）")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)

    p = sub.add_parser("check", help="检查企业内容：格式、引用、覆盖情况")
    p.add_argument("enterprise_dir", help="企业目录，如 content/enterprises/demo-transport")
    p.add_argument("--format", choices=["text", "json"], default="text", help="输出格式")
    p.add_argument("--strict", action="store_true", help="有警告也返回 1")
    p.add_argument("--date", type=_date, default=None, help="按此日期判断超期（默认今天）")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("build", help="生成公文、手册、告知卡、检查表、试卷和站点")
    p.add_argument("enterprise_dirs", nargs="*", help="一个或多个企业目录")
    p.add_argument("--all", metavar="CONTENT", help="构建 CONTENT/enterprises 下的全部企业")
    p.add_argument("--out", default="build", help="输出目录（默认 build/）")
    p.add_argument("--only", help="只生成其中几类，逗号分隔，如 notices,handbook,site,exams")
    p.add_argument("-j", "--jobs", type=int, default=0, help="并行进程数（默认等于 CPU 核数；一家企业时并行生成各文件，多家企业时并行构建各企业）")
    p.add_argument("--shard", help="只构建第 i 份（共 n 份），如 1/4，用于多台机器分担")
    p.add_argument("--force", action="store_true", help="忽略增量缓存，全部重新生成")
    p.add_argument("--date", type=_date, default=None, help="构建日期（判断超期、文件日期；默认今天）")
    p.add_argument("--quiet", action="store_true", help="只输出错误和汇总")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("new", help="新建一个最小的企业目录（可通过检查）")
    p.add_argument("dir", help="新企业目录")
    p.add_argument("--name", default="示例安全科技有限公司", help="企业名称")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("schema", help="写出各类文件的 JSON Schema（编辑器校验与补全）")
    p.add_argument("--out", default="schemas", help="输出目录（默认 schemas/）")
    p.set_defaults(func=cmd_schema)

    for name, (configure, run, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text)
        configure(p)
        p.set_defaults(func=run)
    return parser


def _load_plugins() -> None:
    """Modules that add sub-commands (serve, exam, ...)."""
    import importlib

    for module in ("generators.serve", "generators.exams"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise


def main(argv: list[str] | None = None) -> int:
    _load_plugins()
    parser = make_parser()
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
        from .diagnostics import ContentError

        console = _console(True)
        if isinstance(exc, ContentError):
            print_diagnostics(exc.diagnostics, console)
            return 1
        if isinstance(exc, OSError):
            console.print(f"文件操作失败：{exc.strerror or exc}（{getattr(exc, 'filename', '') or ''}）", style="red", markup=False)
            return 1
        console.print(f"内部错误：{type(exc).__name__}: {exc}。请用 --debug 重新运行并把输出报告给维护者", style="red", markup=False)
        return 1


def entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry()
