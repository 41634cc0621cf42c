"""The intranet site (generators/outputs/site.py): pages, escaping, search dictionary, CSP, reproducibility."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import pytest

from generators.load import load_or_raise
from generators.outputs.site import json_script, md_text, render_site, user_dictionary

DATA = Path(__file__).parent / "test_site_data"
FIXTURE = DATA / "enterprises" / "qinghe-transport"
BUILD_DATE = dt.date(2026, 3, 1)


def load(path: Path = FIXTURE, date: dt.date = BUILD_DATE):
    content, _ = load_or_raise(path, build_date=date)
    return content


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("site") / "site"
    warnings = render_site(load(), dest)
    assert warnings == []
    return dest


def html_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def page(site: Path, rel: str) -> str:
    return (site / rel / "index.html").read_text(encoding="utf-8")


def test_every_page_is_at_its_directory_url(site):
    content = load()
    for rel in ["", "knowledge", "posts", "risks", "checklists", "hazards", "notices", "training", "selftest", "revisions", "downloads"]:
        assert (site / rel / "index.html").is_file(), rel
    for post in content.posts:  # the risk cards' QR codes point at <base_url>posts/<post-id>/
        assert (site / "posts" / post.id / "index.html").is_file()
        assert (site / "selftest" / post.id / "index.html").is_file()
    for cid in content.checklists:
        assert (site / "checklists" / cid / "index.html").is_file()


def test_home_shows_enterprise_people_size_class_and_risk_counts(site):
    home = page(site, "")
    assert "青禾顺达运输有限公司" in home
    assert "孟凡德" in home and "吴志远" in home
    assert "<strong>中等</strong>" in home  # 168 employees, 1350 万元
    for label in ("红·重大风险", "橙·较大风险", "黄·一般风险", "蓝·低风险"):
        assert label in home
    assert "关于开展疲劳驾驶专项整治的通知" in home
    assert "超期 1 条" in home


def test_post_page_gathers_everything_for_the_post(site):
    html = page(site, "posts/hazmat-driver")
    for heading in ("安全生产责任清单", "岗位作业流程标准", "岗位安全风险", "岗位安全风险告知卡", "岗位安全检查卡片", "培训", "题库与自我评测"):
        assert heading in html
    for unit in ("一、设备描述", "二、风险管控", "三、岗位作业流程", "四、典型事故案例", "岗前安全确认", "末节工序"):
        assert unit in html
    assert "红·重大风险" in html  # 就高: the tank loading risk is red
    assert "../../selftest/hazmat-driver/" in html
    assert "../../checklists/driver-card/" in html
    assert "防御性驾驶与疲劳驾驶防范" in html  # training for this post
    assert "动态监控平台操作与报警处置" not in html  # the monitor's training


def test_risk_register_has_badges_with_written_colours_and_filter_data(site):
    html = page(site, "risks")
    rows = re.findall(r'<tr class="aq-row-(\w+)" id="risk-[\w-]+" data-level="(\w+)" data-dept="([\w-]+)">', html)
    assert [r[1] for r in rows] == ["red", "orange", "yellow", "blue"]
    assert {r[2] for r in rows} == {"fleet", "monitor-center", "safety"}
    assert 'id="aq-filter-level"' in html and 'id="aq-filter-dept"' in html
    assert "D = L×E×C = 3×6×40 = 720" in html


def test_hazard_ledger_highlights_overdue_and_keeps_closing_history(site):
    html = page(site, "hazards")
    blocks = {m.group(2): m.group(1) + m.group(3) for m in re.finditer(r'(<div class="aq-hazard[^"]*") id="h-([\w-]+)">(.*?)(?=<div class="aq-hazard[ "]|\Z)', html, re.S)}
    assert list(blocks) == ["h2026-001", "h2026-003", "h2026-002"]  # open by deadline, closed last
    overdue = blocks["h2026-001"]
    assert "aq-hazard-overdue" in overdue and "超期19天" in overdue  # deadline 2026-02-10, built 2026-03-01
    assert "挂牌督办" in overdue and "危险货物泄漏及火灾专项应急预案" in overdue
    assert "下发隐患整改通知书" in overdue
    closed = blocks["h2026-002"]
    assert "aq-hazard-overdue" not in closed and "aq-hazard-closed" in closed
    assert "验收销号（验收人 吴志远）" in closed
    assert "aq-hazard-overdue" not in blocks["h2026-003"]  # deadline 2026-03-20 not yet passed


def test_checklists_in_three_levels_with_tick_off(site):
    index = page(site, "checklists")
    assert index.index("单位安全检查清单") < index.index("车间（部门）安全检查表册") < index.index("岗位（班组）安全检查卡片")
    card = page(site, "checklists/company")
    # inherited from the library's industry list plus the enterprise's own item
    assert "动态监控平台24小时有人值守" in card and "危险货物泄漏应急演练" in card
    assert 'data-enterprise="qinghe-transport" data-enterprise-name="' in card and 'data-checklist="company"' in card
    # each item: 符合 / 不符合 / 不适用 and a note; the page says where the record is kept
    assert card.count('<li class="aq-check-item') == 4
    for value in ("符合", "不符合", "不适用"):
        assert card.count('type="radio" name="r-') == 12 and card.count(f'value="{value}"') == 4
    assert card.count('class="aq-check-note"') == 4
    assert "只保存在本机" in card and "清除本机记录" in card and "导出 CSV" in card


def test_notices_and_revisions(site):
    notices = page(site, "notices")
    assert "青顺运安〔2026〕3号" in notices
    assert "未生成" in notices  # rendered without the notices builder: no download link
    revisions = page(site, "revisions")
    dates = re.findall(r'<tr id="rev-\d+"><td class="aq-nowrap">(\d{4})年(\d+)月(\d+)日</td>', revisions)
    as_dates = [dt.date(int(y), int(m), int(d)) for y, m, d in dates]
    assert len(as_dates) >= 10 and as_dates == sorted(as_dates, reverse=True)
    assert "道路运输安全生产法律法规要点" in revisions  # library knowledge revisions too


def test_selftest_embeds_the_bank_as_safe_json(site):
    content = load()
    for post in content.posts:
        html = page(site, f"selftest/{post.id}")
        raw = re.search(r'<script type="application/json" class="aq-bank">(.*?)</script>', html, re.S).group(1)
        bank = json.loads(raw)
        own = {q.id for q in content.post_questions(post.id)}
        general = {q.id for q in content.general_questions()}
        assert {q["id"] for q in bank} == own | general
        assert all(q["type"] in ("单选", "多选", "判断") for q in bank)
        assert '<option value="60">' in html and '<option value="70">' in html and '<option value="80">' in html
    general_page = page(site, "selftest")
    assert len(json.loads(re.search(r'class="aq-bank">(.*?)</script>', general_page, re.S).group(1))) == len(content.general_questions())


def test_no_request_can_leave_the_host(site):
    for f in html_files(site):
        html = f.read_text(encoding="utf-8")
        assert "Content-Security-Policy" in html and "script-src 'self'" in html, f
        for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html):
            if 'rel="canonical"' in tag:
                continue
            assert not re.search(r'(?:src|href)="(?:https?:)?//', tag), (f, tag)
        # every executable script is a file: the CSP allows no inline script
        for attrs in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html):
            assert "application/json" in attrs, (f, attrs)
    # Material's bundle names unpkg.com for polyfills it loads only when a browser lacks
    # ResizeObserver or a page has mermaid diagrams; the CSP (script-src 'self') blocks them anyway.
    ours = [p for p in site.rglob("*") if p.suffix in (".html", ".css") or "anquan" in p.parts]
    for bad in ("fonts.googleapis", "fonts.gstatic", "unpkg.com", "cdn.jsdelivr"):
        assert not any(bad in p.read_text(encoding="utf-8", errors="ignore") for p in ours if p.is_file()), bad


def test_search_index_keeps_safety_terms_whole(site):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["zh"]
    tokens = {t for d in index["docs"] for t in re.split("[\u200b\\s]+", d["title"] + "\u200b" + d["text"]) if t}
    for term in ("疲劳驾驶", "动态监控", "重大事故隐患", "静电接地", "紧急切断", "危险货物运输驾驶员", "动态监控员"):
        assert term in tokens, term
    # the self-test answers are not searchable
    assert not any("aq-bank" in d["text"] for d in index["docs"])


def test_user_dictionary_has_terms_posts_and_knowledge_points():
    words = user_dictionary(load())
    assert {"疲劳驾驶", "动态监控", "重大事故隐患", "应知应会", "危险货物", "静电接地", "紧急切断"} <= set(words)
    assert {"危险货物运输驾驶员", "专职安全管理员", "交接班", "出车前检查"} <= set(words)
    assert len(words) == len(set(words))
    assert all(re.fullmatch(r"[\u3400-\u9fff]{2,}", w) for w in words)


def test_jieba_is_left_as_it_was():
    import jieba

    jieba.initialize()
    freq = jieba.dt.FREQ
    before = (dict(freq), jieba.dt.total, dict(jieba.dt.user_word_tag_tab))
    assert "危险货物运输驾驶员" not in jieba.dt.FREQ
    render_site(load(), Path(__import__("tempfile").mkdtemp()) / "site")
    # every entry as it was (a prefix of a user word that jieba knew keeps its count), put back in
    # place rather than by loading the dictionary again
    assert (jieba.dt.FREQ, jieba.dt.total, jieba.dt.user_word_tag_tab) == before
    assert jieba.dt.FREQ is freq
    assert "危险货物运输驾驶员" not in jieba.dt.FREQ


def _tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def test_build_is_reproducible_and_dated_by_the_build_date(site, tmp_path):
    again = tmp_path / "site"
    render_site(load(), again)
    assert _tree_digest(again) == _tree_digest(site)
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert set(re.findall(r"<lastmod>(.*?)</lastmod>", sitemap)) == {"2026-03-01"}
    assert "<loc>http://anquan.qinghe.local/posts/hazmat-driver/</loc>" in sitemap


def test_downloads_are_copied_when_present_and_skipped_when_absent(tmp_path):
    content = load()
    staging = tmp_path / "staging"
    (staging / "notices").mkdir(parents=True)
    (staging / "notices" / "n2026-03.docx").write_bytes(b"PK docx")
    (staging / "cards").mkdir()
    (staging / "cards" / "monitor.pdf").write_bytes(b"%PDF card")
    dest = tmp_path / "site"
    render_site(content, dest, staging)
    assert (dest / "files" / "notices" / "n2026-03.docx").read_bytes() == b"PK docx"
    assert not (dest / "files" / "notices" / "n2026-03.pdf").exists()
    notices = (dest / "notices" / "index.html").read_text(encoding="utf-8")
    assert 'href="../files/notices/n2026-03.docx"' in notices and "n2026-03.pdf" not in notices
    monitor = (dest / "posts" / "monitor" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../files/cards/monitor.pdf"' in monitor
    driver = (dest / "posts" / "hazmat-driver" / "index.html").read_text(encoding="utf-8")
    assert "files/cards/hazmat-driver.pdf" not in driver
    downloads = (dest / "downloads" / "index.html").read_text(encoding="utf-8")
    assert downloads.count('download>') == 2


def test_hostile_content_stays_text(tmp_path):
    from tests.hostile import make_hostile

    ent_dir = make_hostile(tmp_path)
    content = load(ent_dir, dt.date(2026, 6, 1))
    dest = tmp_path / "site"
    render_site(content, dest)
    seen_escaped = seen_jinja = False
    for f in html_files(dest):
        html = f.read_text(encoding="utf-8")
        # no tag, handler or link from content; Markdown in content is not rendered
        assert '<script>alert' not in html, f
        assert "<img src=x" not in html, f
        assert 'href="javascript:' not in html, f
        assert "<strong>粗体</strong>" not in html, f
        assert "<title>" in html and "</title>" in html
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert "<" not in title, (f, title)
        seen_escaped |= "&lt;script&gt;alert(" in html
        seen_jinja |= "{{ 7*7 }}" in html  # shown as typed, never evaluated
    assert seen_escaped and seen_jinja
    # content JSON cannot close its <script> element
    for f in (dest / "selftest").rglob("index.html"):
        raw = re.search(r'class="aq-bank">(.*?)</script>', f.read_text(encoding="utf-8"), re.S).group(1)
        assert "<" not in raw and ">" not in raw
        assert any("<script>" in q["stem"] for q in json.loads(raw))


def test_escaping_helpers():
    assert str(md_text("a*b*_c_ [x](y) #1 <b>&")) == r"a\*b\*\_c\_ \[x\]\(y\) \#1 &lt;b&gt;&amp;"
    assert str(json_script({"s": "</script><b>&"})) == '{"s":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}'
    assert json.loads(str(json_script({"s": "</script>"}))) == {"s": "</script>"}


def test_same_process_builds_of_two_enterprises_do_not_mix(tmp_path):
    from generators.cli.new import scaffold

    other = tmp_path / "other-co"
    scaffold(other, name="白桦精密机械有限公司", today=BUILD_DATE)
    a = tmp_path / "a"
    b = tmp_path / "b"
    render_site(load(), a)
    render_site(load(other), b)
    text_b = "".join(p.read_text(encoding="utf-8", errors="ignore") for p in b.rglob("*") if p.suffix in (".html", ".json", ".xml"))
    text_a = "".join(p.read_text(encoding="utf-8", errors="ignore") for p in a.rglob("*") if p.suffix in (".html", ".json", ".xml"))
    assert "白桦精密机械" in text_b and "青禾" not in text_b and "危险货物运输驾驶员" not in text_b
    assert "白桦精密机械" not in text_a


def test_demo_transport_site_builds_without_warnings(tmp_path):
    root = Path(__file__).parent.parent / "content" / "enterprises" / "demo-transport"
    content = load(root, dt.date(2026, 11, 26))
    dest = tmp_path / "site"
    assert render_site(content, dest) == []
    for post in content.posts:
        assert (dest / "posts" / post.id / "index.html").is_file()
    index = json.loads((dest / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert any("\u200b疲劳驾驶\u200b" in "\u200b" + d["text"] + "\u200b" for d in index["docs"])


def _index(site: Path) -> list[dict]:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def test_search_index_has_a_row_per_risk_and_item_at_its_anchor(site):
    content = load()
    docs = {d["location"]: d for d in _index(site)}
    clean = lambda s: s.replace("\u200b", "")  # noqa: E731
    for r in content.risk_points:
        row = docs[f"risks/#risk-{r.id}"]
        assert clean(row["title"]) == r.name and r.hazards[0][:6] in clean(row["text"])
        assert f'id="risk-{r.id}"' in page(site, "risks")  # the anchor a hit lands on
    for c in content.checklists.values():
        for it in c.items:
            assert clean(docs[f"checklists/{c.id}/#item-{it.id}"]["text"]).count(it.content) == 1
    # the register's own entry holds its introduction, not the rows, nor the filter's options
    register = clean(docs["risks/"]["text"])
    assert content.risk_points[0].hazards[0] not in register and "全部" not in register
    # table cells are blocks of their own, so the worker's snippet is a cell, not the table
    assert "<td>" in docs[f"risks/#risk-{content.risk_points[0].id}"]["text"]
    # the search markers are gone from the published page
    assert "data-search-section" not in page(site, "risks")


def test_search_runs_in_the_site_worker_that_wraps_materials(site):
    html = page(site, "risks")
    m = re.search(r'"search": ?"([^"]*workers/anquan-search\.js\?m=(search\.[0-9a-f]+\.min\.js))"', html)
    assert m, "the page does not point Material at the site's worker"
    workers = site / "assets" / "javascripts" / "workers"
    assert (workers / m.group(2)).is_file() and (workers / "anquan-search.js").is_file()
    assert "importScripts(name)" in (workers / "anquan-search.js").read_text(encoding="utf-8")


def test_theme_assets_are_linked_from_one_copy_per_process(tmp_path):
    import material

    content = load()
    a, b = tmp_path / "a", tmp_path / "b"
    render_site(content, a)
    render_site(content, b)
    theme = Path(material.__file__).parent / "templates"
    bundles = sorted((a / "assets" / "javascripts").glob("bundle.*.min.js"))
    assert bundles
    for f in bundles + sorted((a / "assets" / "stylesheets").glob("*.css")):
        other = b / f.relative_to(a)
        assert f.stat().st_ino == other.stat().st_ino and f.stat().st_nlink >= 3  # cache + two sites
        assert f.read_bytes() == (theme / f.relative_to(a)).read_bytes()
    # the site's own files are its own, not links
    css = a / "assets" / "anquan" / "site.css"
    assert css.stat().st_ino != (b / "assets" / "anquan" / "site.css").stat().st_ino


def test_theme_files_are_copied_where_a_link_fails(tmp_path, monkeypatch):
    import os

    from generators.outputs import site_mkdocs

    def no_link(src, dst):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_link)
    dest = tmp_path / "s"
    render_site(load(), dest)
    bundle = next((dest / "assets" / "javascripts").glob("bundle.*.min.js"))
    assert bundle.stat().st_nlink == 1 and bundle.stat().st_size > 10000
    assert site_mkdocs.place.__doc__


def test_training_page_prints_the_derived_assessment_and_clean_clauses(tmp_path):
    """The site's plan shows the same 考核方式 as the PDF plan (from the item's own words, here a
    "考核：" line when `assessment` is absent), and content lines that end in 。 are joined
    without "。；"."""
    import re
    import shutil

    from generators.checks.training import assessment_of

    repo_content = Path(__file__).parent.parent / "content"
    root = tmp_path / "content" / "enterprises" / "demo-chemical"
    shutil.copytree(repo_content / "enterprises" / "demo-chemical", root)
    (tmp_path / "content" / "library").symlink_to(repo_content / "library")
    plan = root / "training.yaml"
    text = plan.read_text(encoding="utf-8")
    first = "      - 专业知识：本岗位责任清单、作业流程标准、风险告知卡和典型事故案例\n    assessment: 闭卷考试\n"
    assert first in text
    plan.write_text(text.replace(first, "      - 专业知识：本岗位责任清单、作业流程标准、风险告知卡和典型事故案例。\n      - 考核：闭卷笔试。\n", 1), encoding="utf-8")
    content = load(root, dt.date(2026, 11, 26))
    assert content.training.items[0].assessment is None
    derived = assessment_of(content.training.items[0])
    assert derived and "闭卷笔试" in derived
    dest = tmp_path / "site"
    assert render_site(content, dest) == []
    cells = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td>(.*?)</td>", page(dest, "training"))]
    assert derived in cells
    assert not any("。；" in c for c in cells)


def test_in_a_build_pages_link_the_expected_downloads_and_finish_links_them_in(tmp_path):
    """The build's site renders before the downloads exist (ctx.expected says which will), and its
    finish step hard-links the files in once they do."""
    from generators.outputs.base import BuildContext
    from generators.outputs.site import jobs as site_jobs

    content = load()
    staging = tmp_path / "staging"
    ctx = BuildContext(content, staging, None, expected=frozenset({"notices/n2026-03.docx", "cards/monitor.pdf"}))
    (job,) = site_jobs(content)
    assert job.finish is not None and "cards/monitor.pdf" in job.after
    dest = staging / job.output
    job.render(dest, ctx)  # nothing rendered yet
    assert not (dest / "files").exists()
    monitor = (dest / "posts" / "monitor" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../files/cards/monitor.pdf"' in monitor
    notices = (dest / "notices" / "index.html").read_text(encoding="utf-8")
    assert 'href="../files/notices/n2026-03.docx"' in notices and "n2026-03.pdf" not in notices
    (staging / "cards").mkdir(parents=True)
    (staging / "cards" / "monitor.pdf").write_bytes(b"%PDF card")
    (staging / "notices").mkdir()
    (staging / "notices" / "n2026-03.docx").write_bytes(b"PK docx")
    job.finish(dest, ctx)
    linked = dest / "files" / "cards" / "monitor.pdf"
    assert linked.read_bytes() == b"%PDF card"
    assert linked.stat().st_ino == (staging / "cards" / "monitor.pdf").stat().st_ino


def test_the_risks_page_names_the_offsite_boards_and_links_their_risks(tmp_path):
    """Off-site risks (道路运输途中) are on no zone of the map: the page says which 公告栏 carries
    them, where it is posted and who answers for it, and links each risk's row."""
    content = load(Path(__file__).resolve().parent.parent / "content" / "enterprises" / "demo-transport", dt.date(2026, 12, 2))
    dest = tmp_path / "site"
    render_site(content, dest)
    page = (dest / "risks" / "index.html").read_text(encoding="utf-8")
    block = page[page.index('<div class="aq-offsite">'):]
    block = block[:block.index("</div>")]
    assert "<strong>危货运输车队道路运输</strong>；张贴位置：调度大厅（出车前报到处）；责任人：宋志刚（危货运输车队队长）；电话：0355-2186130" in block
    linked = re.findall(r'href="#risk-([^"]+)"', block)
    assert "hz-bad-weather" in linked and "fr-night-driving" in linked
    assert all(f'id="risk-{rid}"' in page for rid in linked)
    other = load(FIXTURE)
    if not other.extras.get("riskmap"):
        render_site(other, tmp_path / "plain")
        assert "aq-offsite" not in (tmp_path / "plain" / "risks" / "index.html").read_text(encoding="utf-8")
