"""`python -m generators`: the anquan command line."""

from .cli import entry

entry()
