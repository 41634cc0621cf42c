"""The regulator's fleet view: one JSON file, one static page, one xlsx (written by the fleet-level
output into build/index/regulator/, or by `write_fleet_view` anywhere).

    fleet.json    every row, the 标杆 selection (10 ‰, cut-off shown) and the yearly inspection
                  plan (差别监管: inspections a year by rating, spread over the months)
    index.html    the page (site_templates/regulator/): filters by industry, region, size class,
                  rating, overdue hazards and licence alerts, client-side and paginated; the data
                  is embedded in the page as well, so it opens from the file system with no server
    regulator.css, regulator.js
    fleet.xlsx    the whole table and the 标杆 list, for the office's own spreadsheets

The data is `checks.regulator.fleet.fleet_data(rows)`: counts only, unless `personal`.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .. import paths
from ..checks.regulator.fleet import fleet_data
from ..paths import replace_folder
from ..render.jinja import environment
from ..render.xlsx import _put, _style_sheet, _workbook, workbook_bytes

TEMPLATES = "regulator"
ASSETS = ("regulator.css", "regulator.js")


def _embed(data: dict[str, Any]) -> str:
    """JSON safe inside <script type="application/json"> (no "</script>", no HTML specials)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


XLSX_COLUMNS = [
    "企业编号", "企业名称", "行业", "细分行业", "行政区划代码", "行政区划", "企业分类", "从业人员", "监管部门",
    "评价等次", "总分", "现场检查日期", "隐患总数", "未销号隐患", "超期隐患", "重大隐患未销号",
    "证照有效", "证照即将到期", "证照已过期", "证照缺失", "最近到期日", "持证上岗率（%）", "标准化等级",
    "连续无事故（年）", "近三年事故（起）", "风险点", "标杆条件缺项", "选树标杆", "年检查次数", "计划检查月份",
]


def _style_header(ws, heads: list[str], widths: dict[str, float]) -> None:
    """Header row styled, column widths, frozen header: the data rows keep the default style
    (styling each of ~90,000 cells of a city's table would take seconds)."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    font, fill = Font(bold=True, name="宋体"), PatternFill("solid", fgColor="DDE4F0")
    align = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for c, name in enumerate(heads, start=1):
        cell = ws.cell(1, c)
        cell.font, cell.fill, cell.alignment = font, fill, align
        ws.column_dimensions[get_column_letter(c)].width = widths.get(name, 12)
    ws.freeze_panes = ws.cell(2, 3)


def fleet_workbook(data: dict[str, Any]):
    from openpyxl.styles import Font

    wb = _workbook(dt.date.fromisoformat(data["generated"]))
    ws = wb.active
    ws.title = "企业评价总表"
    items = data["items"]
    heads = XLSX_COLUMNS[:11] + [f"{it['title']}（得分率%）" for it in items] + XLSX_COLUMNS[11:]
    for c, h in enumerate(heads, start=1):
        ws.cell(1, c, h)
    for r_i, r in enumerate(data["rows"], start=2):
        lic = r["licences"]
        values = [
            r["id"], r["name"], r["industry"], r["tags"], r["region"], r["region_name"] or r["province"], r["size_class"],
            r["employees"], r["supervisor"], r["rating"], r["score"],
            *[r["items"].get(it["id"]) for it in items],
            r["inspection_date"] or "未检查", r["hazards"], r["hazards_open"], r["hazards_overdue"], r["major_open"],
            lic["有效"], lic["即将到期"], lic["已过期"], lic["缺失"], r["next_expiry"], r["cert_rate"], r["standardization"] or "未定级",
            r["accident_free_years"], r["accidents_3y"], r["risk_points"], "、".join(r["benchmark"]["missing"]) or "无",
            "是" if r.get("benchmark_selected") else "", r["frequency"], "、".join(f"{m}月" for m in r.get("plan_months", [])),
        ]
        for c, v in enumerate(values, start=1):
            _put(ws, r_i, c, v)
    _style_header(ws, heads, {"企业名称": 30, "细分行业": 20, "行政区划": 18, "监管部门": 20, "标杆条件缺项": 30, "计划检查月份": 20})
    ws.auto_filter.ref = ws.dimensions
    ws2 = wb.create_sheet("标杆候选")
    bench = data["benchmark"]
    _put(ws2, 1, 1, bench["rule"] + (f"；分数线 {bench['cutoff']['score']} 分（第 {bench['cutoff']['rank']} 名）" if bench["cutoff"] else "；无符合全部条件的企业"))
    ws2.cell(1, 1).font = Font(bold=True)
    heads2 = ["名次", "企业编号", "企业名称", "行业", "行政区划代码", "评价等次", "总分", "选树"]
    for c, h in enumerate(heads2, start=1):
        ws2.cell(2, c, h)
    for r_i, cand in enumerate(bench["candidates"], start=3):
        for c, v in enumerate([cand["rank"], cand["id"], cand["name"], cand["industry"], cand["region"], cand["rating"], cand["score"], "是" if cand["selected"] else "线下"], start=1):
            _put(ws2, r_i, c, v)
    _style_sheet(ws2, heads2, {"企业名称": 30}, header_row=2)
    return wb


def write_fleet_view(rows: Iterable[dict[str, Any]], out_dir: Path | str, *, year: int | None = None, permille: float | None = None,
                     generated: dt.date | None = None, personal: bool = False, portal: bool = False) -> Path:
    """Write the fleet view into `out_dir` (replaced as a whole); returns index.html's path.
    `portal`: the view sits in build/index/regulator/ and links back to the portal page."""
    data = fleet_data(rows, year=year, permille=permille, generated=generated, personal=personal)
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = paths.new_folder(out.parent, f".tmp-{out.name}-")
    try:
        (tmp / "fleet.json").write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        html = environment(TEMPLATES).get_template("index.html").render(
            generated=data["generated"], year=data["year"], count=data["count"], personal=personal, portal=portal, data_json=Markup(_embed(data)),
        )
        (tmp / "index.html").write_text(html, encoding="utf-8")
        for name in ASSETS:
            shutil.copyfile(paths.templates() / TEMPLATES / name, tmp / name)
        (tmp / "fleet.xlsx").write_bytes(workbook_bytes(fleet_workbook(data), dt.date.fromisoformat(data["generated"])))
        replace_folder(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out / "index.html"


__all__ = ["XLSX_COLUMNS", "fleet_workbook", "write_fleet_view"]
