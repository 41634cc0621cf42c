"""The question bank on the command line: `anquan bank` (statistics and the laws cited),
`anquan export` (bank, hazard ledger, checklists as .xlsx) and `anquan import-bank` (Excel → YAML)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from pathlib import Path

from .common import console as _console
from .common import date_arg, load_content, records_dir


def configure_bank(p: argparse.ArgumentParser) -> None:
    p.add_argument("enterprise_dir", help="企业目录")
    p.add_argument("--format", choices=["text", "json"], default="text", help="输出格式")


def run_bank(args: argparse.Namespace) -> int:
    from rich.table import Table

    from ..checks.bank import bank_summary

    content = load_content(args.enterprise_dir, getattr(args, "date", None))
    if content is None:
        return 1
    s = bank_summary(content)
    if args.format == "json":
        print(json.dumps(s, ensure_ascii=False, indent=1))
        return 0
    console = _console()
    console.print(f"题库共 {s['total']} 道（通用 {s['general']} 道）· " + "、".join(f"{t} {n}" for t, n in s["by_type"].items())
                  + " · 难度 " + "、".join(f"{d} {n}" for d, n in s["by_difficulty"].items()), markup=False)
    t = Table(title="各岗位题目（不含通用题）")
    for col in ("岗位", "单选", "多选", "判断", "合计"):
        t.add_column(col)
    for p in s["posts"]:
        t.add_row(p["name"], *(str(p["by_type"][k]) for k in ("单选", "多选", "判断")), str(p["total"]))
    console.print(t)
    t = Table(title="出题依据（按类别：法律、法规、规章、规范性文件、国家标准、行业标准、地方标准、企业制度、SDS）")
    t.add_column("类别")
    t.add_column("依据")
    t.add_column("题目数", justify="right")
    last = None
    for c in s["citations"]:
        t.add_row(c["class"] if c["class"] != last else "", c["name"], str(c["count"]))
        last = c["class"]
    console.print(t)
    console.print("各类依据：" + "、".join(f"{k} {n} 项" for k, n in s["by_class"].items()), markup=False)
    if s["without_basis"]:
        console.print(f"没有法律法规或标准依据（只有企业制度或未注明）的题目 {len(s['without_basis'])} 道：{'、'.join(s['without_basis'][:20])}{' 等' if len(s['without_basis']) > 20 else ''}", markup=False)
    return 0


def configure_export(p: argparse.ArgumentParser) -> None:

    p.add_argument("enterprise_dir", help="企业目录")
    p.add_argument("--out", help="输出目录（默认 records/<企业编号>/excel/；构建不会替换 records/）")
    p.add_argument("--date", type=date_arg, default=None, help="文件日期与超期判断日期（默认今天）")


def run_export(args: argparse.Namespace) -> int:
    from ..outputs.excel import export_all

    content = load_content(args.enterprise_dir, getattr(args, "date", None))
    if content is None:
        return 1
    out = records_dir(args.out, content, "excel")
    written = export_all(content, out)
    _console().print(f"已导出 {len(written)} 个 Excel 文件：", markup=False)
    for p in written:
        _console().print(f"  {p}", markup=False)
    return 0


def configure_import(p: argparse.ArgumentParser) -> None:
    p.add_argument("xlsx", help="题库 Excel 文件（格式见 docs/题库导入模板.md）")
    p.add_argument("enterprise_dir", help="企业目录：岗位名称按此企业换成岗位编号")
    p.add_argument("--id", help="题库编号（默认用文件名）；未填题号的题目编号为 <题库编号>-001 …")
    p.add_argument("--out", help="写出的 YAML 文件（默认 <企业目录>/questions/<题库编号>.yaml）")
    p.add_argument("--force", action="store_true", help="覆盖已存在的文件")


def run_import(args: argparse.Namespace) -> int:
    import yaml

    from ..importers.bank import read_bank
    from .common import print_diagnostics

    err = _console(True)
    content = load_content(args.enterprise_dir, getattr(args, "date", None))
    if content is None:
        return 1
    bank_id = args.id or re.sub(r"[^a-z0-9_-]", "-", Path(args.xlsx).stem.lower()).strip("-_") or "imported"
    bank, diags = read_bank(Path(args.xlsx), content, bank_id)
    print_diagnostics(diags, err)
    if bank is None:
        err.print("题库文件有错误，未导入；请按提示修改后重试", style="red", markup=False)
        return 1
    target = Path(args.out) if args.out else Path(args.enterprise_dir) / "questions" / f"{bank_id}.yaml"
    if target.exists() and not args.force:
        err.print(f"{target} 已存在；如要覆盖请加 --force", style="red", markup=False)
        return 1
    existing = {q.id for q in content.questions}
    clash = [q.id for q in bank.questions if q.id in existing]
    if clash and not (target.exists() and args.force):
        err.print(f"题号与现有题库重复：{'、'.join(clash[:10])}{' 等' if len(clash) > 10 else ''}；请用 --id 换一个题库编号或修改题号", style="red", markup=False)
        return 1
    data = bank.model_dump(mode="json", exclude_defaults=True, exclude={"id"} if not args.id else set())
    data["revisions"] = [{"date": dt.date.today().isoformat(), "summary": f"由 {Path(args.xlsx).name} 导入", "approved_by": content.enterprise.key_people.safety_agency.name}]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(f"# 由 anquan import-bank 从 {Path(args.xlsx).name} 导入\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    _console().print(f"已导入 {len(bank.questions)} 道题到 {target}；请运行 anquan check 检查重复与覆盖情况", markup=False)
    return 0
