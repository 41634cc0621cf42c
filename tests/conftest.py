"""In CI every test must run: a skip there (a missing system package, say) is a failure."""

from __future__ import annotations

import os

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"在 CI 中不允许跳过测试（scripts/setup.sh 应已安装所需软件）：{reason}"


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium per test process, shared by every browser test (two Playwright sync
    instances in one process collide)."""
    from pathlib import Path

    if not Path(CHROMIUM).is_file():
        pytest.skip("Debian's chromium is not installed (scripts/setup.sh installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def shared_build(tmp_path_factory):
    """`shared_build(enterprise_id)` -> tests.helpers.shared_build.SharedBuild: the run's one full build of a
    bundled sample at SHARED_DATE, made by whichever worker asks first. Read it, never write into it
    (copy it with tests.helpers.shared_build.copy_build); the session's end checks that nothing changed."""
    from tests.helpers.shared_build import build_shared, shared_root, snapshot

    root = shared_root(tmp_path_factory)
    used: dict = {}

    def get(enterprise: str):
        if enterprise not in used:
            used[enterprise] = build_shared(root, enterprise)
        return used[enterprise][0]

    yield get
    for built, files in used.values():
        now = snapshot(built.out)
        changed = sorted(k for k in files.keys() | now.keys() if files.get(k) != now.get(k))
        assert not changed, f"a test wrote into the shared build of {built.enterprise}: {changed[:10]}"
