"""Where a value is written in a loaded file (line, column), for checks that report on content
after loading: the files are read again, once per check run."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..load.yamlload import Located, load_file
from ..model import Content
from ..paths import display


@lru_cache(maxsize=256)
def _located(path: str, mtime_ns: int) -> Located | None:
    located, _ = load_file(Path(path), path)
    return located


def located(path: Path) -> Located | None:
    """The file's data with positions (None when it cannot be read)."""
    try:
        return _located(str(path), path.stat().st_mtime_ns)
    except OSError:
        return None


def source_path(content: Content, shown: str) -> Path | None:
    """The loaded file a display name (as in content.sources) stands for."""
    # a display name ends with the file's name: only those files are worth a relpath
    return next((p for p in content.all_sources if shown.endswith(p.name) and display(p) == shown), None)


def where(content: Content, shown: str, path: tuple) -> tuple[int, int] | None:
    """Line and column of `path` in the file shown as `shown`, or None."""
    src = source_path(content, shown)
    loc = located(src) if src is not None else None
    return loc.where(path) if loc is not None else None


def item_where(content: Content, shown: str, list_field: str, ident: str, *rest: str | int) -> tuple[int, int] | None:
    """Line and column of a field of the list item whose id is `ident` (e.g. risk_points[id=x].zone)."""
    src = source_path(content, shown)
    loc = located(src) if src is not None else None
    if loc is None or not isinstance(loc.data, dict) or not isinstance(loc.data.get(list_field), list):
        return None
    for i, item in enumerate(loc.data[list_field]):
        if isinstance(item, dict) and item.get("id") == ident:
            return loc.where((list_field, i, *rest))
    return None
