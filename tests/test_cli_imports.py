"""Starting the command line is cheap: importing it, or the output registry, pulls in none of the heavy
libraries (they are imported where a document is written), and `anquan check` imports no output
or pipeline at all. Structural, not timed: each test looks at sys.modules of a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from generators.cli import COMMANDS, main, make_parser

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ["openpyxl", "pypdf", "weasyprint", "docx", "mkdocs", "material", "jieba", "segno", "typst", "PIL"]


def imported_after(code: str) -> set[str]:
    probe = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def tops(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_importing_the_cli_imports_no_heavy_library_and_no_layer_below_it():
    mods = imported_after("import generators.cli")
    assert not tops(mods) & set(HEAVY), sorted(tops(mods) & set(HEAVY))
    for lib in ("rich", "pydantic", "yaml", "jinja2", "http.server"):
        assert lib not in mods, f"{lib} is imported with the CLI: import it in the command that uses it"
    below = sorted(m for m in mods if m.startswith(("generators.model", "generators.load", "generators.checks", "generators.outputs",
                                                      "generators.pipeline", "generators.render", "generators.importers")))
    assert not below, below


def test_the_output_registry_imports_no_heavy_library():
    """The outputs are listed (and their jobs collected) without python-docx, pypdf, openpyxl, WeasyPrint,
    MkDocs, jieba or segno: those are imported by the render that writes the file."""
    mods = imported_after("from generators.outputs import OUTPUTS\nassert OUTPUTS")
    assert not tops(mods) & set(HEAVY), sorted(tops(mods) & set(HEAVY))
    assert "generators.outputs.notices.docx" not in mods  # the .docx writer; its measurements are in notices.grid


def test_check_imports_no_output_no_pipeline_and_no_heavy_library():
    code = (
        "import contextlib, io\n"
        "from generators.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    rc = main(['check', 'content/enterprises/demo-transport', '--date', '2026-12-02'])\n"
        "assert rc == 0, rc\n"
    )
    mods = imported_after(code)
    assert "generators.checks" in mods and "rich.table" in mods  # it did check and print its table
    assert not tops(mods) & set(HEAVY), sorted(tops(mods) & set(HEAVY))
    assert not [m for m in mods if m.startswith(("generators.outputs", "generators.pipeline", "generators.render", "generators.importers"))]


@pytest.mark.parametrize("name", [c.name for c in COMMANDS])
def test_a_command_configured_alone_has_the_same_arguments_and_help(name, capsys):
    """main() configures only the invoked command: its help (and so its arguments) is the same as
    with every command configured."""
    with pytest.raises(SystemExit):
        make_parser().parse_args([name, "--help"])
    full = capsys.readouterr().out
    with pytest.raises(SystemExit):
        make_parser(name).parse_args([name, "--help"])
    alone = capsys.readouterr().out
    assert "usage" in full and f"anquan {name}" in full
    assert alone == full


def test_top_level_help_and_a_wrong_command_read_as_before(capsys):
    with pytest.raises(SystemExit):
        make_parser().parse_args(["--help"])
    full = capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--help"])
    assert capsys.readouterr().out == full
    assert all(c.name in full for c in COMMANDS)
    with pytest.raises(SystemExit) as exc:
        main(["chek", "x"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "无效的选项" in err and "check" in err
