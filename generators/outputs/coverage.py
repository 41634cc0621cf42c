"""`data/coverage.json`: the check report of the enterprise, for regulators' tools and the fleet portal."""

from __future__ import annotations

import json
from pathlib import Path

from ..checks import report, run_checks
from ..diagnostics import Diagnostics
from ..model import Content
from .base import BuildContext, Job, Output


def jobs(content: Content) -> list[Job]:
    diags = Diagnostics()
    run_checks(content, diags)
    data = report(content, diags)
    # file names relative to the content folder, so the report does not depend on where it lies
    base = content.root.resolve().parent.parent
    for entry in data["errors"] + data["warnings"]:
        path = Path(entry["file"]).resolve()
        if path.is_relative_to(base):
            entry["file"] = path.relative_to(base).as_posix()

    def render(dest: Path, ctx: BuildContext) -> None:
        dest.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")

    return [Job("data/coverage.json", "coverage", data, render, sources=[])]


OUTPUT = Output("coverage", ("coverage",), jobs, aliases=("data",))
