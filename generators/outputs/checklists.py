"""Three-level safety checklists (seed 003 §二(二)): 本单位安全检查清单, 车间(部门)安全检查表册 and
岗位(班组)安全检查卡片, each checklists/<id>.pdf with result, finder, date and signature columns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model import Content
from ..render import typst
from ..render.fonts import FontSet, fonts
from ..render.weasy import Rendered
from .base import BuildContext, Job, Output
from .common import checklist_data, enterprise_data, noted, without_name

CHECKLIST_TEMPLATES = ["typst/checklist.typ", "typst/common.typ"]


def render_checklist(content: Content, data: dict[str, Any], font_set: FontSet, settled: bool = False) -> Rendered:
    ent = content.enterprise
    return typst.render(
        "typst/checklist.typ", data, title=data.get("doc_title", data["title"]), date=content.build_date, author=ent.name, font_set=font_set,
        subject=data["level_title"], keywords=["安全检查", data["level_title"]], settled=settled,
    )


def fitted_checklist(content: Content, data: dict[str, Any], font_set: FontSet) -> Rendered:
    """The list set loose, or compact (tighter rows, same type) when that takes fewer pages: a card
    that fits one sheet is printed on one. One compile: checklist.typ sets loose and, when that runs
    over a page, compact, and keeps the one with fewer pages (as two compiles chose before). Should
    Typst give up before that choice settles, each variant is compiled on its own and compared."""
    try:
        return render_checklist(content, data, font_set, settled=True)
    except typst.LayoutUnsettled:
        loose = render_checklist(content, dict(data, variant="loose"), font_set)
        if loose.pages > 1:
            tight = render_checklist(content, dict(data, variant="compact"), font_set)
            if tight.pages < loose.pages:
                return tight
        return loose


def jobs(content: Content) -> list[Job]:
    font_set = fonts(content)
    key = {"fonts": font_set.key(), "date": str(content.build_date), "engine": typst.version()}
    out: list[Job] = []
    for cid, cl in sorted(content.checklists.items()):
        cl_data = checklist_data(content, cl)
        cl_data["enterprise"] = enterprise_data(content)
        # the heading stands under the enterprise's name: a title that begins with the name drops it there
        cl_data["doc_title"] = cl.title
        cl_data["title"] = without_name(content.enterprise.name, cl.title)

        def render_cl(dest: Path, ctx: BuildContext, cl_data=cl_data) -> None:
            noted(ctx, font_set)
            dest.write_bytes(fitted_checklist(content, cl_data, font_set).pdf)

        src = [content.sources[f"checklist:{cid}"]] if f"checklist:{cid}" in content.sources else []
        out.append(Job(f"checklists/{cid}.pdf", "checklist", {"data": cl_data, **key}, render_cl,
                       templates=CHECKLIST_TEMPLATES, sources=["enterprise.yaml", *src]))
    return out


OUTPUT = Output("checklists", ("checklist",), jobs, typst.warm_up)
