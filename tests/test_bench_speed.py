"""benchmarks/bench_speed.py in its smallest form: the tables it prints have their shape (the
timings themselves are the benchmark's business, not a test's)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _table(text: str, title: str) -> list[list[str]]:
    """The rows (cells) of the Markdown table under the heading `## title…`."""
    block = text.split("## " + title, 1)[1].split("\n## ", 1)[0]
    lines = [ln for ln in block.splitlines() if ln.startswith("|")]
    assert re.fullmatch(r"\|(-+|-+:|---:)(\|-+:?)*\|", lines[1].replace("---:", "--:")), lines[1]
    return [[c.strip() for c in ln.strip("|").split("|")] for ln in lines[2:]]


@pytest.mark.slow  # three small builds and a Typst compile in subprocesses: 20–50 s on two busy cores
def test_bench_speed_prints_its_tables(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), TMPDIR=str(tmp_path))
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_speed.py"), "--sizes", "2", "--only", "coverage,quiz",
         "--kinds", "coverage", "--reps", "1", "--reference-pages", "2"],
        capture_output=True, text=True, env=env, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout
    ref = re.search(r"参照：新进程中 Typst 排版种子文本 (\d+) 页 A4，([\d.]+) s", out)
    assert ref and 1 <= int(ref.group(1)) <= 4 and float(ref.group(2)) > 0
    whole = re.search(r"整个进程的参照（[^）]+）：([\d.]+) s", out)
    assert whole and float(whole.group(1)) > float(ref.group(2))  # the compile is part of the whole process
    ratios = _table(out, "对照参照的倍数")
    assert [r[0] for r in ratios] == ["demo-transport 冷构建 -j 2", "车队 2 家 -j 2，每家"]
    assert all(re.fullmatch(r"[\d.]+×", c) for r in ratios for c in r[2:4]) and [r[4] for r in ratios] == ["≤ 8×", "≤ 4×"]
    assert all(float(r[2][:-1]) >= float(r[3][:-1]) for r in ratios)
    sweep = _table(out, "车队规模与每家企业的时间")
    assert [r[0] for r in sweep] == ["2"] and sweep[0][3].endswith("×") and sweep[0][4].endswith("×")
    rebuild = _table(out, "公共内容库改动后重建")
    assert [r[0] for r in rebuild] == ["冷构建（--force）", "改一章后重建"]
    (_, cold_made, cold_kept, *_), (_, made, kept, *_) = rebuild
    assert int(cold_made) >= 4 and cold_kept == "0"  # each one's coverage sheet and quiz, made afresh
    assert made == "0" and kept == cold_made  # neither reads 通用知识: every file is carried over
    cpu = _table(out, "时间花在哪里")
    assert [r[0] for r in cpu] == ["Typst 排版服务", "LibreOffice（含其转换服务）", "Python（构建进程与工作进程）", "合计（采样）"]
    seconds = {r[0]: float(r[1]) for r in cpu}
    assert seconds["Typst 排版服务"] > 0 and seconds["Python（构建进程与工作进程）"] > 0  # the quiz is set by Typst
    assert seconds["LibreOffice（含其转换服务）"] == 0  # no notice asked for, no LibreOffice started
    assert abs(sum(list(seconds.values())[:3]) - seconds["合计（采样）"]) < 0.02
    assert all(re.fullmatch(r"\d+%", r[2]) and r[3].endswith("×") for r in cpu) and cpu[-1][2] == "100%"
    covered = re.search(r"对照：getrusage 计到的子进程每家 ([\d.]+) s CPU（采样合计是它的 (\d+)%", out)
    assert covered and float(covered.group(1)) > 0 and 50 <= int(covered.group(2)) <= 200  # orphans escape getrusage
    pages = re.search(r"每家企业的 PDF（前 (\d+) 家的平均）：Typst 排版 (\d+) 页，LibreOffice (\d+) 页", out)
    assert pages and pages.groups() == ("2", pages.group(2), "0") and int(pages.group(2)) >= 1  # the quiz's pages
    kinds = _table(out, "各类输出")
    assert [r[0] for r in kinds] == ["coverage"]
    memory = _table(out, "内存峰值")
    assert [r[0] for r in memory] == ["demo-transport -j 2", "车队 2 家 -j 2"]
    assert all(re.fullmatch(r"[1-9]\d* MiB", c) for r in memory for c in r[1:])


def test_reference_is_the_seeds_text_on_about_90_pages():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import reference

    text = reference.SEEDS_TXT.read_text(encoding="utf-8")
    assert reference.extract_seeds(Path("/work/shared/seeds")) == text if Path("/work/shared/seeds").is_dir() else True
    assert "安全生产" in text and len(text) > 25000
    source = reference.reference_source()
    # five copies of the text, each paragraph numbered by its copy: nothing Typst could reuse
    assert source.count("\n= ") == 5 * (text.count("\n\n") + 1) and "（5.1.1）" in source and "（6.1.1）" not in source
