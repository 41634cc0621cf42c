"""The site's MkDocs run: a search index split into rows, and a theme kept once per process.

`SitePlugin` is added to every build's plugin collection by `run_mkdocs` (never registered by
name). It does three things:

- Search: Material's index has one entry per heading, so a register of 47 risks is one entry and
  its snippet is the whole table. Elements that carry `id` and `data-search-section="标题"` (a
  register row, a hazard, a checklist item) become entries of their own, at their anchor, and
  table cells are kept as blocks, so the worker's snippet is one cell, not the table. Chinese
  segmentation (jieba, with the enterprise's user dictionary) is memoised per build.
- Theme templates: MkDocs makes a new Jinja environment per build and compiles Material's
  templates again (about a second); the environment is kept per process, per theme folders.
- Raw HTML: the generated pages are mostly HTML blocks (tables, cards, forms), which
  Python-Markdown re-parses tag by tag only to pass them through unchanged (about a third of a
  site's build). A block that starts a paragraph with a block-level tag and closes every tag it
  opens by a blank line is set aside before Markdown runs and put back, unchanged, after.
- Theme file list: MkDocs lists the theme's static files for every build by walking the theme
  folders through Jinja (most of a second); the list is kept per process, per theme folders and
  their contents' names and times, and only the check against the docs' own files is redone.
- Theme assets: the theme's static files (scripts, styles, lunr) are the same for every
  enterprise. They are copied once per process into a cache folder and hard-linked from there
  into each site (copied where a link is impossible, e.g. across filesystems).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from multiprocessing import util as mp_util
from pathlib import Path
from typing import Any

from backrefs import bre
from markupsafe import escape
from material.plugins.search.plugin import Element, Parser, SearchIndex, SearchPlugin, Section, jieba
from mkdocs.plugins import BasePlugin

from .. import tempdirs

SECTION_ATTR = "data-search-section"
CELL_TAGS = {"td", "th", "dd", "dt"}


class _SectionParser(Parser):
    """Material's parser, plus sections opened by `data-search-section` elements (closed with
    them) and table cells kept as blocks of their own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keep = self.keep | CELL_TAGS

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(tag, attrs)
        values = dict(attrs)
        title, ident = values.get(SECTION_ATTR), values.get("id")
        if title is None or not ident or self.skip.intersection(self.context):
            return
        # The section's element is a tag no page uses, so its text is never taken as a title;
        # its depth is the element's, so the parser returns to the page's section after it.
        section = Section(Element("aq-search-section", values), len(self.context))
        section.id = ident
        section.title = [str(escape(title))]
        if tag in self.keep and self.section.text and self.section.text[-1] == f"<{tag}>":
            section.text.append(self.section.text.pop())  # the element's own tag opens the new section
        self.section = section
        self.data.append(section)


_HAN_RUN = bre.compile(r"(\p{script: Han}+)", bre.UNICODE)  # Material's own expression
_SEGMENTS: dict[str, dict[str, str]] = {}  # dictionaries' hash -> Han run -> segmented run


def _segments_for(config: dict[str, Any]) -> dict[str, str]:
    """Segmentations made with exactly these dictionaries (same words, same frequencies), kept for
    the process: the same enterprise built again, or its pages repeating the same words, costs
    jieba nothing. A different dictionary gets a table of its own (the last two are kept)."""
    h = hashlib.sha256()
    for name in ("jieba_dict", "jieba_dict_user"):
        path = config.get(name)
        h.update(name.encode() + b"\0" + (Path(path).read_bytes() if path and Path(path).is_file() else b"") + b"\0")
    key = h.hexdigest()
    if key not in _SEGMENTS:
        while len(_SEGMENTS) >= 2:
            _SEGMENTS.pop(next(iter(_SEGMENTS)))
        _SEGMENTS[key] = {}
    return _SEGMENTS[key]


class SectionedIndex(SearchIndex):
    def __init__(self, **config: Any) -> None:
        super().__init__(**config)
        self._segments = _segments_for(config)

    def add_entry_from_context(self, page: Any) -> None:
        search = page.meta.get("search") or {}
        if search.get("exclude"):
            return
        parser = _SectionParser()
        parser.feed(page.content)
        parser.close()
        for section in parser.data:
            if not section.is_excluded():
                self.create_entry_for_section(section, page.toc, page.url, page)

    def _segment_chinese(self, data: str) -> str:
        """Material's segmentation (runs of Han script cut by jieba, joined and surrounded by
        zero-width spaces), memoised per run."""
        if jieba is None:
            return super()._segment_chinese(data)
        memo = self._segments

        def replace(match: Any) -> str:
            run = match.group(0)
            cut = memo.get(run)
            if cut is None:
                cut = memo[run] = "\u200b".join(jieba.cut(run.encode("utf-8")))
            return "\u200b" + cut + "\u200b"

        return _HAN_RUN.sub(replace, data).strip("\u200b")


# ---------------------------------------------------------------- per-process theme cache

_ENVS: dict[tuple[Any, ...], Any] = {}
_ASSETS: dict[str, Any] = {"pid": None, "dir": None, "files": {}}


def _cache_dir() -> Path:
    """This process's folder of theme files; removed when the process ends (also in a pool worker)."""
    if _ASSETS["pid"] != os.getpid() or _ASSETS["dir"] is None or not Path(_ASSETS["dir"]).is_dir():
        folder = tempdirs.mkdtemp("theme")
        mp_util.Finalize(None, shutil.rmtree, args=(str(folder),), kwargs={"ignore_errors": True}, exitpriority=0)
        _ASSETS.update(pid=os.getpid(), dir=str(folder), files={})
    return Path(_ASSETS["dir"])


def _cached(src: str) -> Path:
    folder = _cache_dir()
    files: dict[str, str] = _ASSETS["files"]
    if src not in files:
        target = folder / f"{len(files):05d}{Path(src).suffix}"
        shutil.copyfile(src, target)
        files[src] = str(target)
    return Path(files[src])


def place(src: str, dest: Path) -> bool:
    """Put a theme file at dest: a hard link to this process's copy, else a copy. True if linked."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    cached = _cached(src)
    try:
        os.link(cached, dest)
        return True
    except OSError:
        shutil.copyfile(cached, dest)
        return False


# ---------------------------------------------------------------- raw HTML blocks past Markdown

_BLOCK_START = re.compile(r"<(address|article|aside|blockquote|details|div|dl|fieldset|figure|footer|form|header|nav|ol|p|section|table|ul)[\s>]")
_TAG = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?(/?)>", re.S)
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_RAW_MARK = "AQRAWBLOCK{:05d}X"
_RAW_PARA = re.compile(r"<p>AQRAWBLOCK(\d{5})X</p>(\n?)")


def _one_element(block: str) -> bool:
    """True if the block is one element: its first tag is closed by the block's end and not
    before (Markdown ends a raw block where its first element closes and reads on from there)."""
    depth = 0
    for m in _TAG.finditer(block):
        if m.group(2) is None or m.group(2).lower() in _VOID or m.group(3):
            continue
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return not block[m.end():].strip()
        if depth < 0:
            return False
    return False


def set_aside_html(markdown: str) -> tuple[str, list[str]]:
    """The Markdown with each self-contained raw HTML block replaced by a placeholder paragraph,
    and the blocks. A block starts after a blank line with a block-level tag, and that element
    ends just before a blank line; anything else (a <script> or <pre>, tags left open, the
    placeholder's own text) stays for Markdown."""
    if "AQRAWBLOCK" in markdown:
        return markdown, []
    lines = markdown.split("\n")
    out: list[str] = []
    blocks: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if (i == 0 or not lines[i - 1].strip()) and _BLOCK_START.match(line):
            j = i
            while j < len(lines) and lines[j].strip():
                j += 1
            block = "\n".join(lines[i:j])
            if _one_element(block):
                blocks.append(block)
                out.append(_RAW_MARK.format(len(blocks) - 1))
                i = j
                continue
        out.append(line)
        i += 1
    return "\n".join(out), blocks


def put_back_html(html: str, blocks: list[str]) -> str:
    """The blocks in place of their placeholders, spaced as Markdown spaces raw HTML (a blank line
    after each one but the last)."""
    return _RAW_PARA.sub(lambda m: blocks[int(m.group(1))] + m.group(2) * 2, html) if blocks else html


_THEME_LISTS: dict[tuple[Any, ...], list[tuple[str, str]]] = {}


def _folder_stamp(folder: str) -> tuple[Any, ...]:
    out = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        out += [(os.path.join(root, n), os.stat(os.path.join(root, n)).st_mtime_ns) for n in sorted(names)]
    return tuple(out)


def add_theme_files(files: Any, env: Any, config: Any) -> None:
    """`Files.add_files_from_theme`, with the theme's list of (path, folder) kept for the process.
    Installed themes are keyed by their folders; a folder of this project's (the overrides) also
    by its files' names and times, so a changed override is listed again."""
    from mkdocs.structure.files import File

    dirs = tuple(config.theme.dirs)
    key = (dirs, tuple(config.theme.static_templates), tuple(_folder_stamp(d) for d in dirs if "site-packages" not in d))
    listed = _THEME_LISTS.get(key)
    if listed is None:
        probe = type(files)([])
        _ORIGINAL_ADD(probe, env, config)
        listed = _THEME_LISTS[key] = [(f.src_uri, f.src_dir) for f in probe]
    for path, folder in listed:
        if files.get_file_from_path(path) is None:  # theme files do not override docs files
            files.append(File(path, folder, config.site_dir, config.use_directory_urls))


_ORIGINAL_ADD: Any = None


def install_theme_list_cache() -> None:
    """Route MkDocs' theme listing through `add_theme_files` (once per process)."""
    global _ORIGINAL_ADD
    from mkdocs.structure.files import Files

    if _ORIGINAL_ADD is None:
        _ORIGINAL_ADD = Files.add_files_from_theme
        Files.add_files_from_theme = lambda self, env, config: add_theme_files(self, env, config)


class SitePlugin(BasePlugin):
    def __init__(self) -> None:
        super().__init__()
        self.theme_files: list[tuple[str, str]] = []
        self.linked = 0
        self.raw: dict[str, list[str]] = {}

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        text, self.raw[page.file.src_uri] = set_aside_html(markdown)
        return text

    def on_page_content(self, html: str, page: Any, config: Any, files: Any) -> str:
        return put_back_html(html, self.raw.pop(page.file.src_uri, []))

    def on_config(self, config: Any) -> Any:
        for plugin in config.plugins.values():
            if isinstance(plugin, SearchPlugin) and plugin.config.enabled:
                plugin.search_index = SectionedIndex(**plugin.config)
        return config

    def on_files(self, files: Any, config: Any) -> Any:
        theme_dirs = [os.path.realpath(d) + os.sep for d in config.theme.dirs]
        for f in list(files):
            src = f.abs_src_path
            if src and not f.is_documentation_page() and any(os.path.realpath(src).startswith(d) for d in theme_dirs):
                self.theme_files.append((src, f.dest_uri))
                files.remove(f)
        return files

    def on_env(self, env: Any, config: Any, files: Any) -> Any:
        key = (tuple(config.theme.dirs), str(config.theme.locale))
        return _ENVS.setdefault(key, env)

    def on_post_build(self, config: Any) -> None:
        site = Path(config.site_dir)
        for src, uri in self.theme_files:
            self.linked += place(src, site / uri)
