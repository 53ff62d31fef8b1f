"""Forms of a task's card in the unit's monthly report, of a progress correction and of opening a
past month (the monthly report itself, tasks and indicators together, is shigan.monthly's).

The forms only parse (ids, dates and months with core.params); the rules (months, dates,
evidence, corrections, concurrent reports) live in services/progress.py and services/periods.py,
whose errors are put back next to the task they name.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError

from shigan.core import params
from shigan.core.forms import DateField

from ..models import Milestone, ProgressReport
from ..queries import TaskRow
from ..services.periods import task_period_error
from ..services.progress import ReportEntry
from .fields import posted_id

ACCEPT = ".pdf,.ofd,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx"
TASK_KEY = re.compile(rf"^task-({params.ID_PATTERN})-")


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files; each one is checked by the service (evidence.validate_evidence)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None) -> list:
        if isinstance(data, list | tuple):
            return [upload for upload in data if upload]
        return [data] if data else []


def _milestone_field(ms: Milestone, task, today: datetime.date) -> DateField:
    return DateField(
        label="完成日期",
        what=f"节点“{ms.title}”的完成日期",
        required=False,
        widget=forms.DateInput(
            format="%Y-%m-%d",
            attrs={"type": "date", "min": task.start_date.isoformat(), "max": today.isoformat()},
        ),
    )


PROGRESS_MAX_CHARS = 3000


class TaskReportForm(forms.Form):
    """One task's card in the monthly report; its fields are named task-<id>-<field>."""

    text = forms.CharField(
        label="本月进展",
        required=False,
        # A month's progress is a paragraph of the summary report, not a document of its own.
        max_length=PROGRESS_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "本月工作进展、存在问题、下步打算"}),
    )
    reason = forms.CharField(
        label="更正原因", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = MultipleFileField(label="佐证材料", required=False)

    def __init__(
        self, *args, row: TaskRow, period_report: ProgressReport | None, today, period, **kwargs
    ):
        super().__init__(*args, prefix=f"task-{row.task.pk}", **kwargs)
        self.row = row
        self.period_report = period_report
        # Shown instead of the inputs: the month is outside the task's months.
        self.period_problem = task_period_error(row.task, period)
        for ms in self.undone:
            self.fields[f"ms-{ms.pk}"] = _milestone_field(ms, row.task, today)

    @property
    def undone(self) -> list[Milestone]:
        return [ms for ms in self.row.milestones if ms.done_on is None]

    def milestone_items(self) -> list[tuple[Milestone, forms.BoundField | None]]:
        return [(ms, None if ms.done_on else self[f"ms-{ms.pk}"]) for ms in self.row.milestones]

    def seen_value(self) -> str:
        latest = getattr(self.row.task, "latest_report_id", None)
        return "" if latest is None else str(latest)

    def clean(self) -> dict:
        data = super().clean()
        data["seen"], problem = posted_id(self.data.get(self.add_prefix("seen")))
        if problem:
            self.add_error(None, f"“{self.row.task.title}”：{problem}")
        return data

    def entry(self) -> ReportEntry:
        data = self.cleaned_data
        reached = {ms.pk: data[f"ms-{ms.pk}"] for ms in self.undone if data.get(f"ms-{ms.pk}")}
        return ReportEntry(
            task=self.row.task,
            text=data["text"],
            milestones_reached=reached,
            uploads=data["evidence"],
            reason=data["reason"],
            seen=data["seen"],
        )


class ProgressCorrectForm(forms.Form):
    """A correction of one report: the corrected text and why."""

    text = forms.CharField(
        label="更正后的进展",
        max_length=PROGRESS_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "请填写更正后的进展。"},
    )
    reason = forms.CharField(
        label="更正原因",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写更正原因。"},
    )
    evidence = MultipleFileField(label="佐证材料", required=False)


class PeriodOpenForm(forms.Form):
    """A coordinator opening a past month of the unit's report (补报): the month and why."""

    period = forms.CharField(
        label="开放月份", widget=forms.HiddenInput, error_messages={"required": "请选择月份。"}
    )
    reason = forms.CharField(
        label="开放原因",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "如：系统故障未能按时填报"}),
        error_messages={"required": "请填写开放补报的原因。"},
    )

    def clean_period(self) -> datetime.date:
        try:
            return params.parse_period(self.cleaned_data["period"])
        except params.BadValue as bad:
            raise ValidationError(f"月份{bad}") from None


def posted_task_ids(data, files) -> set[int]:
    """Task ids named by the posted field names (task-<id>-…)."""
    return {int(m.group(1)) for key in [*data, *files] if (m := TASK_KEY.match(key))}
