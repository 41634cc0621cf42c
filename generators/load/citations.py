"""Local documents apply only where they were issued: an enterprise's content (its own files and
the library it sees) must not cite another region's documents (a region pack it does not see)."""

from __future__ import annotations

from typing import Any

from ..diagnostics import Diagnostics
from .library import Library


def _strings(data: Any, path: tuple = ()):
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from _strings(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _strings(v, path + (i,))


def check_citations(lib: Library, files: dict[str, list[Any]], library: dict[str, list[Any]], diags: Diagnostics, region: str = "") -> None:
    """Warn at each text that names a region whose pack this enterprise does not see. `region`: the
    enterprise's region as it gave it (name and code), said when no region pack of it exists."""
    own = {n for p in lib.visible for n in p.names}
    foreign = [(name, pack) for pack in lib.foreign for name in pack.names if name not in own]
    if not foreign:
        return
    foreign.sort(key=lambda x: -len(x[0]))  # 长治市上党区 before 上党区
    packs = "、".join(p.label for p in lib.visible if p.info)
    where = packs or (f"{region}（内容库中没有这个地区的地区包）" if region else "未知")
    for group in list(files.values()) + list(library.values()):
        for loaded in group:
            for path, text in _strings(loaded.located.data):
                hit = next(((n, p) for n, p in foreign if n in text), None)
                if hit:
                    name, pack = hit
                    diags.warning(loaded, path, f"引用了其他地区（{pack.label}，{pack.info.code}）的文件或规定“{name}”：地方文件只适用于其发布地的企业，"
                                  f"本企业所在地区为 {where}；请改为国家法规标准或本地区的文件")
