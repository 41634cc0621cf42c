"""The output builders, registered in build order (the site last: it links what the others made).

Each module named here defines `jobs(content) -> list[build.Job]`.
"""

from .build import register_builder

# name (as used by --only) -> module
register_builder("data", "generators.outputs_data")
register_builder("handbook", "generators.handbook")
