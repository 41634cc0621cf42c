"""LibreOffice (headless) converts a .docx to PDF: a private profile per process, a generated
fontconfig file that maps font names to installed families, and fixed PDF metadata so that two
conversions of the same document give the same bytes."""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import io
import os
import re
import shutil
import subprocess
import tempfile
import zlib
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

LO_TIMEOUT = 180  # seconds for one conversion (first start creates the profile)


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
    """A fontconfig file: the font folders, each alias (name → family) and, for the names in
    `weights`, the weight of the family to take (a fontconfig constant such as "bold")."""
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
    path = folder / "fonts.conf"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


_PROFILE: Path | None = None


def _profile() -> Path:
    """One LibreOffice user profile per process: reused by every conversion of the build."""
    global _PROFILE
    if _PROFILE is None or not _PROFILE.exists():
        _PROFILE = Path(tempfile.mkdtemp(prefix="anquan-lo-"))
        atexit.register(shutil.rmtree, str(_PROFILE), True)
    return _PROFILE


class ConversionError(RuntimeError):
    pass


def libreoffice_pdf(docx: bytes, name: str, aliases: dict[str, str], font_dirs: list[Path], weights: dict[str, str] | None = None) -> bytes:
    exe = soffice()
    if exe is None:
        raise ConversionError("未安装 LibreOffice")
    with tempfile.TemporaryDirectory(prefix="anquan-notice-") as tmp:
        work = Path(tmp)
        src = work / f"{name}.docx"
        src.write_bytes(docx)
        env = dict(os.environ)
        env["FONTCONFIG_FILE"] = str(fontconfig_file(work, aliases, font_dirs, weights))
        env.setdefault("HOME", tmp)
        cmd = [exe, f"-env:UserInstallation={_profile().as_uri()}", "--headless", "--norestore", "--nologo",
               "--nodefault", "--nolockcheck", "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(work / "out"), str(src)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=LO_TIMEOUT, env=env)
        except subprocess.TimeoutExpired as exc:
            raise ConversionError(f"LibreOffice 转换超时（{LO_TIMEOUT} 秒）") from exc
        out = work / "out" / f"{name}.pdf"
        if proc.returncode != 0 or not out.is_file():
            raise ConversionError(f"LibreOffice 转换失败：{(proc.stderr or proc.stdout).strip()[:300]}")
        return out.read_bytes()


_UNIQUE_ID = re.compile(rb"/UniqueID \d{7} def")


def _fix_type1_ids(writer) -> None:
    """LibreOffice numbers the Type 1 fonts it makes from CFF (Noto CJK) 4100001, 4100002, ... in
    the order its threads finish them, so two conversions may swap the numbers. Give each font a
    number of the same length derived from its name (in the clear part and the eexec-encrypted
    part), so the bytes repeat."""
    from fontTools.misc import eexec

    seen: set[int] = set()
    for page in writer.pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            desc = font.get("/FontDescriptor")
            stream = desc.get_object().get("/FontFile") if desc is not None else None
            if stream is None:
                continue
            stream = stream.get_object()
            if id(stream) in seen:
                continue
            seen.add(id(stream))
            try:
                data, l1, l2 = stream.get_data(), int(stream["/Length1"]), int(stream["/Length2"])
                unique = b"/UniqueID %d def" % (4100000 + zlib.crc32(str(font.get("/BaseFont", "")).encode()) % 100000)
                clear = _UNIQUE_ID.sub(unique, data[:l1])
                plain, _ = eexec.decrypt(data[l1:l1 + l2], 55665)
                secret, _ = eexec.encrypt(_UNIQUE_ID.sub(unique, plain), 55665)
                if len(clear) == l1 and len(secret) == l2:
                    stream.set_data(clear + secret + data[l1 + l2:])
            except Exception:  # noqa: BLE001 - a font we cannot parse is left as LibreOffice wrote it
                continue


def fix_metadata(pdf: bytes, date: dt.date, title: str, author: str) -> bytes:
    """Fixed /CreationDate, /ModDate and /ID so two builds give the same bytes."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    stamp = f"D:{date:%Y%m%d}090000+08'00'"
    writer.add_metadata({"/Title": title, "/Author": author, "/Creator": "anquan", "/Producer": "anquan（LibreOffice）",
                         "/CreationDate": stamp, "/ModDate": stamp})
    writer._root_object[NameObject("/Lang")] = TextStringObject("zh-CN")
    _fix_type1_ids(writer)
    digest = hashlib.md5(title.encode() + stamp.encode()).digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
