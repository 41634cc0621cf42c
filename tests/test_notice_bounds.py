"""What a notice can show (GB/T 9704-2012): four heading levels, at most 20 attachments, a title in
three lines of 2号, a 主送机关 that leaves the first page room for the body, a 抄送 that fits the
版记, a 署名 and an 印发 line of one line each. Refused at load with file, line, field and the rule."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

import pytest
import yaml

from generators.load import load
from generators.model import Notice
from generators.model.documents import MAX_ATTACHMENTS, TITLE_LINE_CHARS, TITLE_MAX_LINES, TITLE_MAX_WIDTH, notice_problems
from generators.outputs.notices import layout as L
from generators.zh import title_width

FIXTURE = Path(__file__).parent / "fixtures" / "notices" / "fixture-notices"
ISSUER = "晋阳顺达物流有限公司"


def notice(**changes) -> Notice:
    data = {
        "id": "n", "number": {"year": 2026, "seq": 1}, "title": "关于开展安全生产月活动的通知", "to": "公司各部门",
        "body": ["现将有关事项通知如下。"], "date": "2026-05-20",
    }
    data.update(changes)
    return Notice.model_validate(data)


def nest(depth: int, leaf: str = "具体要求。") -> list:
    """A body whose headings go `depth` levels deep."""
    blocks: list = [leaf]
    for level in range(depth, 0, -1):
        blocks = [{"heading": f"第{level}级标题", "body": blocks}]
    return blocks


def problems(n: Notice, titles: list | None = None) -> list[tuple[tuple, str]]:
    return notice_problems(n, n.printer or ISSUER, titles if titles is not None else [a.title for a in n.attachments])


# ---------------------------------------------------------------- heading levels


@pytest.mark.parametrize("depth", [1, 2, 3, 4])
def test_four_heading_levels_are_allowed(depth):
    assert problems(notice(body=nest(depth))) == []


@pytest.mark.parametrize("depth", [5, 6, 9])
def test_a_fifth_level_is_refused_once_at_its_heading(depth):
    found = problems(notice(body=nest(depth)))
    assert len(found) == 1  # the shallowest heading too deep, not every one below it
    path, message = found[0]
    assert path == ("body", 0) + ("body", 0) * 4 + ("heading",)
    assert "第5级标题" in message and "是第 5 级" in message
    assert "GB/T 9704-2012 第 7.3.3 条" in message and "“一、”“（一）”“1.”“（1）”" in message and "只有四级" in message


def test_each_deep_branch_and_each_attachment_body_is_reported():
    body = ["导语。", *nest(5), {"heading": "第二部分", "body": nest(4)}]
    n = notice(body=body, attachments=[{"title": "学习安排", "body": nest(3)}, {"title": "检查表", "body": nest(6)}])
    found = problems(n)
    paths = [p for p, _ in found]
    assert paths == [
        ("body", 1) + ("body", 0) * 4 + ("heading",),
        ("body", 2) + ("body", 0) * 4 + ("heading",),
        ("attachments", 1, "body", 0) + ("body", 0) * 4 + ("heading",),
    ]
    assert found[2][1].startswith("附件2的标题“第5级标题”是第 5 级")


def test_a_heading_with_text_counts_as_a_level():
    deep = nest(4, leaf="段落")
    deep[0]["body"][0]["body"][0]["body"][0]["body"] = [{"heading": "第五级", "text": "带文字的标题也是一级。"}]
    assert [p[-1] for p, _ in problems(notice(body=deep))] == ["heading"]


# ---------------------------------------------------------------- attachments


@pytest.mark.parametrize("count, refused", [(1, False), (MAX_ATTACHMENTS, False), (MAX_ATTACHMENTS + 1, True), (30, True)])
def test_at_most_twenty_attachments(count, refused):
    n = notice(attachments=[{"title": f"附件名称{i}", "body": ["内容。"]} for i in range(count)])
    found = problems(n)
    assert bool(found) == refused
    if refused:
        assert found == [(("attachments",), found[0][1])]
        assert f"附件有 {count} 个，超过 20 个" in found[0][1] and "第 7.3.4 条" in found[0][1]


# ---------------------------------------------------------------- title


@pytest.mark.parametrize("title, refused", [
    ("关于开展2026年“安全生产月”活动的通知", False),
    ("关于印发《危险货物运输安全管理制度》和《安全生产基础建设巩固提升三年行动实施方案（2026—2028年）》的通知", False),  # 53.8 字宽
    ("关于印发《晋阳顺达物流有限公司生产安全事故隐患排查治理制度》《道路运输车辆动态监控专项整治实施方案》和应急值班安排的通知", True),  # 60
    ("关于印发《事故隐患排查治理制度》《安全生产责任制考核办法》《安全生产教育培训制度》《劳动防护用品管理制度》的通知", True),
])
def test_title_within_three_lines(title, refused):
    found = problems(notice(title=title))
    assert bool(found) == refused, title_width(title)
    if refused:
        (path, message), = found
        assert path == ("title",) and "超过 3 行" in message and "第 7.3.1 条" in message and "请精简标题" in message


def test_attachment_titles_are_bounded_where_they_are_named():
    long = "安全生产基础建设巩固提升三年行动实施方案及危险货物道路运输企业安全生产标准化建设评价细则和隐患排查清单汇编（2026年版）"
    n = notice(attachments=[{"title": "短标题", "body": ["x"]}, {"title": long, "body": ["x"]}, {"policy": "p"}, {"plan": "q"}])
    found = problems(n, ["短标题", long, long, "短"])
    assert [p for p, _ in found] == [("attachments", 1, "title"), ("attachments", 2, "policy")]
    assert found[0][1].startswith("附件2的标题约")
    assert problems(n, ["短标题", "短", None, None]) == []  # a missing policy is reported elsewhere


def test_model_bound_matches_the_layout_and_breaking_stays_within_three_lines():
    assert TITLE_LINE_CHARS == L.TITLE_MAX_CHARS and TITLE_MAX_LINES == 3
    parts = ["《危险货物运输安全管理制度》", "《安全生产基础建设巩固提升三年行动实施方案（2026—2028年）》", "《有限空间作业安全管理制度》",
             "《安全生产责任制考核办法》", "《安全生产教育培训制度》", "《劳动防护用品管理制度》", "《危险作业审批制度》",
             "《冬季道路运输安全隐患排查整治方案》", "《晋阳顺达物流有限公司生产安全事故隐患排查治理制度》"]
    rng = random.Random(7)
    tried = 0
    for _ in range(400):
        title = "关于印发" + "".join(rng.sample(parts, rng.randint(1, 3))) + "的通知"
        if title_width(title) > TITLE_MAX_WIDTH:
            continue
        tried += 1
        lines = L.break_title(title)
        assert "".join(lines) == title and len(lines) <= 3, title
        assert max(L.title_width(x) for x in lines) <= TITLE_LINE_CHARS, lines
        cuts, pos = L.word_boundaries(title), 0
        for line in lines[:-1]:
            pos += len(line)
            assert pos in cuts, lines  # whole words (7.3.1: 词意完整)
    assert tried > 100


# ---------------------------------------------------------------- 主送, 抄送, 署名, 印发


@pytest.mark.parametrize("units, refused", [(1, False), (10, False), (20, True), (25, True)])
def test_to_leaves_the_first_page_room_for_the_body(units, refused):
    to = "、".join(f"第{i}生产车间" for i in range(1, units + 1))
    found = problems(notice(to=to))
    assert bool(found) == refused
    if refused:
        assert found[0][0] == ("to",) and "第 7.3.2 条" in found[0][1] and "移至版记" in found[0][1]


@pytest.mark.parametrize("units, refused", [(1, False), (6, False), (12, True), (30, True)])
def test_cc_fits_three_lines_of_the_imprint(units, refused):
    cc = [f"晋阳市第{i}安全生产督查组" for i in range(1, units + 1)]
    found = problems(notice(cc=cc))
    assert bool(found) == refused
    if refused:
        assert found[0][0] == ("cc",) and "第 7.4.2 条" in found[0][1] and "超过 3 行" in found[0][1]


@pytest.mark.parametrize("signature, refused", [
    ("晋阳顺达物流有限公司", False),
    ("晋阳顺达物流有限公司安全生产委员会办公室", False),
    ("晋阳顺达物流有限公司安全生产委员会暨职业健康安全管理委员会办公室", True),
])
def test_signature_in_one_line(signature, refused):
    found = problems(notice(signature=signature))
    assert bool(found) == refused
    if refused:
        assert found[0][0] == ("signature",) and "第 7.3.5 条" in found[0][1]


@pytest.mark.parametrize("printer, refused", [
    (None, False), ("晋阳顺达物流有限公司综合办公室", False), ("晋阳顺达物流有限公司安全生产委员会办公室综合科", True),
])
def test_printer_and_print_date_in_one_line(printer, refused):
    found = problems(notice(printer=printer))
    assert bool(found) == refused
    if refused:
        assert found[0][0] == ("printer",) and "第 7.4.3 条" in found[0][1] and printer in found[0][1]
    # the default 印发机关 is the issuer's full name: a long one is reported on the notice
    assert [p for p, _ in notice_problems(notice(), "晋阳顺达物流有限公司安全生产委员会办公室综合管理科室", [])] == [("id",)]


# ---------------------------------------------------------------- at load: file, line, field


def test_load_reports_file_line_and_field(tmp_path):
    root = tmp_path / "ent"
    shutil.copytree(FIXTURE, root)
    path = root / "notices" / "n-2026-06.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["body"] = ["导语。", *nest(5)]
    data["attachments"] = [{"title": f"附件{i}", "body": ["内容。"]} for i in range(21)]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    text = path.read_text(encoding="utf-8").splitlines()
    content, diags = load(root, build_date=dt.date(2026, 6, 1))
    errors = [d for d in diags.errors if d.file.endswith("n-2026-06.yaml")]
    assert len(errors) == 2, [str(d) for d in diags]
    deep = next(d for d in errors if d.field.endswith(".heading"))
    assert deep.field == "body[1].body[0].body[0].body[0].body[0].heading"
    assert "heading: 第5级标题" in text[deep.line - 1]
    many = next(d for d in errors if d.field == "attachments")
    assert "attachments:" in text[many.line - 2] or "attachments:" in text[many.line - 1]
