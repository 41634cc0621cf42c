"""One normaliser for OOXML packages (.docx, .xlsx): fixed timestamps, entry order and
permissions, so the same input always gives the same bytes."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile


def write_zip(parts: dict[str, bytes], date: dt.date, *, hour: int = 0, mode: int = 0o600, dos: bool = False, core_dates: bool = True) -> bytes:
    """An OOXML zip of `parts` (name → bytes): every entry stamped `date` at `hour`:00,
    [Content_Types].xml first and the rest sorted, permissions `mode` (`dos`: entries marked as
    made on DOS/Windows, as Word does), and (`core_dates`) docProps/core.xml's created/modified
    set to the date (openpyxl and python-docx stamp the current time when they save)."""
    out = io.BytesIO()
    stamp = (max(date.year, 1980), date.month, date.day, hour, 0, 0)
    first = [n for n in parts if n == "[Content_Types].xml"]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in first + sorted(n for n in parts if n not in first):
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = mode << 16
            if dos:
                info.create_system = 0
            body = parts[name]
            if core_dates and name == "docProps/core.xml":
                iso = f"{stamp[0]:04d}-{stamp[1]:02d}-{stamp[2]:02d}T00:00:00Z".encode()
                body = re.sub(rb"(<dcterms:(?:modified|created)[^>]*>)[^<]*(<)", rb"\g<1>" + iso + rb"\g<2>", body)
            dst.writestr(info, body)
    return out.getvalue()


def normalise_zip(data: bytes, date: dt.date, *, hour: int = 0, mode: int = 0o600, dos: bool = False, core_dates: bool = True) -> bytes:
    """Rewrite an OOXML zip made by a library (python-docx, openpyxl) as `write_zip` writes it."""
    src = zipfile.ZipFile(io.BytesIO(data))
    return write_zip({name: src.read(name) for name in src.namelist()}, date, hour=hour, mode=mode, dos=dos, core_dates=core_dates)
