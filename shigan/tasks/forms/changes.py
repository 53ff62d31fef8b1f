"""Forms for filing a change request and for a coordinator's decision on it."""

from django import forms
from django.core.exceptions import ValidationError

from shigan.core.files import MultipleFileField
from shigan.core.forms import DateField, date_input

from ..evidence import ACCEPTED_LABEL, validate_evidence
from ..models import ChangeKind, Task
from ..services.changes import extension_error, request_block_error


class ChangeRequestForm(forms.Form):
    """A change request for one task; validated against the task's dates and milestones."""

    kind = forms.ChoiceField(
        label="申请事项",
        choices=ChangeKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "请选择申请事项。",
            "invalid_choice": "所选申请事项无效，请重新选择。",
        },
    )
    reason = forms.CharField(
        label="理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写申请理由。"},
    )
    proposed_due_date = DateField(
        label="调整后的时限", required=False, widget=date_input(), help_text="仅调整时限时填写"
    )
    files = MultipleFileField(
        label="佐证材料", required=False, help_text=f"可多选，接受 {ACCEPTED_LABEL} 文件"
    )

    def __init__(self, *args, task: Task, **kwargs):
        self.task = task
        super().__init__(*args, **kwargs)

    def clean_files(self):
        files = self.cleaned_data["files"]
        problems = []
        for upload in files:
            try:
                validate_evidence(upload)
            except ValidationError as e:
                problems.extend(e.messages)
        if problems:
            raise ValidationError(problems)
        return files

    def clean(self):
        data = super().clean()
        if problem := request_block_error(self.task):
            raise ValidationError(problem)
        if data.get("kind") == ChangeKind.EXTEND:
            proposed = data.get("proposed_due_date")
            if "proposed_due_date" in self.errors:
                return data
            if problem := extension_error(self.task, proposed, self.task.milestones.all()):
                self.add_error("proposed_due_date", problem)
        return data


class DecisionForm(forms.Form):
    """A coordinator's decision: approve or return, with a note (required when returning)."""

    decision = forms.ChoiceField(choices=[("approve", "批准"), ("return", "退回")])
    note = forms.CharField(
        label="审批意见", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not data.get("note", "").strip():
            self.add_error("note", "退回申请时请填写审批意见，说明退回原因。")
        return data

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"
