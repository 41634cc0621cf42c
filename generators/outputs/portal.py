"""`build/index/`: the portal page over several enterprises built together, and the regulator's
fleet view in `build/index/regulator/`.

A fleet-level output (written after a fleet run); reads each enterprise's `manifest.json`,
`data/coverage.json` (written by the "coverage" output) and `data/rating.json` (the "rating"
output), never its content, so one enterprise's page shows only its figures. The fleet view is
written when at least one enterprise has a rating; the portal page links to it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from .. import paths
from ..paths import replace_folder
from ..render.jinja import environment
from .base import FleetOutput, FleetSettings, Outcome
from .fleet_view import write_fleet_view
from .rating import RATING_JSON

MANIFEST = "manifest.json"
LEVELS = [("重大", "red", "红"), ("较大", "orange", "橙"), ("一般", "yellow", "黄"), ("低", "blue", "蓝")]


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def post_complete(coverage: dict[str, Any]) -> bool:
    """The same rule as check.PostCoverage.complete, on the JSON report."""
    return all(bool(v) for k, v in coverage.items() if k != "questions_ok") and bool(coverage.get("questions_ok", True))


def enterprise_row(out_dir: Path) -> dict[str, Any] | None:
    manifest = _read_json(out_dir / MANIFEST)
    if manifest is None:
        return None
    report = _read_json(out_dir / "data" / "coverage.json") or {}
    ent = report.get("enterprise") or {}
    posts = report.get("posts") or []
    outputs = manifest.get("outputs") or {}
    return {
        "id": manifest.get("enterprise") or out_dir.name,
        "name": manifest.get("name") or ent.get("name") or out_dir.name,
        "build_date": manifest.get("build_date", ""),
        "industry": ent.get("industry", "—"),
        "size_class": ent.get("size_class", "—"),
        "employees": ent.get("employees"),
        "posts_total": len(posts),
        "posts_complete": sum(1 for p in posts if post_complete(p.get("coverage") or {})),
        "risk_points": ent.get("risk_points", 0),
        "risk_levels": [(zh, css, colour, (ent.get("risk_levels") or {}).get(zh, 0)) for zh, css, colour in LEVELS],
        "hazards": ent.get("hazards", 0),
        "overdue": ent.get("overdue_hazards", 0),
        "questions": ent.get("questions", 0),
        "warnings": len(report.get("warnings") or []),
        "has_coverage": bool(report),
        "site": "site" in outputs and (out_dir / "site" / "index.html").is_file(),
        "dir": out_dir.name,
    }


def rating_row(out_dir: Path) -> dict[str, Any] | None:
    """The enterprise's row of the fleet view (data/rating.json), with links to its documents
    relative to build/index/regulator/."""
    data = _read_json(out_dir / RATING_JSON)
    row = data.get("row") if data else None
    if not isinstance(row, dict):
        return None
    here = f"../../{out_dir.name}/"
    files = {"sheet": "regulator/sixchecks.pdf", "sheet_xlsx": "regulator/sixchecks.xlsx", "quiz": "regulator/quiz.pdf", "site": "site/index.html"}
    row["links"] = {k: here + v for k, v in files.items() if (out_dir / v).is_file()}
    return row


def write_portal(outcomes: list[Outcome], out_root: Path, settings: FleetSettings | None = None) -> Path:
    """Write build/index/index.html (and its stylesheet) and the fleet view; returns the page's path."""
    settings = settings or FleetSettings()
    rows, failed, ratings = [], [], []
    for o in outcomes:
        row = enterprise_row(Path(o.out_dir)) if o.ok and o.out_dir else None
        if row is None:
            failed.append({"id": o.enterprise, "source": o.source, "messages": o.messages[:3]})
        else:
            rows.append(row)
            rated = rating_row(Path(o.out_dir))
            if rated is not None:
                ratings.append(rated)
    rows.sort(key=lambda r: r["id"])
    failed.sort(key=lambda r: r["id"])
    html = environment("site/portal").get_template("index.html").render(
        rows=rows, failed=failed, fleet_view=bool(ratings),
        totals={
            "enterprises": len(rows),
            "posts_total": sum(r["posts_total"] for r in rows),
            "posts_complete": sum(r["posts_complete"] for r in rows),
            "overdue": sum(r["overdue"] for r in rows),
            "major_risks": sum(r["risk_levels"][0][3] for r in rows),
        },
    )
    index = Path(out_root) / "index"
    tmp = Path(out_root) / ".tmp-index"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    (tmp / "index.html").write_text(html, encoding="utf-8")
    shutil.copyfile(paths.templates() / "site" / "portal" / "portal.css", tmp / "portal.css")
    if ratings:
        write_fleet_view(ratings, tmp / "regulator", personal=settings.personal, portal=True)
    replace_folder(tmp, index)
    return index / "index.html"


OUTPUT = FleetOutput("portal", write_portal, "企业门户")
