"""Indicator set-up for coordinators: the list of definitions with a year's targets, an
indicator's definition, and its year (annual target, last year's figures)."""

from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Subquery
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from shigan.core.history import history_of
from shigan.core.params import year_or_this_year

from ..access import can_manage_indicator_record, get_indicator_for_user, indicators_visible_to
from ..forms.records import MONTHS, IndicatorForm, IndicatorYearForm, initial_of
from ..models import Indicator, IndicatorYear, SamePeriodValue
from ..services import indicator_save, indicator_year_set
from ..services.records import figures_judged
from ..year_guard import YearGuard
from .pages import form_page, require_manager

FIELDS = [
    "name", "measure_unit", "category", "accumulation", "direction", "responsible_unit",
    "source", "sort_order", "upper", "aggregation", "rate_numerator", "rate_denominator",
]  # fmt: skip


@login_required
@require_GET
def definition_list(request):
    """Every indicator the coordinator reads with its target of ?year= (two queries)."""
    require_manager(request.user)
    year = year_or_this_year(request.GET.get("year"))
    target = IndicatorYear.objects.filter(indicator=OuterRef("pk"), year=year)
    indicators = indicators_visible_to(request.user, Indicator.objects.all())
    rows = indicators.select_related("responsible_unit").annotate(
        annual_target=Subquery(target.values("annual_target")[:1])
    )
    rows = list(rows)
    for row in rows:
        row.may_edit = can_manage_indicator_record(request.user, row.responsible_unit_id)
    context = {"rows": rows, "year": year, "section": "setup"}
    return render(request, "indicators/indicator_setup.html", context)


def _indicator_url(indicator) -> str:
    return reverse("indicators:indicator_edit", args=[indicator.pk])


@login_required
@require_http_methods(["GET", "POST"])
def indicator_create(request):
    require_manager(request.user)
    form = IndicatorForm(request.POST or None, user=request.user)

    def save(form):
        return _indicator_url(indicator_save(indicator=None, by=request.user, **form.values()))

    back = reverse("indicators:definition_list")
    return form_page(
        request, form=form, record=None, save=save, done="指标已新建。", back=back,
        title="新建指标",
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk):
    indicator = get_indicator_for_user(request.user, pk, write=True)
    require_manager(request.user)
    form = IndicatorForm(
        request.POST or None, user=request.user, indicator=indicator,
        initial=initial_of(indicator, FIELDS),
    )  # fmt: skip

    def save(form):
        indicator_save(indicator=indicator, by=request.user, **form.values())
        return _indicator_url(indicator)

    years = IndicatorYear.objects.filter(indicator=indicator).order_by("-year")
    return form_page(
        request, form=form, record=indicator, save=save, done="指标已保存。",
        back=reverse("indicators:definition_list"), title=f"编辑指标：{indicator.name}",
        years=list(years), indicator=indicator,
    )  # fmt: skip


def _year_initial(indicator, year: int) -> dict:
    row = IndicatorYear.objects.filter(indicator=indicator, year=year).first()
    initial = {"annual_target": row.annual_target if row else None}
    same = SamePeriodValue.objects.filter(indicator=indicator, year=year)
    initial.update({f"same_{s.month}": s.value for s in same if s.month in MONTHS})
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def indicator_year(request, pk):
    """The annual target of ?year= and last year's figures month by month, with their history;
    changing a target figures were already judged against needs a reason."""
    indicator = get_indicator_for_user(request.user, pk, write=True)
    require_manager(request.user)
    year = year_or_this_year(request.GET.get("year"))
    form = IndicatorYearForm(request.POST or None, initial=_year_initial(indicator, year))
    # The year's version: a save by someone else since the form was shown refuses this one.
    guard = YearGuard(form, indicator, year)

    def save(form):
        guard.save(
            lambda: indicator_year_set(
                indicator=indicator, year=year, by=request.user,
                annual_target=form.cleaned_data["annual_target"], same_period=form.same_period(),
                reason=form.cleaned_data["reason"],
            )
        )  # fmt: skip
        return f"{reverse('indicators:indicator_year', args=[pk])}?year={year}"

    rows = [*IndicatorYear.objects.filter(indicator=indicator, year=year)]
    rows += SamePeriodValue.objects.filter(indicator=indicator, year=year)
    return form_page(
        request, form=form, record=None, save=save, done=f"{year}年目标已保存。",
        back=_indicator_url(indicator), title=f"{indicator.name}：{year}年目标",
        template="indicators/indicator_year.html", indicator=indicator, year=year,
        judged=figures_judged(indicator, year), year_history=history_of(*rows),
    )  # fmt: skip
