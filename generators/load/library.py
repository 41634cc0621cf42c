"""The shared library in layers: a national layer (laws, regulations, national and industry standards)
and region packs keyed by 行政区划 code, each holding the local documents of one place.

    content/library/national/{knowledge,checklists,questions}/
    content/library/regions/<code>[-<town>]/region.yaml + {knowledge,checklists,questions}/

An enterprise sees the national layer plus the packs of its own region and of the regions above it
(province 140000 → city 140400 → county 140404, and a town pack when it is in that town). Its region
is `enterprise.region.code` or else digits 3–8 of its credit code; its town is `enterprise.region.town`
or a pack's town named in its address. A library without national/ and regions/ (the old layout,
kinds directly under content/library/) is all national.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field

from ..diagnostics import Diagnostic, Diagnostics
from ..model.base import Model, ShortText
from ..model.enterprise import RegionCode
from ..paths import display
from .yamlload import load_file


class RegionInfo(Model):
    """region.yaml of a region pack."""

    code: RegionCode = Field(description="行政区划代码（6 位），如 140404")
    name: ShortText = Field(description="地区全称，如 长治市上党区")
    town: ShortText | None = Field(default=None, description="乡镇（街道）名称：只适用于该乡镇的企业")
    aliases: list[ShortText] = Field(default_factory=list, description="简称，如 上党区；检查其他地区的引用时也查找这些名称")
    sources: list[ShortText] = Field(default_factory=list, description="本地区文件的名称与文号")


@dataclass
class Pack:
    """One layer of the library: the national layer (info None) or a region pack."""

    root: Path
    info: RegionInfo | None = None

    @property
    def label(self) -> str:
        if self.info is None:
            return "国家层"
        return self.info.name + (self.info.town or "")

    @property
    def names(self) -> list[str]:
        """The names by which documents of this region mention it."""
        if self.info is None:
            return []
        names = [self.info.name, *self.info.aliases]
        if self.info.town:
            names.append(self.info.town)
        return names


@dataclass
class Library:
    """The packs an enterprise sees, in order (national first), and the packs it does not see."""

    visible: list[Pack] = field(default_factory=list)
    foreign: list[Pack] = field(default_factory=list)


def region_chain(code: str) -> list[str]:
    """140404 → [140000, 140400, 140404] (a province-level or city-level code gives a shorter chain)."""
    chain = [code[:2] + "0000", code[:4] + "00", code]
    return list(dict.fromkeys(chain))


def read_packs(lib_root: Path, diags: Diagnostics) -> list[Pack]:
    """Every layer of the library, national first, then the region packs by code."""
    if not (lib_root / "national").is_dir() and not (lib_root / "regions").is_dir():
        return [Pack(lib_root)]
    packs = [Pack(lib_root / "national")] if (lib_root / "national").is_dir() else []
    regions = lib_root / "regions"
    for folder in sorted(p for p in regions.iterdir() if p.is_dir() and not p.name.startswith(".")) if regions.is_dir() else []:
        path = folder / "region.yaml"
        if not path.is_file():
            diags.append(Diagnostic.error(display(path), 1, 1, "", "地区包缺少 region.yaml（写明 code、name，可选 town、aliases、sources）"))
            continue
        located, problems = load_file(path, display(path))
        diags.extend(problems)
        if located is None:
            continue
        try:
            info = RegionInfo.model_validate(located.data)
        except Exception as exc:  # noqa: BLE001 - reported as a diagnostic, the pack is left out
            diags.append(Diagnostic.error(display(path), 1, 1, "", f"region.yaml 无效：{exc}"))
            continue
        packs.append(Pack(folder, info))
    return packs


def visible_packs(packs: list[Pack], code: str | None, town: str | None, address: str | None) -> Library:
    """Split the packs into those an enterprise of region `code` (and `town`) sees and the others."""
    chain = set(region_chain(code)) if code else set()
    lib = Library()
    for pack in packs:
        info = pack.info
        if info is None:
            lib.visible.append(pack)
            continue
        same_town = info.town is None or info.town == town or (town is None and bool(address) and info.town in address)  # type: ignore[operator]
        (lib.visible if info.code in chain and same_town else lib.foreign).append(pack)
    lib.visible.sort(key=_order)
    return lib


def _order(pack: Pack) -> tuple[int, int, bool]:
    """National first, then province → city → county → town."""
    if pack.info is None:
        return (0, 0, False)
    code = pack.info.code
    return (1, 0 if code.endswith("0000") else 1 if code.endswith("00") else 2, pack.info.town is not None)
