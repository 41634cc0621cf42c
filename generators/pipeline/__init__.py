"""Building: one enterprise (`build`), many (`fleet.build_many`); the only writer of build/."""

from ..diagnostics import BuildError, ContentError
from .build import BuildOptions, BuildResult, build, build_content, collect_jobs
from .folders import recover

__all__ = ["BuildError", "BuildOptions", "BuildResult", "ContentError", "build", "build_content", "collect_jobs", "recover"]
