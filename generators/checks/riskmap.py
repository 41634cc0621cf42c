"""`anquan check`: gaps between the risk map and the 安全风险点名册."""

from __future__ import annotations

from ..diagnostics import Diagnostics
from ..model import Content
from ..model.riskmap import RiskMapSource, offsite_boards, zone_points


def check_gaps(content: Content, diags: Diagnostics) -> None:
    """`anquan check`: zones without an assessed risk and risk points on no zone are gaps."""
    source: RiskMapSource | None = content.extras.get("riskmap")  # type: ignore[assignment]
    if source is None:
        return
    rm = source.model
    points = zone_points(content, source)
    numbers = rm.numbers()
    for z in rm.zones:
        if not points.get(z.id):
            diags.warning(source.display, ("zones",), f"区域“{z.name}”（图上 {numbers[z.id]} 号）没有已评估的风险点，图上以斜线表示：请辨识评估该区域的风险，并在风险点中填写 zone: {z.id}", line_col=source.zone_where.get(z.id))
    placed = {r.id for pts in points.values() for r in pts} | set(rm.offsite)
    for r in content.risk_points:
        if r.id not in placed:
            where = source.point_where.get(r.id)
            display = where[0] if where else content.sources.get(f"risk:{r.id}", source.display)
            diags.warning(display, ("zone",), f"风险点“{r.name}”（{r.id}）不在四色安全风险空间分布图的任何区域中：请填写 zone（可用：{'、'.join(z.id for z in rm.zones)}），场外作业请列入 riskmap.yaml 的 offsite", line_col=(where[1], where[2]) if where else None)
    configured = {b.id for b in rm.offsite_boards}
    for board, pts in offsite_boards(content, source):
        if board.id in configured and (board.posted_in or board.place):
            continue
        names = "、".join(f"“{r.name}”" for r in pts)
        what = f"场外作业公告栏“{board.name}”" if board.id in configured else f"{board.name}的场外风险点{names}不在任何区域，已单列一块安全风险公告栏，但"
        diags.warning(source.display, ("offsite_boards",), f"{what}没有写明张贴位置：请在 riskmap.yaml 的 offsite_boards 中填写 posted_in（岗位人员报到的区域，如调度室所在的办公楼）和 place（如 车队办公室）")
