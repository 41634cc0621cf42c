"""One booklet per post (handbook/<post-id>.pdf, A5 by default): the handbook's common part and
that post's chapter, with the QR code of the post's page."""

from __future__ import annotations

from pathlib import Path

from ..model import Content
from ..render import typst
from ..render.fonts import fonts
from .base import BuildContext, Job, Output
from .common import _common_sources, _post_sources, noted
from .handbook import HANDBOOK_TEMPLATES, handbook_data, render_handbook


def jobs(content: Content) -> list[Job]:
    font_set = fonts(content)
    key = {"fonts": font_set.key(), "date": str(content.build_date), "engine": typst.version()}
    common_sources = _common_sources(content)
    out: list[Job] = []
    for post in content.posts:
        b_data = handbook_data(content, [post], booklet=True)

        def render_b(dest: Path, ctx: BuildContext, b_data=b_data) -> None:
            noted(ctx, font_set)
            dest.write_bytes(render_handbook(content, b_data, font_set).pdf)

        out.append(Job(f"handbook/{post.id}.pdf", "booklet", {"data": b_data, **key}, render_b,
                       templates=HANDBOOK_TEMPLATES, sources=common_sources + _post_sources(content, post.id)))
    return out


OUTPUT = Output("booklets", ("booklet",), jobs, typst.warm_up)
