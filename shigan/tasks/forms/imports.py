"""The task-list upload: the file and the campaign it is imported into."""

from django import forms

from shigan.campaigns.models import Campaign
from shigan.core.files import max_upload_bytes


class TaskListImportForm(forms.Form):
    """A task-list workbook for one of `campaigns` (the current one preselected). What the file
    holds is checked by the importer; the form only refuses a missing or oversized file."""

    campaign = forms.TypedChoiceField(choices=[], coerce=int, label="导入到活动")
    file = forms.FileField(
        label="任务清单Excel文件（.xlsx）",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        error_messages={"required": "请选择要导入的Excel文件。"},
    )

    def __init__(self, *args, campaigns: list[Campaign], **kwargs):
        super().__init__(*args, **kwargs)
        self.campaigns = {c.pk: c for c in campaigns}
        self.fields["campaign"].choices = [(c.pk, str(c)) for c in campaigns]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = max_upload_bytes()
        if upload.size > limit:
            raise forms.ValidationError(f"文件超过{limit // (1024 * 1024)}MB，无法导入。")
        return upload

    def chosen_campaign(self) -> Campaign:
        return self.campaigns[self.cleaned_data["campaign"]]


class TaskListConfirmForm(forms.Form):
    """确认导入 or 取消 of a previewed file: the staged file's token (core.staging), the campaign
    it was previewed for and the preview's plan (services.task_list.TaskListOutcome.plan)."""

    token = forms.CharField(max_length=40)
    campaign = forms.TypedChoiceField(choices=[], coerce=int)
    plan = forms.CharField(max_length=64)

    def __init__(self, *args, campaigns: list[Campaign], **kwargs):
        super().__init__(*args, **kwargs)
        self.campaigns = {c.pk: c for c in campaigns}
        self.fields["campaign"].choices = [(c.pk, str(c)) for c in campaigns]

    def chosen_campaign(self) -> Campaign:
        return self.campaigns[self.cleaned_data["campaign"]]
