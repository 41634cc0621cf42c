"""Every kind of YAML file the content has, in one explicit list (the enterprise folder and the
shared library). Loading reads exactly these, whatever else was imported before."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from pydantic import BaseModel

from ..diagnostics import Diagnostics
from ..model import (
    Checklist,
    Content,
    Enterprise,
    HandbookSpec,
    HazardLedger,
    JobStandard,
    Knowledge,
    Notice,
    Plan,
    Policy,
    QuestionBank,
    ResponsibilityList,
    RiskCard,
    RiskRegister,
    TrainingPlan,
)
from ..model.exam import ExamHistory, ExamRules
from ..model.regulator import Inspection
from ..model.riskmap import RiskMap
from .hooks import exam_history_hook, exam_rules_hook, regulator_hook, riskmap_hook

# files: kind name -> the loaded files of that kind; the hook stores its model on Content and checks references
Hook = Callable[[dict[str, list[Any]], Content, Diagnostics], None]


@dataclass(frozen=True)
class FileKind:
    """How one kind of YAML file maps into the model."""

    name: str  # e.g. "job_standard"
    label: str  # Chinese name, for messages and the schema
    model: type[BaseModel]
    folder: str | None  # sub-folder holding one file per document, or None for a single file
    filename: str | None = None  # the single file's name, without suffix
    list_field: str | None = None  # main list, validated item by item when the file has errors
    hook: Hook | None = None  # run after the cross-file checks, in list order


EXAM_HISTORY = FileKind("exam_history", "考试记录", ExamHistory, None, "exam_history", "records", exam_history_hook)

FILE_KINDS: list[FileKind] = [
    FileKind("enterprise", "企业基本信息", Enterprise, None, "enterprise"),
    FileKind("handbook", "应知应会手册组成", HandbookSpec, None, "handbook"),
    FileKind("hazards", "隐患台账", HazardLedger, None, "hazards", "hazards"),
    FileKind("training", "年度培训计划", TrainingPlan, None, "training"),
    FileKind("responsibility", "安全生产责任清单", ResponsibilityList, "responsibilities"),
    FileKind("job_standard", "岗位作业流程标准", JobStandard, "job_standards"),
    FileKind("card", "岗位安全风险告知卡", RiskCard, "cards"),
    FileKind("risks", "安全风险点名册", RiskRegister, "risks", list_field="risk_points"),
    FileKind("checklist", "安全检查清单", Checklist, "checklists"),
    FileKind("questions", "题库", QuestionBank, "questions", list_field="questions"),
    FileKind("policy", "安全管理制度", Policy, "policies"),
    FileKind("plan", "行动方案", Plan, "plans"),
    FileKind("notice", "公文", Notice, "notices"),
    FileKind("exam_rules", "考试规则", ExamRules, None, "exam_rules", hook=exam_rules_hook),
    EXAM_HISTORY,
    FileKind("riskmap", "四色安全风险空间分布图", RiskMap, None, "riskmap", hook=riskmap_hook),
    FileKind("inspections", "现场检查记录", Inspection, "inspections", list_field="findings", hook=regulator_hook),
]

LIBRARY_KINDS: list[FileKind] = [
    FileKind("knowledge", "公共知识", Knowledge, "knowledge"),
    FileKind("checklist", "行业检查清单", Checklist, "checklists"),
    FileKind("questions", "公共题库", QuestionBank, "questions", list_field="questions"),
]
