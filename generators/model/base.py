"""Shared pieces of the content model."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ..zh import zh_date  # noqa: F401 (re-exported: models print dates)

# Ids name files and URLs: lower-case ASCII letters, digits, "-" and "_".
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20000)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200)]


def Chars(n: int) -> Any:  # noqa: N802 - used like a type: list[Chars(150)]
    """Text of at most n characters: what one cell of a printed table, or one line of a card, holds."""
    return Annotated[str, StringConstraints(min_length=1, max_length=n)]


def bound(why: str) -> dict[str, Any]:
    """Field(..., max_length=N, **bound("…")): why the document bounds this field (Chinese); the
    loader's message says what is allowed, the field's name and this reason."""
    return {"json_schema_extra": {"bound": why}}


class Model(BaseModel):
    """Base of every content model: unknown fields are errors, numbers may stand for text."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        coerce_numbers_to_str=True,
        validate_default=True,
    )


class Revision(Model):
    """修订记录: one revision of a document."""

    date: dt.date = Field(description="修订日期")
    summary: Text = Field(description="修订内容摘要")
    approved_by: ShortText = Field(description="批准人（职务或姓名）")


class Revised(Model):
    """A document that carries revision records (the seeds require yearly revision)."""

    revisions: list[Revision] = Field(default_factory=list, description="修订记录")

    @property
    def last_revised(self) -> dt.date | None:
        return max((r.date for r in self.revisions), default=None)
