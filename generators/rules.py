"""Rules the seeds state as numbers: credit-code check digit, size class, risk levels, LEC tables, exam pass marks.

Pure functions, no I/O, so each rule is tested at its edges.
"""

from __future__ import annotations

from enum import Enum, IntEnum

# GB 32100-2015 统一社会信用代码: 31 characters (no I, O, S, V, Z).
CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_check_char(first17: str) -> str:
    """The 18th character for the first 17 of a 统一社会信用代码."""
    total = sum(CREDIT_CHARSET.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS))
    return CREDIT_CHARSET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """None when valid, else a Chinese explanation."""
    if len(code) != 18:
        return f"统一社会信用代码应为 18 位，现为 {len(code)} 位"
    bad = [c for c in code if c not in CREDIT_CHARSET]
    if bad:
        return f"统一社会信用代码含有不允许的字符“{bad[0]}”（只能是数字和除 I、O、S、V、Z 外的大写字母）"
    expected = credit_check_char(code[:17])
    if code[17] != expected:
        return f"统一社会信用代码校验位错误：按 GB 32100 计算应为“{expected}”，现为“{code[17]}”"
    return None


class SizeClass(str, Enum):
    """企业分类 (seed 003 §二(一))."""

    ABOVE_SCALE = "规模以上"
    MEDIUM = "中等"
    SMALL_MICRO = "小微"


def size_class(employees: int, revenue_wan: float) -> SizeClass:
    """规模以上: ≥300 人 or ≥2000 万元; 中等: 100–299 人 or 1000–1999 万元; else 小微.

    Either criterion suffices ("或"), so the higher class of the two wins.
    """
    if employees >= 300 or revenue_wan >= 2000:
        return SizeClass.ABOVE_SCALE
    if employees >= 100 or revenue_wan >= 1000:
        return SizeClass.MEDIUM
    return SizeClass.SMALL_MICRO


class RiskLevel(IntEnum):
    """四色风险: ordered so that max() applies 就高原则."""

    LOW = 1
    GENERAL = 2
    SIGNIFICANT = 3
    MAJOR = 4

    @property
    def zh(self) -> str:
        return {1: "低风险", 2: "一般风险", 3: "较大风险", 4: "重大风险"}[self.value]

    @property
    def short(self) -> str:
        return {1: "低", 2: "一般", 3: "较大", 4: "重大"}[self.value]

    @property
    def colour_zh(self) -> str:
        return {1: "蓝", 2: "黄", 3: "橙", 4: "红"}[self.value]

    @property
    def css(self) -> str:
        return {1: "blue", 2: "yellow", 3: "orange", 4: "red"}[self.value]

    @property
    def label(self) -> str:
        """Written name that reads in black and white: "红·重大风险"."""
        return f"{self.colour_zh}·{self.zh}"

    @classmethod
    def from_zh(cls, text: str) -> "RiskLevel":
        for lvl in cls:
            if text in (lvl.zh, lvl.short, lvl.colour_zh, lvl.css, lvl.name.lower()):
                return lvl
        raise ValueError(text)


# 作业条件危险性评价法 (LEC): only these values are valid inputs.
LEC_L = {10: "完全可以预料", 6: "相当可能", 3: "可能但不经常", 1: "可能性小，完全意外", 0.5: "很不可能，可以设想", 0.2: "极不可能", 0.1: "实际不可能"}
LEC_E = {10: "连续暴露", 6: "每天工作时间内暴露", 3: "每周一次或偶然暴露", 2: "每月一次暴露", 1: "每年几次暴露", 0.5: "非常罕见地暴露"}
LEC_C = {100: "大灾难，许多人死亡", 40: "灾难，数人死亡", 15: "非常严重，一人死亡", 7: "严重，重伤", 3: "重大，致残", 1: "引人注目，需要救护"}

LEC_DANGER = [(320, "极其危险，不能继续作业"), (160, "高度危险，需立即整改"), (70, "显著危险，需要整改"), (20, "一般危险，需要注意"), (0, "稍有危险，可以接受")]


def lec_danger(d: float) -> str:
    """The LEC danger band text for D (D > 320 极其危险 ... D ≤ 20 稍有危险)."""
    for bound, text in LEC_DANGER:
        if d > bound:
            return text
    return LEC_DANGER[-1][1]


# ------------------------------------------------------------------ 一试: exam kinds and pass marks
# Seed 000 §三(二)4: 初次考试60分以上为及格，年底考试70分以上为及格，第二年以后80分以上为及格;
# 对不合格者须停职培训，并组织补考. "以上" includes the mark itself: 60 passes a first exam.

EXAM_KINDS: tuple[str, ...] = ("first", "year-end", "annual")
KIND_LABELS = {"first": "首次考试", "year-end": "年终考试", "annual": "年度考试（第二年起）"}
KIND_SHORT = {"first": "首次考试", "year-end": "年终考试", "annual": "第二年起"}
PASS_MARKS = {"first": 60, "year-end": 70, "annual": 80}
FULL_MARKS = 100
# The first year of testing has the first exam and the year-end exam; later years the 80-point exam.
FIRST_YEAR_KINDS: tuple[str, ...] = ("first", "year-end")
LATER_YEAR_KINDS: tuple[str, ...] = ("annual",)
# What happens to those who fail, as seed 000 §三(二)4 says it: the default of exam_rules.yaml
# `consequences`, which an enterprise replaces with the wording of its own rules.
FAIL_CONSEQUENCE = "对不合格者须停职培训，并组织补考"
RESIT_FAIL_CONSEQUENCE = "补考不合格者，由用人单位调离原工作岗位或予以解聘"


def pass_mark(kind: str) -> int:
    """The pass mark of an exam kind (on a 100-point paper)."""
    try:
        return PASS_MARKS[kind]
    except KeyError:
        raise ValueError(f"考试类别“{kind}”无效，应为 first（首次考试）、year-end（年终考试）或 annual（第二年起）") from None


def passed(score: float, kind: str) -> bool:
    """Pass when the score reaches the mark: 60 passes a first exam, 59.5 does not."""
    return score >= pass_mark(kind)


def pass_marks_text(sep: str = " ") -> str:
    """首次考试 60 分、年终考试 70 分、第二年起 80 分 (sep="" gives 首次考试60分…)."""
    return "、".join(f"{KIND_SHORT[k]}{sep}{PASS_MARKS[k]}{sep}分" for k in EXAM_KINDS)
