"""Counting the Typst compiles a piece of the builder makes."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from generators.render import typst


@contextlib.contextmanager
def typst_compiles() -> Iterator[list[str]]:
    """Inside the block, every `typst.render` still compiles and also records its template, in
    order, in the list yielded."""
    compiles: list[str] = []
    render = typst.render

    def counted(template, *args, **kwargs):
        compiles.append(template)
        return render(template, *args, **kwargs)

    with pytest.MonkeyPatch.context() as m:
        m.setattr(typst, "render", counted)
        yield compiles
