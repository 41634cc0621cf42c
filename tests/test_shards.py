"""Fleet builds spread over machines: shards describe themselves, `anquan merge` combines them into
the same fleet view a single machine makes, refuses mixed shards, and names missing ones; the deploy
recipes (Kubernetes Indexed Job, GitHub Actions matrix, Dockerfile) are valid and use real CLI flags."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generators.cli import main, make_parser

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from fleet_gen import make_fleet  # noqa: E402

DATE = "2026-11-26"
ONLY = "coverage,rating"


def _build(fleet: Path, out: Path, shard: str | None = None, date: str = DATE) -> int:
    args = ["build", "--all", str(fleet), "--out", str(out), "--only", ONLY, "--date", date, "-j", "1", "--quiet"]
    return main(args + (["--shard", shard] if shard else []))


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def fleet(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("shards")
    make_fleet(12, base / "fleet")
    return base


@pytest.mark.slow
def test_three_shards_merged_equal_one_run(fleet):
    assert _build(fleet / "fleet", fleet / "single") == 0
    shard_dirs = [fleet / f"s{i}" for i in (1, 2, 3)]
    for i, d in enumerate(shard_dirs, start=1):
        assert _build(fleet / "fleet", d, f"{i}/3") == 0
        meta = json.loads((d / "shard.json").read_text(encoding="utf-8"))
        assert meta["shard"] == {"index": i, "count": 3} and meta["build_date"] == DATE and meta["tool_version"]
    ids = [e["id"] for d in shard_dirs for e in json.loads((d / "shard.json").read_text(encoding="utf-8"))["enterprises"]]
    assert sorted(ids) == sorted(p.name for p in (fleet / "fleet" / "enterprises").iterdir()) and len(ids) == 12
    assert main(["merge", *map(str, shard_dirs), "--out", str(fleet / "merged")]) == 0
    single, merged = _tree(fleet / "single" / "index"), _tree(fleet / "merged" / "index")
    assert single.keys() == merged.keys() and "regulator/index.html" in single
    assert single == merged, [k for k in single if single[k] != merged.get(k)]
    for eid in ids:  # every enterprise's own outputs are there, the same as on one machine
        assert _tree(fleet / "merged" / eid).keys() == _tree(fleet / "single" / eid).keys()


@pytest.mark.slow
def test_bad_merges_are_refused_with_clear_messages(fleet, capsys):
    shard_dirs = [fleet / f"s{i}" for i in (1, 2, 3)]
    if not all((d / "shard.json").is_file() for d in shard_dirs):
        for i, d in enumerate(shard_dirs, start=1):
            _build(fleet / "fleet", d, f"{i}/3")
    capsys.readouterr()
    # a missing shard is named
    assert main(["merge", str(shard_dirs[0]), str(shard_dirs[2]), "--out", str(fleet / "m-missing")]) == 1
    assert "分片 2/3 缺失" in capsys.readouterr().err
    assert not (fleet / "m-missing" / "index").exists()
    # a shard built on another date
    other = fleet / "s2-other-date"
    assert _build(fleet / "fleet", other, "2/3", date="2026-11-27") == 0
    assert main(["merge", str(shard_dirs[0]), str(other), str(shard_dirs[2]), "--out", str(fleet / "m-date")]) == 1
    assert "构建日期不同" in capsys.readouterr().err
    # the same enterprise in two shards with different results
    twin = fleet / "s3-twin"
    twin_meta = json.loads((shard_dirs[2] / "shard.json").read_text(encoding="utf-8"))
    borrowed = json.loads((shard_dirs[0] / "shard.json").read_text(encoding="utf-8"))["enterprises"][0]
    shutil.copytree(shard_dirs[2], twin)
    shutil.copytree(shard_dirs[0] / borrowed["id"], twin / borrowed["id"])
    manifest = json.loads((twin / borrowed["id"] / "manifest.json").read_text(encoding="utf-8"))
    first = next(iter(manifest["outputs"]))
    manifest["outputs"][first]["sha256"] = "0" * 64
    (twin / borrowed["id"] / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    twin_meta["enterprises"].append(borrowed)
    (twin / "shard.json").write_text(json.dumps(twin_meta, ensure_ascii=False), encoding="utf-8")
    assert main(["merge", str(shard_dirs[0]), str(shard_dirs[1]), str(twin), "--out", str(fleet / "m-twin")]) == 1
    assert f"企业 {borrowed['id']} 同时出现在分片 1/3" in capsys.readouterr().err
    # a folder that is no shard at all
    assert main(["merge", str(fleet / "fleet"), "--out", str(fleet / "m-none")]) == 1
    assert "不是分片构建的输出目录" in capsys.readouterr().err


# ---------------------------------------------------------------- deploy recipes


def _anquan_args(command: str, env: dict[str, str]) -> list[str]:
    """The anquan arguments of a shell command line, with the pod's variables filled in."""
    def arith(m: re.Match) -> str:
        return str(eval(m.group(1).replace("JOB_COMPLETION_INDEX", env["JOB_COMPLETION_INDEX"]), {"__builtins__": {}}))  # noqa: S307 - a literal from our own file

    text = re.sub(r"\$\(\((.*?)\)\)", arith, command)
    for k, v in env.items():
        text = text.replace(f"${{{{ {k} }}}}", v).replace(f"${k}", v).replace(f"${{{k}}}", v)
    words = shlex.split(text)
    start = next(i for i, w in enumerate(words) if w.endswith("anquan"))
    return words[start + 1:]


def test_kubernetes_manifests_are_valid_indexed_jobs():
    for name in ("fleet-job.yaml", "merge-job.yaml"):
        path = ROOT / "deploy" / "k8s" / name
        proc = subprocess.run([sys.executable, "-m", "kubernetes_validate", "--strict", str(path)], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    job = yaml.safe_load((ROOT / "deploy" / "k8s" / "fleet-job.yaml").read_text(encoding="utf-8"))
    assert job["apiVersion"] == "batch/v1" and job["kind"] == "Job"
    spec = job["spec"]
    assert spec["completionMode"] == "Indexed" and spec["completions"] == spec["parallelism"] == 8


def test_recipes_use_the_real_command_line():
    parser = make_parser()
    job = yaml.safe_load((ROOT / "deploy" / "k8s" / "fleet-job.yaml").read_text(encoding="utf-8"))
    container = job["spec"]["template"]["spec"]["containers"][0]
    shards = set()
    for index in range(8):
        env = {"JOB_COMPLETION_INDEX": str(index), "BUILD_DATE": "2026-12-02"}
        assert container["command"] == ["sh", "-c"]
        args = parser.parse_args(_anquan_args(container["args"][0], env))
        assert args.command == "build" and args.all == "/content"
        shards.add(args.shard)
        assert args.out == f"/out/shard-{index + 1}"
    assert shards == {f"{i}/8" for i in range(1, 9)}
    merge_job = yaml.safe_load((ROOT / "deploy" / "k8s" / "merge-job.yaml").read_text(encoding="utf-8"))
    m = merge_job["spec"]["template"]["spec"]["containers"][0]
    margs = parser.parse_args(m["args"])
    assert margs.command == "merge" and margs.shard_dirs == [f"/out/shard-{i}" for i in range(1, 9)]
    # the GitHub Actions matrix: every anquan line parses, shards 1..8 are built and all merged
    wf = yaml.safe_load((ROOT / "deploy" / "github" / "fleet.yml").read_text(encoding="utf-8"))
    matrix = wf["jobs"]["shard"]["strategy"]["matrix"]["shard"]
    assert matrix == list(range(1, 9))
    for i in matrix:
        for step in wf["jobs"]["shard"]["steps"]:
            if "anquan" in step.get("run", ""):
                a = parser.parse_args(_anquan_args(step["run"], {"matrix.shard": str(i), "inputs.date": "2026-12-02"}))
                assert a.command == "build" and a.shard == f"{i}/8" and a.out == f"shard-{i}"
    merge_runs = [s["run"] for s in wf["jobs"]["merge"]["steps"] if "anquan merge" in s.get("run", "")]
    a = parser.parse_args(_anquan_args(merge_runs[0], {}))
    assert a.shard_dirs == [f"shard-{i}" for i in range(1, 9)]


def test_github_workflow_is_schema_valid():
    proc = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           str(ROOT / "deploy" / "github" / "fleet.yml")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_dockerfile_runs_the_projects_own_setup_on_debian_12():
    text = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"(?m)^FROM debian:12\b", text)
    assert re.search(r"(?m)^RUN bash scripts/setup\.sh\b", text)
    assert 'ENTRYPOINT ["anquan"]' in text
