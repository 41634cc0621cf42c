"""The built site in headless Chromium: search, a post page, checklist tick-off, self-test, risk filter."""

from __future__ import annotations

import json

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


def test_checklist_ticks_survive_a_reload(page, server):
    content, origin, base = server
    checklist = sorted(content.checklists.values(), key=lambda c: (c.level != "岗位", c.id))[0]
    page.goto(base + f"checklists/{checklist.id}/")
    boxes = page.locator(".aq-check-box")
    assert boxes.count() == len(checklist.items)
    boxes.nth(0).check()
    boxes.nth(boxes.count() - 1).check()
    page.locator(".aq-check-inspector").fill("值班安全员")
    page.locator(".aq-check-note").nth(0).fill("左前轮气压偏低，已调整")
    assert "已检查 2 / " in page.locator(".aq-check-progress").inner_text()
    page.reload()
    boxes = page.locator(".aq-check-box")
    assert boxes.nth(0).is_checked() and boxes.nth(boxes.count() - 1).is_checked()
    assert all(not boxes.nth(i).is_checked() for i in range(1, boxes.count() - 1))
    assert page.locator(".aq-check-inspector").input_value() == "值班安全员"
    assert page.locator(".aq-check-note").nth(0).input_value() == "左前轮气压偏低，已调整"
    keys = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('anquan:'))")
    date = page.locator(".aq-check-date").input_value()
    assert keys == [f"anquan:{content.enterprise.id}:{checklist.id}:{date}"]
    # another inspection date starts empty
    page.locator(".aq-check-date").fill("2020-01-01")
    page.locator(".aq-check-date").dispatch_event("change")
    assert not page.locator(".aq-check-box").nth(0).is_checked()


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
