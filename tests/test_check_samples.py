"""`anquan check` on the two bundled samples, and on broken copies of them."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from generators.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ["demo-transport", "demo-factory", "demo-chemical"]


@pytest.mark.parametrize("sample", SAMPLES)
def test_samples_pass_check_with_full_coverage(sample, capsys):
    code = main(["check", str(ROOT / "content" / "enterprises" / sample), "--date", "2026-11-26"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "检查通过：0 个错误" in out
    assert "岗位覆盖情况" in out


@pytest.mark.parametrize("sample", SAMPLES)
def test_samples_json_report(sample, capsys):
    code = main(["check", str(ROOT / "content" / "enterprises" / sample), "--format", "json", "--date", "2026-11-26"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(data) == {"enterprise", "posts", "errors", "warnings"}
    assert data["errors"] == []
    assert data["posts"] and all({"id", "name", "coverage"} <= set(p) for p in data["posts"])
    # every post of a sample is fully covered
    for p in data["posts"]:
        c = p["coverage"]
        assert c["responsibility"] and c["job_standard"] and c["risks"] and c["card"] and c["checklist"] and c["questions_ok"], p
    expected = {"demo-transport": "规模以上", "demo-factory": "小微", "demo-chemical": "规模以上"}[sample]
    assert data["enterprise"]["size_class"] == expected
    for w in data["warnings"]:
        assert {"file", "line", "column", "field", "message"} <= set(w)


@pytest.fixture()
def transport(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path / "content" / "enterprises" / "demo-transport"


def _line_of(path: Path, pattern: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if re.search(pattern, line):
            return number
    raise AssertionError(f"{pattern} not in {path}")


def _replace_line(path: Path, number: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


def _check(ent: Path, capsys) -> tuple[int, str]:
    code = main(["check", str(ent), "--date", "2026-11-26"])
    cap = capsys.readouterr()
    return code, cap.out + cap.err


def test_broken_dangling_post(transport: Path, capsys):
    f = transport / "responsibilities" / "escort.yaml"
    line = _line_of(f, r"^post:")
    _replace_line(f, line, "escort", "escorts")
    code, out = _check(transport, capsys)
    assert code == 1
    assert re.search(rf"responsibilities/escort\.yaml:{line}:\d+ 字段 post：错误：岗位“escorts”不存在", out), out


def test_broken_wrong_type(transport: Path, capsys):
    f = transport / "enterprise.yaml"
    line = _line_of(f, r"headcount: \d+")
    value = re.search(r"headcount: (\d+)", f.read_text(encoding="utf-8").splitlines()[line - 1]).group(1)
    _replace_line(f, line, f"headcount: {value}", "headcount: 二十人")
    code, out = _check(transport, capsys)
    assert code == 1
    assert re.search(rf"enterprise\.yaml:{line}:\d+ 字段 posts\[0\]\.headcount：错误：应为整数", out), out


def test_broken_credit_code(transport: Path, capsys):
    f = transport / "enterprise.yaml"
    line = _line_of(f, r"^credit_code:")
    code_text = re.search(r"credit_code:\s*\"?([0-9A-Z]{18})", f.read_text(encoding="utf-8")).group(1)
    wrong = code_text[:17] + ("0" if code_text[17] != "0" else "1")
    _replace_line(f, line, code_text, wrong)
    code, out = _check(transport, capsys)
    assert code == 1
    assert re.search(rf"enterprise\.yaml:{line}:\d+ 字段 credit_code：错误：统一社会信用代码校验位错误", out), out


def test_broken_duplicate_id(transport: Path, capsys):
    f = next(iter(sorted((transport / "risks").glob("*.yaml"))))
    first = _line_of(f, r"^\s+- id:")
    lines = f.read_text(encoding="utf-8").splitlines()
    first_id = lines[first - 1].split("id:", 1)[1].strip()
    second = next(i for i in range(first + 1, len(lines) + 1) if re.search(r"^\s+- id:", lines[i - 1]))
    other_id = lines[second - 1].split("id:", 1)[1].strip()
    _replace_line(f, second, other_id, first_id)
    code, out = _check(transport, capsys)
    assert code == 1
    assert re.search(rf"{re.escape(f.name)}:{second}:\d+ 字段 risk_points\[\d+\]\.id：错误：风险点编号“{re.escape(first_id)}”重复（已在 .*第 {first} 行使用）", out), out


def test_broken_yaml_syntax(transport: Path, capsys):
    f = transport / "hazards.yaml"
    line = _line_of(f, r"^\s+place:")
    _replace_line(f, line, "place:", "place: [")
    code, out = _check(transport, capsys)
    assert code == 1
    assert re.search(rf"hazards\.yaml:{line}:\d+：错误：YAML 语法错误", out), out


def test_new_scaffold_passes_check(tmp_path: Path, capsys):
    target = tmp_path / "my-company"
    assert main(["new", str(target), "--name", "测试安全有限公司", "--url", "http://192.168.1.20", "--phone", "0351-6012345"]) == 0
    assert main(["check", str(target)]) == 0
    assert "检查通过：0 个错误，0 个警告" in capsys.readouterr().out
    assert main(["new", str(target)]) == 1  # never overwrites


def test_schema_written_per_kind(tmp_path: Path):
    assert main(["schema", "--out", str(tmp_path)]) == 0
    names = {p.name for p in tmp_path.glob("*.schema.json")}
    assert {"enterprise.schema.json", "job_standard.schema.json", "risks.schema.json", "notice.schema.json", "library-checklist.schema.json"} <= names
    schema = json.loads((tmp_path / "enterprise.schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["credit_code"]["description"].startswith("统一社会信用代码")
    settings = json.loads((tmp_path / "vscode-settings.json").read_text(encoding="utf-8"))
    assert any(glob.endswith("risks/*.yaml") for glob in settings["yaml.schemas"].values())


def test_usage_error_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check"])
    assert exc.value.code == 2
    assert "缺少参数" in capsys.readouterr().err
