"""`anquan schema`: one JSON Schema per file kind, for editors with a YAML extension."""

from __future__ import annotations

import json
from pathlib import Path

from .kinds import FILE_KINDS, LIBRARY_KINDS


def schema_files() -> dict[str, dict]:
    out: dict[str, dict] = {}
    for kind in FILE_KINDS + LIBRARY_KINDS:
        prefix = "library-" if kind in LIBRARY_KINDS else ""
        name = f"{prefix}{kind.name}.schema.json"
        schema = kind.model.model_json_schema()
        schema["title"] = kind.label
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        out[name] = schema
    return out


def glob_for(name: str) -> str:
    """Which files a schema applies to, for the editor's yaml.schemas setting."""
    for kind in FILE_KINDS:
        if name == f"{kind.name}.schema.json":
            return f"content/enterprises/*/{kind.folder}/*.yaml" if kind.folder else f"content/enterprises/*/{kind.filename or kind.name}.yaml"
    for kind in LIBRARY_KINDS:
        if name == f"library-{kind.name}.schema.json":
            return f"content/library/{kind.folder}/*.yaml"
    return ""


def write_schemas(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    mapping: dict[str, str] = {}
    for name, schema in schema_files().items():
        path = out_dir / name
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=1), encoding="utf-8")
        written.append(path)
        mapping[f"./{path.as_posix()}" if not path.is_absolute() else path.as_posix()] = glob_for(name)
    (out_dir / "vscode-settings.json").write_text(json.dumps({"yaml.schemas": mapping}, ensure_ascii=False, indent=1), encoding="utf-8")
    return written
