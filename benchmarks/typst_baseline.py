"""The speed anchor: the same handbook text compiled by Typst (typst-py).

`handbook_typst(content)` writes the text the handbook prints — 通用知识, every post's
responsibility list, job standard, risks, emergency handling and checklist card, and the
risk register — as a plain Typst document (A4, Noto CJK, headings, lists, tables,
an outline), so that WeasyPrint and Typst typeset the same words.
"""

from __future__ import annotations

from pathlib import Path

FONT_DIRS = ["/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype"]


def _esc(text: str) -> str:
    out = []
    for ch in str(text):
        if ch in '\\#$*_`<>@[]"~=/+-':
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out).replace("\n", " ")


def handbook_typst(content) -> str:
    ent = content.enterprise
    lines = [
        '#set page(paper: "a4", margin: (x: 22mm, y: 25mm), numbering: "1")',
        '#set text(font: ("Noto Serif CJK SC",), size: 10.5pt, lang: "zh")',
        '#show heading: set text(font: "Noto Sans CJK SC")',
        "#set par(justify: true, first-line-indent: 2em)",
        f"#align(center)[#text(size: 24pt)[{_esc(ent.name)}] \\ #text(size: 30pt)[安全生产应知应会手册]]",
        "#pagebreak()",
        "#outline()",
        "#pagebreak()",
        "= 第一部分 通用知识",
    ]
    for k in content.knowledge.values():
        lines.append(f"== {_esc(k.title)}")
        for sec in k.sections:
            lines.append(f"=== {_esc(sec.title)}")
            lines += [_esc(p) for p in sec.paragraphs]
            lines += [f"- {_esc(p)}" for p in sec.points]
            if sec.basis:
                lines.append("依据：" + _esc("；".join(sec.basis)))
            lines.append("")
    if content.handbook:
        for pid in content.handbook.extra_general:
            policy = content.policies.get(pid)
            if not policy:
                continue
            lines.append(f"== {_esc(policy.title)}")
            n = 0
            for ci, ch in enumerate(policy.chapters, 1):
                lines.append(f"=== 第{ci}章 {_esc(ch.title)}")
                for art in ch.articles:
                    n += 1
                    lines.append(f"第{n}条 {_esc(art)}")
                    lines.append("")
    lines.append("= 第二部分 专业知识")
    for post in content.handbook_posts():
        lines.append(f"== {_esc(post.name)}")
        resp = content.responsibilities.get(post.id)
        if resp:
            lines.append("=== 安全生产责任清单")
            lines.append("#table(columns: (auto, 1fr, 1fr, 1fr), [序号], [职责], [依据], [考核标准],")
            for i, d in enumerate(resp.duties, 1):
                lines.append(f"  [{i}], [{_esc(d.content)}], [{_esc('；'.join(d.basis))}], [{_esc(d.assessment)}],")
            lines.append(")")
        js = content.job_standards.get(post.id)
        if js:
            lines.append("=== 岗位作业流程标准")
            lines.append("==== 设备描述")
            for e in js.equipment:
                lines.append(f"- *{_esc(e.name)}*：{_esc(e.description)}")
            lines.append("==== 风险管控")
            for rc in js.risk_controls:
                lines.append(f"- {_esc(rc.risk)}：{_esc('；'.join(rc.measures))}")
            lines.append("==== 岗位作业流程")
            lines.append("岗前安全确认：")
            lines += [f"+ {_esc(x)}" for x in js.process.pre_checks]
            lines.append("作业流程：")
            for st in js.process.steps:
                lines.append(f"+ *{_esc(st.name)}*：{_esc(st.content)}" + (f"（{_esc(st.safety)}）" if st.safety else ""))
            lines.append("异常处置：")
            for ab in js.process.abnormal:
                lines.append(f"- {_esc(ab.situation)}：{_esc('；'.join(ab.handling))}")
            lines.append("末节工序：")
            lines += [f"+ {_esc(x)}" for x in js.process.closing]
            lines.append("==== 典型事故案例")
            for case in js.cases:
                lines.append(f"*{_esc(case.title)}* {_esc(case.summary)} 原因：{_esc('；'.join(case.causes))} 教训：{_esc('；'.join(case.lessons))}")
                lines.append("")
        risks = content.post_risks(post.id)
        if risks:
            lines.append("=== 岗位安全风险")
            lines.append("#table(columns: (auto, 1fr, 1fr, auto), [风险点], [危险有害因素], [管控措施], [等级],")
            for r in risks:
                controls = "；".join(x for _, items in r.controls.groups() for x in items)
                lines.append(f"  [{_esc(r.name)}], [{_esc('；'.join(r.hazards))}], [{_esc(controls)}], [{_esc(r.level.label)}],")
            lines.append(")")
        card = content.cards.get(post.id)
        if card:
            lines.append("=== 应急处置")
            for em in card.emergency:
                lines.append(f"- {_esc(em.situation)}：{_esc('；'.join(em.actions))}")
        for cl in content.post_checklists(post.id):
            lines.append(f"=== {_esc(cl.title)}")
            lines.append("#table(columns: (auto, 1fr, 1fr, auto), [序号], [检查内容], [依据], [频次],")
            for i, it in enumerate(cl.items, 1):
                lines.append(f"  [{i}], [{_esc(it.content)}], [{_esc(it.basis)}], [{_esc(it.frequency)}],")
            lines.append(")")
    lines.append("= 附录 安全风险点名册")
    lines.append("#table(columns: (auto, 1fr, 1fr, auto, auto), [编号], [风险点], [可能导致的事故], [评价], [等级],")
    for r in sorted(content.risk_points, key=lambda r: -int(r.level)):
        lines.append(f"  [{_esc(r.id)}], [{_esc(r.name)}], [{_esc('、'.join(r.accidents))}], [{_esc(r.assessment.formula)}], [{_esc(r.level.label)}],")
    lines.append(")")
    return "\n".join(lines) + "\n"


def compile_typst(source: str, out: Path | None = None) -> bytes:
    import typst

    data = typst.compile(source.encode("utf-8"), font_paths=[d for d in FONT_DIRS if Path(d).is_dir()])
    if out is not None:
        out.write_bytes(data)
    return data


def compiler_script() -> str:
    """Python source that imports Typst and makes `c`, a compiler with the fonts of FONT_DIRS
    loaded (`sys` imported too): the start of every fresh-process timing."""
    return (
        "import sys, typst\n"
        f"fonts = typst.Fonts(include_system_fonts=False, font_paths={[d for d in FONT_DIRS if Path(d).is_dir()]!r})\n"
        "c = typst.Compiler(font_paths=fonts, ignore_system_fonts=True)\n"
    )


def time_fresh_compile(source_file: Path, out: Path) -> float:
    """Seconds for the first compile of `source_file` in a new process whose fonts are loaded.

    Typst memoizes across compiles in a process, so a second compile of the same text is
    nearly free; the fair anchor is a fresh process, fonts loaded and warmed on another
    document (as a running tool would be), timing one compile.
    """
    import subprocess
    import sys

    script = (
        "import time\n" + compiler_script() +
        "c.compile(input='#set text(font: (\"Noto Serif CJK SC\", \"Noto Sans CJK SC\"))\\n安全 *安全*'.encode())\n"
        "src = open(sys.argv[1], 'rb').read()\n"
        "t = time.perf_counter(); pdf = c.compile(input=src); dt = time.perf_counter() - t\n"
        "open(sys.argv[2], 'wb').write(pdf); print(dt)\n"
    )
    out_text = subprocess.run([sys.executable, "-c", script, str(source_file), str(out)], check=True, capture_output=True, text=True).stdout
    return float(out_text.strip().splitlines()[-1])
