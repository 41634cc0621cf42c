"""Typst compiles per enterprise: how many per template and their seconds, in one warm process.

Builds each enterprise one after another (force, one worker), as a fleet worker does, and counts
every request sent to the Typst compile server (generators/render/typst.py) by template:

    python benchmarks/typst_compiles.py /tmp/fleet /tmp/out     # a fleet from benchmarks/fleet_gen.py

Seconds are wall time of the request (the server's compile and the pipe); compare runs A/B in
one command on a busy machine.
"""

from __future__ import annotations

import collections
import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generators.pipeline.build import BuildOptions, build  # noqa: E402
from generators.pipeline.fleet import _worker_init  # noqa: E402
from generators.render import typst  # noqa: E402


def main(fleet: Path, out_root: Path) -> None:
    count: collections.Counter[str] = collections.Counter()
    seconds: dict[str, float] = collections.defaultdict(float)
    compile_one = typst._Server.compile_reply

    def counted(server: typst._Server, request: dict) -> tuple[bytes, dict]:
        started = time.perf_counter()
        try:
            return compile_one(server, request)
        finally:
            name = Path(request["template"]).name
            count[name] += 1
            seconds[name] += time.perf_counter() - started

    typst._Server.compile_reply = counted  # type: ignore[method-assign]
    _worker_init()
    count.clear()
    seconds.clear()
    enterprises = sorted((fleet / "enterprises").glob("*"))
    for enterprise in enterprises:
        build(enterprise, BuildOptions(out_root=out_root, force=True, build_date=dt.date(2026, 11, 26), workers=1,
                                       library_dir=fleet / "library"))
    n = len(enterprises)
    print(f"{n} enterprises; per enterprise:")
    for name in sorted(count, key=lambda k: -seconds[k]):
        print(f"  {name:20s} compiles {count[name] / n:6.1f}  s {seconds[name] / n:6.2f}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
