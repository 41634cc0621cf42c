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
    folders = [content.root / "questions"] + [pack / "questions" for pack in content.library_packs]
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
        return _display(content.root / "questions"), (0, 0)  # a folder: no line
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


# ------------------------------------------------------------------ 出题依据, by class

BASIS_CLASSES: tuple[str, ...] = ("法律", "法规", "规章", "规范性文件", "国家标准", "行业标准", "地方标准", "企业制度", "SDS", "其他")
# a basis names a law or a standard unless it is only the enterprise's own rules (or unclassified)
EXTERNAL = frozenset(BASIS_CLASSES) - {"企业制度", "其他"}
# 安监总管三〔2017〕121号, 财资〔2022〕136号, 安委办[2016]11号 (a 规范性文件's number)
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,16}[〔［\[（(]\d{4}[〕］\]）)]\d+号")
_ORDER = re.compile(r"[\u4e00-\u9fff]{1,16}令(?:第[\d一二三四五六七八九十百]+号)?")  # 应急管理部令第10号, 国家安全监管总局令第30号
_CODE = re.compile(r"\b((?:GBZ|GB|AQ|JTG|JT|JGJ|SY|HG|DL|MT|WS|SH|TSG|CJJ|XF|GA)(?:/T|/Z)?\s?[A-Z]?\d+(?:\.\d+)*(?:[-—–]\d{4})?|DB\d{2}(?:/T)?\s?\d+(?:\.\d+)*(?:[-—–]\d{4})?)")
_SPLIT = re.compile(r"[；;]")
_OWN_WORDS = ("岗位作业流程标准", "安全风险告知卡", "安全检查卡片", "安全检查表册", "安全风险点名册", "现场处置方案",
              "操作规程", "管理制度", "安全制度", "设备描述", "培训计划", "风险分级标准")
_OWN_PREFIX = ("公司", "本公司", "本企业", "本单位", "企业内部")
_SDS_WORDS = ("安全技术说明书", "SDS", "MSDS", "化学品安全标签")


@dataclass
class Citation:
    name: str
    kind: str = "其他"
    questions: list[str] = field(default_factory=list)
    code: str = ""  # the standard's code without its year (GB 9448), which identifies it however written


def _code(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).replace("—", "-").replace("–", "-")


def _code_base(code: str) -> str:
    """GB 9448-1999 → GB 9448: one standard, whichever edition or form a basis names."""
    return re.sub(r"-\d{4}$", "", _code(code))


def _code_class(code: str) -> str:
    if code.startswith(("GB", "GBZ")):
        return "国家标准"
    if code.startswith("DB"):
        return "地方标准"
    if code.startswith("TSG"):
        return "规范性文件"  # 特种设备安全技术规范, issued by the regulator
    return "行业标准"


def _title_class(title: str) -> str:
    bare = re.sub(r"[（(][^）)]*[）)]$", "", title)
    if bare.endswith("法") and not bare.endswith(("办法", "方法", "评价法")):
        return "法律"
    if bare.endswith("条例"):
        return "法规"
    if bare.endswith(("规定", "办法", "规则", "名录")):
        return "规章"
    if bare.endswith(("通知", "意见", "方案", "细则", "指南", "决定", "通告", "公告", "标准", "要求")):
        return "规范性文件"
    return "其他"


def _own(text: str, own: tuple[str, ...]) -> bool:
    """The enterprise's own rules: 公司…, 本企业…, a policy of its own, a post document."""
    t = text.strip("《》 ")
    return (t.startswith(_OWN_PREFIX) or any(o and o in t for o in own)
            or any(w in t for w in _OWN_WORDS) or t.endswith("制度"))


def classify(basis: str, own: tuple[str, ...] = ()) -> list[Citation]:
    """The documents a basis names, each with its class (法律 … 企业制度, SDS). A title and the code
    or number in the brackets beside it are one document: 《危险货物道路运输规则》（JT/T 617），
    GB 9448-1999《焊接与切割安全》, 《…办法》（财资〔2022〕136号）. `own` lists the enterprise's own
    document titles and names (its policies, its name), which make a basis 企业制度."""
    out: list[Citation] = []
    for part in _SPLIT.split(basis.replace("(", "（").replace(")", "）")):
        part = part.strip()
        if not part:
            continue
        found: list[Citation] = []
        titles = list(_TITLE.finditer(part))
        for m in titles:
            title = m.group(1)
            after = part[m.end(): m.end() + 40]
            bracket = after[: after.index("）") + 1] if after.startswith("（") and "）" in after else ""
            before = part[max(0, m.start() - 30): m.start()].rstrip()
            codes_before = _CODE.findall(before)
            code = (_CODE.findall(bracket) or ([codes_before[-1]] if codes_before and before.endswith(codes_before[-1].strip()) else []))
            name = f"《{title}》"
            if (_own(title, own) or before.endswith(_OWN_PREFIX) or any(o and before.endswith(o) for o in own)) and not code:
                kind = "企业制度"
            elif any(w in title for w in _SDS_WORDS):
                kind = "SDS"
            elif code:
                kind = _code_class(code[0])
                name = f"《{title}》（{_code(code[0])}）"
                found.append(Citation(name, kind, code=_code_base(code[0])))
                continue
            elif order := _ORDER.search(bracket):
                kind = "规章"
                name = f"《{title}》（{order.group(0)}）"
            elif number := _DOC_NUMBER.search(bracket):
                kind = "规范性文件"
                name = f"《{title}》（{number.group(0)}）"
            else:
                kind = _title_class(title)
            found.append(Citation(name, kind))
        rest = part
        for m in titles:
            rest = rest.replace(m.group(0), " ")
        # codes and numbers not beside a title
        for c in _CODE.findall(rest):
            c = _code(c)
            if not any(f.code == _code_base(c) for f in found):
                found.append(Citation(c, _code_class(c), code=_code_base(c)))
        for n in _DOC_NUMBER.findall(rest):
            if not any(f"（{n}）" in part[m.end():m.end() + 40] for m in titles):
                found.append(Citation(n, "规范性文件"))
        if not found:
            text = re.sub(r"\s+", " ", part)
            if any(w in text for w in _SDS_WORDS):
                found.append(Citation(text, "SDS"))
            elif _own(text, own):
                found.append(Citation(text, "企业制度"))
            else:
                found.append(Citation(text, "其他"))
        out.extend(found)
    seen: dict[str, Citation] = {}
    for c in out:
        seen.setdefault(c.name, c)
    return list(seen.values())


def cited(basis: str, own: tuple[str, ...] = ()) -> list[str]:
    """The laws, regulations, standards and documents a basis names (not the enterprise's own rules)."""
    return [c.name for c in classify(basis, own) if c.kind in EXTERNAL]


def own_titles(content: Content) -> tuple[str, ...]:
    """What makes a basis 企业制度 for this enterprise: its name, short name and policy titles."""
    ent = content.enterprise
    return tuple(t for t in (ent.name, ent.short_name, *(p.title for p in content.policies.values())) if t)


def basis_report(questions: list[Question], own: tuple[str, ...] = ()) -> tuple[list[Citation], list[str]]:
    """Every document cited, with its class, by class and then most cited first; and the ids of the
    questions citing no law, regulation or standard (only the enterprise's own rules, or nothing)."""
    by_key: dict[str, Citation] = {}
    without: list[str] = []
    for q in questions:
        found = classify(q.basis or "", own)
        if not any(c.kind in EXTERNAL for c in found):
            without.append(q.id)
        for c in found:
            entry = by_key.setdefault(c.code or c.name, Citation(c.name, c.kind, code=c.code))
            if len(c.name) > len(entry.name):  # the fullest form: title and code with its year
                entry.name = c.name
            if q.id not in entry.questions:
                entry.questions.append(q.id)
    ordered = sorted(by_key.values(), key=lambda c: (BASIS_CLASSES.index(c.kind), -len(c.questions), c.name))
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
    citations, without = basis_report(qs, own_titles(content))
    return {
        "total": len(qs),
        "general": sum(1 for q in qs if q.general),
        "by_type": {t: sum(1 for q in qs if q.type == t) for t in TYPE_ORDER},
        "by_difficulty": {d: sum(1 for q in qs if q.difficulty == d) for d in DIFFICULTIES},
        "posts": per_post,
        "citations": [{"name": c.name, "class": c.kind, "count": len(c.questions), "questions": c.questions} for c in citations],
        "by_class": {k: sum(1 for c in citations if c.kind == k) for k in BASIS_CLASSES if any(c.kind == k for c in citations)},
        "without_basis": without,
    }


__all__ = ["BASIS_CLASSES", "basis_report", "bank_summary", "cited", "classify", "normalise", "own_titles", "similar_stems", "question_places"]
