"""The task category form (任务类别): it parses; services.categories holds the rules."""

from django import forms

from shigan.core.forms import IntegerField


class CategoryForm(forms.Form):
    name = forms.CharField(
        label="类别名称",
        max_length=50,
        error_messages={"required": "请填写类别名称。", "max_length": "类别名称最多50个字。"},
    )
    sort_order = IntegerField(
        label="排序",
        required=False,
        min_value=0,
        max_value=9999,
        help_text="数字小的排在前面；留空则排在最后",
        error_messages={
            "min_value": "排序应为0—9999的整数。",
            "max_value": "排序应为0—9999的整数。",
        },
    )
