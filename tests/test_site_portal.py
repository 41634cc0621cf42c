"""The fleet portal (build/index/) and `anquan serve` (serving on loopback, rebuilding on YAML change)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from generators.cli.new import scaffold

DATA = Path(__file__).parent / "test_site_data"
DATE = dt.date(2026, 3, 1)


def _two_enterprises(tmp_path: Path) -> list[Path]:
    content = tmp_path / "content"
    shutil.copytree(DATA / "library", content / "library")
    shutil.copytree(DATA / "enterprises" / "qinghe-transport", content / "enterprises" / "qinghe-transport")
    scaffold(content / "enterprises" / "baihua-machinery", name="白桦精密机械有限公司", today=DATE)
    return sorted((content / "enterprises").iterdir())


def test_portal_lists_each_enterprise_with_figures_and_sites_stay_separate(tmp_path):
    from generators.pipeline.fleet import build_many

    out = tmp_path / "build"
    assert build_many(_two_enterprises(tmp_path), out, only=["data", "site"], build_date=DATE, quiet=True) == 0
    html = (out / "index" / "index.html").read_text(encoding="utf-8")
    assert (out / "index" / "portal.css").is_file()
    rows = re.findall(r"<tr[^>]*>\s*<td data-label=\"企业\"><strong>(.*?)</strong>", html)
    assert rows == ["白桦精密机械有限公司", "青禾顺达运输有限公司"]  # sorted by id
    qinghe = html[html.index("青禾顺达运输有限公司"):]
    assert "道路运输" in qinghe and "中等" in qinghe
    assert '<span class="ok">3 / 3</span>' in qinghe  # every post fully covered
    assert "超期 1" in qinghe and '<span class="badge red" title="红·重大风险">红 1</span>' in qinghe
    assert 'href="../qinghe-transport/site/"' in html and 'href="../baihua-machinery/site/"' in html
    baihua = html[html.index("白桦精密机械有限公司"): html.index("青禾顺达运输有限公司")]
    assert "小微" in baihua and "工贸" in baihua
    # one enterprise's site contains nothing of the other's
    a = "".join(p.read_text(encoding="utf-8", errors="ignore") for p in (out / "qinghe-transport" / "site").rglob("*") if p.suffix in (".html", ".json", ".xml"))
    b = "".join(p.read_text(encoding="utf-8", errors="ignore") for p in (out / "baihua-machinery" / "site").rglob("*") if p.suffix in (".html", ".json", ".xml"))
    assert "白桦" not in a and "青禾" not in b and "疲劳驾驶" not in b


@pytest.mark.slow
def test_serve_rebuilds_when_a_yaml_file_changes(tmp_path):
    from generators.cli.serve import Rebuilder, SiteServer, watch
    from generators.pipeline import BuildOptions, build

    ent = tmp_path / "content" / "enterprises" / "qinghe-transport"
    shutil.copytree(DATA / "library", tmp_path / "content" / "library")
    shutil.copytree(DATA / "enterprises" / "qinghe-transport", ent)
    out = tmp_path / "build"
    state = {}

    def rebuild():
        state["site"] = build(ent, BuildOptions(out_root=out, only=("site",), build_date=DATE)).out_dir / "site"

    rebuild()
    server = SiteServer(lambda: state["site"], "127.0.0.1", 0).start()
    rebuilder = Rebuilder(rebuild, delay=0.2)
    observer = watch([ent], rebuilder)
    try:
        assert server.url.startswith("http://127.0.0.1:")
        home = urllib.request.urlopen(server.url, timeout=10).read().decode("utf-8")
        assert "现有营运车辆62辆" in home
        (ent / "notes.txt").write_text("不是 YAML，不触发重新构建", encoding="utf-8")
        yaml_file = ent / "enterprise.yaml"
        yaml_file.write_text(yaml_file.read_text(encoding="utf-8").replace("现有营运车辆62辆", "现有营运车辆65辆"), encoding="utf-8")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                home = urllib.request.urlopen(server.url, timeout=10).read().decode("utf-8")
            except urllib.error.HTTPError:  # the instant between the build's two renames
                continue
            if "现有营运车辆65辆" in home:
                break
            time.sleep(0.3)
        assert "现有营运车辆65辆" in home
        while rebuilder.builds < 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)
        assert rebuilder.builds == 1  # one save, one build: the build's own file reads trigger nothing
    finally:
        observer.stop()
        observer.join(timeout=5)
        server.stop()
