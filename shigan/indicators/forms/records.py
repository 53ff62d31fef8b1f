"""Forms of the indicator set-up pages: indicator definitions, a year's target and last year's
figures, key enterprises and projects, investment trips and agreements. Choices come from the
user's district (orgs.scope.district_units) and from what he reads (indicators.access); the
rules that span records (unique names, date order, targets already judged against) are the
services'."""

from django import forms

from shigan.campaigns.access import narrow_choices
from shigan.core.forms import DateField, IntegerField, ModelChoiceField
from shigan.orgs.models import Person
from shigan.orgs.scope import district_id_of, district_units
from shigan.tasks.access import tasks_visible_to
from shigan.tasks.models import Task

from ..access import (
    investment_campaigns,
    key_enterprises_visible_to,
    key_projects_visible_to,
)
from ..models import (
    Accumulation,
    Aggregation,
    Direction,
    Indicator,
    IndicatorCategory,
    InvestmentTrip,
    KeyProject,
    MeasureUnit,
)
from ..models.indicators import VALUE_PLACES
from ..models.projects import MONEY
from ..rollup import upper_candidates
from .fields import AmountField

MONEY_PLACES = MONEY["decimal_places"]
MONTHS = range(1, 13)


def _text(label: str, *, required: bool = True, max_length: int = 200, rows: int = 0):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    error = {"required": f"请填写{label}。"}
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=widget,
        error_messages=error,
    )  # fmt: skip


def _order() -> IntegerField:
    return IntegerField(label="排序", required=False, min_value=0, max_value=99999)


class RecordForm(forms.Form):
    """A form whose cleaned data are the service's keyword arguments (blank order → 0)."""

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        if "sort_order" in data and data["sort_order"] is None:
            data["sort_order"] = 0
        return data

    def add_service_errors(self, error) -> None:
        for field, messages in error.message_dict.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


def initial_of(record, names) -> dict:
    return {name: getattr(record, name) for name in names}


class IndicatorForm(RecordForm):
    name = _text("指标名称", max_length=100)
    measure_unit = forms.ChoiceField(label="计量单位", choices=MeasureUnit.choices)
    category = forms.ChoiceField(label="类别", choices=IndicatorCategory.choices)
    accumulation = forms.ChoiceField(label="统计方式", choices=Accumulation.choices)
    direction = forms.ChoiceField(label="考核方向", choices=Direction.choices)
    responsible_unit = ModelChoiceField(label="责任单位", queryset=None)
    source = _text("统计来源", required=False)
    sort_order = _order()
    upper = ModelChoiceField(
        label="汇入上级指标", queryset=None, required=False,
        help_text="本级的数计入哪个上级（县、市、省）指标；只列计量单位相同的上级指标，不汇入则留空",
    )  # fmt: skip
    aggregation = forms.ChoiceField(
        label="汇总方式", choices=Aggregation.choices, initial=Aggregation.SUM, required=False,
        help_text="下级汇入本指标时怎样汇总：可加指标（如固定资产投资）相加；比率（如开工率）"
        "由本级的分子、分母指标汇总后重算，不把下级的比率相加或平均；不可加指标只并列显示",
    )  # fmt: skip
    rate_numerator = ModelChoiceField(
        label="比率的分子指标", queryset=None, required=False,
        help_text="汇总方式为“比率”时必选：本级的分子指标（如开工项目数）",
    )  # fmt: skip
    rate_denominator = ModelChoiceField(
        label="比率的分母指标", queryset=None, required=False,
        help_text="汇总方式为“比率”时必选：本级的分母指标（如计划开工项目数）",
    )  # fmt: skip

    def __init__(self, data=None, *, user, indicator=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["responsible_unit"].queryset = district_units(user)
        unit = indicator.measure_unit if indicator is not None and data is None else None
        uppers = upper_candidates(district_id_of(user), unit)
        self.fields["upper"].queryset = uppers
        self.fields["upper"].label_from_instance = _upper_label
        own = Indicator.objects.filter(responsible_unit__in=district_units(user))
        if indicator is not None:
            own = own.exclude(pk=indicator.pk)
        for name in ("rate_numerator", "rate_denominator"):
            self.fields[name].queryset = own.order_by("sort_order", "pk")

    def values(self) -> dict:
        """Blank 汇总方式 (a form posted without it) keeps what the indicator has."""
        data = super().values()
        if not data.get("aggregation"):
            data.pop("aggregation", None)
        return data


def _upper_label(indicator) -> str:
    return f"{indicator.district.label}：{indicator.name}（{indicator.get_measure_unit_display()}）"


class IndicatorYearForm(RecordForm):
    """A year's annual target and last year's figure of each month (同期数)."""

    annual_target = AmountField(label="年度目标", required=False, places=VALUE_PLACES, signed=True)
    reason = _text("修改原因", required=False, max_length=500, rows=2)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        for month in MONTHS:
            self.fields[f"same_{month}"] = AmountField(
                label=f"上年{month}月同期数", required=False, places=VALUE_PLACES, signed=True
            )

    def same_period(self) -> dict:
        return {m: self.cleaned_data.get(f"same_{m}") for m in MONTHS}

    def month_fields(self) -> list:
        return [self[f"same_{m}"] for m in MONTHS]


class EnterpriseForm(RecordForm):
    name = _text("企业名称", max_length=100)
    industry = _text("所属行业", required=False, max_length=50)
    unit = ModelChoiceField(label="联系单位", queryset=None, required=False)
    notes = _text("备注", required=False, max_length=2000, rows=3)
    sort_order = _order()

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["unit"].queryset = district_units(user)


class KeyProjectForm(RecordForm):
    year = IntegerField(label="年度", min_value=1990, max_value=2100)
    name = _text("项目名称")
    enterprise = ModelChoiceField(label="建设企业", queryset=None, required=False)
    responsible_unit = ModelChoiceField(label="责任单位", queryset=None)
    contracted_investment = AmountField(label="合同投资（万元）", places=MONEY_PLACES)
    planned_investment_this_year = AmountField(label="本年计划投资（万元）", places=MONEY_PLACES)
    planned_start = DateField(label="计划开工日期", required=False)
    planned_completion = DateField(label="计划竣工投产日期", required=False)
    task = ModelChoiceField(label="节点任务", queryset=None, required=False)
    sort_order = _order()

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        projects = key_projects_visible_to(user, KeyProject.objects.all())
        self.fields["enterprise"].queryset = key_enterprises_visible_to(user, projects)
        self.fields["responsible_unit"].queryset = district_units(user)
        self.fields["task"].queryset = tasks_visible_to(user, Task.objects.all()).order_by("id")
        for name in ("contracted_investment", "planned_investment_this_year"):
            self.fields[name].error_messages["required"] = f"请填写{self.fields[name].label}。"


class TripForm(RecordForm):
    campaign = ModelChoiceField(label="活动", queryset=None)
    date = DateField(label="出发日期")
    destination = _text("目的地", max_length=100)
    leader = ModelChoiceField(label="带队领导", queryset=None, required=False)
    contacts = _text("对接企业及联系人", required=False, max_length=2000, rows=3)

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["campaign"].queryset = investment_campaigns(user)
        people = Person.objects.filter(unit__in=district_units(user)).order_by("name", "id")
        self.fields["leader"].queryset = people
        narrow_choices(self, user)  # a trip is filed at the user's own level, its campaign too


class AgreementForm(RecordForm):
    campaign = ModelChoiceField(label="活动", queryset=None)
    investor = _text("投资方")
    project_name = _text("项目名称")
    contract_amount = AmountField(label="合同金额（万元）", places=MONEY_PLACES, required=False)
    signed_on = DateField(label="签约日期")
    funds_in_place = AmountField(label="到位资金（万元）", places=MONEY_PLACES, required=False)
    trip = ModelChoiceField(label="外出招商", queryset=None, required=False)

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["campaign"].queryset = investment_campaigns(user)
        narrow_choices(self, user)  # an agreement is filed at the user's own level
        campaigns = self.fields["campaign"].queryset
        trips = InvestmentTrip.objects.filter(campaign__in=campaigns.values("pk"))
        self.fields["trip"].queryset = trips.order_by("-date", "-id")

    def clean(self):
        data = super().clean()
        trip, campaign = data.get("trip"), data.get("campaign")
        if trip and campaign and trip.campaign_id != campaign.pk:
            self.add_error("trip", f"外出招商“{trip}”不属于活动“{campaign}”")
        return data

    def values(self) -> dict:
        data = super().values()
        return {k: (0 if v is None and k in AMOUNT_DEFAULTS else v) for k, v in data.items()}


AMOUNT_DEFAULTS = {"contract_amount", "funds_in_place"}


class LandForm(forms.Form):
    landed_on = DateField(label="落地日期", error_messages={"required": "请填写落地日期。"})
