"""The output builders, registered in build order (the site last: it links what the others made).

Each module named here defines `jobs(content) -> list[build.Job]`.
"""

from .build import register_builder

# name (as used by --only) -> module
register_builder("notices", "generators.notices")
register_builder("data", "generators.outputs_data")
register_builder("handbook", "generators.handbook")
register_builder("exams", "generators.exams")
register_builder("riskmap", "generators.riskmap")

# exam_rules.yaml / exam_history.yaml file kinds and the question bank and training checks
from . import exams as _exams  # noqa: E402,F401
# riskmap.yaml file kind, its reference checks and the risk-map gap check
from .model import riskmap as _riskmap  # noqa: E402,F401

# the site comes last: it copies the documents built above into its download pages (keep this line last)
register_builder("site", "generators.site")
