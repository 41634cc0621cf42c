"""Draw the safety signs of site_templates/signs/ (one SVG per drawing).

Usage: .venv/bin/python scripts/make_signs.py [OUT_DIR]   (default site_templates/signs)

Each sign is a GB 2894-2008 frame around a pictogram. The frames follow the standard's
geometry (Annex A 安全标志牌的尺寸) and GB 2893 safety colours:

- 禁止 (prohibition): red ring, outer diameter d, inner diameter d1 = 0.8 d, a red bar of width
  c = 0.08 d at 45° from upper left to lower right, drawn over a black pictogram on white.
- 警告 (warning): black equilateral-triangle band, outer side a1, inner side a2 = 0.7 a1, outer
  corner radius r = 0.08 a2, yellow inside, black pictogram; yellow edging (衬边) 0.025 a1 wide.
- 指令 (mandatory): blue disc, white pictogram.
- 提示 (information): green square, white pictogram.
- 消防 (fire equipment, GB 13495.1): red square, white pictogram.

The pictograms are simplified drawings in a 100 x 100 box, hand-written below as paths and
basic shapes; `ink` is the pictogram colour and `bg` the field colour (for the thin gaps that
separate overlapping parts). No text, fonts or external resources: the sign's words are set
under the sign by the document. The output is byte-identical between runs.

Colours. GB 2893-2008 《安全色》 (adopts ISO 3864-1:2002, MOD; catalogue entry
https://www.gb-gbt.com/PDF/Chinese.amp.aspx/GB2893-2008) specifies each safety colour as a
region of CIE 1931 chromaticity with a minimum luminance factor, not as RGB values. The sRGB
values below are chosen to fall in those regions. Red #D7000F is x = 0.634, y = 0.326,
Y = 0.145: inside the ISO 3864-4 red region for ordinary (non-luminous) materials, corners
(0.735, 0.265) (0.681, 0.239) (0.579, 0.341) (0.655, 0.345), luminance factor > 0.07, as
reproduced in GOST 12.4.026 Table A.1 (http://student2.ru/medicina/766613-a-1-kolorimetricheskie-
kharakteristiki-signalnykh-i-kontrastnykh-cvetov-nesvetyashhikhsya-i-svetovozvrashhayushhikh-
materialov); the common #C8102E (x = 0.596, y = 0.312) lies outside it, on the white side. The
same red is the project's 红·重大风险 colour (site_templates/typst/common.typ).
"""

from __future__ import annotations

import math
import sys
from functools import lru_cache
from pathlib import Path

RED = "#D7000F"
YELLOW = "#F5C400"
BLUE = "#0055A5"
GREEN = "#00985A"
BLACK = "#000000"
WHITE = "#FFFFFF"

SIZE = 100  # every sign is drawn in a 100 x 100 viewBox

# ------------------------------------------------------------------ primitives


def f(v: float) -> str:
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def fill(d: str, ink: str) -> str:
    return f'<path d="{d}" fill="{ink}"/>'


def line(d: str, ink: str, w: float, cap: str = "round") -> str:
    return (f'<path d="{d}" fill="none" stroke="{ink}" stroke-width="{f(w)}" '
            f'stroke-linecap="{cap}" stroke-linejoin="round"/>')


def circle(cx: float, cy: float, r: float, ink: str) -> str:
    return f'<circle cx="{f(cx)}" cy="{f(cy)}" r="{f(r)}" fill="{ink}"/>'


def ring(cx: float, cy: float, r: float, ink: str, w: float) -> str:
    return f'<circle cx="{f(cx)}" cy="{f(cy)}" r="{f(r)}" fill="none" stroke="{ink}" stroke-width="{f(w)}"/>'


def rect(x: float, y: float, w: float, h: float, ink: str, rx: float = 0) -> str:
    r = f' rx="{f(rx)}"' if rx else ""
    return f'<rect x="{f(x)}" y="{f(y)}" width="{f(w)}" height="{f(h)}"{r} fill="{ink}"/>'


def halo(d: str, ink: str, bg: str, gap: float = 3) -> str:
    """A filled shape with a thin outline in the field colour, to part it from what lies under it."""
    return (f'<path d="{d}" fill="none" stroke="{bg}" stroke-width="{f(2 * gap)}" stroke-linejoin="round"/>'
            + fill(d, ink))


def shrink(body: str, k: float, ox: float = 50, oy: float = 100) -> str:
    """`body` scaled by k about (ox, oy) (warning pictograms narrow towards the triangle's apex)."""
    return f'<g transform="translate({f(ox)} {f(oy)}) scale({f(k)}) translate({f(-ox)} {f(-oy)})">{body}</g>'


def rot(x: float, y: float, cx: float, cy: float, deg: float) -> tuple[float, float]:
    a = math.radians(deg)
    dx, dy = x - cx, y - cy
    return cx + dx * math.cos(a) - dy * math.sin(a), cy + dx * math.sin(a) + dy * math.cos(a)


def gear(cx: float, cy: float, r_out: float, r_in: float, teeth: int, ink: str, bg: str, hole: float) -> str:
    pts = []
    step = 360 / teeth
    for i in range(teeth):
        a0 = i * step
        for a, r in ((a0 - step * 0.18, r_out), (a0 + step * 0.18, r_out),
                     (a0 + step * 0.32, r_in), (a0 + step * 0.68, r_in)):
            pts.append(rot(cx + r, cy, cx, cy, a))
    d = "M" + " L".join(f"{f(x)} {f(y)}" for x, y in pts) + " Z"
    return fill(d, ink) + circle(cx, cy, hole, bg)


def flame(cx: float, top: float, w: float, h: float, ink: str, bg: str, tongue: bool = True) -> str:
    """A flame: an outer teardrop with a tongue cut out of its lower part."""
    b = top + h
    hw = w / 2
    d = (f"M{f(cx)} {f(top)} C{f(cx + hw * 0.35)} {f(top + h * 0.25)} {f(cx + hw * 1.05)} {f(top + h * 0.42)} "
         f"{f(cx + hw)} {f(top + h * 0.7)} C{f(cx + hw * 0.95)} {f(b - h * 0.1)} {f(cx + hw * 0.45)} {f(b)} {f(cx)} {f(b)} "
         f"C{f(cx - hw * 0.45)} {f(b)} {f(cx - hw * 0.95)} {f(b - h * 0.1)} {f(cx - hw)} {f(top + h * 0.7)} "
         f"C{f(cx - hw * 0.95)} {f(top + h * 0.5)} {f(cx - hw * 0.55)} {f(top + h * 0.42)} {f(cx - hw * 0.45)} {f(top + h * 0.3)} "
         f"C{f(cx - hw * 0.2)} {f(top + h * 0.42)} {f(cx - hw * 0.05)} {f(top + h * 0.5)} {f(cx + hw * 0.05)} {f(top + h * 0.5)} "
         f"C{f(cx + hw * 0.1)} {f(top + h * 0.35)} {f(cx - hw * 0.1)} {f(top + h * 0.2)} {f(cx)} {f(top)} Z")
    out = fill(d, ink)
    if tongue:
        t = top + h * 0.55
        d2 = (f"M{f(cx)} {f(t)} C{f(cx + hw * 0.2)} {f(t + h * 0.12)} {f(cx + hw * 0.5)} {f(t + h * 0.2)} "
              f"{f(cx + hw * 0.45)} {f(b - h * 0.12)} C{f(cx + hw * 0.4)} {f(b - h * 0.05)} {f(cx + hw * 0.15)} {f(b - h * 0.04)} "
              f"{f(cx)} {f(b - h * 0.04)} C{f(cx - hw * 0.15)} {f(b - h * 0.04)} {f(cx - hw * 0.4)} {f(b - h * 0.05)} "
              f"{f(cx - hw * 0.45)} {f(b - h * 0.12)} C{f(cx - hw * 0.5)} {f(t + h * 0.2)} {f(cx - hw * 0.2)} {f(t + h * 0.12)} {f(cx)} {f(t)} Z")
        out += fill(d2, bg)
    return out


# ------------------------------------------------------------------ figures


def walker(ink: str, dx: float = 0) -> str:
    return (circle(55 + dx, 11, 9, ink)
            + line(f"M{f(53 + dx)} 26 L{f(47 + dx)} 56", ink, 14)
            + line(f"M{f(51 + dx)} 29 L{f(62 + dx)} 44 L{f(70 + dx)} 52", ink, 8)
            + line(f"M{f(50 + dx)} 29 L{f(40 + dx)} 43 L{f(33 + dx)} 52", ink, 8)
            + line(f"M{f(47 + dx)} 56 L{f(58 + dx)} 74 L{f(60 + dx)} 94", ink, 11)
            + line(f"M{f(47 + dx)} 56 L{f(40 + dx)} 75 L{f(28 + dx)} 92", ink, 11))


def runner(ink: str, dx: float = 0) -> str:
    return (circle(62 + dx, 12, 9, ink)
            + line(f"M{f(58 + dx)} 27 L{f(46 + dx)} 54", ink, 14)
            + line(f"M{f(56 + dx)} 30 L{f(70 + dx)} 40 L{f(80 + dx)} 33", ink, 8)
            + line(f"M{f(54 + dx)} 30 L{f(40 + dx)} 34 L{f(30 + dx)} 26", ink, 8)
            + line(f"M{f(46 + dx)} 54 L{f(63 + dx)} 66 L{f(61 + dx)} 90", ink, 11)
            + line(f"M{f(46 + dx)} 54 L{f(36 + dx)} 73 L{f(18 + dx)} 78", ink, 11))


def stander(ink: str, cx: float = 50, top: float = 2, s: float = 1) -> str:
    def p(x: float, y: float) -> str:
        return f"{f(cx + (x - 50) * s)} {f(top + y * s)}"
    return (circle(cx, top + 10 * s, 9 * s, ink)
            + fill(f"M{p(37, 28)} L{p(63, 28)} L{p(61, 60)} L{p(39, 60)} Z", ink)
            + line(f"M{p(36, 30)} L{p(31, 58)}", ink, 8 * s)
            + line(f"M{p(64, 30)} L{p(69, 58)}", ink, 8 * s)
            + line(f"M{p(44, 58)} L{p(44, 94)}", ink, 11 * s)
            + line(f"M{p(56, 58)} L{p(56, 94)}", ink, 11 * s))


def head_front(ink: str) -> str:
    """A head and shoulders, front view (the base of the PPE pictograms)."""
    return (circle(50, 47, 17, ink)
            + fill("M16 100 C16 80 30 71 50 71 C70 71 84 80 84 100 Z", ink))


def hand_up(ink: str, bg: str, x: float = 0, y: float = 0, s: float = 1) -> str:
    """An open hand, fingers up, palm facing the viewer, thumb to the left."""
    def r(x0: float, y0: float, w: float, h: float) -> str:
        return rect(x + x0 * s, y + y0 * s, w * s, h * s, ink, rx=w * s / 2)
    return (r(33, 18, 9, 42) + r(44, 10, 9, 48) + r(55, 13, 9, 45) + r(66, 22, 8, 36)
            + rect(x + 33 * s, y + 44 * s, 41 * s, 36 * s, ink, rx=9 * s)
            + line(f"M{f(x + 37 * s)} {f(y + 66 * s)} L{f(x + 20 * s)} {f(y + 48 * s)}", ink, 10 * s))


def hand_point(ink: str, x: float = 0, y: float = 0, s: float = 1) -> str:
    """A hand pointing to the right with the index finger, seen from the side."""
    def P(px: float, py: float) -> str:
        return f"{f(x + px * s)} {f(y + py * s)}"
    return (fill(f"M{P(4, 40)} L{P(30, 38)} C{P(36, 34)} {P(44, 32)} {P(50, 34)} L{P(86, 34)} "
                 f"C{P(92, 34)} {P(92, 44)} {P(86, 44)} L{P(56, 44)} L{P(60, 50)} C{P(62, 54)} {P(60, 58)} {P(56, 58)} "
                 f"L{P(58, 62)} C{P(60, 66)} {P(58, 70)} {P(54, 70)} L{P(54, 74)} C{P(54, 78)} {P(50, 80)} {P(46, 80)} "
                 f"L{P(30, 80)} C{P(24, 80)} {P(20, 76)} {P(18, 72)} L{P(4, 70)} Z", ink))


def glove(ink: str, bg: str) -> str:
    return (hand_up(ink, bg, 0, 0, 1)
            + rect(30, 78, 47, 4, bg)
            + rect(31, 82, 45, 14, ink, rx=2))


# ------------------------------------------------------------------ pictograms (ink, bg) -> svg


def p_exclamation(ink: str, bg: str) -> str:
    return fill("M41 8 L59 8 L55 66 L45 66 Z", ink) + circle(50, 82, 9, ink)


def p_cigarette(ink: str, bg: str) -> str:
    return (rect(12, 56, 64, 14, ink) + rect(78, 56, 12, 14, ink)
            + line("M22 48 C14 40 28 34 20 24 C14 16 24 10 20 4", ink, 4)
            + line("M32 48 C26 42 36 36 32 28", ink, 4))


def p_match(ink: str, bg: str) -> str:
    return (rect(45, 46, 10, 50, ink, rx=2) + fill("M43 50 C43 38 57 38 57 50 Z", ink)
            + flame(50, 2, 30, 40, ink, bg))


def p_lighter(ink: str, bg: str) -> str:
    return (rect(32, 50, 36, 46, ink, rx=5) + rect(32, 42, 20, 6, ink) + rect(55, 38, 11, 10, ink, rx=2)
            + circle(60, 43, 3, bg)
            + flame(42, 2, 24, 36, ink, bg))


def p_water_on_fire(ink: str, bg: str) -> str:
    bucket = fill("M6 14 L40 4 L46 28 L18 40 Z", ink)
    drops = "".join(fill(f"M{f(x)} {f(y)} C{f(x + 4)} {f(y + 6)} {f(x + 4)} {f(y + 10)} {f(x)} {f(y + 10)} "
                         f"C{f(x - 4)} {f(y + 10)} {f(x - 4)} {f(y + 6)} {f(x)} {f(y)} Z", ink)
                    for x, y in ((44, 36), (54, 30), (50, 48)))
    return bucket + drops + flame(62, 52, 40, 44, ink, bg)


def p_flammables(ink: str, bg: str) -> str:
    return (flame(50, 2, 34, 44, ink, bg)
            + rect(20, 54, 60, 42, ink, rx=6) + rect(20, 68, 60, 3, bg) + rect(20, 82, 60, 3, bg))


def p_boxes(ink: str, bg: str) -> str:
    return (rect(8, 64, 40, 32, ink) + rect(52, 64, 40, 32, ink) + rect(30, 28, 40, 32, ink)
            + rect(58, 2, 30, 22, ink))


def p_button_press(ink: str, bg: str) -> str:
    return (rect(14, 80, 72, 16, ink, rx=3) + rect(38, 68, 24, 12, ink, rx=3)
            + fill("M44 64 L44 24 C44 18 56 18 56 24 L56 44 L70 44 C78 44 80 50 78 56 L74 64 Z", ink))


def p_knife_switch(ink: str, bg: str) -> str:
    return (rect(8, 78, 84, 12, ink, rx=2) + circle(22, 70, 8, ink) + circle(78, 70, 8, ink)
            + line("M22 70 L70 22", ink, 8)
            + line("M70 22 L84 8", ink, 8)
            + line("M54 18 C68 24 76 38 78 52", ink, 4, cap="butt")
            + fill("M71 48 L85 48 L78 60 Z", ink))


def p_rotation(ink: str, bg: str) -> str:
    return (gear(46, 54, 34, 26, 10, ink, bg, 9)
            + line("M70 8 C86 14 94 28 94 42", ink, 5, cap="butt") + fill("M86 40 L100 40 L93 54 Z", ink))


def p_person_on_forks(ink: str, bg: str) -> str:
    return (rect(8, 4, 10, 92, ink) + rect(18, 88, 62, 8, ink)
            + stander(ink, cx=52, top=6, s=0.8))


def p_no_entry(ink: str, bg: str) -> str:
    return line("M60 96 L60 6 L94 6 L94 96", ink, 6, cap="butt") + walker(ink, dx=-14)


def p_standing(ink: str, bg: str) -> str:
    return stander(ink)


def p_walking(ink: str, bg: str) -> str:
    return walker(ink, dx=-4)


def p_climbing(ink: str, bg: str) -> str:
    ladder = (line("M56 2 L56 98", ink, 5) + line("M86 2 L86 98", ink, 5)
              + "".join(line(f"M56 {y} L86 {y}", ink, 4) for y in (12, 32, 52, 72, 92)))
    person = (circle(44, 14, 8, ink) + line("M44 28 L42 58", ink, 13)
              + line("M46 30 L58 22", ink, 7) + line("M44 34 L58 38", ink, 7)
              + line("M42 58 L56 62 L58 72", ink, 10) + line("M42 58 L40 80 L56 86", ink, 10))
    return ladder + person


def p_touch(ink: str, bg: str) -> str:
    return rect(86, 8, 8, 84, ink) + hand_point(ink, x=0, y=10, s=0.95)


def p_glove(ink: str, bg: str) -> str:
    return glove(ink, bg)


def p_shirt(ink: str, bg: str) -> str:
    return fill("M36 8 L44 8 C44 18 56 18 56 8 L64 8 L92 26 L84 44 L72 38 L72 94 L28 94 L28 38 L16 44 L8 26 Z", ink)


def p_spiked_shoe(ink: str, bg: str) -> str:
    shoe = fill("M8 40 L36 40 C40 50 52 54 70 56 C84 58 92 64 92 74 L92 80 L8 80 Z", ink)
    spikes = "".join(fill(f"M{x} 80 L{x + 8} 80 L{x + 4} 94 Z", ink) for x in (12, 30, 48, 66, 82))
    return shoe + spikes


def p_phone_waves(ink: str, bg: str) -> str:
    return (rect(30, 24, 32, 72, ink, rx=6) + rect(35, 32, 22, 40, bg, rx=2) + circle(46, 84, 4, bg)
            + line("M70 18 C76 24 76 34 70 40", ink, 4) + line("M78 10 C88 20 88 38 78 48", ink, 4)
            + line("M86 2 C100 16 100 42 86 56", ink, 4))


def p_exclamation_warning(ink: str, bg: str) -> str:
    return fill("M42 16 L58 16 L55 70 L45 70 Z", ink) + circle(50, 84, 8, ink)


def p_flame_on_base(ink: str, bg: str) -> str:
    return flame(50, 12, 48, 70, ink, bg) + rect(16, 86, 68, 10, ink)


def p_explosion(ink: str, bg: str) -> str:
    pts = []
    for i in range(16):
        r = 36 if i % 2 == 0 else 16
        pts.append(rot(50 + r, 62, 50, 62, i * 22.5 - 90))
    d = "M" + " L".join(f"{f(x)} {f(y)}" for x, y in pts) + " Z"
    return fill(d, ink) + circle(50, 62, 7, bg)


def p_corrosion(ink: str, bg: str) -> str:
    tube_l = fill("M26 40 L40 26 L48 34 L34 48 Z", ink)
    tube_r = fill("M74 40 L60 26 L52 34 L66 48 Z", ink)
    drip_l = line("M30 52 L30 60", ink, 4) + line("M36 54 L36 64", ink, 3)
    drip_r = line("M70 52 L70 60", ink, 4) + line("M64 54 L64 64", ink, 3)
    hand = fill("M8 76 L28 72 C32 66 38 64 42 68 L42 84 C38 88 30 90 22 90 L8 90 Z", ink)
    block = fill("M58 70 L92 70 L92 90 L58 90 L63 80 Z", ink)
    return tube_l + tube_r + drip_l + drip_r + hand + block + rect(6, 93, 88, 5, ink)


def p_skull(ink: str, bg: str) -> str:
    skull = fill("M50 4 C70 4 80 18 80 34 C80 46 72 50 70 56 L70 62 L30 62 L30 56 C28 50 20 46 20 34 C20 18 30 4 50 4 Z", ink)
    eyes = circle(39, 32, 8, bg) + circle(61, 32, 8, bg) + fill("M50 40 L55 50 L45 50 Z", bg)
    teeth = rect(40, 56, 3, 6, bg) + rect(48.5, 56, 3, 6, bg) + rect(57, 56, 3, 6, bg)
    bones = line("M16 66 L84 96", ink, 9) + line("M84 66 L16 96", ink, 9)
    knobs = "".join(circle(x, y, 6, ink) for x, y in ((12, 64), (88, 64), (12, 98), (88, 98)))
    return shrink(bones + knobs + skull + eyes + teeth, 0.78)


def p_bolt(ink: str, bg: str) -> str:
    return shrink(fill("M58 2 L26 54 L48 54 L34 90 L28 86 L38 100 L56 84 L50 86 L76 40 L54 40 L74 2 Z", ink), 0.86, 46)


def p_cable(ink: str, bg: str) -> str:
    return (rect(14, 60, 72, 5, ink)
            + line("M6 84 C30 72 44 96 70 84 C80 80 88 80 94 84", ink, 9)
            + fill("M56 14 L40 38 L51 38 L44 56 L64 30 L53 30 L62 14 Z", ink))


def p_auto_start(ink: str, bg: str) -> str:
    return (gear(50, 66, 22, 16, 9, ink, bg, 6)
            + line("M22 70 C20 52 30 38 46 36", ink, 5, cap="butt") + fill("M44 28 L58 36 L44 44 Z", ink)
            + line("M78 62 C80 80 70 94 54 96", ink, 5, cap="butt") + fill("M56 88 L42 96 L56 104 Z", ink))


def p_machinery(ink: str, bg: str) -> str:
    return (gear(50, 44, 18, 13, 8, ink, bg, 5) + gear(70, 70, 18, 13, 8, ink, bg, 5)
            + hand_point(ink, x=2, y=50, s=0.55))


def p_fall_into_hole(ink: str, bg: str) -> str:
    ground = rect(4, 78, 32, 8, ink) + rect(66, 78, 30, 8, ink)
    person = (circle(52, 88, 7, ink) + line("M50 77 L46 56", ink, 11)
              + line("M48 72 L60 66", ink, 6) + line("M47 66 L36 72", ink, 6)
              + line("M46 56 L54 40 L50 26", ink, 9) + line("M46 56 L38 40 L30 36", ink, 9))
    return ground + person


def p_falling_object(ink: str, bg: str) -> str:
    box = fill("M42 16 L62 20 L58 40 L38 36 Z", ink)
    lines = line("M34 22 L34 34", ink, 3) + line("M68 26 L68 38", ink, 3)
    return box + lines + stander(ink, cx=50, top=46, s=0.54)


def p_suspended_load(ink: str, bg: str) -> str:
    hook = line("M50 0 L50 14", ink, 5) + line("M50 14 C40 14 40 26 50 26 C56 26 58 20 56 18", ink, 5)
    slings = line("M50 26 L28 44", ink, 3) + line("M50 26 L72 44", ink, 3)
    load = rect(24, 44, 52, 20, ink)
    return hook + slings + load + stander(ink, cx=50, top=70, s=0.3)


def p_hot_surface(ink: str, bg: str) -> str:
    waves = "".join(line(f"M{x} 76 C{x - 8} 68 {x + 8} 60 {x} 52 C{x - 8} 44 {x + 8} 36 {x} 28", ink, 5)
                    for x in (34, 50, 66))
    return waves + rect(8, 82, 84, 12, ink)


def p_cut_hand(ink: str, bg: str) -> str:
    blade = fill("M4 70 L96 70 L96 80 L4 80 Z", ink) + "".join(
        fill(f"M{x} 70 L{x + 6} 60 L{x + 12} 70 Z", ink) for x in range(4, 92, 12))
    return hand_up(ink, bg, x=20, y=12, s=0.56) + blade + rect(4, 84, 92, 10, ink)


def p_pinch_hand(ink: str, bg: str) -> str:
    return (circle(56, 48, 15, ink) + circle(56, 80, 15, ink) + circle(56, 48, 5, bg) + circle(56, 80, 5, bg)
            + hand_point(ink, x=-2, y=42, s=0.52))


def p_arc(ink: str, bg: str) -> str:
    rays = "".join(line(f"M{f(44 + 13 * math.cos(math.radians(a)))} {f(68 + 13 * math.sin(math.radians(a)))} "
                        f"L{f(44 + 28 * math.cos(math.radians(a)))} {f(68 + 28 * math.sin(math.radians(a)))}", ink, 5)
                   for a in (-170, -135, -100, -20, 190))
    rod = line("M48 62 L66 32", ink, 7)
    return rod + rays + circle(44, 68, 8, ink) + rect(8, 84, 84, 12, ink)


def p_forklift(ink: str, bg: str) -> str:
    return shrink(rect(6, 54, 52, 26, ink, rx=3)
                  + line("M14 54 L14 22 L46 22 L52 54", ink, 5)
                  + rect(60, 10, 7, 72, ink) + rect(60, 76, 36, 6, ink)
                  + halo("M6 84 A12 12 0 1 0 30 84 A12 12 0 1 0 6 84 Z", ink, bg, 2)
                  + halo("M36 84 A12 12 0 1 0 60 84 A12 12 0 1 0 36 84 Z", ink, bg, 2)
                  + circle(18, 84, 4, bg) + circle(48, 84, 4, bg), 0.82)


def p_car(ink: str, bg: str) -> str:
    return shrink(fill("M4 66 L10 48 L28 44 L38 26 L72 26 L84 44 L94 48 L96 66 Z", ink)
            + fill("M42 32 L52 32 L52 44 L36 44 Z", bg) + fill("M58 32 L68 32 L76 44 L58 44 Z", bg)
            + circle(26, 68, 12, ink) + circle(74, 68, 12, ink) + circle(26, 68, 5, bg) + circle(74, 68, 5, bg)
            + rect(2, 86, 96, 6, ink), 0.86)


def p_fall_from_edge(ink: str, bg: str) -> str:
    edge = rect(14, 58, 30, 8, ink) + rect(14, 66, 8, 32, ink)
    person = (circle(58, 44, 7, ink) + line("M56 54 L64 74", ink, 11)
              + line("M57 58 L48 50", ink, 6) + line("M60 60 L72 54", ink, 6)
              + line("M64 74 L58 90", ink, 9) + line("M64 74 L78 86", ink, 9))
    arrow = line("M84 62 L84 80", ink, 4) + fill("M78 78 L90 78 L84 88 Z", ink)
    return edge + person + arrow


def p_slip(ink: str, bg: str) -> str:
    person = (circle(32, 28, 9, ink) + line("M38 42 L58 60", ink, 13)
              + line("M42 46 L30 60", ink, 7) + line("M44 46 L60 38", ink, 7)
              + line("M58 60 L80 54 L94 60", ink, 10) + line("M58 60 L52 80 L40 84", ink, 10))
    return shrink(person + rect(4, 90, 92, 6, ink) + line("M60 84 L86 84", ink, 3), 0.8)


def drop(x: float, y: float, r: float, deg: float, ink: str) -> str:
    """A drop flying away from its source: round head at (x, y), tail pointing back at angle deg."""
    tail = 2.6 * r
    d = (f"M{f(-r)} 0 A{f(r)} {f(r)} 0 1 0 {f(r)} 0 L0 {f(-tail)} Z")
    return f'<path d="{d}" fill="{ink}" transform="translate({f(x)} {f(y)}) rotate({f(deg)})"/>'


def p_anoxia(ink: str, bg: str) -> str:
    """当心缺氧: “O2” with an arrow pointing down (less oxygen)."""
    o2 = (ring(36, 64, 15, ink, 8)
          + line("M58 66 C58 57 76 57 76 66 C76 73 60 80 58 88 L78 88", ink, 6))
    arrow = line("M50 8 L50 28", ink, 7, cap="butt") + fill("M39 26 L61 26 L50 40 Z", ink)
    return o2 + arrow


def p_rollers(ink: str, bg: str) -> str:
    """当心卷入: two counter-rotating rollers (ISO 7010 W025) with a hand drawn into their nip."""
    rollers = (circle(28, 72, 21, ink) + circle(72, 72, 21, ink)
               + circle(28, 72, 5, bg) + circle(72, 72, 5, bg))
    arrows = (line("M12 50 C16 40 26 38 34 42", ink, 4, cap="butt") + fill("M32 36 L42 46 L30 48 Z", ink)
              + line("M88 50 C84 40 74 38 66 42", ink, 4, cap="butt") + fill("M68 36 L58 46 L70 48 Z", ink))
    hand = (rect(42, 10, 16, 22, ink, rx=5) + line("M50 28 L50 48", ink, 7))
    return rollers + arrows + hand


def p_splash(ink: str, bg: str) -> str:
    """当心飞溅: drops flying up and out from a point on a surface."""
    base = rect(6, 88, 88, 8, ink)
    drops = "".join(drop(50 + dist * math.cos(math.radians(a)), 84 + dist * math.sin(math.radians(a)), r, a - 90, ink)
                    for a, dist, r in ((-90, 46, 9), (-128, 40, 8.5), (-52, 40, 8.5), (-160, 30, 8), (-20, 30, 8)))
    return base + drops + circle(50, 82, 5, ink)


def p_manual_call(ink: str, bg: str) -> str:
    """A wall box with a round push button, a hand's finger pressing it (GB 13495.1 手动启动器 type)."""
    box = rect(40, 6, 54, 60, ink, rx=4) + rect(46, 12, 42, 48, bg, rx=2) + circle(67, 36, 13, ink)
    hand = fill("M4 92 L4 66 C10 60 18 58 26 58 L52 40 C58 36 64 42 58 48 L44 60 L52 62 "
                "C58 64 58 72 52 74 L48 76 C52 80 50 86 44 86 L26 92 Z", ink)
    return box + hand


def p_helmet(ink: str, bg: str) -> str:
    return (head_front(ink)
            + halo("M28 40 C28 20 38 12 50 12 C62 12 72 20 72 40 Z", ink, bg)
            + halo("M22 38 L78 38 C81 38 81 45 78 45 L22 45 C19 45 19 38 22 38 Z", ink, bg)
            + rect(48, 14, 4, 24, bg))


def p_cap(ink: str, bg: str) -> str:
    return (head_front(ink)
            + halo("M31 38 C31 22 40 16 50 16 C60 16 69 22 69 38 Z", ink, bg)
            + halo("M30 36 C40 33 60 33 70 36 L70 41 C60 38 40 38 30 41 Z", ink, bg))


def p_goggles(ink: str, bg: str, dark: bool = False) -> str:
    lens = (rect(31, 38, 17, 14, bg, rx=5) + rect(52, 38, 17, 14, bg, rx=5) + rect(46, 42, 8, 4, bg)
            + rect(24, 42, 8, 4, bg) + rect(68, 42, 8, 4, bg))
    if not dark:
        lens += rect(35, 41, 9, 8, ink, rx=3) + rect(56, 41, 9, 8, ink, rx=3)
    return head_front(ink) + lens


def p_shade_goggles(ink: str, bg: str) -> str:
    return p_goggles(ink, bg, dark=True)


def p_gas_mask(ink: str, bg: str) -> str:
    face = "M32 40 C32 29 40 25 50 25 C60 25 68 29 68 40 L67 54 C65 64 58 68 50 68 C42 68 35 64 33 54 Z"
    return (head_front(ink)
            + f'<path d="{face}" fill="none" stroke="{bg}" stroke-width="3"/>'
            + circle(42, 41, 6, bg) + circle(58, 41, 6, bg)
            + halo("M38 70 A12 12 0 1 0 62 70 A12 12 0 1 0 38 70 Z", ink, bg, 3)
            + ring(50, 70, 7, bg, 2.5) + circle(50, 70, 2.5, bg))


def p_dust_mask(ink: str, bg: str) -> str:
    return (head_front(ink)
            + fill("M37 48 C37 62 43 66 50 66 C57 66 63 62 63 48 C58 46 42 46 37 48 Z", bg)
            + line("M37 50 L30 44", bg, 3) + line("M63 50 L70 44", bg, 3))


def p_ear_muffs(ink: str, bg: str) -> str:
    band = ('<path d="M27 46 C27 14 73 14 73 46" fill="none" stroke="' + bg + '" stroke-width="11"/>'
            + line("M27 46 C27 14 73 14 73 46", ink, 5, cap="butt"))
    return (head_front(ink) + band
            + halo("M20 38 C20 34 23 32 27 32 L31 32 L31 62 L27 62 C23 62 20 60 20 56 Z", ink, bg)
            + halo("M80 38 C80 34 77 32 73 32 L69 32 L69 62 L73 62 C77 62 80 60 80 56 Z", ink, bg))


def p_harness(ink: str, bg: str) -> str:
    person = (circle(50, 12, 9, ink)
              + fill("M36 26 L64 26 L62 62 L38 62 Z", ink)
              + line("M35 28 L27 56", ink, 8) + line("M65 28 L73 56", ink, 8)
              + line("M44 60 L43 96", ink, 11) + line("M56 60 L57 96", ink, 11))
    straps = (line("M42 27 L45 62", bg, 3) + line("M58 27 L55 62", bg, 3) + line("M40 44 L60 44", bg, 3)
              + line("M38 66 L50 62 L62 66", bg, 3) + line("M38 72 L49 66", bg, 3) + line("M62 72 L51 66", bg, 3))
    lanyard = line("M50 30 C62 20 70 12 84 4", ink, 3) + circle(84, 4, 4, ink)
    return person + straps + lanyard


def p_coverall(ink: str, bg: str) -> str:
    return (fill("M34 8 L44 8 C44 16 56 16 56 8 L66 8 L86 22 L80 48 L70 42 L70 96 L53 96 L50 60 "
                 "L47 96 L30 96 L30 42 L20 48 L14 22 Z", ink)
            + line("M50 16 L50 56", bg, 2.5))


def p_antistatic_coverall(ink: str, bg: str) -> str:
    earth = (line("M62 32 L62 42", bg, 2.5) + rect(55, 42, 14, 2.5, bg) + rect(57.5, 46, 9, 2.5, bg)
             + rect(60, 50, 4, 2.5, bg))
    return p_coverall(ink, bg) + earth


def p_vest(ink: str, bg: str) -> str:
    return (fill("M30 8 L42 8 C42 30 58 30 58 8 L70 8 L80 24 L80 94 L20 94 L20 24 Z", ink)
            + rect(20, 56, 60, 6, bg) + rect(20, 72, 60, 6, bg) + line("M50 32 L50 94", bg, 2.5))


def p_boot(ink: str, bg: str) -> str:
    return (fill("M24 6 L56 6 L56 56 C62 60 80 62 88 68 C94 72 94 80 92 84 L24 84 Z", ink)
            + rect(22, 84, 72, 4, bg) + rect(22, 88, 72, 8, ink, rx=2))


def p_earth(ink: str, bg: str) -> str:
    return rect(45, 4, 10, 50, ink) + rect(16, 54, 68, 10, ink) + rect(28, 70, 44, 9, ink) + rect(40, 85, 20, 8, ink)


def p_padlock(ink: str, bg: str) -> str:
    return (line("M32 48 L32 32 C32 10 68 10 68 32 L68 48", ink, 9)
            + rect(20, 44, 60, 50, ink, rx=6) + circle(50, 63, 6, bg) + rect(47, 63, 6, 16, bg))


def p_discharge(ink: str, bg: str) -> str:
    return (circle(70, 26, 14, ink) + rect(66, 38, 8, 36, ink)
            + rect(50, 74, 40, 6, ink) + rect(58, 84, 24, 5, ink) + rect(65, 92, 10, 4, ink)
            + hand_point(ink, x=-2, y=2, s=0.62))


def p_running_exit(ink: str, bg: str) -> str:
    door = line("M64 94 L64 6 L94 6 L94 94", ink, 5, cap="butt")
    return door + runner(ink, dx=-14)


def p_cross(ink: str, bg: str) -> str:
    return rect(38, 12, 24, 76, ink) + rect(12, 38, 76, 24, ink)


def p_telephone(ink: str, bg: str) -> str:
    return (fill("M12 88 L22 54 L78 54 L88 88 Z", ink) + circle(50, 71, 10, bg) + circle(50, 71, 5, ink)
            + fill("M8 40 C8 22 28 14 50 14 C72 14 92 22 92 40 L74 46 L70 33 C60 29 40 29 30 33 L26 46 Z", ink))


def p_eyewash(ink: str, bg: str) -> str:
    eye = fill("M10 34 Q50 4 90 34 Q50 64 10 34 Z", ink) + circle(50, 34, 12, bg) + circle(50, 34, 6, ink)
    jets = line("M50 84 C50 66 38 58 30 54", ink, 5) + line("M50 84 C50 66 62 58 70 54", ink, 5)
    basin = fill("M22 84 L78 84 C78 92 70 96 62 96 L38 96 C30 96 22 92 22 84 Z", ink)
    return eye + jets + basin


def p_assembly(ink: str, bg: str) -> str:
    arrows = ""
    for cx, cy, deg in ((6, 6, 0), (94, 6, 90), (94, 94, 180), (6, 94, 270)):
        pts = [(0, 0), (22, 0), (15, 7), (26, 18), (18, 26), (7, 15), (0, 22)]
        arrows += fill("M" + " L".join(f"{f(x)} {f(y)}" for x, y in
                                       (rot(cx + px, cy + py, cx, cy, deg) for px, py in pts)) + " Z", ink)
    people = (stander(ink, cx=34, top=38, s=0.4) + stander(ink, cx=50, top=32, s=0.46)
              + stander(ink, cx=66, top=38, s=0.4))
    return arrows + people


def p_shelter(ink: str, bg: str) -> str:
    roof = fill("M4 46 L50 6 L96 46 L86 46 L50 16 L14 46 Z", ink)
    walls = rect(14, 46, 8, 48, ink) + rect(78, 46, 8, 48, ink) + rect(4, 92, 92, 6, ink)
    return roof + walls + stander(ink, cx=50, top=40, s=0.5)


def p_flame_big(ink: str, bg: str) -> str:
    return flame(50, 4, 60, 88, ink, bg)


def p_arrow(ink: str, bg: str) -> str:
    return fill("M8 40 L54 40 L54 18 L92 50 L54 82 L54 60 L8 60 Z", ink)


def p_extinguisher(ink: str, bg: str) -> str:
    return (rect(42, 34, 28, 62, ink, rx=8) + rect(49, 22, 14, 14, ink)
            + line("M56 20 L76 12", ink, 5) + line("M50 24 C34 24 28 38 30 60", ink, 4)
            + fill("M26 58 L34 58 L36 70 L24 70 Z", ink)
            + flame(20, 2, 22, 30, ink, bg))


def p_none(ink: str, bg: str) -> str:
    return ""


# ------------------------------------------------------------------ words as outlines
# A 文字辅助标志 and the numerals of a road-traffic limit carry words. The drawings stay free of
# fonts: each character is the outline of its glyph in Noto Sans CJK SC Bold, a path.

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
FONT_NAME = "Noto Sans CJK SC"


@lru_cache(maxsize=1)
def _font():
    from fontTools.ttLib import TTCollection
    for font in TTCollection(str(FONT)).fonts:
        if font["name"].getDebugName(1) == FONT_NAME:
            return font
    raise LookupError(f"{FONT_NAME} not in {FONT}")


def _advance(ch: str, size: float) -> float:
    font = _font()
    return font["hmtx"][font.getBestCmap()[ord(ch)]][0] * size / font["head"].unitsPerEm


def glyphs(text: str, x: float, y: float, size: float, ink: str) -> str:
    """`text` set at font size `size`, its em box's top-left corner at (x, y), as one path."""
    from fontTools.pens.svgPathPen import SVGPathPen
    from fontTools.pens.transformPen import TransformPen
    font = _font()
    gs, cmap, upm = font.getGlyphSet(), font.getBestCmap(), font["head"].unitsPerEm
    k = size / upm
    pen = SVGPathPen(gs, ntos=f)
    for ch in text:
        gs[cmap[ord(ch)]].draw(TransformPen(pen, (k, 0, 0, -k, x, y + 880 * k)))  # ascender 880 of 1000
        x += _advance(ch, size)
    return fill(pen.getCommands(), ink)


def words(text: str, ink: str, x: float, y: float, w: float, h: float, leading: float = 1.2) -> str:
    """`text` in as few, as large, centred lines as fit the box (CJK: one em a character)."""
    if "/" in text:  # the lines given (breaks between words)
        lines = text.split("/")
        size = min(w / max(len(ln) for ln in lines), h / (len(lines) * leading - (leading - 1)))
    else:
        best = None
        for rows in range(1, len(text) + 1):
            per = math.ceil(len(text) / rows)
            size = min(w / per, h / (rows * leading - (leading - 1)))
            if best is None or size > best[0]:
                best = (size, per)
        size, per = best
        lines = [text[i:i + per] for i in range(0, len(text), per)]
    top = y + (h - size * (len(lines) * leading - (leading - 1))) / 2
    out = ""
    for i, ln in enumerate(lines):
        width = sum(_advance(ch, size) for ch in ln)
        out += glyphs(ln, x + (w - width) / 2, top + i * size * leading, size, ink)
    return out


# ------------------------------------------------------------------ frames


def _svg(body: str, cls: str, comment: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" width="{SIZE}" height="{SIZE}" '
            f'class="{cls}">\n<!-- {comment} -->\n{body}\n</svg>\n')


def _picto(draw, ink: str, bg: str, x: float, y: float, size: float) -> str:
    body = draw(ink, bg)
    if not body:
        return '<g class="pictogram"/>'
    return f'<g class="pictogram" transform="translate({f(x)} {f(y)}) scale({f(size / 100)})">{body}</g>'


def prohibition(draw, bar: bool = True) -> str:
    d = 96.0
    outer, inner = d / 2, 0.8 * d / 2
    c = 0.08 * d
    k = inner / math.sqrt(2)
    body = (circle(50, 50, outer, WHITE) + _picto(draw, BLACK, WHITE, 19, 19, 62)
            + (f'<path class="bar" d="M{f(50 - k)} {f(50 - k)} L{f(50 + k)} {f(50 + k)}" stroke="{RED}" '
               f'stroke-width="{f(c)}"/>' if bar else "")
            + f'<circle class="ring" cx="50" cy="50" r="{f((outer + inner) / 2)}" fill="none" stroke="{RED}" '
              f'stroke-width="{f(outer - inner)}"/>')
    what = "bar 0.08 d at 45 degrees" if bar else "no bar (restriction)"
    return _svg(body, "sign prohibition", f"GB 2894-2008 prohibition sign: ring outer d = 96, inner d1 = 0.8 d, {what}")


def warning(draw) -> str:
    a1 = 92.0
    a2 = 0.7 * a1
    r = 0.08 * a2
    edging = 0.025 * a1
    cx, cy = 50.0, 60.0  # centroid
    in_r_outer = a1 / (2 * math.sqrt(3))          # inradius of the outer (sharp) triangle
    core_in_r = in_r_outer - r                    # polygon that, stroked 2r with round joins, gives the band
    core_side = 2 * math.sqrt(3) * core_in_r

    def tri(in_r: float) -> str:
        R = 2 * in_r
        pts = [rot(cx, cy - R, cx, cy, a) for a in (0, 120, 240)]
        return " ".join(f"{f(x)},{f(y)}" for x, y in pts)

    in_r_inner = a2 / (2 * math.sqrt(3))
    body = (f'<polygon class="edging" points="{tri(core_in_r)}" fill="{YELLOW}" stroke="{YELLOW}" '
            f'stroke-width="{f(2 * (r + edging))}" stroke-linejoin="round"/>'
            f'<polygon class="border" points="{tri(core_in_r)}" fill="{BLACK}" stroke="{BLACK}" '
            f'stroke-width="{f(2 * r)}" stroke-linejoin="round"/>'
            f'<polygon class="field" points="{tri(in_r_inner)}" fill="{YELLOW}"/>'
            + _picto(draw, BLACK, YELLOW, cx - 25, cy + in_r_inner - 52.5, 50))
    assert abs(core_side + 2 * math.sqrt(3) * r - a1) < 1e-9
    return _svg(body, "sign warning",
                "GB 2894-2008 warning sign: black band, outer side a1 = 92, inner a2 = 0.7 a1, "
                "outer corner radius 0.08 a2, yellow edging 0.025 a1")


def mandatory(draw) -> str:
    body = (f'<circle class="disc" cx="50" cy="50" r="48" fill="{BLUE}"/>'
            + _picto(draw, WHITE, BLUE, 17, 17, 66))
    return _svg(body, "sign mandatory", "GB 2894-2008 mandatory sign: blue disc d = 96, white pictogram")


def information(draw) -> str:
    body = (f'<rect class="panel" x="2" y="2" width="96" height="96" fill="{GREEN}"/>'
            + _picto(draw, WHITE, GREEN, 12, 12, 76))
    return _svg(body, "sign information", "GB 2894-2008 information sign: green square a = 96, white pictogram")


def fire(draw) -> str:
    body = (f'<rect class="panel" x="2" y="2" width="96" height="96" fill="{RED}"/>'
            + _picto(draw, WHITE, RED, 12, 12, 76))
    return _svg(body, "sign fire", "GB 13495.1 fire equipment sign: red square a = 96, white pictogram")


TEXT_PANEL = {"禁止": ("prohibition", RED, WHITE), "指令": ("mandatory", BLUE, WHITE),
              "警告": ("warning", WHITE, BLACK), "提示": ("information", GREEN, WHITE)}


def text_sign(category: str, text: str) -> str:
    """A 文字辅助标志 standing alone (GB 2894-2008 4.5): the words on a square panel, white on the
    colour of 禁止 and 指令 signs, black on white with a black border for 警告, white on green for
    提示. Used where no standard graphic sign carries the meaning."""
    kind, panel, ink = TEXT_PANEL[category]
    border = f' stroke="{BLACK}" stroke-width="4"' if panel == WHITE else ""
    body = (f'<rect class="panel" x="2" y="2" width="96" height="96" fill="{panel}"{border}/>'
            + f'<g class="pictogram">{words(text, ink, 10, 10, 80, 80)}</g>')
    return _svg(body, f"sign text-sign {kind}", f"GB 2894-2008 4.5 text sign ({category}): {text.replace('/', '')}")


def traffic(field: str, inner) -> str:
    """A GB 5768.2 禁令标志 (road traffic prohibition): red ring d = 96, inner 0.8 d, round field."""
    body = (f'<circle class="field" cx="50" cy="50" r="46" fill="{field}"/>'
            + f'<g class="pictogram">{inner}</g>'
            + f'<circle class="ring" cx="50" cy="50" r="43.2" fill="none" stroke="{RED}" stroke-width="9.6"/>')
    return _svg(body, "sign traffic prohibition", "GB 5768.2 road traffic prohibition sign: red ring")


def no_parking() -> str:
    """GB 5768.2 禁止停车: blue field, red ring, red cross."""
    k = 38.4 / math.sqrt(2)
    cross = "".join(f'<path class="bar" d="M{f(50 - k)} {f(50 + s * k)} L{f(50 + k)} {f(50 - s * k)}" '
                    f'stroke="{RED}" stroke-width="7.68"/>' for s in (-1, 1))
    return traffic(BLUE, cross)


def speed_limit(value: str) -> str:
    """GB 5768.2 限制速度: white field, red ring, the limit in black numerals."""
    return traffic(WHITE, words(value, BLACK, 22, 24, 56, 52))


def height_limit(value: str) -> str:
    """GB 5768.2 限制高度: white field, red ring, the height in black with a triangle above and below."""
    return traffic(WHITE, words(value, BLACK, 18, 33, 64, 34)
                   + fill("M40 14 L60 14 L50 27 Z", BLACK) + fill("M40 86 L60 86 L50 73 Z", BLACK))


SIGNS = {
    # 禁止
    "prohibition-generic": (prohibition, p_none),
    "no-smoking": (prohibition, p_cigarette),
    "no-fire": (prohibition, p_match),
    "no-kindling": (prohibition, p_lighter),
    "no-water-extinguishing": (prohibition, p_water_on_fire),
    "no-flammables": (prohibition, p_flammables),
    "no-stacking": (prohibition, p_boxes),
    "no-starting": (prohibition, p_button_press),
    "no-switching-on": (prohibition, p_knife_switch),
    "no-rotating": (prohibition, p_rotation),
    "no-riding": (prohibition, p_person_on_forks),
    "no-entry": (prohibition, p_no_entry),
    "no-standing": (prohibition, p_standing),
    "no-thoroughfare": (prohibition, p_walking),
    "no-climbing": (prohibition, p_climbing),
    "no-touching": (prohibition, p_touch),
    "no-gloves": (prohibition, p_glove),
    "no-synthetic-clothing": (prohibition, p_shirt),
    "no-spiked-shoes": (prohibition, p_spiked_shoe),
    "no-mobile-phone": (prohibition, p_phone_waves),
    # 警告
    "caution": (warning, p_exclamation_warning),
    "fire-hazard": (warning, p_flame_on_base),
    "explosion": (warning, p_explosion),
    "corrosion": (warning, p_corrosion),
    "poison": (warning, p_skull),
    "electric-shock": (warning, p_bolt),
    "cable": (warning, p_cable),
    "automatic-start": (warning, p_auto_start),
    "machinery": (warning, p_machinery),
    "hole": (warning, p_fall_into_hole),
    "falling-objects": (warning, p_falling_object),
    "overhead-load": (warning, p_suspended_load),
    "hot-surface": (warning, p_hot_surface),
    "hand-injury": (warning, p_cut_hand),
    "hand-pinch": (warning, p_pinch_hand),
    "arc": (warning, p_arc),
    "forklift": (warning, p_forklift),
    "vehicles": (warning, p_car),
    "fall": (warning, p_fall_from_edge),
    "slip": (warning, p_slip),
    "anoxia": (warning, p_anoxia),
    "rollers": (warning, p_rollers),
    "splash": (warning, p_splash),
    # 指令
    "mandatory-generic": (mandatory, p_exclamation),
    "wear-helmet": (mandatory, p_helmet),
    "wear-cap": (mandatory, p_cap),
    "wear-goggles": (mandatory, p_goggles),
    "wear-shade-goggles": (mandatory, p_shade_goggles),
    "wear-gas-mask": (mandatory, p_gas_mask),
    "wear-dust-mask": (mandatory, p_dust_mask),
    "wear-ear-protection": (mandatory, p_ear_muffs),
    "wear-harness": (mandatory, p_harness),
    "wear-protective-clothing": (mandatory, p_coverall),
    "wear-antistatic-clothing": (mandatory, p_antistatic_coverall),
    "wear-hi-vis-vest": (mandatory, p_vest),
    "wear-gloves": (mandatory, p_glove),
    "wear-safety-shoes": (mandatory, p_boot),
    "earth": (mandatory, p_earth),
    "lock-out": (mandatory, p_padlock),
    "discharge-static": (mandatory, p_discharge),
    # 提示
    "information-generic": (information, p_none),
    "emergency-exit": (information, p_running_exit),
    "first-aid": (information, p_cross),
    "emergency-phone": (information, p_telephone),
    "eyewash": (information, p_eyewash),
    "assembly-point": (information, p_assembly),
    "refuge": (information, p_shelter),
    "hot-work-area": (information, p_flame_big),
    "evacuation-direction": (information, p_arrow),
    # 消防 (GB 13495.1)
    "fire-extinguisher": (fire, p_extinguisher),
    "fire-manual-activation": (fire, p_manual_call),
}

# Drawings that are not a frame around a pictogram: road-traffic signs (GB 5768.2) and the
# 文字辅助标志 of names no standard graphic sign carries (the words are the content's).
OTHER = {
    "traffic-no-parking": no_parking,
    "traffic-speed-limit-5": lambda: speed_limit("5"),
    "traffic-height-limit-4m": lambda: height_limit("4m"),
}
TEXT_SIGNS = {
    "text-no-overload": ("禁止", "禁止/超载"),
    "text-no-drinks": ("禁止", "禁止/带入饮料"),
    "text-no-hot-work-without-permit": ("禁止", "禁止/无票动火"),
    "text-no-rest-under-vehicle": ("禁止", "禁止在/车下休息"),
    "text-driver-stays-while-loading": ("禁止", "装卸时/驾驶员/不得离车"),
    "text-no-mixed-cylinders": ("禁止", "气瓶存放间/严禁混放"),
    "text-keep-exits-clear": ("指令", "必须保持/安全出口/畅通"),
    "text-hot-work-permit": ("指令", "动火作业/须审批"),
    "text-confined-space-permit": ("指令", "有限空间/作业须审批"),
    "text-engine-off-refuelling": ("指令", "熄火/加油"),
    "text-forklift-lane": ("提示", "叉车/通道"),
    "text-hazmat-parking": ("提示", "危险货物/专用/停车区"),
    "text-service-area-rest": ("提示", "服务区/休息提示"),
    "text-work-here": ("提示", "在此/工作"),
    "text-emergency-shutoff": ("提示", "紧急切断/按钮位置"),
}


def drawings() -> dict[str, str]:
    """Every drawing's file stem -> its SVG text."""
    out = {name: frame(draw) for name, (frame, draw) in SIGNS.items()}
    out.update({name: make() for name, make in OTHER.items()})
    out.update({name: text_sign(cat, text) for name, (cat, text) in TEXT_SIGNS.items()})
    return out


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "site_templates" / "signs"
    out.mkdir(parents=True, exist_ok=True)
    made = drawings()
    for name, svg in made.items():
        (out / f"{name}.svg").write_text(svg, encoding="utf-8")
    print(f"{len(made)} signs -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
