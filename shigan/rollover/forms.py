"""The rollover page's form: next year's campaign (core.forms' fields), and the items chosen to
carry over, read from the posted check boxes and reason fields."""

from django import forms

from shigan.core.forms import DateField, IntegerField
from shigan.core.params import YEAR_RANGE, BadValue, parse_id

from .services import NextYear

YEAR_MESSAGE = f"年度应在{YEAR_RANGE[0]}—{YEAR_RANGE[1]}之间。"


class NextYearForm(forms.Form):
    year = IntegerField(
        label="年度",
        min_value=YEAR_RANGE[0],
        max_value=YEAR_RANGE[1],
        error_messages={
            "required": "请填写年度。",
            "min_value": YEAR_MESSAGE,
            "max_value": YEAR_MESSAGE,
        },
    )
    name = forms.CharField(
        label="活动名称",
        max_length=100,
        error_messages={"required": "请填写活动名称。", "max_length": "活动名称最多100个字。"},
    )
    start_date = DateField(label="开始日期", error_messages={"required": "请填写开始日期。"})
    end_date = DateField(label="结束日期", error_messages={"required": "请填写结束日期。"})

    def next_year(self) -> NextYear:
        data = self.cleaned_data
        return NextYear(data["year"], data["name"], data["start_date"], data["end_date"])


def carried_choices(data) -> tuple[dict[int, str], list[str]]:
    """The items ticked to carry (`carry`, task ids) with their reasons (`reason_<id>`), and the
    messages for values that are not ids."""
    carry: dict[int, str] = {}
    problems = []
    for raw in data.getlist("carry"):
        try:
            pk = parse_id(raw)
        except BadValue as bad:
            problems.append(f"结转事项编号{bad}")
            continue
        if pk is not None:
            carry[pk] = data.get(f"reason_{pk}", "")
    return carry, problems
