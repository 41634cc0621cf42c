"""`anquan check`: what the seeds require beyond a valid format, as warnings.

Every check is a function `(content, diags) -> None` in the explicit list `CHECKS`, run in
that order by `run_checks` (and so by `anquan check` and the coverage report of every build).
"""

from __future__ import annotations

from typing import Callable

from ..diagnostics import Diagnostics
from ..model import Content
from . import bank, levels, placeholders, riskmap, training
from .coverage import COVERAGE_COLUMNS, PostCoverage, coverage, hazard_ledger, post_coverage, report, revisions
from .regulator import check_regulator

Check = Callable[[Content, Diagnostics], None]

CHECKS: list[Check] = [
    post_coverage,
    revisions,
    hazard_ledger,
    bank.check_stems,
    bank.check_options,
    bank.check_exam_rules,
    training.check_training,
    riskmap.check_gaps,
    check_regulator,
    levels.check_frequencies,
    placeholders.check_placeholders,
]


def run_checks(content: Content, diags: Diagnostics) -> None:
    """Add every check's warnings to `diags`."""
    for check in CHECKS:
        check(content, diags)


__all__ = ["CHECKS", "COVERAGE_COLUMNS", "PostCoverage", "coverage", "report", "run_checks"]
