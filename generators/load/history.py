"""exam_history.yaml on its own: read and validated, and written back (`anquan exam --record`)."""

from __future__ import annotations

from pathlib import Path

import yaml

from ..diagnostics import Diagnostics
from ..model.exam import ExamHistory
from .kinds import EXAM_HISTORY
from .loader import validate_file


def read_history(path: Path) -> tuple[ExamHistory | None, Diagnostics]:
    diags = Diagnostics()
    if not path.exists():
        return ExamHistory(), diags
    loaded = validate_file(EXAM_HISTORY, path, str(path), diags)
    if loaded is None or diags.errors:
        return None, diags
    return loaded.model, diags


def write_history(path: Path, history: ExamHistory) -> None:
    data = {"records": [r.model_dump(mode="json", exclude_defaults=True) for r in history.records]}
    text = "# 考试记录：由 anquan exam --record 与 anquan exam-results --history 维护（也可手工编辑）\n"
    text += yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
