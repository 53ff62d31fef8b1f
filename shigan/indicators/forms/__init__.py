from django import forms
from django.conf import settings

from shigan.core.files import max_upload_bytes


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Excel文件（.xlsx）",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        error_messages={"required": "请选择要导入的Excel文件。"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(f"文件超过{settings.MAX_UPLOAD_MB}MB，无法导入。")
        return upload
