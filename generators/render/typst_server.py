"""Typst compile server: `python -m generators.render.typst_server FONT_PATHS_JSON`.

Reads one JSON request per line on stdin — {"template": path, "inputs": {str: str},
"timestamp": unix seconds} — and answers each with one JSON line ({"ok": true, "size": n} or
{"ok": false, "error": text}) followed, when ok, by exactly n bytes of PDF. Exits when stdin
closes (its parent has gone). See generators/render/typst.py for why this is a process of its own.

Typst memoizes across compiles (that is what makes the second booklet of an enterprise faster
than the first) and its cache only grows: ~110 MB per handbook-sized document. When the
resident memory passes the limit (MiB, argv[2]) after a compile, the reply says
"retire": true and the server exits; the client starts a fresh one for the next compile.
"""

from __future__ import annotations

import json
import sys


def main() -> int:
    import typst

    font_paths = json.loads(sys.argv[1]) if len(sys.argv) > 1 else []
    limit_kib = int(sys.argv[2]) * 1024 if len(sys.argv) > 2 else 0
    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=font_paths)
    compiler = typst.Compiler(font_paths=fonts, ignore_system_fonts=True)
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    while True:
        line = requests.readline()
        if not line:
            return 0
        try:
            req = json.loads(line)
            pdf = compiler.compile(
                input=req["template"], root=req["root"], sys_inputs=req["inputs"],
                timestamp=int(req["timestamp"]), format="pdf",
            )
            head = {"ok": True, "size": len(pdf)}
        except typst.TypstError as exc:
            pdf = b""
            head = {"ok": False, "error": f"{exc.message} {getattr(exc, 'diagnostic', '')}".strip()}
        except Exception as exc:  # noqa: BLE001 - the reply must always come back
            pdf = b""
            head = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        retire = bool(limit_kib) and _rss_kib() > limit_kib
        head["retire"] = retire
        replies.write(json.dumps(head, ensure_ascii=False).encode("utf-8") + b"\n")
        replies.write(pdf)
        replies.flush()
        if retire:
            return 0


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
