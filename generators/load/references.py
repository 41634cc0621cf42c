"""Cross-file checks: ids unique, references resolved, library content merged in.

Runs after every file validated on its own; fills `Content` and reports each
problem at the line of the reference.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from ..model import GENERAL, Checklist, Content
from ..model.checks import CheckItem
from ..model.documents import notice_problems
from ..model.learning import AUDIENCE_KEYWORDS
from ..model.levels import CHECKLIST_LEVELS, LEVELS
from ..paths import safe_path
from .images import LOGO, SEAL, ImageRejected, ImageUse, check_image

TRAINING_AUDIENCES = set(AUDIENCE_KEYWORDS)


def _unique(entries: Iterable[tuple[Any, tuple, str]], label: str, diags) -> dict[str, Any]:
    """entries: (loaded, path-to-id, id). Reports every repeat at its own line."""
    first: dict[str, tuple[Any, tuple]] = {}
    for loaded, path, ident in entries:
        if ident in first:
            other, opath = first[ident]
            line = other.located.where(opath)[0]
            diags.error(loaded, path, f"{label}“{ident}”重复（已在 {other.display} 第 {line} 行使用）")
        else:
            first[ident] = (loaded, path)
    return first


def _unique_codes(entries: Iterable[tuple[Any, tuple, str | None]], label: str, diags) -> None:
    """The enterprise's own numbers are printed: two records of one kind with one number is a mistake."""
    _unique(((loaded, path, code) for loaded, path, code in entries if code), label, diags)


def _check_image(content: Content, loaded, path: tuple, relative: str | None, use: ImageUse, diags) -> None:
    """An image the content names: inside the enterprise folder, and measured (header only) against
    the limits of its use before anything decodes it."""
    if not relative:
        return
    what = use.name
    target = safe_path(content.root, relative)
    if target is None:
        diags.error(loaded, path, f"{what}路径“{relative}”指向企业目录之外（不允许 ../、绝对路径或外部符号链接）")
        return
    if not target.is_file():
        diags.error(loaded, path, f"{what}文件“{relative}”不存在")
        return
    try:
        check_image(target, use)
    except ImageRejected as exc:
        where = f"（SVG 第 {exc.line} 行）" if exc.line else ""
        diags.error(loaded, path, f"{what}“{relative}”{where}{exc.message}")


def resolve_and_check(content: Content, files: dict, library: dict, diags) -> None:
    ent_loaded = files["enterprise"][0]
    ent = content.enterprise
    folder = content.root.resolve().name
    # a folder named as an id could have been the id; a Chinese folder name never can (anquan new --id)
    if ent.id != folder and re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", folder):
        diags.warning(ent_loaded, ("id",), f"企业编号“{ent.id}”与目录名“{content.root.resolve().name}”不一致；输出目录使用企业编号")

    # ---- organisation
    _unique(((ent_loaded, ("departments", i, "id"), d.id) for i, d in enumerate(ent.departments)), "部门编号", diags)
    _unique(((ent_loaded, ("posts", i, "id"), p.id) for i, p in enumerate(ent.posts)), "岗位编号", diags)
    _unique_codes(((ent_loaded, ("departments", i, "code"), d.code) for i, d in enumerate(ent.departments)), "部门编号 code", diags)
    _unique_codes(((ent_loaded, ("posts", i, "code"), p.code) for i, p in enumerate(ent.posts)), "岗位编号 code", diags)
    dep_ids = {d.id for d in ent.departments}
    post_ids = {p.id for p in ent.posts}
    levels = content.levels

    def dep(loaded, path, value):
        if value is not None and value not in dep_ids:
            diags.error(loaded, path, f"部门“{value}”不存在（可用：{'、'.join(sorted(dep_ids))}）")

    def post(loaded, path, value, allow_general: bool = False):
        if allow_general and value == GENERAL:
            return
        if value not in post_ids:
            diags.error(loaded, path, f"岗位“{value}”不存在（可用：{'、'.join(sorted(post_ids))}）")

    for i, p in enumerate(ent.posts):
        dep(ent_loaded, ("posts", i, "department"), p.department)
    dep(ent_loaded, ("key_people", "safety_agency", "department"), ent.key_people.safety_agency.department)
    for name in ent.audiences:
        if name in TRAINING_AUDIENCES or name in post_ids:
            what = "岗位编号" if name in post_ids else "内置的参训对象"
            diags.error(ent_loaded, ("audiences", name), f"人员组名称“{name}”与{what}重名，请换一个名称")
        for j, pid in enumerate(ent.audience(name).posts):  # type: ignore[union-attr]
            where = ("audiences", name, j) if isinstance(ent.audiences[name], list) else ("audiences", name, "posts", j)
            post(ent_loaded, where, pid)
    _check_image(content, ent_loaded, ("issuer", "seal"), ent.issuer.seal, SEAL, diags)
    _check_image(content, ent_loaded, ("site", "logo"), ent.site.logo, LOGO, diags)
    for name, rel in ent.settings.fonts.files.items():
        target = safe_path(content.root, rel)
        if target is None or not target.is_file():
            diags.error(ent_loaded, ("settings", "fonts", "files", name), f"字体文件“{rel}”不存在或在企业目录之外")

    # ---- per-post documents
    for kind, attr in (("responsibility", "responsibilities"), ("job_standard", "job_standards"), ("card", "cards")):
        seen = _unique(((f, ("post",), f.model.post) for f in files[kind]), f"{f_label(kind)}的岗位", diags)
        for f in files[kind]:
            post(f, ("post",), f.model.post)
            if f.path.stem != f.model.post:
                diags.warning(f, ("post",), f"文件名“{f.path.stem}”与岗位编号“{f.model.post}”不一致，建议改名为 {f.model.post}.yaml")
        getattr(content, attr).update({pid: entry[0].model for pid, entry in seen.items() if pid in post_ids})
        if kind == "card":  # where each card's signs are written (checks.signs)
            content.sources.update({f"card:{pid}": entry[0].display for pid, entry in seen.items() if pid in post_ids})

    # ---- risk points
    risk_entries = [(f, ("risk_points", i, "id"), r.id) for f in files["risks"] for i, r in enumerate(f.model.risk_points)]
    _unique(risk_entries, "风险点编号", diags)
    _unique_codes(((f, ("risk_points", i, "code"), r.code) for f in files["risks"] for i, r in enumerate(f.model.risk_points)), "风险点编号 code", diags)
    profile = ent.settings.risk_profile
    for f in files["risks"]:
        for i, r in enumerate(f.model.risk_points):
            dep(f, ("risk_points", i, "department"), r.department)
            canonical = levels.canonical(r.control_level)
            if canonical is None:
                diags.error(f, ("risk_points", i, "control_level"), f"管控层级“{r.control_level}”不是本企业的层级（可用：{'、'.join(levels.accepted())}；层级的叫法在 enterprise.yaml 的 settings.levels 中设置）")
            else:
                r.control_level = canonical
            for j, pid in enumerate(r.posts):
                post(f, ("risk_points", i, "posts", j), pid)
            r.set_level(profile.level_for(r.assessment.method, r.assessment.score))
            content.risk_points.append(r)
            content.sources[f"risk:{r.id}"] = f.display
    content.risk_revisions = [rev for f in files["risks"] for rev in f.model.revisions]
    content.risk_file_revisions = {f.display: list(f.model.revisions) for f in files["risks"]}
    for f in files["risks"]:
        ids = {r.id for r in f.model.risk_points}
        for i, rev in enumerate(f.model.revisions):
            for j, rid in enumerate(rev.items):
                if rid not in ids:
                    diags.error(f, ("revisions", i, "items", j), f"修订记录所指的风险点“{rid}”不在本文件中（本文件的风险点：{'、'.join(sorted(ids))}）")
    risk_ids = {r.id for r in content.risk_points}
    for f in files["job_standard"]:
        for i, rc in enumerate(f.model.risk_controls):
            for j, rid in enumerate(rc.risk_points):
                if rid not in risk_ids and "risks" not in diags.failed:
                    diags.error(f, ("risk_controls", i, "risk_points", j), f"风险点“{rid}”不在安全风险点名册中")

    # ---- checklists
    lib_checklists = _unique(((f, ("id",), f.model.id) for f in library["checklist"]), "公共清单编号", diags)
    for f, _ in lib_checklists.values():
        _library_levels(f, diags)
    own = _unique(((f, ("id",), f.model.id) for f in files["checklist"]), "清单编号", diags)
    _unique_codes(((f, ("code",), f.model.code) for f in files["checklist"]), "清单编号 code", diags)
    for cid, (f, _) in own.items():
        cl: Checklist = f.model
        dep(f, ("department",), cl.department)
        if cl.post is not None:
            post(f, ("post",), cl.post)
        level = levels.checklist_level(cl.level)
        if level is None:
            diags.error(f, ("level",), f"清单层级“{cl.level}”无法识别（可用：{'、'.join(levels.checklist_accepted())}）")
            level = cl.level
        if level == "车间" and not cl.department:
            diags.error(f, ("level",), f"{levels.checklist_title('车间')}需要填写 department")
        if level == "岗位" and not cl.post:
            diags.error(f, ("level",), f"{levels.checklist_title('岗位')}需要填写 post")
        _unique(((f, ("items", i, "id"), it.id) for i, it in enumerate(cl.items)), "检查项编号", diags)
        _unique_codes(((f, ("items", i, "code"), it.code) for i, it in enumerate(cl.items)), "检查项编号 code", diags)
        for i, it in enumerate(cl.items):
            canonical = levels.canonical(it.responsible)
            if canonical is None:
                diags.error(f, ("items", i, "responsible"), f"责任层级“{it.responsible}”不是本企业的层级（可用：{'、'.join(levels.accepted())}；层级的叫法在 enterprise.yaml 的 settings.levels 中设置）")
            else:
                it.responsible = canonical
        items = list(cl.items)
        if cl.extends:
            base_entry = lib_checklists.get(cl.extends)
            if base_entry is None and "library:checklist" not in diags.failed:
                diags.error(f, ("extends",), f"公共清单“{cl.extends}”不存在（本企业适用的公共内容库中可用：{'、'.join(sorted(lib_checklists)) or '无'}）")
            elif base_entry is not None:
                items = merge_items(base_entry[0].model.items, cl.items, cl.remove, f, diags)
        elif cl.remove:
            diags.error(f, ("remove",), "没有 extends 时不能使用 remove")
        else:
            items = by_category(items)
        base = lib_checklists.get(cl.extends) if cl.extends else None
        industry = cl.industry or (base[0].model.industry if base else None)  # the library list's industry carries over
        content.checklists[cid] = cl.model_copy(update={"items": items, "level": level, "industry": industry})
        content.sources[f"checklist:{cid}"] = f.display

    # ---- hazard ledger
    if files["hazards"]:
        hf = files["hazards"][0]
        content.hazards = hf.model
        _unique(((hf, ("hazards", i, "id"), h.id) for i, h in enumerate(hf.model.hazards)), "隐患编号", diags)
        _unique_codes(((hf, ("hazards", i, "code"), h.code) for i, h in enumerate(hf.model.hazards)), "隐患编号 code", diags)
        for i, h in enumerate(hf.model.hazards):
            dep(hf, ("hazards", i, "department"), h.department)
            if h.check_item and content.check_item(h.check_item) is None and "checklist" not in diags.failed:
                diags.warning(hf, ("hazards", i, "check_item"), f"对应检查项“{h.check_item}”不在检查清单中（应写成 清单编号/检查项编号，编号可用 id 或 code，如 {next(iter(content.checklists), 'unit')}/c01）；台账中原样印出")

    # ---- question bank
    lib_banks = {}
    for f in library["questions"]:
        if not f.model.id:
            diags.error(f, ("id",), "公共题库必须有编号 id")
        else:
            lib_banks.setdefault(f.model.id, f)
    q_entries = []
    for f in files["questions"]:
        q_entries += [(f, ("questions", i, "id"), q.id) for i, q in enumerate(f.model.questions)]
        for i, q in enumerate(f.model.questions):
            for j, pid in enumerate(q.posts):
                post(f, ("questions", i, "posts", j), pid, allow_general=True)
            content.questions.append(q)
    for i, bank_id in enumerate(ent.question_banks):
        bank = lib_banks.get(bank_id)
        if bank is None:
            diags.error(ent_loaded, ("question_banks", i), f"公共题库“{bank_id}”不存在（可用：{'、'.join(sorted(lib_banks)) or '无'}）")
            continue
        for k, q in enumerate(bank.model.questions):
            if not q.general and not set(q.posts) & post_ids:
                continue  # a library question for posts this enterprise does not have
            q_entries.append((bank, ("questions", k, "id"), q.id))
            content.questions.append(q.model_copy(update={"posts": [p for p in q.posts if p == GENERAL or p in post_ids]}))
    _unique(q_entries, "题目编号", diags)
    _unique_codes(((f, ("questions", i, "code"), q.code) for f in files["questions"] for i, q in enumerate(f.model.questions)), "题号 code", diags)
    content.question_bank_revised = max((d for f in files["questions"] if (d := f.model.last_revised)), default=None)

    # ---- training plan
    if files["training"]:
        tf = files["training"][0]
        content.training = tf.model
        _unique(((tf, ("items", i, "id"), t.id) for i, t in enumerate(tf.model.items)), "培训项目编号", diags)
        _unique_codes(((tf, ("items", i, "code"), t.code) for i, t in enumerate(tf.model.items)), "培训项目编号 code", diags)
        groups = list(ent.audiences)
        for i, t in enumerate(tf.model.items):
            for j, who in enumerate(t.audience):
                if who not in TRAINING_AUDIENCES and who not in post_ids and who not in ent.audiences:
                    known = "、".join(groups) + "；" if groups else ""
                    diags.error(tf, ("items", i, "audience", j), f"参训对象“{who}”既不是岗位编号，也不是 enterprise.yaml 中 audiences 定义的人员组（{known or '尚未定义人员组；'}内置：{'、'.join(AUDIENCE_KEYWORDS)}）")

    # ---- policies, plans, notices
    for kind, attr, label in (("policy", "policies", "制度编号"), ("plan", "plans", "方案编号"), ("notice", "notices", "公文编号")):
        seen = _unique(((f, ("id",), f.model.id) for f in files[kind]), label, diags)
        getattr(content, attr).update({k: v[0].model for k, v in seen.items()})
        for k, v in seen.items():
            content.sources[f"{kind}:{k}"] = v[0].display
    numbers: dict[str, Any] = {}
    for f in files["notice"]:
        n = f.model
        number = n.number.render(ent.issuer.code)
        if number in numbers:
            diags.error(f, ("number",), f"发文字号“{number}”与 {numbers[number]} 重复")
        numbers[number] = f.display
        if n.seal:
            if not ent.issuer.seal:
                diags.error(f, ("seal",), "要求加盖印章，但 enterprise.yaml 的 issuer.seal 没有印章图片")
        for i, a in enumerate(n.attachments):
            if a.policy and a.policy not in content.policies and "policy" not in diags.failed:
                diags.error(f, ("attachments", i, "policy"), f"制度“{a.policy}”不存在（policies 目录下可用：{'、'.join(sorted(content.policies)) or '无'}）")
            if a.plan and a.plan not in content.plans and "plan" not in diags.failed:
                diags.error(f, ("attachments", i, "plan"), f"方案“{a.plan}”不存在（plans 目录下可用：{'、'.join(sorted(content.plans)) or '无'}）")
        if n.print_date and n.print_date < n.date:
            diags.error(f, ("print_date",), "印发日期不能早于成文日期")
        titles = [a.title or (content.policies[a.policy].title if a.policy in content.policies else None)
                  or (content.plans[a.plan].title if a.plan in content.plans else None) for a in n.attachments]
        for path, message in notice_problems(n, n.printer or ent.issuer.full_name, titles):
            diags.error(f, path, message)

    # ---- handbook
    lib_knowledge = _unique(((f, ("id",), f.model.id) for f in library["knowledge"]), "公共知识编号", diags)
    if files["handbook"]:
        hb = files["handbook"][0]
        content.handbook = hb.model
        for i, kid in enumerate(hb.model.general):
            if kid not in lib_knowledge and "library:knowledge" not in diags.failed:
                diags.error(hb, ("general", i), f"公共知识“{kid}”不存在（本企业适用的公共内容库中可用：{'、'.join(sorted(lib_knowledge)) or '无'}）")
            elif kid in lib_knowledge:
                # sections written for another industry (道路运输途中事故报告…) are not this enterprise's
                content.knowledge[kid] = lib_knowledge[kid][0].model.for_industry([ent.industry, *ent.industry_tags])
                content.sources[f"knowledge:{kid}"] = lib_knowledge[kid][0].display
        for i, pid in enumerate(hb.model.extra_general):
            if pid not in content.policies and "policy" not in diags.failed:
                diags.error(hb, ("extra_general", i), f"制度“{pid}”不存在")
        for i, pid in enumerate(hb.model.posts):
            post(hb, ("posts", i), pid)


def _library_levels(f, diags) -> None:
    """A library checklist serves every enterprise: its levels are written in the seeds' words."""
    cl: Checklist = f.model
    if cl.level not in CHECKLIST_LEVELS:
        diags.error(f, ("level",), f"公共清单的层级只能是 {'、'.join(CHECKLIST_LEVELS)}（各企业的叫法在其 settings.levels 中设置），现为“{cl.level}”")
    for i, it in enumerate(cl.items):
        if it.responsible not in LEVELS:
            diags.error(f, ("items", i, "responsible"), f"公共清单的责任层级只能是 {'、'.join(LEVELS)}，现为“{it.responsible}”")


def merge_items(base: list[CheckItem], own: list[CheckItem], remove: list[str], loaded, diags) -> list[CheckItem]:
    """extends: library items, minus `remove`, with same-id items overridden in place, then new ones,
    grouped by section (`by_category`): a new item joins the end of its section, a new section follows
    the library's."""
    base_ids = {it.id for it in base}
    for i, rid in enumerate(remove):
        if rid not in base_ids:
            diags.error(loaded, ("remove", i), f"要删除的检查项“{rid}”不在公共清单中")
    overrides = {it.id: it for it in own}
    merged = [overrides.get(it.id, it) for it in base if it.id not in remove]
    merged += [it for it in own if it.id not in base_ids]
    return by_category(merged)


def by_category(items: list[CheckItem]) -> list[CheckItem]:
    """Items grouped by section (category), sections in the order they first appear, items in
    their order within a section: a printed list names each section once."""
    first: dict[str, int] = {}
    for it in items:
        first.setdefault(it.category, len(first))
    return sorted(items, key=lambda it: first[it.category])


def f_label(kind: str) -> str:
    return {"responsibility": "责任清单", "job_standard": "岗位作业流程标准", "card": "风险告知卡"}[kind]
