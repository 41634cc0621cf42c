"""Fleet speed (issue 16): every figure as a multiple of a reference timed in the same run.

    python benchmarks/bench_speed.py                  # reference, demo-transport, per kind, sweep 10/50/200
    python benchmarks/bench_speed.py --quick          # sweep 4/10, reference once per side
    python benchmarks/bench_speed.py --sizes 10,50 --only handbook,booklets --kinds handbook,cards

Prints, in one run:
  1. the reference (benchmarks/reference.py: a fresh process in which Typst typesets ~90 A4
     pages of the seeds' text), median of --reps runs, timed two ways: the compile alone (fonts
     loaded and warmed first), and the whole process as issue 16 measured its ~1 s reference;
     every multiple is printed against both;
  2. demo-transport, cold build with -j 2, as a multiple of the reference (goal ≤ 8×);
  3. the synthetic fleet (benchmarks/fleet_gen.py) with -j 2 at each of --sizes: time per
     enterprise as a multiple of the reference (goal ≤ 4×, the same at every size);
  4. per output kind: demo-transport `--only X -j 1 --force`, wall seconds and multiple;
  5. where the largest fleet's time goes: CPU seconds per enterprise of the Typst compile servers,
     LibreOffice and the Python build and worker processes (sampled from /proc, with getrusage's
     total of every finished child as the check), each as the multiple of the reference it would
     cost on its own, spread evenly over the -j cores; and the pages of PDF each enterprise gets;
  6. the regulator's everyday rebuild: the smallest fleet built again (no --force) after one
     chapter of the shared library gained a point: files made and kept, time per enterprise;
  7. peak memory: per worker (the worker process with its Typst server and LibreOffice, sampled
     from /proc) and of the largest single process (getrusage of the children).
`--only` narrows what the demo and fleet builds make (the cheap test runs the tables that way).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

DATE = dt.date(2026, 11, 26)
DEMO = ROOT / "content" / "enterprises" / "demo-transport"
GOAL_DEMO, GOAL_FLEET = 8.0, 4.0


TICK = os.sysconf("SC_CLK_TCK")
# The process classes of the CPU table, by what a process runs (its command line).
TYPST, OFFICE, PYTHON = "Typst 排版服务", "LibreOffice（含其转换服务）", "Python（构建进程与工作进程）"


def _proc_table() -> dict[int, tuple[int, int, float]]:
    """pid -> (parent pid, resident KiB, CPU seconds so far) of every process we can read."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            ppid, cpu = int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK  # utime + stime
            rss = 0
            with open(f"/proc/{entry}/status", encoding="ascii", errors="replace") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        rss = int(line.split()[1])
                        break
            table[int(entry)] = (ppid, rss, cpu)
        except (OSError, ValueError, IndexError):
            continue
    return table


def process_class(cmdline: str) -> str:
    """Which row of the CPU table a process counts in."""
    if "typst_server" in cmdline:
        return TYPST
    if "soffice" in cmdline or "oosplash" in cmdline or "office_server" in cmdline:
        return OFFICE
    return PYTHON


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return fh.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


class WorkerRss(threading.Thread):
    """Samples the build's process tree: the peak, over time, of each group's resident memory, a
    group being the build process itself or one of its child processes (a fleet or render worker),
    each with all its descendants (its Typst compile server, LibreOffice); and each process's CPU
    seconds, the last seen (a process that ends between two samples loses at most `every` of it)."""

    EVERY = 0.25  # seconds between samples

    def __init__(self, pid: int, every: float = EVERY):
        super().__init__(daemon=True)
        self.pid, self.every, self.peak_kib, self.single_kib = pid, every, 0, 0
        self.cpu: dict[int, tuple[str, float]] = {}  # pid -> (class, CPU seconds)
        self.stop = threading.Event()

    def _class(self, pid: int) -> str:
        """A process is Python until it runs Typst's server or LibreOffice (it was forked from a
        worker, then exec'd), and stays so: an unreadable command line (it has just ended) keeps it."""
        known = self.cpu.get(pid, (PYTHON, 0.0))[0]
        if known != PYTHON:
            return known
        cmdline = _cmdline(pid)
        return process_class(cmdline) if cmdline else known

    def cpu_by_class(self) -> dict[str, float]:
        total = {TYPST: 0.0, OFFICE: 0.0, PYTHON: 0.0}
        for cls, seconds in self.cpu.values():
            total[cls] += seconds
        return total

    def run(self) -> None:
        while not self.stop.is_set():
            table = _proc_table()
            children: dict[int, list[int]] = {}
            for pid, (ppid, _, _) in table.items():
                children.setdefault(ppid, []).append(pid)

            def subtree(pid: int) -> int:
                _, rss, cpu = table.get(pid, (0, 0, 0.0))
                self.single_kib = max(self.single_kib, rss)
                if pid in table:
                    self.cpu[pid] = (self._class(pid), cpu)
                return rss + sum(subtree(c) for c in children.get(pid, []))

            # the build process with its non-worker children (its own servers), and each worker
            # (a child that has children of its own or is a Python process) with its subtree
            if self.pid in table:
                self.cpu[self.pid] = (PYTHON, table[self.pid][2])
            self.single_kib = max(self.single_kib, table.get(self.pid, (0, 0, 0.0))[1])
            groups = [table.get(self.pid, (0, 0, 0.0))[1]]
            for c in children.get(self.pid, []):
                if children.get(c):
                    groups.append(subtree(c))
                else:
                    groups[0] += subtree(c)
            self.peak_kib = max(self.peak_kib, *groups)
            self.stop.wait(self.every)


@dataclass
class Run:
    seconds: float
    returncode: int
    worker_kib: int  # peak per worker
    single_kib: int  # peak of the largest single process
    cpu: dict[str, float]  # CPU seconds by process class (sampled)
    cpu_total: float  # CPU seconds of the build and every descendant it reaped (getrusage)
    made: int = 0  # files rendered, from the summary
    kept: int = 0  # files carried over unchanged


SUMMARY = re.compile(r"共生成 (\d+) 个文件，沿用 (\d+) 个")
# The library change of the rebuild row: one more point in a chapter of 通用知识 every industry reads.
CHANGED_CHAPTER = Path("national/knowledge/safety-culture.yaml")
CHANGED_FROM = "      - 提示标志：绿色方形，白色图形，如“紧急出口”“应急避难场所”。\n"
CHANGED_TO = CHANGED_FROM + "      - 安全标志每季度至少检查一次，破损、褪色、被遮挡的及时修复或更换。\n"


def run_build(args: list[str], force: bool = True) -> Run:
    """Run `python -m generators build ARGS` (with --force unless told): its wall seconds, return
    code, memory, CPU and summary line."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p))
    cmd = [sys.executable, "-m", "generators", "build", *args, "--date", str(DATE), "--quiet", *(["--force"] if force else [])]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = WorkerRss(proc.pid)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    sampler.stop.set()
    sampler.join()
    if proc.returncode != 0:
        print(f"构建失败（退出码 {proc.returncode}）：{' '.join(args)}\n{out[-1500:]}\n{err[-1500:]}", file=sys.stderr)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_total = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    counts = SUMMARY.search(out or "")
    made, kept = (int(counts.group(1)), int(counts.group(2))) if counts else (0, 0)
    return Run(seconds, proc.returncode, sampler.peak_kib, sampler.single_kib, sampler.cpu_by_class(), cpu_total, made, kept)


def change_library(fleet: Path) -> None:
    """The regulator's everyday rebuild: one chapter of the shared library gains a point."""
    chapter = fleet / "library" / CHANGED_CHAPTER
    text = chapter.read_text(encoding="utf-8")
    if CHANGED_FROM not in text:
        raise SystemExit(f"基准要修改的通用知识章节已变：{CHANGED_CHAPTER} 中找不到要续写的一条")
    chapter.write_text(text.replace(CHANGED_FROM, CHANGED_TO, 1), encoding="utf-8")


def pdf_pages(out: Path, limit: int = 10) -> tuple[float, float, int]:
    """Pages of PDF per enterprise in a fleet's output, over its first `limit` enterprises: set by
    Typst, by LibreOffice (the notices), and how many enterprises were counted. The site's copies
    (hard links to the same files) are not counted again."""
    from pypdf import PdfReader

    typst_pages = office_pages = 0
    folders = sorted(p for p in out.iterdir() if (p / "manifest.json").is_file())[:limit]  # not the fleet's index
    for folder in folders:
        for pdf in folder.rglob("*.pdf"):
            rel = pdf.relative_to(folder)
            if rel.parts[0] == "site":
                continue
            pages = len(PdfReader(pdf).pages)
            if rel.parts[0] == "notices":
                office_pages += pages
            else:
                typst_pages += pages
    n = max(1, len(folders))
    return typst_pages / n, office_pages / n, len(folders)


def _only(only: str | None) -> list[str]:
    return ["--only", only] if only else []


def _mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB"


def main(argv: list[str] | None = None) -> int:
    import statistics

    from reference import PAGES, time_references

    from generators.outputs import OUTPUTS

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10,50,200", help="fleet sizes of the sweep, comma-separated (default 10,50,200)")
    ap.add_argument("--quick", action="store_true", help="sweep 4,10 and the reference once (about 5 minutes)")
    ap.add_argument("--only", default="", help="outputs the demo and fleet builds make (default: all)")
    ap.add_argument("--kinds", default="", help="output kinds of the per-kind table (default: every output; 'none' skips it)")
    ap.add_argument("--reps", type=int, default=3, help="reference runs, the median counts (default 3)")
    ap.add_argument("--reference-pages", type=int, default=PAGES, help=f"pages of the reference (default {PAGES})")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="processes for the demo and fleet builds (default 2)")
    args = ap.parse_args(argv)
    sizes = [4, 10] if args.quick and args.sizes == "10,50,200" else [int(x) for x in args.sizes.split(",") if x.strip()]
    reps = 1 if args.quick else args.reps
    kinds = [] if args.kinds == "none" else [k for k in args.kinds.split(",") if k] or [o.name for o in OUTPUTS]

    (ref_runs, whole_runs), ref_pages = time_references(args.reference_pages, reps)
    ref, whole = statistics.median(ref_runs), statistics.median(whole_runs)
    print(f"参照：新进程中 Typst 排版种子文本 {ref_pages} 页 A4，{ref:.2f} s（{', '.join(f'{r:.2f}' for r in ref_runs)}）")
    print(f"整个进程的参照（启动 Python、加载 Typst 和字体、排版、写出 PDF，即 issue 16 所测的约 1 s）：{whole:.2f} s"
          f"（{', '.join(f'{r:.2f}' for r in whole_runs)}）")
    rows: list[tuple[str, float, float, str]] = []  # work, seconds, multiple, goal
    rss: list[tuple[str, int, int]] = []
    with tempfile.TemporaryDirectory(prefix="anquan-speed-") as tmp:
        tmp = Path(tmp)
        run = run_build([str(DEMO), "--out", str(tmp / "demo"), "-j", str(args.jobs), *_only(args.only)])
        rows.append((f"demo-transport 冷构建 -j {args.jobs}", run.seconds, run.seconds / ref, f"≤ {GOAL_DEMO:g}×"))
        rss.append((f"demo-transport -j {args.jobs}", run.worker_kib, run.single_kib))

        from fleet_gen import make_fleet

        sweep: list[tuple[int, float, float]] = []
        largest: tuple[int, Run, tuple[float, float, int]] | None = None
        rebuild: tuple[int, Run, Run] | None = None
        for k in sizes:
            fleet = tmp / f"fleet-{k}"
            make_fleet(k, fleet)
            out = tmp / f"fleet-out-{k}"
            run = run_build(["--all", str(fleet), "--out", str(out), "-j", str(args.jobs), *_only(args.only)])
            sweep.append((k, run.seconds, run.seconds / k))
            rss.append((f"车队 {k} 家 -j {args.jobs}", run.worker_kib, run.single_kib))
            if k == max(sizes):
                rows.append((f"车队 {k} 家 -j {args.jobs}，每家", run.seconds / k, run.seconds / k / ref, f"≤ {GOAL_FLEET:g}×"))
                largest = (k, run, pdf_pages(out))
            if k == min(sizes):  # then the shared library changes, and the fleet is built again
                change_library(fleet)
                again = run_build(["--all", str(fleet), "--out", str(out), "-j", str(args.jobs), *_only(args.only)], force=False)
                rebuild = (k, run, again)

        per_kind: list[tuple[str, float, float]] = []
        for kind in kinds:
            run = run_build([str(DEMO), "--out", str(tmp / f"kind-{kind}"), "-j", "1", "--only", kind])
            per_kind.append((kind, run.seconds, run.seconds / ref))

    what = f"只生成 {args.only}" if args.only else "全部输出"
    print(f"\n## 对照参照的倍数（{what}）\n")
    print("| 工作 | 时间 (s) | 参照的倍数 | 整个进程参照的倍数 | 目标 |")
    print("|---|---:|---:|---:|---:|")
    for name, secs, mult, goal in rows:
        print(f"| {name} | {secs:.2f} | {mult:.1f}× | {secs / whole:.1f}× | {goal} |")
    print("\n## 车队规模与每家企业的时间\n")
    print("| 企业数 | 总时间 (s) | 每家 (s) | 参照的倍数 | 整个进程参照的倍数 |")
    print("|---:|---:|---:|---:|---:|")
    for k, secs, each in sweep:
        print(f"| {k} | {secs:.1f} | {each:.2f} | {each / ref:.1f}× | {each / whole:.1f}× |")
    if rebuild is not None:
        k, cold, again = rebuild
        print(f"\n## 公共内容库改动后重建（车队 {k} 家 -j {args.jobs}）\n")
        print(f"通用知识 `{CHANGED_CHAPTER}` 增加一条后，不加 --force 再构建：只重新生成读到这一章的文件，其余沿用。\n")
        print("| 构建 | 生成 | 沿用 | 时间 (s) | 每家 (s) | 参照的倍数 | 整个进程参照的倍数 |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for name, r in (("冷构建（--force）", cold), ("改一章后重建", again)):
            each = r.seconds / k
            print(f"| {name} | {r.made} | {r.kept} | {r.seconds:.1f} | {each:.2f} | {each / ref:.1f}× | {each / whole:.1f}× |")
    if largest is not None:
        k, run, (typst_pages, office_pages, counted) = largest
        print(f"\n## 时间花在哪里（车队 {k} 家 -j {args.jobs}，每家企业的 CPU）\n")
        print(f"| 进程 | CPU (s) | 占比 | 独占 {args.jobs} 核时参照的倍数 | 整个进程参照的倍数 |")
        print("|---|---:|---:|---:|---:|")
        sampled = sum(run.cpu.values())
        for cls, cpu in [*run.cpu.items(), ("合计（采样）", sampled)]:
            each = cpu / k
            print(f"| {cls} | {each:.2f} | {cpu / sampled if sampled else 0:.0%} | {each / args.jobs / ref:.1f}× | {each / args.jobs / whole:.1f}× |")
        print(f"\n对照：getrusage 计到的子进程每家 {run.cpu_total / k:.2f} s CPU（采样合计是它的 "
              f"{sampled / run.cpu_total if run.cpu_total else 0:.0%}；getrusage 只计被父进程等到结束的进程，"
              f"采样每个进程最后 {WorkerRss.EVERY:g} s 内的 CPU 可能漏计）。")
        print(f"“独占 {args.jobs} 核时参照的倍数”：这类进程的 CPU 平分到 {args.jobs} 个核上所需的时间，是参照的几倍；"
              f"单这一类就超过目标 {GOAL_FLEET:g}× 时，其余各类再快也达不到目标。")
        print(f"每家企业的 PDF（前 {counted} 家的平均）：Typst 排版 {typst_pages:.0f} 页，LibreOffice {office_pages:.0f} 页；"
              f"参照排版 {ref_pages} 页，即每家的 Typst 页数是参照的 {typst_pages / ref_pages:.1f} 倍。")
    if per_kind:
        print("\n## 各类输出（demo-transport，--only X -j 1）\n")
        print("| 输出 | 时间 (s) | 参照的倍数 |")
        print("|---|---:|---:|")
        for kind, secs, mult in per_kind:
            print(f"| {kind} | {secs:.2f} | {mult:.1f}× |")
    print("\n## 内存峰值\n")
    print("| 构建 | 每个工作进程（含 Typst/LibreOffice 子进程） | 最大的单个进程 |")
    print("|---|---:|---:|")
    for name, worker, single in rss:
        print(f"| {name} | {_mib(worker)} | {_mib(single)} |")
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB, every process this run waited for
    print(f"\n整个运行中最大的单个进程（getrusage）：{_mib(largest)}")
    print(f"机器：{os.cpu_count()} 核；负载 {', '.join(f'{x:.1f}' for x in os.getloadavg())}；Python {sys.version.split()[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
