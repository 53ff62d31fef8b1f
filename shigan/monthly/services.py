"""A unit's monthly report as one submission: progress on the tasks it leads, the month's
figures of the indicators it is responsible for and of its key projects of the year, saved
together or not at all.

The rules are the two apps' own (tasks.services.progress for the tasks, indicators.services for
the figures); this module only makes them one transaction and gathers every problem of both.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from shigan.core import clock
from shigan.indicators.models import Actual, ProjectFigure
from shigan.indicators.services import (
    ActualEntry,
    ActualsRejected,
    Problem,
    ProjectFigureEntry,
    ProjectFiguresRejected,
    actuals_submit,
    project_figures_submit,
)
from shigan.orgs.models import Unit
from shigan.tasks.models import ProgressReport
from shigan.tasks.services.progress import (
    ReportEntry,
    files_discarded_on_error,
    load_known,
    monthly_report_errors,
    monthly_report_write,
    stripped,
)

NOTHING = "未填写任何进展，指标完成值也没有变动"
NOT_OURS = "该指标不由本单位负责，不能填报"
NOT_OUR_PROJECT = "该项目不由本单位负责，不能填报"


@dataclass
class MonthlyReportFiled:
    """What a monthly report wrote: progress reports and indicator figures (unchanged figures
    are not written again)."""

    reports: list[ProgressReport]
    actuals: list[Actual]
    figures: list[ProjectFigure]


class MonthlyReportRejected(ValidationError):
    """Every problem of a monthly report; nothing was written. `tasks` is keyed by task id (as
    str) and NON_FIELD_ERRORS; `indicators` and `projects` by the figure's position in the
    submitted list."""

    def __init__(
        self,
        tasks: dict[str, list[str]],
        indicators: dict[int, list[Problem]],
        projects: dict[int, list[Problem]] | None = None,
    ):
        self.tasks = tasks
        self.indicators = indicators
        self.projects = projects or {}
        messages = [m for found in tasks.values() for m in found]
        messages += [p.message for found in indicators.values() for p in found]
        messages += [p.message for found in self.projects.values() for p in found]
        super().__init__(messages)


def _foreign(actuals: Sequence[ActualEntry], unit: Unit, period: datetime.date):
    month = f"{period.year}年{period.month}月"
    problems: dict[int, list[Problem]] = {}
    for i, entry in enumerate(actuals):
        if entry.indicator.responsible_unit_id != unit.pk:
            problems[i] = [Problem("indicator", NOT_OURS)]
        elif (entry.year, entry.month) != (period.year, period.month):
            problems[i] = [Problem("month", f"本月报只能填报{month}的完成值")]
    return problems


def _actuals_write(
    actuals: Sequence[ActualEntry], unit: Unit, period: datetime.date, by
) -> tuple[list[Actual], dict[int, list[Problem]]]:
    if problems := _foreign(actuals, unit, period):
        return [], problems
    try:
        # Its own savepoint: a refused batch leaves nothing behind, and the task checks still run.
        return actuals_submit(entries=actuals, by=by), {}
    except ActualsRejected as rejected:
        return [], rejected.problems


def _foreign_projects(figures: Sequence[ProjectFigureEntry], unit: Unit, period: datetime.date):
    problems: dict[int, list[Problem]] = {}
    for i, entry in enumerate(figures):
        if entry.project.responsible_unit_id != unit.pk:
            problems[i] = [Problem("project", NOT_OUR_PROJECT)]
        elif (entry.project.year, entry.month) != (period.year, period.month):
            problems[i] = [
                Problem("month", f"本月报只能填报{period.year}年项目的{period.month}月数据")
            ]
    return problems


def _figures_write(
    figures: Sequence[ProjectFigureEntry], unit: Unit, period: datetime.date, by
) -> tuple[list[ProjectFigure], dict[int, list[Problem]]]:
    if problems := _foreign_projects(figures, unit, period):
        return [], problems
    try:
        return project_figures_submit(entries=figures, by=by), {}
    except ProjectFiguresRejected as rejected:
        return [], rejected.problems


def monthly_report_file(
    *,
    unit: Unit,
    period: datetime.date,
    by,
    entries: Sequence[ReportEntry],
    actuals: Sequence[ActualEntry],
    figures: Sequence[ProjectFigureEntry] = (),
) -> MonthlyReportFiled:
    """File a unit's monthly report: a progress report per task entry with a text (as
    monthly_report_submit) and the indicator figures (as indicators.services.actuals_submit),
    and the key projects' figures (as indicators.services.project_figures_submit), in one
    transaction. The figures must be of `period` and of indicators and projects (of the
    period's year) `unit` is responsible for. Raises MonthlyReportRejected and writes nothing (no rows, no files) when any task entry
    or any figure breaks a rule, or when the report brings nothing new.
    """
    entries = stripped(entries)
    with files_discarded_on_error() as stored, transaction.atomic():
        today = clock.today()
        known = load_known([entry.task.pk for entry in entries], period, unit, today)
        task_errors = monthly_report_errors(
            entries, unit=unit, period=period, known=known, today=today
        )
        written, problems = _actuals_write(actuals, unit, period, by)
        filed, project_problems = _figures_write(figures, unit, period, by)
        if task_errors or problems or project_problems:
            raise MonthlyReportRejected(task_errors, problems, project_problems)
        reports = monthly_report_write(
            entries, unit=unit, period=period, by=by, known=known, stored=stored
        )
        if not reports and not written and not filed:
            raise MonthlyReportRejected({NON_FIELD_ERRORS: [NOTHING]}, {})
        return MonthlyReportFiled(reports=reports, actuals=written, figures=filed)
