"""Facts computed from one enterprise's content at its build date, for the regulator.

Every function here reads `Content` (and the optional `regulator:` block of enterprise.yaml)
and returns plain data with the source file it came from; the 六必查 sheet, the rubric and the
fleet view all use the same facts, so a number means the same thing everywhere.

Dates: "within a year" means on or after the same calendar day one year before the build date;
"three years without an accident" means no accident after the same day three years before
(an accident exactly three years ago still leaves three full years).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from ...model import Content
from ...model.regulator import PROVINCES, Licence, RegulatorFacts, region_problem
from ...rules import EXAM_KINDS, KIND_LABELS, PASS_MARKS, passed
from ...zh import zh_date

EXPIRY_WARNING_DAYS = 90
ACCIDENT_FREE_YEARS = 3
HIGH_GRADES = ("一级", "二级")  # 二级及以上标准化


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def facts_of(content: Content) -> RegulatorFacts:
    return content.enterprise.regulator or RegulatorFacts()


def reported(content: Content) -> bool:
    """Whether enterprise.yaml has a `regulator:` block at all."""
    return content.enterprise.regulator is not None


# ---------------------------------------------------------------- sources


def source(content: Content, key: str | None = None, relative: str | None = None) -> str:
    """A source file as printed: relative to the enterprise folder ("risks/x.yaml"), or to the
    content folder for library files ("library/knowledge/x.yaml").

    `key` is a `content.sources` key (its display path is resolved); `relative` a path inside the
    enterprise folder, used when no key names the file.
    """
    if key is not None and key in content.sources:
        path = Path(content.sources[key])
        if not path.is_absolute():
            path = Path(os.getcwd()) / path
        path = path.resolve()
        root = content.root.resolve()
        for base in (root, root.parent.parent):
            try:
                return path.relative_to(base).as_posix()
            except ValueError:
                continue
        return content.sources[key]
    return relative or "enterprise.yaml"


ENTERPRISE_FILE = "enterprise.yaml"


# ---------------------------------------------------------------- region, supervisor


def region(content: Content) -> str | None:
    """The 6-digit 行政区划代码: the enterprise's `region.code` (where the old `regulator.region` is moved
    too), else digits 3–8 of the 统一社会信用代码."""
    ent = content.enterprise
    if ent.region and ent.region.code:
        return ent.region.code
    code = ent.credit_code[2:8]
    return None if region_problem(code) else code


def region_label(content: Content) -> str:
    code = region(content)
    if code is None:
        return "未知"
    name = content.enterprise.region_name or PROVINCES.get(code[:2], "")
    return f"{code} {name}".strip()


def region_derived(content: Content) -> bool:
    """True when the region comes from the credit code rather than from `region.code`."""
    ent = content.enterprise
    return not (ent.region and ent.region.code) and region(content) is not None


# ---------------------------------------------------------------- licences


class LicenceStatus(str, Enum):
    VALID = "有效"
    EXPIRING = "即将到期"
    EXPIRED = "已过期"
    MISSING = "缺失"


@dataclass
class LicenceState:
    kind: str
    status: LicenceStatus
    licence: Licence | None = None
    days_left: int | None = None  # None: no end date (long-term) or missing

    @property
    def text(self) -> str:
        lic = self.licence
        if lic is None:
            return f"{self.kind}：未填报（本行业应持有）"
        until = f"有效期至 {zh_date(lic.valid_until)}" if lic.valid_until else "长期有效"
        if self.status is LicenceStatus.EXPIRED:
            state = f"已过期 {-(self.days_left or 0)} 天"
        elif self.status is LicenceStatus.EXPIRING:
            state = f"{self.days_left} 天后到期"
        else:
            state = "有效"
        return f"{lic.kind}（{lic.number}，{lic.issuer}）{until}：{state}"


def licence_state(licence: Licence, today: dt.date, warn_days: int = EXPIRY_WARNING_DAYS) -> LicenceState:
    """有效 / 即将到期 (within `warn_days`, the last valid day included) / 已过期 on `today`."""
    if licence.valid_until is None:
        return LicenceState(licence.kind, LicenceStatus.VALID, licence, None)
    days = (licence.valid_until - today).days
    if days < 0:
        status = LicenceStatus.EXPIRED
    elif days <= warn_days:
        status = LicenceStatus.EXPIRING
    else:
        status = LicenceStatus.VALID
    return LicenceState(licence.kind, status, licence, days)


def _matches(required: str, kind: str) -> bool:
    return required == kind or required in kind


def licence_states(content: Content, required: Iterable[str] = (), warn_days: int = EXPIRY_WARNING_DAYS) -> list[LicenceState]:
    """One state per licence kind held (the best of renewed copies), then each required kind not held."""
    today = content.build_date
    best: dict[str, LicenceState] = {}
    order = {LicenceStatus.VALID: 3, LicenceStatus.EXPIRING: 2, LicenceStatus.EXPIRED: 1}
    for lic in facts_of(content).licences:
        state = licence_state(lic, today, warn_days)
        current = best.get(lic.kind)
        if current is None or (order[state.status], state.days_left if state.days_left is not None else 10**6) > (
            order[current.status], current.days_left if current.days_left is not None else 10**6
        ):
            best[lic.kind] = state
    out = list(best.values())
    for kind in required:
        if not any(_matches(kind, held) for held in best):
            out.append(LicenceState(kind, LicenceStatus.MISSING))
    return out


# ---------------------------------------------------------------- certificates (持证上岗)


@dataclass
class CertificateCoverage:
    post_id: str
    post_name: str
    certificate: str
    required: int
    held: int
    reported: bool  # False: the post needs a certificate but no count was given

    @property
    def short(self) -> int:
        return max(self.required - self.held, 0)

    @property
    def text(self) -> str:
        if not self.reported:
            return f"{self.post_name}（{self.certificate}）：未填报持证人数（在岗 {self.required} 人）"
        return f"{self.post_name}（{self.certificate}）：应持证 {self.required} 人，持证 {self.held} 人" + (
            f"，缺 {self.short} 人" if self.short else ""
        )


def certificate_coverage(content: Content) -> list[CertificateCoverage]:
    """Every post that needs a certificate (Post.certificate) or has a count in `regulator.certificates`."""
    records = {c.post: c for c in facts_of(content).certificates}
    out = []
    for post in content.posts:
        rec = records.get(post.id)
        if rec is not None:
            name = rec.certificate or post.certificate or "从业资格证"
            out.append(CertificateCoverage(post.id, post.name, name, rec.required, rec.held, True))
        elif post.certificate:
            out.append(CertificateCoverage(post.id, post.name, post.certificate, post.headcount, 0, False))
    return out


def certificate_rate(rows: list[CertificateCoverage]) -> float | None:
    """持证上岗率 over every post needing a certificate (an unreported post counts as none held)."""
    required = sum(r.required for r in rows)
    if required == 0:
        return None
    return sum(min(r.held, r.required) for r in rows) / required


# ---------------------------------------------------------------- standardization


@dataclass
class StandardizationState:
    grade: str | None
    valid: bool
    valid_until: dt.date | None
    text: str

    @property
    def high(self) -> bool:
        """二级及以上 and still valid."""
        return self.valid and self.grade in HIGH_GRADES


def standardization(content: Content) -> StandardizationState:
    std = facts_of(content).standardization
    if std is None:
        return StandardizationState(None, False, None, "未填报安全生产标准化等级（未定级）")
    valid = std.valid_until >= content.build_date
    state = "有效" if valid else f"已过期 {(content.build_date - std.valid_until).days} 天"
    issued = f"，{std.issued_by}" if std.issued_by else ""
    return StandardizationState(std.grade, valid, std.valid_until, f"{std.grade}（证书 {std.certificate}{issued}），有效期至 {zh_date(std.valid_until)}：{state}")


# ---------------------------------------------------------------- emergency plan and drills


@dataclass
class EmergencyState:
    filed: bool
    drill_days: int | None  # days since the last drill
    drilled_within: bool  # a drill within the drill interval
    has_plan: bool
    rescue: str | None
    lines: list[str] = field(default_factory=list)


def emergency(content: Content, drill_interval_days: int = 365) -> EmergencyState:
    plan = facts_of(content).emergency_plan
    if plan is None:
        return EmergencyState(False, None, False, False, None, ["未填报应急预案备案和演练情况"])
    lines = []
    title = plan.title or "生产安全事故应急预案"
    if plan.filing_number:
        where = f"，备案部门 {plan.filed_with}" if plan.filed_with else ""
        lines.append(f"{title}：备案编号 {plan.filing_number}，备案日期 {zh_date(plan.filed)}{where}")
    else:
        lines.append(f"{title}：未填报备案编号（未备案）")
    days = (content.build_date - plan.last_drill).days if plan.last_drill else None
    if plan.last_drill is None:
        lines.append("最近一次应急演练：未填报")
    else:
        lines.append(f"最近一次应急演练：{zh_date(plan.last_drill)}（{days} 天前）" + (f"；近一年演练 {plan.drills_last_year} 次" if plan.drills_last_year is not None else ""))
    return EmergencyState(
        filed=bool(plan.filing_number), drill_days=days,
        drilled_within=days is not None and 0 <= days <= drill_interval_days,
        has_plan=True, rescue=plan.rescue_organisation, lines=lines,
    )


# ---------------------------------------------------------------- accidents


@dataclass
class AccidentRecord:
    accidents_total: int
    accidents_recent: int  # after the cut-off (within the last three years)
    deaths_recent: int
    injuries_recent: int
    last_accident: dt.date | None
    covered_from: dt.date | None  # the record covers the time since this day
    free_since: dt.date | None  # start of the current accident-free period
    years_free: float | None
    three_years: bool  # 三年以上无事故

    @property
    def text(self) -> str:
        if self.covered_from is None and self.last_accident is None:
            return "未填报事故记录起始日期，无法判断连续无事故年数"
        last = f"最近一次事故 {self.last_accident}" if self.last_accident else f"自 {self.covered_from} 起无事故记录"
        years = f"连续无事故 {self.years_free:.1f} 年" if self.years_free is not None else ""
        verdict = "满足“三年以上无事故”" if self.three_years else "不满足“三年以上无事故”"
        recent = f"；近三年事故 {self.accidents_recent} 起（死亡 {self.deaths_recent} 人，受伤 {self.injuries_recent} 人）" if self.accidents_recent else ""
        return f"{last}，{years}，{verdict}{recent}"


def accident_record(content: Content, years: int = ACCIDENT_FREE_YEARS) -> AccidentRecord:
    """三年以上无事故: no accident after the cut-off, and the record reaches back to the cut-off."""
    facts = facts_of(content)
    today = content.build_date
    cutoff = years_before(today, years)
    past = [a for a in facts.accidents if a.date <= today]
    recent = [a for a in past if a.date > cutoff]
    last = max((a.date for a in past), default=None)
    covered_from = facts.accident_records_since or min((a.date for a in past), default=None)
    free_since = last or covered_from
    years_free = round((today - free_since).days / 365.2425, 2) if free_since else None
    three = covered_from is not None and covered_from <= cutoff and not recent
    return AccidentRecord(
        len(past), len(recent), sum(a.deaths for a in recent), sum(a.injuries for a in recent),
        last, covered_from, free_since, years_free, three,
    )


# ---------------------------------------------------------------- per-post coverage


@dataclass
class PostGap:
    """How many posts (or key posts) have a document, and which do not."""

    label: str
    have: int
    total: int
    missing: list[str]  # post names
    source: str

    @property
    def ratio(self) -> float:
        return self.have / self.total if self.total else 1.0

    @property
    def complete(self) -> bool:
        return self.have == self.total

    @property
    def text(self) -> str:
        head = f"{self.label}：{self.have}/{self.total} 个岗位"
        if self.missing:
            more = "等" if len(self.missing) > 6 else ""
            head += f"，缺：{'、'.join(self.missing[:6])}{more}"
        return head


def _gap(content: Content, label: str, posts, has, src: str) -> PostGap:
    posts = list(posts)
    missing = [p.name for p in posts if not has(p)]
    return PostGap(label, len(posts) - len(missing), len(posts), missing, src)


def responsibility_gap(content: Content) -> PostGap:
    return _gap(content, "全员安全生产责任清单", content.posts, lambda p: p.id in content.responsibilities, "responsibilities/")


def job_standard_gap(content: Content) -> PostGap:
    key = [p for p in content.posts if p.key_post]
    return _gap(content, "岗位作业流程标准（重点岗位）", key, lambda p: p.id in content.job_standards, "job_standards/")


def checklist_gap(content: Content) -> PostGap:
    return _gap(content, "岗位（班组）安全检查卡片", content.posts, lambda p: bool(content.post_checklists(p.id)), "checklists/")


def card_gap(content: Content) -> PostGap:
    return _gap(content, "岗位安全风险告知卡", content.posts, lambda p: p.id in content.cards, "cards/")


def risk_gap(content: Content) -> PostGap:
    return _gap(content, "岗位风险辨识（安全风险点名册）", content.posts, lambda p: bool(content.post_risks(p.id)), "risks/")


def question_gap(content: Content) -> PostGap:
    least = content.enterprise.settings.min_questions_per_post
    return _gap(content, f"题库（每岗位不少于 {least} 题）", content.posts, lambda p: len(content.post_questions(p.id)) >= least, "questions/")


def training_gap(content: Content) -> PostGap:
    return _gap(content, "年度培训计划覆盖岗位", content.posts, lambda p: bool(content.post_training(p.id)), "training.yaml")


def checklist_levels(content: Content) -> list[str]:
    """The 三级 checklist levels present: 单位 (清单), 车间 (表册), 岗位 (卡片)."""
    levels = {c.level for c in content.checklists.values()}
    return [lvl for lvl in ("单位", "车间", "岗位") if lvl in levels]


def major_check_items(content: Content) -> int:
    """Checklist items whose failure is a 重大事故隐患 (判定项)."""
    return sum(1 for c in content.checklists.values() for it in c.items if it.major)


def equipment(content: Content) -> list[str]:
    """Equipment named in the 岗位作业流程标准 (设备描述), each once."""
    seen: dict[str, None] = {}
    for js in content.job_standards.values():
        for eq in js.equipment:
            if eq.name:  # a name is optional (a description may stand alone)
                seen.setdefault(eq.name, None)
    return list(seen)


# ---------------------------------------------------------------- hazards (隐患)


@dataclass
class HazardFacts:
    total: int
    recent: int  # found within the last year
    self_found_recent: int  # 企业自查 within the last year
    closed: int
    closed_on_time: int
    closed_late: int
    open: int
    overdue: int
    overdue_ids: list[str]
    major: int
    major_open: int
    major_overdue: int
    major_unsupervised: int  # open major hazards not 挂牌督办 or without a plan
    due: int  # hazards whose deadline has passed or that are closed: the ones that could be on time

    @property
    def on_time_ratio(self) -> float | None:
        return self.closed_on_time / self.due if self.due else None

    @property
    def text(self) -> str:
        parts = [f"隐患台账 {self.total} 条（近一年发现 {self.recent} 条，其中企业自查 {self.self_found_recent} 条）",
                 f"已销号 {self.closed} 条（按期 {self.closed_on_time} 条、逾期销号 {self.closed_late} 条）",
                 f"未销号 {self.open} 条，其中超期 {self.overdue} 条" + (f"（{'、'.join(self.overdue_ids[:5])}{'等' if len(self.overdue_ids) > 5 else ''}）" if self.overdue_ids else "")]
        if self.major:
            parts.append(f"重大隐患 {self.major} 条（未销号 {self.major_open} 条，超期 {self.major_overdue} 条）")
        return "；".join(parts)


def hazard_facts(content: Content) -> HazardFacts:
    today = content.build_date
    year_ago = years_before(today, 1)
    hz = content.hazards.hazards
    closed = [h for h in hz if h.status == "已销号"]
    on_time = [h for h in closed if h.closed is not None and h.closed <= h.five_fixed.deadline]
    open_ = [h for h in hz if h.status != "已销号"]
    overdue = [h for h in hz if h.overdue(today)]
    major = [h for h in hz if h.grade == "重大"]
    major_open = [h for h in major if h.status != "已销号"]
    return HazardFacts(
        total=len(hz),
        recent=sum(1 for h in hz if h.found >= year_ago),
        self_found_recent=sum(1 for h in hz if h.found >= year_ago and h.source == "企业自查"),
        closed=len(closed), closed_on_time=len(on_time), closed_late=len(closed) - len(on_time),
        open=len(open_), overdue=len(overdue), overdue_ids=[h.code or h.place for h in overdue],
        major=len(major), major_open=len(major_open),
        major_overdue=sum(1 for h in major if h.overdue(today)),
        major_unsupervised=sum(1 for h in major_open if not h.supervised or not h.five_fixed.plan),
        due=len(closed) + len(overdue),
    )


# ---------------------------------------------------------------- risks (风险分级管控)


@dataclass
class RiskFacts:
    total: int
    assessed_recent: int  # in a register revised within the last year
    undated: int  # in a register without revision records
    oldest: dt.date | None
    newest: dt.date | None
    levels: dict[str, int]
    riskmap: bool
    known: bool  # the register revision dates were loaded (the regulator load hook ran)

    @property
    def recent_ratio(self) -> float:
        return self.assessed_recent / self.total if self.total else 0.0

    @property
    def text(self) -> str:
        if not self.total:
            return "安全风险点名册：无风险点"
        lv = "、".join(f"{k} {n}" for k, n in self.levels.items())
        if not self.known:
            dates = "风险点名册修订日期未载入"
        else:
            dates = f"一年内辨识评估（名册修订）{self.assessed_recent}/{self.total} 个" + (f"，最近修订 {zh_date(self.newest)}" if self.newest else "") + (f"，{self.undated} 个无修订记录" if self.undated else "")
        return f"风险点 {self.total} 个（{lv}）；{dates}；四色安全风险空间分布图：{'已编制' if self.riskmap else '未编制'}"


def risk_facts(content: Content) -> RiskFacts:
    dates: dict[str, dt.date | None] | None = content.extras.get("risk_revised")  # type: ignore[assignment]
    known = dates is not None
    dates = dates or {}
    year_ago = years_before(content.build_date, 1)
    got = [dates.get(r.id) for r in content.risk_points]
    present = [d for d in got if d is not None]
    levels = {lvl.zh: n for lvl, n in content.level_counts().items()}
    return RiskFacts(
        total=len(content.risk_points),
        assessed_recent=sum(1 for d in present if year_ago <= d <= content.build_date),
        undated=len(got) - len(present) if known else 0,
        oldest=min(present, default=None), newest=max(present, default=None),
        levels=levels, riskmap="riskmap" in content.extras, known=known,
    )


# ---------------------------------------------------------------- handbook (一册)


@dataclass
class HandbookFacts:
    exists: bool
    edition: str | None
    revised: dt.date | None
    recent: bool  # revised within a year
    general: int  # 通用知识 sections
    posts_in: int
    posts_total: int
    incomplete: list[str]  # posts whose 专业知识 part lacks a piece

    @property
    def covers_every_post(self) -> bool:
        return self.exists and self.posts_in == self.posts_total and not self.incomplete

    @property
    def high_quality(self) -> bool:
        """A high-quality 应知应会手册 (标杆 criterion): it exists, was revised within a year, has
        通用知识, and every post has its 专业知识 part complete — 责任清单, hazard identification
        (risk points), emergency handling (risk card), and for key posts the 岗位作业流程标准."""
        return self.exists and self.recent and self.general > 0 and self.covers_every_post

    @property
    def text(self) -> str:
        if not self.exists:
            return "未编制《应知应会手册》"
        rev = f"最近修订 {zh_date(self.revised)}" if self.revised else "无修订记录"
        gaps = f"；专业知识不完整的岗位：{'、'.join(self.incomplete[:6])}{'等' if len(self.incomplete) > 6 else ''}" if self.incomplete else ""
        return f"《应知应会手册》{self.edition or ''}，{rev}{'' if self.recent else '（超过一年）'}；通用知识 {self.general} 篇；专业知识覆盖 {self.posts_in}/{self.posts_total} 个岗位{gaps}"


def handbook_facts(content: Content) -> HandbookFacts:
    hb = content.handbook
    total = len(content.posts)
    if hb is None:
        return HandbookFacts(False, None, None, False, 0, 0, total, [])
    posts = content.handbook_posts()
    ids = {p.id for p in posts}
    incomplete = []
    for p in content.posts:
        parts_ok = (
            p.id in ids and p.id in content.responsibilities and bool(content.post_risks(p.id))
            and p.id in content.cards and (p.id in content.job_standards or not p.key_post)
        )
        if not parts_ok:
            incomplete.append(p.name)
    revised = hb.last_revised
    recent = revised is not None and years_before(content.build_date, 1) <= revised
    return HandbookFacts(True, hb.edition, revised, recent, len(hb.general) + len(hb.extra_general), len(ids & {p.id for p in content.posts}), total, incomplete)


# ---------------------------------------------------------------- training and exams (一训 一试)


@dataclass
class TrainingFacts:
    plan: bool
    year: int | None
    current: bool  # the plan is for the build year
    items: int
    hours: float
    bank_questions: int
    bank_revised: dt.date | None
    bank_recent: bool
    exam_kinds: list[str]  # configured exam kinds (first, year-end, annual)
    exams_marked: int  # marked sittings within the last year (exam_history.yaml)
    exams_passed: int
    examined_twice: int  # people on manager/key posts with at least two sittings within the year
    examined_people: int

    @property
    def pass_rate(self) -> float | None:
        return self.exams_passed / self.exams_marked if self.exams_marked else None

    @property
    def pass_marks_text(self) -> str:
        if not self.exam_kinds:
            return "未制定考试规则：及格线 60/70/80 分未落实"
        return "；".join(f"{KIND_LABELS[k]} {PASS_MARKS[k]} 分及格" for k in self.exam_kinds)


def exam_kinds_needed(content: Content) -> list[str]:
    """The exam kinds an enterprise must configure: the first and the year-end exam; from the
    second year of exams (a sitting recorded before the build year) also the annual one (80)."""
    history = content.extras.get("exam_history")
    earlier = any(r.date.year < content.build_date.year for r in getattr(history, "records", []))
    return ["first", "year-end", "annual"] if earlier else ["first", "year-end"]


def training_facts(content: Content) -> TrainingFacts:
    today = content.build_date
    year_ago = years_before(today, 1)
    plan = content.training
    rules = content.extras.get("exam_rules")
    kinds = [k for k in EXAM_KINDS if rules is not None and rules.spec(k) is not None]  # type: ignore[attr-defined]
    history = content.extras.get("exam_history")
    records = [r for r in getattr(history, "records", []) if year_ago <= r.date <= today]
    marked = [r for r in records if r.score is not None]
    exam_posts = {p.id for p in content.posts if p.manager or p.key_post}
    sittings: dict[tuple[str, str], int] = {}
    for r in records:
        if r.post in exam_posts:
            sittings[(r.person, r.post)] = sittings.get((r.person, r.post), 0) + 1
    bank_recent = content.question_bank_revised is not None and year_ago <= content.question_bank_revised
    return TrainingFacts(
        plan=plan is not None, year=plan.year if plan else None, current=bool(plan and plan.year == today.year),
        items=len(plan.items) if plan else 0, hours=sum(i.hours for i in plan.items) if plan else 0.0,
        bank_questions=len(content.questions), bank_revised=content.question_bank_revised, bank_recent=bank_recent,
        exam_kinds=kinds, exams_marked=len(marked),
        exams_passed=sum(1 for r in marked if passed(r.score, r.kind)),  # type: ignore[arg-type]
        examined_twice=sum(1 for n in sittings.values() if n >= 2), examined_people=len(sittings),
    )


__all__ = [
    "ACCIDENT_FREE_YEARS",
    "EXPIRY_WARNING_DAYS",
    "AccidentRecord",
    "CertificateCoverage",
    "EmergencyState",
    "HandbookFacts",
    "HazardFacts",
    "LicenceState",
    "LicenceStatus",
    "PostGap",
    "RiskFacts",
    "StandardizationState",
    "TrainingFacts",
    "accident_record",
    "card_gap",
    "certificate_coverage",
    "certificate_rate",
    "checklist_gap",
    "checklist_levels",
    "emergency",
    "equipment",
    "exam_kinds_needed",
    "facts_of",
    "handbook_facts",
    "hazard_facts",
    "job_standard_gap",
    "licence_state",
    "licence_states",
    "major_check_items",
    "question_gap",
    "region",
    "region_label",
    "reported",
    "responsibility_gap",
    "risk_facts",
    "risk_gap",
    "source",
    "standardization",
    "training_facts",
    "training_gap",
    "years_before",
]
