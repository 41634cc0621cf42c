"""`anquan new`: a minimal enterprise that passes `anquan check`, to edit from."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..paths import scaffold_template
from ..rules import credit_check_char

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class ScaffoldError(ValueError):
    """The scaffold cannot be made as asked; the message says why, in Chinese."""


def derive_id(folder_name: str) -> str | None:
    """The enterprise id from a folder name: "My Company" → my-company, "acme工厂" → acme; None when
    the name has no ASCII letter to make one from (a folder named 我的企业 needs --id)."""
    if not re.search(r"[A-Za-z]", folder_name):
        return None
    ident = re.sub(r"[^a-z0-9_-]+", "-", folder_name.lower()).strip("-_")
    ident = re.sub(r"-{2,}", "-", ident)[:64].strip("-_")
    return ident if ID_PATTERN.match(ident) else None


def scaffold(target: Path, name: str = "示例安全科技有限公司", today: dt.date | None = None, ident: str | None = None,
             url: str | None = None, phone: str | None = None) -> list[Path]:
    """Write a fresh enterprise folder. `ident` defaults to one derived from the folder name; `url`
    is the intranet site's address (the QR codes on cards), `phone` the internal 24-hour duty number."""
    today = today or dt.date.today()
    folder = target.resolve().name
    if ident is None:
        ident = derive_id(folder)
        if ident is None:
            raise ScaffoldError(
                f"目录名“{folder}”中没有英文字母，无法生成企业编号：请用 --id 指定企业编号"
                "（英文小写字母、数字和“-”，如 --id wode-qiye），编号用作输出目录名和网址的一部分")
    elif not ID_PATTERN.match(ident):
        raise ScaffoldError(f"企业编号“{ident}”不合格式：只能用英文小写字母、数字、“-”和“_”，以字母或数字开头，最长 64 个字符")
    if url is not None and not url.startswith(("http://", "https://")):
        raise ScaffoldError(f"站点地址“{url}”应以 http:// 或 https:// 开头，如 http://192.168.1.20/")
    first17 = "91000000MA0000000"
    short = name.replace("有限责任公司", "").replace("有限公司", "").replace("股份", "") or name
    site = f"site:\n  base_url: {url if url.endswith('/') else url + '/'}\n" if url else (
        "# site:\n#   base_url: http://192.168.1.20/   # 内网站点地址：告知卡、岗位手册上的二维码指向这里，打印前必须填写\n")
    duty = f'  - {{name: 公司应急值班（24小时）, number: "{phone}"}}\n' if phone else (
        "  # - {name: 公司应急值班（24小时）, number: \"…\"}   # 企业内部24小时值班电话：打印告知卡前必须填写\n")
    values = {
        "__ID__": ident,
        "__NAME__": name,
        "__SHORT__": short,
        "__CREDIT__": first17 + credit_check_char(first17),
        "__CODE__": short[:2] + "安",
        "__DATE__": today.isoformat(),
        "__YEAR__": str(today.year),
        "# __SITE__\n": site,  # whole comment lines, so that the template itself is valid YAML
        "# __DUTY_PHONE__\n": duty,
    }
    written = []
    for src in sorted(scaffold_template().rglob("*.yaml")):
        text = src.read_text(encoding="utf-8")
        for k, v in values.items():
            text = text.replace(k, v)
        dest = target / src.relative_to(scaffold_template())
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(text, encoding="utf-8")
        written.append(dest)
    return written
