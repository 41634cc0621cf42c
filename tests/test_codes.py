"""The seeds' numeric rules, tested at their edges."""

import datetime as dt

import pytest

from generators.model.checks import FiveFixed, Hazard
from generators.model.enterprise import RiskBand, RiskProfile
from generators.model.risk import LecAssessment, LsAssessment
from generators.rules import (
    RiskLevel,
    SizeClass,
    credit_check_char,
    credit_code_problem,
    lec_danger,
    size_class,
)

# --------------------------------------------------------------- credit code (GB 32100)

def test_check_digit_examples():
    # 17 zeros: sum 0 -> (31 - 0) % 31 = 0 -> "0"
    assert credit_check_char("0" * 17) == "0"
    # a single 1 in the first position has weight 1: 31 - 1 = 30 -> "Y"
    assert credit_check_char("1" + "0" * 16) == "Y"
    # a 1 in the last position has weight 28: 31 - 28 = 3 -> "3"
    assert credit_check_char("0" * 16 + "1") == "3"


def test_valid_codes_pass():
    for first17 in ("91140400MA0K1234A", "91350581MA2XY3456", "12100000400000624"):
        code = first17 + credit_check_char(first17)
        assert credit_code_problem(code) is None, code


def test_wrong_check_digit_named():
    first17 = "91140400MA0K1234A"
    right = credit_check_char(first17)
    wrong = "0" if right != "0" else "1"
    problem = credit_code_problem(first17 + wrong)
    assert problem is not None and f"应为“{right}”" in problem


@pytest.mark.parametrize("code,needle", [("9114040", "18 位"), ("91140400MA0K1234I0", "不允许的字符“I”"), ("91140400ma0k1234a0", "不允许的字符")])
def test_malformed_codes(code, needle):
    assert needle in credit_code_problem(code)


# --------------------------------------------------------------- size class (seed 003)


@pytest.mark.parametrize(
    "employees,revenue,expected",
    [
        (300, 0, SizeClass.ABOVE_SCALE),
        (299, 0, SizeClass.MEDIUM),
        (0, 2000, SizeClass.ABOVE_SCALE),
        (0, 1999.99, SizeClass.MEDIUM),
        (100, 0, SizeClass.MEDIUM),
        (99, 0, SizeClass.SMALL_MICRO),
        (0, 1000, SizeClass.MEDIUM),
        (0, 999.9, SizeClass.SMALL_MICRO),
        (99, 999, SizeClass.SMALL_MICRO),
        (50, 2500, SizeClass.ABOVE_SCALE),  # either criterion suffices
        (350, 10, SizeClass.ABOVE_SCALE),
    ],
)
def test_size_class_edges(employees, revenue, expected):
    assert size_class(employees, revenue) is expected


# --------------------------------------------------------------- LEC and LS to colour


def _lec(L, E, C):
    return LecAssessment(method="LEC", L=L, E=E, C=C)


@pytest.mark.parametrize(
    "L,E,C,level",
    [
        (6, 6, 15, RiskLevel.MAJOR),  # 540 > 320
        (10, 6, 3, RiskLevel.SIGNIFICANT),  # 180 in (160, 320]
        (10, 10, 3, RiskLevel.SIGNIFICANT),  # 300
        (1, 10, 15, RiskLevel.GENERAL),  # 150 in (70, 160]
        (10, 2, 40, RiskLevel.MAJOR),  # 800
        (3, 6, 3, RiskLevel.LOW),  # 54
        (1, 6, 7, RiskLevel.LOW),  # 42
        (0.5, 1, 1, RiskLevel.LOW),
    ],
)
def test_lec_levels(L, E, C, level):
    a = _lec(L, E, C)
    assert RiskProfile().level_for("LEC", a.score) is level


def test_lec_band_edges_are_exclusive():
    profile = RiskProfile()
    assert profile.level_for("LEC", 320) is RiskLevel.SIGNIFICANT
    assert profile.level_for("LEC", 320.01) is RiskLevel.MAJOR
    assert profile.level_for("LEC", 160) is RiskLevel.GENERAL
    assert profile.level_for("LEC", 160.5) is RiskLevel.SIGNIFICANT
    assert profile.level_for("LEC", 70) is RiskLevel.LOW
    assert profile.level_for("LEC", 72) is RiskLevel.GENERAL
    assert lec_danger(321).startswith("极其危险") and lec_danger(20).startswith("稍有危险")


@pytest.mark.parametrize("L,S,level", [(4, 5, RiskLevel.MAJOR), (5, 5, RiskLevel.MAJOR), (3, 5, RiskLevel.SIGNIFICANT), (4, 4, RiskLevel.SIGNIFICANT), (3, 4, RiskLevel.GENERAL), (3, 3, RiskLevel.GENERAL), (2, 4, RiskLevel.LOW), (1, 1, RiskLevel.LOW)])
def test_ls_levels(L, S, level):
    a = LsAssessment(method="LS", L=L, S=S)
    assert RiskProfile().level_for("LS", a.score) is level


@pytest.mark.parametrize("field,value", [("L", 4), ("E", 7), ("C", 50)])
def test_lec_rejects_values_outside_the_tables(field, value):
    args = {"L": 3, "E": 6, "C": 7, field: value}
    with pytest.raises(ValueError, match=f"{field} 只能取"):
        _lec(**args)


def test_custom_profile_changes_bands():
    strict = RiskProfile(lec=[RiskBand(level="重大", min=160), RiskBand(level="较大", min=70), RiskBand(level="一般", min=20)])
    assert strict.level_for("LEC", 180) is RiskLevel.MAJOR
    assert RiskProfile().level_for("LEC", 180) is RiskLevel.SIGNIFICANT


def test_risk_level_names_read_in_black_and_white():
    assert RiskLevel.MAJOR.label == "红·重大风险"
    assert RiskLevel.LOW.label == "蓝·低风险"
    assert max(RiskLevel.LOW, RiskLevel.SIGNIFICANT, RiskLevel.GENERAL) is RiskLevel.SIGNIFICANT


# --------------------------------------------------------------- overdue hazards


def _hazard(status="整改中", deadline=dt.date(2026, 3, 31), **kw):
    data = dict(
        id="h1", found=dt.date(2026, 3, 1), source="企业自查", place="装卸区", description="静电接地带断裂", grade="一般",
        five_fixed=FiveFixed(responsible="装卸班长", measures="更换接地带", funds_wan=0.2, deadline=deadline), status=status,
    )
    data.update(kw)
    return Hazard(**data)


def test_overdue_is_strictly_after_deadline():
    h = _hazard()
    assert not h.overdue(dt.date(2026, 3, 31))
    assert h.overdue(dt.date(2026, 4, 1))
    assert h.days_overdue(dt.date(2026, 4, 10)) == 10


def test_closed_hazard_never_overdue():
    h = _hazard(status="已销号", closed=dt.date(2026, 4, 20), verifier="安全管理部")
    assert not h.overdue(dt.date(2027, 1, 1))


def test_closed_hazard_needs_date_and_verifier():
    with pytest.raises(ValueError, match="验收人"):
        _hazard(status="已销号")
