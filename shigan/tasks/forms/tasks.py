"""Forms for the task list filters and for creating/editing a task with its milestones."""

import functools

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

from shigan.campaigns.access import narrow_choices
from shigan.core.forms import DateField, IntegerField, date_input
from shigan.orgs.forms import lead_unit_field, leader_field, supporting_units_field

from ..models import Milestone, Task, TaskCategory
from ..services.tasks import (
    MilestoneInput,
    category_error,
    milestone_delete_error,
    milestone_range_error,
    supporting_error,
)
from ..status import TaskStatus


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: TaskCategory) -> str:
        return f"{obj.campaign.year}年 · {obj.name}"


@functools.lru_cache(maxsize=512)
def _escaped_options(choices: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str, str], ...]:
    """(value, escaped value, escaped label) of each choice. Keyed on the choices themselves
    (values and labels as text), so a renamed unit or leader is a new key, never a stale one:
    escaping the same ~80 options afresh cost the task list's filter bar ~0.5 ms a request."""
    return tuple(
        (value, conditional_escape(value), conditional_escape(label)) for value, label in choices
    )


class PlainSelect(forms.Select):
    """A <select> written in Python: the markup of Django's select templates, without rendering
    a template per option (a leader list of hundreds of names cost the task list ~10 ms); the
    escaped options are kept per choice set (_escaped_options), the selected one marked each time."""

    def render(self, name, value, attrs=None, renderer=None):
        if any(
            isinstance(label, (list, tuple, SafeData)) or isinstance(v, SafeData)
            for v, label in self.choices
        ):
            # Option groups, or text marked safe (not escaped, so not kept): Django's.
            return super().render(name, value, attrs, renderer)
        values = set(self.format_value(value))
        choices = tuple((str(v), str(label)) for v, label in self.choices)
        options, chosen = [], False
        for option_value, escaped_value, escaped_label in _escaped_options(choices):
            selected = not chosen and option_value in values
            chosen = chosen or selected
            options.append(
                f'\n  <option value="{escaped_value}"{" selected" if selected else ""}>'
                f"{escaped_label}</option>\n"
            )
        attrs = self.build_attrs(self.attrs, attrs)
        attributes = "".join(
            f" {conditional_escape(k)}"
            if v is True
            else f' {conditional_escape(k)}="{conditional_escape(v)}"'
            for k, v in attrs.items()
            if v is not False
        )
        return mark_safe(
            f'<select name="{conditional_escape(name)}"{attributes}>'
            + "".join(options)
            + "\n</select>"
        )


def _id_field(label: str, blank: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        choices=[("", blank)],
        coerce=int,
        empty_value=None,
        required=False,
        label=label,
        widget=PlainSelect,
    )


class TaskFilterForm(forms.Form):
    """The task list's filters; an unknown value is ignored rather than refused.

    The choices come from the caller, not from the database: the campaigns the user can read and
    the categories, lead units and leaders of his visible tasks in the chosen campaign
    (`tasks.queries.task_filter_options`), so the form never lists a whole province.
    """

    campaign = forms.TypedChoiceField(
        choices=[], coerce=int, empty_value=None, required=False, label="活动", widget=PlainSelect
    )
    category = _id_field("类别", "全部类别")
    unit = _id_field("牵头单位", "全部单位")
    leader = _id_field("责任领导", "全部领导")
    status = forms.ChoiceField(
        choices=[("", "全部")] + TaskStatus.choices,
        required=False,
        label="状态",
        widget=PlainSelect,
    )
    q = forms.CharField(required=False, max_length=100, label="任务名称")

    def __init__(self, data=None, *, campaigns=(), options=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["campaign"].choices = [(c.pk, str(c)) for c in campaigns]
        if options is not None:
            for name, items in (
                ("category", options.categories),
                ("unit", options.units),
                ("leader", options.leaders),
            ):
                field = self.fields[name]
                field.choices = field.choices[:1] + [(o.pk, o.name) for o in items]

    def filters(self) -> tuple[dict, set[str] | None]:
        """(queryset filters other than the campaign, statuses) from the valid fields."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        lookups = {
            "category_id": data.get("category"),
            "lead_unit_id": data.get("unit"),
            "leader_id": data.get("leader"),
        }
        found = {k: v for k, v in lookups.items() if v is not None}
        if data.get("q", "").strip():
            found["title__icontains"] = data["q"].strip()
        return found, ({data["status"]} if data.get("status") else None)


class TaskForm(forms.ModelForm):
    """A task's own fields; date order is checked by Task.clean, the rest here."""

    category = CategoryChoiceField(
        TaskCategory.objects.select_related("campaign"),
        label="类别",
        error_messages={"invalid_choice": "所选类别不存在，请重新选择。"},
    )
    lead_unit = lead_unit_field(required_message="请选择牵头单位。")
    supporting_units = supporting_units_field(size=8)
    leader = leader_field()

    class Meta:
        model = Task
        fields = [
            "campaign",
            "category",
            "number",
            "title",
            "target",
            "lead_unit",
            "supporting_units",
            "leader",
            "start_date",
            "due_date",
        ]
        widgets = {"start_date": date_input(), "due_date": date_input()}
        field_classes = {"start_date": DateField, "due_date": DateField}
        error_messages = {"campaign": {"invalid_choice": "所选活动不存在，请重新选择。"}}

    def clean(self):
        data = super().clean()
        campaign, category = data.get("campaign"), data.get("category")
        if campaign and category and (problem := category_error(campaign, category)):
            self.add_error("category", problem)
        lead, supporting = data.get("lead_unit"), data.get("supporting_units")
        if lead and supporting and (problem := supporting_error(lead, supporting)):
            self.add_error("supporting_units", problem)
        return data

    def task_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MilestoneForm(forms.Form):
    id = IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label="节点", max_length=200)
    due_date = DateField(label="计划完成日期", widget=date_input())


class BaseMilestoneFormSet(forms.BaseFormSet):
    """Milestones of one task; checked against the task form's dates once that form is valid."""

    def __init__(self, *args, task_form: TaskForm, existing: list[Milestone], **kwargs):
        self.task_form = task_form
        self.existing = {m.pk: m for m in existing}
        kwargs.setdefault(
            "initial", [{"id": m.pk, "title": m.title, "due_date": m.due_date} for m in existing]
        )
        super().__init__(*args, **kwargs)

    def _deleted_forms(self):
        # Not self.deleted_forms: that is empty while any form has an error.
        return [f for f in self.forms if f.cleaned_data.get("DELETE")]

    def _kept_forms(self):
        return [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]

    def clean(self):
        undeletable = [
            milestone_delete_error(self.existing[f.cleaned_data["id"]])
            for f in self._deleted_forms()
            if f.cleaned_data.get("id") in self.existing
        ]
        for form in self._kept_forms():
            pk = form.cleaned_data.get("id")
            if pk is not None and pk not in self.existing:
                form.add_error(None, "该节点不存在或不属于本任务。")
        if self.task_form.is_valid():
            self._check_dates()
        # Errors on a deleted form would be ignored by the formset, so they go here.
        if problems := [p for p in undeletable if p]:
            raise forms.ValidationError(problems)

    def _check_dates(self):
        start = self.task_form.cleaned_data["start_date"]
        due = self.task_form.cleaned_data["due_date"]
        for form in self._kept_forms():
            data = form.cleaned_data
            if "due_date" not in data:
                continue
            title = data.get("title", "")
            if problem := milestone_range_error(title, data["due_date"], start, due):
                form.add_error("due_date", problem)

    def milestone_inputs(self) -> list[MilestoneInput]:
        return [
            MilestoneInput(
                title=f.cleaned_data["title"],
                due_date=f.cleaned_data["due_date"],
                milestone=self.existing.get(f.cleaned_data.get("id")),
            )
            for f in self._kept_forms()
        ]


MilestoneFormSet = forms.formset_factory(
    MilestoneForm, formset=BaseMilestoneFormSet, extra=3, can_delete=True
)


def task_forms(data, task: Task | None, *, user) -> tuple[TaskForm, BaseMilestoneFormSet]:
    """The bound (data given) or unbound task form and milestone formset for `task`, its
    choices kept to the user's district."""
    instance = Task.objects.get(pk=task.pk) if task else None
    existing = list(task.milestones.all()) if task else []
    form = TaskForm(data, instance=instance)
    narrow_choices(form, user)
    categories = form.fields["category"]
    categories.queryset = categories.queryset.filter(
        campaign__in=form.fields["campaign"].queryset.values("pk")
    )
    formset = MilestoneFormSet(data, prefix="ms", task_form=form, existing=existing)
    return form, formset
