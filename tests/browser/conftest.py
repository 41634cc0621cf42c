"""Browser-test set-up: build a site, serve it on 127.0.0.1 from a sub-path, drive Debian's Chromium."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import threading
from pathlib import Path

import pytest

from generators.load import load, load_or_raise
from generators.outputs.site import render_site

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "content" / "enterprises" / "demo-transport"
FIXTURE = ROOT / "tests" / "test_site_data" / "enterprises" / "qinghe-transport"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]
SUBPATH = "intranet/anquan/"


def _enterprise() -> tuple[Path, dt.date]:
    """demo-transport once it loads cleanly with checklists, risks and questions (it is being written
    in parallel), else the site fixture."""
    if (DEMO / "enterprise.yaml").is_file():
        content, diags = load(DEMO, build_date=dt.date(2026, 11, 26))
        if content is not None and not diags.errors and content.checklists and content.risk_points and content.questions:
            return DEMO, dt.date(2026, 11, 26)
    return FIXTURE, dt.date(2026, 3, 1)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    path, date = _enterprise()
    content, _ = load_or_raise(path, build_date=date)
    www = tmp_path_factory.mktemp("www")
    render_site(content, www / SUBPATH.rstrip("/"))
    return content, www


@pytest.fixture(scope="session")
def server(built_site):
    content, www = built_site
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(www)))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{httpd.server_address[1]}/"
    yield content, origin, origin + SUBPATH
    httpd.shutdown()
    httpd.server_close()


class Recorder:
    def __init__(self) -> None:
        self.requests: list[str] = []
        self.errors: list[str] = []


@pytest.fixture
def page(browser, server):
    content, origin, base = server
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    rec = Recorder()
    context.on("request", lambda r: rec.requests.append(r.url))
    pg = context.new_page()
    pg.on("console", lambda m: rec.errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: rec.errors.append(str(e)))
    pg.rec = rec  # type: ignore[attr-defined]
    yield pg
    context.close()
    # every request of every test stays on this host; no CSP violation or script error happened
    assert rec.requests and all(u.startswith(origin) for u in rec.requests), [u for u in rec.requests if not u.startswith(origin)]
    assert rec.errors == []
