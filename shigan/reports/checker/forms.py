"""The checker page's form: pasted text, or an uploaded txt/md/docx file (the file wins)."""

from django import forms
from django.conf import settings

from shigan.core.files import max_upload_bytes

from .readers import ReportReadError, text_from_bytes

MAX_TEXT_CHARS = 200_000


class CheckForm(forms.Form):
    text = forms.CharField(
        label="粘贴报告文本",
        required=False,
        max_length=MAX_TEXT_CHARS,
        strip=False,
        error_messages={
            "max_length": "文本过长：共%(show_value)d字，上限为%(limit_value)d字，请分段核对。",
            "null_characters_not_allowed": ("文本含有不可见的控制字符（NUL），请删除后再核对。"),
        },
        widget=forms.Textarea(
            attrs={
                "rows": 12,
                "placeholder": "例如：完成工业总产值22000万元，占年计划55500万元的39.6％",
            }
        ),
    )
    file = forms.FileField(label="或上传文件（txt、md、docx）", required=False)

    def clean_file(self):
        """The uploaded file's text; a readable error when it cannot be read."""
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(
                f"文件过大：约{upload.size / (1024 * 1024):.1f}MB，上限为{settings.MAX_UPLOAD_MB}MB。"
            )
        try:
            text = text_from_bytes(upload.read(), upload.name)
        except ReportReadError as exc:
            raise forms.ValidationError(str(exc)) from None
        if len(text) > MAX_TEXT_CHARS:
            raise forms.ValidationError(
                f"文件中的文本过长：共{len(text)}字，上限为{MAX_TEXT_CHARS}字，请分段核对。"
            )
        return text

    def clean(self):
        """Require pasted text or a file."""
        data = super().clean()
        if not self.errors and not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError("请粘贴报告文本或上传文件。")
        return data

    def report_text(self) -> str:
        """The text to check (valid forms only), with line breaks unified."""
        text = self.cleaned_data.get("file") or self.cleaned_data["text"]
        return text.replace("\r\n", "\n").replace("\r", "\n")
