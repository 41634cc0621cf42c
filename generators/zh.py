"""Chinese numerals and dates, as documents print them (一、 第十二条 2023年2月8日), and the
width of Chinese text in characters (em)."""

from __future__ import annotations

import datetime as dt

CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """0 → 零, 1 → 一, 12 → 十二, 105 → 一百零五, 110 → 一百一十, up to 9999 (一、 第十二条 第一章)."""
    if n == 0:
        return CN_DIGITS[0]
    if n < 0 or n >= 10000:
        raise ValueError(f"number out of range: {n}")
    out = ""
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += CN_DIGITS[0]
            zero = False
        out += CN_DIGITS[d] + unit
    return out[1:] if out.startswith("一十") else out


def zh_date(d: dt.date) -> str:
    """GB/T 9704 date: full year, no leading zeros: 2023年2月8日."""
    return f"{d.year}年{d.month}月{d.day}日"


# Characters a Chinese font sets full width although Unicode leaves their width ambiguous
# (Word takes them from the East-Asian font only with w:hint="eastAsia").
AMBIGUOUS = set("“”‘’—…·《》〈〉–")


def char_width(c: str) -> float:
    """Width in em: ASCII and Latin are half width, CJK and the ambiguous punctuation full."""
    if c in AMBIGUOUS:
        return 1.0
    return 0.5 if ord(c) < 0x2E80 else 1.0


def em_width(text: str) -> float:
    return sum(char_width(c) for c in text)


def title_width(text: str) -> float:
    """A title line's width in em, on the safe side: Latin digits of the free fonts are about
    0.6 em, and a renderer may add a quarter em between Latin and CJK characters."""
    width = sum(0.6 if char_width(c) < 1 else 1.0 for c in text)
    width += 0.25 * sum(1 for a, b in zip(text, text[1:]) if (char_width(a) < 1) != (char_width(b) < 1))
    return width


def num(x: float | int) -> str:
    """A number as messages and documents print it: 20 (not 20.0), 0.5, 2.5, 1500000 (never 1.5e+06)."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return str(x)
    if isinstance(x, int) or x.is_integer():
        return str(int(x))
    text = repr(x)
    if "e" in text or "E" in text:
        text = f"{x:.10f}".rstrip("0").rstrip(".")
    return text
