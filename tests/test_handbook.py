"""Handbook, booklets, risk cards and checklists (generators/outputs/{handbook,booklets,cards,checklists}.py, generators/render/weasy.py).

A small fixture enterprise is scaffolded into tmp_path and extended with posts, risk points
of all four colours, library knowledge, a policy, three-level checklists and hostile text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import textwrap
from pathlib import Path

import pytest
from pypdf import PdfReader

from generators import zh
from generators.cli.new import scaffold
from generators.load import load
from generators.outputs import booklets, cards, checklists, common, handbook
from generators.outputs.base import BuildContext
from generators.render import fonts as render_fonts
from generators.render import weasy
from tests.helpers.pdf import embedded_fonts, outline, toc_entries, unspace

pytestmark = pytest.mark.slow

BUILD_DATE = dt.date(2026, 3, 1)
HOSTILE = '<script>alert("x")</script>&amp;{{ 7*7 }}'


def _w(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


ENTERPRISE_EXTRA = """
posts:
  - id: safety-officer
    name: 专职安全管理员
    department: safety
    headcount: 1
    certificate: 安全生产管理人员安全生产知识和管理能力考核合格证
    manager: true
  - id: driver
    name: 普货车辆驾驶员
    department: fleet
    headcount: 40
    certificate: 道路货物运输驾驶员从业资格证
  - id: mechanic
    name: 车辆维修工
    department: repair
    headcount: 6
  - id: guard
    name: 门卫
    department: safety
    headcount: 2
    key_post: false
"""


def make_enterprise(root: Path, *, with_handbook: bool = True, card_risks: int = 0) -> Path:
    ent = root / "enterprises" / "hb-test"
    scaffold(ent, name="晋东示例货运有限公司", today=dt.date(2026, 1, 10))
    text = (ent / "enterprise.yaml").read_text(encoding="utf-8")
    head, _, tail = text.partition("posts:")
    tail = tail[tail.index("key_people:"):]
    text = head.replace("departments:\n", "departments:\n  - {id: fleet, name: 运输车队, kind: 车间}\n  - {id: repair, name: 维修车间, kind: 车间}\n")
    text = text + textwrap.dedent(ENTERPRISE_EXTRA).lstrip() + tail
    text = text.replace("emergency_phones:\n", "emergency_phones:\n  - {name: 公司应急值班, number: \"0351-6012345\"}\n")
    text += "site:\n  base_url: https://aq.example.cn/hb-test\n"
    (ent / "enterprise.yaml").write_text(text, encoding="utf-8")

    _w(ent / "risks" / "transport.yaml", f"""
        risk_points:
          - id: rp-fatigue
            name: 长途运输疲劳驾驶
            kind: 作业活动
            department: fleet
            posts: [driver]
            hazards: [连续驾驶超过 4 小时未停车休息, '夜间 22 时至次日 6 时驾驶, {HOSTILE}']
            accidents: [车辆伤害]
            assessment: {{method: LEC, L: 6, E: 6, C: 15}}
            controls:
              engineering: [车辆安装北斗动态监控和驾驶员状态监测装置]
              management: [动态监控人员实时提醒疲劳驾驶，连续驾驶 4 小时停车休息不少于 20 分钟]
              emergency: [发现驾驶员疲劳立即通知其就近停车休息]
            control_level: 公司
            responsible: 运输车队队长
          - id: rp-loading
            name: 货物装载与捆扎
            kind: 作业活动
            department: fleet
            posts: [driver]
            hazards: [货物超载、偏载, 捆扎不牢]
            accidents: [车辆伤害, 物体打击]
            assessment: {{method: LEC, L: 3, E: 6, C: 15}}
            controls:
              management: [装载前核对电子运单，严禁超限超载]
              ppe: [装卸时佩戴安全帽和防护手套]
            control_level: 车间
            responsible: 运输车队队长
          - id: rp-lift
            name: 举升机下作业
            kind: 设备设施
            department: repair
            posts: [mechanic]
            hazards: [举升机保险装置失效, 车辆支撑不稳]
            accidents: [机械伤害, 物体打击]
            assessment: {{method: LS, L: 3, S: 4}}
            controls:
              engineering: [举升机机械锁止装置每日检查]
            control_level: 班组
            responsible: 维修车间主任
          - id: rp-gate
            name: 车辆进出大门
            kind: 场所
            department: safety
            posts: [guard]
            hazards: [车辆进出时人员站位不当]
            accidents: [车辆伤害]
            assessment: {{method: LEC, L: 1, E: 6, C: 7}}
            controls:
              management: [门卫指挥车辆时站在安全区域]
            control_level: 岗位
            responsible: 门卫班长
        """ + "".join(f"""
          - id: rp-extra-{i}
            name: 驾驶员附加风险点{i}
            kind: 作业活动
            department: fleet
            posts: [driver]
            hazards: [雨雪雾天气路面湿滑能见度低，车辆制动距离延长，遇前车急停或行人横穿时来不及避让]
            accidents: [车辆伤害]
            assessment: {{method: LEC, L: 3, E: 3, C: 15}}
            controls:
              management: [恶劣天气出车前由车队安全员进行专项安全提示，降低车速，加大跟车距离，必要时停运]
              training: [每季度开展一次恶劣天气防御性驾驶培训]
            control_level: 车间
            responsible: 运输车队队长""" for i in range(card_risks)))

    _w(ent / "responsibilities" / "driver.yaml", f"""
        post: driver
        duties:
          - content: 严格遵守道路交通安全法律法规，不超速、不超载、不疲劳驾驶
            basis: [《中华人民共和国道路交通安全法》第二十二条]
            assessment: 每发现一次违法行为扣 5 分
          - content: '出车前检查车辆安全技术状况 {HOSTILE}'
            basis: [《道路货物运输及站场管理规定》]
            assessment: 未做出车前检查扣 2 分
        revisions:
          - {{date: 2026-01-12, summary: 首次编制, approved_by: 总经理}}
        """)
    _w(ent / "job_standards" / "driver.yaml", """
        post: driver
        equipment:
          - name: 重型厢式货车
            description: 总质量 18 吨，装有北斗卫星定位终端、AEBS 自动紧急制动系统和驾驶员状态监测装置
            hazards: [制动系统, 轮胎, 货厢门]
        risk_controls:
          - risk: 长途运输中疲劳驾驶
            measures: [服从动态监控提醒, 按规定停车休息]
            risk_points: [rp-fatigue]
        process:
          pre_checks: [确认本人身体状况良好、未饮酒, 参加出车前安全培训并签到, 检查制动、转向、灯光、轮胎]
          steps:
            - name: 出车前车辆检查
              content: 按车辆日常维护保养要求逐项检查并填写例检单
              safety: 发现制动、转向故障严禁出车
            - name: 装货捆扎
              content: 核对电子运单，按规定装载并捆扎牢固
            - name: 途中驾驶
              content: 按核定线路行驶，连续驾驶不超过 4 小时
              safety: 防御性驾驶，保持安全车距
            - name: 到达卸货
              content: 在指定区域停车、熄火、拉紧手制动后卸货
          abnormal:
            - situation: 途中车辆故障
              handling: [开启危险报警闪光灯, 在车后 150 米外设置警告标志, 人员撤离到护栏外并报告车队]
          closing: [车辆入库停放并熄火断电, 填写行车日志]
        cases:
          - title: 某货运企业驾驶员疲劳驾驶追尾事故
            summary: 驾驶员连续驾驶 6 小时未休息，凌晨追尾前方车辆
            causes: [疲劳驾驶, 动态监控提醒未处置]
            lessons: [严格执行停车休息规定, 动态监控人员必须跟踪处置]
        revisions:
          - {date: 2026-01-12, summary: 首次编制, approved_by: 总经理}
        """)
    _w(ent / "cards" / "driver.yaml", """
        post: driver
        emergency:
          - situation: 发生交通事故
            actions: [立即停车、开启危险报警闪光灯并设置警告标志, 拨打 122 和 120，报告公司应急值班, 保护现场、抢救伤员]
          - situation: 车辆起火
            actions: [靠边停车熄火, 使用车载灭火器扑救初起火灾, 火势无法控制时撤离并拨打 119]
        signs:
          prohibition: [禁止吸烟, 禁止疲劳驾驶]
          warning: [当心车辆]
          mandatory: [必须系安全带]
          information: [紧急出口]
        ppe: [反光背心, 防护手套]
        phones: ["车队调度：0351-6012399"]
        """)
    _w(ent / "checklists" / "company.yaml", """
        id: company
        title: 晋东示例货运有限公司安全检查清单
        level: 单位
        items:
          - {id: a01, category: 证照资质, content: 道路运输经营许可证在有效期内, basis: 《道路货物运输及站场管理规定》, method: 查资料, frequency: 月, responsible: 公司, major_basis: 《道路运输企业和城市客运企业安全生产重大事故隐患判定标准（试行）》第三条第（一）项}
          - {id: a02, category: 车辆设备, content: 营运车辆按规定安装北斗动态监控装置并正常使用, basis: 《道路运输车辆动态监督管理办法》, frequency: 月, responsible: 公司}
        """)
    _w(ent / "checklists" / "fleet.yaml", """
        id: fleet
        title: 运输车队安全检查表册
        level: 车间
        department: fleet
        items:
          - {id: b01, category: 车辆设备, content: 车辆日常维护保养记录齐全, basis: 《道路运输车辆技术管理规定》, method: 查资料, frequency: 周, responsible: 车间}
        """)
    _w(ent / "checklists" / "driver-card.yaml", """
        id: driver-card
        title: 普货车辆驾驶员岗位安全检查卡片
        level: 岗位
        post: driver
        items:
          - {id: c01, content: 出车前检查制动、转向、灯光、轮胎, basis: 《道路运输车辆技术管理规定》, frequency: 日, responsible: 岗位}
        """)
    lib = root / "library"
    _w(lib / "knowledge" / "safety-law.yaml", f"""
        id: safety-law
        title: 中华人民共和国安全生产法要点
        sections:
          - title: 从业人员的权利和义务
            paragraphs: ['从业人员有权了解其作业场所和工作岗位存在的危险因素、防范措施及事故应急措施 {HOSTILE}']
            points: [有权拒绝违章指挥和强令冒险作业, 发现直接危及人身安全的紧急情况时有权停止作业或者在采取可能的应急措施后撤离作业场所]
            basis: [《中华人民共和国安全生产法》第五十三条至第五十五条]
        """)
    _w(ent / "policies" / "education.yaml", """
        id: education
        title: 安全生产教育培训制度
        chapters:
          - title: 总则
            articles: [为加强安全生产教育培训工作，制定本制度。, 本制度适用于公司全体从业人员。]
          - title: 培训要求
            articles: [新员工上岗前必须经过三级安全教育。]
        """)
    if with_handbook:
        _w(ent / "handbook.yaml", """
            title: 安全生产应知应会手册
            edition: 2026年版
            general: [safety-law]
            extra_general: [education]
            foreword: [本手册是公司三级安全教育的基础教材。]
            revisions:
              - {date: 2026-02-01, summary: 首次编制, approved_by: 总经理}
            """)
    return ent


def load_fixture(tmp_path: Path, **kw):
    ent = make_enterprise(tmp_path, **kw)
    content, diags = load(ent, library_dir=tmp_path / "library", build_date=BUILD_DATE)
    assert content is not None and not diags.errors, [str(d) for d in diags.errors]
    return content


HANDBOOK_OUTPUTS = ("handbook", "booklets", "cards", "checklists")  # what the old "handbook" builder made


def handbook_jobs(content) -> list:
    """The jobs of the handbook, booklets, cards and checklists outputs, in build order."""
    return [j for m in (handbook, booklets, cards, checklists) for j in m.jobs(content)]


def render_job(content, output: str, tmp_path: Path) -> tuple[bytes, list[str]]:
    job = next(j for j in handbook_jobs(content) if j.output == output)
    dest = tmp_path / "out" / output
    dest.parent.mkdir(parents=True, exist_ok=True)
    ctx = BuildContext(content, tmp_path / "out", None)
    job.render(dest, ctx)
    return dest.read_bytes(), ctx.notes


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_of(data: bytes) -> str:
    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture(scope="module")
def fixture_content(tmp_path_factory):
    return load_fixture(tmp_path_factory.mktemp("hb"))


@pytest.fixture(scope="module")
def handbook_pdf(fixture_content, tmp_path_factory):
    data, notes = render_job(fixture_content, "handbook/handbook.pdf", tmp_path_factory.mktemp("hbout"))
    return data


# ------------------------------------------------------------------ the handbook


def test_handbook_outline_toc_and_text(fixture_content, handbook_pdf):
    reader = PdfReader(io.BytesIO(handbook_pdf))
    marks = outline(reader)
    titles = [t for _, t, _ in marks]
    # a bookmark for every post chapter (level 2) and for the parts and appendices
    for post in fixture_content.posts:
        assert any(t.endswith("\u3000" + post.name) for d, t, _ in marks if d == 1), post.name
    for part in ("第一部分\u3000通用知识", "第二部分\u3000专业知识", "附录一\u3000安全风险点名册", "目\u3000录", "修订记录"):
        assert part in titles
    # TOC page numbers are the pages the bookmarked chapters start on
    toc = toc_entries(reader)
    assert len(toc) >= len(fixture_content.posts) + 4
    pages = {t: p for _, t, p in marks}
    for title, page in toc.items():
        assert pages[title] == page, (title, page, pages.get(title))
    # the chapter title really is on that page, and page numbers increase
    for title, page in toc.items():
        assert title.split("\u3000")[-1] in unspace(reader.pages[page - 1].extract_text())
    assert list(toc.values()) == sorted(toc.values())

    text = text_of(handbook_pdf)
    std = fixture_content.job_standards["driver"]
    for step in std.process.steps:
        assert step.name in text
    for unit in ("岗前安全确认", "作业流程", "异常处置", "末节工序", "设备描述", "风险管控", "典型事故案例"):
        assert unit in text
    # colour is written, not only drawn; the register lists every risk point with its formula
    for label in ("红·重大风险", "橙·较大风险", "黄·一般风险", "蓝·低风险"):
        assert label in text
    assert "D = L×E×C = 6×6×15 = 540" in text and "R = L×S = 3×4 = 12" in text
    # common part from the library and the enterprise policy, articles numbered across chapters
    assert "中华人民共和国安全生产法要点" in text and "第三条" in text
    # training appendix sums hours per post (driver: only the 全员 item, 4 h)
    assert "各岗位年度培训学时" in text


def test_handbook_register_sorted_by_level(fixture_content, handbook_pdf):
    reader = PdfReader(io.BytesIO(handbook_pdf))
    start = next(p for _, t, p in outline(reader) if t.startswith("附录一"))
    text = "".join(reader.pages[i].extract_text() for i in range(start - 1, len(reader.pages)))
    text = re.sub(r"\s+", "", text)
    order = [text.index(re.sub(r"\s+", "", r.name)) for r in common.sorted_risks(fixture_content.risk_points)]
    assert not [r.id for r in fixture_content.risk_points if r.id in text]  # internal ids are not printed
    assert order == sorted(order)
    levels = [int(r.level) for r in common.sorted_risks(fixture_content.risk_points)]
    assert levels == sorted(levels, reverse=True) and levels[0] == 4 and levels[-1] == 1
    # the register pages are landscape
    page = reader.pages[start - 1]
    assert float(page.mediabox.width) > float(page.mediabox.height)


def test_handbook_headers_footers_and_fonts(handbook_pdf):
    reader = PdfReader(io.BytesIO(handbook_pdf))
    n = len(reader.pages)
    for i, page in enumerate(reader.pages[1:], start=2):
        text = page.extract_text()
        assert f"第 {i} 页 共 {n} 页" in text
        assert "晋东示例货运有限公司" in text  # running header
    assert "第 1 页" not in reader.pages[0].extract_text()  # no footer on the cover
    # the running header names the first part/chapter/front-matter title that starts on the page,
    # else the last one started before it (the 前言 page reads 前言 though 修订记录 starts on it too)
    marks = [(t, p) for _, t, p in outline(reader) if t != "封面"]
    for p in range(marks[0][1], n + 1):
        on_page = [t for t, page in marks if page == p]
        title = on_page[0] if on_page else [t for t, page in marks if page < p][-1]
        header = unspace(reader.pages[p - 1].extract_text().split("\n")[0])
        assert header.endswith(title), (p, title, header)
    fonts = embedded_fonts(reader)
    assert fonts and all(fonts.values()), fonts
    names = [f.replace("-", "").lower() for f in fonts]
    assert any("notoserifcjksc" in f for f in names) and any("notosanscjksc" in f for f in names)


def test_content_is_escaped_not_interpreted(handbook_pdf):
    text = text_of(handbook_pdf)
    assert '<script>alert("x")</script>' in text.replace("\n", "")
    assert "&amp;" in text  # written literally, not decoded
    assert "{{ 7*7 }}" in text and "49" not in text


def test_handbook_metadata_and_reproducible(fixture_content, handbook_pdf, tmp_path):
    reader = PdfReader(io.BytesIO(handbook_pdf))
    meta = reader.metadata
    assert meta["/CreationDate"].startswith("D:20260301") and meta["/ModDate"] == meta["/CreationDate"]
    assert meta["/Title"] == "安全生产应知应会手册" and meta["/Author"] == "晋东示例货运有限公司"
    again, _ = render_job(fixture_content, "handbook/handbook.pdf", tmp_path)
    assert sha(again) == sha(handbook_pdf)  # digests: a failing bytes diff would take pytest minutes


def test_handbook_without_spec(tmp_path):
    content = load_fixture(tmp_path, with_handbook=False)
    assert content.handbook is None
    data, notes = render_job(content, "handbook/handbook.pdf", tmp_path)
    reader = PdfReader(io.BytesIO(data))
    titles = [t for _, t, _ in outline(reader)]
    assert "第一部分\u3000专业知识" in titles and not any("通用知识" in t for t in titles)
    text = text_of(data)
    assert "只包含“专业知识”部分" in text
    assert any("handbook.yaml" in n for n in notes)
    for post in content.posts:
        assert post.name in titles[titles.index("第一部分\u3000专业知识") + 1 + content.posts.index(post)]


# ------------------------------------------------------------------ booklets


def test_booklet_is_common_part_plus_one_post(fixture_content, tmp_path):
    data, _ = render_job(fixture_content, "handbook/driver.pdf", tmp_path)
    reader = PdfReader(io.BytesIO(data))
    page = reader.pages[0]
    assert round(float(page.mediabox.width) / 72 * 25.4) == 148  # A5 (settings.booklet_size default)
    titles = [t for _, t, _ in outline(reader)]
    assert "第三章\u3000普货车辆驾驶员" in titles
    assert not any(p.name in t for t in titles for p in fixture_content.posts if p.id != "driver")
    assert "第一部分\u3000通用知识" in titles and not any(t.startswith("附录") for t in titles)
    text = text_of(data)
    assert "普货车辆驾驶员岗位分册" in text and "https://aq.example.cn/hb-test/posts/driver/" in text
    toc = toc_entries(reader)
    marks = {t: p for _, t, p in outline(reader)}
    assert toc and all(marks[t] == p for t, p in toc.items())


# ------------------------------------------------------------------ cards


def test_card_is_one_a4_page_with_everything(fixture_content, tmp_path):
    data, notes = render_job(fixture_content, "cards/driver.pdf", tmp_path)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1 and not notes
    page = reader.pages[0]
    assert (round(float(page.mediabox.width) / 72 * 25.4), round(float(page.mediabox.height) / 72 * 25.4)) == (210, 297)
    text = re.sub(r"\s", "", page.extract_text())  # letter-spaced titles and wrapped lines read whole
    for expected in ("岗位安全风险告知卡", "普货车辆驾驶员", "红·重大风险", "长途运输疲劳驾驶", "车辆伤害",
                     "北斗动态监控", "发生交通事故", "车辆起火", "反光背心",
                     # every sign's text is set under its drawing (禁止疲劳驾驶 has none: the generic 禁止 sign)
                     "禁止吸烟", "禁止疲劳驾驶", "当心车辆", "必须系安全带", "紧急出口",
                     "0351-6012345", "0351-6012399", "119", "120"):
        assert expected in text, expected
    # the QR code is an inline SVG drawing of the post's page URL on the site
    url = common.post_url(fixture_content, "driver")
    assert url == "https://aq.example.cn/hb-test/posts/driver/"
    svg = common.qr_svg(url)
    assert svg.startswith("<svg") and "viewBox" in svg and 'width="' not in svg.split(">")[0]
    # the address is carried by the QR code with its caption, not printed in small type
    assert "扫码查看本岗位应知应会" in text and url not in text


def test_card_stays_one_page_with_many_risks(tmp_path):
    content = load_fixture(tmp_path, card_risks=14)
    assert len(content.post_risks("driver")) == 16
    data, notes = render_job(content, "cards/driver.pdf", tmp_path)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1, notes
    assert "驾驶员附加风险点13" in re.sub(r"\s", "", reader.pages[0].extract_text())


def test_card_without_card_file_still_renders(fixture_content, tmp_path):
    data, _ = render_job(fixture_content, "cards/mechanic.pdf", tmp_path)
    reader = PdfReader(io.BytesIO(data))
    text = reader.pages[0].extract_text()
    assert len(reader.pages) == 1 and "黄·一般风险" in text and "举升机下作业" in text
    assert "本岗位尚未编制岗位安全风险告知卡文件" in text.replace("\n", "") and "待补充" not in text


def test_card_is_reproducible(fixture_content, tmp_path):
    a, _ = render_job(fixture_content, "cards/driver.pdf", tmp_path / "a")
    b, _ = render_job(fixture_content, "cards/driver.pdf", tmp_path / "b")
    assert sha(a) == sha(b)


# ------------------------------------------------------------------ checklists


@pytest.mark.parametrize("cid,title", [
    ("company", "单位安全检查清单"),
    ("fleet", "车间（部门）安全检查表册"),
    ("driver-card", "岗位（班组）安全检查卡片"),
])
def test_checklist_levels(fixture_content, tmp_path, cid, title):
    data, _ = render_job(fixture_content, f"checklists/{cid}.pdf", tmp_path)
    reader = PdfReader(io.BytesIO(data))
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # every level on A4 landscape
    text = text_of(data)
    flat = re.sub(r"\s", "", text)
    if cid == "driver-card":  # a grid: one result column per day of the month, signed each day
        columns = ("序号", "检查内容", "检查结果", "发现问题", "整改要求/责任人", "检查人签字", "班组长（签字）")
    else:
        columns = ("序号", "检查内容", "检查依据", "检查方法", "频次", "责任层级", "检查结果", "发现问题", "整改要求/责任人",
                   "发现人", "日期", "签字", "☐符合", "☐不符合")
    for col in columns:
        assert col in flat, col
    assert title in text and "晋东示例货运有限公司" in text
    for item in fixture_content.checklists[cid].items:
        assert item.content[:12] in text.replace("\n", "")
    if cid == "company":
        assert "★重大事故隐患判定项" in text
    if cid == "driver-card":
        assert "普货车辆驾驶员" in text


# ------------------------------------------------------------------ jobs, keys, the outputs list


def test_jobs_outputs_and_keys(fixture_content):
    from generators.outputs import OUTPUTS
    from generators.pipeline.digest import job_key

    names = [o.name for o in OUTPUTS]
    assert set(HANDBOOK_OUTPUTS) <= set(names)
    if "site" in names:
        assert all(names.index(n) < names.index("site") for n in HANDBOOK_OUTPUTS)
    jobs = handbook_jobs(fixture_content)
    outputs = {j.output for j in jobs}
    assert outputs == (
        {"handbook/handbook.pdf"}
        | {f"handbook/{p.id}.pdf" for p in fixture_content.posts}
        | {f"cards/{p.id}.pdf" for p in fixture_content.posts}
        | {f"checklists/{c}.pdf" for c in fixture_content.checklists}
    )
    keys = {j.output: job_key(j, {}) for j in jobs}
    # changing one risk point changes the handbook, that post's booklet and card, not another post's
    rp = next(r for r in fixture_content.risk_points if r.id == "rp-lift")
    old = rp.hazards
    try:
        rp.hazards = [*old, "举升机液压管路渗漏"]
        changed = {j.output for j in handbook_jobs(fixture_content) if job_key(j, {}) != keys[j.output]}
    finally:
        rp.hazards = old
    assert changed == {"handbook/handbook.pdf", "handbook/mechanic.pdf", "cards/mechanic.pdf"}
    card_job = next(j for j in jobs if j.output == "cards/driver.pdf")
    assert "risks/transport.yaml" in " ".join(card_job.sources) and "cards/driver.yaml" in card_job.sources


def test_build_pipeline_writes_outputs(fixture_content, tmp_path):
    from generators.pipeline import BuildOptions, build_content

    options = BuildOptions(out_root=tmp_path / "build", only=HANDBOOK_OUTPUTS)
    result = build_content(fixture_content, options)
    out = tmp_path / "build" / "hb-test"
    for rel in ("handbook/handbook.pdf", "handbook/guard.pdf", "cards/guard.pdf", "checklists/fleet.pdf"):
        assert (out / rel).read_bytes().startswith(b"%PDF-")
    again = build_content(fixture_content, options)
    assert again.unchanged and not again.rendered
    assert "handbook/handbook.pdf" in result.rendered


# ------------------------------------------------------------------ generators/render/ (fonts, weasy) and generators/zh.py


def test_configured_font_file_is_embedded(tmp_path):
    src = Path("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Light.ttf")
    if not src.is_file():
        pytest.skip("fonts-lxgw-wenkai not installed")
    ent = make_enterprise(tmp_path)
    (ent / "assets").mkdir(exist_ok=True)
    (ent / "assets" / "body.ttf").write_bytes(src.read_bytes())
    with open(ent / "enterprise.yaml", "a", encoding="utf-8") as fh:
        fh.write("settings:\n  fonts:\n    songti: 企业宋体\n    files:\n      企业宋体: assets/body.ttf\n")
    content, diags = load(ent, library_dir=tmp_path / "library", build_date=BUILD_DATE)
    assert content is not None and not diags.errors
    fs = render_fonts.fonts(content)
    assert fs.body[0] == "企业宋体" and fs.faces[0].url.startswith("file://")
    # WeasyPrint (the exam results sheet): the @font-face alias names the embedded font
    from generators.outputs import exam_results, training

    post = content.posts[0]
    view = exam_results.results_view(content, [exam_results.Result("张三", post.id, post.name, 85, BUILD_DATE, True, "—")], "first", False)
    fonts = embedded_fonts(PdfReader(io.BytesIO(exam_results.results_pdf(content, view))))
    assert any("企业宋体" in f for f in fonts) and all(fonts.values()), fonts
    # Typst (no @font-face aliases) finds the same file by its own family name: the training plan,
    # cards and booklets
    job = next(j for j in training.jobs(content) if j.output == "training/plan.pdf")
    dest = tmp_path / "plan.pdf"
    job.render(dest, BuildContext(content, tmp_path, None))
    fonts = embedded_fonts(PdfReader(dest))
    assert any("LXGWWenKai" in f for f in fonts) and all(fonts.values()), fonts
    for output in ("cards/guard.pdf", "handbook/guard.pdf"):
        data, _ = render_job(content, output, tmp_path)
        fonts = embedded_fonts(PdfReader(io.BytesIO(data)))
        assert any("LXGWWenKai" in f for f in fonts) and all(fonts.values()), (output, fonts)
    assert not any("NotoSerif" in f.replace("-", "") for f in fonts)  # the body font replaced Noto Serif


def test_css_strings_cannot_break_out_of_style():
    out = str(weasy.environment().filters["css_string"]('a"</style><script>x</script>'))
    assert "<" not in out and ">" not in out and out.count('"') == 2
    assert str(weasy.environment().filters["css_family"](("宋体", "serif"))) == '"宋体", serif'


def test_cn_number():
    assert [zh.cn_number(n) for n in (1, 10, 11, 20, 21, 99, 100, 105, 110, 123)] == [
        "一", "十", "十一", "二十", "二十一", "九十九", "一百", "一百零五", "一百一十", "一百二十三"]


def test_autoescape_is_on():
    env = weasy.environment()
    assert env.from_string("{{ x }}").render(x="<b>&</b>") == "&lt;b&gt;&amp;&lt;/b&gt;"
