"""Issue 14 item 7: a document carries the date of its latest approved revision, never the build
date; with no revision recorded it carries no date, only a small 生成日期 line. The handbook's
修订记录 lists every revision of what it includes, with the approvers."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pdfplumber
import pytest

from generators.load import load
from generators.outputs import booklets, cards, handbook, riskmap, training
from generators.outputs.base import BuildContext

ROOT = Path(__file__).resolve().parent.parent
BUILD = dt.date(2026, 11, 26)
BUILD_ZH = "2026年11月26日"


def strip_revisions(folder: Path) -> None:
    """Remove every revisions: block (top-level key) of the YAML files under `folder`."""
    for path in folder.rglob("*.yaml"):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        out, skipping = [], False
        for line in lines:
            if line.startswith("revisions:"):
                skipping = True
                continue
            if skipping and (line.startswith((" ", "-", "#")) or not line.strip()):
                continue
            skipping = False
            out.append(line)
        path.write_text("".join(out), encoding="utf-8")


@pytest.fixture()
def factory(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path / "content" / "enterprises" / "demo-factory"


@pytest.fixture()
def undated(factory: Path) -> Path:
    strip_revisions(factory)
    strip_revisions(factory.parent.parent / "library")
    return factory


def loaded(ent: Path):
    content, diags = load(ent, build_date=BUILD)
    assert content is not None and not diags.errors, [d.format() for d in diags.errors]
    return content


def render(content, module, output: str, tmp_path: Path) -> bytes:
    job = next(j for j in module.jobs(content) if j.output == output)
    dest = tmp_path / "out" / output
    dest.parent.mkdir(parents=True, exist_ok=True)
    job.render(dest, BuildContext(content, tmp_path / "out", None))
    return dest.read_bytes()


def pages_text(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [re.sub(r"\s+", "", p.extract_text() or "") for p in doc.pages]


def char_sizes(pdf: bytes, needle: str) -> list[float]:
    """Font sizes of the characters of `needle` where it occurs (first occurrence per page)."""
    sizes = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            chars = [c for c in page.chars if c["text"].strip()]
            text = "".join(c["text"] for c in chars)
            at = text.find(needle)
            if at >= 0:
                sizes += [round(c["size"], 1) for c in chars[at: at + len(needle)]]
    return sizes


# ------------------------------------------------------------------ the data (fast)


def test_handbook_revisions_cover_every_included_file():
    content = loaded(ROOT / "content" / "enterprises" / "demo-factory")
    rows = handbook.content_revisions(content, content.handbook_posts())
    names = " ".join(name for name, _ in rows)
    for expected in ("《安全生产应知应会手册》", "电焊工", "安全生产责任清单", "岗位作业流程标准", "岗位安全风险告知卡",
                     "《安全生产责任制》", "安全风险点名册", "年度安全培训计划"):
        assert expected in names, expected
    assert [r.date for _, r in rows] == sorted(r.date for _, r in rows)
    latest = max(r.date for _, r in rows)
    data = handbook.handbook_data(content, content.handbook_posts())
    assert data["revised"] == f"{latest.year}年{latest.month}月{latest.day}日"
    assert all(r["approved_by"] for r in data["revisions"])
    # one revision made to several posts' lists at once is one row naming them all
    joint = [name for name, r in rows if "车工" in name and "电工" in name]
    assert joint and all(name.count("安全生产责任清单") <= 1 or "；" in name for name in joint)
    # a later revision of a responsibility list moves the handbook's date
    hb_latest = max(r.date for r in content.handbook.revisions)
    assert latest >= hb_latest


def test_undated_documents_carry_no_date(undated: Path):
    content = loaded(undated)
    data = handbook.handbook_data(content, content.handbook_posts())
    assert data["revised"] == "" and data["revisions"] == []
    assert data["build_date"] == BUILD_ZH  # only for the 生成日期 line
    post = content.posts[0]
    assert cards.card_data(content, post)["date"] == "" and cards.card_data(content, post)["made"] == BUILD_ZH
    assert training.training_view(content)["revised"] == "" and training.training_view(content)["approved_by"] == ""
    sheet = riskmap.sheet_data(content)
    assert sheet["date_zh"] == "" and sheet["made_zh"] == BUILD_ZH


def test_dated_documents_carry_their_revision_dates():
    content = loaded(ROOT / "content" / "enterprises" / "demo-factory")
    post = content.enterprise.post("welder")
    card = content.cards["welder"]
    assert cards.card_data(content, post)["date"] == "2026年3月20日" == f"{card.last_revised.year}年{card.last_revised.month}月{card.last_revised.day}日"
    view = training.training_view(content)
    latest = max(content.training.revisions, key=lambda r: r.date)
    assert view["approved_by"] == latest.approved_by and view["revised"].startswith(f"{latest.date.year}年")
    sheet = riskmap.sheet_data(content)
    newest = max(r.date for r in [*content.extras["riskmap"].model.revisions, *content.risk_revisions])
    assert sheet["date"] == newest.isoformat()


# ------------------------------------------------------------------ the documents (slow: rendered)


@pytest.mark.slow
def test_handbook_without_revisions_prints_no_document_date(undated: Path, tmp_path: Path):
    content = loaded(undated)
    pdf = render(content, handbook, "handbook/handbook.pdf", tmp_path)
    pages = pages_text(pdf)
    assert "修订日期" not in pages[0] and BUILD_ZH not in pages[0]  # the cover
    assert "本手册尚无修订记录" in pages[1]
    everywhere = "".join(pages)
    assert everywhere.count(f"生成日期{BUILD_ZH}") == 1 and everywhere.count(BUILD_ZH) == 1
    small, body = char_sizes(pdf, f"生成日期{BUILD_ZH}"), char_sizes(pdf, "本手册尚无修订记录")
    assert small and body and max(small) < min(body)


@pytest.mark.slow
def test_handbook_revision_record_and_cover_date(factory: Path, tmp_path: Path):
    content = loaded(factory)
    rows = handbook.content_revisions(content, content.handbook_posts())
    latest = rows[-1][1].date
    pdf = render(content, handbook, "handbook/handbook.pdf", tmp_path)
    pages = pages_text(pdf)
    assert f"修订日期：{latest.year}年{latest.month}月{latest.day}日" in pages[0]
    assert BUILD_ZH not in pages[0]
    record = "".join(p for p in pages[1:6] if "修订记录" in p)
    for expected in ("序号", "修订日期", "文件", "修订内容", "批准", "安全生产责任清单", "总经理", "副总经理（分管安全生产）"):
        assert expected in record, expected
    booklet = render(content, booklets, "handbook/welder.pdf", tmp_path)
    bpages = pages_text(booklet)
    front = "".join(bpages[1:4])  # the booklet's record: its own post's documents only (A5: cells wrap)
    assert "电焊工安全生" in front and "车工安全生" not in front and "冲压工安全生" not in front
    assert BUILD_ZH not in bpages[0]


@pytest.mark.slow
def test_card_prints_its_revision_date_or_only_a_small_build_date(factory: Path, tmp_path: Path):
    content = loaded(factory)
    text = pages_text(render(content, cards, "cards/welder.pdf", tmp_path))[0]
    assert "发布日期：2026年3月20日" in text and BUILD_ZH not in text
    strip_revisions(factory)  # the card dates from its own and its risk points' revisions
    content = loaded(factory)
    pdf = render(content, cards, "cards/welder.pdf", tmp_path / "b")
    text = pages_text(pdf)[0]
    assert "发布日期" not in text and f"生成日期：{BUILD_ZH}" in text
    assert max(char_sizes(pdf, f"生成日期：{BUILD_ZH}")) <= 7.5


@pytest.mark.slow
def test_training_plan_signed_with_its_revision(factory: Path, tmp_path: Path):
    content = loaded(factory)
    latest = max(content.training.revisions, key=lambda r: r.date)
    text = "".join(pages_text(render(content, training, "training/plan.pdf", tmp_path)))
    zh = f"{latest.date.year}年{latest.date.month}月{latest.date.day}日"
    assert f"批准：{latest.approved_by}" in text and zh in text
    assert text.count(BUILD_ZH) == 1 and f"生成日期{BUILD_ZH}" in text
    strip_revisions(factory)
    text = "".join(pages_text(render(loaded(factory), training, "training/plan.pdf", tmp_path / "b")))
    assert "批准：＿" in text and text.count(BUILD_ZH) == 1 and f"生成日期{BUILD_ZH}" in text


@pytest.mark.slow
def test_risk_map_and_boards_dated_by_revision(factory: Path, tmp_path: Path):
    content = loaded(factory)
    newest = dt.date.fromisoformat(riskmap.sheet_data(content)["date"])
    zh = f"{newest.year}年{newest.month}月{newest.day}日"
    sheet = "".join(pages_text(render(content, riskmap, "riskmap/riskmap.pdf", tmp_path)))
    boards = "".join(pages_text(render(content, riskmap, "riskmap/boards.pdf", tmp_path)))
    assert f"日期：{zh}" in sheet and BUILD_ZH not in sheet
    assert zh in boards and BUILD_ZH not in boards
    strip_revisions(factory)
    content = loaded(factory)
    sheet = "".join(pages_text(render(content, riskmap, "riskmap/riskmap.pdf", tmp_path / "b")))
    boards = "".join(pages_text(render(content, riskmap, "riskmap/boards.pdf", tmp_path / "b")))
    assert "日期：" not in sheet.replace("生成日期", "") and f"生成日期{BUILD_ZH}" in sheet
    assert f"生成日期{BUILD_ZH}" in boards


# ------------------------------------------------------------------ review 2026-12-02 item 7: risk points date the booklet


def test_booklet_dated_by_the_risk_points_it_prints():
    """crane-operator's booklet prints rp-crane-maintenance, added to the register on 2026-10-20:
    its record has that revision and its cover that date; the lathe operator's booklet (same
    register file, risk points untouched by it) does not."""
    content = loaded(ROOT / "content" / "enterprises" / "demo-factory")
    for pid in ("crane-operator", "electrician"):
        post = content.enterprise.post(pid)
        assert "rp-crane-maintenance" in {r.id for r in content.post_risks(pid)}
        data = handbook.handbook_data(content, [post], booklet=True)
        rows = handbook.content_revisions(content, [post], booklet=True)
        assert rows[-1][1].date >= dt.date(2026, 10, 20) and data["revised"] == data["revisions"][-1]["date"], pid
        assert any(r["date"] == "2026年10月20日" and "行车轨道" in r["summary"] and r["document"] == "安全风险点名册"
                   for r in data["revisions"]), pid
        assert cards.card_data(content, post)["date"] == "2026年10月20日", pid
    lathe = content.enterprise.post("lathe-operator")
    data = handbook.handbook_data(content, [lathe], booklet=True)
    assert not any("行车轨道" in r["summary"] for r in data["revisions"])
    assert any("年度风险辨识评估" in r["summary"] for r in data["revisions"])  # a whole-file revision counts


def test_revision_items_name_risk_points_of_their_file(factory: Path):
    f = factory / "risks" / "machining.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("items: [rp-crane-maintenance]", "items: [rp-no-such]"), encoding="utf-8")
    content, diags = load(factory, build_date=BUILD)
    assert [d for d in diags.errors if "rp-no-such" in d.message and d.field == "revisions[1].items[0]"]


@pytest.mark.slow
def test_crane_operator_booklet_cover_and_record(factory: Path, tmp_path: Path):
    content = loaded(factory)
    pages = pages_text(render(content, booklets, "handbook/crane-operator.pdf", tmp_path))
    latest = handbook.content_revisions(content, [content.enterprise.post("crane-operator")], booklet=True)[-1][1].date
    assert latest >= dt.date(2026, 10, 20) and f"修订日期：{latest.year}年{latest.month}月{latest.day}日" in pages[0]
    record = "".join(p for p in pages[1:6] if "修订记录" in p)
    assert "补充行车轨道" in record and "10月20日" in record  # A5: the cells wrap (2026年 | 10月20日)
    assert "行车轨道及桥架检修" in "".join(pages)
