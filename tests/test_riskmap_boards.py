"""安全风险公告栏 and the map sheet as an inspector reads them (issue 15 item 5): zones without
risk points look like the legend says, every 重大/较大 risk is on a board (off-site ones where the
post reports), boards fill their A3 page and carry GB 2894 signs, the 区域责任人's phone and
编制/审核/批准; the layout needs no CSS column balancing."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pdfplumber
import pytest

from generators.load import load
from generators.model.riskmap import offsite_boards
from generators.outputs import riskmap as rm
from generators.outputs import riskmap_boards as rb
from generators.render.svg import greyscale
from generators.rules import RiskLevel

from .helpers.shared_build import SHARED_DATE
from .test_riskmap import SCHEMATIC, load_ok, make_enterprise

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "content" / "enterprises"
DATE = dt.date(2026, 3, 2)
MM = 72 / 25.4
SAMPLE_IDS = ["demo-transport", "demo-factory"]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text or "")


def _rgb(colour) -> tuple[float, ...] | None:
    if isinstance(colour, (tuple, list)) and len(colour) == 3:
        return tuple(float(c) for c in colour)
    return None


def _hex_rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def _close(a, b, tol=0.02) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b))


@pytest.fixture(scope="module")
def rendered(shared_build):
    """Both samples' map sheet and boards, from the run's shared full build: {id: (content, data, boards, dir)}."""
    out = {}
    for ent in SAMPLE_IDS:
        content, diags = load(SAMPLES / ent, build_date=SHARED_DATE)
        assert content is not None, diags.errors
        built = shared_build(ent)
        for job in rm.jobs(content):
            assert built.notes_of(job.output) == [], job.output  # no board ran over its page
        folder = built.out / "riskmap"
        data = rm.sheet_data(content)
        pages, _ = rm.board_pages(content, data)
        out[ent] = (content, data, pages, folder)
    return out


# ------------------------------------------------------------------ empty zones vs legend


def test_plan_colours_turn_grey_so_only_zones_carry_colour():
    from xml.etree import ElementTree as ET

    root = ET.fromstring('<svg xmlns="http://www.w3.org/2000/svg"><rect fill="#CFE3F3" stroke="#2F5D86"/>'
                         '<rect style="fill: lightblue; stroke-width: 2"/><path fill="url(#grass)"/><rect fill="none"/></svg>')
    greyscale(root)
    a, b, c, d = list(root)
    assert a.get("fill") == "#E0E0E0" and a.get("stroke") == "#5A5A5A"
    assert re.search(r"fill:\s*#([0-9A-F]{2})\1\1", b.get("style")) and "stroke-width: 2" in b.get("style")
    assert c.get("fill") == "url(#grass)" and d.get("fill") == "none"


@pytest.mark.slow
@pytest.mark.parametrize("ent", SAMPLE_IDS)
def test_map_pdf_has_no_colour_but_the_levels(rendered, ent):
    """The transport plan drew 事故应急池 and 消防水池 light blue (read as 蓝·低风险): every
    coloured fill on the printed map must now be one of the four level colours."""
    content, data, _, folder = rendered[ent]
    levels = [_hex_rgb(item["fill"]) for item in data["legend"]]
    with pdfplumber.open(folder / "riskmap.pdf") as pdf:
        page = pdf.pages[0]
        fills = [_rgb(o.get("non_stroking_color")) for o in page.rects + page.curves if o.get("fill")]
    fills = [f for f in fills if f is not None]
    assert fills
    chromatic = [f for f in fills if max(f) - min(f) > 0.06]
    stray = sorted({tuple(round(x, 2) for x in f) for f in chromatic if not any(_close(f, lv) for lv in levels)})
    assert not stray, f"colours on the map that are no risk level: {stray}"
    assert not any(_close(f, _hex_rgb("#CFE3F3")) for f in fills)  # the pools' light blue


def test_unassessed_zone_is_drawn_as_the_legend_shows(tmp_path):
    """A zone without risk points is hatched with the same pattern as the legend's 未评估/无风险点 swatch."""
    from xml.etree import ElementTree as ET

    content, _ = load_ok(make_enterprise(tmp_path))
    svg = str(rm.figure_svg(content))
    root = ET.fromstring(svg)
    zone = next(e for e in root.iter() if e.get("data-zone") == "lawn" and "rm-zone" in (e.get("class") or ""))
    legend = next(e for e in root.iter() if e.get("class") == "rm-legend")
    swatches = [e.get("fill") for e in legend.iter() if e.tag.endswith("rect")]
    assert zone.get("fill") == "url(#rm-hatch)" and "url(#rm-hatch)" in swatches
    assert zone.get("fill-opacity") == "1"
    assert "未评估/无风险点" in "".join(legend.itertext())
    # and the wall sheet's legend says the same
    sheet = rm.sheet_data(content)
    assert sheet["unassessed"] == 1


# ------------------------------------------------------------------ every 重大/较大 risk on a board


@pytest.mark.slow
@pytest.mark.parametrize("ent", SAMPLE_IDS)
def test_every_major_and_significant_risk_is_on_a_board(rendered, ent):
    content, _, pages, folder = rendered[ent]
    with pdfplumber.open(folder / "boards.pdf") as pdf:
        # left of the locator figure, whose plan labels would interleave with the points' names
        # (and without the row label set beside a wrapped name)
        texts = [_flat(p.extract_text()) + re.sub("主要风险点|场外风险点", "", _flat(p.crop((0, 0, p.width - 110 * MM, p.height)).extract_text()))
                 for p in pdf.pages]
    assert len(texts) == len(pages)  # one A3 page per board
    everything = "".join(texts)
    missing = [r.id for r in content.risk_points if r.level >= RiskLevel.SIGNIFICANT
               and _flat(r.name) not in everything and not (r.code and r.code in everything)]
    assert not missing, f"重大/较大 risks on no board: {missing}"


def test_transport_road_risks_get_boards_where_the_drivers_report():
    content, _ = load_ok(SAMPLES / "demo-transport")
    boards = {b.id: (b, pts) for b, pts in offsite_boards(content)}
    hazmat, pts = boards["hazmat-road"]
    ids = {r.id for r in pts}
    assert {"hz-tanker-road", "hz-bad-weather"} <= ids  # the two red road risks of the review
    assert hazmat.posted_in == "office" and "调度大厅" in (hazmat.place or "")
    assert all(r.level >= RiskLevel.SIGNIFICANT for r in pts)


def test_offsite_risks_without_a_configured_board_get_one_of_their_department(tmp_path):
    """Old content (no offsite_boards) still loads; a 较大 off-site point gets its department's
    board, and `anquan check` asks where it is posted."""
    from generators.checks.riskmap import check_gaps
    from generators.diagnostics import Diagnostics

    ent = make_enterprise(tmp_path, riskmap=SCHEMATIC + "offsite: [rp-road]\n")
    risks = (ent / "risks" / "area.yaml").read_text(encoding="utf-8").replace("{method: LEC, L: 1, E: 6, C: 15}", "{method: LEC, L: 3, E: 6, C: 15}")
    (ent / "risks" / "area.yaml").write_text(risks, encoding="utf-8")
    content, diags = load_ok(ent)
    assert not diags.errors
    road = next(r for r in content.risk_points if r.id == "rp-road")
    assert road.level == RiskLevel.SIGNIFICANT
    boards = offsite_boards(content)
    assert [[r.id for r in pts] for _, pts in boards] == [["rp-road"]]
    data = rm.sheet_data(content)
    board = data["boards"][-1]
    assert board["kind"] == "offsite" and board["points"][0]["id"] == "rp-road" and board["locator"] is None
    d = Diagnostics()
    check_gaps(content, d)
    assert any("张贴位置" in w.message for w in d.warnings)


def test_offsite_board_references_are_checked(tmp_path):
    ent = make_enterprise(tmp_path, riskmap=SCHEMATIC + "offsite_boards:\n  - {id: road, name: 车队, posted_in: nowhere, department: nodept, risk_points: [nope]}\n")
    _, diags = load(ent, build_date=DATE)
    messages = " ".join(d.message for d in diags.errors)
    assert "nowhere" in messages and "nodept" in messages and "nope" in messages


# ------------------------------------------------------------------ page, signs, phone, sign-off


@pytest.mark.slow
@pytest.mark.parametrize("ent", SAMPLE_IDS)
def test_boards_fill_their_page(rendered, ent):
    """The body (title band to the last sign caption) covers most of the A3 page above the footer."""
    _, _, pages, folder = rendered[ent]
    with pdfplumber.open(folder / "boards.pdf") as pdf:
        for board, page in zip(pages, pdf.pages):
            foot = page.height - 30 * MM
            body = [c for c in page.chars if c["bottom"] < foot]
            top, bottom = min(c["top"] for c in body), max(c["bottom"] for c in body)
            share = (bottom - top) / (foot - 12 * MM)
            assert share >= 0.85, f"{board['id']}: text covers {share:.0%} of the page"
            big = [c for c in body if c["top"] > top + 100 * MM]  # the columns, not the title band
            assert max(c["size"] for c in big) >= 8.5


@pytest.mark.parametrize("ent", SAMPLE_IDS)
def test_each_board_has_one_bookmark_and_zone_boards_are_set_like_the_others(rendered, ent):
    """The sidebar lists each board once, by its heading, on its page; and a zone board's body is
    not bold throughout (its section once shared the heading's class, bold and bookmarked)."""
    from pypdf import PdfReader

    _, _, pages, folder = rendered[ent]
    reader = PdfReader(folder / "boards.pdf")
    outline = [(o.title, reader.get_destination_page_number(o)) for o in reader.outline if not isinstance(o, list)]
    assert outline == [(b["heading"], i) for i, b in enumerate(pages)]
    with pdfplumber.open(folder / "boards.pdf") as pdf:
        for board, page in zip(pages, pdf.pages):
            body = [c for c in page.chars if 130 * MM < c["top"] < page.height - 30 * MM and c["text"].strip()]
            bold = sum("Bold" in c["fontname"] for c in body) / len(body)
            assert bold < 0.5, f"{board['id']}: {bold:.0%} of the body is bold"


@pytest.mark.slow
@pytest.mark.parametrize("ent", SAMPLE_IDS)
def test_boards_show_signs_phone_and_signoff(rendered, ent):
    content, data, pages, folder = rendered[ent]
    rmap = content.extras["riskmap"].model
    phones = {z.id: z.phone for z in rmap.zones} | {b.id: b.phone for b in rmap.offsite_boards}
    with pdfplumber.open(folder / "boards.pdf") as pdf:
        for board, page in zip(pages, pdf.pages):
            text = _flat(page.extract_text())
            words = page.extract_words()
            head = next(w for w in words if w["text"].startswith("安全标志"))
            # the GB 2894 drawings: vector shapes below the heading, each with its text under it
            shapes = [o for o in page.rects + page.curves if o["top"] > head["bottom"] and o["bottom"] < page.height - 30 * MM]
            assert len(shapes) >= len(board["signs"]) >= 3, board["id"]
            below = _flat("".join(w["text"] for w in words if w["top"] > head["bottom"]))
            # a long caption wraps and interleaves with its neighbours' lines: its first words suffice
            assert all(_flat(s["text"])[:6] in below for s in board["signs"]), board["id"]
            if phones.get(board["id"]):
                assert _flat(phones[board["id"]]) in text
            assert _flat(board["responsible"]) in text
            for role in ("编制：", "审核：", "批准："):
                assert role in text
    approved = rmap.approved_by
    assert approved and _flat(approved) in text


@pytest.mark.slow
@pytest.mark.parametrize("ent", SAMPLE_IDS)
def test_map_sheet_has_signoff(rendered, ent):
    content, data, _, folder = rendered[ent]
    with pdfplumber.open(folder / "riskmap.pdf") as pdf:
        text = _flat(pdf.pages[0].extract_text())
    assert "编制：" in text and "审核：" in text and "批准：" in text
    assert _flat(content.extras["riskmap"].model.approved_by) in text


def test_signoff_prints_blank_lines_not_invented_names(tmp_path):
    content, _ = load_ok(make_enterprise(tmp_path))
    rows = rm.signoff(content, content.extras["riskmap"].model)
    assert [r["role"] for r in rows] == ["编制", "审核", "批准"]
    assert all(r["name"] == "" and r["line"] for r in rows)
    ent = make_enterprise(tmp_path / "b", riskmap="prepared_by: 安全管理部\nreviewed_by: 申国强\n" + SCHEMATIC
                          + "revisions:\n  - {date: 2026-01-05, summary: 首次绘制, approved_by: 郭振华（总经理）}\n")
    content, diags = load_ok(ent)
    rows = {r["role"]: r for r in rm.signoff(content, content.extras["riskmap"].model)}
    assert rows["审核"] == {"role": "审核", "name": "申国强", "line": False}
    assert rows["批准"]["name"] == "郭振华（总经理）"  # the latest revision's approver
    units = {content.enterprise.key_people.safety_agency.name, *(d.name for d in content.enterprise.departments)}
    assert rows["编制"]["name"] == "安全管理部" and rows["编制"]["line"] == ("安全管理部" in units)


# ------------------------------------------------------------------ layout without CSS columns


def test_board_template_has_no_column_balancing():
    """The two columns come from riskmap_boards.py: the template sets them as a grid, no column flow."""
    typ = (ROOT / "site_templates" / "typst" / "board.typ").read_text(encoding="utf-8")
    assert "columns(" not in typ.replace("columns: (", "")
    assert not (ROOT / "site_templates" / "riskmap" / "board.css").exists()


def test_sample_layouts_fit_and_are_readable():
    for ent in SAMPLE_IDS:
        content, _ = load_ok(SAMPLES / ent)
        pages, _ = rm.board_pages(content, rm.sheet_data(content))
        for b in pages:
            assert b["font"] >= 9.5 and b["estimate"] <= 1.0, (ent, b["id"], b["font"])
            assert len(b["columns"]) == 2 and all(b["columns"])
            first = b["columns"][1][0]
            assert first["t"] == "h2"  # the right column starts with a heading (or a （续） one)
        sparse = min(pages, key=lambda b: len(b["points"]))
        assert sparse["font"] > 12  # little to say: large type, not an empty half page


def test_split_balances_columns_and_repeats_the_cut_heading():
    entries = [{"t": "h2", "text": "管控措施", "cls": ""}] + [{"t": "li", "text": "措施" * 20, "n": "•"} for _ in range(10)]
    (left, right), tall = rb._split(entries, 12.0)
    assert len(left) in (6, 7) and right[0]["text"] == "管控措施（续）"
    assert tall < sum(rb._height(e, 12.0) for e in entries) * 0.6


def test_a_board_that_runs_over_is_found_and_reported():
    """A board far too long for its page even at the smallest size: the builder finds which board
    from the pages of the bookmarks, and the others keep one page each."""
    import io

    from pypdf import PdfReader

    content, _ = load_ok(SAMPLES / "demo-factory")
    data = rm.sheet_data(content)
    pages, locators = rm.board_pages(content, data)
    long = pages[1]
    long["hazards"] = [f"{h}（{i}）" for i in range(8) for h in long["hazards"]]  # far more than one A3 page holds
    long["columns"] = [col * 6 for col in long["columns"]]  # (the smaller variants are set from the text)
    pdf, spill = rm.render_boards_pdf(content, data, pages, locators)
    assert spill == [long["id"]]
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > len(pages)
    outline = [(d.title, reader.get_destination_page_number(d)) for d in reader.outline if not isinstance(d, list)]
    starts = [page for title, page in outline if title in {b["heading"] for b in pages}]
    assert len(starts) == len(pages) and starts[2] - starts[1] > 1
    assert [b - a for a, b in zip(starts[2:], starts[3:])] == [1] * (len(pages) - 3)


def test_a_board_set_too_large_steps_down_until_it_fits(monkeypatch, tmp_path):
    from pypdf import PdfReader

    from generators.outputs.base import BuildContext
    from generators.render import typst

    content, _ = load_ok(SAMPLES / "demo-factory")
    layout = rb.layout
    sizes = {}

    def too_large(board, ratio):  # the estimate goes wrong for one board: three sizes too large
        out = layout(board, ratio)
        if board["id"] == "machining-hall":
            sizes["estimate"] = out["font"]
            out["font"] = rb.FONTS[rb.FONTS.index(out["font"]) - 3]
            out["columns"], _ = rb._split(rb._entries({**board, **out}), out["font"])
        return out

    compiled = []
    render = typst.render
    monkeypatch.setattr(rb, "layout", too_large)
    monkeypatch.setattr(typst, "render", lambda *a, **k: compiled.append(1) or render(*a, **k))
    job = next(j for j in rm.jobs(content) if j.output == "riskmap/boards.pdf")
    ctx = BuildContext(content, tmp_path, None)
    job.render(tmp_path / "boards.pdf", ctx)
    boards = rm.sheet_data(content)["boards"]
    assert len(PdfReader(tmp_path / "boards.pdf").pages) == len(boards)
    assert 2 <= len(compiled) <= 4 and ctx.notes == []  # one size smaller per compile, at most back to the estimate
    # the board was set smaller than the too-large size, and no smaller than the estimate would have set it
    with pdfplumber.open(tmp_path / "boards.pdf") as pdf:
        page = pdf.pages[[b["id"] for b in boards].index("machining-hall")]
        body = [c["size"] for c in page.chars if 140 * MM < c["top"] < page.height - 60 * MM and c["text"].strip()]
    assert sizes["estimate"] - 0.01 <= max(set(body), key=body.count) < rb.FONTS[rb.FONTS.index(sizes["estimate"]) - 3]
