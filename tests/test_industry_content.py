"""Review 2026-12-02 item 1: library text written for one industry reaches only that industry.
The 工贸 plant's handbook and booklets had road-transport text (道路运输途中…报告公司动态监控中心),
cited the road-transport 重大事故隐患判定标准 and listed the road-transport revision. Knowledge
sections and revisions carry `industry`; a chapter tagged for another industry is warned about."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pdfplumber
import pytest

from generators.checks import run_checks
from generators.load import load
from generators.outputs import booklets, handbook
from generators.outputs.base import BuildContext

ROOT = Path(__file__).resolve().parent.parent
DATE = dt.date(2026, 12, 2)
ROAD = ("动态监控中心", "押运员", "道路运输企业和城市客运企业", "增加道路运输途中事故报告要求", "公里桩号", "UN号")
GONGMAO = ("工贸企业重大事故隐患判定标准", "应急管理部令第10号")


def loaded(ent: Path):
    content, diags = load(ent, build_date=DATE)
    assert content is not None and not diags.errors, [d.format() for d in diags.errors]
    return content, diags


def handbook_text(content) -> str:
    """What the handbook's data says from the library: 通用知识 and the 修订记录 (a chemical
    warehouse's own guard rightly checks the escorts of the trucks coming in)."""
    data = handbook.handbook_data(content, content.handbook_posts())
    return repr([data["general"], data["revisions"]])


@pytest.mark.parametrize("sample", ["demo-factory", "demo-chemical"])
def test_no_road_transport_text_outside_road_transport(sample: str):
    content, _ = loaded(ROOT / "content" / "enterprises" / sample)
    text = handbook_text(content)
    for needle in ROAD:
        assert needle not in text, (sample, needle)
    if sample == "demo-chemical":
        for needle in GONGMAO:
            assert needle not in text, (sample, needle)


def test_factory_cites_the_gongmao_standard_and_transport_keeps_its_own():
    factory, _ = loaded(ROOT / "content" / "enterprises" / "demo-factory")
    hm = factory.knowledge["hazard-management"]
    titles = [s.title for s in hm.sections]
    assert "工贸企业重大事故隐患的判定" in titles and "道路运输企业重大事故隐患的判定" not in titles
    transport, _ = loaded(ROOT / "content" / "enterprises" / "demo-transport")
    text = handbook_text(transport)
    for needle in ("动态监控中心", "道路运输企业和城市客运企业", "增加道路运输途中事故报告要求", "公里桩号"):
        assert needle in text, needle
    assert "工贸企业重大事故隐患判定标准" not in text
    # the factory's record no longer names the road-transport revision; the transport one does
    rows = handbook.content_revisions(factory, factory.handbook_posts())
    assert not [r for _, r in rows if "道路运输" in r.summary]
    assert all("安全管理部" not in r.approved_by for _, r in rows)


def test_chapter_of_another_industry_is_warned(tmp_path: Path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    ent = tmp_path / "content" / "enterprises" / "demo-factory"
    hb = ent / "handbook.yaml"
    hb.write_text(hb.read_text(encoding="utf-8").replace("general: [work-safety-law,", "general: [work-safety-law, road-transport-rules,"),
                  encoding="utf-8")
    content, diags = loaded(ent)
    run_checks(content, diags)
    warns = [d for d in diags.warnings if "road-transport-rules" in d.message]
    assert len(warns) == 1 and "道路运输" in warns[0].message and "工贸" in warns[0].message
    assert warns[0].file.endswith("handbook.yaml") and warns[0].field == "general[1]" and warns[0].line
    # a section tagged for another industry is left out, never printed
    assert not any(s.industry and "道路运输" in s.industry for s in content.knowledge["work-safety-law"].sections)


def test_samples_use_no_chapter_of_another_industry():
    for sample in ("demo-transport", "demo-factory", "demo-chemical"):
        content, diags = loaded(ROOT / "content" / "enterprises" / sample)
        run_checks(content, diags)
        assert not [d for d in diags.warnings if "通用知识“" in d.message], sample


def _render(content, module, output: str, tmp_path: Path) -> list[str]:
    job = next(j for j in module.jobs(content) if j.output == output)
    dest = tmp_path / output
    dest.parent.mkdir(parents=True, exist_ok=True)
    job.render(dest, BuildContext(content, tmp_path, None))
    with pdfplumber.open(io.BytesIO(dest.read_bytes())) as doc:
        return [re.sub(r"\s+", "", p.extract_text() or "") for p in doc.pages]


@pytest.mark.slow
def test_factory_handbook_and_booklet_print_no_road_transport_text(tmp_path: Path):
    content, _ = loaded(ROOT / "content" / "enterprises" / "demo-factory")
    for module, output in ((handbook, "handbook/handbook.pdf"), (booklets, "handbook/welder.pdf")):
        text = "".join(_render(content, module, output, tmp_path))
        for needle in ("动态监控中心", "押运员", "道路运输企业和城市客运企业", "增加道路运输途中事故报告要求", "公里桩号"):
            assert needle not in text, (output, needle)
        assert "《工贸企业重大事故隐患判定标准》（应急管理部令第10号" in text, output
