"""Image files for tests of hostile input: real PNG bombs, headers that lie, JPEG frame headers."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def bomb_png(width: int, height: int) -> bytes:
    """A real, complete PNG of width × height 1-bit pixels, all black: about 100 KB on disk for
    30000 × 30000, 900 million pixels once decoded."""
    row = b"\x00" * (1 + (width + 7) // 8)
    z = zlib.compressobj(9)
    data = b"".join(z.compress(row) for _ in range(height)) + z.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def header_png(width: int, height: int) -> bytes:
    """A PNG whose header says width × height, with one tiny (wrong) data chunk: enough for any
    reader that trusts the header, as this tool's checks do."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + _chunk(b"IEND", b"")


def pillow_bytes(fmt: str, size: tuple[int, int] = (48, 32), **kw) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, format=fmt, **kw)
    return buf.getvalue()


def jpeg_with_sof(width: int, height: int, exif_bytes: int = 0) -> bytes:
    """A real JPEG (with an optional large APP1 segment before its frame header) whose SOF says
    width × height."""
    data = bytearray(pillow_bytes("JPEG"))
    if exif_bytes:
        payload = b"Exif\x00\x00" + b"\x00" * exif_bytes
        data[2:2] = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)
