"""anquan: compile an enterprise's work-safety content (YAML) into notices, handbooks, cards, exams and a site."""

__version__ = "0.2.0"
