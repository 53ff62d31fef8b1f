"""The 一键催报 confirmation form: the text to send (prefilled, editable), the sending's batch
and, when a unit was chased today already, the explicit consent to chase again."""

from django import forms

CHASE_TEXT_MAX = 500


class ChaseForm(forms.Form):
    text = forms.CharField(
        label="催报内容",
        max_length=CHASE_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "请填写催报内容。",
            "max_length": f"催报内容最多 {CHASE_TEXT_MAX} 字。",
        },
    )
    batch = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)
    again = forms.BooleanField(label="今天已催报过的单位，仍再次发送", required=False)

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("请填写催报内容。")
        return text
