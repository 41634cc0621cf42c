"""凡查必考: the on-site quiz (PDF, Typst): M key posts × N questions from the enterprise's own
bank, one page per person with the seed printed, then the inspector's key.

Every build makes the quiz of the build year (`regulator/quiz.pdf`, its seed fixed per enterprise
and year); `anquan quiz --seed N` draws another into the records folder. The quiz is for the
inspector: the enterprise's site does not offer it for download (the key is in it).
"""

from __future__ import annotations

from pathlib import Path

from ..checks.regulator.quiz import BUILD_POSTS, BUILD_QUESTIONS, QuizImpossible, draw_quiz, quiz_data, quiz_seed
from ..model import Content
from ..render import typst
from ..render.fonts import fonts
from .base import BuildContext, Job, Output

QUIZ_TEMPLATES = ["typst/quiz.typ", "typst/common.typ"]


def quiz_pdf(content: Content, seed: int, posts: int = BUILD_POSTS, questions: int = BUILD_QUESTIONS) -> bytes:
    """M key posts × N questions, one page per person, then the key (raises QuizImpossible)."""
    data = quiz_data(content, draw_quiz(content, seed, posts, questions))
    return typst.render(
        "typst/quiz.typ", data, title=f"{content.enterprise.name}{data['title']}（抽题种子 {seed}）",
        date=content.build_date, author=content.enterprise.name, font_set=fonts(content),
        subject=f"抽题种子 {seed}", keywords=["凡查必考", "现场抽考"],
    ).pdf


def jobs(content: Content) -> list[Job]:
    seed = quiz_seed(content)
    try:
        data = quiz_data(content, draw_quiz(content, seed, BUILD_POSTS, BUILD_QUESTIONS))
    except QuizImpossible:
        return []  # no key post has questions: `anquan check` reports the bank (questions per post)

    def render(dest: Path, ctx: BuildContext) -> None:
        dest.write_bytes(quiz_pdf(ctx.content, seed))

    sources = [content.sources.get("enterprise", "enterprise.yaml")]
    key = {"quiz": data, "fonts": fonts(content).key(), "engine": typst.version(), "date": str(content.build_date)}
    return [Job("regulator/quiz.pdf", "quiz", key, render, templates=QUIZ_TEMPLATES, sources=sources)]


OUTPUT = Output("quiz", ("quiz",), jobs, typst.warm_up, title="凡查必考现场抽考试卷")
