"""The question bank template (docs/题库导入模板.md) → a validated `QuestionBank`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..checks.bank import normalise
from ..diagnostics import Diagnostic
from ..model import GENERAL, Content, Question, QuestionBank
from ..model.base import id_from_code
from ..model.learning import BANK_HEADERS, BANK_SHEET, LETTERS, OPTION_HEADERS
from ..paths import display as _display
from .workbook import _SPLIT, WorkbookError, _text, post_lookup, problem, read_table

REQUIRED_BANK = ["题型", "题干", "答案", "知识点"]

# header spellings seen in offices' sheets -> canonical header
BANK_ALIASES = {
    "编号": "题号", "试题编号": "题号", "题目编号": "题号",
    "试题类型": "题型", "题目类型": "题型", "类型": "题型",
    "题目": "题干", "试题": "题干", "题目内容": "题干", "试题内容": "题干",
    "正确答案": "答案", "参考答案": "答案", "标准答案": "答案",
    "答案解析": "解析", "试题解析": "解析",
    "分数": "分值",
    "难易程度": "难度", "难易度": "难度",
    "题库": "题库/分类", "分类": "题库/分类", "题库分类": "题库/分类", "所属题库": "题库/分类",
    "考点": "知识点",
    "岗位": "适用岗位", "适用岗位工种": "适用岗位", "岗位工种": "适用岗位",
    "出题依据": "依据", "法规依据": "依据",
}
TYPE_ALIASES = {
    "单选": "单选", "单选题": "单选", "单项选择": "单选", "单项选择题": "单选",
    "多选": "多选", "多选题": "多选", "多项选择": "多选", "多项选择题": "多选",
    "判断": "判断", "判断题": "判断", "是非题": "判断",
}
DIFFICULTY_ALIASES = {
    "易": "易", "简单": "易", "容易": "易", "低": "易",
    "中": "中", "中等": "中", "一般": "中", "适中": "中",
    "难": "难", "困难": "难", "较难": "难", "高": "难",
}

_FIELD_HEADER = {
    "id": "题号", "type": "题型", "stem": "题干", "answer": "答案", "explanation": "解析",
    "knowledge_point": "知识点", "posts": "适用岗位", "difficulty": "难度", "basis": "依据", "options": "选项A",
}


def _pydantic_message(err: dict) -> str:
    from ..load.errors import _MESSAGES

    etype = err["type"]
    if etype in ("value_error", "assertion_error"):
        return str(err.get("ctx", {}).get("error", err["msg"]))
    if etype == "literal_error":
        return f"值“{err.get('input')}”不在允许范围内，只能是 {err.get('ctx', {}).get('expected', '')}".replace("'", "")
    msg = _MESSAGES.get(etype, err["msg"])
    if etype != "missing" and "input" in err and not isinstance(err["input"], (dict, list)):
        msg += f"，现为“{str(err['input'])[:30]}”"
    return msg


def _error_column(err: dict, columns: dict[str, int]) -> tuple[str, int]:
    loc = tuple(err.get("loc", ()))
    header = ""
    if loc and isinstance(loc[0], str):
        header = _FIELD_HEADER.get(loc[0], "")
        if loc[0] == "options" and len(loc) > 1 and isinstance(loc[1], int) and loc[1] < len(LETTERS):
            header = OPTION_HEADERS[loc[1]]
    else:
        msg = str(err.get("ctx", {}).get("error", err.get("msg", "")))
        header = "选项A" if "选项" in msg and "答案" not in msg else "答案"
    return header, columns.get(header, 0)


def read_bank(path: Path | str, content: Content | None = None, bank_id: str | None = None) -> tuple[QuestionBank | None, list[Diagnostic]]:
    """Read a question bank from the documented .xlsx template. The bank is None when any row is wrong."""
    path = Path(path)
    try:
        table = read_table(path, REQUIRED_BANK, BANK_HEADERS, BANK_ALIASES, BANK_SHEET)
    except WorkbookError as exc:
        return None, [Diagnostic.error(_display(path), 1, 1, "", str(exc))]
    diags = list(table.problems)
    if any(d.severity == "error" for d in diags) and not table.rows:
        return None, diags
    posts = post_lookup(content)
    prefix = bank_id or re.sub(r"[^a-z0-9_-]", "-", path.stem.lower()).strip("-_") or "q"
    # a question already in the enterprise's bank keeps its id (its exam records refer to it)
    known = {(q.type, normalise(q.stem)): q.id for q in content.questions} if content is not None else {}
    taken: set[str] = set()
    questions: list[Question] = []
    ids: dict[str, int] = {}
    title: str | None = None
    bad_rows = {d.line for d in diags if d.severity == "error"}
    for n, (r, cells) in enumerate(table.rows, start=1):
        def err(header: str, message: str) -> None:
            diags.append(problem(table.display, table.sheet, r, table.columns.get(header, 0), header, message))
            bad_rows.add(r)

        value = lambda h: _text(cells[h].value) if h in cells else None  # noqa: E731
        raw_type = value("题型")
        qtype = TYPE_ALIASES.get(re.sub(r"\s+", "", raw_type or ""))
        if raw_type is None:
            err("题型", "题型不能为空（单选、多选或判断）")
        elif qtype is None:
            err("题型", f"题型“{raw_type}”无法识别，应为 单选、多选 或 判断")
        options: list[str] = []
        gap: str | None = None
        for letter, header in zip(LETTERS, OPTION_HEADERS):
            opt = value(header)
            if opt is None:
                gap = gap or header
            elif gap is not None:
                err(gap, f"{gap}为空，但后面的{header}有内容：选项须从 A 开始连续填写")
                break
            else:
                options.append(opt)
        answer_cell = cells.get("答案")
        answer: Any = answer_cell.value if answer_cell else None
        if isinstance(answer, str):
            answer = answer.strip()
        if answer in (None, ""):
            err("答案", "答案不能为空")
        elif not isinstance(answer, bool):
            answer = _text(answer)
        difficulty = value("难度")
        if difficulty is not None:
            norm = DIFFICULTY_ALIASES.get(difficulty)
            if norm is None:
                err("难度", f"难度“{difficulty}”无法识别，应为 易、中 或 难")
            difficulty = norm
        post_ids: list[str] = []
        for token in [t for t in _SPLIT.split(value("适用岗位") or "") if t]:
            if token in (GENERAL, "全员"):
                post_ids.append(GENERAL)
            elif posts is None:
                post_ids.append(token)
            elif token in posts:
                post_ids.append(posts[token])
            else:
                known = "、".join(sorted({p.name for p in content.posts})) if content else ""
                err("适用岗位", f"岗位“{token}”不存在（可用：{known}，或写“通用”）")
        post_ids = list(dict.fromkeys(post_ids)) or [GENERAL]
        code = value("题号")
        if code is not None:
            if code in ids:
                err("题号", f"题号“{code}”与第 {ids[code]} 行重复")
            ids.setdefault(code, r)
        # the internal id: the 题号 when it is one, else the same question's id in the bank, else numbered
        qid = id_from_code(code) if code is not None else known.get((qtype, normalise(value("题干") or "")))
        if qid is None or qid in taken:
            qid = f"{prefix}-{n:03d}"
        taken.add(qid)
        title = title or value("题库/分类")
        if r in bad_rows:
            continue
        data = {
            "id": qid, "code": code, "type": qtype, "stem": value("题干"), "options": options if qtype != "判断" else [],
            "answer": answer, "explanation": value("解析"), "knowledge_point": value("知识点"),
            "posts": post_ids, "basis": value("依据"),
        }
        if qtype == "判断" and options:
            err("选项A", "判断题不填选项（答案写 正确/错误）")
            continue
        if difficulty:
            data["difficulty"] = difficulty
        try:
            questions.append(Question.model_validate(data))
        except ValidationError as exc:
            for e in exc.errors(include_url=False):
                header, _ = _error_column(e, table.columns)
                if e["type"] == "missing" or (e["type"] == "string_type" and e.get("input") is None):
                    err(header, f"“{header}”不能为空")
                else:
                    err(header, _pydantic_message(e))
    if any(d.severity == "error" for d in diags):
        return None, diags
    if not questions:
        diags.append(problem(table.display, table.sheet, table.header_row, 0, "", "表头下面没有题目"))
        return None, diags
    return QuestionBank(id=bank_id, title=title, questions=questions), diags


# ------------------------------------------------------------------ writing
