"""A key project's monthly figures (ProjectFigure), filed by its responsible unit in the monthly
report: append-only with corrections (core.corrections, keyed by project and month), and the
project's own figure fields set from the current entry of its latest filed month in the same
transaction, so that every page, the cockpit and the report keep reading them there."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from shigan.core import clock
from shigan.core.audit import audit_record, snapshot
from shigan.core.corrections import CorrectionProblem, correction_problem
from shigan.core.models import AuditAction
from shigan.orgs.models import Unit

from ..calc import plain
from ..models import KeyProject, ProjectFigure
from ..models.projects import MONEY
from .actuals import Problem

Key = tuple[int, int]  # (project id, month)
AMOUNT_LIMIT = Decimal(10) ** (MONEY["max_digits"] - MONEY["decimal_places"])
AMOUNTS = {"completed_investment": "本年累计完成投资", "funds_in_place": "累计到位资金"}


@dataclass
class ProjectFigureEntry:
    """One project's figures for `month` of the project's year. `corrects`, when given, must be
    the month's current entry (a stale form is refused)."""

    project: KeyProject
    month: int
    completed_investment: Decimal
    funds_in_place: Decimal
    started_on: datetime.date | None = None
    completed_on: datetime.date | None = None
    note: str = ""
    unit: Unit | None = None
    corrects: ProjectFigure | None = None
    reason: str = ""

    @property
    def key(self) -> Key:
        return (self.project.pk, self.month)

    def same_as(self, figure: ProjectFigure | None) -> bool:
        return figure is not None and all(
            getattr(self, f) == getattr(figure, f)
            for f in ("completed_investment", "funds_in_place", "started_on", "completed_on")
        )


class ProjectFiguresRejected(ValidationError):
    """Every problem of a batch by the entry's position; nothing was written."""

    def __init__(self, problems: dict[int, list[Problem]]):
        self.problems = problems
        super().__init__({str(i): [p.message for p in found] for i, found in problems.items()})


def figures_current(project_ids, months=None) -> dict[Key, ProjectFigure]:
    """The current entry per (project id, month), one query."""
    figures = ProjectFigure.objects.filter(project_id__in=list(project_ids))
    if months is not None:
        figures = figures.filter(month__in=list(months))
    return figures.current_by("project_id", "month")


def _amount_problems(entry: ProjectFigureEntry) -> list[Problem]:
    found = []
    for field, label in AMOUNTS.items():
        value = getattr(entry, field)
        if value < 0:
            found.append(Problem(field, f"{label}不能为负数"))
        elif abs(value) >= AMOUNT_LIMIT:
            found.append(Problem(field, f"{label}超出范围"))
        elif value.normalize().as_tuple().exponent < -MONEY["decimal_places"]:
            found.append(Problem(field, f"{label}最多保留{MONEY['decimal_places']}位小数"))
    return found


def _date_problems(entry: ProjectFigureEntry, today: datetime.date) -> list[Problem]:
    found = []
    for field, label in (("started_on", "实际开工日期"), ("completed_on", "实际竣工投产日期")):
        day = getattr(entry, field)
        if day is not None and day > today:
            found.append(Problem(field, f"{label}{day:%Y-%m-%d}晚于今天"))
    if found:
        return found
    project = KeyProject(actual_start=entry.started_on, actual_completion=entry.completed_on)
    try:
        project.clean()
    except ValidationError as error:
        fields = {"actual_start": "started_on", "actual_completion": "completed_on"}
        for name, messages in error.message_dict.items():
            found += [Problem(fields.get(name, name), m) for m in messages]
    return found


def _period_problems(entry: ProjectFigureEntry, today: datetime.date) -> list[Problem]:
    year = entry.project.year
    if not 1 <= entry.month <= 12:
        return [Problem("month", f"月份{entry.month}不在1-12之间")]
    if (year, entry.month) > (today.year, today.month):
        return [Problem("month", f"不能填报未来月份（{year}年{entry.month}月）")]
    return []


def _note_problems(entry: ProjectFigureEntry, previous: ProjectFigure | None) -> list[Problem]:
    if entry.note or previous is None:
        return []
    lower = [
        f"{label}{plain(getattr(entry, f))}低于上月的{plain(getattr(previous, f))}"
        for f, label in AMOUNTS.items()
        if getattr(entry, f) < getattr(previous, f)
    ]
    return [Problem("note", "；".join(lower) + "，请填写说明")] if lower else []


def _correction_problems(entry, current: ProjectFigure | None) -> list[Problem]:
    match correction_problem(current, entry.corrects, entry.reason, implicit=True):
        case CorrectionProblem.FOREIGN:
            return [Problem("corrects", "所更正的填报不属于该项目该月份")]
        case CorrectionProblem.STALE:
            return [Problem("corrects", "该月数据已有更新的填报，请刷新后核对再提交")]
        case CorrectionProblem.NO_REASON:
            return [Problem("reason", f"{entry.month}月已填报，再次填报即为更正，请填写更正原因")]
    return []


def _problems(entries, known: dict[Key, ProjectFigure], today) -> dict[int, list[Problem]]:
    problems: dict[int, list[Problem]] = {}
    seen: set[Key] = set()
    for i, entry in enumerate(entries):
        found = [Problem("month", "同一项目同一月份重复填报")] if entry.key in seen else []
        seen.add(entry.key)
        current = known.get(entry.key)
        if not found and not entry.same_as(current):
            found = _period_problems(entry, today)
            if not found:
                previous = known.get((entry.project.pk, entry.month - 1))
                found = (
                    _amount_problems(entry)
                    + _date_problems(entry, today)
                    + _correction_problems(entry, current)
                    + _note_problems(entry, previous)
                )
        if found:
            problems[i] = found
    return problems


def _project_follow(project: KeyProject, by) -> None:
    """Set the project's figure fields from the current entry of its latest filed month."""
    latest = max(figures_current([project.pk]).values(), key=lambda f: f.month)
    before = snapshot(project)
    project.completed_investment_this_year = latest.completed_investment
    project.funds_in_place = latest.funds_in_place
    project.actual_start = latest.started_on
    project.actual_completion = latest.completed_on
    if snapshot(project) != before:
        project.save()
        note = f"{project.year}年{latest.month}月填报"
        audit_record(actor=by, obj=project, action=AuditAction.UPDATE, before=before, note=note)


def _write(entry: ProjectFigureEntry, current: ProjectFigure | None, by) -> ProjectFigure:
    figure = ProjectFigure.append(
        current=current,
        reason=entry.reason,
        project=entry.project,
        month=entry.month,
        completed_investment=entry.completed_investment,
        funds_in_place=entry.funds_in_place,
        started_on=entry.started_on,
        completed_on=entry.completed_on,
        note=entry.note,
        unit=entry.unit or entry.project.responsible_unit,
        submitted_by=by if getattr(by, "pk", None) else None,
    )
    audit_record(actor=by, obj=figure, action=AuditAction.SUBMIT, note=figure.correction_note)
    return figure


@transaction.atomic
def project_figures_submit(*, entries: Sequence[ProjectFigureEntry], by) -> list[ProjectFigure]:
    """File key projects' monthly figures, all or nothing; returns the entries written (an
    entry identical to its month's current one is skipped).

    Rules: no future month; amounts not negative, at most two decimals; dates not after today,
    completion not before start and only with a start (KeyProject.clean); an amount lower than
    last month's needs a note; a month already filed gets a correction of its current entry,
    which needs a reason. Raises ProjectFiguresRejected with every problem, writing nothing.
    """
    ids = {entry.project.pk for entry in entries}
    list(KeyProject.objects.select_for_update().filter(pk__in=ids).values("pk"))
    for entry in entries:
        entry.note, entry.reason = entry.note.strip(), entry.reason.strip()
    known = figures_current(ids)
    if problems := _problems(entries, known, clock.today()):
        raise ProjectFiguresRejected(problems)
    written = [
        _write(entry, known.get(entry.key), by)
        for entry in entries
        if not entry.same_as(known.get(entry.key))
    ]
    for project in {f.project_id: f.project for f in written}.values():
        _project_follow(project, by)
    return written
