"""Load hooks of the file kinds that tie into others: each stores its model on `Content` and
checks its references (exam_rules.yaml, exam_history.yaml, riskmap.yaml, inspections/<year>.yaml
with the regulator's facts of enterprise.yaml)."""

from __future__ import annotations

from typing import Any

from ..diagnostics import Diagnostics
from ..model import Content
from ..model.exam import ExamHistory, ExamRules
from ..model.regulator import Inspection
from ..model.regulator_lines import BEHAVIOUR_IDS, FINDING_IDS
from ..model.riskmap import RiskMap, RiskMapSource
from ..paths import display, safe_path
from ..zh import num
from .images import PLAN, SHAPE_TAGS, ImageRejected, check_image, check_svg_file, find_ids, find_layer, local_name


def exam_rules_hook(files: dict, content: Content, diags: Diagnostics) -> None:
    for loaded in files.get("exam_rules", []):
        rules: ExamRules = loaded.model
        content.extras["exam_rules"] = rules
        content.sources["exam_rules"] = loaded.display
        seen: dict[tuple, int] = {}
        codes: dict[str, int] = {}
        for i, paper in enumerate(rules.papers):
            if paper.code:
                if paper.code in codes:
                    diags.error(loaded, ("papers", i, "code"), f"试卷编号“{paper.code}”与第 {codes[paper.code] + 1} 项重复")
                codes.setdefault(paper.code, i)
            if content.enterprise.post(paper.post) is None:
                diags.error(loaded, ("papers", i, "post"), f"岗位“{paper.post}”不存在（可用：{'、'.join(p.id for p in content.posts)}）")
            if paper.kind not in rules.kinds:
                diags.error(loaded, ("papers", i, "kind"), f"考试类别“{paper.kind}”在 kinds 中没有组卷规则（已定义：{'、'.join(rules.kinds)}）")
            key = (paper.post, paper.kind, paper.seed)
            if key in seen:
                diags.error(loaded, ("papers", i), f"试卷 {paper.post}-{paper.kind}-{paper.seed} 与第 {seen[key] + 1} 项重复")
            seen.setdefault(key, i)
        for pid in rules.post_first_exam_year:
            if content.enterprise.post(pid) is None:
                diags.error(loaded, ("post_first_exam_year", pid), f"岗位“{pid}”不存在（可用：{'、'.join(p.id for p in content.posts)}）")
        for kind, spec in rules.kinds.items():
            for i, s in enumerate(spec.sections):
                if s.points > rules.max_points + 1e-9:
                    diags.error(loaded, ("kinds", kind, "sections", i, "points"), _too_many_points(s.count, s.type, s.points, rules.max_points))


def _too_many_points(count: int, qtype: str, points: float, most: float) -> str:
    """Why a section's points per question are too high, and a split that would do."""
    total = count * points
    fix = ""
    for n in range(count + 1, 201):
        each = total / n
        if each <= most and abs(each * 2 - round(each * 2)) < 1e-9:
            fix = f"，例如该题型共 {num(total)} 分可出 {n} 道、每题 {num(each)} 分"
            break
    return (f"{count} 道{qtype}题每题 {num(points)} 分：每题分值不应超过 {num(most)} 分（max_points），"
            f"否则一两道题的对错就能决定是否及格；请增加题量、降低每题分值{fix}")


def exam_history_hook(files: dict, content: Content, diags: Diagnostics) -> None:
    for loaded in files.get("exam_history", []):
        history: ExamHistory = loaded.model
        content.extras["exam_history"] = history
        content.sources["exam_history"] = loaded.display
        known = {q.id for q in content.questions}
        for i, rec in enumerate(history.records):
            if content.enterprise.post(rec.post) is None:
                diags.error(loaded, ("records", i, "post"), f"岗位“{rec.post}”不存在（可用：{'、'.join(p.id for p in content.posts)}）")
            for j, qid in enumerate(rec.questions):
                if qid not in known:
                    diags.warning(loaded, ("records", i, "questions", j), f"题目“{qid}”已不在题库中（可能已修订删除），抽题时不再涉及")


def _check_plan(loaded: Any, rm: RiskMap, source: RiskMapSource, content: Content, diags: Diagnostics) -> None:
    has_shape = {z.id: z.outline() is not None for z in rm.zones}
    if rm.plan is None:
        for i, z in enumerate(rm.zones):
            pts = z.outline()
            if pts is None:
                diags.error(loaded, ("zones", i, "id"), f"区域“{z.name}”（{z.id}）没有图形：没有平面图时，请用 rect 或 polygon 给出相对位置（0–100）")
            elif any(not (0 <= v <= 100) for p in pts for v in p):
                diags.error(loaded, ("zones", i, "rect" if z.rect else "polygon"), f"区域“{z.name}”的坐标超出 0–100：没有平面图时坐标是相对图幅的百分比")
        return
    path = safe_path(content.root, rm.plan)
    if path is None:
        diags.error(loaded, ("plan",), f"平面图路径“{rm.plan}”指向企业目录之外（不允许 ../、绝对路径或外部符号链接）")
        return
    if not path.is_file():
        diags.error(loaded, ("plan",), f"平面图文件“{rm.plan}”不存在")
        return
    suffix = path.suffix.lower()
    source.plan_path, source.plan_display = path, display(path)
    if suffix in (".png", ".jpg", ".jpeg"):
        try:
            info = check_image(path, PLAN)
        except ImageRejected as exc:
            diags.error(loaded, ("plan",), f"平面图“{rm.plan}”{exc.message}")
            return
        source.plan_kind = "image"
        width, height = info.width, info.height
        for i, z in enumerate(rm.zones):
            pts = z.outline()
            if pts is None:
                diags.error(loaded, ("zones", i, "id"), f"区域“{z.name}”（{z.id}）没有图形：PNG/JPG 平面图上的区域请用 polygon 或 rect 按像素坐标标出")
            elif any(not (0 <= x <= width and 0 <= y <= height) for x, y in pts):
                diags.error(loaded, ("zones", i, "rect" if z.rect else "polygon"), f"区域“{z.name}”的坐标超出平面图范围（{width}×{height} 像素）")
        return
    if suffix != ".svg":
        diags.error(loaded, ("plan",), f"平面图“{rm.plan}”应为 SVG、PNG 或 JPG 文件")
        return
    try:
        plan = check_svg_file(path, PLAN)
    except ImageRejected as exc:
        if exc.line is None:
            diags.error(loaded, ("plan",), f"平面图“{rm.plan}”{exc.message}")
        else:
            diags.error(source.plan_display, (), exc.message, line_col=(exc.line, 1))
            diags.error(loaded, ("plan",), f"平面图“{rm.plan}”无法使用（见上一条）")
        return
    source.plan_kind = "svg"
    ids = find_ids(plan.root)
    layer = find_layer(plan.root, rm.zone_layer)
    wanted = {z.shape_id for z in rm.zones}
    if layer is None:
        diags.warning(loaded, ("zone_layer",), f"平面图中没有名为“{rm.zone_layer}”的图层（<g id=\"{rm.zone_layer}\">）：按 id 在全图查找区域图形，无法发现多余的区域图形")
    else:
        for child in layer:
            ident = child.get("id")
            if ident and ident not in wanted and local_name(child.tag) in SHAPE_TAGS:
                diags.warning(source.plan_display, ("id",), f"平面图区域图层中的图形 id“{ident}”没有对应的区域：请在 riskmap.yaml 的 zones 中增加 id: {ident} 的区域，或更正图形 id（现有区域：{'、'.join(sorted(wanted))}）", line_col=(plan.line_of(child), 1))
    for i, z in enumerate(rm.zones):
        elem = ids.get(z.shape_id)
        if elem is not None and local_name(elem.tag) not in SHAPE_TAGS:
            diags.error(loaded, ("zones", i, "id"), f"平面图中 id 为“{z.shape_id}”的元素是 <{local_name(elem.tag)}>，不是可填色的图形（rect、polygon、path、g 等）")
        elif elem is None and not has_shape[z.id]:
            diags.error(loaded, ("zones", i, "svg_id" if z.svg_id else "id"), f"区域“{z.name}”（{z.id}）没有图形：平面图 {rm.plan} 中没有 id 为“{z.shape_id}”的图形，也没有用 rect/polygon 给出位置")


def riskmap_hook(files: dict, content: Content, diags: Diagnostics) -> None:
    """Store riskmap.yaml in content.extras["riskmap"] and check its references."""
    loaded_files = files.get("riskmap") or []
    if not loaded_files:
        return
    loaded = loaded_files[0]
    rm: RiskMap = loaded.model
    zone_where = {z.id: loaded.where("zones", i, "id") for i, z in enumerate(rm.zones)}
    source = RiskMapSource(rm, loaded.display, zone_where)

    seen: dict[str, int] = {}
    for i, z in enumerate(rm.zones):
        if z.id in seen:
            line = loaded.where("zones", seen[z.id], "id")[0]
            diags.error(loaded, ("zones", i, "id"), f"区域编号“{z.id}”重复（已在第 {line} 行使用）")
        else:
            seen[z.id] = i
    numbers: dict[int, str] = {}
    for i, z in enumerate(rm.zones):
        n = rm.numbers()[z.id]
        if n in numbers and numbers[n] != z.id:
            diags.error(loaded, ("zones", i, "number"), f"图上编号 {n} 重复（区域“{numbers[n]}”已使用）")
        numbers.setdefault(n, z.id)

    risk_ids = {r.id for r in content.risk_points}
    zone_ids = set(seen)
    for i, z in enumerate(rm.zones):
        for j, rid in enumerate(z.risk_points):
            if rid not in risk_ids:
                diags.error(loaded, ("zones", i, "risk_points", j), f"风险点“{rid}”不在安全风险点名册中")
    for j, rid in enumerate(rm.offsite):
        if rid not in risk_ids:
            diags.error(loaded, ("offsite", j), f"风险点“{rid}”不在安全风险点名册中")
    dept_ids = {d.id for d in content.enterprise.departments}
    for i, b in enumerate(rm.offsite_boards):
        if b.posted_in is not None and b.posted_in not in zone_ids:
            diags.error(loaded, ("offsite_boards", i, "posted_in"), f"区域“{b.posted_in}”不在四色安全风险空间分布图中（可用：{'、'.join(sorted(zone_ids))}）")
        if b.department is not None and b.department not in dept_ids:
            diags.error(loaded, ("offsite_boards", i, "department"), f"部门“{b.department}”不在 enterprise.yaml 的 departments 中")
        for j, rid in enumerate(b.risk_points):
            if rid not in risk_ids:
                diags.error(loaded, ("offsite_boards", i, "risk_points", j), f"风险点“{rid}”不在安全风险点名册中")
    for f in files.get("risks", []):
        for i, r in enumerate(getattr(f.model, "risk_points", None) or []):
            line, col = f.where("risk_points", i, "id")
            source.point_where.setdefault(r.id, (f.display, line, col))
            if r.zone is not None and r.zone not in zone_ids:
                diags.error(f, ("risk_points", i, "zone"), f"区域“{r.zone}”不在四色安全风险空间分布图（{loaded.display}）中（可用：{'、'.join(sorted(zone_ids))}）")

    _check_plan(loaded, rm, source, content, diags)
    content.extras["riskmap"] = source
    content.sources["riskmap"] = loaded.display


def regulator_hook(files: dict, content: Content, diags: Diagnostics) -> None:
    """The regulator's side: inspections/<year>.yaml into `content.extras["inspections"]`
    ({year: Inspection}); each risk point's assessment date (the last revision of the register
    holding it) into `content.extras["risk_revised"]`; wrong references reported (unknown posts
    in `regulator.certificates`, unknown 六必查 line ids, a file not named after its year)."""
    revised = {}
    for f in files.get("risks", []):
        date = getattr(f.model, "last_revised", None)
        for r in getattr(f.model, "risk_points", None) or []:
            revised.setdefault(r.id, date)
    content.extras["risk_revised"] = revised

    ent_loaded = (files.get("enterprise") or [None])[0]
    facts = content.enterprise.regulator
    if facts is not None and ent_loaded is not None:
        seen: set[str] = set()
        for i, c in enumerate(facts.certificates):
            path = ("regulator", "certificates", i, "post")
            post = content.enterprise.post(c.post)
            if post is None:
                diags.error(ent_loaded, path, f"岗位“{c.post}”不存在（可用：{'、'.join(p.id for p in content.posts)}）")
            elif c.post in seen:
                diags.error(ent_loaded, path, f"岗位“{c.post}”的持证情况重复填写")
            elif c.certificate is None and post.certificate is None:
                diags.error(ent_loaded, ("regulator", "certificates", i, "certificate"), f"岗位“{c.post}”没有规定证书：请填写 certificate（证书名称）")
            seen.add(c.post)

    records: dict[int, Inspection] = {}
    for loaded in files.get("inspections", []):
        ins: Inspection = loaded.model
        done: set[str] = set()
        for i, f in enumerate(ins.findings):
            if f.item not in FINDING_IDS:
                hint = "（危险作业行为请填在 behaviours 中）" if f.item in BEHAVIOUR_IDS else ""
                diags.error(loaded, ("findings", i, "item"), f"六必查检查项“{f.item}”不存在{hint}（可用：{'、'.join(sorted(FINDING_IDS))}）")
            elif f.item in done:
                diags.error(loaded, ("findings", i, "item"), f"检查项“{f.item}”重复填写")
            done.add(f.item)
        seen_b: set[str] = set()
        for i, b in enumerate(ins.behaviours):
            if b.item not in BEHAVIOUR_IDS:
                diags.error(loaded, ("behaviours", i, "item"), f"危险作业行为“{b.item}”不存在（可用：{'、'.join(sorted(BEHAVIOUR_IDS))}）")
            elif b.item in seen_b:
                diags.error(loaded, ("behaviours", i, "item"), f"危险作业行为“{b.item}”重复填写")
            seen_b.add(b.item)
        if loaded.path.stem != str(ins.year):
            diags.error(loaded, ("year",), f"文件名应为年度：{ins.year}.yaml（现为 {loaded.path.name}）")
            continue
        records[ins.year] = ins
        content.sources[f"inspection:{ins.year}"] = loaded.display
    content.extras["inspections"] = records
