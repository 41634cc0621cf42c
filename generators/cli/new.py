"""`anquan new`: a minimal enterprise that passes `anquan check`, to edit from."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..paths import scaffold_template
from ..rules import credit_check_char


def scaffold(target: Path, name: str = "示例安全科技有限公司", today: dt.date | None = None) -> list[Path]:
    today = today or dt.date.today()
    ident = re.sub(r"[^a-z0-9_-]", "-", target.resolve().name.lower()).strip("-_") or "enterprise"
    first17 = "91000000MA0000000"
    short = name.replace("有限责任公司", "").replace("有限公司", "").replace("股份", "") or name
    values = {
        "__ID__": ident[:64],
        "__NAME__": name,
        "__SHORT__": short,
        "__CREDIT__": first17 + credit_check_char(first17),
        "__CODE__": short[:2] + "安",
        "__DATE__": today.isoformat(),
        "__YEAR__": str(today.year),
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
