"""The site built from script-laden content, opened in Chromium: no script runs, no request leaves the host."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import threading
from pathlib import Path

import pytest

from generators.load import load_or_raise
from generators.outputs.site import render_site

from ..hostile import make_hostile
from .conftest import CHROMIUM, _Quiet

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    ent = make_hostile(tmp)
    content, _ = load_or_raise(ent, build_date=dt.date(2026, 11, 26))
    www = tmp / "www"
    render_site(content, www / "site")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(www)))
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield www / "site", f"http://127.0.0.1:{httpd.server_address[1]}/site/"
    httpd.shutdown()
    httpd.server_close()


def test_no_script_from_content_runs(browser, hostile_site):
    root, base = hostile_site
    pages = sorted(p.relative_to(root).parent.as_posix() for p in root.rglob("index.html"))
    assert len(pages) > 10
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    requests: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    for rel in pages:
        url = base + ("" if rel == "." else rel + "/")
        page.goto(url)
        page.wait_for_load_state("load")
        # links written as Markdown in content never become javascript: links
        assert page.locator("a[href^='javascript:']").count() == 0, url
        assert page.locator("img[onerror]").count() == 0, url
    page.goto(base)
    text = page.inner_text("body")
    assert '<script>alert("x")</script>' in text  # shown as text
    assert "{{ 7*7 }}" in text  # Jinja in content is text, never evaluated
    context.close()
    assert dialogs == []
    assert requests and all(u.startswith("http://127.0.0.1:") for u in requests), [u for u in requests if not u.startswith("http://127.0.0.1:")]


def test_chromium_present():
    assert Path(CHROMIUM).is_file()
