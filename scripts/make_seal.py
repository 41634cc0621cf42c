"""Draw a red round company seal (PNG, transparent background) for a sample enterprise.

Usage: .venv/bin/python scripts/make_seal.py "安途道路运输有限公司" content/enterprises/demo-transport/assets/seal.png

The seal follows the usual shape of a Chinese company seal: an outer ring, the
company name along the upper arc (reading clockwise), a five-pointed star in the
centre. Drawn at 4x and scaled down so edges are smooth; no randomness, so the
output is byte-identical between runs.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

RED = (214, 30, 30, 255)
FONT_CANDIDATES = [
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
]


def _font(size: int) -> ImageFont.FreeTypeFont:
    for path in FONT_CANDIDATES:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    raise SystemExit("没有找到可用的中文字体（需要 fonts-noto-cjk）")


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r_outer: float) -> None:
    r_inner = r_outer * math.sin(math.radians(18)) / math.sin(math.radians(126))
    points = []
    for i in range(10):
        r = r_outer if i % 2 == 0 else r_inner
        a = math.radians(-90 + i * 36)
        points.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    draw.polygon(points, fill=RED)


def draw_seal(name: str, size: int = 480) -> Image.Image:
    scale = 4
    s = size * scale
    img = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    c = s / 2
    ring = s * 0.035
    r = s / 2 - ring / 2 - s * 0.01
    draw.ellipse((c - r, c - r, c + r, c + r), outline=RED, width=int(ring))

    # Company name along the arc: spread over 240 degrees centred on the top.
    font_px = int(s * 0.125)
    font = _font(font_px)
    text_r = r - ring / 2 - font_px * 0.62
    span = 240.0 if len(name) > 6 else 30.0 * len(name)
    n = len(name)
    for i, ch in enumerate(name):
        angle = -90 - span / 2 + span * (i + 0.5) / n  # degrees, 0 = east, clockwise positive
        tile = Image.new("RGBA", (font_px * 2, font_px * 2), (0, 0, 0, 0))
        tdraw = ImageDraw.Draw(tile)
        tdraw.text((font_px, font_px), ch, font=font, fill=RED, anchor="mm")
        # Rotate so the top of the character points outward.
        tile = tile.rotate(-(angle + 90), resample=Image.BICUBIC, expand=False)
        x = c + text_r * math.cos(math.radians(angle))
        y = c + text_r * math.sin(math.radians(angle))
        img.alpha_composite(tile, (int(x - font_px), int(y - font_px)))

    _star(draw, c, c, s * 0.17)
    return img.resize((size, size), Image.LANCZOS)


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    out = Path(argv[2])
    out.parent.mkdir(parents=True, exist_ok=True)
    draw_seal(argv[1]).save(out, format="PNG", optimize=True)
    print(f"印章已生成：{out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
