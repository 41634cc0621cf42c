"""The package's shape: layers that import in one direction, no cycles (imports inside functions
count), explicit registries, loading independent of import order, ruff clean."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "generators"

# Lower layers never import higher ones. Same-layer imports are allowed (but no cycles).
LAYERS = [
    {"generators", "generators.rules", "generators.zh", "generators.paths", "generators.diagnostics", "generators.heap", "generators.tempdirs"},
    {"generators.model"},
    {"generators.load"},
    {"generators.checks"},
    {"generators.render"},
    {"generators.outputs"},
    {"generators.pipeline", "generators.importers"},
    {"generators.cli", "generators.__main__"},
]


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """Every module of the package this module imports, at any depth of its code."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "generators":
                    out.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module and node.module.split(".")[0] == "generators":
                target = node.module
            else:
                continue
            for alias in node.names:  # `from . import site` imports the submodule
                sub = f"{target}.{alias.name}"
                out.add(sub if sub in known else target)
    return {m for m in out if m in known and m != name}


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports_of(name, path, known) for name, path in mods.items()}


def layer_of(name: str) -> int:
    for i, layer in enumerate(LAYERS):
        for top in layer:
            if name == top or (top != "generators" and name.startswith(top + ".")):
                return i
    raise AssertionError(f"{name} is in no layer: add it to LAYERS")


def test_no_import_cycles_counting_function_level_imports():
    g = graph()
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(n: str) -> None:
        state[n] = 1
        stack.append(n)
        for m in sorted(g[n]):
            if state.get(m) == 1:
                cycles.append(stack[stack.index(m):] + [m])
            elif m not in state:
                visit(m)
        stack.pop()
        state[n] = 2

    for n in sorted(g):
        if n not in state:
            visit(n)
    assert not cycles, "import cycles:\n" + "\n".join(" → ".join(c) for c in cycles)


def test_layers_import_in_one_direction():
    g = graph()
    wrong = [f"{a} (layer {layer_of(a)}) imports {b} (layer {layer_of(b)})" for a, deps in g.items() for b in deps if layer_of(b) > layer_of(a)]
    assert not wrong, "\n".join(sorted(wrong))


def test_render_is_used_only_by_outputs_and_importers_only_by_the_cli():
    g = graph()
    for a, deps in g.items():
        for b in deps:
            if b.startswith("generators.render") and not a.startswith("generators.render"):
                assert a.startswith("generators.outputs"), f"{a} uses {b}: rendering belongs to outputs"
            if b.startswith("generators.importers") and not a.startswith("generators.importers"):
                assert a.startswith("generators.cli"), f"{a} uses {b}: importers belong to the command line"


def test_no_module_finds_its_files_relative_to_its_own_source():
    offenders = [str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py") if "Path(__file__)" in p.read_text(encoding="utf-8")]
    assert not offenders, f"use generators.paths instead of Path(__file__): {offenders}"


def test_registries_are_explicit_lists():
    from generators.checks import CHECKS
    from generators.cli import COMMANDS
    from generators.load import FILE_KINDS
    from generators.outputs import FLEET_OUTPUTS, OUTPUTS

    names = [o.name for o in OUTPUTS]
    assert names[0] == "notices" and names[-1] == "site"
    assert set(names) >= {"notices", "coverage", "handbook", "booklets", "cards", "checklists", "exams", "training", "excel", "riskmap",
                          "rating", "sixchecks", "quiz", "site"}
    assert len(set(names)) == len(names)
    kinds = [k for o in OUTPUTS for k in o.kinds]
    assert len(kinds) == len(set(kinds)), "each job kind belongs to one output"
    assert [o.name for o in FLEET_OUTPUTS] == ["portal"]
    assert {"exam_rules", "exam_history", "riskmap", "inspections"} <= {k.name for k in FILE_KINDS}
    assert len(CHECKS) >= 8
    assert [c.name for c in COMMANDS][:2] == ["check", "build"]
    for source in PACKAGE.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "register_" not in text, f"{source}: registration by import is gone; add to the explicit list"


def test_load_is_the_same_whatever_was_imported_first():
    """A fresh interpreter that imports only the loader recognises every file kind."""
    code = (
        "import datetime, json\n"
        "from generators.load import load\n"
        "c, d = load('content/enterprises/demo-transport', build_date=datetime.date(2026, 12, 2))\n"
        "print(json.dumps({'extras': sorted(c.extras), 'unrecognised': [x.format() for x in d if '未识别' in x.message], 'errors': len(d.errors)}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    data = json.loads(out)
    assert data == {"extras": ["exam_rules", "inspections", "risk_revised", "riskmap"], "unrecognised": [], "errors": 0}


def test_python_dash_m_generators_runs_the_cli():
    out = subprocess.run([sys.executable, "-m", "generators", "--version"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    from generators import __version__

    assert out.strip() == f"anquan {__version__}"


def test_ruff_is_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    if not os.path.exists(ruff):
        pytest.fail("ruff is not installed (it is in the test extras: pip install -e '.[test]')")
    proc = subprocess.run([ruff, "check", "--no-cache", "generators", "tests", "benchmarks", "scripts"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_no_module_is_a_grab_bag():
    """A module that grows past ~700 lines is doing several jobs: split it along its seams."""
    big = {str(p.relative_to(ROOT)): n for p in PACKAGE.rglob("*.py") if (n := len(p.read_text(encoding="utf-8").splitlines())) > 700}
    assert not big, big
