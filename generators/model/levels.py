"""Management levels: the four the seeds name (公司、车间、班组、岗位), called what each enterprise calls
them (settings.levels, e.g. 公司、部门、班组、岗位), and check frequencies in free wording.

Content and library files may write either the seeds' word or the enterprise's; the loader stores the
seeds' word (the canonical key) and documents print the enterprise's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from .base import Model, ShortText

LEVELS: tuple[str, str, str, str] = ("公司", "车间", "班组", "岗位")
# the three checklist levels (seed 003 §二(二)): 单位清单, 车间(部门)表册, 岗位(班组)卡片
CHECKLIST_LEVELS: tuple[str, str, str] = ("单位", "车间", "岗位")

Period = Literal["日", "周", "月", "季", "年"]
PERIODS: tuple[str, ...] = ("日", "周", "月", "季", "年")
PERIOD_DAYS = {"日": 1, "周": 7, "月": 31, "季": 92, "年": 366}
# 检查频次 (seed 002 §9, seed 004 §16): 集团公司季查, 厂矿/分公司月查, 车间周查, 班组日查:
# each checklist level is carried out at least this often.
LEVEL_MAX_FREQUENCY = {"单位": "月", "车间": "周", "岗位": "日"}
# wording whose period is plain (每班 is at least daily)
PERIOD_WORDS = {
    "日": "日", "每日": "日", "每天": "日", "每班": "日", "班": "日", "每日班前": "日",
    "周": "周", "每周": "周", "月": "月", "每月": "月",
    "季": "季", "每季": "季", "每季度": "季", "季度": "季", "年": "年", "每年": "年",
}
FREQUENCY_SUGGESTIONS = [*PERIODS, "每班", "每车", "每趟", "每次作业", "每次入场"]


class Frequency(Model):
    """检查频次：本企业的写法，以及折合的检查周期（用于核对各层级的检查频次）。"""

    text: ShortText = Field(description="频次，按本企业的写法，如 每趟及途中每 2 h")
    period: Period | None = Field(default=None, description="折合的检查周期：日、周、月、季、年（用于核对“班组日查、车间周查、厂矿月查”）；能从写法看出时可不填")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if isinstance(data, (str, int, float)) and not isinstance(data, bool):
            return {"text": str(data)}
        return data

    @model_validator(mode="after")
    def _infer(self) -> "Frequency":
        if self.period is None:
            object.__setattr__(self, "period", PERIOD_WORDS.get(self.text.replace(" ", "")))
        return self

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        obj = handler(schema)
        return {"anyOf": [{"enum": FREQUENCY_SUGGESTIONS}, {"type": "string", "minLength": 1, "maxLength": 200}, obj]}

    def __str__(self) -> str:
        return self.text

    @property
    def label(self) -> str:
        """As a checklist's header lists it: 日 → 日查, free wording as written."""
        return self.text + "查" if self.text in PERIODS else self.text


@dataclass(frozen=True)
class Levels:
    """The enterprise's words for the four levels, in the seeds' order."""

    names: tuple[str, str, str, str] = LEVELS

    def word(self, canonical: str) -> str:
        """公司/车间/班组/岗位 → the enterprise's word."""
        return self.names[LEVELS.index(canonical)] if canonical in LEVELS else canonical

    def canonical(self, word: str) -> str | None:
        """The enterprise's word (or the seeds' word) → 公司/车间/班组/岗位; None when neither."""
        if word in self.names:
            return LEVELS[self.names.index(word)]
        return word if word in LEVELS else None

    def accepted(self) -> list[str]:
        return list(dict.fromkeys([*self.names, *LEVELS]))

    def checklist_level(self, word: str) -> str | None:
        """单位/车间/岗位, or the enterprise's word for the level (公司 → 单位, 部门 → 车间, 班组/岗位 → 岗位)."""
        if word in CHECKLIST_LEVELS:
            return word
        canonical = self.canonical(word)
        return {"公司": "单位", "车间": "车间", "班组": "岗位", "岗位": "岗位"}.get(canonical or "")

    def checklist_accepted(self) -> list[str]:
        return list(dict.fromkeys([*CHECKLIST_LEVELS, *self.names]))

    def unit_word(self, level: str) -> str:
        """Who is checked at a checklist level: 单位; 车间（部门）; 岗位（班组）."""
        if level == "单位":
            return "单位"
        if level == "车间":
            return "车间（部门）" if self.names[1] == "车间" else self.names[1]
        return f"{self.names[3]}（{self.names[2]}）"

    def checklist_title(self, level: str) -> str:
        """单位安全检查清单 / 车间（部门）安全检查表册 / 岗位（班组）安全检查卡片, in the enterprise's words."""
        return self.unit_word(level) + {"单位": "安全检查清单", "车间": "安全检查表册", "岗位": "安全检查卡片"}[level]

    def frequency_rule(self) -> str:
        """The seeds' rule in the enterprise's words: 公司月查、车间周查、班组日查."""
        return f"{self.names[0]}月查、{self.names[1]}周查、{self.names[2]}日查"
