"""Typst compile server: `python -m generators.render.typst_server FONT_PATHS_JSON`.

Reads one JSON request per line on stdin — {"template": path, "inputs": {str: str},
"timestamp": unix seconds} — and answers each with one JSON line ({"ok": true, "size": n} or
{"ok": false, "error": text}; "unsettled": true when Typst stopped laying out before what the
document reads of its own layout settled) followed, when ok, by exactly n bytes of PDF. Exits when stdin
closes (its parent has gone). See generators/render/typst.py for why this is a process of its own.

The inputs reach the template as files, not as Typst's `sys.inputs`: the server writes each
input to `/_anquan_input/<name>.json` under a compile root of its own (a temporary folder whose
entries link to the request's root) and passes `sys.inputs` = {name: that path}, the same strings
on every compile. Typst memoizes across compiles, but anything that differs in `sys.inputs` is part
of its standard library and so of nearly every memo key: with the data in sys.inputs, the second
booklet of an enterprise re-typeset the 通用知识 the first had just set. Read from a file, only
what the data changes is done again (files are re-read by content on every compile).

Typst's cache only grows: ~110 MB per handbook-sized document. When the
resident memory passes the limit (MiB, argv[2]) after a compile, the server gives its freed heap
back to the system; if it is still over, the reply says "retire": true and the server exits, and
the client starts a fresh one for the next compile.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

from generators import tempdirs
from generators.heap import trim

INPUT_DIR = "_anquan_input"


def main() -> int:
    import typst

    font_paths = json.loads(sys.argv[1]) if len(sys.argv) > 1 else []
    limit_kib = int(sys.argv[2]) * 1024 if len(sys.argv) > 2 else 0
    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=font_paths)
    compiler = typst.Compiler(font_paths=fonts, ignore_system_fonts=True)
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    own = tempdirs.mkdtemp("typst")
    try:
        return _serve(compiler, typst, requests, replies, limit_kib, own)
    finally:
        shutil.rmtree(own, ignore_errors=True)


def _root(own: Path, roots: dict[str, Path], real: str) -> Path:
    """This server's stand-in for the compile root `real`: links to its entries, and the input folder."""
    mine = roots.get(real)
    if mine is None:
        mine = roots[real] = own / f"root{len(roots)}"
        (mine / INPUT_DIR).mkdir(parents=True)
    for entry in os.listdir(real):  # again on every compile: the root may have gained an entry
        if entry != INPUT_DIR and not os.path.lexists(mine / entry):
            os.symlink(os.path.join(real, entry), mine / entry)
    return mine


def _entry(root: Path, template: str) -> Path:
    """A file in the root that includes the template (Typst wants the main file itself inside the
    root, and the template is reached through a link)."""
    entry = root / INPUT_DIR / (template.replace(os.sep, "__") + ".typ")
    if not entry.exists():
        entry.write_text(f'#include "/{Path(template).as_posix()}"\n', encoding="utf-8")
    return entry


def _serve(compiler, typst, requests, replies, limit_kib: int, own: Path) -> int:
    roots: dict[str, Path] = {}
    while True:
        line = requests.readline()
        if not line:
            return 0
        try:
            req = json.loads(line)
            root = _root(own, roots, req["root"])
            inputs = {}
            for name, text in req["inputs"].items():
                (root / INPUT_DIR / f"{name}.json").write_text(text, encoding="utf-8")
                inputs[name] = f"/{INPUT_DIR}/{name}.json"
            pdf, warnings = compiler.compile_with_warnings(
                input=str(_entry(root, os.path.relpath(req["template"], req["root"]))), root=str(root), sys_inputs=inputs,
                timestamp=int(req["timestamp"]), format="pdf",
            )
            head = {"ok": True, "size": len(pdf)}
            if any("did not converge" in w.message for w in warnings):
                head["unsettled"] = True
        except typst.TypstError as exc:
            pdf = b""
            head = {"ok": False, "error": f"{exc.message} {getattr(exc, 'diagnostic', '')}".strip()}
        except Exception as exc:  # noqa: BLE001 - the reply must always come back
            pdf = b""
            head = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        retire = _over(limit_kib)
        head["retire"] = retire
        replies.write(json.dumps(head, ensure_ascii=False).encode("utf-8") + b"\n")
        replies.write(pdf)
        replies.flush()
        if retire:
            return 0


def _over(limit_kib: int) -> bool:
    """Whether the server has passed its memory limit and should retire. What a compile freed is
    given back to the system (malloc_trim) only when the resident memory is over the limit, and
    counts against it only if it stays: trimming after every compile cost 10–20 % of the compile
    time (the next compile faults the pages in again; measured on cards, checklists and booklets)."""
    if not limit_kib or _rss_kib() <= limit_kib:
        return False
    trim()
    return _rss_kib() > limit_kib


def _rss_kib() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
