"""Which industry a piece of library content is written for: a library checklist's `industry`, a
knowledge chapter's and a knowledge section's `industry` list, matched against the enterprise's
`industry` and `industry_tags`."""

from __future__ import annotations

import re


def _plain(text: str) -> str:
    """An industry name without what is in brackets and without blanks: 道路货物运输（含危险货物） → 道路货物运输."""
    return re.sub(r"[（(][^）)]*[）)]|\s", "", text)


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def industry_matches(tag: str, names: list[str]) -> bool:
    """A library item's industry fits one of the enterprise's industry names: either contains
    the other (工贸 / 工贸行业), or the shorter, of at least four characters, reads inside the longer
    in order (道路运输 / 道路货物运输)."""
    a = _plain(tag)
    for name in names:
        b = _plain(name)
        if not a or not b:
            continue
        short, long = sorted((a, b), key=len)
        if short in long or (len(short) >= 4 and _subsequence(short, long)):
            return True
    return False


def fits(tags: list[str], names: list[str]) -> bool:
    """Content tagged `tags` (empty: every industry) applies to an enterprise of `names`."""
    return not tags or any(industry_matches(t, names) for t in tags)
