"""Build-speed benchmark: ratios measured in one run on this machine.

    .venv/bin/python benchmarks/bench_build.py [--fleet 100] [--only LIST] [--skip-fleet]

Reports, each as a ratio against a baseline measured in the same run:
  1. no-change rebuild vs cold build of demo-transport (goal: at least 20x faster);
  2. one-post change (a step of the hazmat driver's job standard) vs cold build;
  3. fleet of N synthetic enterprises with -j 2 vs -j 1 (and peak memory per worker);
  4. handbook.pdf of demo-transport vs a Typst compile of the same text.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

DATE = dt.date(2026, 11, 26)


def timed(fn):
    t = time.perf_counter()
    value = fn()
    return time.perf_counter() - t, value


def bench_incremental(tmp: Path) -> list[tuple[str, float, float]]:
    from generators.pipeline import BuildOptions, build

    content = tmp / "content"
    shutil.copytree(ROOT / "content", content)
    ent = content / "enterprises" / "demo-transport"
    out = tmp / "build"
    workers = os.cpu_count() or 1
    cold, r_cold = timed(lambda: build(ent, BuildOptions(out_root=out, build_date=DATE, force=True, workers=workers)))
    nochange, r_none = timed(lambda: build(ent, BuildOptions(out_root=out, build_date=DATE, workers=workers)))
    assert r_none.unchanged and not r_none.rendered
    js = ent / "job_standards" / "hazmat-driver.yaml"
    text = js.read_text(encoding="utf-8")
    js.write_text(text.replace("  steps:\n", "  steps:\n    - name: 出车前告知\n      content: 向调度员报告出车时间、线路和所载危险货物\n", 1), encoding="utf-8")
    onepost, r_one = timed(lambda: build(ent, BuildOptions(out_root=out, build_date=DATE, workers=workers)))
    print(f"冷构建 {cold:.2f} s（生成 {len(r_cold.rendered)} 个）；无变化 {nochange:.3f} s；改一个岗位 {onepost:.2f} s（重新生成 {len(r_one.rendered)} 个：{', '.join(r_one.rendered)}）")
    return [
        ("无变化重建 vs 冷构建", nochange, cold),
        ("改一个岗位作业标准 vs 冷构建", onepost, cold),
    ]


def bench_fleet(tmp: Path, k: int, only: str | None) -> list[tuple[str, float, float]]:
    from fleet_gen import make_fleet

    tmp.mkdir(parents=True, exist_ok=True)
    fleet = tmp / "fleet"
    make_fleet(k, fleet)
    rows = []
    times = {}
    for j in (1, 2):
        out = tmp / f"fleet-out-{j}"
        cmd = [str(ROOT / ".venv" / "bin" / "anquan"), "build", "--all", str(fleet), "--out", str(out), "-j", str(j), "--date", str(DATE), "--quiet"]
        if only:
            cmd += ["--only", only]
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        t = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
        times[j] = time.perf_counter() - t
        peak_kb = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        rss = [ln for ln in proc.stderr.splitlines() if "Maximum resident set size" in ln]
        print(f"车队 {k} 家 -j {j}：{times[j]:.1f} s，退出码 {proc.returncode}，最大常驻内存（单进程）{rss[0].split(':')[-1].strip() if rss else peak_kb} KB")
        if proc.returncode != 0:
            print(proc.stdout[-2000:], proc.stderr[-2000:])
    what = f"只生成 {only}" if only else "全部输出"
    rows.append((f"车队 {k} 家（{what}）：-j 2 vs -j 1", times[2], times[1]))
    return rows


def bench_handbook(tmp: Path, reps: int = 3) -> list[tuple[str, float, float]]:
    """Median of `reps` fresh compiles on each side: Typst on the plain text in a new process,
    our handbook job through a new compile server (both with fonts loaded and warmed on another
    document first; Typst's in-process memo would make a repeated compile nearly free)."""
    import statistics

    from typst_baseline import handbook_typst, time_fresh_compile

    from generators.load import load_or_raise
    from generators.outputs import handbook
    from generators.outputs.base import BuildContext
    from generators.render import fonts
    from generators.render import typst as typst_pdf

    content, _ = load_or_raise(ROOT / "content" / "enterprises" / "demo-transport", build_date=DATE)
    job = next(j for j in handbook.jobs(content) if j.output == "handbook/handbook.pdf")
    src = tmp / "handbook.typ"
    src.write_text(handbook_typst(content), encoding="utf-8")
    dest = tmp / "handbook.pdf"
    ctx = BuildContext(content, tmp, None)
    ours_runs, typst_runs = [], []
    for _ in range(reps):
        typst_runs.append(time_fresh_compile(src, tmp / "typst.pdf"))
        typst_pdf.shutdown()
        typst_pdf.warm_up(fonts.fonts(content))
        ours_runs.append(timed(lambda: job.render(dest, ctx))[0])
    typst_pdf.shutdown()
    ours, typst_s = statistics.median(ours_runs), statistics.median(typst_runs)
    from pypdf import PdfReader

    pages = len(PdfReader(dest).pages)
    tpages = len(PdfReader(tmp / "typst.pdf").pages)
    print(f"手册 {pages} 页 {ours:.2f} s（{', '.join(f'{x:.2f}' for x in ours_runs)}）；"
          f"Typst 同文本 {tpages} 页 {typst_s:.2f} s（{', '.join(f'{x:.2f}' for x in typst_runs)}）")
    return [("手册 handbook.pdf vs Typst 同文本（各取 3 次全新编译的中位数）", ours, typst_s)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fleet", type=int, default=100)
    ap.add_argument("--only", default="data", help="outputs built in the large fleet run (default: data, i.e. load, validate, check and write)")
    ap.add_argument("--full-fleet", type=int, default=4, help="size of a second fleet built with every output")
    ap.add_argument("--skip-fleet", action="store_true")
    ap.add_argument("--skip-handbook", action="store_true")
    ap.add_argument("--skip-incremental", action="store_true")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if not args.skip_incremental:
            rows += bench_incremental(tmp)
        if not args.skip_handbook:
            rows += bench_handbook(tmp)
        if not args.skip_fleet:
            rows += bench_fleet(tmp / "large", args.fleet, args.only or None)
            if args.full_fleet:
                rows += bench_fleet(tmp / "full", args.full_fleet, None)
    print()
    print("| 比较 | 本次 (s) | 基准 (s) | 比值 |")
    print("|---|---:|---:|---:|")
    for name, ours, base in rows:
        print(f"| {name} | {ours:.3f} | {base:.3f} | {base / ours:.1f}× 快 |" if ours < base else f"| {name} | {ours:.3f} | {base:.3f} | {ours / base:.2f}× 慢 |")
    print(f"\n机器：{os.cpu_count()} 核；Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
