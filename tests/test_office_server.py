"""One LibreOffice per process (generators/render/office_server.py through
generators.render.libreoffice): conversions share it, a killed LibreOffice is started again for the
next file, a crash in the middle of a conversion fails that one file with a Chinese message, a forked
child starts its own and stops it when it exits."""

from __future__ import annotations

import io
import multiprocessing
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from generators.render import libreoffice as L
from generators.tempdirs import running

pytestmark = [pytest.mark.slow, pytest.mark.skipif(L.soffice_bin() is None or L.uno_python() is None, reason="LibreOffice 或 python3-uno 未安装")]
CRASH = "crash-here"


def _docx(text: str) -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _convert(text: str, name: str = "doc") -> str:
    pdf = L.libreoffice_pdf(_docx(text), name, {}, [])
    assert pdf.startswith(b"%PDF")
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True).stdout.decode()


def _gone(pid: int, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not running(pid):
            return True
        time.sleep(0.1)
    return False


@pytest.fixture(scope="module", autouse=True)
def fresh_server():
    L.shutdown()
    os.environ["ANQUAN_OFFICE_TEST_CRASH"] = CRASH  # read by the server when it starts
    yield
    L.shutdown()
    os.environ.pop("ANQUAN_OFFICE_TEST_CRASH", None)


def test_conversions_share_one_libreoffice():
    assert "第一份" in _convert("第一份文件")
    server = L.office_server(next(iter(L._servers.values())).fonts_conf)
    first = server.pid
    assert running(first)
    assert "第二份" in _convert("第二份文件 <&>")
    assert L._servers[os.getpid()] is server and server.pid == first


def test_killed_libreoffice_is_started_again_for_the_next_file():
    _convert("启动")
    server = L._servers[os.getpid()]
    old = server.pid
    os.kill(old, signal.SIGKILL)
    assert _gone(old)
    assert "重新启动之后" in _convert("重新启动之后")
    assert server.pid != old and running(server.pid)
    assert L._servers[os.getpid()] is server  # the same server process restarted its LibreOffice


def test_crash_during_a_conversion_fails_that_file_only():
    _convert("之前")
    server = L._servers[os.getpid()]
    old = server.pid
    with pytest.raises(L.ConversionError, match="LibreOffice 进程在转换过程中意外退出，本文件未转换"):
        L.libreoffice_pdf(_docx("崩溃"), f"a-{CRASH}", {}, [])
    assert not running(old)
    assert "之后" in _convert("之后")
    assert server.pid != old


def _child(queue) -> None:
    text = _convert("子进程")
    server = L._servers[os.getpid()]
    queue.put((text, server.pid, server.proc.pid, {p for p in L._servers}))


def test_forked_child_starts_its_own_and_stops_it_on_exit():
    _convert("父进程")
    parent = L._servers[os.getpid()]
    parent_office = parent.pid
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_child, args=(queue,))
    child.start()
    text, child_office, child_server, keys = queue.get(timeout=300)
    child.join(60)
    assert "子进程" in text
    assert child_office != parent_office and child_server != parent.proc.pid
    assert child.pid in keys
    assert _gone(child_office) and _gone(child_server)  # stopped when the child exited
    assert running(parent_office)  # the parent's is untouched and still serves it
    assert "父进程之后" in _convert("父进程之后") and parent.pid == parent_office


def test_killed_server_takes_its_libreoffice_along_and_a_new_one_starts():
    _convert("之前")
    server = L._servers[os.getpid()]
    office = server.pid
    server.proc.kill()
    server.proc.wait()
    assert _gone(office)  # LibreOffice dies with its server (PR_SET_PDEATHSIG): nothing is left behind
    assert "新的服务" in _convert("新的服务")
    assert L._servers[os.getpid()] is not server and running(L._servers[os.getpid()].pid)
    assert not server.workdir.exists()  # its profile and fontconfig file are removed all the same
    assert not list(Path("/tmp").glob(f"OSL_PIPE_*_anquan-office-{server.proc.pid}-*"))  # and LibreOffice's pipe


def test_started_early_the_first_conversion_uses_it():
    L.shutdown()
    L.profile_template(L.soffice_bin())  # made once: without it start_office leaves the start to the conversion
    L.start_office(L.fontconfig_text({}, []))
    server = L._servers[os.getpid()]
    assert server.pid is None  # not waited for
    L.start_office(L.fontconfig_text({}, []))  # again: the same one
    assert L._servers[os.getpid()] is server
    assert "提前启动" in _convert("提前启动")
    assert L._servers[os.getpid()] is server and running(server.pid)


def test_a_server_killed_while_starting_is_replaced_at_the_first_conversion():
    L.shutdown()
    L.start_office(L.fontconfig_text({}, []))
    server = L._servers[os.getpid()]
    server.proc.kill()
    server.proc.wait()
    assert "启动中被终止" in _convert("启动中被终止")
    assert L._servers[os.getpid()] is not server and running(L._servers[os.getpid()].pid)
    assert not server.workdir.exists()


def test_another_font_configuration_stops_a_starting_server_and_starts_its_own():
    L.shutdown()
    L.start_office(L.fontconfig_text({"某字体": "Noto Serif CJK SC"}, []))
    server = L._servers[os.getpid()]
    assert "另一配置" in _convert("另一配置")  # another fontconfig file: a new LibreOffice
    assert server.proc.poll() is not None and not server.workdir.exists()
    assert L._servers[os.getpid()] is not server


def test_libreoffice_past_its_memory_limit_is_started_afresh(monkeypatch):
    L.shutdown()
    monkeypatch.setenv("ANQUAN_OFFICE_MAX_RSS_MB", "1")  # every LibreOffice passes it after a conversion
    try:
        assert "甲" in _convert("甲文件")
        server = L._servers[os.getpid()]
        first = server.pid
        assert _gone(first)  # stopped after it answered, a new one started
        assert "乙" in _convert("乙文件")
        assert L._servers[os.getpid()] is server and server.pid != first  # same server, another LibreOffice
    finally:
        L.shutdown()
