"""Forms of the directive and hand-down pages; every choice they offer comes from
directives.access, so a forged id (another county's unit or task) is refused as 不存在."""

from django import forms
from django.core.exceptions import ValidationError

from shigan.core import clock
from shigan.core.files import ACCEPTED_LABEL, MultipleFileField
from shigan.core.forms import DateField, control_error
from shigan.orgs.models import Role
from shigan.orgs.scope import district_people, district_units
from shigan.tasks.models import Task, TaskCategory

from .access import (
    issuer_choices,
    linkable_tasks,
    own_active_tasks,
    own_level_unit,
    subordinate_districts,
)
from .models import (
    DIRECTIVE_TITLE_MAX_CHARS,
    ISSUER_NAME_MAX_CHARS,
    POINT_MAX_CHARS,
    POINTS_MAX_COUNT,
    points_errors,
)

NOTE_MAX_CHARS = 1000


class TextField(forms.CharField):
    """A text whose control characters (a NUL byte pasted from another program…) and length are
    refused with messages naming the field and the limit, not Django's 不允许是用空字符串."""

    def __init__(self, *, label: str, limit: int, check_length: bool = True, **kwargs):
        super().__init__(label=label, **kwargs)
        self.limit, self.check_length = limit, check_length
        self.validators = []  # no ProhibitNullCharactersValidator: validate() names the field
        self.widget.attrs["maxlength"] = str(limit)

    def validate(self, value) -> None:
        super().validate(value)
        if problem := control_error(self.label, value or ""):
            raise ValidationError(problem, code="control")
        if self.check_length and len(value) > self.limit:
            raise ValidationError(
                f"“{self.label}”最多{self.limit}字，现有{len(value)}字，请精简。",
                code="max_length",
            )


class TaskChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Task) -> str:
        return f"{obj.title}（{obj.lead_unit.label}，时限{obj.due_date:%Y-%m-%d}）"


class DirectiveForm(forms.Form):
    """An own level's document (发文单位: one of the level's 党委政府/office units) or an upper
    level's (上级发文机关 as written on it, e.g. 县委办公室: the upper levels are not units of
    every database); one of the two."""

    issuer = forms.ModelChoiceField(
        label="发文单位（本级文件）", queryset=None, required=False,
        empty_label="（上级来文：填写下一项）",
    )  # fmt: skip
    issuer_name = TextField(
        label="上级发文机关", limit=ISSUER_NAME_MAX_CHARS, required=False,
        help_text="上级来文时填写文件上的发文机关，如：县委办公室；此时“发文单位”留空。",
    )  # fmt: skip
    number = TextField(
        label="文号", limit=60,
        help_text="按文件原样填写：本级文件如 区委办发〔2023〕5号，上级来文如 县委办发〔2023〕12号"
        "（〔〕也可输入[]或()）。",
    )  # fmt: skip
    title = TextField(
        label="文件标题", limit=DIRECTIVE_TITLE_MAX_CHARS,
        help_text=f"最多{DIRECTIVE_TITLE_MAX_CHARS}字。",
    )  # fmt: skip
    issued_on = DateField(label="发文日期")
    points = TextField(
        label="要求事项",
        # every point at its limit, each with its line break (CRLF as the browser sends it)
        # the form counts the points and their lengths instead (clean_points): 现有N条 says more
        limit=POINTS_MAX_COUNT * (POINT_MAX_CHARS + 2),
        check_length=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"每行一条，按文件中的顺序填写；最多{POINTS_MAX_COUNT}条，每条最多{POINT_MAX_CHARS}字。",
        error_messages={"required": "要求事项不能为空：每行一条，至少填写一条。"},
    )
    files = MultipleFileField(
        label="附件", required=False, help_text=f"文件正文及附件，可多选；接受 {ACCEPTED_LABEL}。"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["issuer"].queryset = issuer_choices(user)

    def clean(self):
        data = super().clean()
        if "issuer" in self.errors or "issuer_name" in self.errors:
            return data
        issuer, name = data.get("issuer"), data.get("issuer_name")
        if issuer and name:
            self.add_error(
                "issuer_name", "本级文件选择“发文单位”，上级来文填写“上级发文机关”，只填一项。"
            )
        elif not issuer and not name:
            self.add_error("issuer", "请选择本级发文单位，或（上级来文）填写上级发文机关。")
        elif name:
            data["issuer"] = own_level_unit(self.user)
            if data["issuer"] is None:
                self.add_error("issuer_name", "本级没有党委政府单位，不能录入上级来文。")
        return data

    def clean_points(self) -> str:
        value = self.cleaned_data["points"]
        if errors := points_errors(_lines(value)):
            raise ValidationError(errors)
        return value

    def point_lines(self) -> list[str]:
        return _lines(self.cleaned_data["points"])


class DirectiveEditForm(DirectiveForm):
    """Edit a directive: its fields, each point's text (or 删除 for a point no hand-down was
    made from), points added at the end (one a line), attachments removed and added. The
    limits are directive_create's, counted on the points as they will be."""

    new_points = TextField(
        label="新增要求事项", required=False, check_length=False,
        limit=POINTS_MAX_COUNT * (POINT_MAX_CHARS + 2), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"每行一条，排在已有事项之后；合计最多{POINTS_MAX_COUNT}条，每条最多{POINT_MAX_CHARS}字。",
    )  # fmt: skip
    remove_files = forms.ModelMultipleChoiceField(
        label="删除附件", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, directive, used_point_ids: set[int], **kwargs):
        initial = {
            "issuer": None if directive.issuer_name else directive.issuer_id,
            "issuer_name": directive.issuer_name, "number": directive.number,
            "title": directive.title, "issued_on": directive.issued_on,
        }  # fmt: skip
        super().__init__(*args, initial=initial, **kwargs)
        del self.fields["points"]
        self.fields["files"].label = "新增附件"
        self.fields["remove_files"].queryset = directive.files.all()
        self.point_rows = []
        for point in directive.points.all():
            text = TextField(label=f"第{point.sort_order}条", limit=POINT_MAX_CHARS,
                             required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             initial=point.text)  # fmt: skip
            self.fields[f"point_{point.pk}"] = text
            used = point.pk in used_point_ids
            if not used:
                self.fields[f"remove_{point.pk}"] = forms.BooleanField(label="删除", required=False)
            self.point_rows.append((point, used))

    def point_fields(self) -> list[tuple]:
        """For the page: each point's text field and its 删除 box (None when it is in use)."""
        return [
            (self[f"point_{p.pk}"], None if used else self[f"remove_{p.pk}"])
            for p, used in self.point_rows
        ]

    def edited_points(self) -> list[tuple[int | None, str]]:
        """(id, text) of each kept point in order, then (None, text) of each new one."""
        data = self.cleaned_data
        kept = [
            (point.pk, data.get(f"point_{point.pk}") or "")
            for point, _ in self.point_rows
            if not data.get(f"remove_{point.pk}")
        ]
        return kept + [(None, line) for line in _lines(data.get("new_points") or "")]

    def clean(self):
        data = super().clean()
        for point, used in self.point_rows:
            if not (data.get(f"point_{point.pk}") or "").strip() and not data.get(
                f"remove_{point.pk}"
            ):
                hint = "（该条已用于交办，不能删除）" if used else "；如要删除请勾选“删除”"
                self.add_error(f"point_{point.pk}", f"第{point.sort_order}条不能为空{hint}。")
        if "new_points" not in self.errors:
            if errors := points_errors([text for _, text in self.edited_points()]):
                self.add_error("new_points", errors)
        return data


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class HandDownForm(forms.Form):
    """Hand a task down: an existing task of the upper level, or (from a directive point) a new
    one with the point as its target."""

    upper_task = TaskChoiceField(
        label="交办的本级任务", queryset=None, required=False, empty_label="（据要求事项新建任务）"
    )
    title = TextField(label="新建任务名称", limit=200, required=False)
    category = forms.ModelChoiceField(label="任务类别", queryset=None, required=False)
    lead_unit = forms.ModelChoiceField(label="本级牵头单位", queryset=None, required=False)
    due_date = DateField(label="完成时限", required=False)
    units = forms.ModelMultipleChoiceField(
        label="承接的区（县）", queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "请选择承接的区（县）。",
            "invalid_choice": "所选承接的区（县）不是本级可交办的下级，请重新选择。",
            "invalid_pk_value": "所选承接的区（县）不是本级可交办的下级，请重新选择。",
        },
    )  # fmt: skip
    note = TextField(
        label="交办要求", limit=NOTE_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )  # fmt: skip

    def __init__(self, *args, user, campaign, point=None, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.point, self.fixed_task = point, task
        tasks = own_active_tasks(user).select_related("lead_unit")
        self.fields["upper_task"].queryset = tasks
        self.fields["units"].queryset = subordinate_districts(user)
        categories = TaskCategory.objects.filter(campaign=campaign) if campaign else None
        self.fields["category"].queryset = categories or TaskCategory.objects.none()
        self.fields["lead_unit"].queryset = district_units(user)
        if task is not None:
            for name in ("upper_task", "title", "category", "lead_unit", "due_date"):
                del self.fields[name]
        elif point is not None:
            self.fields["title"].initial = point.text[:200]
            self.fields["lead_unit"].initial = point.directive.issuer_id

    def clean(self):
        data = super().clean()
        if self.fixed_task is not None or data.get("upper_task") is not None:
            return data
        if self.point is None:
            self.add_error("upper_task", "请选择要交办的本级任务。")
            return data
        for name, label in (
            ("title", "任务名称"), ("category", "任务类别"), ("lead_unit", "牵头单位"),
            ("due_date", "完成时限"),
        ):  # fmt: skip
            if not data.get(name) and name not in self.errors:
                self.add_error(name, f"新建本级任务时请填写{label}。")
        return data


class AcceptForm(forms.Form):
    """Accept a hand-down: a new task of the receiving district, or one of its tasks."""

    NEW, EXISTING = "new", "existing"
    mode = forms.ChoiceField(
        label="接收方式",
        choices=[(NEW, "新建本级任务"), (EXISTING, "关联已有任务")],
        widget=forms.RadioSelect,
        initial=NEW,
    )
    task = TaskChoiceField(label="关联的已有任务", queryset=None, required=False)
    title = TextField(label="任务名称", limit=200, required=False)
    category = forms.ModelChoiceField(label="任务类别", queryset=None, required=False)
    lead_unit = forms.ModelChoiceField(label="牵头单位", queryset=None, required=False)
    leader = forms.ModelChoiceField(label="责任领导", queryset=None, required=False)
    start_date = DateField(label="开始日期", required=False)
    due_date = DateField(label="完成时限", required=False)

    def __init__(self, *args, user, handdown, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = linkable_tasks(user, handdown).select_related("lead_unit")
        categories = TaskCategory.objects.filter(campaign=campaign) if campaign else None
        self.fields["category"].queryset = categories or TaskCategory.objects.none()
        self.fields["lead_unit"].queryset = district_units(user)
        self.fields["leader"].queryset = district_people(user).filter(role=Role.LEADER)
        upper = handdown.upper_task
        self.fields["title"].initial = upper.title
        self.fields["start_date"].initial = clock.today()
        self.fields["due_date"].initial = upper.due_date

    def clean(self):
        data = super().clean()
        if data.get("mode") == self.EXISTING:
            if not data.get("task") and "task" not in self.errors:
                self.add_error("task", "请选择要关联的已有任务。")
            return data
        for name, label in (
            ("title", "任务名称"), ("category", "任务类别"), ("lead_unit", "牵头单位"),
            ("start_date", "开始日期"), ("due_date", "完成时限"),
        ):  # fmt: skip
            if not data.get(name) and name not in self.errors:
                self.add_error(name, f"新建任务时请填写{label}。")
        return data


class ReturnForm(forms.Form):
    reason = TextField(
        label="退回理由", limit=NOTE_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 3})
    )


class WithdrawForm(forms.Form):
    reason = TextField(
        label="撤回理由", limit=NOTE_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 2})
    )
