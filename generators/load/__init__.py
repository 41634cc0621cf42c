"""Content folders → one validated `Content` (YAML with line numbers, pydantic models, cross-file
checks); every problem a Chinese diagnostic naming file, line, column and field."""

from .kinds import FILE_KINDS, LIBRARY_KINDS, FileKind
from .loader import Loaded, default_library, load, load_files, load_or_raise

__all__ = ["FILE_KINDS", "LIBRARY_KINDS", "FileKind", "Loaded", "default_library", "load", "load_files", "load_or_raise"]
