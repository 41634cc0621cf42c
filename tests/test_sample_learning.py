"""The demo-transport sample's learning and document content, read through the loader.

Covers the question banks (own + library), hazard ledger, training plan, policies,
plan, notices and handbook composition of content/enterprises/demo-transport.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest

from generators.load import load
from generators.model import Heading, walk_blocks

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "content" / "enterprises" / "demo-transport"
TODAY = dt.date(2026, 11, 26)
TYPES = ("单选", "多选", "判断")
# the files this part of the sample consists of (errors elsewhere belong to other documents)
OWN = ("questions", "hazards.yaml", "training.yaml", "handbook.yaml", "policies", "plans", "notices", "library")


@pytest.fixture(scope="module")
def loaded():
    content, diags = load(SAMPLE, build_date=TODAY)
    assert content is not None, [str(d) for d in diags]
    return content, diags


@pytest.fixture(scope="module")
def content(loaded):
    return loaded[0]


def test_no_errors_in_learning_and_document_files(loaded):
    _, diags = loaded
    mine = [d for d in diags.errors if any(part in d.file for part in OWN)]
    assert mine == []


def test_at_least_150_questions_with_unique_ids(content):
    assert len(content.questions) >= 150
    ids = [q.id for q in content.questions]
    assert len(ids) == len(set(ids))
    # both library banks are referenced and contribute
    prefixes = Counter(q.id.split("-")[0] for q in content.questions)
    assert prefixes["gs"] >= 25 and prefixes["rt"] >= 20


def test_every_post_has_ten_questions_and_two_of_each_type(content):
    assert len(content.posts) == 13
    for post in content.posts:
        qs = content.post_questions(post.id)
        per_type = Counter(q.type for q in qs)
        assert len(qs) >= 10, post.id
        for t in TYPES:
            assert per_type[t] >= 2, (post.id, t, per_type)


def test_answer_keys_fit_their_type(content):
    for q in content.questions:
        if q.type == "判断":
            assert isinstance(q.answer, bool) and not q.options, q.id
        elif q.type == "单选":
            assert len(q.answer) == 1 and q.answer in "ABCDEFGH"[: len(q.options)], q.id
        else:
            assert len(q.answer) >= 2 and set(q.answer) <= set("ABCDEFGH"[: len(q.options)]), q.id
        assert q.explanation and q.knowledge_point and q.basis, q.id


def test_question_mix_and_no_duplicate_stems(content):
    qs = content.questions
    assert {q.difficulty for q in qs} == {"易", "中", "难"}
    assert sum(q.difficulty == "难" for q in qs) >= 15
    stems = [re.sub(r"[\W_]+", "", q.stem) for q in qs]
    assert len(stems) == len(set(stems))


def test_question_banks_revised_within_a_year(content):
    assert content.question_bank_revised is not None
    assert TODAY - content.question_bank_revised <= dt.timedelta(days=365)


def test_hazard_ledger_covers_statuses_grades_sources(content):
    hazards = content.hazards.hazards
    assert len(hazards) >= 18
    assert {h.status for h in hazards} == {"待整改", "整改中", "待验收", "已销号"}
    assert {h.grade for h in hazards} == {"一般", "重大"}
    assert {h.source for h in hazards} == {"企业自查", "督导检查", "群众举报"}


def test_major_hazards_have_plan_and_are_supervised(content):
    major = [h for h in content.hazards.hazards if h.grade == "重大"]
    assert len(major) >= 2
    for h in major:
        assert h.five_fixed.plan and h.supervised, h.id
    assert any(h.status == "已销号" for h in major)
    assert any(h.status != "已销号" for h in major)


def test_closed_hazards_have_closing_trail(content):
    closed = [h for h in content.hazards.hazards if h.status == "已销号"]
    assert closed
    for h in closed:
        assert h.closed and h.verifier, h.id
        actions = [e.action for e in h.history]
        assert actions[0].startswith("下发整改通知"), h.id
        assert actions[-1].startswith("验收销号"), h.id
        assert any(a.startswith("整改完成") or "合格" in a for a in actions[1:-1]), h.id
        assert h.history[-1].date == h.closed, h.id


def test_hazard_check_items_point_at_real_checklist_items(content):
    linked = [h for h in content.hazards.hazards if h.check_item]
    assert len(linked) >= 15
    for h in linked:
        checklist_id, _, item_id = h.check_item.partition("/")
        assert checklist_id in content.checklists, (h.id, h.check_item)
        assert item_id in {it.id for it in content.checklists[checklist_id].items}, (h.id, h.check_item)


def test_overdue_hazards_on_build_date(content):
    overdue = content.overdue_hazards()
    assert overdue, "at least one hazard must be past its 五定 deadline on 2026-11-26"
    assert all(h.status != "已销号" and h.five_fixed.deadline < TODAY for h in overdue)
    # a day before the earliest open deadline nothing of those is overdue yet
    earliest = min(h.five_fixed.deadline for h in overdue)
    still_open = [h for h in content.hazards.hazards if h.overdue(earliest)]
    assert len(still_open) < len(overdue)


def test_training_plan_principal_and_coverage(content):
    plan = content.training
    assert plan is not None and plan.year == 2026
    principal = [t for t in plan.items if "主要负责人" in t.audience]
    assert principal and all(t.kind == "主要负责人培训" for t in principal)
    assert max(t.hours for t in principal) >= 3 * plan.hours_per_day >= 24
    kinds = {t.kind for t in plan.items}
    for kind in ("三级安全教育", "主要负责人培训", "安全管理人员培训", "特种作业人员培训",
                 "从业资格继续教育", "警示教育", "应急演练", "复训补考"):
        assert kind in kinds, kind
    assert {t.month for t in plan.items if t.kind == "警示教育"} == set(range(1, 13))
    special = {p for t in plan.items if t.kind == "特种作业人员培训" for p in t.audience}
    assert {"welder", "electrician", "forklift-driver"} <= special
    for post in content.posts:
        own = [t for t in content.post_training(post.id) if post.id in t.audience]
        assert own, f"{post.id} has no training item of its own"


def test_policies_long_one_becomes_attachment(content):
    assert {"hazmat-transport", "hazard-investigation", "driver-monitoring"} <= set(content.policies)
    long = content.policies["hazmat-transport"]
    assert len(long.chapters) >= 6
    assert sum(len(c.articles) for c in long.chapters) >= 35


def test_plan_phases_and_tasks(content):
    plan = content.plans["foundation-2026-2028"]
    assert [p.name for p in plan.phases] == ["动员部署", "集中攻坚", "治本提升", "总结评估"]
    tasks = [t for s in plan.sections for t in s.tasks]
    assert len(tasks) >= 12
    assert all(t.phase and t.responsible for t in tasks)
    for a, b in zip(plan.phases, plan.phases[1:]):
        assert a.end < b.start


def test_notices_resolve_attachments(content):
    issued = content.notices["n-2026-16"]
    assert [a.policy for a in issued.attachments if a.policy] == ["hazmat-transport"]
    assert [a.plan for a in issued.attachments if a.plan] == ["foundation-2026-2028"]
    for a in issued.attachments:
        assert (a.policy in content.policies) if a.policy else (a.plan in content.plans)
    assert issued.seal and issued.cc
    assert issued.title.startswith("关于印发《") and issued.title.endswith("的通知")
    depths = {d for d, b in walk_blocks(issued.body) if isinstance(b, Heading)}
    assert depths == {0, 1, 2, 3}

    plain = content.notices["n-2026-21"]
    assert not plain.seal and not plain.attachments and plain.cc and plain.note
    assert re.search(r"电话：[\d-]+", plain.note)
    for n in (issued, plain):
        assert n.date.year == 2026 and n.number.year == 2026
        assert n.number.render(content.enterprise.issuer.code) == f"安途运〔2026〕{n.number.seq}号"


def test_handbook_composition(content):
    hb = content.handbook
    assert hb is not None and hb.edition == "2026年版"
    assert len(hb.general) >= 6 and set(hb.general) == set(content.knowledge)
    assert all(p in content.policies for p in hb.extra_general)
    assert hb.foreword and hb.last_revised and TODAY - hb.last_revised <= dt.timedelta(days=365)
    for k in content.knowledge.values():
        assert k.sections and all(s.paragraphs or s.points for s in k.sections), k.id
