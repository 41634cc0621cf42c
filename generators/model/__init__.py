"""The content model: every document an enterprise keeps, typed and validated.

`Content` is the single loaded object that every generator reads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..paths import display as _display
from ..rules import RiskLevel, SizeClass
from .base import Model, Revised, Revision, zh_date
from .checks import CheckItem, Checklist, Hazard, HazardLedger
from .documents import Attachment, Block, HandbookSpec, Heading, Knowledge, Notice, Plan, Policy, walk_blocks
from .enterprise import Enterprise, Post
from .learning import AUDIENCE_KEYWORDS, GENERAL, Question, QuestionBank, TrainingItem, TrainingPlan
from .levels import Levels
from .posts import JobStandard, ResponsibilityList, RiskCard
from .risk import RiskPoint, RiskRegister

__all__ = [
    "Attachment", "Block", "CheckItem", "Checklist", "Content", "Enterprise", "GENERAL", "HandbookSpec",
    "Hazard", "HazardLedger", "Heading", "JobStandard", "Knowledge", "Levels", "Model", "Notice", "Plan", "Policy",
    "Post", "Question", "QuestionBank", "ResponsibilityList", "Revised", "Revision", "RiskCard", "RiskLevel",
    "RiskPoint", "RiskRegister", "SizeClass", "TrainingItem", "TrainingPlan", "walk_blocks", "zh_date",
]


@dataclass
class Content:
    """Everything loaded for one enterprise, library content resolved in."""

    root: Path  # the enterprise folder
    enterprise: Enterprise
    build_date: dt.date
    responsibilities: dict[str, ResponsibilityList] = field(default_factory=dict)
    job_standards: dict[str, JobStandard] = field(default_factory=dict)
    cards: dict[str, RiskCard] = field(default_factory=dict)
    risk_points: list[RiskPoint] = field(default_factory=list)
    risk_revisions: list[Revision] = field(default_factory=list)  # the revisions of the files under risks/
    risk_file_revisions: dict[str, list[Revision]] = field(default_factory=dict)  # the same by file (display name, as in sources)
    checklists: dict[str, Checklist] = field(default_factory=dict)  # resolved: extends merged
    hazards: HazardLedger = field(default_factory=HazardLedger)
    questions: list[Question] = field(default_factory=list)  # own + referenced library banks
    question_bank_revised: dt.date | None = None  # latest revision over the enterprise's own bank files
    training: TrainingPlan | None = None
    policies: dict[str, Policy] = field(default_factory=dict)
    plans: dict[str, Plan] = field(default_factory=dict)
    notices: dict[str, Notice] = field(default_factory=dict)
    handbook: HandbookSpec | None = None
    knowledge: dict[str, Knowledge] = field(default_factory=dict)  # library sections used by the handbook
    # extra file kinds registered by generators (exam rules, risk map, ...): kind -> model
    extras: dict[str, object] = field(default_factory=dict)
    # which source files (relative display paths) each object came from
    sources: dict[str, str] = field(default_factory=dict)
    all_sources: list[Path] = field(default_factory=list)
    library_packs: list[Path] = field(default_factory=list)  # the library layers this enterprise sees, national first
    # every loaded file as read (display name, load.yamlload.Located): for checks that name a line
    located_files: list[tuple[str, object]] = field(default_factory=list)
    # the outputs this run makes (a build's selection); None: all of them, as `anquan check` assumes
    outputs: tuple[str, ...] | None = None

    # ------------------------------------------------------------ queries

    def display(self, name: str) -> str:
        """A file of the enterprise folder as messages name it (relative to the working folder)."""
        return _display(self.root / name)

    @property
    def posts(self) -> list[Post]:
        return self.enterprise.posts

    def post_risks(self, post_id: str) -> list[RiskPoint]:
        return [r for r in self.risk_points if post_id in r.posts]

    def post_risk_revisions(self, post_id: str) -> list[Revision]:
        """The revisions of the risk register that touch the post's risk points: of each file holding
        one, those made to the whole file or naming one of them in `items`."""
        ids = {r.id for r in self.post_risks(post_id)}
        files = dict.fromkeys(self.sources.get(f"risk:{rid}") for rid in sorted(ids))
        return [rev for f in files for rev in self.risk_file_revisions.get(f or "", [])
                if not rev.items or ids & set(rev.items)]

    def post_level(self, post_id: str) -> RiskLevel | None:
        """The highest level among the post's risk points (就高原则)."""
        return max((r.level for r in self.post_risks(post_id)), default=None)

    def post_questions(self, post_id: str) -> list[Question]:
        return [q for q in self.questions if post_id in q.posts]

    def general_questions(self) -> list[Question]:
        return [q for q in self.questions if q.general]

    def post_checklists(self, post_id: str) -> list[Checklist]:
        return [c for c in self.checklists.values() if c.post == post_id]

    @property
    def levels(self) -> Levels:
        """The enterprise's words for the four management levels."""
        return self.enterprise.settings.level_names

    def trains_post(self, item: TrainingItem, post_id: str) -> bool:
        """The post is in the item's audience: by id, by 全员, or through an audience group that holds it."""
        for who in item.audience:
            if who in (post_id, "全员"):
                return True
            group = self.enterprise.audience(who)
            if group is not None and post_id in group.posts:
                return True
        return False

    def post_training(self, post_id: str) -> list[TrainingItem]:
        if not self.training:
            return []
        return [t for t in self.training.items if self.trains_post(t, post_id)]

    def audience_label(self, who: str) -> str:
        """How a training audience prints: the post's name, the group's name, or the keyword's words."""
        post = self.enterprise.post(who)
        if post is not None:
            return post.name
        return AUDIENCE_KEYWORDS.get(who, who)

    def check_item(self, ref: str | None) -> tuple[Checklist, int, CheckItem] | None:
        """A hazard's `check_item` ("checklist/item", each by its id or its code) → the checklist, the
        item's number (1-based), the item."""
        if not ref or "/" not in ref:
            return None
        cref, _, iref = (part.strip() for part in ref.partition("/"))
        cl = self.checklists.get(cref) or next((c for c in self.checklists.values() if c.code == cref), None)
        if cl is None:
            return None
        for key in ("id", "code"):
            for n, it in enumerate(cl.items, start=1):
                if getattr(it, key) == iref:
                    return cl, n, it
        return None
        cid, _, iid = ref.partition("/")
        cl = self.checklists.get(cid.strip())
        if cl is None:
            return None
        for n, it in enumerate(cl.items, start=1):
            if it.id == iid.strip():
                return cl, n, it
        return None

    def handbook_posts(self) -> list[Post]:
        if self.handbook and self.handbook.posts:
            return [p for pid in self.handbook.posts if (p := self.enterprise.post(pid))]
        return list(self.enterprise.posts)

    def open_hazards(self) -> list[Hazard]:
        return [h for h in self.hazards.hazards if h.status != "已销号"]

    def overdue_hazards(self) -> list[Hazard]:
        return [h for h in self.hazards.hazards if h.overdue(self.build_date)]

    def level_counts(self) -> dict[RiskLevel, int]:
        counts = {lvl: 0 for lvl in sorted(RiskLevel, reverse=True)}
        for r in self.risk_points:
            counts[r.level] += 1
        return counts
