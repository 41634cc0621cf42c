"""The 危险化学品 industry pack in content/library: knowledge chapters, the unit and
department checklists and the question bank, read with pyyaml and validated against
the content model (only `generators.model` is imported, so the test survives moves
of the loader)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from generators.model import Checklist, Knowledge, QuestionBank

ROOT = Path(__file__).resolve().parent.parent
LIB = ROOT / "content" / "library" / "national"
KNOWLEDGE = ["hazchem-regulation", "hazchem-storage", "hazchem-major-hazard", "hazchem-special-work", "hazchem-signs-sds"]
CHECKLISTS = ["hazchem", "hazchem-warehouse"]
BANK = "hazchem"

# National laws, administrative regulations and national standards the pack may cite.
NATIONAL = re.compile(
    r"《中华人民共和国(安全生产|消防|特种设备安全|危险化学品安全)法》"
    r"|《危险化学品安全管理条例》"
    r"|\bGB(?:/T)? \d+(?:\.\d+)*-\d{4}"
)
# Words that mark a local (provincial, city, county, town) document or issuer.
LOCAL = re.compile(r"[省市县区镇]人民政府文件|安委会|安委办|〔\d{4}〕|\b(DB\d{2})")
ARTICLE = re.compile(r"第[一二三四五六七八九十百零]+条")


def _read(kind: str, name: str) -> dict:
    return yaml.safe_load((LIB / kind / f"{name}.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return QuestionBank.model_validate(_read("questions", BANK))


@pytest.fixture(scope="module")
def checklists() -> dict[str, Checklist]:
    return {name: Checklist.model_validate(_read("checklists", name)) for name in CHECKLISTS}


@pytest.mark.parametrize("name", KNOWLEDGE)
def test_knowledge_chapter_validates(name):
    k = Knowledge.model_validate(_read("knowledge", name))
    assert k.id == name
    assert k.industry == ["危险化学品"]
    assert len(k.sections) >= 3
    for section in k.sections:
        assert section.paragraphs or section.points, section.title
        assert section.basis, f"{name}: 节“{section.title}”没有出处"
        for source in section.basis:
            assert NATIONAL.search(source), source
            assert not LOCAL.search(source), source


def test_checklists_cover_unit_and_department_levels(checklists):
    levels = {c.level for c in checklists.values()}
    assert levels == {"单位", "车间"}
    unit, dept = checklists["hazchem"], checklists["hazchem-warehouse"]
    assert unit.level == "单位" and dept.level == "车间"
    assert len(unit.items) >= 25 and len(dept.items) >= 12
    for c in checklists.values():
        assert c.industry == "危险化学品"
        assert c.id.startswith("hazchem")
        ids = [it.id for it in c.items]
        assert len(ids) == len(set(ids))
        for it in c.items:
            assert it.id.startswith("hazchem-"), it.id
            assert NATIONAL.search(it.basis), it.basis
            assert not LOCAL.search(it.basis), it.basis
            # a law or regulation is cited with its article
            if "》" in it.basis and "GB" not in it.basis:
                assert ARTICLE.search(it.basis), it.basis
    # unit-level items are not checked daily or weekly; department-level ones not daily
    assert {it.frequency.text for it in unit.items} <= {"月", "季", "年"}
    assert {it.frequency.text for it in dept.items} <= {"周", "月"}
    assert {it.responsible for it in unit.items} == {"公司"}
    assert {it.responsible for it in dept.items} == {"车间"}
    # the two levels do not share item ids (an enterprise may extend both)
    assert not {it.id for it in unit.items} & {it.id for it in dept.items}


def test_question_bank_size_and_mix(bank):
    assert bank.id == BANK
    qs = bank.questions
    assert len(qs) >= 80
    ids = [q.id for q in qs]
    assert len(ids) == len(set(ids))
    assert all(i.startswith("hazchem-q-") for i in ids)
    types = Counter(q.type for q in qs)
    assert set(types) == {"单选", "多选", "判断"} and min(types.values()) >= 15
    assert set(Counter(q.difficulty for q in qs)) == {"易", "中", "难"}
    stems = [re.sub(r"\W", "", q.stem) for q in qs]
    assert len(stems) == len(set(stems))


def test_every_question_cites_a_national_law_or_standard(bank):
    for q in bank.questions:
        assert q.basis, q.id
        assert NATIONAL.search(q.basis), (q.id, q.basis)
        assert not LOCAL.search(q.basis), (q.id, q.basis)
        assert q.explanation and q.knowledge_point, q.id
        # the regulation and the laws whose text was checked are cited by article
        if re.search(r"《危险化学品安全管理条例》|安全生产法》|消防法》|特种设备安全法》", q.basis):
            assert ARTICLE.search(q.basis), (q.id, q.basis)


def test_questions_are_general_or_tagged_by_post_id(bank):
    general = [q for q in bank.questions if q.general]
    tagged = [q for q in bank.questions if not q.general]
    assert len(general) >= 80
    for q in tagged:
        assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", p) for p in q.posts), q.posts


# Figures checked against the official texts (see content/library/README-hazchem.md).
VERIFIED = [
    ("knowledge/hazchem-special-work", "特级、一级动火安全作业票有效期不应超过8 h；二级动火安全作业票有效期不应超过72 h（5.1.5）"),
    ("knowledge/hazchem-special-work", "受限空间安全作业票有效期不应超过24 h（6.10）"),
    ("knowledge/hazchem-special-work", "氧气含量为19.5%～21%（体积分数），在富氧环境下不应大于23.5%（体积分数）"),
    ("knowledge/hazchem-special-work", "临时用电时间一般不超过15天，特殊情况不应超过30天（10.8）"),
    ("knowledge/hazchem-special-work", "安全作业票应至少保存一年，作业过程影像记录应至少留存一个月（附录B B.3）"),
    ("knowledge/hazchem-major-hazard", "S ≥ 1即为重大危险源（GB 18218-2018 4.2）"),
    ("knowledge/hazchem-major-hazard", "汽油（乙醇汽油、甲醇汽油）200 t，甲醇 500 t"),
    ("knowledge/hazchem-major-hazard", "R ≥ 100为一级；100 > R ≥ 50为二级；50 > R ≥ 10为三级；R < 10为四级"),
    ("knowledge/hazchem-regulation", "剧毒化学品以及储存数量构成重大危险源的其他危险化学品，在专用仓库内单独存放，实行双人收发、双人保管制度"),
    ("knowledge/hazchem-regulation", "对安全生产条件每3年进行一次安全评价"),
    ("knowledge/hazchem-signs-sds", "8 接触控制和个体防护"),
]


@pytest.mark.parametrize("where,text", VERIFIED)
def test_verified_figures_are_kept(where, text):
    assert text in (LIB / f"{where}.yaml").read_text(encoding="utf-8")


def test_major_hazard_example_adds_up():
    """The worked example in the chapter: 丙酮200 t + 甲醇150 t + 乙醇160 t, Q = 500 t each."""
    body = (LIB / "knowledge" / "hazchem-major-hazard.yaml").read_text(encoding="utf-8")
    s = 200 / 500 + 150 / 500 + 160 / 500
    assert abs(s - 1.02) < 1e-9
    assert "= 1.02 ≥ 1" in body
    assert abs(200 / 500 + 150 / 500 + 100 / 500 - 0.90) < 1e-9 and "= 0.90 < 1" in body


def test_readme_lists_the_pack_and_is_not_yaml():
    readme = LIB / "README-hazchem.md"
    text = readme.read_text(encoding="utf-8")
    assert readme.suffix not in (".yaml", ".yml")  # the loader reads only YAML files
    for name in KNOWLEDGE + CHECKLISTS:
        assert f"`{name}`" in text, name
    assert "GB 15603-2022" in text and "GB 2894-2025" in text
