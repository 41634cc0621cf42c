"""一库: question bank quality checks (part of `anquan check`) and the 出题依据 report.

- near-duplicate stems: rapidfuzz normalised similarity ≥ 0.9 (after NFKC, punctuation and
  blanks removed), exact repeats reported as 重复;
- options of one question that are the same once normalised ("安全帽" / "安全帽。");
- every exam configured in exam_rules.yaml can be drawn from the bank;
- the laws and standards the questions cite (《…》 titles, GB/AQ/JT codes) with their counts.

The per-post minimum per type (settings.min_questions_per_type) is part of the core
coverage check (checks.coverage); answer keys are validated by the model on load.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..diagnostics import Diagnostics
from ..load import default_library
from ..load.yamlload import load_file
from ..model import Content, Question
from ..model.exam import DIFFICULTIES, KIND_SHORT, PASS_MARKS, TYPE_ORDER
from ..model.papers import ExamImpossible, plan_paper
from ..paths import display as _display
from .where import where

SIMILARITY = 0.9
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_BLANK = re.compile(r"[（(]\s*[）)]")
_TITLE = re.compile(r"《([^《》]{2,60})》")
# GB 6441-1986, GB/T 9704-2012, JT/T 1178.2-2019, AQ 3013-2008, GB 50016
_STANDARD = re.compile(r"\b((?:GB|GBZ|AQ|JT|JTG|JGJ|SY|HG|DB\d{2})(?:/T|/Z)?\s?\d+(?:\.\d+)*(?:[-—–]\d{4})?)")


def normalise(text: str) -> str:
    """The text compared for duplicates: NFKC, answer blanks, punctuation and spaces removed."""
    text = unicodedata.normalize("NFKC", text)
    text = _BLANK.sub("", text)
    return _NON_WORD.sub("", text).lower()


@dataclass
class Place:
    display: str
    line: int
    column: int


def question_places(content: Content) -> dict[str, Place]:
    """Where each question id is written (file, line), for messages."""
    folders = [content.root / "questions"]
    lib = default_library(content.root)
    if lib is not None:
        folders.append(lib / "questions")
    places: dict[str, Place] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix not in (".yaml", ".yml"):
                continue
            located, _ = load_file(path, str(path))
            if located is None or not isinstance(located.data, dict):
                continue
            qs = located.data.get("questions")
            if not isinstance(qs, list):
                continue
            display = _display(path)
            for i, q in enumerate(qs):
                if isinstance(q, dict) and isinstance(q.get("id"), str):
                    line, col = located.where(("questions", i, "id"))
                    places.setdefault(q["id"], Place(display, line, col))
    return places


def _where(places: dict[str, Place], content: Content, qid: str) -> tuple[str, tuple[int, int]]:
    p = places.get(qid)
    if p is None:
        return str(content.root / "questions"), (1, 1)
    return p.display, (p.line, p.column)


def similar_stems(questions: list[Question], threshold: float = SIMILARITY) -> list[tuple[Question, Question, float]]:
    """Pairs of questions whose normalised stems are at least `threshold` similar (0–1)."""
    from rapidfuzz import fuzz, process

    stems = [normalise(q.stem) for q in questions]
    if len(stems) < 2:
        return []
    pairs = []
    for i, stem in enumerate(stems[:-1]):
        later = stems[i + 1:]
        for _, score, k in process.extract(stem, later, scorer=fuzz.ratio, score_cutoff=threshold * 100, limit=None):
            pairs.append((questions[i], questions[i + 1 + k], float(score) / 100))
    pairs.sort(key=lambda t: (t[0].id, t[1].id))
    return pairs


def check_stems(content: Content, diags: Diagnostics) -> None:
    places = question_places(content)
    for a, b, score in similar_stems(content.questions):
        display, pos = _where(places, content, b.id)
        other, opos = _where(places, content, a.id)
        if normalise(a.stem) == normalise(b.stem):
            msg = f"题目“{b.id}”与“{a.id}”（{other} 第 {opos[0]} 行）题干重复，请删除其中一道或改写"
        else:
            msg = f"题目“{b.id}”与“{a.id}”（{other} 第 {opos[0]} 行）题干高度相似（相似度 {score:.0%}），请确认是否重复"
        diags.warning(display, ("questions",), msg, line_col=pos)


def check_options(content: Content, diags: Diagnostics) -> None:
    places = question_places(content)
    for q in content.questions:
        seen: dict[str, int] = {}
        for i, opt in enumerate(q.options):
            key = normalise(opt)
            if not key:
                display, pos = _where(places, content, q.id)
                diags.warning(display, ("questions",), f"题目“{q.id}”的选项 {'ABCDEFGH'[i]} 只有标点或空白", line_col=pos)
            elif key in seen:
                display, pos = _where(places, content, q.id)
                diags.warning(
                    display, ("questions",),
                    f"题目“{q.id}”的选项 {'ABCDEFGH'[seen[key]]}“{q.options[seen[key]]}”与选项 {'ABCDEFGH'[i]}“{opt}”实质相同",
                    line_col=pos,
                )
            else:
                seen[key] = i


def check_exam_rules(content: Content, diags: Diagnostics) -> None:
    """Every paper listed in exam_rules.yaml can be drawn from the bank as it is."""
    rules = content.extras.get("exam_rules")
    if rules is None:
        return
    display = content.sources.get("exam_rules", str(content.root / "exam_rules.yaml"))
    year = content.build_date.year
    if rules.papers and rules.first_exam_year is None and len({p.post for p in rules.papers} - set(rules.post_first_exam_year)) > 0:
        diags.warning(display, ("first_exam_year",), line_col=where(content, display, ()), message="没有填写 first_exam_year（本企业第一年组织全员考试的年份）：无法判断今年应出首次考试、年终考试还是第二年起的试卷，papers 中列出的试卷全部生成；请填写，构建只生成当年适用的试卷")
    if "consequences" not in rules.model_fields_set and rules.papers:
        diags.warning(display, ("consequences",), line_col=where(content, display, ()), message=f"没有填写 consequences（考试不合格的处理）：试卷和答案按默认写“{rules.consequences.fail}；{rules.consequences.resit_fail}”；请按本企业制度填写 fail 和 resit_fail（制度没有规定的写 null）")
    for i, paper in enumerate(rules.papers):
        if content.enterprise.post(paper.post) is None or rules.spec(paper.kind) is None:
            continue  # reported by the loader hook
        if rules.applies(paper, year) is False:
            diags.warning(display, ("papers", i), _not_this_year(rules, paper, year), line_col=where(content, display, ("papers", i)))
            continue
        try:
            plan_paper(content, rules, paper.post, paper.kind, paper.seed)
        except ExamImpossible as exc:
            diags.warning(display, ("papers", i), f"试卷 {paper.post}-{paper.kind}-{paper.seed} 无法按规则组卷：" + "；".join(exc.problems),
                          line_col=where(content, display, ("papers", i)))


def _not_this_year(rules, paper, year: int) -> str:
    first = rules.first_year(paper.post)
    name = f"试卷 {paper.post}-{paper.kind}-{paper.seed}（{KIND_SHORT[paper.kind]}，{PASS_MARKS[paper.kind]} 分及格）"
    field = "post_first_exam_year" if paper.post in rules.post_first_exam_year else "first_exam_year"
    if year < first:
        why = f"{year} 年还没有开始考试（{field}: {first}）"
    elif year == first:
        why = f"{year} 年是第一年考试（{field}: {first}），第一年只考首次考试（60 分）和年终考试（70 分）"
    else:
        why = f"{year} 年已是第 {year - first + 1} 年考试（{field}: {first}），第二年起的考试 80 分及格"
    return f"{name}今年不适用：{why}；构建不生成这份试卷"


@dataclass
class Citation:
    name: str
    questions: list[str] = field(default_factory=list)


def cited(basis: str) -> list[str]:
    """The laws (《…》) and standards (GB/T 9704-2012 …) a basis names."""
    names = [f"《{t}》" for t in _TITLE.findall(basis)]
    for code in _STANDARD.findall(unicodedata.normalize("NFKC", basis)):
        code = re.sub(r"\s+", " ", code).replace("—", "-").replace("–", "-")
        if not any(code in n for n in names):
            names.append(code)
    return list(dict.fromkeys(names))


def basis_report(questions: list[Question]) -> tuple[list[Citation], list[str]]:
    """Laws and standards cited, most cited first; and the ids of questions citing none."""
    by_name: dict[str, Citation] = {}
    without: list[str] = []
    for q in questions:
        names = cited(q.basis or "")
        if not names:
            without.append(q.id)
        for n in names:
            by_name.setdefault(n, Citation(n)).questions.append(q.id)
    ordered = sorted(by_name.values(), key=lambda c: (-len(c.questions), c.name))
    return ordered, without


def bank_summary(content: Content) -> dict:
    """Counts by type, difficulty and post: what `anquan bank` prints."""
    qs = content.questions
    per_post = []
    for p in content.posts:
        own = content.post_questions(p.id)
        per_post.append({
            "id": p.id, "name": p.name,
            "by_type": {t: sum(1 for q in own if q.type == t) for t in TYPE_ORDER},
            "total": len(own),
        })
    citations, without = basis_report(qs)
    return {
        "total": len(qs),
        "general": sum(1 for q in qs if q.general),
        "by_type": {t: sum(1 for q in qs if q.type == t) for t in TYPE_ORDER},
        "by_difficulty": {d: sum(1 for q in qs if q.difficulty == d) for d in DIFFICULTIES},
        "posts": per_post,
        "citations": [{"name": c.name, "count": len(c.questions), "questions": c.questions} for c in citations],
        "without_basis": without,
    }


__all__ = ["basis_report", "bank_summary", "cited", "normalise", "similar_stems", "question_places"]
