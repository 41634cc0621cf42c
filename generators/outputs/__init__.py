"""Every output, in one explicit list, in build order: each is a peer of the same shape
(`Output`: name, kinds, `jobs(content)`, optional `warm_up()`). The site comes last: it offers the
documents the others made for download (not the regulator's sheet and quiz: those are for the
inspector). Fleet-level outputs run after a fleet build."""

from __future__ import annotations

from typing import Iterable

from . import booklets, cards, checklists, coverage, exams, excel, handbook, notices, portal, quiz, rating, riskmap, site, sixchecks, training
from .base import BuildContext, FleetOutput, FleetSettings, Job, Outcome, Output

OUTPUTS: list[Output] = [
    notices.OUTPUT,
    coverage.OUTPUT,
    handbook.OUTPUT,
    booklets.OUTPUT,
    cards.OUTPUT,
    checklists.OUTPUT,
    exams.OUTPUT,
    training.OUTPUT,
    excel.OUTPUT,
    riskmap.OUTPUT,
    rating.OUTPUT,
    sixchecks.OUTPUT,
    quiz.OUTPUT,
    site.OUTPUT,
]

FLEET_OUTPUTS: list[FleetOutput] = [portal.OUTPUT]


class UnknownOutput(ValueError):
    """A name given to --only that no output has (the message lists the valid ones, in Chinese)."""


def resolve_names(names: Iterable[str], outputs: Iterable[Output] = OUTPUTS) -> list[str]:
    """Output names from --only (an alias stands for its output); unknown names raise UnknownOutput."""
    outputs = list(outputs)
    by_name = {o.name: o.name for o in outputs} | {a: o.name for o in outputs for a in o.aliases}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise UnknownOutput(f"--only 中的“{'、'.join(unknown)}”无效，可选：{','.join(o.name for o in outputs)}")
    return list(dict.fromkeys(by_name[n] for n in names))


__all__ = ["FLEET_OUTPUTS", "OUTPUTS", "BuildContext", "FleetOutput", "FleetSettings", "Job", "Outcome", "Output", "UnknownOutput", "resolve_names"]
