"""PDF of a notice: LibreOffice converts the very .docx (same layout), WeasyPrint is the fallback.

LibreOffice runs headless with a private profile per process and a generated
fontconfig file that maps the standard's licensed font names to the free fonts
installed here (or to the enterprise's own font files). Each substitution is
reported with ctx.note. The PDF's dates and /ID are fixed so builds repeat.
"""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import io
import os
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from . import notice_layout as L

LO_TIMEOUT = 180  # seconds for one conversion (first start creates the profile)

# Free fonts standing in for the standard's licensed ones, by role.
SUBSTITUTES = {
    L.XBS: ["Noto Serif CJK SC"],
    L.FS: ["FandolFang", "Noto Serif CJK SC"],
    L.HT: ["Noto Sans CJK SC"],
    L.KT: ["AR PL UKai CN", "LXGW WenKai"],
    L.ST: ["Noto Serif CJK SC"],
}


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


def font_plan(fonts: dict[str, str], font_files: dict[str, Path]) -> tuple[dict[str, str], list[str]]:
    """(font name → substitute family, notes) for the fonts the notice names."""
    aliases: dict[str, str] = {}
    notes: list[str] = []
    for role, name in fonts.items():
        if name in aliases or name in font_files or installed(name):
            continue
        sub = next((f for f in SUBSTITUTES[role] if installed(f)), None)
        if sub:
            aliases[name] = sub
            notes.append(f"公文 PDF：{name} 未安装，以 {sub} 代替")
        else:
            notes.append(f"公文 PDF：{name} 未安装，也没有可替代的免费字体，由系统默认字体显示")
    return aliases, notes


def fontconfig_file(folder: Path, aliases: dict[str, str], font_dirs: list[Path]) -> Path:
    lines = ['<?xml version="1.0"?>', '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">', "<fontconfig>"]
    for d in font_dirs:
        lines.append(f"  <dir>{escape(str(d))}</dir>")
    for name, sub in sorted(aliases.items()):
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


def libreoffice_pdf(docx: bytes, name: str, aliases: dict[str, str], font_dirs: list[Path]) -> bytes:
    exe = soffice()
    if exe is None:
        raise ConversionError("未安装 LibreOffice")
    with tempfile.TemporaryDirectory(prefix="anquan-notice-") as tmp:
        work = Path(tmp)
        src = work / f"{name}.docx"
        src.write_bytes(docx)
        env = dict(os.environ)
        env["FONTCONFIG_FILE"] = str(fontconfig_file(work, aliases, font_dirs))
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


def fix_metadata(pdf: bytes, date: dt.date, title: str, author: str) -> bytes:
    """Fixed /CreationDate, /ModDate and /ID so two builds give the same bytes."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    stamp = f"D:{date:%Y%m%d}090000+08'00'"
    writer.add_metadata({"/Title": title, "/Author": author, "/Creator": "anquan", "/Producer": "anquan（LibreOffice）",
                         "/CreationDate": stamp, "/ModDate": stamp})
    writer._root_object[NameObject("/Lang")] = TextStringObject("zh-CN")
    digest = hashlib.md5(title.encode() + stamp.encode()).digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
