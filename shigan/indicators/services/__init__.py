"""Writes for indicators, key projects and investment attraction, each audited, each in one
transaction (package modules: actuals — monthly figures, targets, same-period figures; records —
indicator definitions, enterprises, projects, trips and agreements; projects — the key projects'
monthly figures).

Permission is the caller's to check (indicators.access); the rules here hold whoever submits.
"""

from .actuals import (
    ActualEntry,
    ActualsRejected,
    Problem,
    actual_submit,
    actuals_check,
    actuals_submit,
    same_period_set,
    target_set,
    value_problem,
)
from .projects import ProjectFigureEntry, ProjectFiguresRejected, project_figures_submit
from .records import (
    agreement_land,
    agreement_save,
    enterprise_save,
    indicator_save,
    indicator_year_set,
    key_project_save,
    trip_save,
)

__all__ = [
    "ActualEntry",
    "ActualsRejected",
    "Problem",
    "ProjectFigureEntry",
    "ProjectFiguresRejected",
    "actual_submit",
    "actuals_check",
    "actuals_submit",
    "agreement_land",
    "agreement_save",
    "enterprise_save",
    "indicator_save",
    "indicator_year_set",
    "key_project_save",
    "project_figures_submit",
    "same_period_set",
    "target_set",
    "trip_save",
    "value_problem",
]
