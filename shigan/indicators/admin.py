from django.contrib import admin

from shigan.core.admin import AuditedAdmin, CoordinatorTabularInline
from shigan.core.models import AuditSource, user_display_name

from .models import (
    Actual,
    Agreement,
    EnterpriseFigure,
    Indicator,
    IndicatorYear,
    InvestmentTrip,
    KeyEnterprise,
    KeyProject,
    SamePeriodValue,
)


class IndicatorYearInline(CoordinatorTabularInline):
    model = IndicatorYear
    fields = ["year", "annual_target"]


class SamePeriodValueInline(CoordinatorTabularInline):
    model = SamePeriodValue
    fields = ["year", "month", "value"]


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    district_path = "responsible_unit_id"
    list_display = [
        "name", "measure_unit", "category", "accumulation", "direction", "responsible_unit",
        "sort_order",
    ]  # fmt: skip
    list_filter = ["category", "accumulation", "responsible_unit"]
    list_select_related = ["responsible_unit"]
    search_fields = ["name", "source"]
    # The roll-up links are set on the indicator's own page, where indicator_save checks them
    # (an upper of a level above, the same measure unit, % never summed).
    readonly_fields = ["upper", "aggregation", "rate_numerator", "rate_denominator"]
    inlines = [IndicatorYearInline, SamePeriodValueInline]


@admin.register(IndicatorYear)
class IndicatorYearAdmin(AuditedAdmin):
    district_path = "indicator__responsible_unit_id"
    list_display = ["indicator", "year", "annual_target"]
    list_filter = ["year"]
    list_select_related = ["indicator"]


@admin.register(SamePeriodValue)
class SamePeriodValueAdmin(AuditedAdmin):
    district_path = "indicator__responsible_unit_id"
    list_display = ["indicator", "year", "month", "value"]
    list_filter = ["year", "month"]
    list_select_related = ["indicator"]


@admin.register(Actual)
class ActualAdmin(AuditedAdmin):
    """Read-only: figures are append-only and go through the monthly report or the import,
    where a correction is a new entry with a reason."""

    district_path = "indicator__responsible_unit_id"

    list_display = [
        "indicator", "year", "month", "value", "is_estimate", "unit", "submitter",
        "submitted_at", "corrects",
    ]  # fmt: skip
    list_filter = ["year", "month", "is_estimate", "unit"]
    list_select_related = ["indicator", "unit", "submitted_by__person", "corrects"]
    search_fields = ["indicator__name", "note", "correction_reason"]
    # The submitter is named as text: user accounts are not changed in this admin, so the link
    # Django draws to a read-only foreign key would end on a refusal.
    exclude = ["submitted_by"]
    readonly_fields = ["submitter"]

    @admin.display(description="填报人")
    def submitter(self, obj: Actual) -> str:
        if obj.submitted_by_id is None:  # imported by an operator from the command line
            return AuditSource.IMPORT.label
        return user_display_name(obj.submitted_by)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EnterpriseFigureInline(CoordinatorTabularInline):
    model = EnterpriseFigure
    fields = ["year", "month", "output_value", "tax"]


@admin.register(KeyEnterprise)
class KeyEnterpriseAdmin(AuditedAdmin):
    district_path = "district_id"
    list_display = ["name", "industry", "unit", "sort_order"]
    list_select_related = ["unit"]
    search_fields = ["name"]
    inlines = [EnterpriseFigureInline]


@admin.register(EnterpriseFigure)
class EnterpriseFigureAdmin(AuditedAdmin):
    district_path = "enterprise__district_id"
    list_display = ["enterprise", "year", "month", "output_value", "tax"]
    list_filter = ["year", "month"]
    list_select_related = ["enterprise"]


@admin.register(KeyProject)
class KeyProjectAdmin(AuditedAdmin):
    district_path = "responsible_unit_id"
    list_display = [
        "name", "year", "enterprise", "responsible_unit", "contracted_investment",
        "planned_investment_this_year", "completed_investment_this_year", "funds_in_place",
        "actual_start", "actual_completion",
    ]  # fmt: skip
    list_filter = ["year", "responsible_unit"]
    list_select_related = ["enterprise", "responsible_unit"]
    search_fields = ["name"]
    raw_id_fields = ["task"]


@admin.register(InvestmentTrip)
class InvestmentTripAdmin(AuditedAdmin):
    district_path = "campaign__organiser_id"
    list_display = ["date", "destination", "leader", "campaign"]
    list_filter = ["campaign"]
    list_select_related = ["leader", "campaign"]


@admin.register(Agreement)
class AgreementAdmin(AuditedAdmin):
    district_path = "campaign__organiser_id"
    list_display = [
        "project_name", "investor", "contract_amount", "signed_on", "landed", "funds_in_place",
    ]  # fmt: skip
    list_filter = ["campaign", "landed"]
    list_select_related = ["campaign"]
    search_fields = ["project_name", "investor"]
