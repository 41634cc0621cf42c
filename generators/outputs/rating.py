"""`data/rating.json`: the 优良中差 rating of the enterprise with every score's evidence, its 标杆
criteria with their evidence, and its row of the regulator's fleet view.

The fleet-level output (`portal`) reads this file from each enterprise's build folder, never the
content. The row's "personal" part (principal's name and phone, officers' names, exam and quiz
results) stays in the enterprise's own build: the fleet view drops it unless its setting asks
for it (`anquan build --fleet-personal`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..checks.regulator import criteria, rate, rubric_for
from ..checks.regulator.fleet import enterprise_row
from ..model import Content
from .base import BuildContext, Job, Output

RATING_JSON = "data/rating.json"


def rating_data(content: Content) -> dict[str, Any]:
    rubric = rubric_for(content)
    rating = rate(content, rubric)
    return {
        "enterprise": {"id": content.enterprise.id, "name": content.enterprise.name},
        "build_date": str(content.build_date),
        "rating": rating.as_dict(),
        "benchmark": criteria(content, rating, rubric).as_dict(),
        "row": enterprise_row(content, rating, rubric, personal=True),
    }


def jobs(content: Content) -> list[Job]:
    data = rating_data(content)

    def render(dest: Path, ctx: BuildContext) -> None:
        dest.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")

    sources = sorted({content.sources.get("enterprise", "enterprise.yaml"), *(v for k, v in content.sources.items() if k.startswith("inspection:"))})
    return [Job(RATING_JSON, "rating", data, render, sources=sources)]


OUTPUT = Output("rating", ("rating",), jobs, title="优良中差评价（含依据）")
