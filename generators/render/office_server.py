"""LibreOffice conversion server: `/usr/bin/python3 office_server.py WORKDIR SOFFICE_BIN`.

Runs under the system Python (Debian's python3-uno binds it, not the tool's virtual environment)
and imports nothing from the tool. It starts one headless LibreOffice (soffice.bin) with a
private profile in WORKDIR and the fontconfig file WORKDIR/fonts.conf, talks to it over a UNO
pipe, and converts documents to PDF for its parent, one request per line on stdin:

    {"src": "/path/a.docx", "dest": "/path/a.pdf"}

Each request is answered with one JSON line on stdout: {"ok": true, "pid": N} or
{"ok": false, "error": text, "pid": N} (N: the LibreOffice process that did the work); the first
line, once LibreOffice is up, is {"ready": true, "pid": N} (or {"ready": false, "error": text}).

LibreOffice is watched: if it has died since the last request it is started again before the next
one; if it dies during a conversion that one request fails (the Chinese message says so) and the
next starts a fresh LibreOffice. LibreOffice's memory grows with each document it converts (about
220 MiB after the first, 300 MiB and more after a few dozen): once its resident memory passes
ANQUAN_OFFICE_MAX_RSS_MB (default MAX_RSS_MIB) after a conversion, it is started afresh at once,
while the parent goes on with other work. LibreOffice dies with this server (PR_SET_PDEATHSIG), and the
server stops it and removes WORKDIR when stdin closes (its parent has gone) or on SIGTERM.

ANQUAN_OFFICE_TEST_CRASH (tests only): when a request's file name contains this text, the server
kills LibreOffice after loading the document, as a crash in the middle of a conversion would.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import signal
import subprocess
import sys
import time

CONNECT_TIMEOUT_S = 120  # the first start creates the profile
MAX_RSS_MIB = 280  # a fleet worker with its Typst server and this LibreOffice stays under 1 GiB
RESTART_EXIT = 81  # soffice.bin asks to be started again (first start of a new profile)


def _die_with_parent() -> None:
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Office:
    def __init__(self, workdir: str, soffice_bin: str):
        self.workdir = workdir
        self.soffice_bin = soffice_bin
        self.proc: subprocess.Popen | None = None
        self.desktop = None
        self.starts = 0
        self.pipe_name = ""

    def alive(self) -> bool:
        if self.proc is None or self.proc.poll() is not None:
            return False
        try:
            self.desktop.getCurrentComponent()  # a cheap call: fails when the bridge is gone
            return True
        except Exception:  # noqa: BLE001
            return False

    def start(self) -> None:
        import uno

        self.stop()
        self.starts += 1
        self.pipe_name = name = f"anquan-office-{os.getpid()}-{self.starts}"
        profile = uno.systemPathToFileUrl(os.path.join(self.workdir, "profile"))
        env = dict(os.environ)
        env["FONTCONFIG_FILE"] = os.path.join(self.workdir, "fonts.conf")
        env.setdefault("HOME", self.workdir)
        cmd = [self.soffice_bin, f"-env:UserInstallation={profile}", "--headless", "--invisible", "--nocrashreport", "--nodefault",
               "--nologo", "--nofirststartwizard", "--norestore", "--nolockcheck", f"--accept=pipe,name={name};urp;StarOffice.ComponentContext"]
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + CONNECT_TIMEOUT_S
        self.proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     preexec_fn=_die_with_parent)
        while True:
            try:
                ctx = resolver.resolve(f"uno:pipe,name={name};urp;StarOffice.ComponentContext")
                self.desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
                return
            except Exception:  # noqa: BLE001 - not listening yet
                code = self.proc.poll()
                if code == RESTART_EXIT:
                    self.proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                                 stderr=subprocess.DEVNULL, preexec_fn=_die_with_parent)
                elif code is not None:
                    raise RuntimeError(f"LibreOffice 启动失败（退出码 {code}）") from None
                if time.monotonic() > deadline:
                    raise RuntimeError(f"LibreOffice 启动超过 {CONNECT_TIMEOUT_S} 秒仍未就绪") from None
                time.sleep(0.1)

    def convert(self, src: str, dest: str) -> None:
        import uno
        from com.sun.star.beans import PropertyValue

        def props(**kw):
            out = []
            for key, value in kw.items():
                p = PropertyValue()
                p.Name, p.Value = key, value
                out.append(p)
            return tuple(out)

        doc = self.desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, props(Hidden=True, ReadOnly=True))
        if doc is None:
            raise ValueError("LibreOffice 无法打开该文件")
        try:
            crash = os.environ.get("ANQUAN_OFFICE_TEST_CRASH")
            if crash and crash in os.path.basename(src):
                self.proc.kill()
                self.proc.wait()
            doc.storeToURL(uno.systemPathToFileUrl(dest), props(FilterName="writer_pdf_Export", Overwrite=True))
        finally:
            try:
                doc.close(True)
            except Exception:  # noqa: BLE001 - a dead office cannot close it
                pass

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                self.desktop.terminate()
            except Exception:  # noqa: BLE001 - terminate() drops the connection it was called on
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc, self.desktop = None, None
        # LibreOffice leaves its pipe's socket file behind (always when killed)
        for folder in {"/tmp", "/var/tmp", os.environ.get("TMPDIR") or "/tmp"}:
            try:
                os.unlink(os.path.join(folder, f"OSL_PIPE_{os.getuid()}_{self.pipe_name}"))
            except OSError:
                pass


def _rss_mib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _reply(data: dict) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main() -> int:
    workdir, soffice_bin = sys.argv[1], sys.argv[2]
    office = Office(workdir, soffice_bin)
    max_rss = int(os.environ.get("ANQUAN_OFFICE_MAX_RSS_MB") or MAX_RSS_MIB)

    def finish(*_args) -> None:
        office.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        os._exit(0)

    signal.signal(signal.SIGTERM, finish)
    try:
        office.start()
        _reply({"ready": True, "pid": office.proc.pid})
    except Exception as exc:  # noqa: BLE001
        _reply({"ready": False, "error": str(exc)})
        finish()
    for line in sys.stdin:
        try:
            req = json.loads(line)
            if not office.alive():
                office.start()
        except Exception as exc:  # noqa: BLE001
            _reply({"ok": False, "error": f"LibreOffice 无法重新启动：{exc}", "pid": 0})
            continue
        pid = office.proc.pid
        try:
            office.convert(req["src"], req["dest"])
            _reply({"ok": True, "pid": pid})
            if _rss_mib(pid) > max_rss:
                try:
                    office.start()  # stops this one first
                except Exception:  # noqa: BLE001 - the next request starts it again, and says so if it cannot
                    office.stop()
        except Exception as exc:  # noqa: BLE001 - the reply must always come back
            if office.proc is None or office.proc.poll() is not None or not office.alive():
                error = "LibreOffice 进程在转换过程中意外退出，本文件未转换（下一个文件将重新启动 LibreOffice）"
                office.stop()
            else:
                error = f"LibreOffice 转换失败：{type(exc).__name__}: {getattr(exc, 'Message', '') or exc}"
            _reply({"ok": False, "error": error, "pid": pid})
    finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
