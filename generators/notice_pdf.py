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
import re
import shutil
import subprocess
import tempfile
import zlib
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


# ------------------------------------------------------------------ WeasyPrint fallback

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "site_templates" / "notice"
# WeasyPrint places glyphs differently in their line boxes than LibreOffice (measured at 100 dpi):
WP_MARK_INK_OFFSET = 0.08  # the mark's ink top below its line top, in font sizes
WP_RULE_TEXT_GAP_PT = 6.9  # ink bottom of the 发文字号 to the bottom of its line box
ROLE_CLASSES = {L.XBS: "xbs", L.FS: "fs", L.HT: "ht", L.KT: "kt", L.ST: "st"}
GENERIC = {L.XBS: "serif", L.FS: "serif", L.HT: "sans-serif", L.KT: "serif", L.ST: "serif"}


@lru_cache(maxsize=1)
def _jinja():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(loader=FileSystemLoader(str(TEMPLATE_DIR)), autoescape=select_autoescape(["html"]),
                       undefined=StrictUndefined)


def _css_family(role: str, name: str, font_files: dict[str, Path]) -> str:
    families = [name]
    if name not in font_files:
        families += [f for f in SUBSTITUTES[role] if installed(f)]
    return ", ".join(f'"{f}"' for f in families) + f", {GENERIC[role]}"


def notice_html(layout: L.NoticeLayout, seal: Path | None, font_files: dict[str, Path]) -> str:
    """The notice as HTML with the .docx's measurements (for WeasyPrint)."""
    from .notice_docx import CHAR_TWIPS, SEAL_TOP_LINES

    char_pt = CHAR_TWIPS / 20
    head = [(layout.copy_number, "fs"), (layout.secrecy, "ht"), (layout.urgency, "ht")]
    head_lines = [{"text": t, "cls": c} for t, c in head if t]
    mark_before = L.MARK_TOP_MM * L.PT_PER_MM - len(head_lines) * L.LINE_PITCH_PT - layout.mark_pt * WP_MARK_INK_OFFSET
    sig_right, date_right = layout.signature_right_chars
    date_centre_pt = (date_right + L.em_width(layout.date) / 2) * char_pt
    return _jinja().get_template("notice.html").render(
        lay=layout,
        title="".join(layout.title_lines),
        head_lines=head_lines,
        fonts={role: _css_family(role, name, font_files) for role, name in layout.fonts.items()},
        font_faces=[{"family": name, "url": path.as_uri()} for name, path in sorted(font_files.items())],
        roles=ROLE_CLASSES,
        mark_before_pt=round(mark_before, 2),
        rule_space_pt=round(L.RULE_BELOW_NUMBER_MM * L.PT_PER_MM - WP_RULE_TEXT_GAP_PT, 2),
        sig_right=sig_right * char_pt / L.SIZE_3HAO,
        date_right=date_right * char_pt / L.SIZE_3HAO,
        seal_url=seal.as_uri() if seal and layout.seal else None,
        seal_right_mm=round(date_centre_pt / L.PT_PER_MM - L.SEAL_MM / 2, 2),
        seal_top_pt=round((1 if layout.seal else 0) * L.LINE_PITCH_PT * (2 - SEAL_TOP_LINES), 2),
        stylesheets=[(TEMPLATE_DIR / "notice.css").as_uri()],
    )


def weasyprint_pdf(layout: L.NoticeLayout, seal: Path | None, font_files: dict[str, Path]) -> bytes:
    from weasyprint import HTML

    html = notice_html(layout, seal, font_files)
    return HTML(string=html, base_url=str(TEMPLATE_DIR)).write_pdf()
