"""Site build time for demo-transport against a plain `mkdocs build` of the same generated Markdown.

Run: .venv/bin/python benchmarks/bench_site.py [enterprise-dir] [--date YYYY-MM-DD] [--repeat N]
Both builds run in this process after jieba is warm (as in a fleet worker). "ours" is the whole
site builder (Markdown generation, the base config, overrides, CSP, jieba user dictionary);
"plain" is stock Material with its default search on the same Markdown files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generators.load import load_or_raise  # noqa: E402
from generators.outputs import site  # noqa: E402


def plain_build(content, docs: Path, dest: Path) -> None:
    """mkdocs build of already generated Markdown with a stock config (no INHERIT, no extras)."""
    import yaml

    pages = site.plan_pages(content, set())
    cfg = site.site_config(content, docs, dest, pages, None, plain=True)
    cfg_file = docs.parent / "mkdocs-plain.yml"
    cfg_file.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with site._reproducible(content.build_date), site._clean_jieba():
        site.run_mkdocs(cfg_file)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("enterprise_dir", nargs="?", default=str(ROOT / "content" / "enterprises" / "demo-transport"))
    ap.add_argument("--date", default="2026-11-26")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    content, _ = load_or_raise(args.enterprise_dir, build_date=dt.date.fromisoformat(args.date))
    t = time.perf_counter()
    site.warm_up()
    warm = time.perf_counter() - t
    ours, plain = [], []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for i in range(args.repeat):
            t = time.perf_counter()
            site.render_site(content, work / f"ours{i}" / "site")
            ours.append(time.perf_counter() - t)
            docs = work / f"docs{i}" / "docs"
            site.write_docs(content, docs, set())
            t = time.perf_counter()
            plain_build(content, docs, work / f"plain{i}" / "site")
            plain.append(time.perf_counter() - t)
        n_pages = sum(1 for _ in (work / "ours0" / "site").rglob("index.html"))
    o, p = statistics.median(ours), statistics.median(plain)
    print(f"企业：{content.enterprise.id}，页面 {n_pages} 个，岗位 {len(content.posts)} 个，题目 {len(content.questions)} 道；jieba 预热 {warm:.2f} 秒")
    print(f"本工具生成站点（含生成 Markdown）：中位数 {o:.2f} 秒  {['%.2f' % x for x in ours]}")
    print(f"同一 Markdown 的普通 mkdocs build：中位数 {p:.2f} 秒  {['%.2f' % x for x in plain]}")
    print(f"比值（本工具 / 普通 mkdocs）：{o / p:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
