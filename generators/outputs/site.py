"""The intranet site of one enterprise (MkDocs + Material): `build/<id>/site/`.

Pages are Markdown written by Jinja2 templates (site_templates/site/pages) from the model;
every content string is escaped (HTML and Markdown), so content never becomes markup. MkDocs
then runs programmatically with a generated config that INHERITs the top-level mkdocs.yml.
Downloads made by the other builders (notices, handbook, cards, checklists) are copied in
from the build's staging folder when they exist.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import jinja2
import yaml
from markupsafe import Markup, escape

from .. import paths, tempdirs
from ..checks.training import assessment_of
from ..load.images import LOGO, passed
from ..model import Content, Heading, Question, RiskLevel, zh_date
from ..model.exam import ExamHistory, ExamRecord, consequence_text, consequences_of
from ..model.riskmap import offsite_boards
from ..paths import safe_path
from ..render.jinja import environment
from ..rules import EXAM_KINDS, KIND_LABELS, KIND_SHORT
from ..rules import PASS_MARKS as _MARKS
from ..zh import cn_number
from .base import BuildContext, Job, Output
from .common import check_item_text
from .notices import layout as notice_layout
from .signs import SIGNS_DIR
from .signs import card_groups as sign_groups

SITE_TEMPLATES = paths.templates() / "site"
PAGES = SITE_TEMPLATES / "pages"
OVERRIDES = SITE_TEMPLATES / "overrides"
ASSETS = SITE_TEMPLATES / "assets"
WORKER = SITE_TEMPLATES / "worker"  # next to Material's worker, which it wraps (same folder: lunr is ../lunr)
BASE_CONFIG = paths.base_mkdocs()
SAFETY_TERMS = SITE_TEMPLATES / "safety_terms.txt"

# Pass marks of seed 000 §三(二)4 (一试), as the self-test page lists them.
PASS_MARKS = [(_MARKS[k], f"{KIND_SHORT[k]}（{_MARKS[k]}分及格）") for k in EXAM_KINDS]

HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{2,}")
MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")

_build_lock = threading.Lock()  # MkDocs, jieba and the environment are process-wide


# ---------------------------------------------------------------- escaping helpers


def md_text(value: Any) -> Markup:
    """Content as literal text inside Markdown (headings): no Markdown, no HTML."""
    text = MD_SPECIAL.sub(r"\\\1", str(value))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Markup(text.replace("\n", " "))


def json_script(value: Any) -> Markup:
    """JSON safe inside <script type="application/json">: <, > and & as \\u escapes."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def _environment() -> jinja2.Environment:
    env = environment("site/pages", keep_trailing_newline=True)
    env.filters["md"] = md_text
    env.filters["json_script"] = json_script
    env.filters["zh_date"] = lambda d: zh_date(d) if d else "—"
    env.filters["num"] = lambda x: str(int(x)) if float(x).is_integer() else f"{x:g}"
    env.filters["cn"] = cn_number
    env.globals["RiskLevel"] = RiskLevel
    env.globals["sign_groups"] = sign_groups
    env.globals["assessment_of"] = env.filters["assessment"] = assessment_of
    env.filters["clauses"] = lambda lines: "；".join(x.rstrip("。；; ") for x in lines if x.strip()) + ("。" if lines else "")
    return env


_ENV: jinja2.Environment | None = None


def env() -> jinja2.Environment:
    global _ENV
    if _ENV is None:
        _ENV = _environment()
    return _ENV


# ---------------------------------------------------------------- what the site links


def downloads(content: Content) -> dict[str, str]:
    """Outputs of other builders the site offers for download: path under build/<id>/ -> label."""
    out: dict[str, str] = {}
    for n in sorted(content.notices.values(), key=lambda n: (n.date, n.id), reverse=True):
        out[f"notices/{n.id}.docx"] = f"{n.title}（Word）"
        out[f"notices/{n.id}.pdf"] = f"{n.title}（PDF）"
    if content.handbook is not None:
        out["handbook/handbook.pdf"] = content.handbook.title
        for p in content.handbook_posts():
            out[f"handbook/{p.id}.pdf"] = f"{p.name}岗位手册"
    for p in content.posts:
        out[f"cards/{p.id}.pdf"] = f"{p.name}岗位安全风险告知卡"
    for c in content.checklists.values():
        out[f"checklists/{c.id}.pdf"] = c.title
        out[f"excel/checklist-{c.id}.xlsx"] = f"{c.title}（Excel）"
    if content.training is not None:
        out["training/plan.pdf"] = f"{content.training.year}年度安全教育培训计划"
    out["riskmap/riskmap.svg"] = "四色安全风险空间分布图（SVG）"
    out["riskmap/riskmap.pdf"] = "四色安全风险空间分布图（PDF）"
    out["riskmap/boards.pdf"] = "安全风险公告栏（PDF）"
    out["excel/hazards.xlsx"] = "隐患台账（Excel）"
    # Exam papers and keys (exams/) are deliberately not published: employees sit those exams.
    return out


def question_json(q: Question) -> dict[str, Any]:
    return {
        "id": q.id,
        "type": q.type,
        "stem": q.stem,
        "options": list(q.options),
        "answer": q.answer if isinstance(q.answer, bool) else str(q.answer),
        "explanation": q.explanation or "",
        "point": q.knowledge_point,
        "basis": q.basis or "",
    }


def user_dictionary(content: Content) -> list[str]:
    """jieba user words: the project's safety terms, post names, knowledge points (Han runs only:
    Material gives jieba nothing else)."""
    words: list[str] = []
    for line in SAFETY_TERMS.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.append(line)
    names = [p.name for p in content.posts] + [q.knowledge_point for q in content.questions]
    names += [d.name for d in content.enterprise.departments]
    for name in names:
        words.extend(HAN_RUN.findall(name))
    seen: set[str] = set()
    return [w for w in words if not (w in seen or seen.add(w))]


# ---------------------------------------------------------------- pages


@dataclass
class Page:
    path: str  # docs-relative .md path
    template: str
    title: str  # plain text; escaped when written to the nav
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """Directory URL relative to the site root ("" for the home page)."""
        stem = self.path[: -len(".md")]
        if stem == "index":
            return ""
        if stem.endswith("/index"):
            return stem[: -len("index")]
        return stem + "/"

    @property
    def root(self) -> str:
        """Relative prefix from this page back to the site root."""
        return "../" * self.url.count("/")


def _revisions(content: Content) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []

    def add(doc: str, kind: str, obj: Any) -> None:
        for r in getattr(obj, "revisions", []) or []:
            rows.append({"date": r.date, "doc": doc, "kind": kind, "summary": r.summary, "by": r.approved_by})

    ent = content.enterprise
    add("企业基本信息", "企业信息", ent)
    if content.handbook:
        add(f"《{content.handbook.title}》（{content.handbook.edition}）", "应知应会手册", content.handbook)
    for pid, r in content.responsibilities.items():
        add(f"{_post_name(content, pid)}安全生产责任清单", "责任清单", r)
    for pid, j in content.job_standards.items():
        add(f"{_post_name(content, pid)}岗位作业流程标准", "作业流程标准", j)
    for pid, c in content.cards.items():
        add(f"{_post_name(content, pid)}岗位安全风险告知卡", "风险告知卡", c)
    for c in content.checklists.values():
        add(c.title, "检查清单", c)
    add("隐患台账", "隐患台账", content.hazards)
    if content.training:
        add(f"{content.training.year}年度培训计划", "培训计划", content.training)
    for p in content.policies.values():
        add(p.title, "制度", p)
    for p in content.plans.values():
        add(p.title, "行动方案", p)
    for n in content.notices.values():
        add(n.title, "公文", n)
    for k in content.knowledge.values():
        add(k.title, "通用知识", k)
    rows.sort(key=lambda r: (r["date"], r["doc"]), reverse=True)
    return rows


def _post_name(content: Content, post_id: str) -> str:
    p = content.enterprise.post(post_id)
    return p.name if p else post_id


def exam_results(content: Content) -> list[dict] | None:
    """For the site's training page: the latest marked result per person, name and post only.

    None when `site.show_exam_results` is off. Each entry: name, post (id), post_name, kind_label,
    date (ISO), passed (bool), resit (bool). Scores are not included.
    """
    if not content.enterprise.site.show_exam_results:
        return None
    history: ExamHistory | None = content.extras.get("exam_history")  # type: ignore[assignment]
    if history is None:
        return []
    latest: dict[tuple[str, str], ExamRecord] = {}
    for rec in history.records:
        if rec.score is None:
            continue
        key = (rec.person, rec.post)
        if key not in latest or rec.date >= latest[key].date:
            latest[key] = rec
    out = []
    for (name, pid), rec in sorted(latest.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        post = content.enterprise.post(pid)
        out.append({
            "name": name, "post": pid, "post_name": post.name if post else pid, "kind_label": KIND_LABELS[rec.kind],
            "date": rec.date.isoformat(), "passed": bool(rec.result), "resit": rec.resit,
        })
    return out


NOTICE_FONT_CLASSES = {notice_layout.XBS: "xbs", notice_layout.FS: "fs", notice_layout.HT: "ht", notice_layout.KT: "kt", notice_layout.ST: "st"}


def notice_page(content: Content, notice: Any) -> dict[str, Any]:
    """A notice page's data: the official document's layout (the .docx's and the PDF's), so the
    page shows the same text: numbered headings, 附件说明, 署名, 成文日期, 附注, attachments, 版记."""
    layout = notice_layout.lay_out(content, notice)
    head = [(layout.copy_number, "fs"), (layout.secrecy, "ht"), (layout.urgency, "ht")]
    return {
        "notice": notice,
        "layout": layout,
        "head_lines": [{"text": t, "cls": c} for t, c in head if t],
        "font_class": NOTICE_FONT_CLASSES,
        "attachment_titles": notice_layout.attachment_titles(content, notice),
    }


def plan_pages(content: Content, present: set[str]) -> list[Page]:
    """Every page of the site with its template and data. `present`: downloads that exist."""
    ent = content.enterprise
    today = content.build_date
    posts = content.posts
    dep_name = {d.id: d.name for d in ent.departments}
    notices = sorted(content.notices.values(), key=lambda n: (n.date, n.id), reverse=True)
    hazards = sorted(content.hazards.hazards, key=lambda h: (h.status == "已销号", h.five_fixed.deadline, h.id))
    general_q = content.general_questions()
    base = {
        "content": content,
        "ent": ent,
        "today": today,
        "dep_name": dep_name,
        "present": present,
        "post_name": lambda pid: _post_name(content, pid),
        "notice_number": lambda n: n.number.render(ent.issuer.code),
        "level_names": content.levels,
        "level_word": content.levels.word,
        "check_item_text": lambda ref: check_item_text(content, ref),
        "pass_marks": PASS_MARKS,
        "exam_consequence": consequence_text(consequences_of(content), resit=False),
        "Heading": Heading,
    }
    pages = [
        Page("index.md", "home.md.j2", "首页", {"notices": notices[:5], "hazards": hazards}),
        Page("knowledge/index.md", "knowledge.md.j2", "应知应会", {}),
    ]
    for pol in content.policies.values():
        pages.append(Page(f"knowledge/policy-{pol.id}.md", "policy.md.j2", pol.title, {"policy": pol}))
    pages.append(Page("posts/index.md", "posts.md.j2", "岗位", {}))
    for p in posts:
        risks = sorted(content.post_risks(p.id), key=lambda r: (-r.level, r.id))
        pages.append(Page(f"posts/{p.id}.md", "post.md.j2", p.name, {
            "post": p,
            "level": content.post_level(p.id),
            "risks": risks,
            "resp": content.responsibilities.get(p.id),
            "std": content.job_standards.get(p.id),
            "card": content.cards.get(p.id),
            "checklists": content.post_checklists(p.id),
            "training": content.post_training(p.id),
            "questions": content.post_questions(p.id),
            "general_count": len(general_q),
        }))
    pages.append(Page("risks.md", "risks.md.j2", "风险", {
        "risks": sorted(content.risk_points, key=lambda r: (-r.level, r.department, r.id)),
        "departments": [d for d in ent.departments if any(r.department == d.id for r in content.risk_points)],
        "offsite": offsite_boards(content),
    }))
    levels = ["单位", "车间", "岗位"]
    checklists = sorted(content.checklists.values(), key=lambda c: (levels.index(c.level), c.id))
    pages.append(Page("checklists/index.md", "checklists.md.j2", "检查清单", {"checklists": checklists, "levels": levels}))
    for c in checklists:
        pages.append(Page(f"checklists/{c.id}.md", "checklist.md.j2", c.title, {"checklist": c}))
    pages.append(Page("hazards.md", "hazards.md.j2", "隐患台账", {"hazards": hazards}))
    pages.append(Page("notices/index.md", "notices.md.j2", "通知", {"notices": notices}))
    for n in notices:
        pages.append(Page(f"notices/{n.id}.md", "notice.md.j2", n.title, notice_page(content, n)))
    pages.append(Page("training.md", "training.md.j2", "培训计划", {"plan": content.training, "results": exam_results(content)}))
    pages.append(Page("selftest/index.md", "selftest.md.j2", "自我评测", {
        "scope": "通用知识", "scope_id": "general", "bank": [question_json(q) for q in general_q],
    }))
    for p in posts:
        qs = content.post_questions(p.id)
        pages.append(Page(f"selftest/{p.id}.md", "selftest.md.j2", f"{p.name}自测", {
            "scope": p.name, "scope_id": p.id, "post": p,
            "bank": [question_json(q) for q in qs] + [question_json(q) for q in general_q if q not in qs],
            "own_count": len(qs),
        }))
    pages.append(Page("downloads.md", "downloads.md.j2", "资料下载", {"files": downloads(content)}))
    pages.append(Page("revisions.md", "revisions.md.j2", "修订记录", {"rows": _revisions(content)}))
    for page in pages:
        page.context = {**base, **page.context, "page_root": page.root, "page_url": page.url}
    return pages


def nav(pages: list[Page]) -> list[Any]:
    """MkDocs nav; titles HTML-escaped because Material prints nav titles unescaped."""
    def t(page: Page) -> str:
        return str(escape(page.title))

    sections: dict[str, list[Page]] = {}
    for page in pages:
        top = page.path.split("/", 1)[0] if "/" in page.path else page.path
        sections.setdefault(top, []).append(page)
    out: list[Any] = []
    for top, group in sections.items():
        if len(group) == 1 and "/" not in group[0].path:
            out.append({t(group[0]): group[0].path})
        else:
            index = next(p for p in group if p.path.endswith("/index.md"))
            out.append({t(index): [index.path] + [{t(p): p.path} for p in group if p is not index]})
    return out


def write_docs(content: Content, docs: Path, present: set[str]) -> list[Page]:
    """Render every page's Markdown and copy the site's assets into `docs`."""
    pages = plan_pages(content, present)
    jenv = env()
    for page in pages:
        target = docs / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        text = jenv.get_template(page.template).render(page.context)
        target.write_text(text, encoding="utf-8")
    shutil.copytree(ASSETS, docs / "assets" / "anquan")
    shutil.copytree(WORKER, docs / "assets" / "javascripts" / "workers")
    shutil.copytree(SIGNS_DIR, docs / "assets" / "signs", ignore=shutil.ignore_patterns("*.yaml"))
    return pages


# ---------------------------------------------------------------- MkDocs


def site_config(content: Content, docs: Path, site_dir: Path, pages: list[Page], dict_path: Path | None, plain: bool = False) -> dict[str, Any]:
    """The generated per-enterprise mkdocs config (INHERITs the top-level mkdocs.yml)."""
    ent = content.enterprise
    cfg: dict[str, Any] = {
        "INHERIT": str(BASE_CONFIG),
        "site_name": str(escape(ent.short_name)),
        "site_description": str(escape(f"{ent.name}安全生产学习平台")),
        "site_url": ent.site.base_url,
        "docs_dir": str(docs),
        "site_dir": str(site_dir),
        "nav": nav(pages),
        "theme": {"custom_dir": str(OVERRIDES), "palette": {"primary": ent.site.primary_color, "accent": ent.site.primary_color}},
        "plugins": {"search": {"lang": "zh"}},
    }
    if dict_path is not None:
        cfg["plugins"]["search"]["jieba_dict_user"] = str(dict_path)
    if (docs / "assets" / "logo").exists():
        logo = next((docs / "assets" / "logo").iterdir())
        cfg["theme"]["logo"] = f"assets/logo/{logo.name}"
        cfg["theme"]["favicon"] = f"assets/logo/{logo.name}"
    if plain:  # the benchmark's baseline: same Markdown, stock Material, none of our extras
        cfg = {k: v for k, v in cfg.items() if k not in ("INHERIT", "theme", "plugins")}
        cfg.update({"theme": {"name": "material", "language": "zh"}, "plugins": ["search"], "use_directory_urls": True})
    return cfg


@contextlib.contextmanager
def _reproducible(build_date: dt.date) -> Iterator[None]:
    """Sitemap dates from the build date, never the clock (SOURCE_DATE_EPOCH)."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(dt.datetime(build_date.year, build_date.month, build_date.day, tzinfo=dt.timezone.utc).timestamp()))
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


@contextlib.contextmanager
def _clean_jieba(words: list[str]) -> Iterator[None]:
    """Material loads the user dictionary (`words`) into jieba's global tokenizer: undo it
    afterwards, so one enterprise's words never change another's segmentation in the same process.
    Loading a word sets its entry and those of its prefixes, and the total: those are put back as
    they were (a copy of the whole dictionary would cost ~30 MB and 0.1 s a build). Should the
    dictionary have changed in any other way, it is loaded afresh."""
    try:
        import jieba
    except ImportError:  # search then works without segmentation
        yield
        return
    jieba.setLogLevel(logging.WARNING)
    tk = jieba.dt
    tk.check_initialized()
    freq = tk.FREQ
    keys = {w[:i + 1] for w in (w.strip() for w in words) for i in range(len(w))}
    saved = {k: freq[k] for k in keys if k in freq}
    size, total, tags = len(freq), tk.total, dict(tk.user_word_tag_tab)
    try:
        yield
    finally:
        for k in keys:
            if k in saved:
                freq[k] = saved[k]
            else:
                freq.pop(k, None)
        tk.total, tk.user_word_tag_tab = total, tags
        if tk.FREQ is not freq or len(freq) != size:
            tk.initialized = False
            tk.initialize()


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run_mkdocs(config_file: Path, plain: bool = False) -> list[str]:
    """Build with MkDocs in this process (with the site's own plugin, see site_mkdocs); returns its warnings."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from .site_mkdocs import SitePlugin, install_theme_list_cache

    install_theme_list_cache()
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        cfg = load_config(config_file=str(config_file))
        if not plain:
            cfg.plugins["anquan/site"] = SitePlugin()
        mkdocs_build(cfg)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    return handler.messages


def render_site(content: Content, dest: Path, staging: Path | None = None, plain: bool = False, keep_docs: Path | None = None,
                expected: frozenset[str] | None = None) -> list[str]:
    """Generate the Markdown, run MkDocs into `dest`, copy downloads. Returns MkDocs warnings.

    With `expected` (the outputs the build will have made), pages link those downloads and the
    files are left for `link_downloads`, which runs once they exist."""
    staging = staging or Path("/nonexistent")
    files = downloads(content)
    present = {rel for rel in files if rel in expected or (staging / rel).is_file()} if expected is not None else \
        {rel for rel in files if (staging / rel).is_file()}
    with _build_lock, tempdirs.temporary("site") as tmp:
        work = Path(tmp)
        docs = keep_docs or work / "docs"
        pages = write_docs(content, docs, present)
        if content.enterprise.site.logo:
            logo = safe_path(content.root, content.enterprise.site.logo)
            if logo is not None and logo.is_file():
                passed(logo, LOGO)  # measured at load; again here, in case it changed since
                (docs / "assets" / "logo").mkdir(parents=True, exist_ok=True)
                shutil.copyfile(logo, docs / "assets" / "logo" / ("logo" + logo.suffix.lower()))
        dict_path, words = None, []
        if not plain:
            dict_path = work / "jieba_user.txt"
            words = user_dictionary(content)
            dict_path.write_text("".join(w + "\n" for w in words), encoding="utf-8")
        cfg = site_config(content, docs, dest.absolute(), pages, dict_path, plain=plain)
        cfg_file = work / "mkdocs.yml"
        cfg_file.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
        with _reproducible(content.build_date), _clean_jieba(words):
            warnings = run_mkdocs(cfg_file, plain=plain)
    if expected is None:
        link_downloads(content, dest, staging, copy=True)
    return warnings


def link_downloads(content: Content, dest: Path, staging: Path, copy: bool = False) -> None:
    """Put the downloads the build made under the site's files/ (hard links into the build folder:
    every file in it is written once and never changed in place)."""
    for rel in sorted(downloads(content)):
        source = staging / rel
        if not source.is_file():
            continue
        target = dest / "files" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if not copy:
            with contextlib.suppress(OSError):
                os.link(source, target)
                continue
        shutil.copyfile(source, target)


# ---------------------------------------------------------------- the builder


def _key_data(content: Content) -> dict[str, Any]:
    import material

    dump = lambda obj: obj.model_dump(mode="json") if obj is not None else None  # noqa: E731
    return {
        "build_date": str(content.build_date),
        "material": getattr(material, "__version__", ""),
        "enterprise": dump(content.enterprise),
        "responsibilities": {k: dump(v) for k, v in sorted(content.responsibilities.items())},
        "job_standards": {k: dump(v) for k, v in sorted(content.job_standards.items())},
        "cards": {k: dump(v) for k, v in sorted(content.cards.items())},
        "risk_points": [dump(r) | {"level": int(r.level)} for r in content.risk_points],
        "checklists": {k: dump(v) for k, v in sorted(content.checklists.items())},
        "hazards": dump(content.hazards),
        "questions": [dump(q) for q in content.questions],
        "training": dump(content.training),
        "policies": {k: dump(v) for k, v in sorted(content.policies.items())},
        "plans": {k: dump(v) for k, v in sorted(content.plans.items())},
        "notices": {k: dump(v) for k, v in sorted(content.notices.items())},
        "handbook": dump(content.handbook),
        "knowledge": {k: dump(v) for k, v in sorted(content.knowledge.items())},
        "exam_results": exam_results(content),
        "exam_consequence": consequence_text(consequences_of(content), resit=False),
    }


def jobs(content: Content) -> list[Job]:
    def render(dest: Path, ctx: BuildContext) -> None:
        warnings = render_site(content, dest, ctx.staging, expected=ctx.expected)
        for w in warnings:
            ctx.note(f"站点：{w}")

    def finish(dest: Path, ctx: BuildContext) -> None:
        link_downloads(content, dest, ctx.staging)

    sources = sorted(set(content.sources.values()))
    return [Job("site", "site", _key_data(content), render, templates=["site", "signs", str(BASE_CONFIG)],
                sources=sources, after=sorted(downloads(content)), folder=True, finish=finish)]


def warm_up() -> None:
    """Once per fleet worker: jieba's dictionary (1.3 s) and the templates."""
    env()
    with contextlib.suppress(ImportError):
        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()


OUTPUT = Output("site", ("site",), jobs, warm_up)
