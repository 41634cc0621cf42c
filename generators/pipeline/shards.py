"""Fleet builds spread over machines: each shard's output describes itself (shard.json), and `merge`
combines shard outputs into the one fleet view a single machine would have produced.

shard.json (in the output folder of `anquan build --all … [--shard i/n]`):
    {"tool": "anquan", "tool_version", "build_date", "shard": {"index": i, "count": n} | null,
     "libraries": [digest, …], "outputs": [names], "enterprises": [{"id", "source", "ok", "messages"}]}
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..diagnostics import BuildError
from ..load import default_library
from ..outputs import FLEET_OUTPUTS
from ..outputs.base import FleetSettings, Outcome
from .digest import _tree_entries
from .folders import link_or_copy
from .manifest import read_manifest

SHARD_FILE = "shard.json"


def library_digest(enterprise_dir: Path) -> str:
    lib = default_library(Path(enterprise_dir))
    entries = _tree_entries(lib, "library") if lib else ["library:absent"]
    return hashlib.sha256("\n".join(entries).encode()).hexdigest()


def write_shard_file(out_root: Path, outcomes: list[Outcome], dirs: list[Path], build_date: dt.date | None,
                     shard: tuple[int, int] | None, only: list[str] | None) -> Path:
    """Record what this run built, so that shard outputs can be checked and merged."""
    data = {
        "tool": "anquan",
        "tool_version": __version__,
        "build_date": str(build_date or dt.date.today()),
        "shard": {"index": shard[0], "count": shard[1]} if shard else None,
        "libraries": sorted({library_digest(d) for d in dirs}),
        "outputs": sorted(only or []),
        "enterprises": sorted(({"id": o.enterprise, "source": Path(o.source).name, "ok": o.ok, "messages": o.messages[:20]}
                               for o in outcomes), key=lambda e: e["id"]),
    }
    path = Path(out_root) / SHARD_FILE
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


@dataclass
class Shard:
    root: Path
    data: dict[str, Any]

    @property
    def label(self) -> str:
        s = self.data.get("shard")
        return f"{s['index']}/{s['count']}" if s else "全部"


@dataclass
class MergePlan:
    shards: list[Shard]
    enterprises: dict[str, tuple[Shard, dict[str, Any]]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def read_shards(roots: list[Path]) -> MergePlan:
    shards, problems = [], []
    for root in roots:
        path = Path(root) / SHARD_FILE
        try:
            shards.append(Shard(Path(root), json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError):
            problems.append(f"{root} 不是分片构建的输出目录（缺少或无法读取 {SHARD_FILE}；请用 anquan build --all … --shard i/n --out {root} 构建）")
    plan = MergePlan(shards, problems=problems)
    if not shards:
        return plan
    for key, label in (("tool_version", "软件版本"), ("build_date", "构建日期"), ("libraries", "公共内容库"), ("outputs", "--only 选择的输出")):
        values = {json.dumps(s.data.get(key), ensure_ascii=False) for s in shards}
        if len(values) > 1:
            detail = "；".join(f"{s.root}：{s.data.get(key)}" for s in shards)
            plan.problems.append(f"各分片的{label}不同，不能合并（{detail}）：请用同一版本、同一日期、同一公共内容重新构建")
    counts = {s.data["shard"]["count"] for s in shards if s.data.get("shard")}
    if len(counts) > 1:
        plan.problems.append(f"各分片的总份数不同：{'、'.join(str(c) for c in sorted(counts))}")
    elif counts:
        n = counts.pop()
        seen: dict[int, Shard] = {}
        for s in shards:
            i = s.data["shard"]["index"] if s.data.get("shard") else None
            if i is None:
                continue
            if i in seen:
                plan.problems.append(f"分片 {i}/{n} 出现两次：{seen[i].root} 和 {s.root}")
            seen[i] = s
        for i in range(1, n + 1):
            if i not in seen:
                plan.problems.append(f"分片 {i}/{n} 缺失")
    for s in shards:
        for e in s.data.get("enterprises", []):
            other = plan.enterprises.get(e["id"])
            if other is None:
                plan.enterprises[e["id"]] = (s, e)
                continue
            if _fingerprint(other[0], other[1]) != _fingerprint(s, e):
                plan.problems.append(f"企业 {e['id']} 同时出现在分片 {other[0].label}（{other[0].root}）和 {s.label}（{s.root}），两次构建的结果不同")
    return plan


def _fingerprint(shard: Shard, entry: dict[str, Any]) -> Any:
    if not entry.get("ok"):
        return ("failed", tuple(entry.get("messages", [])))
    manifest = read_manifest(shard.root / entry["id"])
    return ("ok", json.dumps({k: v.get("sha256") for k, v in manifest.get("outputs", {}).items()}, sort_keys=True))


def merge(roots: list[Path], out_root: Path, settings: FleetSettings | None = None) -> Path:
    """Combine shard outputs into `out_root`: every enterprise's folder (hard-linked), the fleet-level
    outputs over all of them, and a shard.json for the whole. Raises BuildError listing every problem."""
    plan = read_shards(roots)
    if plan.problems or not plan.shards:
        raise BuildError("无法合并：\n" + "\n".join(f"  · {p}" for p in plan.problems or ["没有给出分片目录"]))
    out_root = Path(out_root)
    out_root.mkdir(parents=True, exist_ok=True)
    outcomes = []
    for eid, (shard, entry) in sorted(plan.enterprises.items()):
        outcome = Outcome(entry.get("source") or eid, enterprise=eid, ok=bool(entry.get("ok")), messages=list(entry.get("messages", [])))
        if outcome.ok:
            src, dst = shard.root / eid, out_root / eid
            if src.resolve() != dst.resolve():
                if dst.exists():
                    shutil.rmtree(dst)
                link_or_copy(src, dst)
            outcome.out_dir = str(dst)
        outcomes.append(outcome)
    for fleet_output in FLEET_OUTPUTS:
        fleet_output.write(outcomes, out_root, settings or FleetSettings())
    first = plan.shards[0].data
    merged = {**first, "shard": None, "merged_from": [s.label for s in plan.shards],
              "enterprises": sorted((e for _, e in plan.enterprises.values()), key=lambda e: e["id"])}
    (out_root / SHARD_FILE).write_text(json.dumps(merged, ensure_ascii=False, indent=1), encoding="utf-8")
    return out_root
