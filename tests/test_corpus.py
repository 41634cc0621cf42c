"""The bad-input corpus (tests/corpus/NN-*/case.yaml).

Each case starts from the small, valid enterprise in tests/corpus/_base (with the
library in tests/corpus/_library), breaks it as case.yaml says, and runs
`anquan build`. Every case must give the expected exit code and exactly one
Chinese message naming file, line and field, no traceback, and leave the
previous build byte-identical.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
import yaml

from generators.cli import main
from tests.imagemakers import bomb_png, jpeg_with_sof, pillow_bytes

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(p for p in CORPUS.iterdir() if p.is_dir() and not p.name.startswith("_"))
BUILD_DATE = "2026-11-26"


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def lay_out(tmp: Path) -> Path:
    """tmp/content/enterprises/base + tmp/content/library; returns the enterprise folder."""
    ent = tmp / "content" / "enterprises" / "base"
    shutil.copytree(CORPUS / "_base", ent)
    shutil.copytree(CORPUS / "_library", tmp / "content" / "library")
    return ent


@pytest.fixture(scope="session")
def good_build(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("good")
    ent = lay_out(tmp)
    out = tmp / "build"
    assert main(["build", str(ent), "--out", str(out), "--date", BUILD_DATE, "--quiet"]) == 0
    return out


def test_corpus_is_large_enough():
    assert len(CASES) >= 40


def _generate(kind: str, ent: Path, tmp: Path) -> None:
    training = ent / "training.yaml"
    if kind == "gbk":
        training.write_bytes(training.read_text(encoding="utf-8").encode("gb18030"))
    elif kind == "utf16":
        training.write_bytes(training.read_text(encoding="utf-8").encode("utf-16"))
    elif kind == "bom":
        training.write_bytes(b"\xef\xbb\xbf" + training.read_bytes())
    elif kind == "nulls":
        training.write_bytes(b"year: 2026\n\x00\x00\x89PNG\x00")
    elif kind == "bomb":
        lines = ['a: &a ["哈","哈","哈","哈","哈","哈","哈","哈","哈"]']
        for i, name in enumerate("bcdefghijk"):
            prev = "abcdefghijk"[i]
            lines.append(f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
        lines.append("questions: *k")
        (ent / "questions" / "bomb.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif kind == "huge":
        with open(ent / "questions" / "huge.yaml", "w", encoding="utf-8") as fh:
            fh.write("questions:\n")
            chunk = "  - {id: q, type: 判断, stem: 安全生产人人有责, answer: 正确, knowledge_point: 安全}\n" * 1000
            while fh.tell() < 50 * 1024 * 1024:
                fh.write(chunk)
    elif kind == "deep":
        depth = 5000
        (ent / "questions" / "deep.yaml").write_text("questions: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    elif kind == "no_enterprise":
        (ent / "enterprise.yaml").unlink()
    elif kind == "symlink_seal":
        outside = tmp / "outside-secret.png"
        outside.write_bytes((ent / "assets" / "seal.png").read_bytes())
        (ent / "assets" / "seal.png").unlink()
        os.symlink(outside, ent / "assets" / "seal.png")
    elif kind == "fake_seal":
        (ent / "assets" / "seal.png").write_text("<html><script>alert(1)</script></html>", encoding="utf-8")
    elif kind == "huge_seal":
        (ent / "assets" / "seal.png").write_bytes(bomb_png(30000, 30000))
    elif kind == "gif_seal":
        (ent / "assets" / "seal.png").write_bytes(pillow_bytes("GIF"))
    elif kind == "truncated_seal":
        (ent / "assets" / "seal.png").write_bytes((ent / "assets" / "seal.png").read_bytes()[:20])
    elif kind == "jpeg_sof_seal":
        (ent / "assets" / "seal.png").unlink()
        (ent / "assets" / "seal.jpg").write_bytes(jpeg_with_sof(65000, 65000, exif_bytes=30_000))
    elif kind == "deep_svg_logo":
        (ent / "assets" / "logo.svg").write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n' + "<g>" * 500 + "</g>" * 500 + "</svg>", encoding="utf-8")
    elif kind == "many_hazards":
        hazards = "".join(f"      - 危险有害因素第{i}条\n" for i in range(3000))
        (ent / "risks" / "many.yaml").write_text(
            "risk_points:\n  - id: rp-many\n    name: 装卸作业\n    department: safety\n    hazards:\n" + hazards
            + "    accidents: [物体打击]\n    assessment: {method: LS, L: 2, S: 2}\n    controls: {management: [专人指挥]}\n"
            + "    control_level: 班组\n    responsible: 班组长\n", encoding="utf-8")
    elif kind in ("many_risk_points", "card_overflow"):
        n, hazards = (31, 1) if kind == "many_risk_points" else (20, 10)
        points = []
        for i in range(n):
            hs = ", ".join(f"第{i}号作业点第{k}项危险有害因素：设备运转部位防护缺失" for k in range(hazards))
            points.append(f"  - id: rp-{i:03d}\n    name: 第{i}号作业点\n    department: safety\n    posts: [safety-officer]\n"
                          f"    hazards: [{hs}]\n    accidents: [机械伤害]\n    assessment: {{method: LS, L: 2, S: 2}}\n"
                          f"    controls: {{management: [专人监护]}}\n    control_level: 班组\n    responsible: 班组长\n")
        (ent / "risks" / "more.yaml").write_text("risk_points:\n" + "".join(points), encoding="utf-8")
    elif kind == "symlink_yaml":
        other = tmp / "content" / "enterprises" / "other" / "risks"
        other.mkdir(parents=True)
        (other / "secret.yaml").write_text("risk_points: []\n", encoding="utf-8")
        os.symlink(other / "secret.yaml", ent / "risks" / "other.yaml")
    else:  # pragma: no cover - a typo in a case file
        raise AssertionError(f"unknown generator {kind}")


def apply_case(case_dir: Path, ent: Path, tmp: Path) -> dict:
    spec = yaml.safe_load((case_dir / "case.yaml").read_text(encoding="utf-8"))
    for rep in spec.get("replace", []):
        path = ent / rep["file"]
        text = path.read_text(encoding="utf-8")
        assert rep["old"] in text, f"{case_dir.name}: '{rep['old']}' not in {rep['file']}"
        path.write_text(text.replace(rep["old"], rep["new"], 1), encoding="utf-8")
    files = case_dir / "files"
    if files.is_dir():
        for src in files.rglob("*"):
            if src.is_file():
                dest = ent / src.relative_to(files)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dest)
    if spec.get("generate"):
        _generate(spec["generate"], ent, tmp)
    return spec


@pytest.mark.parametrize("case_dir", CASES, ids=[c.name for c in CASES])
def test_bad_input(case_dir: Path, tmp_path: Path, good_build: Path, capsys):
    ent = lay_out(tmp_path)
    out = tmp_path / "build"
    shutil.copytree(good_build, out, symlinks=True)
    before = tree_digest(out)
    spec = apply_case(case_dir, ent, tmp_path)
    expect = spec["expect"]

    code = main(["build", str(ent), "--out", str(out), "--date", BUILD_DATE])
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert "Traceback" not in output
    assert code == expect["exit"], output

    kind = "错误" if expect["severity"] == "error" else "警告"
    lines = [ln for ln in output.splitlines() if f"：{kind}：" in ln]
    where = f"{expect['file']}:{expect['line']}:" if "line" in expect else f"{expect['file']}:"
    matching = [ln for ln in lines if where in ln and expect["message"] in ln and expect.get("field", "") in ln]
    assert matching, f"expected {where} … {expect.get('field', '')} … {expect['message']}\n got:\n{output}"
    if expect["severity"] == "error":
        assert len(lines) == 1, f"expected one error, got:\n{output}"
        assert tree_digest(out) == before, "the previous build changed"
    assert not list(out.glob(".tmp-*")) and not list(out.glob(".old-*"))
