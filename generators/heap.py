"""Giving freed memory back to the system."""

from __future__ import annotations


def trim() -> None:
    """Hand the heap's free pages back to the system: glibc keeps what a process freed, so a
    long-lived process (a fleet worker between enterprises, the Typst server between compiles)
    would otherwise stay at its high-water mark. A no-op where there is no glibc."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
