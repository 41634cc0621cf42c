"""Shared pieces of the content model."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema, model_validator

from ..zh import zh_date  # noqa: F401 (re-exported: models print dates)

# Ids name files and URLs: lower-case ASCII letters, digits, "-" and "_".
ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20000)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200)]
# The enterprise's own number of a record (R01, YH-2024-001, 安检-3): printed on documents, any case
# and punctuation. Ids are internal (file names, URLs, references) and are never printed.
Code = Annotated[str, StringConstraints(min_length=1, max_length=64)]


def code_field(what: str) -> Any:
    return Field(default=None, description=f"{what}：本企业自己的编号，原样印在文档上（可含大写字母、汉字和符号，如 YH-2024-001）；不填则文档上不印编号")


def suggested(values: list[str] | tuple[str, ...], max_length: int = 200) -> Any:
    """Free wording, with the usual values offered by editors (JSON Schema: one of them, or any text)."""
    return Annotated[
        str,
        StringConstraints(min_length=1, max_length=max_length),
        WithJsonSchema({"anyOf": [{"enum": list(values)}, {"type": "string", "minLength": 1, "maxLength": max_length}]}),
    ]


def id_from_code(code: str) -> str | None:
    """The id a record gets from its code when it has no id: "YH-2024-001" → "yh-2024-001".
    Only for ASCII codes ("安检-01" and "巡检-01" would both become "01")."""
    if not code.isascii():
        return None
    slug = re.sub(r"[^a-z0-9_-]+", "-", code.strip().lower()).strip("-_")
    return slug if re.match(ID_PATTERN, slug) else None


def _id_or_code_schema(schema: dict[str, Any]) -> None:
    required = schema.get("required", [])
    if "id" in required:
        required.remove("id")
        schema["anyOf"] = [{"required": ["id"]}, {"required": ["code"]}]


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


class Coded(Model):
    # A record with an internal `id` and the enterprise's own `code`; the id may be left out when the
    # code is plain ASCII (it is then derived from the code). (No docstring: schemas would show it.)

    model_config = ConfigDict(json_schema_extra=_id_or_code_schema)

    @model_validator(mode="before")
    @classmethod
    def _id_from_code(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("id") in (None, "") and isinstance(data.get("code"), (str, int)):
            derived = id_from_code(str(data["code"]))
            if derived is not None:
                data = {**data, "id": derived}
        return data


class Revision(Model):
    """修订记录: one revision of a document."""

    date: dt.date = Field(description="修订日期")
    summary: Text = Field(description="修订内容摘要")
    approved_by: ShortText = Field(description="批准人（职务或姓名）")
    industry: list[ShortText] = Field(default_factory=list, description="只涉及某些行业的修订（公共知识中按行业区分的节）：空为全部")
    items: list[Id] = Field(default_factory=list, description="只修订了文件中的这几条（如风险点编号）：空为整个文件")


class Revised(Model):
    """A document that carries revision records (the seeds require yearly revision)."""

    revisions: list[Revision] = Field(default_factory=list, description="修订记录")

    @property
    def last_revised(self) -> dt.date | None:
        return max((r.date for r in self.revisions), default=None)
