"""generators/render/typst.py: Typst runs in a compile server, never in a process that builds.

Typst's thread pool does not survive fork(): a process forked after it ran Typst hangs on its
next compile. The build forks render workers, so these tests pin down that a building process
never loads Typst itself, that a forked child compiles through a server of its own, and that a
compile error becomes a Chinese build error rather than a hang or a traceback.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from generators.render import fonts as pdf
from generators.render import typst as typst_pdf

ROOT = Path(__file__).resolve().parent.parent
DATA = {"x": 1}


def _tiny(tmp_path: Path) -> str:
    """A template that prints its data (an absolute path: render() accepts one; it stays out of
    site_templates/, whose contents are part of every build's input digest)."""
    path = tmp_path / "tiny.typ"
    path.write_text('#let d = json(sys.inputs.data)\n#set text(font: json(sys.inputs.doc).body_fonts)\n安全生产 #d.text\n', encoding="utf-8")
    return str(path)


def _render(template: str, text: str) -> typst_pdf.Rendered:
    return typst_pdf.render(template, {"text": text}, title="t", date=dt.date(2026, 3, 1), author="a", font_set=pdf.FontSet())


def test_building_process_never_loads_typst(tmp_path):
    template = _tiny(tmp_path)
    code = textwrap.dedent(f"""
        import sys
        from generators.render import fonts as pdf
        from generators.render import typst as typst_pdf
        import datetime as dt
        r = typst_pdf.render({template!r}, {{"text": "x"}}, title="t", date=dt.date(2026, 3, 1), author="a", font_set=pdf.FontSet())
        assert r.pdf.startswith(b"%PDF-") and r.pages == 1
        print("typst" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_forked_child_compiles_after_parent(tmp_path):
    template = _tiny(tmp_path)
    assert _render(template, "父进程").pdf.startswith(b"%PDF-")
    pid = os.fork()
    if pid == 0:  # the child: must get its own server, not hang on the parent's
        ok = False
        try:
            ok = _render(template, "子进程").pdf.startswith(b"%PDF-")
        finally:
            os._exit(0 if ok else 3)
    deadline = dt.datetime.now() + dt.timedelta(seconds=90)
    while dt.datetime.now() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            assert os.waitstatus_to_exitcode(status) == 0
            break
        time.sleep(0.1)
    else:
        os.kill(pid, 9)
        pytest.fail("a forked child hung compiling with Typst")
    assert _render(template, "父进程再次").pdf.startswith(b"%PDF-")  # the parent's server still answers


def test_compile_error_is_a_chinese_error_and_the_server_survives(tmp_path):
    bad = tmp_path / "bad.typ"
    bad.write_text("#let x = (\n", encoding="utf-8")
    template = _tiny(tmp_path)
    with pytest.raises(typst_pdf.TypstFailed, match="Typst 排版失败"):
        _render(str(bad), "x")
    assert _render(template, "之后").pdf.startswith(b"%PDF-")


def test_text_is_never_markup(tmp_path):
    template = _tiny(tmp_path)
    hostile = '#panic("x") $x$ *b* <lbl> @ref [a] \\ ` #read("/etc/passwd")'
    rendered = _render(template, hostile)
    text = PdfReader(io.BytesIO(rendered.pdf)).pages[0].extract_text().replace("\n", "")
    assert '#panic("x")' in text and "*b*" in text and '#read("/etc/passwd")' in text


def test_font_stacks_use_real_family_names():
    fonts = typst_pdf.typst_fonts(pdf.FontSet())
    assert fonts.body[0] == pdf.SERIF and fonts.heading[0] == pdf.SANS
    assert "serif" not in fonts.body and fonts.body[-1] == typst_pdf.SYMBOLS
    assert all(Path(p).is_dir() for p in fonts.paths)


def test_server_retires_past_its_memory_limit_and_compiles_go_on(tmp_path, monkeypatch):
    monkeypatch.setenv("ANQUAN_TYPST_MAX_RSS_MB", "1")  # every compile passes it
    monkeypatch.setattr(typst_pdf, "_servers", {})
    template = _tiny(tmp_path)
    pids = set()
    for i in range(3):
        assert _render(template, f"第{i}次").pdf.startswith(b"%PDF-")
        (server,) = typst_pdf._servers.values()
        assert server.closed and server.proc.poll() is not None  # it exited after answering
        pids.add(server.proc.pid)
    assert len(pids) == 3


@pytest.mark.parametrize("before, after, trims, retire", [
    (300_000, 300_000, 0, False),  # under the limit: the freed heap is kept for the next compile
    (500_000, 400_000, 1, False),  # over it: trimmed, and back under it, so the server stays
    (500_000, 480_000, 1, True),  # still over after trimming: the server retires
])
def test_server_trims_only_past_its_memory_limit(monkeypatch, before, after, trims, retire):
    from generators.render import typst_server

    readings = iter([before, after])
    calls = []
    monkeypatch.setattr(typst_server, "_rss_kib", lambda: next(readings))
    monkeypatch.setattr(typst_server, "trim", lambda: calls.append(1))
    assert typst_server._over(450 * 1024) is retire
    assert len(calls) == trims


def test_a_compile_that_does_not_answer_is_killed(tmp_path, monkeypatch):
    slow = tmp_path / "slow.typ"
    slow.write_text("#for i in range(400) { lorem(2000) }\n", encoding="utf-8")
    monkeypatch.setattr(typst_pdf, "_servers", {})
    monkeypatch.setattr(typst_pdf, "COMPILE_TIMEOUT_S", 0.05)
    with pytest.raises(typst_pdf.TypstFailed, match="超过"):
        _render(str(slow), "x")
    (server,) = typst_pdf._servers.values()
    assert server.closed and server.proc.poll() is not None
    monkeypatch.setattr(typst_pdf, "COMPILE_TIMEOUT_S", 600)
    assert _render(_tiny(tmp_path), "之后").pdf.startswith(b"%PDF-")
