"""manifest.json: what a build made, from what (each output's key, sha256, sources and notes)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"


def read_manifest(out_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) and isinstance(data.get("outputs"), dict) else {"outputs": {}}
    except (OSError, ValueError):
        return {"outputs": {}}


def write_manifest(out_dir: Path, manifest: dict[str, Any]) -> None:
    (out_dir / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")


def source_name(root: Path, source: str) -> str:
    """A job's source file as the manifest names it: relative to the enterprise folder whatever
    the working folder was (messages name files relative to it; the manifest must not)."""
    if not os.path.isabs(source) and (root / source).is_file():
        return Path(source).as_posix()
    path = Path(source).absolute()
    return Path(os.path.relpath(path, root.absolute())).as_posix() if path.is_file() else Path(source).as_posix()
