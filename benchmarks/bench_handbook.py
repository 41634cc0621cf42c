"""Benchmark: why the handbook is typeset by Typst — the real handbook vs. the same text as
the plainest WeasyPrint document, and the booklets.

Run:  .venv/bin/python benchmarks/bench_handbook.py [enterprise-dir]

Reports pages, seconds and pages per second of the real handbook (generators/outputs/handbook.py,
Typst through the compile server, warmed once as a running build would be), then renders the
same text (extracted page by page from that PDF) as a minimal WeasyPrint document — same font
and size, A4, one <p> per line, no styling, no TOC, no bookmarks — and prints the ratio: the
full handbook against bare text in the engine the handbook used before. Last, every post's
booklet in one process.
"""

from __future__ import annotations

import html
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402

from generators.load import load_or_raise  # noqa: E402
from generators.outputs import handbook  # noqa: E402
from generators.render import fonts, weasy  # noqa: E402
from generators.render import typst as typst_pdf  # noqa: E402


def plain_html(lines: list[str]) -> str:
    """The minimal document: the benchmark's control, not an output of the tool."""
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>'
        '@page { size: A4; margin: 22mm 18mm 20mm 20mm; }'
        f'body {{ font-family: "{fonts.SERIF}"; font-size: 10.5pt; line-height: 1.6; }} p {{ margin: 0; }}'
        "</style></head><body>" + body + "</body></html>"
    )


def main(argv: list[str]) -> int:
    ent_dir = Path(argv[1]) if len(argv) > 1 else ROOT / "content" / "enterprises" / "demo-transport"
    content, _ = load_or_raise(ent_dir)
    weasy.warm_up()
    font_set = fonts.fonts(content)
    typst_pdf.warm_up(font_set)

    t0 = time.perf_counter()
    posts = content.handbook_posts()
    data = handbook.handbook_data(content, posts)
    t_data = time.perf_counter() - t0
    t1 = time.perf_counter()
    rendered = handbook.render_handbook(content, data, font_set)
    t_render = time.perf_counter() - t1

    reader = PdfReader(io.BytesIO(rendered.pdf))
    lines = [ln for page in reader.pages for ln in (page.extract_text() or "").splitlines() if ln.strip()]
    chars = sum(len(ln) for ln in lines)

    from weasyprint import HTML

    t2 = time.perf_counter()
    plain = HTML(string=plain_html(lines)).write_pdf()
    t_plain = time.perf_counter() - t2
    plain_pages = len(PdfReader(io.BytesIO(plain)).pages)

    t3 = time.perf_counter()
    booklet_pages = sum(
        handbook.render_handbook(content, handbook.handbook_data(content, [p], booklet=True), font_set).pages for p in content.posts
    )
    t_booklets = time.perf_counter() - t3

    print(f"企业：{content.enterprise.name}（{len(posts)} 个岗位，{len(content.risk_points)} 个风险点）")
    print(f"handbook (Typst):     {rendered.pages} pages, {t_render:.2f} s, {rendered.pages / t_render:.1f} pages/s"
          f"  (data {t_data * 1000:.0f} ms, {len(rendered.pdf) / 1024:.0f} KiB)")
    print(f"plain WeasyPrint:     {plain_pages} pages, {t_plain:.2f} s, {plain_pages / t_plain:.1f} pages/s"
          f"  (same {chars} characters, {len(lines)} lines)")
    print(f"handbook vs plain WeasyPrint: {t_render / t_plain:.2f}x the plain document's time")
    print(f"booklets (Typst):     {len(content.posts)} files, {booklet_pages} pages, {t_booklets:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
