"""Issue 14 item 10: checks that catch what a reviewer caught — a dead site address on printed QR
codes, `.local` host names, incomplete three-level checklists, control levels below the computed
risk level, unverifiable zones, dates in the future, headcounts against employees, a library
checklist of another industry — and `anquan check` counting every warning even when there are errors."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml

from generators.checks import CHECKS, GATES, run_checks
from generators.checks.structure import industry_matches
from generators.cli import main
from generators.diagnostics import Diagnostics
from generators.load import load
from generators.pipeline import BuildOptions, ContentError, build

ROOT = Path(__file__).resolve().parent.parent
DATE = dt.date(2026, 11, 26)
CONTENT_DATE = dt.date(2026, 12, 2)  # the samples' latest revision (library knowledge split by industry)


@pytest.fixture()
def transport(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path / "content" / "enterprises" / "demo-transport"


@pytest.fixture()
def factory(transport: Path) -> Path:
    return transport.parent / "demo-factory"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def findings(ent: Path, date: dt.date = DATE) -> Diagnostics:
    content, diags = load(ent, build_date=date)
    assert content is not None
    run_checks(content, diags)
    return diags


def line_of(path: Path, pattern: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if re.search(pattern, line):
            return n
    raise AssertionError(pattern)


def test_every_check_is_listed_once():
    assert len(set(CHECKS)) == len(CHECKS) and set(GATES) <= set(CHECKS)


# ------------------------------------------------------------------ site address


def test_localhost_site_is_an_error_when_cards_are_printed(transport: Path, tmp_path: Path, capsys):
    f = transport / "enterprise.yaml"
    edit(f, "base_url: http://aq.antu.internal/", "base_url: http://localhost:8000/")
    line = line_of(f, r"base_url:")
    assert main(["check", str(transport), "--date", DATE.isoformat()]) == 1
    out = capsys.readouterr().out
    assert re.search(rf"enterprise\.yaml:{line}:\d+ 字段 site\.base_url：错误：站点地址是 http://localhost:8000/（本机地址）：印在告知卡", out), out
    # a build that prints cards stops before writing anything; one that does not goes on
    with pytest.raises(ContentError) as exc:
        build(transport, BuildOptions(out_root=tmp_path / "b", only=("cards",), build_date=DATE))
    assert any(d.field == "site.base_url" for d in exc.value.diagnostics)
    assert not (tmp_path / "b" / "demo-transport").exists()
    build(transport, BuildOptions(out_root=tmp_path / "b", only=("coverage",), build_date=DATE))
    assert (tmp_path / "b" / "demo-transport" / "data" / "coverage.json").is_file()


def test_loopback_addresses_are_dead_too(transport: Path):
    f = transport / "enterprise.yaml"
    edit(f, "base_url: http://aq.antu.internal/", "base_url: http://127.0.0.1:8000/")
    assert any(d.field == "site.base_url" for d in findings(transport).errors)


def test_dot_local_host_is_a_warning(transport: Path):
    edit(transport / "enterprise.yaml", "base_url: http://aq.antu.internal/", "base_url: http://aq.antu.local/")
    diags = findings(transport)
    warns = [d for d in diags.warnings if d.field == "site.base_url"]
    assert len(warns) == 1 and ".local" in warns[0].message and "无法解析" in warns[0].message
    assert not [d for d in diags.errors if d.field == "site.base_url"]


# ------------------------------------------------------------------ internal phone


def test_cards_need_an_internal_24_hour_number(factory: Path, capsys):
    f = factory / "enterprise.yaml"
    edit(f, "  - {name: 公司应急值班（24小时）, number: \"0595-88176600\"}\n", "")
    assert main(["check", str(factory), "--date", DATE.isoformat()]) == 1
    out = capsys.readouterr().out
    line = line_of(f, r"^emergency_phones:") + 1  # the list under the key
    assert re.search(rf"enterprise\.yaml:{line}:\d+ 字段 emergency_phones：错误：应急电话中没有企业内部的24小时值班电话", out), out
    # a department's own number, or a public one named as duty, does not count
    edit(f, "  - {name: 安全环保部, number: \"0595-88176608\"}", "  - {name: 安全环保部, number: \"0595-88176608\"}\n  - {name: 值班, number: \"12350\"}")
    assert any(d.field == "emergency_phones" for d in findings(factory).errors)
    edit(f, "{name: 值班, number: \"12350\"}", "{name: 设备动力部值班, number: \"0595 8817 6611\"}")
    assert not any(d.field == "emergency_phones" for d in findings(factory).errors)


# ------------------------------------------------------------------ three levels


def test_missing_checklist_levels_warn_or_fail_when_required(factory: Path):
    for path in (factory / "checklists").glob("*.yaml"):
        if yaml.safe_load(path.read_text(encoding="utf-8"))["level"] != "岗位":
            path.unlink()
    diags = findings(factory)
    warns = [d for d in diags.warnings if "三级安全检查清单不全" in d.message]
    assert len(warns) == 1 and "单位安全检查清单、车间（部门）安全检查表册" in warns[0].message
    assert warns[0].format().startswith(str(factory / "checklists") + "：警告") or "checklists：警告" in warns[0].format()
    text = (factory / "enterprise.yaml").read_text(encoding="utf-8")
    (factory / "enterprise.yaml").write_text(text.replace("settings:\n", "settings:\n  require_three_levels: true\n", 1)
                                             if "\nsettings:\n" in text else text + "settings:\n  require_three_levels: true\n", encoding="utf-8")
    errors = [d for d in findings(factory).errors if "三级安全检查清单不全" in d.message]
    assert len(errors) == 1 and errors[0].field == "settings.require_three_levels" and "require_three_levels: true" in errors[0].message


# ------------------------------------------------------------------ control level, zones


def test_major_risk_managed_at_post_level_is_flagged(factory: Path):
    f = factory / "risks" / "machining.yaml"
    text = f.read_text(encoding="utf-8")
    m = re.search(r"- id: rp-lathe-rotation\n(?:.*\n)*?\s+assessment: \{[^}]*\}\n(?:.*\n)*?\s+control_level: \S+", text)
    assert m
    block = m.group(0)
    new = re.sub(r"assessment: \{[^}]*\}", "assessment: {method: LEC, L: 6, E: 3, C: 40}", block)
    new = re.sub(r"control_level: \S+", "control_level: 岗位", new)
    f.write_text(text.replace(block, new), encoding="utf-8")
    warns = [d for d in findings(factory).warnings if d.field == "control_level"]
    assert len(warns) == 1
    w = warns[0]
    assert "rp-lathe-rotation" in w.message and "红·重大风险" in w.message and "D = L×E×C = 6×3×40 = 720" in w.message
    assert "公司级" in w.message and w.line == line_of(f, r"control_level: 岗位")


def test_samples_control_levels_are_consistent():
    for sample in ("demo-transport", "demo-factory", "demo-chemical"):
        assert not [d for d in findings(ROOT / "content" / "enterprises" / sample).warnings if d.field == "control_level"], sample


def test_zone_without_a_risk_map_is_unverifiable(factory: Path):
    (factory / "riskmap.yaml").unlink()
    warns = [d for d in findings(factory).warnings if "无法核对" in d.message]
    assert len(warns) == 1 and "riskmap.yaml" in warns[0].message and warns[0].line > 1


# ------------------------------------------------------------------ dates, headcounts, industry


def test_dates_after_the_build_date_are_warned(factory: Path):
    hz = factory / "hazards.yaml"
    found = re.search(r"found: (\d{4}-\d{2}-\d{2})", hz.read_text(encoding="utf-8")).group(1)
    edit(hz, f"found: {found}", "found: 2062-03-12")
    card = factory / "cards" / "welder.yaml"
    edit(card, "date: 2026-03-20", "date: 2027-03-20")
    warns = [d for d in findings(factory).warnings if "晚于构建日期" in d.message]
    by_file = {Path(d.file).name: d for d in warns}
    assert set(by_file) >= {"hazards.yaml", "welder.yaml"}
    assert by_file["hazards.yaml"].message.startswith("发现日期 2062-03-12 晚于构建日期 2026-11-26")
    assert by_file["hazards.yaml"].line == line_of(hz, r"found: 2062-03-12")
    assert by_file["welder.yaml"].message.startswith("修订日期 2027-03-20") and by_file["welder.yaml"].field.startswith("revisions[")
    # hazards may be changed (the hazard's 五定 deadline lies ahead: not a finding)
    assert not any("deadline" in d.field for d in warns)


def test_headcounts_against_employees(factory: Path):
    f = factory / "enterprise.yaml"
    edit(f, "employees: 62", "employees: 30")
    warns = [d for d in findings(factory).warnings if d.field == "employees"]
    assert len(warns) == 1 and "多于从业人员数 30 人" in warns[0].message
    edit(f, "employees: 30", "employees: 400")
    warns = [d for d in findings(factory).warnings if d.field == "employees"]
    assert len(warns) == 1 and "不到从业人员数 400 人的一半" in warns[0].message and "headcount_note" in warns[0].message
    edit(f, "employees: 400", "employees: 400\nheadcount_note: 岗位表只列出生产岗位，未列入行政、销售和后勤人员")
    assert not [d for d in findings(factory).warnings if d.field == "employees"]


def test_library_checklist_of_another_industry(factory: Path):
    f = next(p for p in (factory / "checklists").glob("*.yaml") if "extends: gongmao" in p.read_text(encoding="utf-8"))
    edit(f, "extends: gongmao", "extends: road-transport")
    text = f.read_text(encoding="utf-8")
    f.write_text(re.sub(r"remove: \[[^\]]*\]\n", "", text), encoding="utf-8")
    diags = findings(factory)
    assert not diags.errors, [d.format() for d in diags.errors]
    warns = [d for d in diags.warnings if "公共清单“road-transport”适用于“道路货物运输（含危险货物）”行业" in d.message]
    assert len(warns) == 1 and "工贸" in warns[0].message and warns[0].field == "extends"


def test_industry_names_match_loosely():
    assert industry_matches("道路货物运输（含危险货物）", ["道路运输"])
    assert industry_matches("工贸", ["工贸", "机械"])
    assert industry_matches("危险化学品", ["危险化学品经营"])
    assert not industry_matches("道路货物运输（含危险货物）", ["工贸", "机械", "涂装"])
    assert not industry_matches("危险化学品", ["道路运输", "普通货物运输"])


def test_samples_have_no_review_findings():
    for sample in ("demo-transport", "demo-factory", "demo-chemical"):
        diags = findings(ROOT / "content" / "enterprises" / sample, CONTENT_DATE)
        review = [d for d in diags if d.field in ("site.base_url", "emergency_phones", "employees", "extends", "control_level")
                  or "三级安全检查清单" in d.message or "晚于构建日期" in d.message or "无法核对" in d.message]
        assert not review, [d.format() for d in review]


# ------------------------------------------------------------------ check counts everything


def test_check_counts_warnings_when_there_are_errors(factory: Path, capsys):
    edit(factory / "enterprise.yaml", "base_url: http://aq.henggu.internal/", "base_url: http://aq.henggu.local/")
    f = factory / "checklists" / next(p.name for p in (factory / "checklists").glob("*-card.yaml"))
    text = f.read_text(encoding="utf-8")
    # free wording is fine, but a period must be one of 日/周/月/季/年: one error in a checklist
    f.write_text(re.sub(r"frequency: 日", "frequency: {text: 每天两次, period: 小时}", text, count=1), encoding="utf-8")
    assert main(["check", str(factory), "--date", DATE.isoformat()]) == 1
    out = capsys.readouterr().out
    errors = len(re.findall(r"：错误：", out))
    warnings = len(re.findall(r"：警告：", out))
    assert errors == 1 and warnings >= 3  # two overdue hazards and the .local address, shown beside the error
    assert f"检查未通过：{errors} 个错误，{warnings} 个警告" in out
    assert re.search(r"另有 \d+ 项检查因相关文件有错误未运行", out)  # the checks that read checklists wait for the fix


def test_check_json_counts_match(factory: Path, capsys):
    import json

    edit(factory / "enterprise.yaml", "base_url: http://aq.henggu.internal/", "base_url: http://aq.henggu.local/")
    edit(factory / "hazards.yaml", "grade: 一般", "grade: 较重")
    assert main(["check", str(factory), "--format", "json", "--date", DATE.isoformat()]) == 1
    data = json.loads(capsys.readouterr().out)
    assert len(data["errors"]) == 1 and data["errors"][0]["field"].endswith(".grade")
    assert any(w["field"] == "site.base_url" for w in data["warnings"])  # reported beside the error
    assert not any("超过整改时限" in w["message"] for w in data["warnings"])  # the ledger's check waits for the fix
