"""Load an enterprise folder (and the library it inherits) into one validated `Content`.

Every problem becomes a Diagnostic naming file, line, column and field; loading
goes on after an error so that one run reports all of them.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..diagnostics import ContentError, Diagnostic, Diagnostics
from ..model import Content
from ..paths import display, safe_path
from .bounds import check_card_bounds
from .citations import check_citations
from .errors import translate
from .kinds import FILE_KINDS, LIBRARY_KINDS, FileKind
from .library import Library, Pack, read_packs, visible_packs
from .references import resolve_and_check
from .yamlload import Located, load_file

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class Loaded:
    """One validated file."""

    kind: FileKind
    path: Path
    display: str
    located: Located
    model: Any  # the validated model, or a partial one from good items

    def where(self, *path: Any) -> tuple[int, int]:
        return self.located.where(tuple(path))


def default_library(enterprise_dir: Path) -> Path | None:
    """content/enterprises/<id> inherits content/library."""
    candidate = enterprise_dir.resolve().parent.parent / "library"
    return candidate if candidate.is_dir() else None


def _validate(kind: FileKind, path: Path, display: str, diags: Diagnostics, scope: str = "") -> Loaded | None:
    before = len(diags.errors)
    loaded = validate_file(kind, path, display, diags)
    if len(diags.errors) > before:
        diags.failed.add(scope + kind.name)
    return loaded


def validate_file(kind: FileKind, path: Path, display: str, diags: Diagnostics) -> Loaded | None:
    located, file_diags = load_file(path, display)
    diags.extend(file_diags)
    if located is None:
        return None
    if located.data is None:
        diags.append(Diagnostic.error(display, 1, 1, "", f"文件是空的：{kind.label}至少需要填写必填字段"))
        return None
    if not isinstance(located.data, dict):
        diags.append(Diagnostic.error(display, 1, 1, "", f"{kind.label}文件的顶层应为“字段名: 值”的集合，而不是列表或单个值"))
        return None
    try:
        model = kind.model.model_validate(located.data)
    except ValidationError as exc:
        diags.extend(translate(exc, located, display, kind.model))
        model = _salvage(kind, located)
    except RecursionError:
        diags.append(Diagnostic.error(display, 1, 1, "", "结构嵌套过深，无法读取"))
        return None
    if model is None:
        return None
    return Loaded(kind, path, display, located, model)


def _salvage(kind: FileKind, located: Located) -> Any:
    """Keep the valid items of a list file so that one bad item does not hide the rest."""
    if not kind.list_field or not isinstance(located.data.get(kind.list_field), list):
        return None
    good = []
    item_type = kind.model.model_fields[kind.list_field].annotation.__args__[0]
    for item in located.data[kind.list_field]:
        try:
            good.append(item_type.model_validate(item))
        except (ValidationError, TypeError, ValueError):
            continue
    if not good:
        return None
    rest = {k: v for k, v in located.data.items() if k != kind.list_field}
    try:
        return kind.model.model_validate({**rest, kind.list_field: [g.model_dump() for g in good]})
    except ValidationError:
        return kind.model.model_construct(**{kind.list_field: good})


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES and not p.name.startswith("."))


def _find_single(root: Path, name: str) -> Path | None:
    for suffix in YAML_SUFFIXES:
        p = root / f"{name}{suffix}"
        if p.is_file():
            return p
    return None


def load_files(root: Path, kinds: list[FileKind], diags: Diagnostics, scope: str = "") -> dict[str, list[Loaded]]:
    out: dict[str, list[Loaded]] = {k.name: [] for k in kinds}
    for kind in kinds:
        if kind.folder:
            paths = _yaml_files(root / kind.folder)
        else:
            single = _find_single(root, kind.filename or kind.name)
            paths = [single] if single else []
        for path in paths:
            if path.is_symlink() and safe_path(root, os.path.relpath(path, root)) is None:
                diags.append(Diagnostic.error(display(path), 1, 1, "", "文件是指向企业目录之外的符号链接，已拒绝读取"))
                diags.failed.add(scope + kind.name)
                continue
            loaded = _validate(kind, path, display(path), diags, scope)
            if loaded is not None:
                out[kind.name].append(loaded)
    return out


def _unknown_files(root: Path, kinds: list[FileKind], diags: Diagnostics) -> None:
    singles = {k.filename or k.name for k in kinds if not k.folder}
    folders = {k.folder for k in kinds if k.folder}
    for path in sorted(root.iterdir()):
        if path.is_file() and path.suffix in YAML_SUFFIXES and path.stem not in singles:
            diags.append(Diagnostic.warning(display(path), 1, 1, "", "未识别的文件，已忽略（文件名应为 enterprise.yaml、hazards.yaml 等，或放在对应的子目录中）"))
        elif path.is_dir() and path.name not in folders and path.name not in ("assets",) and not path.name.startswith("."):
            if _yaml_files(path):
                diags.append(Diagnostic.warning(display(path), 0, 0, "", f"未识别的目录“{path.name}”，其中的文件已忽略"))


def load(enterprise_dir: Path | str, library_dir: Path | str | None = None, build_date: dt.date | None = None) -> tuple[Content | None, Diagnostics]:
    """Load and validate one enterprise. Content is None when it cannot be formed at all."""

    root = Path(enterprise_dir)
    diags = Diagnostics()
    if not root.is_dir():
        diags.append(Diagnostic.error(str(root), 0, 0, "", "企业目录不存在"))
        return None, diags
    lib = Path(library_dir) if library_dir else default_library(root)
    files = load_files(root, FILE_KINDS, diags)
    _unknown_files(root, FILE_KINDS, diags)
    if not files["enterprise"]:
        if _find_single(root, "enterprise") is None:
            diags.append(Diagnostic.error(display(root / "enterprise.yaml"), 1, 1, "", "缺少企业基本信息文件 enterprise.yaml"))
        return None, diags
    ent_file = files["enterprise"][0]
    ent = ent_file.model
    packs = visible_packs(read_packs(lib, diags), ent.region_code, ent.region.town if ent.region else None, ent.address) if lib else Library()
    library = load_library(packs.visible, diags)
    content = Content(root=root, enterprise=ent, build_date=build_date or dt.date.today())
    content.library_packs = [p.root for p in packs.visible]
    content.all_sources = [f.path for group in files.values() for f in group] + [f.path for group in library.values() for f in group]
    content.located_files = [(f.display, f.located) for group in [*files.values(), *library.values()] for f in group]
    resolve_and_check(content, files, library, diags)
    region = f"{ent.region_name}（{ent.region_code}）" if ent.region_name else f"行政区划代码 {ent.region_code}"
    check_citations(packs, files, library, diags, region)
    check_card_bounds(content, files, diags)
    for kind in FILE_KINDS:
        if kind.hook is not None:
            kind.hook(files, content, diags)
    return content, diags


def load_library(packs: list[Pack], diags: Diagnostics) -> dict[str, list[Loaded]]:
    """The library files of the packs an enterprise sees, national layer first."""
    out: dict[str, list[Loaded]] = {k.name: [] for k in LIBRARY_KINDS}
    for pack in packs:
        for name, loaded in load_files(pack.root, LIBRARY_KINDS, diags, scope="library:").items():
            out[name] += loaded
    return out


def load_or_raise(enterprise_dir: Path | str, **kwargs: Any) -> tuple[Content, Diagnostics]:
    content, diags = load(enterprise_dir, **kwargs)
    if content is None or diags.errors:
        raise ContentError(diags.errors or list(diags))
    return content, diags


__all__ = ["FILE_KINDS", "LIBRARY_KINDS", "FileKind", "Loaded", "Diagnostics", "load", "load_files", "load_or_raise", "validate_file"]
