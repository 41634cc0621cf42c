"""Excel in and out (openpyxl): the question bank template, score sheets, ledger and checklist exports.

Every problem in a workbook names the sheet, the row and the column (letter and header) in
Chinese. Formulas and merged cells are reported, never read silently: a formula's cached value
may be stale or absent, and a merged cell leaves the rows below it empty.

The bank template is documented in docs/题库导入模板.md.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from pydantic import ValidationError

from .diagnostics import Diagnostic
from .model import GENERAL, Checklist, Content, Question, QuestionBank
from .model.learning import LETTERS

BANK_SHEET = "题库"
CITATION_SHEET = "出题依据"
OPTION_HEADERS = [f"选项{c}" for c in LETTERS]
BANK_HEADERS = ["题号", "题型", "题干", *OPTION_HEADERS, "答案", "解析", "分值", "难度", "题库/分类", "知识点", "适用岗位", "依据"]
REQUIRED_BANK = ["题型", "题干", "答案", "知识点"]
SCORE_HEADERS = ["姓名", "岗位", "分数", "考试日期"]

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
SCORE_ALIASES = {"成绩": "分数", "得分": "分数", "考试成绩": "分数", "日期": "考试日期", "考核日期": "考试日期", "岗位名称": "岗位", "工种": "岗位"}
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
_SPLIT = re.compile(r"[、,，;；/\s]+")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class WorkbookError(Exception):
    """The file cannot be opened as a workbook at all."""


@dataclass
class Cell:
    row: int
    column: int
    header: str
    value: Any


def col_letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def _display(path: Path) -> str:
    rel = os.path.relpath(path)
    return str(path) if rel.startswith("..") else rel


def problem(display: str, sheet: str, row: int, column: int, header: str, message: str, severity: str = "error") -> Diagnostic:
    """A workbook diagnostic: file, row as line, column number; the message names sheet, row and column."""
    where = f"工作表“{sheet}”第 {row} 行"
    if column:
        where += f" {col_letter(column)} 列" + (f"（{header}）" if header else "")
    return Diagnostic(severity, display, row, column or 1, "", f"{where}：{message}")


def _header_name(value: Any, aliases: dict[str, str]) -> str:
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    text = re.sub(r"\s+", "", text)
    m = re.fullmatch(r"(?:选项)?([A-Ha-h])(?:选项)?", text)
    if m:
        return f"选项{m.group(1).upper()}"
    return aliases.get(text, text)


def open_sheet(path: Path, preferred: str | None = None):
    """(workbook, worksheet) in full mode (merged cells and formulas visible)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(path, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise WorkbookError(f"无法读取 {_display(path)}：不是有效的 .xlsx 文件（{type(exc).__name__}）。请在 Excel/WPS 中另存为“Excel 工作簿 (*.xlsx)”") from exc
    ws = wb[preferred] if preferred and preferred in wb.sheetnames else wb.worksheets[0]
    return wb, ws


@dataclass
class Table:
    """The data rows of one sheet with their header, ready to read cell by cell."""

    display: str
    sheet: str
    header_row: int
    columns: dict[str, int]  # canonical header -> column number
    rows: list[tuple[int, dict[str, Cell]]]
    problems: list[Diagnostic]


def read_table(path: Path, required: list[str], known: list[str], aliases: dict[str, str], preferred_sheet: str | None = None) -> Table:
    """Find the header row (within the first 10), report merged cells and formulas, collect rows."""
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    display = _display(path)
    _, ws = open_sheet(path, preferred_sheet)
    problems: list[Diagnostic] = []
    header_row = 0
    columns: dict[str, int] = {}
    for r in range(1, min(ws.max_row, 10) + 1):
        names = {_header_name(ws.cell(r, c).value, aliases): c for c in range(1, ws.max_column + 1) if ws.cell(r, c).value not in (None, "")}
        if all(h in names for h in required[:2]):
            header_row, columns = r, {}
            for name, c in names.items():
                columns.setdefault(name, c)
            break
    if not header_row:
        problems.append(problem(display, ws.title, 1, 0, "", f"找不到表头行：前 10 行中应有一行包含列名 {'、'.join(required)}（见 docs/题库导入模板.md）"))
        return Table(display, ws.title, 0, {}, [], problems)
    for name in required:
        if name not in columns:
            problems.append(problem(display, ws.title, header_row, 0, "", f"缺少必填列“{name}”（表头在第 {header_row} 行）"))
    for name, c in sorted(columns.items(), key=lambda kv: kv[1]):
        if name not in known:
            problems.append(problem(display, ws.title, header_row, c, str(ws.cell(header_row, c).value), "未识别的列，已忽略", "warning"))
    merged_cells: set[tuple[int, int]] = set()
    for rng in sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        if rng.max_row < header_row:
            continue  # a merged title above the header is fine
        header = _column_header(columns, rng.min_col)
        problems.append(problem(
            display, ws.title, rng.min_row, rng.min_col, header,
            f"合并单元格 {rng.coord}：请取消合并，并在每一行填写完整的值（合并后只有第一行有值，其余行会被读成空白）",
        ))
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                merged_cells.add((r, c))
    rows: list[tuple[int, dict[str, Cell]]] = []
    wanted = {name: c for name, c in columns.items() if name in known}
    for r in range(header_row + 1, ws.max_row + 1):
        cells: dict[str, Cell] = {}
        blank = True
        for name, c in wanted.items():
            cell = ws.cell(r, c)
            value = cell.value
            if cell.data_type == "f" or isinstance(value, (ArrayFormula, DataTableFormula)):
                text = value.text if isinstance(value, ArrayFormula) else str(value)
                problems.append(problem(display, ws.title, r, c, name, f"单元格是公式“{text[:40]}”：请改为直接填写的值（复制后“选择性粘贴 → 数值”）"))
                value = None
                blank = False
            elif isinstance(value, str):
                value = unicodedata.normalize("NFC", value).strip() or None
            if value is not None:
                blank = False
            cells[name] = Cell(r, c, name, value)
        if blank and not any((r, c) in merged_cells for c in wanted.values()):
            continue
        rows.append((r, cells))
    return Table(display, ws.title, header_row, columns, rows, problems)


def _column_header(columns: dict[str, int], col: int) -> str:
    return next((name for name, c in columns.items() if c == col), "")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        value = value.strftime("%Y-%m-%d")
    text = str(value).strip()
    return text or None


# ------------------------------------------------------------------ bank import


def post_lookup(content: Content | None) -> dict[str, str] | None:
    """Post names and ids -> post id (None when no enterprise is given)."""
    if content is None:
        return None
    out: dict[str, str] = {}
    for p in content.posts:
        out[p.id] = p.id
        out.setdefault(p.name, p.id)
    return out


_FIELD_HEADER = {
    "id": "题号", "type": "题型", "stem": "题干", "answer": "答案", "explanation": "解析",
    "knowledge_point": "知识点", "posts": "适用岗位", "difficulty": "难度", "basis": "依据", "options": "选项A",
}


def _pydantic_message(err: dict) -> str:
    from .errors import _MESSAGES

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
        qid = value("题号")
        if qid is None:
            qid = f"{prefix}-{n:03d}"
        if qid in ids:
            err("题号", f"题号“{qid}”与第 {ids[qid]} 行重复")
        ids.setdefault(qid, r)
        title = title or value("题库/分类")
        if r in bad_rows:
            continue
        data = {
            "id": qid, "type": qtype, "stem": value("题干"), "options": options if qtype != "判断" else [],
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


def _workbook(date: dt.date):
    from openpyxl import Workbook

    wb = Workbook()
    stamp = dt.datetime(date.year, date.month, date.day)
    wb.properties.creator = "anquan"
    wb.properties.lastModifiedBy = "anquan"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    return wb


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return _ILLEGAL.sub("", value)
    return value


def _put(ws, row: int, column: int, value: Any):
    """Write a value as data: text starting with "=" stays text, never becomes a formula."""
    cell = ws.cell(row, column)
    cell.value = _clean(value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"
    return cell


def _style_sheet(ws, headers: list[str], widths: dict[str, float], header_row: int = 1) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="999999")
    for c, name in enumerate(headers, start=1):
        cell = ws.cell(header_row, c)
        cell.font = Font(bold=True, name="宋体")
        cell.fill = PatternFill("solid", fgColor="DDE4F0")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
        ws.column_dimensions[get_column_letter(c)].width = widths.get(name, 12)
    for row in ws.iter_rows(min_row=header_row + 1, max_row=ws.max_row, max_col=len(headers)):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    ws.freeze_panes = ws.cell(header_row + 1, 1)


def fixed_zip(data: bytes, date: dt.date) -> bytes:
    """Rewrite an OOXML zip with one fixed timestamp and order, so the same input gives the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0)
    names = src.namelist()
    first = [n for n in names if n == "[Content_Types].xml"]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in first + sorted(n for n in names if n not in first):
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            body = src.read(name)
            if name == "docProps/core.xml":
                # openpyxl stamps "modified" with the current time when it saves: use the build date
                iso = f"{stamp[0]:04d}-{stamp[1]:02d}-{stamp[2]:02d}T00:00:00Z".encode()
                body = re.sub(rb"(<dcterms:(?:modified|created)[^>]*>)[^<]*(<)", rb"\g<1>" + iso + rb"\g<2>", body)
            dst.writestr(info, body)
    return out.getvalue()


def save_workbook(wb, dest: Path, date: dt.date) -> None:
    buf = io.BytesIO()
    wb.save(buf)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(fixed_zip(buf.getvalue(), date))


def post_names(content: Content, ids: Iterable[str]) -> str:
    names = []
    for pid in ids:
        post = content.enterprise.post(pid)
        names.append(GENERAL if pid == GENERAL else (post.name if post else pid))
    return "、".join(names)


def bank_workbook(content: Content, questions: list[Question], title: str | None = None):
    """The bank in the template's layout (sheet 题库) plus the laws cited (sheet 出题依据)."""
    from .bank import basis_report

    wb = _workbook(content.build_date)
    ws = wb.active
    ws.title = BANK_SHEET
    for c, h in enumerate(BANK_HEADERS, start=1):
        ws.cell(1, c, h)
    col = {h: i for i, h in enumerate(BANK_HEADERS, start=1)}
    for r, q in enumerate(questions, start=2):
        _put(ws, r, col["题号"], q.id)
        _put(ws, r, col["题型"], q.type)
        _put(ws, r, col["题干"], q.stem)
        for i, opt in enumerate(q.options):
            _put(ws, r, col[OPTION_HEADERS[i]], opt)
        _put(ws, r, col["答案"], q.answer_text)
        _put(ws, r, col["解析"], q.explanation)
        _put(ws, r, col["难度"], q.difficulty)
        _put(ws, r, col["题库/分类"], title)
        _put(ws, r, col["知识点"], q.knowledge_point)
        _put(ws, r, col["适用岗位"], post_names(content, q.posts))
        _put(ws, r, col["依据"], q.basis)
    widths = {"题干": 48, "解析": 36, "依据": 28, "知识点": 16, "适用岗位": 18, "题库/分类": 16, "题号": 12, **{h: 18 for h in OPTION_HEADERS}}
    _style_sheet(ws, BANK_HEADERS, widths)
    cites, without = basis_report(questions)
    ws2 = wb.create_sheet(CITATION_SHEET)
    heads = ["序号", "法规或标准", "题目数", "题号"]
    for c, h in enumerate(heads, start=1):
        ws2.cell(1, c, h)
    r = 1
    for r, cite in enumerate(cites, start=2):
        _put(ws2, r, 1, r - 1)
        _put(ws2, r, 2, cite.name)
        _put(ws2, r, 3, len(cite.questions))
        _put(ws2, r, 4, "、".join(cite.questions))
    if without:
        r += 1
        _put(ws2, r, 2, "未注明法规或标准依据")
        _put(ws2, r, 3, len(without))
        _put(ws2, r, 4, "、".join(without))
    _style_sheet(ws2, heads, {"序号": 6, "法规或标准": 40, "题目数": 8, "题号": 60})
    return wb


def hazards_workbook(content: Content):
    """隐患台账: one row a hazard, with the 五定 and the days overdue on the build date."""
    wb = _workbook(content.build_date)
    ws = wb.active
    ws.title = "隐患台账"
    heads = ["序号", "隐患编号", "发现日期", "来源", "部位/场所", "隐患描述", "等级", "责任部门", "对应检查项",
             "整改责任人", "整改措施", "资金（万元）", "整改时限", "应急预案", "状态", "销号日期", "验收人", "挂牌督办", "超期天数"]
    for c, h in enumerate(heads, start=1):
        ws.cell(1, c, h)
    ent = content.enterprise
    for r, h in enumerate(content.hazards.hazards, start=2):
        dep = ent.department(h.department) if h.department else None
        values = [r - 1, h.id, h.found, h.source, h.place, h.description, h.grade, dep.name if dep else (h.department or ""),
                  h.check_item or "", h.five_fixed.responsible, h.five_fixed.measures, h.five_fixed.funds_wan,
                  h.five_fixed.deadline, h.five_fixed.plan or "", h.status, h.closed, h.verifier or "",
                  "是" if h.supervised else "否", h.days_overdue(content.build_date) or None]
        for c, v in enumerate(values, start=1):
            cell = _put(ws, r, c, v)
            if isinstance(v, dt.date):
                cell.number_format = "yyyy-mm-dd"
    _style_sheet(ws, heads, {"隐患描述": 36, "整改措施": 36, "部位/场所": 18, "应急预案": 24, "对应检查项": 16, "发现日期": 12, "整改时限": 12, "销号日期": 12})
    return wb


def checklist_workbook(content: Content, cl: Checklist):
    """One checklist as a printable sheet: title, level, then one row an item with blank result columns."""
    from openpyxl.styles import Alignment, Font

    wb = _workbook(content.build_date)
    ws = wb.active
    ws.title = cl.level_title[:31]
    heads = ["序号", "编号", "检查类别", "检查内容", "检查依据", "检查方法", "检查频次", "责任层级", "重大隐患判定", "检查结果", "备注"]
    ws.cell(1, 1, f"{content.enterprise.name} {cl.title}")
    ws.cell(1, 1).font = Font(bold=True, size=14, name="黑体")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(heads))
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    where = []
    if cl.department and (dep := content.enterprise.department(cl.department)):
        where.append(f"部门：{dep.name}")
    if cl.post and (post := content.enterprise.post(cl.post)):
        where.append(f"岗位：{post.name}")
    ws.cell(2, 1, "　".join([f"层级：{cl.level_title}", *where, "检查人：＿＿＿＿", "检查日期：＿＿＿＿"]))
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(heads))
    for c, h in enumerate(heads, start=1):
        ws.cell(3, c, h)
    for r, it in enumerate(cl.items, start=4):
        for c, v in enumerate([r - 3, it.id, it.category, it.content, it.basis, it.method, it.frequency, it.responsible, "是" if it.major else "", None, None], start=1):
            _put(ws, r, c, v)
    _style_sheet(ws, heads, {"检查内容": 40, "检查依据": 28, "检查方法": 14, "检查结果": 14, "备注": 14}, header_row=3)
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    return wb


def export_all(content: Content, out_dir: Path) -> list[Path]:
    """`anquan export`: the bank, the hazard ledger and each checklist, as .xlsx under out_dir."""
    written = []
    if content.questions:
        p = out_dir / "question-bank.xlsx"
        save_workbook(bank_workbook(content, content.questions, f"{content.enterprise.short_name}安全生产知识考试题库"), p, content.build_date)
        written.append(p)
    p = out_dir / "hazards.xlsx"
    save_workbook(hazards_workbook(content), p, content.build_date)
    written.append(p)
    for cid, cl in sorted(content.checklists.items()):
        p = out_dir / f"checklist-{cid}.xlsx"
        save_workbook(checklist_workbook(content, cl), p, content.build_date)
        written.append(p)
    return written


# ------------------------------------------------------------------ scores


@dataclass
class ScoreRow:
    row: int
    name: str
    post: str  # post id
    score: float
    date: dt.date


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = _DATE_TEXT.match(str(value).strip())
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def read_scores(path: Path | str, content: Content) -> tuple[list[ScoreRow], list[Diagnostic]]:
    """Scores, one row a person: 姓名 | 岗位 | 分数 | 考试日期."""
    path = Path(path)
    try:
        table = read_table(path, SCORE_HEADERS, SCORE_HEADERS, SCORE_ALIASES)
    except WorkbookError as exc:
        return [], [Diagnostic.error(_display(path), 1, 1, "", str(exc))]
    diags = list(table.problems)
    posts = post_lookup(content) or {}
    rows: list[ScoreRow] = []
    seen: dict[tuple[str, str], int] = {}
    for r, cells in table.rows:
        bad = False

        def err(header: str, message: str) -> None:
            nonlocal bad
            diags.append(problem(table.display, table.sheet, r, table.columns.get(header, 0), header, message))
            bad = True

        name = _text(cells["姓名"].value) if "姓名" in cells else None
        if not name:
            err("姓名", "姓名不能为空")
        post_text = _text(cells["岗位"].value) if "岗位" in cells else None
        post_id = posts.get(post_text or "")
        if not post_text:
            err("岗位", "岗位不能为空")
        elif post_id is None:
            err("岗位", f"岗位“{post_text}”不存在（可用：{'、'.join(p.name for p in content.posts)}）")
        raw = cells["分数"].value if "分数" in cells else None
        score: float | None = None
        if raw is None:
            err("分数", "分数不能为空（缺考请写 0 并在备注说明）")
        else:
            try:
                score = float(str(raw).strip().removesuffix("分"))
            except ValueError:
                err("分数", f"分数“{raw}”不是数字")
            else:
                if not 0 <= score <= 100 or score != score:
                    err("分数", f"分数 {score:g} 应在 0–100 之间")
        raw_date = cells["考试日期"].value if "考试日期" in cells else None
        date = _parse_date(raw_date) if raw_date is not None else None
        if raw_date is None:
            err("考试日期", "考试日期不能为空")
        elif date is None:
            err("考试日期", f"日期“{raw_date}”无法识别或不存在，应写成 2024-06-15 或 2024年6月15日")
        if name and post_id:
            key = (name, post_id)
            if key in seen:
                err("姓名", f"“{name}”（{post_text}）与第 {seen[key]} 行重复：每人一行")
            seen.setdefault(key, r)
        if not bad and name and post_id and score is not None and date is not None:
            rows.append(ScoreRow(r, name, post_id, score, date))
    if not rows and not any(d.severity == "error" for d in diags):
        diags.append(problem(table.display, table.sheet, table.header_row or 1, 0, "", "表头下面没有成绩"))
    return rows, diags


__all__ = [
    "BANK_HEADERS", "OPTION_HEADERS", "ScoreRow", "WorkbookError", "bank_workbook", "checklist_workbook", "export_all",
    "fixed_zip", "hazards_workbook", "read_bank", "read_scores", "save_workbook",
]
