"""The shape every output shares: an `Output` makes `Job`s from the loaded content; the pipeline
decides which jobs are stale and calls their `render` with a `BuildContext`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..model import Content


@dataclass(frozen=True)
class Settle:
    """Early cutoff for a job that reads other outputs (`after`) but prints little of them: a card
    prints only the page its post's chapter starts on in the booklet, and the booklet changes with
    every edit of the shared library. Once those outputs are there, `reads(ctx)` works out what the
    job takes from them (JSON-able); the job's settled key is its key without `after` and without
    the `key_data` entries named in `stands_for` (the data those facts come from), joined with the
    facts. A stale job whose settled key is the last build's carries the last build's file over
    instead of rendering. The render finds the facts in `ctx.facts` (None when it is called on its
    own, outside a build: it then calls `reads` itself)."""

    reads: Callable[["BuildContext"], Any]
    stands_for: tuple[str, ...] = ()


@dataclass
class Job:
    """One output file (or folder) under build/<id>/ and everything it is made from."""

    output: str  # path under build/<id>/: a file, or a folder when `folder` is true
    kind: str
    key_data: Any  # JSON-able: the part of the model this output is made from
    render: Callable[[Path, "BuildContext"], None]  # writes the file (or fills the folder) at dest
    templates: list[str] = field(default_factory=list)  # paths relative to site_templates/ (or absolute)
    sources: list[str] = field(default_factory=list)  # source files it came from (display paths)
    after: list[str] = field(default_factory=list)  # outputs of other jobs it reads (their keys join its key)
    folder: bool = False
    key: str = ""
    # When given, `render` does not read the `after` outputs and may run before them; `finish` does:
    # it runs in the building process once every job has rendered (cheap steps: linking files in).
    finish: Callable[[Path, "BuildContext"], None] | None = None
    lane: str = ""  # jobs of one lane render one after another in one worker (they share a costly process)
    settle: Settle | None = None  # early cutoff (see Settle)
    base_key: str = ""  # with settle: the key without `after` and the data the facts stand for


@dataclass
class BuildContext:
    """What a render sees: the content, the staging folder it writes into, the previous build."""

    content: Content
    staging: Path  # the new build/<id>/ being assembled
    previous: Path | None  # the current build/<id>/, if any
    notes: list[str] = field(default_factory=list)  # messages for the user (font substitutions, ...)
    expected: frozenset[str] = frozenset()  # outputs staging holds once the build is done (rendered or carried over)
    last: dict[str, Any] = field(default_factory=dict)  # the last build's manifest entries (none with --force)
    facts: Any = None  # what a job with `settle` read of its `after` outputs, while it renders

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


@dataclass
class Report:
    """What rendering one job came to: its notes, its settled key (jobs with `settle`), and whether
    the last build's file was carried over instead (the settled key had not changed)."""

    notes: list[str] = field(default_factory=list)
    settled: str | None = None
    cut_off: bool = False


@dataclass(frozen=True)
class Output:
    """One kind of output: its `--only` name, the job kinds it makes, how it makes them.

    `jobs(content)` must not write anything; rendering happens later, in `Job.render`, possibly
    in a forked worker (so a render writes only at its `dest` and reports through `ctx.note`).
    `warm_up()`, when given, runs once per fleet worker (start servers, load fonts/templates)."""

    name: str
    kinds: tuple[str, ...]
    jobs: Callable[[Content], list[Job]]
    warm_up: Callable[[], None] | None = None
    aliases: tuple[str, ...] = ()
    title: str = ""  # Chinese name, for `--only` help and messages


@dataclass
class Outcome:
    """What building one enterprise of a fleet came to (for the summary and fleet-level outputs)."""

    source: str
    enterprise: str = ""
    name: str = ""
    ok: bool = False
    rendered: int = 0
    reused: int = 0
    unchanged: bool = False
    seconds: float = 0.0
    messages: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    out_dir: str = ""
    worker: int = 0  # the process that built it (a fleet worker's pid)


@dataclass(frozen=True)
class FleetSettings:
    """The settings of a fleet-level output (the regulator's, not any enterprise's)."""

    personal: bool = False  # the fleet view shows principals' names, phones and exam results (default: counts only)


@dataclass(frozen=True)
class FleetOutput:
    """An output over the enterprises built together (the portal): written after a fleet run from
    each enterprise's build folder (its manifest and data), never from content."""

    name: str
    write: Callable[[list[Outcome], Path, FleetSettings], Path]
    title: str = ""
