"""The everyday commands: check, build, new, schema."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..diagnostics import BuildError
from ..zh import num
from .common import console as _console
from .common import date_arg, print_diagnostics
from .new import ScaffoldError, scaffold


def cmd_check(args: argparse.Namespace) -> int:
    from ..checks import coverage, report, run_checks
    from ..load import load

    content, diags = load(args.enterprise_dir, build_date=args.date)
    skipped = run_checks(content, diags) if content is not None else []
    if args.format == "json":
        print(json.dumps(report(content, diags), ensure_ascii=False, indent=1, default=str))
    else:
        console = _console()
        print_diagnostics(diags, console)
        if content is not None:
            ent = content.enterprise
            console.print(
                f"{ent.name}（{ent.id}）· {ent.industry} · 从业人员 {ent.employees} 人 · 营业收入 {num(ent.revenue_wan)} 万元 · 企业分类：{ent.size_class.value}",
                markup=False,
            )
            counts = "、".join(f"{lvl.label} {n}" for lvl, n in content.level_counts().items())
            console.print(f"风险点 {len(content.risk_points)} 个（{counts}）· 题目 {len(content.questions)} 道 · 隐患 {len(content.hazards.hazards)} 条（超期 {len(content.overdue_hazards())}）· 检查清单 {len(content.checklists)} 份 · 公文 {len(content.notices)} 份", markup=False)
            from rich.table import Table

            table = Table(title="岗位覆盖情况", show_lines=False)
            n_general = len(content.general_questions())
            q_title = f"题目（单/多/判，含通用题 {n_general}）" if ent.settings.count_general_questions else "题目（单/多/判，不含通用题）"
            for col in ("岗位", "编号", "责任清单", "作业流程标准", "风险点", "告知卡", "检查卡片", q_title, "培训"):
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
        if skipped:
            console.print(f"另有 {len(skipped)} 项检查因相关文件有错误未运行，改正错误后再次检查", style="yellow", markup=False)
        if n_err:
            console.print(f"检查未通过：{n_err} 个错误，{n_warn} 个警告", style="bold red", markup=False)
        else:
            console.print(f"检查通过：0 个错误，{n_warn} 个警告", style="bold green", markup=False)
    if diags.errors or (args.strict and diags.warnings):
        return 1
    return 0


def configure_check(p: argparse.ArgumentParser) -> None:
    p.add_argument("enterprise_dir", help="企业目录，如 content/enterprises/demo-transport")
    p.add_argument("--format", choices=["text", "json"], default="text", help="输出格式")
    p.add_argument("--strict", action="store_true", help="有警告也返回 1")
    p.add_argument("--date", type=date_arg, default=None, help="按此日期判断超期（默认今天）")


def find_enterprises(content_root: Path) -> list[Path]:
    """Every folder with an enterprise.yaml under content/enterprises (or directly under the root)."""
    base = content_root / "enterprises" if (content_root / "enterprises").is_dir() else content_root
    return sorted(p for p in base.iterdir() if p.is_dir() and ((p / "enterprise.yaml").is_file() or (p / "enterprise.yml").is_file()))


def cmd_build(args: argparse.Namespace) -> int:
    from ..outputs import FleetSettings, UnknownOutput, resolve_names
    from ..pipeline.fleet import build_many

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
        try:
            resolve_names(only)
        except UnknownOutput as exc:
            _console(True).print(str(exc), style="red", markup=False)
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
    return build_many(dirs, Path(args.out), only=only, jobs=args.jobs, force=args.force, build_date=args.date, shard=shard, debug=args.debug, quiet=args.quiet,
                      fleet=FleetSettings(personal=args.fleet_personal), wait=not args.no_wait)


def configure_build(p: argparse.ArgumentParser) -> None:
    from ..outputs import OUTPUTS

    p.add_argument("enterprise_dirs", nargs="*", help="一个或多个企业目录")
    p.add_argument("--all", metavar="CONTENT", help="构建 CONTENT/enterprises 下的全部企业")
    p.add_argument("--out", default="build", help="输出目录（默认 build/）")
    p.add_argument("--only", help="只生成其中几类，逗号分隔：" + ",".join(o.name for o in OUTPUTS))
    p.add_argument("-j", "--jobs", type=int, default=0, help="并行进程数（默认等于 CPU 核数；一家企业时并行生成各文件，多家企业时并行构建各企业）")
    p.add_argument("--shard", help="只构建第 i 份（共 n 份），如 1/4，用于多台机器分担")
    p.add_argument("--force", action="store_true", help="忽略增量缓存，全部重新生成")
    p.add_argument("--date", type=date_arg, default=None, help="构建日期（判断超期、文件日期；默认今天）")
    p.add_argument("--quiet", action="store_true", help="只输出错误和汇总")
    p.add_argument("--fleet-personal", action="store_true", help="监管部门视图（build/index/regulator/）显示负责人姓名、电话和考试结果（默认只显示数量）")
    p.add_argument("--no-wait", action="store_true", help="同一企业的另一个构建正在进行时立即失败（默认排队等待它完成）")


def cmd_new(args: argparse.Namespace) -> int:
    target = Path(args.dir)
    if target.exists() and any(target.iterdir()):
        _console(True).print(f"目录 {target} 已存在且不为空，为避免覆盖已有内容，未做任何修改", style="red", markup=False)
        return 1
    try:
        scaffold(target, name=args.name, ident=args.id, url=args.url, phone=args.phone)
    except ScaffoldError as exc:
        _console(True).print(str(exc), style="red", markup=False)
        return 2
    todo = [what for what, given in (("内网站点地址 site.base_url（告知卡二维码指向此处）", args.url),
                                     ("企业内部24小时应急值班电话 emergency_phones", args.phone)) if not given]
    more = f"，并填写{'和'.join(todo)}（打印告知卡前必须填写，也可在 anquan new 时用 --url、--phone 给出）" if todo else ""
    _console().print(f"已创建企业目录 {target}。下一步：编辑 {target}/enterprise.yaml{more}，然后运行 anquan check {target}", markup=False)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from ..load.schema import write_schemas

    written = write_schemas(Path(args.out))
    _console().print(f"已写出 {len(written)} 个 JSON Schema 到 {args.out}", markup=False)
    return 0


def configure_new(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", help="新企业目录")
    p.add_argument("--name", default="示例安全科技有限公司", help="企业名称")
    p.add_argument("--id", help="企业编号（英文小写字母、数字、“-”；默认由目录名生成，目录名没有英文字母时必填）")
    p.add_argument("--url", help="内网站点地址，如 http://192.168.1.20/（告知卡上的二维码指向此处）")
    p.add_argument("--phone", help="企业内部24小时应急值班电话（印在告知卡的应急电话中）")


def configure_schema(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", default="schemas", help="输出目录（默认 schemas/）")


def configure_merge(p: argparse.ArgumentParser) -> None:
    p.add_argument("shard_dirs", nargs="+", help="各分片的输出目录（anquan build --all … --shard i/n --out 目录）")
    p.add_argument("--out", required=True, help="合并后的输出目录：各企业目录（硬链接）和门户 index/")
    p.add_argument("--fleet-personal", action="store_true", help="监管视图显示主要负责人姓名、电话和考试结果（默认只显示数量）")


def cmd_merge(args: argparse.Namespace) -> int:
    from ..outputs import FleetSettings
    from ..pipeline.shards import merge

    try:
        out = merge([Path(d) for d in args.shard_dirs], Path(args.out), FleetSettings(personal=args.fleet_personal))
    except BuildError as exc:
        _console(True).print(str(exc), style="red", markup=False)
        return 1
    _console().print(f"已合并 {len(args.shard_dirs)} 个分片到 {out}；门户：{out / 'index' / 'index.html'}", markup=False)
    return 0
