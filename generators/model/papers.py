"""Drawing an exam paper from the question bank (一试), deterministic by seed.

`plan_paper` draws a paper from exam_rules.yaml with random.Random(seed): counts and points per
type, the share of 通用 vs post questions, the difficulty mix when the bank allows it, and no
question from the person's previous paper when a history is given.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from ..rules import KIND_LABELS, pass_mark
from . import Content, Post, Question
from .exam import DIFFICULTIES, ExamRules, ExamSpec, TypeRule

TYPE_TITLES = {"单选": "单项选择题", "多选": "多项选择题", "判断": "判断题"}
# how a paper's number names its kind ("危货驾驶员首次考试（第 1 套）")
NUMBER_KIND_WORDS = {"first": "首次考试", "year-end": "年终考试", "annual": "年度考试"}


def paper_number(content: Content, rules: ExamRules, post_id: str, kind: str, seed: int) -> str:
    """The number printed on a paper: its `code` in exam_rules.yaml, else "{岗位}{类别}（第 N 套）" counting
    the post's papers of that kind in the order listed; a paper drawn on demand outside the list is
    named by its seed. Never the internal id (that names the files)."""
    post = content.enterprise.post(post_id)
    name = post.name if post else post_id
    words = NUMBER_KIND_WORDS.get(kind, kind)
    same = [p for p in rules.papers if p.post == post_id and p.kind == kind]
    for n, p in enumerate(same, start=1):
        if p.seed == seed:
            return p.code or f"{name}{words}（第 {n} 套）"
    return f"{name}{words}（抽题种子 {seed}）"


class ExamImpossible(Exception):
    """The bank cannot satisfy the rules; `problems` says why, in Chinese."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass
class Section:
    rule: TypeRule
    questions: list[Question]

    @property
    def title(self) -> str:
        return TYPE_TITLES[self.rule.type]

    @property
    def points(self) -> float:
        return self.rule.count * self.rule.points


@dataclass
class Paper:
    exam_id: str  # internal: names the files and the exam records
    enterprise: str
    title: str
    post: Post
    kind: str
    seed: int
    spec: ExamSpec
    sections: list[Section]
    notes: list[str] = field(default_factory=list)  # rules met only in part (difficulty mix)
    excluded: list[str] = field(default_factory=list)  # ids left out because of the history
    number: str = ""  # printed on the paper and the key (paper_number)

    @property
    def pass_mark(self) -> int:
        return pass_mark(self.kind)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def question_ids(self) -> list[str]:
        return [q.id for s in self.sections for q in s.questions]

    def key_data(self) -> dict[str, Any]:
        return {
            "exam_id": self.exam_id, "number": self.number, "enterprise": self.enterprise, "title": self.title, "post": self.post.model_dump(),
            "kind": self.kind, "spec": self.spec.model_dump(mode="json"),
            "sections": [[q.model_dump(mode="json") for q in s.questions] for s in self.sections],
        }


def _largest_remainder(total: int, weights: list[float]) -> list[int]:
    """Split `total` by `weights` into integers that add up to it (ties go to the earlier item)."""
    s = sum(weights)
    if total <= 0 or s <= 0:
        return [0] * len(weights)
    ideal = [total * w / s for w in weights]
    out = [int(x) for x in ideal]
    order = sorted(range(len(weights)), key=lambda i: (-(ideal[i] - out[i]), i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def _max_flow(needs: list[int], targets: list[int], caps: list[list[int]]) -> list[list[int]]:
    """Integer allocation x[g][d] ≤ caps[g][d] with row sums ≤ needs and column sums ≤ targets, maximal."""
    ng, nd = len(needs), len(targets)
    n = 2 + ng + nd
    src, sink = 0, n - 1
    cap = [[0] * n for _ in range(n)]
    for g in range(ng):
        cap[src][1 + g] = needs[g]
        for d in range(nd):
            cap[1 + g][1 + ng + d] = caps[g][d]
    for d in range(nd):
        cap[1 + ng + d][sink] = targets[d]
    flow = [[0] * n for _ in range(n)]
    while True:
        parent = [-1] * n
        parent[src] = src
        queue = deque([src])
        while queue and parent[sink] < 0:
            u = queue.popleft()
            for v in range(n):
                if parent[v] < 0 and cap[u][v] - flow[u][v] > 0:
                    parent[v] = u
                    queue.append(v)
        if parent[sink] < 0:
            break
        push, v = float("inf"), sink
        while v != src:
            u = parent[v]
            push = min(push, cap[u][v] - flow[u][v])
            v = u
        v = sink
        while v != src:
            u = parent[v]
            flow[u][v] += push
            flow[v][u] -= push
            v = u
    return [[max(0, flow[1 + g][1 + ng + d]) for d in range(nd)] for g in range(ng)]


def _mix_text(counts: dict[str, int]) -> str:
    return "、".join(f"{d} {n}" for d, n in counts.items())


def plan_paper(
    content: Content,
    rules: ExamRules,
    post_id: str,
    kind: str,
    seed: int,
    exclude: set[str] | frozenset[str] = frozenset(),
    number: str | None = None,
) -> Paper:
    """Draw a paper. Raises ExamImpossible (Chinese reasons) when the bank cannot meet the rules."""
    post = content.enterprise.post(post_id)
    if post is None:
        raise ExamImpossible([f"岗位“{post_id}”不存在（可用：{'、'.join(p.id for p in content.posts)}）"])
    spec = rules.spec(kind)
    if spec is None:
        raise ExamImpossible([f"exam_rules.yaml 中没有“{KIND_LABELS.get(kind, kind)}”（{kind}）的组卷规则"])
    rng = random.Random(seed)
    sections = spec.ordered_sections()
    n_general = round(spec.total_count * spec.general_share + 1e-9)
    general_counts = _largest_remainder(n_general, [s.count for s in sections])
    general_counts = [min(g, s.count) for g, s in zip(general_counts, sections)]

    # groups: (section index, origin, need, pool)
    groups: list[tuple[int, str, int, list[Question]]] = []
    problems: list[str] = []
    for i, (s, g) in enumerate(zip(sections, general_counts)):
        for origin, need in (("通用", g), ("岗位", s.count - g)):
            if need <= 0:
                continue
            if origin == "通用":
                every = [q for q in content.questions if q.type == s.type and q.general]
            else:
                every = [q for q in content.questions if q.type == s.type and not q.general and post_id in q.posts]
            pool = sorted((q for q in every if q.id not in exclude), key=lambda q: q.id)
            if len(pool) < need:
                what = "通用题" if origin == "通用" else f"“{post.name}”岗位题"
                gone = len(every) - len(pool)
                extra = f"（另有 {gone} 道出现在上一份试卷中，已排除）" if gone else ""
                problems.append(f"{s.type}题需要{what} {need} 道，题库中只有 {len(pool)} 道{extra}")
            groups.append((i, origin, need, pool))
    if problems:
        share = f"通用题占 {spec.general_share:.0%}"
        raise ExamImpossible(problems + [f"请补充题目，或在 exam_rules.yaml 中调整“{KIND_LABELS[kind]}”的题量或比例（{share}）"])

    notes: list[str] = []
    picked: list[list[Question]] = [[] for _ in groups]
    caps = [[sum(1 for q in pool if q.difficulty == d) for d in DIFFICULTIES] for _, _, _, pool in groups]
    needs = [need for _, _, need, _ in groups]
    if spec.difficulty:
        targets = _largest_remainder(spec.total_count, [spec.difficulty.get(d, 0) for d in DIFFICULTIES])  # type: ignore[call-overload]
        alloc = _max_flow(needs, targets, caps)
        if sum(map(sum, alloc)) < spec.total_count:
            achieved_ok = False
        else:
            achieved_ok = True
    else:
        targets, alloc, achieved_ok = [], [[0] * len(DIFFICULTIES) for _ in groups], True
    for k, (_, _, need, pool) in enumerate(groups):
        chosen: list[Question] = []
        for d_index, d in enumerate(DIFFICULTIES):
            bucket = [q for q in pool if q.difficulty == d]
            chosen += rng.sample(bucket, alloc[k][d_index])
        rest = [q for q in pool if q not in chosen]
        chosen += rng.sample(rest, need - len(chosen))
        picked[k] = chosen
    if spec.difficulty and not achieved_ok:
        got = {d: sum(1 for qs in picked for q in qs if q.difficulty == d) for d in DIFFICULTIES}
        want = dict(zip(DIFFICULTIES, targets))
        notes.append(f"难度比例无法完全满足：规则要求 {_mix_text(want)} 道，题库可用题目只能组成 {_mix_text(got)} 道；请补充相应难度的题目")

    out_sections = []
    for i, s in enumerate(sections):
        qs = [q for k, (gi, _, _, _) in enumerate(groups) if gi == i for q in picked[k]]
        rng.shuffle(qs)
        out_sections.append(Section(s, qs))
    return Paper(
        exam_id=f"{post_id}-{kind}-{seed}", enterprise=content.enterprise.name, title=rules.title, post=post, kind=kind,
        seed=seed, spec=spec, sections=out_sections, notes=notes, excluded=sorted(exclude),
        number=number or paper_number(content, rules, post_id, kind, seed),
    )
