"""The regulator's desk (监管部门), pure queries over `Content`: nothing here renders or writes.

- `facts`       facts at the build date (licence status, accident-free years, coverage, hazards)
- `profile`     rating profiles (评价细则, YAML: the library's, else the tool's own) and their lookup
- `measures`    the catalogue of measures a profile's rules name, and the caps' conditions
- `rating`      `rate()`: 优良中差 with every score's evidence
- `benchmark`   标杆: the four criteria and the 10 ‰ selection
- `six_checks`  the data of the 六必查 sheet (its lines are `generators.model.regulator_lines`)
- `quiz`        凡查必考: the reproducible on-site quiz
- `fleet`       one enterprise's row of the fleet view; the fleet's 差别监管 plan and 标杆 list
- `check`       the `anquan check` warnings (in `generators.checks.CHECKS`)

The documents (PDF, xlsx) and the fleet page are made in `generators.outputs`.
"""

from .benchmark import CRITERIA, Criteria, benchmark_cap, criteria, select
from .check import check_regulator
from .measures import MEASURES, Evidence
from .profile import GRADES, Measure, Rubric, RubricError, load_rubric, rubric_dirs, rubric_files, rubric_for
from .rating import ItemScore, Rating, RuleScore, grade_for, inspection_for, rate

__all__ = [
    "CRITERIA",
    "GRADES",
    "MEASURES",
    "Criteria",
    "Evidence",
    "ItemScore",
    "Measure",
    "Rating",
    "Rubric",
    "RubricError",
    "RuleScore",
    "benchmark_cap",
    "check_regulator",
    "criteria",
    "grade_for",
    "inspection_for",
    "load_rubric",
    "rate",
    "rubric_dirs",
    "rubric_files",
    "rubric_for",
    "select",
]
