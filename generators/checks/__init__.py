"""`anquan check`: what the seeds require beyond a valid format, and what a reviewer would catch.

Every check is a function `(content, diags) -> None` in the explicit list `CHECKS`, run in
that order by `run_checks` (and so by `anquan check` and the coverage report of every build).
Most report warnings; the checks in `GATES` may report errors, and a build runs them first and
stops on their errors (printed cards need a reachable site address and an internal 24-hour phone).

`anquan check` runs the checks even when loading found errors: a check is left out only when a
kind of file it reads failed to load (`READS`), so that its findings are not about the gap the
error left.
"""

from __future__ import annotations

from typing import Callable

from ..diagnostics import Diagnostic, Diagnostics
from ..model import Content
from . import bank, dates, levels, placeholders, printing, riskmap, signs, structure, training
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
    signs.check_signs,
    check_regulator,
    levels.check_frequencies,
    placeholders.check_placeholders,
    printing.site_address,
    printing.internal_phone,
    structure.checklist_levels,
    structure.checklist_industry,
    structure.checklist_team_level,
    structure.knowledge_industry,
    structure.headcounts,
    structure.control_levels,
    structure.zones_unverified,
    dates.future_dates,
]

# The checks that may report errors; `gate` runs them before a build.
GATES: list[Check] = [printing.site_address, printing.internal_phone, structure.checklist_levels]

# The file kinds a check reads (FILE_KINDS names; "library:" for the library's): skipped when one failed.
READS: dict[Check, tuple[str, ...]] = {
    post_coverage: ("responsibility", "job_standard", "card", "risks", "checklist", "questions", "training"),
    revisions: ("handbook", "questions"),
    hazard_ledger: ("hazards",),
    bank.check_stems: ("questions", "library:questions"),
    bank.check_options: ("questions", "library:questions"),
    bank.check_exam_rules: ("exam_rules", "questions", "library:questions"),
    training.check_training: ("training", "exam_rules"),
    riskmap.check_gaps: ("riskmap", "risks"),
    signs.check_signs: ("card", "riskmap"),
    structure.checklist_levels: ("checklist",),
    structure.checklist_industry: ("checklist", "library:checklist"),
    structure.knowledge_industry: ("handbook", "library:knowledge"),
    structure.checklist_team_level: ("checklist",),
    structure.control_levels: ("risks",),
    structure.zones_unverified: ("risks", "riskmap"),
}


def runnable(check: Check, diags: Diagnostics) -> bool:
    """A check can run when every kind of file it reads loaded whole."""
    return not (set(READS.get(check, ())) & diags.failed)


def run_checks(content: Content, diags: Diagnostics) -> list[Check]:
    """Add every runnable check's findings to `diags`; returns the checks left out."""
    skipped = []
    for check in CHECKS:
        if runnable(check, diags):
            check(content, diags)
        else:
            skipped.append(check)
    return skipped


def gate(content: Content) -> list[Diagnostic]:
    """The errors of the checks a build must pass for the outputs it makes (`content.outputs`)."""
    diags = Diagnostics()
    for check in GATES:
        check(content, diags)
    return diags.errors


__all__ = ["CHECKS", "COVERAGE_COLUMNS", "GATES", "READS", "PostCoverage", "coverage", "gate", "report", "run_checks"]
