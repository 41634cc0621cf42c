"""Typst for the handbook, booklets, risk cards, checklists and exam papers.

Typst typesets the ~130-page handbook about ten times faster than WeasyPrint (see
benchmarks/bench_build.py); the one-page cards fit themselves to A4 inside the template.

Typst's Rust side keeps a thread pool. A process forked after it has run Typst deadlocks on
its next compile, and the build forks render workers. So Typst never runs inside a building
process: each process that needs it starts `python -m generators.render.typst_server` (a fresh exec,
not a fork) and sends it requests over a pipe. The server loads the fonts once, answers every
compile of that process, and exits when the pipe closes.

Content never becomes Typst markup: the template reads the data as JSON (`json(sys.inputs.data)`,
a file the server writes; see typst_server.py for why not the JSON itself) and places every
string as text.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import re
import select
import subprocess
import sys
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import paths
from ..zh import cn_number
from .fonts import FontSet
from .weasy import Rendered

# Folders with the fonts the stacks name (Debian's fonts-noto-cjk, fonts-arphic-ukai,
# fonts-lxgw-wenkai, fonts-dejavu); Typst's own embedded fonts are always available.
SYSTEM_FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype")
GENERIC = {"serif", "sans-serif", "monospace"}
SYMBOLS = "DejaVu Sans"  # ☐ ★ and other symbols Noto CJK lacks
CN_NUMERALS = 200
# A server whose resident memory passes this after a compile gives its freed heap back, and retires
# if it is still over (its Typst cache only grows). The server otherwise keeps the heap it freed:
# with one compile's growth on top, a worker (~200 MiB), its Typst server and LibreOffice (restarted
# past office_server.MAX_RSS_MIB, 280 MiB) stay under 1 GiB.
MAX_RSS_MIB = 440  # ANQUAN_TYPST_MAX_RSS_MB overrides
# A compile that has not answered by then is killed (a handbook takes about one second).
COMPILE_TIMEOUT_S = 600


class TypstFailed(RuntimeError):
    """A compile that did not produce a PDF (the message is Chinese, for the build report)."""


class LayoutUnsettled(TypstFailed):
    """Typst stopped laying the document out (it does so five times at most) before what the
    document reads of its own layout (page counts, positions) settled; raised only when asked."""


@lru_cache(maxsize=32)
def _family_of(path: str) -> str | None:
    """The family name Typst will know a font file by (typographic family, else family)."""
    try:
        from fontTools.ttLib import TTFont

        font = TTFont(path, fontNumber=0, lazy=True)
        name = font["name"]
        return name.getBestFamilyName()
    except Exception:  # noqa: BLE001 - an unreadable font is reported by fonts.fonts() already
        return None


@dataclass(frozen=True)
class TypstFonts:
    paths: tuple[str, ...]
    body: tuple[str, ...]
    heading: tuple[str, ...]


def typst_fonts(font_set: FontSet) -> TypstFonts:
    """The FontSet's stacks with real family names (Typst has no @font-face aliases)."""
    alias: dict[str, str] = {}
    files: list[str] = []
    for face in font_set.faces:
        path = face.url.removeprefix("file://")
        family = _family_of(path)
        if family:
            alias[face.family] = family
            files.append(path)

    def stack(names: tuple[str, ...]) -> tuple[str, ...]:
        out = [alias.get(n, n) for n in names if n not in GENERIC]
        return tuple(dict.fromkeys([*out, SYMBOLS]))

    dirs = tuple(d for d in SYSTEM_FONT_DIRS if Path(d).is_dir())
    return TypstFonts(paths=dirs + tuple(sorted(set(files))), body=stack(font_set.body), heading=stack(font_set.heading))


def _server_env() -> dict[str, str]:
    """The server imports this package: make sure it finds the same copy (source tree or install)."""
    package_parent = str(paths.import_root())
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH", "")) if p)
    return env


class _Server:
    """One compile server per (process, font paths)."""

    def __init__(self, font_paths: tuple[str, ...]):
        self.lock = threading.Lock()
        self.closed = False
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "generators.render.typst_server", json.dumps(list(font_paths)),
             os.environ.get("ANQUAN_TYPST_MAX_RSS_MB", str(MAX_RSS_MIB))],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env=_server_env(), close_fds=True,
        )

    def compile(self, request: dict[str, Any]) -> bytes:
        return self.compile_reply(request)[0]

    def compile_reply(self, request: dict[str, Any]) -> tuple[bytes, dict[str, Any]]:
        """The PDF and the reply's head (see typst_server.py)."""
        with self.lock:
            assert self.proc.stdin is not None and self.proc.stdout is not None
            try:
                self.proc.stdin.write(json.dumps(request, ensure_ascii=False).encode("utf-8") + b"\n")
                self.proc.stdin.flush()
                if not select.select([self.proc.stdout], [], [], COMPILE_TIMEOUT_S)[0]:
                    self.proc.kill()
                    self.close()
                    raise TypstFailed(f"Typst 排版超过 {COMPILE_TIMEOUT_S} 秒未完成，已中止（内容是否异常庞大？）")
                head = self.proc.stdout.readline()
                if not head:
                    raise BrokenPipeError
                reply = json.loads(head)
                data = self.proc.stdout.read(reply["size"]) if reply.get("ok") else b""
            except (BrokenPipeError, ValueError, KeyError) as exc:
                self.close()
                hint = "" if importlib.util.find_spec("typst") else "（未安装 typst：请运行 bash scripts/setup.sh 或 pip install typst）"
                raise TypstFailed(f"Typst 排版进程意外退出，未生成 PDF{hint}") from exc
        if reply.get("retire"):
            self.close()
        if not reply.get("ok"):
            raise TypstFailed(f"Typst 排版失败：{reply.get('error', '')}")
        if len(data) != reply["size"]:
            self.close()
            raise TypstFailed("Typst 排版进程意外退出，PDF 不完整")
        return data, reply

    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        self.closed = True
        try:
            if self.proc.stdin:
                self.proc.stdin.close()
            self.proc.wait(timeout=5)
        except Exception:  # noqa: BLE001
            self.proc.kill()


_servers: dict[tuple[int, tuple[str, ...]], _Server] = {}


def _server(font_paths: tuple[str, ...]) -> _Server:
    key = (os.getpid(), font_paths)  # a forked child starts its own: never share the parent's pipe
    server = _servers.get(key)
    if server is None or server.closed or not server.alive():
        server = _servers[key] = _Server(font_paths)
    return server


def shutdown() -> None:
    """Stop this process's compile servers (they also stop by themselves when it exits)."""
    for key in [k for k in _servers if k[0] == os.getpid()]:
        _servers.pop(key).close()


def warm_up(font_set: FontSet | None = None) -> None:
    """Start this process's compile server and load its fonts (a trivial compile)."""
    fonts = typst_fonts(font_set or FontSet())
    _server(fonts.paths).compile({
        "template": str(paths.templates() / "typst" / "warm.typ"), "root": str(paths.templates() / "typst"),
        "inputs": {"fonts": json.dumps(list(fonts.body + fonts.heading))}, "timestamp": 0,
    })


def version() -> str:
    """typst-py's version, part of every Typst job's key (a new Typst may set text differently)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return "typst " + dist_version("typst")
    except PackageNotFoundError:
        return "typst"


_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def render(
    template: str,
    data: dict[str, Any],
    *,
    title: str,
    date: dt.date,
    author: str,
    font_set: FontSet,
    subject: str = "",
    keywords: list[str] | None = None,
    settled: bool = False,
) -> Rendered:
    """Compile `template` (relative to site_templates/) with `data` to PDF bytes.

    The document date (creation and modification) is `date` at 00:00 UTC (Typst writes UTC; so
    the PDF shows the build date itself), so the same input gives the same bytes. `settled`: raise
    LayoutUnsettled when Typst gave up laying out a template that decides by its own layout.
    """
    fonts = typst_fonts(font_set)
    doc = {"title": title, "author": author, "subject": subject, "keywords": keywords or [],
           "body_fonts": list(fonts.body), "heading_fonts": list(fonts.heading)}
    payload = dict(data, cn=[cn_number(i) if i else "零" for i in range(CN_NUMERALS)])
    stamp = dt.datetime(date.year, date.month, date.day, tzinfo=dt.timezone.utc)
    path = paths.templates() / template
    # site_templates/ is the root, so templates read the sign drawings as "/signs/<file>.svg"
    root = paths.templates() if path.resolve().is_relative_to(paths.templates().resolve()) else path.parent
    pdf, reply = _server(fonts.paths).compile_reply({
        "template": str(path), "root": str(root),
        "inputs": {"data": json.dumps(payload, ensure_ascii=False), "doc": json.dumps(doc, ensure_ascii=False)},
        "timestamp": int(stamp.timestamp()),
    })
    if settled and reply.get("unsettled"):
        raise LayoutUnsettled(f"Typst 未能在五次排版内定稿：{template}")
    return Rendered(pdf, len(_PAGE.findall(pdf)))


__all__ = ["LayoutUnsettled", "TypstFailed", "TypstFonts", "render", "shutdown", "typst_fonts", "version", "warm_up"]
