"""公文: every notice → notices/<id>.docx (GB/T 9704-2012) and notices/<id>.pdf.

The .docx is written by `docx` from the format-independent layout in `layout`; the PDF is
LibreOffice's rendering of that .docx (same layout) or, without LibreOffice, WeasyPrint's
rendering of the same layout (`pdf`).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from ...diagnostics import BuildError
from ...load.images import SEAL, passed
from ...model import Content, Notice
from ...paths import file_digest, safe_path
from ...render import libreoffice
from ..base import BuildContext, Job, Output
from . import pdf as notice_pdf
from .grid import PROBE, estimate_placement
from .layout import IMPRINT_NEXT_PAGE, NoticeLayout, lay_out, notice_fonts

LAYOUT_VERSION = "gbt9704-2012/4"  # 4: SC font names, unbroken codes; 3: 署名/成文日期 indents, line grid, no hanging punctuation


def _seal(content: Content, notice: Notice) -> Path | None:
    rel = content.enterprise.issuer.seal
    if not (notice.seal and rel):
        return None
    path = safe_path(content.root, rel)
    if path is None or not path.is_file():
        raise BuildError(f"公文 {notice.id}：印章图片“{rel}”不存在或在企业目录之外")
    passed(path, SEAL)  # measured (header only) before python-docx, LibreOffice or WeasyPrint see it
    return path


def _font_files(content: Content) -> dict[str, Path]:
    files = {}
    for name, rel in content.enterprise.settings.fonts.files.items():
        path = safe_path(content.root, rel)
        if path is not None and path.is_file():
            files[name] = path
    return files


def key_data(content: Content, notice: Notice) -> dict:
    """Everything the notice's files are made from."""
    ent = content.enterprise
    seal = _seal(content, notice)
    return {
        "layout": LAYOUT_VERSION,
        "notice": notice.model_dump(mode="json"),
        "issuer": ent.issuer.model_dump(mode="json"),
        "fonts": ent.settings.fonts.model_dump(mode="json"),
        "font_files": {k: file_digest(v) for k, v in sorted(_font_files(content).items())},
        "seal": file_digest(seal) if seal else None,
        "policies": {a.policy: content.policies[a.policy].model_dump(mode="json") for a in notice.attachments if a.policy},
        "plans": {a.plan: content.plans[a.plan].model_dump(mode="json") for a in notice.attachments if a.plan},
    }


# LibreOffice's renderings that the .docx job made to check its placement, for the PDF job of the
# same notice (the same lane, so the same worker process): the conversion's arguments → the PDF.
# Taken once; a few at most, for a PDF job that never comes (its output was up to date).
_RENDERED: dict[str, bytes] = {}
RENDERED_MAX = 4


def _conversion(content: Content, layout: NoticeLayout | None = None) -> tuple[dict[str, str], list[Path], dict[str, str]]:
    """(aliases, font folders, weights): LibreOffice's font configuration for the notice."""
    font_files = _font_files(content)
    aliases, weights, _ = notice_pdf.font_plan(layout.fonts if layout else notice_fonts(content), font_files)
    return aliases, sorted({p.parent for p in font_files.values()}), weights


def _rendered_key(docx: bytes, conversion: tuple) -> str:
    aliases, dirs, weights = conversion
    digest = hashlib.sha256(docx)
    digest.update(json.dumps([aliases, [str(d) for d in dirs], weights], sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


def _keep_rendering(content: Content, layout: NoticeLayout, docx: bytes, pdf: bytes) -> None:
    while len(_RENDERED) >= RENDERED_MAX:
        _RENDERED.pop(next(iter(_RENDERED)))
    _RENDERED[_rendered_key(docx, _conversion(content, layout))] = pdf


def _libreoffice_pdf(content: Content, layout: NoticeLayout, docx: bytes, name: str) -> bytes:
    """LibreOffice's rendering of a notice .docx, with the free fonts standing in: the one the
    .docx job made of these very bytes, else a new conversion."""
    conversion = _conversion(content, layout)
    kept = _RENDERED.pop(_rendered_key(docx, conversion), None) if _RENDERED else None
    return kept if kept is not None else libreoffice.libreoffice_pdf(docx, name, *conversion)


def imprint_placement(content: Content, notice: Notice, layout: NoticeLayout, paginate: str = "auto", ctx: BuildContext | None = None) -> str:
    """Where the 版记 goes (layout.imprint_placement): measured on LibreOffice's rendering of a
    probe .docx when LibreOffice is installed (paginate="auto"), else estimated."""
    if paginate == "estimate" or libreoffice.soffice() is None:
        return estimate_placement(layout)
    from .docx import notice_docx  # python-docx only where a .docx is written

    probe = notice_docx(layout, _seal(content, notice), notice.date, PROBE)
    try:
        pdf = _libreoffice_pdf(content, layout, probe, f"{notice.id}-probe")
    except libreoffice.ConversionError as exc:
        if ctx is not None:
            ctx.note(f"公文 {notice.id}：{exc}，版记位置按估算排定")
        return estimate_placement(layout)
    return notice_pdf.probe_placement(layout, pdf)


def next_page_checkable(layout: NoticeLayout) -> bool:
    """Whether a rendering with the 版记 on the next page shows where the probe's text ends: its
    last paragraph is not kept with the next one (the probe's blank line and 版记 would carry a
    kept paragraph along, the page break before the final 版记 would not)."""
    if not layout.attachments:
        return True  # the 成文日期 or the 附注 after it, neither kept with what follows
    paras = layout.attachments[-1].paras
    return bool(paras) and not paras[-1].keep_next


def render_docx(content: Content, notice: Notice, paginate: str = "auto", ctx: BuildContext | None = None) -> bytes:
    """The .docx, with the 版记 on an even last page: `paginate` "auto" measures where the text
    ends on LibreOffice's rendering when it is installed, "estimate" counts lines.

    Measuring needs one conversion when the estimate puts the 版记 on the next page and the
    rendering of that .docx confirms it (notice_pdf.next_page_confirmed); that rendering is kept
    for the PDF job. Otherwise a probe .docx is measured (imprint_placement)."""
    auto = paginate != "estimate" and libreoffice.soffice() is not None
    if auto:  # LibreOffice starts while the notice is laid out (the tokenizer loads) and written
        libreoffice.start_office(libreoffice.fontconfig_text(*_conversion(content)))
    from .docx import notice_docx  # python-docx only where a .docx is written

    layout = lay_out(content, notice)
    seal = _seal(content, notice)
    if auto and next_page_checkable(layout) \
            and estimate_placement(layout) == IMPRINT_NEXT_PAGE:
        docx = notice_docx(layout, seal, notice.date, IMPRINT_NEXT_PAGE)
        try:
            pdf = _libreoffice_pdf(content, layout, docx, notice.id)
        except libreoffice.ConversionError:
            pdf = None  # the probe's conversion tries again, and says so if it fails too
        if pdf is not None and notice_pdf.next_page_confirmed(layout, pdf):
            _keep_rendering(content, layout, docx, pdf)
            return docx
    placement = imprint_placement(content, notice, layout, paginate, ctx)
    return notice_docx(layout, seal, notice.date, placement)


def render_pdf(content: Content, notice: Notice, docx: bytes, ctx: BuildContext | None = None, engine: str = "auto") -> bytes:
    """The PDF: LibreOffice from the .docx, or WeasyPrint from the same layout."""
    layout = lay_out(content, notice)
    font_files = _font_files(content)
    notes = notice_pdf.font_plan(layout.fonts, font_files)[2]
    use_lo = engine == "libreoffice" or (engine == "auto" and libreoffice.soffice() is not None)
    if use_lo:
        try:
            pdf = _libreoffice_pdf(content, layout, docx, notice.id)
        except libreoffice.ConversionError as exc:
            if engine == "libreoffice":
                raise BuildError(f"公文 {notice.id}：{exc}") from exc
            notes.append(f"公文 PDF：{exc}，改用 WeasyPrint 排版")
            use_lo = False
    if not use_lo:
        pdf = notice_pdf.weasyprint_pdf(layout, _seal(content, notice), font_files)
    if ctx is not None:
        for note in notes:
            ctx.note(note)
    title = "".join(layout.title_lines)
    aliases = notice_pdf.font_plan(layout.fonts, font_files)[0]
    families = [aliases.get(name, name) for name in layout.fonts.values()]
    region = None if any(re.search(r"CJK (JP|KR|TC|HK)\b", f) for f in families) else "sc"
    return libreoffice.fix_metadata(pdf, notice.date, title, layout.printer, region)


def jobs(content: Content) -> list[Job]:
    out: list[Job] = []
    for notice_id, notice in sorted(content.notices.items()):
        data = key_data(content, notice)
        sources = [content.sources.get(f"notice:{notice_id}", f"notices/{notice_id}.yaml")]
        sources += [content.sources[f"policy:{a.policy}"] for a in notice.attachments if a.policy and f"policy:{a.policy}" in content.sources]
        sources += [content.sources[f"plan:{a.plan}"] for a in notice.attachments if a.plan and f"plan:{a.plan}" in content.sources]
        docx_out = f"notices/{notice_id}.docx"

        def make_docx(dest: Path, ctx: BuildContext, notice=notice) -> None:
            dest.write_bytes(render_docx(ctx.content, notice, ctx=ctx))

        def make_pdf(dest: Path, ctx: BuildContext, notice=notice, docx_out=docx_out) -> None:
            dest.write_bytes(render_pdf(ctx.content, notice, (ctx.staging / docx_out).read_bytes(), ctx))

        out.append(Job(docx_out, "notice-docx", data, make_docx, sources=sources, lane=libreoffice.LANE))
        out.append(Job(f"notices/{notice_id}.pdf", "notice-pdf", data, make_pdf, templates=["notice"], sources=sources,
                       after=[docx_out], lane=libreoffice.LANE))
    return out


OUTPUT = Output("notices", ("notice-docx", "notice-pdf"), jobs)
