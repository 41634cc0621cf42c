"""Jinja2 environments over the templates: one factory, one environment per folder.

Autoescape is on for every template and undefined names are errors; each caller adds the filters
its templates use.
"""

from __future__ import annotations

from functools import lru_cache

import jinja2

from .. import paths


@lru_cache(maxsize=None)
def environment(folder: str, *, trim: bool = True, keep_trailing_newline: bool = False) -> jinja2.Environment:
    """The environment over site_templates/<folder> (the caller adds its filters once)."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(paths.templates() / folder)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=trim,
        lstrip_blocks=trim,
        keep_trailing_newline=keep_trailing_newline,
    )
