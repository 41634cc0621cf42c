"""The regulator's commands: `anquan quiz` (凡查必考, a quiz drawn on the spot into the records
folder) and `anquan inspection-import` (a filled-in 六必查 workbook → inspections/<year>.yaml)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from ..paths import display
from .common import console as _console
from .common import date_arg, load_content, print_diagnostics, records_dir


def configure_quiz(p: argparse.ArgumentParser) -> None:
    from ..checks.regulator.quiz import BUILD_POSTS, BUILD_QUESTIONS, MAX_QUESTIONS, SEED_MAX

    p.add_argument("enterprise_dir", help="企业目录，如 content/enterprises/demo-transport")
    p.add_argument("--seed", type=int, default=None, help=f"抽题种子（0–{SEED_MAX - 1}）：同一种子得到同一份试卷；不填则随机取一个六位数并印在试卷上")
    p.add_argument("--posts", type=int, default=BUILD_POSTS, help=f"随机抽取的重点岗位数，每岗位一人一页（默认 {BUILD_POSTS}）")
    p.add_argument("--questions", type=int, default=BUILD_QUESTIONS, help=f"每人题数（默认 {BUILD_QUESTIONS}，最多 {MAX_QUESTIONS}）")
    p.add_argument("--out", help="输出目录（默认 records/<企业编号>/quiz/；构建不会替换 records/）")
    p.add_argument("--date", type=date_arg, default=None, help="试卷日期（默认今天）")


def run_quiz(args: argparse.Namespace) -> int:
    from ..checks.regulator.quiz import SEED_MAX, QuizImpossible, draw_quiz, new_seed
    from ..outputs.quiz import quiz_pdf

    console, err = _console(), _console(True)
    seed = new_seed() if args.seed is None else args.seed
    if not 0 <= seed < SEED_MAX:
        err.print(f"--seed 应为 0–{SEED_MAX - 1} 的整数", style="red", markup=False)
        return 2
    content = load_content(args.enterprise_dir, args.date)
    if content is None:
        return 1
    try:
        quiz = draw_quiz(content, seed, args.posts, args.questions)
    except QuizImpossible as exc:
        err.print(f"无法抽题：{exc}", style="red", markup=False)
        return 1
    out = records_dir(args.out, content, "quiz")
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"quiz-{seed}-{args.posts}x{args.questions}.pdf"
    path.write_bytes(quiz_pdf(content, seed, args.posts, args.questions))
    posts = "、".join(p.post.name for p in quiz.pages)
    console.print(f"已生成凡查必考试卷：抽题种子 {seed}，抽考岗位 {len(quiz.pages)} 个（{posts}），每人 {args.questions} 题，最后一页为答案", markup=False)
    if len(quiz.pages) < args.posts:
        err.print(f"注意：有题目的重点岗位只有 {len(quiz.pages)} 个，少于 --posts {args.posts}", style="yellow", markup=False)
    topped = sum(p.general for p in quiz.pages)
    if topped:
        err.print(f"注意：部分岗位题目不足，共 {topped} 题取自全员通用题库", style="yellow", markup=False)
    console.print(f"  {path}", markup=False)
    console.print(f"用同一种子重新打印：anquan quiz {args.enterprise_dir} --seed {seed} --posts {args.posts} --questions {args.questions}", markup=False)
    return 0


def configure_import(p: argparse.ArgumentParser) -> None:
    from ..importers.inspection import KINDS

    p.add_argument("sheet", help="检查人员填好的六必查检查表 .xlsx（anquan build 生成的 regulator/sixchecks.xlsx）")
    p.add_argument("enterprise_dir", help="企业目录：写入其中的 inspections/<年度>.yaml")
    p.add_argument("--date", type=date_arg, default=None, help="检查日期（默认取检查表“检查记录”中的日期）")
    p.add_argument("--inspectors", help="检查人员，多人用“、”或逗号分隔（默认取检查表“检查记录”中的人员）")
    p.add_argument("--department", help="检查部门（默认取检查表“检查记录”中的部门）")
    p.add_argument("--kind", choices=list(KINDS), help="检查方式（默认取检查表“检查记录”中的方式）")
    p.add_argument("--force", action="store_true", help="该年度的检查记录已存在时覆盖")


def run_import(args: argparse.Namespace) -> int:
    from ..importers.inspection import SheetError, inspection_yaml, read_six_checks_xlsx
    from ..load import load

    console, err = _console(), _console(True)
    sheet, ent_dir = Path(args.sheet), Path(args.enterprise_dir)
    if not (ent_dir / "enterprise.yaml").is_file():
        err.print(f"企业目录中没有 enterprise.yaml：{ent_dir}", style="red", markup=False)
        return 1
    try:
        data = sheet.read_bytes()
    except OSError as exc:
        err.print(f"无法读取检查表 {sheet}：{exc.strerror or exc}", style="red", markup=False)
        return 1
    inspectors = [x for x in re.split(r"[、,，;；\s]+", args.inspectors) if x] if args.inspectors else None
    try:
        ins = read_six_checks_xlsx(data, None, args.date, inspectors, args.department, args.kind)
    except SheetError as exc:
        err.print(f"{display(sheet)}：{exc}", style="red", markup=False)
        return 1
    target = ent_dir / "inspections" / f"{ins.year}.yaml"
    if target.exists() and not args.force:
        err.print(f"{display(target)} 已存在，未覆盖；确认要用本检查表替换时加 --force", style="red", markup=False)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.read_bytes() if target.exists() else None
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(inspection_yaml(ins, sheet.name), encoding="utf-8")
    tmp.replace(target)
    _, diags = load(ent_dir)
    wrong = [d for d in diags.errors if Path(d.file).resolve() == target.resolve()]
    if wrong:  # the record does not fit the enterprise: put back what was there
        if old is None:
            target.unlink()
        else:
            target.write_bytes(old)
        print_diagnostics(wrong, err)
        err.print("导入的检查记录与企业资料不一致，未写入", style="red", markup=False)
        return 1
    failed = [f.item for f in ins.findings if f.result == "不符合"]
    seen = [b.item for b in ins.behaviours if b.observed]
    console.print(f"已写入 {display(target)}：{ins.date} {ins.kind}，核查 {len(ins.findings)} 项（不符合 {len(failed)} 项），"
                  f"危险作业行为 {len(ins.behaviours)} 项（发现 {len(seen)} 项）"
                  + (f"，抽考 {ins.quiz.tested} 人、合格 {ins.quiz.passed} 人" if ins.quiz else ""), markup=False)
    console.print(f"重新评价：anquan build {args.enterprise_dir} --only rating,sixchecks", markup=False)
    return 0
