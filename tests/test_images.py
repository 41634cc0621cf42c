"""Images the content names (seal, logo, site plan) are measured from their headers before anything
decodes them, and refused at once over the limits of their use (issue 19, item 1)."""

from __future__ import annotations

import base64
import io
import shutil
from pathlib import Path

import pytest
from PIL import Image

from generators.cli import main
from generators.diagnostics import BuildError
from generators.load import load
from generators.load.images import (
    LOGO,
    PLAN,
    SEAL,
    ImageRejected,
    check_image,
    guard_pillow,
    passed,
    read_header,
)
from tests.imagemakers import _chunk, bomb_png, header_png, jpeg_with_sof, pillow_bytes

CORPUS = Path(__file__).parent / "corpus"
DATE = "2026-11-26"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def rejected(path: Path, use) -> str:
    with pytest.raises(ImageRejected) as info:
        check_image(path, use)
    return info.value.message


# ------------------------------------------------------------------ the header reader


@pytest.mark.parametrize("fmt,kw", [("PNG", {}), ("JPEG", {}), ("GIF", {}), ("WEBP", {"lossless": False}),
                                    ("WEBP", {"lossless": True}), ("BMP", {})])
def test_header_reader_gives_format_and_size_without_decoding(fmt, kw):
    data = pillow_bytes(fmt, (321, 123), **kw)
    info = read_header(io.BytesIO(data), len(data))
    assert (info.format, info.width, info.height) == (fmt, 321, 123)


def test_webp_extended_header_is_read():
    data = pillow_bytes("WEBP", (300, 200), exif=b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00")
    assert data[12:16] == b"VP8X"
    info = read_header(io.BytesIO(data), len(data))
    assert (info.width, info.height) == (300, 200)


def test_jpeg_frame_header_found_after_a_large_exif_segment():
    data = jpeg_with_sof(640, 480, exif_bytes=60_000)
    info = read_header(io.BytesIO(data), len(data))
    assert (info.format, info.width, info.height) == ("JPEG", 640, 480)


# ------------------------------------------------------------------ refused at once, per use


def never_decode(monkeypatch) -> None:
    """Refusing must come from the header alone: any decoding fails the test (structure, not a stopwatch)."""
    import zlib

    def decoded(*_a, **_k):
        raise AssertionError("the image was decoded before it was refused")

    monkeypatch.setattr(Image, "open", decoded)
    monkeypatch.setattr(zlib, "decompress", decoded)
    monkeypatch.setattr(zlib, "decompressobj", decoded)


def test_30000_square_png_seal_is_refused_from_its_header_without_decoding(tmp_path, monkeypatch):
    path = write(tmp_path, "seal.png", bomb_png(30000, 30000))
    assert path.stat().st_size < 200_000  # small on disk, 900 million pixels decoded
    never_decode(monkeypatch)
    message = rejected(path, SEAL)
    assert "30000×30000 像素" in message and "2000×2000" in message and "42 mm" in message


def test_jpeg_whose_frame_header_claims_huge_size_is_refused(tmp_path):
    message = rejected(write(tmp_path, "seal.jpg", jpeg_with_sof(60000, 50000, exif_bytes=20_000)), SEAL)
    assert "60000×50000 像素" in message


@pytest.mark.parametrize("name,data,words", [
    ("seal.png", b"\x89PNG\r\n\x1a\n\x00\x00", "文件头不完整"),
    ("seal.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "文件头不完整"),
    ("seal.jpg", b"\xff\xd8\xff\xda\x00\x08" + b"\x00" * 40, "缺少 SOF"),
    ("seal.png", b"\x89PNG\r\n\x1a\n" + _chunk(b"tEXt", b"x" * 20), "不是 IHDR"),
    ("seal.png", b"GIF89a\x10", "文件头不完整"),
])
def test_truncated_or_broken_headers_are_refused(tmp_path, name, data, words):
    assert words in rejected(write(tmp_path, name, data), SEAL)


def test_zero_sized_header_is_refused(tmp_path):
    assert "不是有效的图片" in rejected(write(tmp_path, "seal.png", header_png(0, 100)), SEAL)


@pytest.mark.parametrize("name,fmt,words", [
    ("seal.png", "GIF", "是 GIF 图片，印章图片只接受 PNG 或 JPEG"),
    ("seal.png", "WEBP", "是 WEBP 图片"),
    ("seal.png", "JPEG", "扩展名为“.png”，但文件内容是 JPEG 图片"),
    ("seal.jpg", "PNG", "扩展名为“.jpg”，但文件内容是 PNG 图片"),
])
def test_wrong_format_or_extension_is_refused(tmp_path, name, fmt, words):
    assert words in rejected(write(tmp_path, name, pillow_bytes(fmt)), SEAL)


def test_html_named_png_and_svg_seal_are_refused(tmp_path):
    assert "不是 PNG 或 JPEG 图片" in rejected(write(tmp_path, "seal.png", b"<html><script>alert(1)</script></html>"), SEAL)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="5"/></svg>'
    assert "是 SVG 图片，印章图片只接受 PNG 或 JPEG" in rejected(write(tmp_path, "seal.svg", svg), SEAL)


def test_too_large_file_is_refused_before_it_is_read(tmp_path):
    path = write(tmp_path, "seal.png", pillow_bytes("PNG") + b"\x00" * (6 * 1024 * 1024))
    assert "文件大小 6.0 MB，超过印章图片的上限 5.0 MB" in rejected(path, SEAL)


def test_limits_suit_the_use(tmp_path):
    path = write(tmp_path, "x.png", header_png(3000, 2000))
    assert "超过印章图片的上限 2000×2000 像素" in rejected(path, SEAL)
    assert "超过站点标志的上限 1024×1024 像素" in rejected(path, LOGO)
    assert check_image(path, PLAN).pixels == 6_000_000  # a plan may be larger
    assert "超过平面图的上限 12000×12000 像素" in rejected(write(tmp_path, "p.png", header_png(13000, 400)), PLAN)
    message = rejected(write(tmp_path, "q.png", header_png(11000, 11000)), PLAN)
    assert "共 1.2 亿像素（11000×11000），超过平面图的上限 1.0 亿像素" in message and "A1" in message


# ------------------------------------------------------------------ SVG: size, elements, depth, embedded rasters


def _svg(inner: str) -> bytes:
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">{inner}</svg>'.encode()


def test_svg_logo_nesting_elements_and_size_are_bounded(tmp_path):
    deep = _svg("<g>" * 60 + "</g>" * 60)
    assert "嵌套超过 50 层" in rejected(write(tmp_path, "logo.svg", deep), LOGO)
    many = _svg('<rect width="1" height="1"/>' * 20_001)
    assert "元素超过 20000 个" in rejected(write(tmp_path, "logo.svg", many), LOGO)
    big = _svg("<desc>" + "x" * (3 * 1024 * 1024) + "</desc>")
    assert "文件大小 3.0 MB，超过站点标志的上限 2.0 MB" in rejected(write(tmp_path, "logo.svg", big), LOGO)
    entity = b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>'
    assert "实体" in rejected(write(tmp_path, "logo.svg", entity), LOGO)
    assert check_image(write(tmp_path, "logo.svg", _svg("<g>" * 40 + "</g>" * 40)), LOGO).format == "SVG"


def test_raster_embedded_in_an_svg_is_measured_too(tmp_path):
    uri = "data:image/png;base64," + base64.b64encode(header_png(40000, 40000)).decode()
    svg = _svg(f'\n<rect width="5" height="5"/>\n<image href="{uri}" width="10" height="10"/>')
    with pytest.raises(ImageRejected) as info:
        check_image(write(tmp_path, "plan.svg", svg), PLAN)
    assert info.value.line == 3 and "SVG 中嵌入的第 1 张图片为 40000×40000 像素" in info.value.message
    fine = "data:image/jpeg;base64," + base64.b64encode(pillow_bytes("JPEG")).decode()
    assert check_image(write(tmp_path, "plan.svg", _svg(f'<image href="{fine}"/>')), PLAN).format == "SVG"


# ------------------------------------------------------------------ in the loader and the build


def _enterprise(tmp_path: Path) -> Path:
    ent = tmp_path / "content" / "enterprises" / "base"
    shutil.copytree(CORPUS / "_base", ent)
    shutil.copytree(CORPUS / "_library", tmp_path / "content" / "library")
    return ent


def test_huge_seal_stops_the_build_at_once_with_file_line_field_and_limit(tmp_path, capsys, monkeypatch):
    ent = _enterprise(tmp_path)
    (ent / "assets" / "seal.png").write_bytes(bomb_png(30000, 30000))
    with monkeypatch.context() as m:
        never_decode(m)
        _, diags = load(ent)
    [err] = diags.errors
    assert err.field == "issuer.seal" and err.file.endswith("enterprise.yaml") and err.line == 32
    code = main(["build", str(ent), "--out", str(tmp_path / "build"), "--date", DATE, "--only", "notices"])
    out = capsys.readouterr()
    assert code == 1
    assert "enterprise.yaml:32:" in out.err + out.out and "超过印章图片的上限 2000×2000 像素" in out.err + out.out
    assert not (tmp_path / "build" / "base").exists()


def test_svg_and_oversized_logo_are_checked_in_the_loader(tmp_path):
    ent = _enterprise(tmp_path)
    text = (ent / "enterprise.yaml").read_text(encoding="utf-8")
    assert "\nsite:\n" in text  # the base enterprise has a site block: the logo joins it
    (ent / "enterprise.yaml").write_text(text.replace("\nsite:\n", "\nsite:\n  logo: assets/logo.svg\n", 1), encoding="utf-8")
    (ent / "assets" / "logo.svg").write_bytes(_svg("\n" + "<g>" * 80 + "</g>" * 80))
    _, diags = load(ent)
    [err] = diags.errors
    assert err.field == "site.logo" and "（SVG 第 2 行）" in err.message and "嵌套超过 50 层" in err.message
    (ent / "assets" / "logo.svg").write_bytes(_svg('<circle r="4"/>'))
    _, diags = load(ent)
    assert not diags.errors


def test_raster_plan_over_its_limit_is_refused_at_the_plan_field(tmp_path):
    ent = _enterprise(tmp_path)
    (ent / "assets" / "plan.jpg").write_bytes(jpeg_with_sof(20000, 9000))
    (ent / "riskmap.yaml").write_text(
        "plan: assets/plan.jpg\nzones:\n  - id: shop\n    name: 车间\n    responsible: 车间主任\n    rect: {x: 0, y: 0, w: 10, h: 10}\n",
        encoding="utf-8")
    _, diags = load(ent)
    [err] = [d for d in diags.errors if d.field == "plan"]
    assert err.file.endswith("riskmap.yaml") and err.line == 1 and "20000×9000 像素" in err.message


def test_a_seal_replaced_after_loading_never_reaches_a_renderer(tmp_path):
    ent = _enterprise(tmp_path)
    content, diags = load(ent)
    assert not diags.errors
    (ent / "assets" / "seal.png").write_bytes(header_png(9000, 9000))
    from generators.outputs import notices

    with pytest.raises(BuildError) as info:
        notices.OUTPUT.jobs(content)
    assert "seal.png" in str(info.value) and "9000×9000" in str(info.value)
    with pytest.raises(BuildError):
        passed(ent / "assets" / "seal.png", SEAL)


# ------------------------------------------------------------------ Pillow, where it decodes (WeasyPrint)


def test_pillow_refuses_what_no_use_allows_and_weasyprint_stays_fast(tmp_path):
    path = write(tmp_path, "big.png", bomb_png(12000, 10000))  # 120 million pixels
    guard_pillow()
    assert Image.MAX_IMAGE_PIXELS == PLAN.max_pixels
    with pytest.raises((Image.DecompressionBombWarning, Image.DecompressionBombError)):
        Image.open(path).load()
    from weasyprint import HTML

    pdf = HTML(string=f'<img src="{path.as_uri()}" style="width: 40mm">').write_pdf()
    assert len(pdf) < 20_000  # the image was not decoded into the PDF
