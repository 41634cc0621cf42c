"""Review 2026-12-02 item 16: demo-transport's dept-loading.pdf gave 装卸作业班组 (a 班组) a
车间（部门）安全检查表册. A 表册 belongs to a 车间 or 部门; a team's checklist is a 岗位（班组）card:
`check` warns at a 车间-level checklist whose department is a 班组."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pdfplumber
import pytest

from generators.checks import run_checks
from generators.load import load
from generators.outputs import checklists
from generators.outputs.base import BuildContext

ROOT = Path(__file__).resolve().parent.parent
DATE = dt.date(2026, 12, 2)


def findings(ent: Path):
    content, diags = load(ent, build_date=DATE)
    assert content is not None and not diags.errors, [d.format() for d in diags.errors]
    run_checks(content, diags)
    return content, diags


def team_warnings(diags):
    return [d for d in diags.warnings if "却是班组" in d.message]


def test_samples_give_no_team_a_department_table():
    for sample in ("demo-transport", "demo-factory", "demo-chemical"):
        content, diags = findings(ROOT / "content" / "enterprises" / sample)
        assert not team_warnings(diags), sample
        for cl in content.checklists.values():
            dept = content.enterprise.department(cl.department) if cl.department else None
            if cl.level == "车间" and dept is not None:
                assert dept.kind != "班组", (sample, cl.id)


def test_team_with_a_department_table_is_warned(tmp_path: Path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    ent = tmp_path / "content" / "enterprises" / "demo-transport"
    f = ent / "checklists" / "dept-loading.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("department: operations", "department: loading"), encoding="utf-8")
    _, diags = findings(ent)
    warns = team_warnings(diags)
    assert len(warns) == 1 and warns[0].field == "department" and warns[0].file.endswith("dept-loading.yaml")
    assert "装卸作业班组" in warns[0].message and "安全检查卡片" in warns[0].message and warns[0].line > 1


@pytest.mark.slow
def test_dept_loading_prints_a_department_table_of_a_department(tmp_path: Path):
    content, _ = findings(ROOT / "content" / "enterprises" / "demo-transport")
    job = next(j for j in checklists.jobs(content) if j.output.endswith("dept-loading.pdf"))
    dest = tmp_path / job.output
    dest.parent.mkdir(parents=True, exist_ok=True)
    job.render(dest, BuildContext(content, tmp_path, None))
    with pdfplumber.open(io.BytesIO(dest.read_bytes())) as doc:
        first = re.sub(r"\s+", "", doc.pages[0].extract_text() or "")
    assert "安全检查表册" in first and "运营调度部" in first
    assert "装卸作业班组安全检查表册" not in first
