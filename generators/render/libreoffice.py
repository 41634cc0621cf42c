"""LibreOffice (headless) converts a .docx to PDF: a private profile per process, a generated
fontconfig file that maps font names to installed families, and fixed PDF metadata so that two
conversions of the same document give the same bytes."""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import html
import io
import json
import multiprocessing.util
import os
import re
import select
import shutil
import subprocess
import tempfile
import threading
import zlib
from functools import lru_cache
from pathlib import Path

from .. import paths, tempdirs


def escape(text: str) -> str:
    """XML character data (as xml.sax.saxutils.escape, which imports urllib.request: ~70 ms)."""
    return html.escape(text, quote=False)


LO_TIMEOUT = 180  # seconds for one conversion (first start creates the profile)

# The build's lane for LibreOffice conversions: one worker converts them all, with one LibreOffice
# (starting one costs about 3 s).
LANE = "libreoffice"


def soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    return None


@lru_cache(maxsize=None)
def installed(family: str, config: str | None = None) -> bool:
    """Whether fontconfig knows a font of exactly this family."""
    if not shutil.which("fc-list"):
        return False
    env = dict(os.environ)
    if config:
        env["FONTCONFIG_FILE"] = config
    try:
        out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=30, env=env).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    names = {name.strip() for line in out.splitlines() for name in line.split(",")}
    return family in names


def fontconfig_file(folder: Path, aliases: dict[str, str], font_dirs: list[Path], weights: dict[str, str] | None = None) -> Path:
    """A fontconfig file (fontconfig_text) in `folder`."""
    path = folder / "fonts.conf"
    path.write_text(fontconfig_text(aliases, font_dirs, weights), encoding="utf-8")
    return path


def fontconfig_text(aliases: dict[str, str], font_dirs: list[Path], weights: dict[str, str] | None = None) -> str:
    """A fontconfig file's text: the font folders, each alias (name → family) and, for the names
    in `weights`, the weight of the family to take (a fontconfig constant such as "bold")."""
    lines = ['<?xml version="1.0"?>', '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">', "<fontconfig>"]
    for d in font_dirs:
        lines.append(f"  <dir>{escape(str(d))}</dir>")
    weights = weights or {}
    for name, sub in sorted(aliases.items()):
        if name in weights:
            lines.append(f'  <match target="pattern"><test name="family"><string>{escape(name)}</string></test>'
                         f'<edit name="family" mode="assign" binding="same"><string>{escape(sub)}</string></edit>'
                         f'<edit name="weight" mode="assign" binding="same"><const>{escape(weights[name])}</const></edit></match>')
            continue
        lines.append(f'  <alias binding="same"><family>{escape(name)}</family><prefer><family>{escape(sub)}</family></prefer></alias>')
    lines.append('  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>')
    lines.append("</fontconfig>")
    return "\n".join(lines) + "\n"


_PROFILE: Path | None = None


def _profile() -> Path:
    """One LibreOffice user profile per process for the cold conversions (no UNO)."""
    global _PROFILE
    if _PROFILE is None or not _PROFILE.exists():
        _PROFILE = tempdirs.mkdtemp("lo")
        atexit.register(shutil.rmtree, str(_PROFILE), True)  # the main process; workers skip atexit:
        multiprocessing.util.Finalize(None, shutil.rmtree, args=(str(_PROFILE), True), exitpriority=0)
    return _PROFILE


class ConversionError(RuntimeError):
    pass


# ------------------------------------------------------------------ one LibreOffice per process

SERVER_SCRIPT = paths.package_dir() / "render" / "office_server.py"  # run by path: the system Python has none of our dependencies
UNO_PYTHONS = ("/usr/bin/python3",)  # Debian's python3-uno binds the system Python; ANQUAN_UNO_PYTHON overrides
START_TIMEOUT = 180  # seconds until LibreOffice answers (the first start creates the profile)


@lru_cache(maxsize=None)
def uno_python() -> str | None:
    """A Python that can `import uno` (python3-uno), or None: then every conversion starts LibreOffice cold."""
    override = os.environ.get("ANQUAN_UNO_PYTHON")
    for exe in ([override] if override is not None else UNO_PYTHONS):
        if not exe or not Path(exe).is_file():
            continue
        try:
            if subprocess.run([exe, "-c", "import uno"], capture_output=True, timeout=30).returncode == 0:
                return exe
        except (OSError, subprocess.SubprocessError):
            continue
    return None


def soffice_bin() -> str | None:
    exe = soffice()
    if exe is None:
        return None
    path = Path(os.path.realpath(exe)).with_name("soffice.bin")
    return str(path) if path.is_file() else None


def _version_key(soffice: str) -> str:
    """Which LibreOffice this is, without starting it: its versionrc and soffice.bin's size and time."""
    program = Path(soffice).parent
    parts = [str(program)]
    for f in (program / "versionrc", Path(soffice)):
        try:
            st = f.stat()
            parts.append(f"{f.name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{f.name}:-")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _template_path(soffice: str) -> Path:
    return Path(tempfile.gettempdir()) / f"anquan-lo-profile-{os.getuid()}-{_version_key(soffice)}"


def profile_template(soffice: str) -> Path | None:
    """A LibreOffice user profile made once per LibreOffice version and user (soffice.bin
    --terminate_after_init), which each new server copies so that its LibreOffice does not create
    one on its first start; None when it cannot be made (then LibreOffice makes its own)."""
    final = _template_path(soffice)
    if (final / "user" / "registrymodifications.xcu").is_file():
        return final
    tmp = Path(tempfile.mkdtemp(prefix="anquan-lo-template-"))
    try:
        env = dict(os.environ)
        env.setdefault("HOME", str(tmp))
        cmd = [soffice, f"-env:UserInstallation={(tmp / 'profile').as_uri()}", "--headless", "--terminate_after_init",
               "--norestore", "--nologo", "--nodefault", "--nolockcheck", "--nocrashreport"]
        for _ in range(2):  # a new profile may ask for one restart (exit code 81)
            code = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=START_TIMEOUT, env=env).returncode
            if code != 81:
                break
        if code != 0 or not (tmp / "profile" / "user" / "registrymodifications.xcu").is_file():
            return None
        try:
            os.rename(tmp / "profile", final)  # atomic: a concurrent worker's template wins or ours does
        except OSError:
            pass
        return final if (final / "user" / "registrymodifications.xcu").is_file() else None
    except (OSError, subprocess.SubprocessError):
        return None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


class OfficeServer:
    """This process's LibreOffice: `office_server.py` under the system Python, which keeps one
    headless LibreOffice (with its own profile and fontconfig file) for every conversion of the
    process. `pid` is the LibreOffice process (it changes when the server had to restart it)."""

    def __init__(self, fonts_conf: str, python: str, soffice: str, template: Path | None = None, wait: bool = True):
        self.lock = threading.Lock()
        self.template = template
        self.pid: int | None = None  # None until LibreOffice has answered (`ready`)
        self.closed = False
        self.owner = os.getpid()
        self.fonts_conf = fonts_conf
        self.workdir = workdir = tempdirs.mkdtemp("office")
        (workdir / "fonts.conf").write_text(fonts_conf, encoding="utf-8")
        if template is not None:
            try:
                shutil.copytree(template, workdir / "profile", symlinks=True)
            except OSError:
                shutil.rmtree(workdir / "profile", ignore_errors=True)
        self.proc = subprocess.Popen([python, str(SERVER_SCRIPT), str(workdir), soffice], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, close_fds=True, text=True, encoding="utf-8")
        if wait:
            self.ready()

    def ready(self) -> None:
        """Wait until LibreOffice has started (the server's first line), if not yet done."""
        if self.pid is not None:
            return
        with self.lock:
            if self.pid is not None:
                return
            hello = self._read(START_TIMEOUT, "启动")
            if not hello.get("ready"):
                self.close()
                raise ConversionError(f"LibreOffice 启动失败：{hello.get('error', '')}")
            self.pid = hello["pid"]

    def _read(self, timeout: float, what: str) -> dict:
        assert self.proc.stdout is not None
        if not select.select([self.proc.stdout], [], [], timeout)[0]:
            self.kill()
            raise ConversionError(f"LibreOffice {what}超时（{int(timeout)} 秒），已中止；下一个文件将重新启动 LibreOffice")
        line = self.proc.stdout.readline()
        if not line:
            self.kill()
            raise ConversionError("LibreOffice 转换进程意外退出，本文件未转换；下一个文件将重新启动 LibreOffice")
        return json.loads(line)

    def convert(self, src: Path, dest: Path) -> None:
        self.ready()
        with self.lock:
            assert self.proc.stdin is not None
            try:
                self.proc.stdin.write(json.dumps({"src": str(src), "dest": str(dest)}, ensure_ascii=False) + "\n")
                self.proc.stdin.flush()
            except (BrokenPipeError, OSError) as exc:
                self.kill()
                raise ConversionError("LibreOffice 转换进程意外退出，本文件未转换；下一个文件将重新启动 LibreOffice") from exc
            reply = self._read(LO_TIMEOUT, "转换")
        self.pid = reply.get("pid") or self.pid
        if not reply.get("ok"):
            raise ConversionError(reply.get("error") or "LibreOffice 转换失败")

    def alive(self) -> bool:
        return not self.closed and self.proc.poll() is None

    def kill(self) -> None:
        """Stop at once (a hung or broken server): LibreOffice dies with it."""
        self.closed = True
        self.proc.kill()
        self.proc.wait()
        self._remove_leftovers()

    def close(self) -> None:
        """Stop: the server stops LibreOffice and removes its profile when its stdin closes."""
        if self.pid is None and self.proc.poll() is None:  # still starting: it would read its stdin only once started
            self.kill()
            return
        self.closed = True
        try:
            if self.proc.stdin:
                self.proc.stdin.close()
            self.proc.wait(timeout=20)
        except Exception:  # noqa: BLE001
            self.proc.kill()
            self.proc.wait()
        self._remove_leftovers()

    def _remove_leftovers(self) -> None:
        """What a killed server could not remove: its profile folder and LibreOffice's pipe sockets."""
        shutil.rmtree(self.workdir, ignore_errors=True)
        for folder in {"/tmp", "/var/tmp", os.environ.get("TMPDIR") or "/tmp"}:
            for sock in Path(folder).glob(f"OSL_PIPE_{os.getuid()}_anquan-office-{self.proc.pid}-*"):
                sock.unlink(missing_ok=True)


_servers: dict[int, OfficeServer] = {}
_exit_hooks: set[int] = set()


def office_server(fonts_conf: str) -> OfficeServer | None:
    """This process's LibreOffice for `fonts_conf`, started on first use (or by `start_office`),
    or None without python3-uno.

    One per process: a forked child never uses its parent's (keyed by pid); a different font
    configuration stops the old one first, so a worker holds at most one LibreOffice."""
    python, exe = uno_python(), soffice_bin()
    if python is None or exe is None:
        return None
    server = _server(fonts_conf, python, exe)
    try:
        server.ready()
    except ConversionError:
        _servers.pop(os.getpid(), None)
        if server.template is None:
            raise
        server = _register(OfficeServer(fonts_conf, python, exe))  # the copied profile did not work: LibreOffice makes its own
    return server


def start_office(fonts_conf: str) -> None:
    """Start this process's LibreOffice for `fonts_conf` without waiting for it, so that its start
    overlaps other work; the first conversion (office_server) waits for it. Nothing without
    LibreOffice or python3-uno, or when the profile template is still to be made (that waits)."""
    python, exe = uno_python(), soffice_bin()
    if python is None or exe is None or not _template_made(exe):
        return
    try:
        _server(fonts_conf, python, exe)
    except (OSError, ConversionError):
        pass  # the first conversion starts one and reports what goes wrong


def _server(fonts_conf: str, python: str, exe: str) -> OfficeServer:
    """This process's server for `fonts_conf`, started (without waiting) when there is none."""
    pid = os.getpid()
    server = _servers.get(pid)
    if server is not None and (server.fonts_conf != fonts_conf or not server.alive()):
        _servers.pop(pid).close()
        server = None
    if server is None:
        server = _register(OfficeServer(fonts_conf, python, exe, profile_template(exe), wait=False))
    return server


def _template_made(soffice: str) -> bool:
    return (_template_path(soffice) / "user" / "registrymodifications.xcu").is_file()


def _register(server: OfficeServer) -> OfficeServer:
    pid = os.getpid()
    _servers[pid] = server
    if pid not in _exit_hooks:  # atexit for the main process, Finalize for multiprocessing workers (they skip atexit)
        _exit_hooks.add(pid)
        atexit.register(shutdown)
        multiprocessing.util.Finalize(None, shutdown, exitpriority=10)
    return server


def shutdown() -> None:
    """Stop this process's LibreOffice (a forked child leaves its parent's alone)."""
    server = _servers.get(os.getpid())
    if server is not None and server.owner == os.getpid():
        _servers.pop(os.getpid()).close()


def libreoffice_pdf(docx: bytes, name: str, aliases: dict[str, str], font_dirs: list[Path], weights: dict[str, str] | None = None) -> bytes:
    """The .docx as PDF: converted by this process's LibreOffice (kept running between files), or
    by a LibreOffice started for this one file when python3-uno is not installed."""
    exe = soffice()
    if exe is None:
        raise ConversionError("未安装 LibreOffice")
    with tempdirs.temporary("notice") as tmp:
        work = Path(tmp)
        src = work / f"{name}.docx"
        src.write_bytes(docx)
        fonts_conf = fontconfig_file(work, aliases, font_dirs, weights)
        server = office_server(fonts_conf.read_text(encoding="utf-8"))
        out = work / "out" / f"{name}.pdf"
        if server is not None:
            out.parent.mkdir()
            server.convert(src, out)
            if not out.is_file():
                raise ConversionError("LibreOffice 转换失败：未生成 PDF")
            return out.read_bytes()
        env = dict(os.environ)
        env["FONTCONFIG_FILE"] = str(fonts_conf)
        env.setdefault("HOME", tmp)
        cmd = [exe, f"-env:UserInstallation={_profile().as_uri()}", "--headless", "--norestore", "--nologo",
               "--nodefault", "--nolockcheck", "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(work / "out"), str(src)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=LO_TIMEOUT, env=env)
        except subprocess.TimeoutExpired as exc:
            raise ConversionError(f"LibreOffice 转换超时（{LO_TIMEOUT} 秒）") from exc
        if proc.returncode != 0 or not out.is_file():
            raise ConversionError(f"LibreOffice 转换失败：{(proc.stderr or proc.stdout).strip()[:300]}")
        return out.read_bytes()


_UNIQUE_ID = re.compile(rb"/UniqueID \d{7} def")


EEXEC_KEY, EEXEC_C1, EEXEC_C2 = 55665, 52845, 22719


def _eexec_decrypt(cipher: bytes, r: int = EEXEC_KEY) -> bytes:
    """Type 1 eexec decryption (Adobe Type 1 Font Format, 7.2), as fontTools.misc.eexec.decrypt
    computes it but in one tight loop (fontTools' per-character helpers took seconds per font)."""
    out = bytearray(len(cipher))
    for i, c in enumerate(cipher):
        out[i] = c ^ (r >> 8)
        r = ((c + r) * EEXEC_C1 + EEXEC_C2) & 0xFFFF
    return bytes(out)


def _eexec_encrypt(plain: bytes, r: int = EEXEC_KEY) -> bytes:
    """Type 1 eexec encryption, the inverse of `_eexec_decrypt`."""
    out = bytearray(len(plain))
    for i, p in enumerate(plain):
        c = p ^ (r >> 8)
        out[i] = c
        r = ((c + r) * EEXEC_C1 + EEXEC_C2) & 0xFFFF
    return bytes(out)


PREFIX_SEARCH = 4096  # bytes of the eexec part decrypted to find its /UniqueID (at about 300-400 in LibreOffice's fonts)


def _eexec_renumber(cipher: bytes, unique: bytes) -> bytes:
    """The eexec part with its first /UniqueID replaced by `unique` (same length), re-encrypted
    from the number on: the key chains on the ciphertext, so the bytes before the number stay;
    after it each byte is decrypted with the old key and encrypted with the new one in one pass
    (measured: the two keys do not meet again, so the whole suffix changes)."""
    head = _eexec_decrypt(cipher[:PREFIX_SEARCH])
    m = _UNIQUE_ID.search(head)
    if m is None:  # not near the start: the whole part, as fontTools would do it
        return _eexec_encrypt(_UNIQUE_ID.sub(unique, _eexec_decrypt(cipher)))
    if m.group() == unique:
        return cipher
    pos = m.start()
    r = EEXEC_KEY
    for c in cipher[:pos]:  # the key at `pos`
        r = ((c + r) * EEXEC_C1 + EEXEC_C2) & 0xFFFF
    out = bytearray(cipher)
    new_r = r
    for i, p in enumerate(unique, pos):  # the changed bytes
        c = cipher[i]
        r = ((c + r) * EEXEC_C1 + EEXEC_C2) & 0xFFFF
        c2 = p ^ (new_r >> 8)
        out[i] = c2
        new_r = ((c2 + new_r) * EEXEC_C1 + EEXEC_C2) & 0xFFFF
    for i in range(pos + len(unique), len(cipher)):  # same plaintext, another key
        c = cipher[i]
        c2 = c ^ (r >> 8) ^ (new_r >> 8)
        r = ((c + r) * EEXEC_C1 + EEXEC_C2) & 0xFFFF
        out[i] = c2
        new_r = ((c2 + new_r) * EEXEC_C1 + EEXEC_C2) & 0xFFFF
    return bytes(out)


# Noto CJK's .ttc files share one CFF table among the regional faces, named after the Japanese
# one, so LibreOffice names every face it embeds "NotoSansCJKjp-..." even when fontconfig gave
# it the Simplified Chinese face (the glyphs are the SC face's, tests/test_notices_pdf.py checks).
CFF_REGION_NAME = re.compile(rb"(Noto(?:Sans|Serif)(?:Mono)?CJK)jp")


def _fix_type1_ids(writer, region: str | None = None) -> None:
    """LibreOffice numbers the Type 1 fonts it makes from CFF (Noto CJK) 4100001, 4100002, ... in
    the order its threads finish them, so two conversions may swap the numbers. Give each font a
    number of the same length derived from its name (in the clear part and the eexec-encrypted
    part), so the bytes repeat. `region` ("sc"): the Noto CJK face that was used, for its name."""
    from pypdf.generic import NameObject

    seen: set[int] = set()
    for page in writer.pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            desc = font.get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else None
            stream = desc.get("/FontFile") if desc is not None else None
            if stream is None:
                continue
            stream = stream.get_object()
            if id(stream) in seen:
                continue
            seen.add(id(stream))
            try:
                data, l1, l2 = stream.get_data(), int(stream["/Length1"]), int(stream["/Length2"])
                clear = data[:l1]
                name = str(font.get("/BaseFont", ""))
                if region and CFF_REGION_NAME.search(name.encode()):
                    sub = rb"\1" + region.encode()
                    name = CFF_REGION_NAME.sub(sub, name.encode()).decode()
                    font[NameObject("/BaseFont")] = NameObject(name)
                    if "/FontName" in desc:
                        desc[NameObject("/FontName")] = NameObject(CFF_REGION_NAME.sub(sub, str(desc["/FontName"]).encode()).decode())
                    clear = CFF_REGION_NAME.sub(sub, clear)
                unique = b"/UniqueID %d def" % (4100000 + zlib.crc32(name.encode()) % 100000)
                clear = _UNIQUE_ID.sub(unique, clear)
                secret = _eexec_renumber(data[l1:l1 + l2], unique)
                if len(clear) == l1 and len(secret) == l2 and clear + secret != data[:l1 + l2]:
                    stream.set_data(clear + secret + data[l1 + l2:])
            except Exception:  # noqa: BLE001 - a font we cannot parse is left as LibreOffice wrote it
                continue


def fix_metadata(pdf: bytes, date: dt.date, title: str, author: str, cjk_region: str | None = None) -> bytes:
    """Fixed /CreationDate, /ModDate and /ID so two builds give the same bytes; `cjk_region`
    ("sc"): the Noto CJK faces used were that region's, so their embedded names say so."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    stamp = f"D:{date:%Y%m%d}090000+08'00'"
    writer.add_metadata({"/Title": title, "/Author": author, "/Creator": "anquan", "/Producer": "anquan（LibreOffice）",
                         "/CreationDate": stamp, "/ModDate": stamp})
    writer._root_object[NameObject("/Lang")] = TextStringObject("zh-CN")
    _fix_type1_ids(writer, cjk_region)
    digest = hashlib.md5(title.encode() + stamp.encode()).digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
