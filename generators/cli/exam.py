"""`anquan exam` (draw a paper on demand) and `anquan exam-results` (apply the pass marks to a score
sheet). Both write into the records folder (records/<id>/ by default), never into build/."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ..rules import EXAM_KINDS, FULL_MARKS, KIND_LABELS, KIND_SHORT, PASS_MARKS
from .common import console as _console
from .common import date_arg, load_content, print_diagnostics, records_dir

if TYPE_CHECKING:
    from ..model.exam import ExamRules


def configure_exam(p: argparse.ArgumentParser) -> None:
    p.add_argument("enterprise_dir", help="企业目录，如 content/enterprises/demo-transport")
    p.add_argument("--post", required=True, help="岗位编号")
    p.add_argument("--kind", required=True, choices=list(EXAM_KINDS), help="考试类别：" + "、".join(f"{k} {KIND_SHORT[k]}（{PASS_MARKS[k]} 分及格）" for k in EXAM_KINDS))
    p.add_argument("--seed", type=int, default=1, help="抽题种子：同一种子得到同一份试卷（默认 1）")
    p.add_argument("--code", help="印在试卷上的试卷编号（默认：exam_rules.yaml 中该试卷的 code，或“岗位 + 考试类别（第 N 套）”）")
    p.add_argument("--out", help="输出目录（默认 records/<企业编号>/exams/；构建不会替换 records/）")
    p.add_argument("--history", help="考试记录文件（exam_history.yaml）：排除考生上一份试卷中的题目")
    p.add_argument("--person", help="考生姓名：与 --history 一起使用时只排除此人上一份试卷的题目（不填则排除该岗位上一次考试的全部题目）")
    p.add_argument("--record", action="store_true", help="把本试卷的题目记入 --history 文件（需要 --person）")
    p.add_argument("--date", type=date_arg, default=None, help="试卷与记录的日期（默认今天）")


def run_exam(args: argparse.Namespace) -> int:
    from ..load.history import read_history, write_history
    from ..model.exam import ExamRecord
    from ..model.papers import ExamImpossible, plan_paper
    from ..outputs.exams import key_docx, paper_docx, paper_pdf

    console, err = _console(), _console(True)
    if args.record and not (args.history and args.person):
        err.print("--record 需要同时给出 --history 和 --person", style="red", markup=False)
        return 2
    if args.seed < 0:
        err.print("--seed 应为非负整数", style="red", markup=False)
        return 2
    content = load_content(args.enterprise_dir, getattr(args, "date", None))
    if content is None:
        return 1
    rules: ExamRules | None = content.extras.get("exam_rules")  # type: ignore[assignment]
    if rules is None:
        err.print("企业目录中没有考试规则文件 exam_rules.yaml（格式见 docs/题库导入模板.md 的“考试规则”一节）", style="red", markup=False)
        return 1
    history = None
    exclude: set[str] = set()
    if args.history:
        history, hdiags = read_history(Path(args.history))
        if history is None:

            print_diagnostics(hdiags, err)
            return 1
        for rec in history.latest(args.person, args.post):
            exclude.update(rec.questions)
    try:
        paper = plan_paper(content, rules, args.post, args.kind, args.seed, exclude, number=getattr(args, "code", None))
    except ExamImpossible as exc:
        err.print(f"无法按规则组卷（{args.post}，{KIND_LABELS[args.kind]}）：", style="red", markup=False)
        for line in exc.problems:
            err.print(f"  · {line}", style="red", markup=False)
        return 1
    out = records_dir(args.out, content, "exams")
    out.mkdir(parents=True, exist_ok=True)
    files = [
        (out / f"{paper.exam_id}-paper.docx", paper_docx(content, paper)),
        (out / f"{paper.exam_id}-paper.pdf", paper_pdf(content, paper)),
        (out / f"{paper.exam_id}-key.docx", key_docx(content, paper)),
    ]
    for path, data in files:
        path.write_bytes(data)
    for note in paper.notes:
        err.print(f"注意：{note}", style="yellow", markup=False)
    counts = "、".join(f"{s.rule.type} {len(s.questions)} 题" for s in paper.sections)
    general = sum(1 for s in paper.sections for q in s.questions if q.general)
    console.print(f"已生成试卷 {paper.number}（文件 {paper.exam_id}-*）：{paper.post.name} · {paper.kind_label} · {counts}（通用题 {general} 道）· 满分 {FULL_MARKS} 分，及格线 {paper.pass_mark} 分", markup=False)
    if exclude:
        console.print(f"已排除上一份试卷中的 {len(exclude)} 道题", markup=False)
    for path, _ in files:
        console.print(f"  {path}", markup=False)
    if args.record:
        assert history is not None
        history.records.append(ExamRecord(person=args.person, post=args.post, kind=args.kind, date=content.build_date,
                                          exam=paper.exam_id, questions=paper.question_ids))
        write_history(Path(args.history), history)
        console.print(f"已记入考试记录 {args.history}", markup=False)
    return 0


def configure_results(p: argparse.ArgumentParser) -> None:
    p.add_argument("enterprise_dir", help="企业目录")
    p.add_argument("scores", help="成绩表 .xlsx：每人一行，列为 姓名、岗位、分数、考试日期")
    p.add_argument("--kind", required=True, choices=list(EXAM_KINDS), help="考试类别（决定及格线：" + " / ".join(str(PASS_MARKS[k]) for k in EXAM_KINDS) + "）")
    p.add_argument("--resit", action="store_true", help="这是补考：不合格者按 exam_rules.yaml 的 consequences.resit_fail 处理")
    p.add_argument("--out", help="输出目录（默认 records/<企业编号>/results/；构建不会替换 records/）")
    p.add_argument("--history", help="把成绩记入此考试记录文件（exam_history.yaml），供站点公布结果")
    p.add_argument("--date", type=date_arg, default=None, help="制表日期（默认今天）")


def run_results(args: argparse.Namespace) -> int:
    from ..importers.scores import read_scores
    from ..load.history import read_history, write_history
    from ..model.exam import ExamRecord
    from ..outputs.exam_results import apply_pass_marks, results_view, write_results

    console, err = _console(), _console(True)
    content = load_content(args.enterprise_dir, getattr(args, "date", None))
    if content is None:
        return 1
    rows, diags = read_scores(Path(args.scores), content)
    print_diagnostics(diags, err)
    if any(d.severity == "error" for d in diags):
        err.print("成绩表有错误，未生成结果；请按提示修改后重试", style="red", markup=False)
        return 1
    results = apply_pass_marks(rows, content, args.kind, args.resit)
    view = results_view(content, results, args.kind, args.resit)
    out = records_dir(args.out, content, "results")
    stem = f"{args.kind}{'-resit' if args.resit else ''}-{Path(args.scores).stem}"
    xlsx, pdf = out / f"{stem}.xlsx", out / f"{stem}.pdf"
    write_results(content, view, xlsx, pdf)
    console.print(f"参考 {view['total']} 人，合格 {view['passed']} 人，合格率 {view['rate']}（及格线 {view['pass_mark']} 分）", markup=False)
    if view["failed"]:
        heading = "补考仍不合格" if args.resit else "不合格"
        console.print(f"{heading}（{view['consequence'].rstrip('。')}）：" if view["consequence"] else f"{heading}：", markup=False)
        for f in view["failed"]:
            console.print(f"  {f['name']}（{f['post']}）{f['score']} 分", markup=False)
    console.print(f"  {xlsx}\n  {pdf}", markup=False)
    if args.history:
        history, hdiags = read_history(Path(args.history))
        if history is None:
            print_diagnostics(hdiags, err)
            return 1
        for r in results:
            open_rec = [x for x in history.records if x.person == r.name and x.post == r.post and x.kind == args.kind and x.score is None]
            if open_rec:
                rec = max(open_rec, key=lambda x: x.date)
                rec.score, rec.date, rec.resit = r.score, r.date, args.resit
            else:
                history.records.append(ExamRecord(person=r.name, post=r.post, kind=args.kind, date=r.date, score=r.score, resit=args.resit))
        write_history(Path(args.history), history)
        console.print(f"已记入考试记录 {args.history}", markup=False)
    return 0
