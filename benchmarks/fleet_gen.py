"""Synthetic fleet: K valid enterprises of realistic, varying size made from the bundled samples.

Each synthetic enterprise copies one sample (demo-transport or demo-factory, alternately)
and varies it deterministically by its index: name, id, 统一社会信用代码 (valid check digit),
employees and revenue (so all three size classes occur), a subset of posts (with every
reference to a dropped post removed), a subset of hazards and questions, and shifted risk
assessments. Used by the fleet benchmark and the fleet tests.

    python benchmarks/fleet_gen.py 100 /tmp/fleet      # -> /tmp/fleet/enterprises/* + library
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generators.rules import CREDIT_CHARSET, LEC_C, LEC_E, LEC_L, credit_check_char  # noqa: E402

SAMPLES = ["demo-transport", "demo-factory"]
PLACES = ["长治", "晋城", "泉州", "石狮", "临汾", "运城", "阳泉", "大同", "晋中", "忻州", "漳州", "莆田"]
# one GB/T 2260 county-level 行政区划代码 per place (digits 3–8 of the credit code), with its name
REGIONS = {
    "长治": ("140403", "山西省", "长治市潞州区"), "晋城": ("140502", "山西省", "晋城市城区"), "泉州": ("350502", "福建省", "泉州市鲤城区"),
    "石狮": ("350581", "福建省", "石狮市"), "临汾": ("141002", "山西省", "临汾市尧都区"), "运城": ("140802", "山西省", "运城市盐湖区"),
    "阳泉": ("140302", "山西省", "阳泉市城区"), "大同": ("140213", "山西省", "大同市平城区"), "晋中": ("140702", "山西省", "晋中市榆次区"),
    "忻州": ("140902", "山西省", "忻州市忻府区"), "漳州": ("350602", "福建省", "漳州市芗城区"), "莆田": ("350302", "福建省", "莆田市城厢区"),
}
WORDS = ["恒", "安", "顺", "达", "通", "泰", "盛", "鑫", "诚", "信", "瑞", "和", "远", "宏", "骏", "隆"]


def _load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dump(path: Path, data) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


def _credit(rng: random.Random, region: str | None = None) -> str:
    digits = "".join(rng.choice("0123456789") for _ in range(6))  # drawn even when `region` replaces them: the same fleet either way
    body = "91" + (region or digits) + "MA" + "".join(rng.choice(CREDIT_CHARSET[:10] + "ABCDEFGH") for _ in range(7))
    return body + credit_check_char(body)


def _hidden_library_ids(code: str, library: Path = ROOT / "content" / "library") -> set[str]:
    """Ids (file stems) of the library's region packs that an enterprise of region `code` does not see."""
    from generators.diagnostics import Diagnostics
    from generators.load.library import read_packs, visible_packs

    lib = visible_packs(read_packs(library, Diagnostics()), code, None, None)
    return {p.stem for pack in lib.foreign for p in pack.root.rglob("*.yaml") if p.name != "region.yaml"}


def make_one(sample_dir: Path, dest: Path, index: int) -> None:
    rng = random.Random(index)
    shutil.copytree(sample_dir, dest)
    ent = _load(dest / "enterprise.yaml")
    word = rng.choice(WORDS) + rng.choice(WORDS)
    place = PLACES[index % len(PLACES)]
    kind = "运输" if "transport" in sample_dir.name else "机械制造"
    ent["id"] = dest.name
    ent["name"] = f"{place}{word}{kind}有限公司（合成{index:04d}）"
    ent["short_name"] = f"{word}{kind}{index:04d}"
    code, province, region_name = REGIONS[place]
    ent["credit_code"] = _credit(rng, code)
    ent["region"] = {"code": code, "name": province + region_name}  # the new place, not the sample's
    hidden = _hidden_library_ids(code)  # the sample's region packs do not apply in the new place
    ent["question_banks"] = [b for b in ent.get("question_banks", []) if b not in hidden]
    # all three size classes of seed 003 occur across the fleet
    ent["employees"], ent["revenue_wan"] = rng.choice([(35, 300), (80, 900), (120, 600), (260, 1500), (90, 1200), (310, 1800), (60, 2600), (480, 8000)])
    ent["issuer"]["full_name"] = ent["name"]
    ent["issuer"]["mark"] = f"{ent['name']}文件"
    posts = ent["posts"]
    keep_n = max(3, len(posts) - rng.randint(0, len(posts) // 2))
    kept = posts[:2] + rng.sample(posts[2:], max(0, keep_n - 2)) if len(posts) > 2 else posts
    kept_ids = {p["id"] for p in kept}
    dropped = {p["id"] for p in posts} - kept_ids
    ent["posts"] = [p for p in posts if p["id"] in kept_ids]
    reg = ent.get("regulator")
    if reg:  # regulator facts: certificates of kept posts only; region, supervisor and licence follow the new place and credit code
        reg["region_name"] = province + region_name
        reg["supervisor"] = region_name + ("交通运输局" if kind == "运输" else "应急管理局")
        reg["certificates"] = [c for c in reg.get("certificates", []) if c["post"] in kept_ids]
        for lic in reg.get("licences", []):
            if lic.get("kind") == "营业执照":
                lic["number"] = ent["credit_code"]
    _dump(dest / "enterprise.yaml", ent)
    _drop_posts(dest, dropped, rng, hidden)


def _drop_posts(dest: Path, dropped: set[str], rng: random.Random, hidden: set[str]) -> None:
    for folder in ("responsibilities", "job_standards", "cards"):
        for pid in dropped:
            for suffix in (".yaml", ".yml"):
                (dest / folder / f"{pid}{suffix}").unlink(missing_ok=True)
    for path in sorted((dest / "checklists").glob("*.y*ml")):
        data = _load(path)
        if data.get("post") in dropped:
            path.unlink()
    for path in sorted((dest / "risks").glob("*.y*ml")):
        data = _load(path)
        for rp in data.get("risk_points", []):
            rp["posts"] = [p for p in rp.get("posts", []) if p not in dropped]
            a = rp["assessment"]
            if a.get("method") == "LEC" and rng.random() < 0.3:
                a["L"] = rng.choice(list(LEC_L)[1:5])
                a["E"] = rng.choice(list(LEC_E)[:4])
                a["C"] = rng.choice(list(LEC_C)[2:6])
        _dump(path, data)
    for path in sorted((dest / "questions").glob("*.y*ml")):
        data = _load(path)
        qs = []
        for q in data.get("questions", []):
            q["posts"] = [p for p in q.get("posts", ["通用"]) if p not in dropped]
            if q["posts"] and rng.random() < 0.9:
                qs.append(q)
        if qs:
            data["questions"] = qs
            _dump(path, data)
        else:
            path.unlink()
    training = dest / "training.yaml"
    if training.exists():
        data = _load(training)
        items = []
        for item in data.get("items", []):
            item["audience"] = [a for a in item["audience"] if a not in dropped]
            if item["audience"]:
                items.append(item)
        data["items"] = items
        _dump(training, data)
    hazards = dest / "hazards.yaml"
    if hazards.exists():
        data = _load(hazards)
        all_h = data.get("hazards", [])
        data["hazards"] = [h for h in all_h if rng.random() < 0.8] or all_h[:1]
        _dump(hazards, data)
    handbook = dest / "handbook.yaml"
    if handbook.exists():
        data = _load(handbook)
        data["general"] = [g for g in data.get("general", []) if g not in hidden]
        if data.get("posts"):
            data["posts"] = [p for p in data["posts"] if p not in dropped]
        _dump(handbook, data)
    exam_rules = dest / "exam_rules.yaml"
    if exam_rules.exists() and any(pid in exam_rules.read_text(encoding="utf-8") for pid in dropped):
        exam_rules.unlink()  # rules written for a dropped post: the synthetic one keeps the defaults


def make_fleet(k: int, out: Path, content: Path = ROOT / "content") -> list[Path]:
    """Write K enterprises under out/enterprises and a copy of the library under out/library."""
    if out.exists():
        shutil.rmtree(out)
    (out / "enterprises").mkdir(parents=True)
    shutil.copytree(content / "library", out / "library")
    made = []
    for i in range(k):
        sample = content / "enterprises" / SAMPLES[i % len(SAMPLES)]
        dest = out / "enterprises" / f"synth-{i:04d}"
        make_one(sample, dest, i)
        made.append(dest)
    return made


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("/tmp/anquan-fleet")
    made = make_fleet(count, target)
    print(f"已生成 {len(made)} 家合成企业：{target}/enterprises")
