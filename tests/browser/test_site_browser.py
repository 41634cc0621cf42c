"""The built site in headless Chromium: search, a post page, checklist tick-off, self-test, risk filter."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def test_search_finds_fatigue_driving_first(page, server):
    content, origin, base = server
    page.goto(base)
    page.wait_for_load_state("networkidle")
    page.keyboard.press("/")  # desktop width: the header's search label is hidden, "/" focuses the box
    page.keyboard.type("疲劳驾驶")
    page.keyboard.press("End")  # keyboard.type sends no keyup for Chinese text; Material searches on keyup
    first = page.locator(".md-search-result__item").first
    first.wait_for(timeout=15000)
    meta = page.locator(".md-search-result__meta").inner_text()
    assert "没有" not in meta
    # the top result is a page that contains the phrase itself, highlighted
    assert "疲劳驾驶" in first.inner_text()
    href = first.locator("a").first.get_attribute("href")
    page.goto(href)
    assert "疲劳驾驶" in page.locator("article").inner_text()


def test_post_page_opens_from_the_posts_list(page, server):
    content, origin, base = server
    post = content.posts[0]
    page.goto(base + "posts/")
    page.get_by_role("link", name=post.name, exact=True).first.click()
    page.wait_for_url(f"**/posts/{post.id}/")
    assert page.locator("h1").inner_text().strip() == post.name
    article = page.locator("article").inner_text()
    for heading in ("安全生产责任清单", "岗位安全风险", "岗位安全风险告知卡", "岗位安全检查卡片", "题库与自我评测"):
        assert heading in article
    page.get_by_role("link", name="开始自我评测").click()
    page.wait_for_url(f"**/selftest/{post.id}/")


def _checklist(content):
    return sorted(content.checklists.values(), key=lambda c: (c.level != "岗位", c.id))[0]


def test_checklist_results_survive_a_reload_and_can_be_cleared(page, server):
    content, origin, base = server
    checklist = _checklist(content)
    page.goto(base + f"checklists/{checklist.id}/")
    items = page.locator(".aq-check-item")
    assert items.count() == len(checklist.items)
    # the page says where the record is kept, before anything is entered
    storage = page.locator(".aq-check-storage")
    assert storage.is_visible() and "只保存在本机" in storage.inner_text() and "没有保存" in storage.inner_text()
    items.nth(0).get_by_label("符合", exact=True).check()
    items.nth(items.count() - 1).get_by_label("不适用").check()
    page.locator(".aq-check-inspector").fill("值班安全员")
    page.locator(".aq-check-note").nth(0).fill("左前轮气压偏低，已调整")
    assert "已检查 2 / " in page.locator(".aq-check-progress").inner_text()
    page.reload()
    items = page.locator(".aq-check-item")
    assert items.nth(0).locator("input[value='符合']").is_checked()
    assert items.nth(items.count() - 1).locator("input[value='不适用']").is_checked()
    assert page.locator(".aq-check-item input[type=radio]:checked").count() == 2
    assert page.locator(".aq-check-inspector").input_value() == "值班安全员"
    assert page.locator(".aq-check-note").nth(0).input_value() == "左前轮气压偏低，已调整"
    keys = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('anquan:'))")
    date = page.locator(".aq-check-date").input_value()
    assert keys == [f"anquan:{content.enterprise.id}:{checklist.id}:{date}"]
    assert date in page.locator(".aq-check-stored").inner_text()
    # another inspection date starts empty
    page.locator(".aq-check-date").fill("2020-01-01")
    page.locator(".aq-check-date").dispatch_event("change")
    assert page.locator(".aq-check-item input[type=radio]:checked").count() == 0
    # 清除 removes every stored date of this checklist
    page.once("dialog", lambda d: d.accept())
    page.locator(".aq-check-clear").click()
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('anquan:'))") == []
    assert "没有保存" in page.locator(".aq-check-stored").inner_text()


def test_checklist_exports_csv_with_bom_and_prints_the_record(page, server, tmp_path):
    content, origin, base = server
    checklist = _checklist(content)
    page.goto(base + f"checklists/{checklist.id}/")
    second = page.locator(".aq-check-item").nth(1)
    second.get_by_label("不符合").click()
    second.locator(".aq-check-note").press_sequentially("灭火器压力不足，已报修")
    page.locator(".aq-check-inspector").fill("=HYPERLINK(1)")
    with page.expect_download() as info:
        page.locator(".aq-check-csv").click()
    download = info.value
    assert download.suggested_filename.startswith(checklist.id) and download.suggested_filename.endswith(".csv")
    path = tmp_path / "out.csv"
    download.save_as(path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel opens it as UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["单位", content.enterprise.name] and rows[1] == ["检查清单", checklist.title]
    assert rows[3] == ["检查人", "'=HYPERLINK(1)"]  # never a formula in Excel
    header = rows[5]
    assert header[:3] == ["序号", "编号", "检查内容"] and header[-2:] == ["检查结果", "说明"]
    body = rows[6:]
    assert len(body) == len(checklist.items)
    item = checklist.items[1]
    assert body[1][0] == "2" and body[1][2] == item.content
    assert body[1][-2:] == ["不符合", "灭火器压力不足，已报修"]
    assert body[0][-2:] == ["未检查", ""]
    # the printable page shows each item's result as text and hides the buttons
    page.emulate_media(media="print")
    assert second.locator(".aq-check-verdict").inner_text() == "检查结果：不符合"
    assert not second.locator("label.aq-r-bad").is_visible()
    assert not page.locator(".aq-check-csv").is_visible() and not page.locator(".aq-check-storage").is_visible()
    assert page.locator(".aq-sign-line").is_visible()


def test_checklist_page_makes_no_request_off_the_host(page, server):
    content, origin, base = server
    off: list[str] = []

    def route(r):
        if r.request.url.startswith(origin):
            r.continue_()
        else:
            off.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(base + f"checklists/{_checklist(content).id}/")
    page.wait_for_load_state("networkidle")
    page.locator(".aq-check-item").nth(0).get_by_label("不符合").click()
    with page.expect_download():
        page.locator(".aq-check-csv").click()
    page.keyboard.press("/")
    page.keyboard.insert_text("检查")
    page.locator(".md-search-result__item").first.wait_for(timeout=15000)
    assert off == []


def test_selftest_scores_and_explains(page, server):
    content, origin, base = server
    post = max(content.posts, key=lambda p: len(content.post_questions(p.id)))
    page.goto(base + f"selftest/{post.id}/")
    bank = {q["id"]: q for q in json.loads(page.locator(".aq-bank").text_content())}
    page.locator(".aq-pass").select_option("80")
    page.locator(".aq-start").click()
    items = page.locator(".aq-questions > li")
    n = items.count()
    assert n >= 5
    # answer every question correctly, using the embedded key
    for i in range(n):
        li = items.nth(i)
        q = bank[li.get_attribute("data-qid")]
        assert q["stem"].split()[0] in li.locator("p").first.inner_text()
        key = ("T" if q["answer"] else "F") if q["type"] == "判断" else q["answer"]
        for letter in key:
            li.locator(f"input[value='{letter}']").check()
    page.locator(".aq-submit").click()
    result = page.locator(".aq-result")
    result.wait_for()
    assert "100 分" in result.inner_text() and "及格线 80 分" in result.inner_text() and "合格" in result.inner_text()
    assert page.locator(".aq-feedback").count() == n
    # a second draw answered with nothing scores 0 and fails
    page.get_by_role("button", name="重新抽题").click()
    page.locator(".aq-submit").click()
    assert "0 分" in result.inner_text() and "不合格" in result.inner_text()
    assert "正确答案" in page.locator(".aq-feedback").first.inner_text()


def test_risk_register_filters_by_level_and_department(page, server):
    content, origin, base = server
    page.goto(base + "risks/")
    rows = page.locator("#aq-risk-table tbody tr")
    assert rows.count() == len(content.risk_points)
    page.locator("#aq-filter-level").select_option("red")
    reds = [r for r in content.risk_points if r.level.css == "red"]
    assert page.locator("#aq-risk-table tbody tr:visible").count() == len(reds)
    page.locator("#aq-filter-level").select_option("")
    dep = content.risk_points[0].department
    page.locator("#aq-filter-dept").select_option(dep)
    assert page.locator("#aq-risk-table tbody tr:visible").count() == sum(1 for r in content.risk_points if r.department == dep)


def test_phone_width_home_has_no_horizontal_overflow(browser, server):
    content, origin, base = server
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    pg = context.new_page()
    for path in ("", f"posts/{content.posts[0].id}/", "risks/", f"checklists/{next(iter(content.checklists))}/"):
        pg.goto(base + path)
        overflow = pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, (path, overflow)
    context.close()


def _phrase(content) -> str:
    """动火作业 in demo-transport; the fixture enterprise has no hot work."""
    text = " ".join(r.name + "".join(r.hazards) for r in content.risk_points)
    return "动火作业" if "动火" in text else "疲劳驾驶"


def _search(page, base, text: str):
    page.goto(base)
    page.wait_for_load_state("networkidle")
    page.keyboard.press("/")
    page.wait_for_timeout(300)  # Material reads the box on focus; what follows must come from `input` alone
    page.keyboard.insert_text(text)  # an input event only: no keydown, no keyup (a paste, a phone IME)
    first = page.locator(".md-search-result__item").first
    first.wait_for(timeout=15000)
    page.wait_for_timeout(300)
    return page.locator(".md-search-result__item")


def test_search_starts_on_input_without_a_key_release(page, server):
    content, origin, base = server
    items = _search(page, base, "疲劳驾驶")
    assert "键入以开始搜索" not in page.locator(".md-search-result__meta").inner_text()
    assert items.count() >= 1


def test_search_puts_the_exact_phrase_first_with_a_short_snippet(page, server):
    content, origin, base = server
    phrase = _phrase(content)
    items = _search(page, base, phrase)
    clean = lambda s: s.replace("\u200b", "")  # noqa: E731
    first = items.first
    assert phrase in clean(first.inner_text())
    # every shown snippet is a few lines around the hit, never a whole register
    for i in range(min(items.count(), 10)):
        for article in items.nth(i).locator("article").all():
            if article.is_visible():
                assert len(clean(article.inner_text())) < 300, clean(article.inner_text())[:80]
    # pages holding the phrase come before pages holding only its characters
    holds = [phrase in clean(items.nth(i).text_content()) for i in range(min(items.count(), 10))]
    assert holds[0] and holds == sorted(holds, reverse=True), holds
    # the hit opens at its row, not at the top of a long page
    href = first.locator("a").nth(1).get_attribute("href") if first.locator("a").count() > 1 else first.locator("a").first.get_attribute("href")
    page.goto(href)
    if "#" in href:
        anchor = href.split("#", 1)[1].split("?", 1)[0]
        target = page.locator(f"[id='{anchor}']")
        assert target.count() == 1 and phrase in clean(target.inner_text())


TABLE_PAGES = ("", "training/", "revisions/", "posts/", "risks/", "hazards/", "notices/", "checklists/")


def test_phone_width_wide_tables_scroll_in_their_own_frame(browser, server):
    content, origin, base = server
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    pg = context.new_page()
    pages = list(TABLE_PAGES) + [f"posts/{p.id}/" for p in content.posts[:3]]
    for path in pages:
        pg.goto(base + path)
        pg.wait_for_load_state("networkidle")
        doc = pg.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert doc[0] <= doc[1], (path, doc)
        tables = pg.evaluate("""() => [...document.querySelectorAll('article table')].map(t => {
            let p = t.parentElement;
            while (p && p !== document.body && !['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) p = p.parentElement;
            const frame = p && p !== document.body ? p : null;
            const hint = frame && frame.previousElementSibling;
            return {width: t.getBoundingClientRect().width, right: t.getBoundingClientRect().right,
                    frame: frame ? frame.clientWidth : null, scrolls: frame ? frame.scrollWidth > frame.clientWidth + 1 : false,
                    hint: !!(hint && hint.classList.contains('aq-scroll-hint') && hint.offsetParent)};
        })""")
        for t in tables:
            if t["right"] > doc[1] + 1:
                assert t["frame"] is not None and t["frame"] <= doc[1], (path, t)
            if t["scrolls"]:
                assert t["hint"], (path, t)  # the reader is told the table goes on to the right
    # the training plan on a phone: a scrolling frame with readable columns, not a crushed table
    pg.goto(base + "training/")
    topic = pg.locator("article table").first.locator("tbody tr").first.locator("td").nth(1)
    assert topic.bounding_box()["width"] >= 100
    for shot in ("training/", f"checklists/{_checklist(content).id}/"):
        pg.goto(base + shot)
        pg.screenshot(path=str(Path(os.environ.get("ANQUAN_SHOTS", "/tmp")) / f"site-390-{shot.strip('/').replace('/', '-')}.png"))
    context.close()
