"""What printed risk cards and booklets need before they are printed: a site address their QR codes
can reach, and an internal 24-hour number in their 应急电话 block.

Both are errors when the run prints cards or booklets (`anquan check` assumes a full build; a
build with `--only` that leaves them out is not stopped), and `.local` host names are a warning.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from ..diagnostics import Diagnostics
from ..model import Content
from .where import where

PRINTED_WITH_QR = ("cards", "booklets")  # the outputs whose pages carry the QR code of the site
LOCAL_HOSTS = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}
# public service numbers (火警 119, 急救 120, 报警 110, 交通事故 122, 12345/12350 热线 …) are not internal
_PUBLIC = re.compile(r"^(1\d{2}|12\d{3}|95\d{3,4}|96\d{3,4})$")
_DUTY_WORDS = ("24小时", "24 小时", "24h", "24H", "全天", "值班")


def printing(content: Content, outputs: tuple[str, ...] = PRINTED_WITH_QR) -> bool:
    """Whether this run prints one of `outputs` (`content.outputs` None: a full build)."""
    return content.outputs is None or any(o in content.outputs for o in outputs)


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def loopback(host: str) -> bool:
    if host in LOCAL_HOSTS or host.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_unspecified


def site_address(content: Content, diags: Diagnostics) -> None:
    """The QR codes on printed cards point at site.base_url: localhost is dead on every phone."""
    ent_file = content.sources.get("enterprise", content.display("enterprise.yaml"))
    url = content.enterprise.site.base_url
    host = _host(url)
    pos = where(content, ent_file, ("site", "base_url"))
    if loopback(host):
        if printing(content):
            given = "base_url" in content.enterprise.site.model_fields_set
            what = f"站点地址是 {url}（本机地址）" if given else f"没有填写站点地址 site.base_url（默认为本机地址 {url}）"
            diags.error(ent_file, ("site", "base_url"), line_col=pos, message=(
                f"{what}：印在告知卡和岗位手册上的二维码在手机上打不开。"
                "请在 enterprise.yaml 的 site.base_url 填写员工手机能访问的内网站点地址，如 http://192.168.1.20/ 或 http://anquan.公司域名/"))
    elif host.endswith(".local"):
        diags.warning(ent_file, ("site", "base_url"), line_col=pos, message=(
            f"站点地址 {url} 使用 .local 域名：许多手机（尤其是安卓手机）无法解析 .local 名称，扫描告知卡二维码可能打不开；"
            "建议改用 IP 地址或公司 DNS 中登记的域名"))


def internal_duty_phone(number: str, name: str) -> bool:
    """An internal number staffed around the clock: not a public service number, and named as 24-hour duty."""
    digits = re.sub(r"[\s\-－—()（）+]", "", number)
    if not digits.isdigit() or _PUBLIC.match(digits):
        return False
    return any(w in name for w in _DUTY_WORDS)


def internal_phone(content: Content, diags: Diagnostics) -> None:
    """The 应急电话 block of a card needs an internal number answered 24 hours a day."""
    if not printing(content):
        return
    ent = content.enterprise
    if any(internal_duty_phone(p.number, p.name) for p in ent.emergency_phones):
        return
    ent_file = content.sources.get("enterprise", content.display("enterprise.yaml"))
    listed = "、".join(f"{p.name} {p.number}" for p in ent.emergency_phones) or "无"
    diags.error(ent_file, ("emergency_phones",), line_col=where(content, ent_file, ("emergency_phones",)), message=(
        f"应急电话中没有企业内部的24小时值班电话（现有：{listed}）：告知卡和岗位手册的应急电话只有公共号码，"
        "员工遇险时找不到本单位的人。请在 enterprise.yaml 的 emergency_phones 中加入一个，名称写明“24小时”或“值班”，"
        "如 {name: 公司应急值班（24小时）, number: \"0351-1234567\"}"))
