"""`python -m generators`: the anquan command line."""

from .cli import entry

if __name__ == "__main__":
    entry()
