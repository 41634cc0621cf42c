"""凡查必考: an on-site quiz for key-post staff, drawn from the enterprise's own bank.

`draw_quiz(content, seed, posts=M, questions=N)` picks M key posts at random and N questions for
each from that post's questions (`content.post_questions`), topping up from the enterprise's
general (通用) questions when a post has fewer than N. Everything random comes from
`random.Random(seed)` over lists sorted by id, so the printed seed number reprints the same quiz
whatever order the files were loaded in. One page per person (one person per chosen post), then
the inspector's key.

The quiz every build makes (`quiz_seed`) has a seed fixed per enterprise and year, so the same
quiz is reprinted all year; `anquan quiz --seed N` draws any other.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from typing import Any

from ...model import Content, Post, Question
from ...model.learning import LETTERS

SEED_MAX = 2**31
MAX_QUESTIONS = 20  # one page per person holds up to 20 questions (the template shrinks the type to fit)
BUILD_POSTS = 3  # the build's quiz: three key posts, five questions each
BUILD_QUESTIONS = 5


class QuizImpossible(ValueError):
    """The enterprise has no key post with questions; the message is Chinese."""


@dataclass
class QuizPage:
    post: Post
    questions: list[Question]
    general: int  # how many were topped up from the general questions


@dataclass
class Quiz:
    seed: int
    pages: list[QuizPage]
    posts_asked: int
    questions_asked: int


def new_seed() -> int:
    """A fresh six-digit seed to print on the quiz (easy to read out and type again)."""
    return random.SystemRandom().randrange(100000, 1000000)


def quiz_seed(content: Content, year: int | None = None) -> int:
    """The six-digit seed of an enterprise's quiz for a year (default: the build year): the same
    every build of that year, different across enterprises and years."""
    year = year or content.build_date.year
    digest = hashlib.sha256(f"{content.enterprise.id}/{year}".encode()).digest()
    return 100000 + int.from_bytes(digest[:4], "big") % 900000


def eligible_posts(content: Content) -> list[Post]:
    """Key posts with at least one question of their own, by id."""
    return sorted((p for p in content.posts if p.key_post and content.post_questions(p.id)), key=lambda p: p.id)


def draw_quiz(content: Content, seed: int, posts: int = 3, questions: int = 5) -> Quiz:
    if not 0 <= seed < SEED_MAX:
        raise QuizImpossible(f"抽题种子应为 0–{SEED_MAX - 1} 的整数")
    if posts < 1 or questions < 1:
        raise QuizImpossible("抽考岗位数和每人题数都至少为 1")
    if questions > MAX_QUESTIONS:
        raise QuizImpossible(f"每人最多 {MAX_QUESTIONS} 题（每人一页试卷）")
    eligible = eligible_posts(content)
    if not eligible:
        raise QuizImpossible("没有可抽考的重点岗位：题库中没有任何重点岗位的题目")
    rng = random.Random(seed)
    chosen = rng.sample(eligible, min(posts, len(eligible)))
    general = sorted(content.general_questions(), key=lambda q: q.id)
    pages = []
    for post in chosen:
        own = sorted(content.post_questions(post.id), key=lambda q: q.id)
        pick = rng.sample(own, min(questions, len(own)))
        extra = 0
        if len(pick) < questions:
            ids = {q.id for q in pick}
            pool = [q for q in general if q.id not in ids]
            more = rng.sample(pool, min(questions - len(pick), len(pool)))
            extra = len(more)
            pick += more
        pages.append(QuizPage(post, pick, extra))
    return Quiz(seed, pages, posts, questions)


def _per_line(options: list[str]) -> int:
    longest = max((len(o) for o in options), default=0)
    if longest <= 7 and len(options) <= 4:
        return len(options)
    if longest <= 17:
        return 2
    return 1


def _answer(q: Question) -> str:
    if isinstance(q.answer, bool):
        return "√" if q.answer else "×"
    return q.answer


def quiz_data(content: Content, quiz: Quiz) -> dict[str, Any]:
    """What site_templates/typst/quiz.typ prints: one page per person, then the key."""
    ent = content.enterprise
    pages = []
    for i, page in enumerate(quiz.pages, start=1):
        items = []
        for n, q in enumerate(page.questions, start=1):
            items.append({
                "number": n, "id": q.id, "code": q.code or "", "type": q.type, "stem": q.stem,
                "options": [{"letter": LETTERS[k], "text": o} for k, o in enumerate(q.options)],
                "per_line": _per_line(q.options) if q.options else 0,
                "answer": _answer(q), "knowledge_point": q.knowledge_point,
            })
        pages.append({"index": i, "post": page.post.name, "post_id": page.post.id, "general": page.general, "questions": items})
    return {
        "enterprise": ent.name,
        "title": "安全生产应知应会现场抽考",
        "seed": quiz.seed,
        "posts_asked": quiz.posts_asked,
        "questions_asked": quiz.questions_asked,
        "pages": pages,
        "hint": {"单选": "单选", "多选": "多选", "判断": "判断（对的画“√”，错的画“×”）"},
    }


__all__ = ["BUILD_POSTS", "BUILD_QUESTIONS", "MAX_QUESTIONS", "SEED_MAX", "Quiz", "QuizImpossible", "QuizPage", "draw_quiz", "eligible_posts", "new_seed", "quiz_data", "quiz_seed"]
