"""The speed reference: a fresh process in which Typst typesets about 90 A4 pages of the seeds' text.

Every figure of benchmarks/bench_speed.py is a multiple of this one, timed in the same run, so
that the ratios mean the same on a fast and a slow machine (issue 16).

The text is the seeds' (/work/shared/seeds/*.txt: plain UTF-8 text extracted from the regulators'
PDF documents, with the PDF's line breaks inside sentences), joined into paragraphs and stored
as benchmarks/data/seeds.txt (`python benchmarks/reference.py --extract SEEDS_DIR` writes it
again). The source set it several times over to reach ~90 pages; each copy's paragraphs carry
the copy's number, so Typst's memo cannot reuse a paragraph laid out before (the reference
is ~90 pages of fresh typesetting). The timing itself is `typst_baseline.time_fresh_compile`:
a new process, fonts loaded and warmed on another document, one compile timed.

    python benchmarks/reference.py            # prints seconds and pages
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from typst_baseline import _esc, compiler_script, time_fresh_compile  # noqa: E402

SEEDS_TXT = HERE / "data" / "seeds.txt"
PAGES = 90
# pages one copy of seeds.txt fills with the settings below (measured: 18.7 A4 pages)
PAGES_PER_COPY = 18.7
_END = "。！？；：”）」』〕】.!?:;)"


def extract_seeds(seeds_dir: Path) -> str:
    """The seed files' text as paragraphs: a line ending inside a sentence joins the next one."""
    docs = []
    for f in sorted(seeds_dir.glob("*.txt")):
        paras, cur = [], ""
        for raw in f.read_text(encoding="utf-8").splitlines():
            line = re.sub(r"\s+", " ", raw).strip()
            if not line:
                continue
            cur += line
            if cur.endswith(tuple(_END)) or len(line) < 25:  # a sentence's end, or a title/heading line
                paras.append(cur)
                cur = ""
        if cur:
            paras.append(cur)
        docs.append("\n".join(paras))
    return "\n\n".join(docs) + "\n"


def reference_source(pages: int = PAGES, text: str | None = None) -> str:
    """Typst source of about `pages` A4 pages: seeds.txt, one heading per seed document, repeated."""
    text = text if text is not None else SEEDS_TXT.read_text(encoding="utf-8")
    docs = [d.splitlines() for d in text.strip().split("\n\n")]
    lines = [
        '#set page(paper: "a4", margin: (x: 22mm, y: 25mm), numbering: "1")',
        '#set text(font: ("Noto Serif CJK SC",), size: 10.5pt, lang: "zh")',
        '#show heading: set text(font: "Noto Sans CJK SC")',
        "#set par(justify: true, first-line-indent: (amount: 2em, all: true))",
    ]
    copies = pages / PAGES_PER_COPY  # whole copies, then the first part of one more
    copy = 0
    while copies - copy > 0:
        share = min(1.0, copies - copy)
        copy += 1
        for d, paras in enumerate(docs, 1):
            keep = paras[: max(1, round(len(paras) * share))]
            lines.append(f"= {copy}.{d} {_esc(keep[0])}")
            lines += [f"（{copy}.{d}.{i}）{_esc(p)}\n" for i, p in enumerate(keep[1:], 1)]
    return "\n".join(lines) + "\n"


def time_references(pages: int = PAGES, reps: int = 3) -> tuple[tuple[list[float], list[float]], int]:
    """The reference timed two ways, `reps` runs each, and its page count:
    - the compile alone, in a fresh process whose fonts are loaded and warmed
      (`typst_baseline.time_fresh_compile`);
    - the whole fresh process, as issue 16 measured its ~1 s reference (and MEASURED.md its
      0.9–1.2 s): Python starts, imports Typst, loads the fonts, compiles, writes the PDF."""
    from pypdf import PdfReader

    with tempfile.TemporaryDirectory(prefix="anquan-ref-") as tmp:
        src, pdf = Path(tmp) / "reference.typ", Path(tmp) / "reference.pdf"
        src.write_text(reference_source(pages), encoding="utf-8")
        compile_only, whole = [], []
        for _ in range(max(1, reps)):
            compile_only.append(time_fresh_compile(src, pdf))
            whole.append(time_whole_process(src, pdf))
        n = len(PdfReader(pdf).pages)
    return (compile_only, whole), n


def time_whole_process(source_file: Path, out: Path) -> float:
    """Wall seconds of a new Python process that imports Typst, loads the fonts, compiles
    `source_file` and writes the PDF."""
    import subprocess

    script = compiler_script() + (
        "open(sys.argv[2], 'wb').write(c.compile(input=open(sys.argv[1], 'rb').read()))\n"
    )
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", script, str(source_file), str(out)], check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--extract":
        SEEDS_TXT.write_text(extract_seeds(Path(sys.argv[2])), encoding="utf-8")
        print(f"wrote {SEEDS_TXT}")
        return
    (compile_only, whole), pages = time_references()
    for what, runs in (("the compile", compile_only), ("the whole process", whole)):
        print(f"reference, {what}: {pages} A4 pages in {statistics.median(runs):.2f} s ({', '.join(f'{r:.2f}' for r in runs)})")


if __name__ == "__main__":
    main()
