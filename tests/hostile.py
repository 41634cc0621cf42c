"""A copy of the corpus base enterprise with script, HTML, Markdown and Jinja in every free-text field."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

CORPUS = Path(__file__).parent / "corpus"

PAYLOAD = ' <script>alert("x")</script><img src=x onerror=alert(1)>[点我](javascript:alert(2)) **粗体** {{ 7*7 }}{% raw %}'
MARKERS = ["<script>alert", "onerror=alert", "javascript:alert", "{{ 7*7 }}"]
# Fields a printed notice bounds (GB/T 9704-2012: a title in at most three lines of 2号, the 印发
# line in one line of 4号; the issuer's full name is the default 印发机关) get shorter payloads that
# still carry a tag and a template expression.
SHORT = {"title": ' <script>alert("x")</script>{{ 7*7 }}', "full_name": "<b>{{ 7*7 }}</b>"}

# Keys whose values are codes, ids or fixed choices: they stay as they are.
FIXED = {
    "id", "post", "posts", "department", "extends", "remove", "zone", "policy", "plan", "audience", "general",
    "extra_general", "question_banks", "risk_points", "type", "kind", "level", "frequency", "responsible_level",
    "source", "grade", "status", "control_level", "method", "difficulty", "urgency", "answer", "credit_code",
    "code", "seal", "logo", "base_url", "primary_color", "booklet_size", "date", "found", "closed", "deadline",
    "start", "end", "year", "month", "hours", "headcount", "employees", "revenue_wan", "funds_wan", "L", "E", "C", "S",
    "number", "seq", "print_date", "copy_number", "industry", "options", "list_names", "phase", "files",
}
# checklist items' "responsible" is a fixed choice; elsewhere it is free text
FIXED_IN = {("items", "responsible")}


def _poison(value, key: str | None, parent: str | None):
    if isinstance(value, dict):
        return {k: _poison(v, k, key) for k, v in value.items()}
    if isinstance(value, list):
        return [_poison(v, key, parent) for v in value]
    if isinstance(value, str) and key not in FIXED and (parent, key) not in FIXED_IN:
        return value + SHORT.get(key, PAYLOAD)
    return value


def make_hostile(tmp: Path) -> Path:
    ent = tmp / "content" / "enterprises" / "base"
    shutil.copytree(CORPUS / "_base", ent)
    shutil.copytree(CORPUS / "_library", tmp / "content" / "library")
    for path in sorted(ent.rglob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(yaml.safe_dump(_poison(data, None, None), allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return ent
