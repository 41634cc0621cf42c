"""A build with one cheap output that takes `seconds` to render, run as its own process by the
lock tests: `python -m tests.slowbuild <enterprise> <out> <seconds> [--no-wait] [--until FILE]`
(with --until, the render waits until FILE exists, at most `seconds`). Prints
"unchanged" or "built" and exits 0, or prints the BuildError and exits 1."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

from generators.diagnostics import BuildError
from generators.outputs.base import BuildContext, Job, Output
from generators.pipeline import BuildOptions, build


def main(argv: list[str]) -> int:
    enterprise, out, seconds = Path(argv[0]), Path(argv[1]), float(argv[2])
    until = Path(argv[argv.index("--until") + 1]) if "--until" in argv else None

    def jobs(content) -> list[Job]:
        def render(dest: Path, ctx: BuildContext) -> None:
            if until is None:
                time.sleep(seconds)
            else:
                deadline = time.monotonic() + seconds
                while not until.exists() and time.monotonic() < deadline:
                    time.sleep(0.02)
            dest.write_text(f"{len(content.posts)} posts\n", encoding="utf-8")

        return [Job("slow.txt", "slow", {"posts": len(content.posts)}, render)]

    options = BuildOptions(out_root=out, build_date=dt.date(2026, 3, 1), outputs=(Output("slow", ("slow",), jobs),),
                           wait="--no-wait" not in argv, force="--force" in argv)
    try:
        result = build(enterprise, options)
    except BuildError as exc:
        print(exc, file=sys.stderr, flush=True)
        return 1
    print("unchanged" if result.unchanged else "built", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
