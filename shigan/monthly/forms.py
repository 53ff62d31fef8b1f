"""The unit's monthly report as one form: a card per task it leads (tasks.forms.progress's
TaskReportForm), a card per indicator it is responsible for — the month's figure, 预计, 说明
and, when the month already has a figure, the reason for correcting it — and a card per key
project of the year it is responsible for (investment completed and funds in place so far,
actual start and completion dates, 说明, 更正原因).

The forms only parse (ids and months with core.params, numbers as the xlsx import reads them); the
rules — months, dates, evidence, notes for figures far off, corrections with reasons, stale
forms — are tasks.services' and indicators.services', whose problems are put back next to the
task or indicator they name.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from shigan.core import params
from shigan.core.forms import DateField
from shigan.core.xlsx.cells import BadCell, decimal
from shigan.indicators.calc import plain
from shigan.indicators.forms.fields import AmountField
from shigan.indicators.models import Actual, KeyProject, ProjectFigure
from shigan.indicators.models.projects import MONEY
from shigan.indicators.queries import ReportRow
from shigan.indicators.services import ActualEntry, Problem, ProjectFigureEntry
from shigan.tasks.forms.fields import posted_id
from shigan.tasks.forms.progress import TaskReportForm
from shigan.tasks.services.progress import STALE, ReportEntry

from .conflicts import (
    CONFLICT_FIELDS,
    indicator_conflict,
    mark_stale,
    project_conflict,
    task_conflicts,
)

INDICATOR_KEY = re.compile(rf"^ind-({params.ID_PATTERN})-")
PROJECT_KEY = re.compile(rf"^prj-({params.ID_PATTERN})-")

# Where a service problem is shown; the others go above the indicator's inputs.
PROBLEM_FIELDS = {"value": "value", "note": "note", "reason": "reason"}


def _shown(value: Decimal | None) -> str:
    return "—" if value is None else plain(value)


def _actual_shown(actual: Actual | None) -> str:
    if actual is None:
        return "未填报"
    return plain(actual.value) + ("（预计）" if actual.is_estimate else "")


class IndicatorReportForm(forms.Form):
    """One indicator's card; fields are named ind-<id>-<field>, prefilled with the month's
    current figure. A card without a value is not submitted."""

    value = forms.CharField(
        label="本月完成",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    estimate = forms.BooleanField(label="预计", required=False)
    # 同上月: last month's figure is this month's (a finished 夏粮, a level that did not move).
    # Without a typed value the server copies it; a typed one must be it. monthly.js fills it in.
    same = forms.BooleanField(label="同上月", required=False)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(
        label="更正原因", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    # Set by MonthlyReportForm before validation: the figure the card was shown with (the
    # month's current one unless someone filed since: then `stale`).
    shown: Actual | None = None
    stale = False

    def __init__(self, data=None, *, row: ReportRow):
        current = row.current
        self.shown = current
        initial = {}
        if current is not None:
            initial = {
                "value": plain(current.value),
                "estimate": current.is_estimate,
                "note": current.note,
            }
        super().__init__(data, prefix=f"ind-{row.indicator.pk}", initial=initial)
        self.row = row

    @property
    def name(self) -> str:
        return self.row.indicator.name

    def figures(self) -> list[tuple[str, str]]:
        """The context shown above the inputs: target, last month, last year, this month so far."""
        ind, row = self.row.indicator, self.row
        return [
            ("年度目标", _shown(ind.annual_target)),
            ("上月", _actual_shown(row.previous)),
            ("上年同期", _shown(ind.same_period)),
            ("本月已报", _actual_shown(row.current)),
        ]

    def seen_value(self) -> str:
        return "" if self.row.current is None else str(self.row.current.pk)

    def previous_value(self) -> str:
        """Last month's figure as the 同上月 button types it ("" when there is none)."""
        previous = self.row.previous
        return "" if previous is None else plain(previous.value)

    def previous_estimate(self) -> bool:
        """Whether last month's figure was 预计 (同上月 then ticks 预计 too)."""
        return self.row.previous is not None and self.row.previous.is_estimate

    def summary(self) -> str:
        """The one line a collapsed card shows: this month's figure against last month's."""
        unit = self.row.indicator.get_measure_unit_display()
        return (
            f"本月{_actual_shown(self.row.current)} · 上月{_actual_shown(self.row.previous)} {unit}"
        )

    def clean_value(self) -> Decimal | None:
        raw = self.cleaned_data["value"].strip()
        try:
            return decimal(raw, percent=False)
        except BadCell as bad:
            raise ValidationError(f"“{self.name}”本月完成：“{raw}”{bad}") from None

    def clean(self) -> dict:
        data = super().clean()
        self.seen, problem = posted_id(self.data.get(self.add_prefix("seen")))
        if problem:
            self.add_error(None, f"“{self.name}”：{problem}")
        if data.get("same"):
            self._carry_forward(data)
        if "value" in data and data["value"] is None:
            filled = [f"填写了{self.fields[f].label}" for f in ("note", "reason") if data.get(f)]
            filled += ["勾选了预计"] if data.get("estimate") else []
            if filled:
                raise ValidationError(f"“{self.name}”：{'、'.join(filled)}，请同时填写本月完成值")
        return data

    def _carry_forward(self, data: dict) -> None:
        """同上月 ticked: the value is last month's figure; one typed must be that figure. Last
        month's 预计 goes with it: an estimate carried on is still an estimate, not a final."""
        previous = self.row.previous
        if previous is not None and previous.is_estimate:
            data["estimate"] = True
        if previous is None:
            self.add_error("same", f"“{self.name}”：上月未填报，不能填“同上月”，请填写本月完成值")
        elif "value" not in data:
            return  # the typed value was refused already
        elif data["value"] is None:
            data["value"] = previous.value
        elif data["value"] != previous.value:
            self.add_error(
                "value",
                f"“{self.name}”：勾选了“同上月”（{plain(previous.value)}），"
                f"但填写的是{plain(data['value'])}；请取消勾选或改为上月的数",
            )

    def carried(self) -> bool:
        """Whether the submitted figure is last month's carried forward (同上月)."""
        data = self.cleaned_data
        return bool(data.get("same")) and self.row.previous is not None

    def has_value(self) -> bool:
        return self.cleaned_data.get("value") is not None

    def touched(self) -> bool:
        """Whether the reporter changed the card: a value that differs, in itself, 预计 or 说明,
        from the figure the card was shown with (or a value where it showed none), or a
        correction's reason. An untouched card is not submitted, whatever was filed since."""
        data, shown = self.cleaned_data, self.shown
        if not self.has_value():
            return False
        if shown is None or data.get("reason"):
            return True
        return (data["value"], data["estimate"], data["note"].strip()) != (
            shown.value,
            shown.is_estimate,
            shown.note.strip(),
        )

    def is_submitted(self) -> bool:
        return self.has_value() and self.touched()

    def _corrects(self) -> Actual | None:
        seen, current = self.seen, self.row.current
        if seen is None:
            return None
        if current is not None and current.pk == seen:
            return current
        # A figure replaced since the form was shown: the service compares only its id with the
        # month's current figure and refuses the submission as stale.
        return Actual(pk=seen)

    def add_problems(self, problems: list[Problem]) -> None:
        # A figure filed since the form was shown (the service's stale check, or a correction
        # without a reason for a figure the form did not show): said as who filed what, when.
        if conflict := indicator_conflict(self):
            self.add_error(None, conflict)
            problems = [p for p in problems if p.field not in CONFLICT_FIELDS]
        for problem in problems:
            field = PROBLEM_FIELDS.get(problem.field)
            label = "本月完成" if field == "value" else ""
            self.add_error(field, f"“{self.name}”{label}：{problem.message}")

    def entry(self, period: datetime.date) -> ActualEntry:
        data = self.cleaned_data
        return ActualEntry(
            indicator=self.row.indicator,
            year=period.year,
            month=period.month,
            value=data["value"],
            is_estimate=data["estimate"],
            note=data["note"],
            corrects=self._corrects(),
            reason=data["reason"],
            audit_note=f"同上月：沿用{period.month - 1}月的{plain(data['value'])}"
            if self.carried()
            else "",
        )


@dataclass
class ProjectRow:
    """A key project as the monthly form shows it: the month's current figures and last
    month's."""

    project: KeyProject
    current: ProjectFigure | None
    previous: ProjectFigure | None


PROJECT_FIELDS = {
    "completed_investment": "completed_investment",
    "funds_in_place": "funds_in_place",
    "started_on": "started_on",
    "completed_on": "completed_on",
    "note": "note",
    "reason": "reason",
}


class ProjectReportForm(forms.Form):
    """One key project's card; fields are named prj-<id>-<field>, prefilled with the month's
    current figures (else the project's actual dates). A card left as it was shown is not
    submitted; a changed one needs both amounts."""

    completed_investment = AmountField(
        label="本年累计完成投资（万元）", required=False, places=MONEY["decimal_places"]
    )
    funds_in_place = AmountField(
        label="累计到位资金（万元）", required=False, places=MONEY["decimal_places"]
    )
    started_on = DateField(label="实际开工日期", required=False)
    completed_on = DateField(label="实际竣工投产日期", required=False)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(
        label="更正原因", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    # As IndicatorReportForm's: the figure the card was shown with, and whether one was filed
    # since (set by MonthlyReportForm before validation).
    shown: ProjectFigure | None = None
    stale = False

    def __init__(self, data=None, *, row: ProjectRow):
        project, current = row.project, row.current
        self.shown = current
        if current is not None:
            names = ["completed_investment", "funds_in_place", "started_on", "completed_on"]
            initial = {name: getattr(current, name) for name in names} | {"note": current.note}
        else:
            initial = {
                "started_on": project.actual_start,
                "completed_on": project.actual_completion,
            }
        super().__init__(data, prefix=f"prj-{project.pk}", initial=initial)
        self.row = row

    @property
    def name(self) -> str:
        return self.row.project.name

    def last_month(self) -> str:
        previous = self.row.previous
        return "未填报" if previous is None else (
            f"完成投资{plain(previous.completed_investment)}，到位{plain(previous.funds_in_place)}"
        )  # fmt: skip

    def figures(self) -> list[tuple[str, str]]:
        project, last = self.row.project, self.last_month()
        return [
            ("本年计划投资", plain(project.planned_investment_this_year)),
            ("合同投资", plain(project.contracted_investment)),
            ("计划开工", f"{project.planned_start or '—'}"),
            ("计划竣工投产", f"{project.planned_completion or '—'}"),
            ("上月", last),
        ]

    def seen_value(self) -> str:
        return "" if self.row.current is None else str(self.row.current.pk)

    def summary(self) -> str:
        """The one line a collapsed card shows: this month's figures."""
        current = self.row.current
        if current is None:
            return "本月未填报"
        invested, funds = plain(current.completed_investment), plain(current.funds_in_place)
        return f"本月已报：完成投资{invested}，到位{funds}万元"

    def clean(self) -> dict:
        data = super().clean()
        self.seen, problem = posted_id(self.data.get(self.add_prefix("seen")))
        if problem:
            self.add_error(None, f"“{self.name}”：{problem}")
        if self.is_filed():
            for field in ("completed_investment", "funds_in_place"):
                if field in data and data[field] is None:
                    label = self.fields[field].label
                    self.add_error(field, f"“{self.name}”：请填写{label}")
        return data

    def is_filed(self) -> bool:
        """Whether the reporter changed the card (then it is submitted): against what it was
        shown with, not against a figure filed since by someone else."""
        if not self.stale:
            return self.has_changed()
        data, shown = getattr(self, "cleaned_data", {}), self.shown
        if data.get("reason"):
            return True
        if shown is None:
            typed = ("completed_investment", "funds_in_place", "note")
            return any(data.get(name) not in (None, "") for name in typed)
        return (
            any(
                data.get(name) != getattr(shown, name)
                for name in ("completed_investment", "funds_in_place", "started_on", "completed_on")
            )
            or (data.get("note") or "").strip() != shown.note.strip()
        )

    def entry(self, period: datetime.date) -> ProjectFigureEntry:
        data, current = self.cleaned_data, self.row.current
        corrects = None
        if self.seen is not None:
            # A figure replaced since the form was shown is refused as stale by the service.
            same = current is not None and current.pk == self.seen
            corrects = current if same else ProjectFigure(pk=self.seen)
        return ProjectFigureEntry(
            project=self.row.project, month=period.month,
            completed_investment=data["completed_investment"],
            funds_in_place=data["funds_in_place"], started_on=data["started_on"],
            completed_on=data["completed_on"], note=data["note"], corrects=corrects,
            reason=data["reason"],
        )  # fmt: skip

    def add_problems(self, problems: list[Problem]) -> None:
        if conflict := project_conflict(self):
            self.add_error(None, conflict)
            problems = [p for p in problems if p.field not in CONFLICT_FIELDS]
        for problem in problems:
            field = PROJECT_FIELDS.get(problem.field)
            self.add_error(field, f"“{self.name}”：{problem.message}")


@dataclass
class CardGroup:
    """Cards shown under one header with how many of them this month already has."""

    label: str
    cards: list
    filed: int


@dataclass
class CardError:
    """A card with problems, as the summary above the form lists it and links to it."""

    anchor: str
    number: str
    messages: list[str]


def _messages(card) -> list[str]:
    return [str(m) for messages in card.errors.values() for m in messages]


class MonthlyReportForm:
    """A unit's monthly report: one TaskReportForm per task it leads and one IndicatorReportForm
    per indicator it is responsible for; valid only when every card is."""

    def __init__(
        self,
        rows,
        period_reports,
        *,
        today,
        period,
        indicator_rows=(),
        project_rows=(),
        data=None,
        files=None,
    ):
        self.cards = [
            TaskReportForm(
                data,
                files,
                row=row,
                period_report=period_reports.get(row.task.pk),
                today=today,
                period=period,
            )
            for row in rows
        ]
        self.indicator_cards = [IndicatorReportForm(data, row=row) for row in indicator_rows]
        for number, card in enumerate(self.indicator_cards, start=1):
            card.number = number  # shown on the card, named by the error summary
        self.project_cards = [ProjectReportForm(data, row=row) for row in project_rows]
        self.errors: list[str] = []
        self._posted: list[IndicatorReportForm] = []
        self._posted_projects: list[ProjectReportForm] = []

    def _all_cards(self) -> list:
        return [*self.cards, *self.indicator_cards, *self.project_cards]

    def is_valid(self) -> bool:
        """Every card valid. Figure cards are first told what they were shown with
        (monthly.conflicts.mark_stale): a card the reporter did not change is left out of the
        submission whatever was filed since; one he changed whose figure someone filed since
        is refused by the service's stale check, in the same transaction as the write, and
        the refusal is said on its card as who filed what and when."""
        mark_stale(self.indicator_cards, self.project_cards)
        return all([card.is_valid() for card in self._all_cards()])

    def has_errors(self) -> bool:
        cards = self._all_cards()
        return bool(self.errors) or any(card.errors for card in cards)

    def tasks_filed(self) -> int:
        """Tasks whose progress of the month is in already."""
        return sum(1 for card in self.cards if card.period_report is not None)

    def indicator_filed(self) -> int:
        return sum(1 for card in self.indicator_cards if card.row.current is not None)

    def projects_filed(self) -> int:
        return sum(1 for card in self.project_cards if card.row.current is not None)

    def indicator_groups(self) -> list[CardGroup]:
        """The indicator cards by category (经济, 农业 …) in the form's order."""
        groups: dict[str, CardGroup] = {}
        for card in self.indicator_cards:
            label = card.row.indicator.get_category_display()
            group = groups.setdefault(label, CardGroup(label, [], 0))
            group.cards.append(card)
            group.filed += card.row.current is not None
        return list(groups.values())

    def card_errors(self) -> list[CardError]:
        """Every card with a problem, numbered as the cards are (任务第1项, 指标第2项 …)."""
        found = []
        sections = (
            ("任务", self.cards, lambda c: f"task-{c.row.task.pk}"),
            ("指标", self.indicator_cards, lambda c: f"ind-{c.row.indicator.pk}"),
            ("项目", self.project_cards, lambda c: f"prj-{c.row.project.pk}"),
        )
        for what, cards, anchor in sections:
            for number, card in enumerate(cards, start=1):
                if card.is_bound and card.errors:
                    found.append(CardError(anchor(card), f"{what}第{number}项", _messages(card)))
        return found

    def entries(self) -> list[ReportEntry]:
        return [card.entry() for card in self.cards]

    def actual_entries(self, period: datetime.date) -> list[ActualEntry]:
        """The figures filled in, in a fixed order that service errors refer back to."""
        self._posted = [card for card in self.indicator_cards if card.is_submitted()]
        return [card.entry(period) for card in self._posted]

    def project_entries(self, period: datetime.date) -> list[ProjectFigureEntry]:
        """The project cards changed, in a fixed order that service errors refer back to."""
        self._posted_projects = [card for card in self.project_cards if card.is_filed()]
        return [card.entry(period) for card in self._posted_projects]

    def project_ids(self) -> set[int]:
        return {card.row.project.pk for card in self.project_cards}

    def task_ids(self) -> set[int]:
        return {card.row.task.pk for card in self.cards}

    def indicator_ids(self) -> set[int]:
        return {card.row.indicator.pk for card in self.indicator_cards}

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's errors next to the task or indicator they name: MonthlyReportRejected
        (tasks and indicators) or a ValidationError keyed by task id."""
        tasks = getattr(error, "tasks", None)
        by_task = {str(card.row.task.pk): card for card in self.cards}
        found = error.message_dict if tasks is None else tasks
        stale = [by_task[k] for k, found_ in found.items() if k in by_task and STALE in found_]
        said = task_conflicts(stale)  # who reported the task since (one query, only then)
        for key, messages in found.items():
            card = by_task.get(key)
            for message in messages:
                if card is None:
                    self.errors.append(message)
                else:
                    card.add_error(None, said.get(card, message) if message == STALE else message)
        for i, problems in getattr(error, "indicators", {}).items():
            self._posted[i].add_problems(problems)
        for i, problems in getattr(error, "projects", {}).items():
            self._posted_projects[i].add_problems(problems)


def posted_indicator_ids(data) -> set[int]:
    """Indicator ids named by the posted field names (ind-<id>-…)."""
    return {int(m.group(1)) for key in data if (m := INDICATOR_KEY.match(key))}


def posted_project_ids(data) -> set[int]:
    """Key project ids named by the posted field names (prj-<id>-…)."""
    return {int(m.group(1)) for key in data if (m := PROJECT_KEY.match(key))}
