"""Coordinators' admin: inspections and notices may be corrected (audited); findings,
verifications and spot checks are created only through the pages, whose services keep the
rectification task and the draw consistent."""

from django.contrib import admin

from shigan.core.admin import AuditedAdmin, CoordinatorStackedInline

from .models import Exemplar, Finding, Inspection, Notice, SpotCheck, Verification


@admin.register(Inspection)
class InspectionAdmin(AuditedAdmin):
    district_path = "campaign__organiser_id"
    list_display = ["date", "topic", "kind", "campaign"]
    list_filter = ["campaign", "kind"]
    search_fields = ["topic"]
    filter_horizontal = ["inspectors", "units"]


class ReadOnlyAfterCreate(AuditedAdmin):
    def has_add_permission(self, request):
        return False


@admin.register(Finding)
class FindingAdmin(ReadOnlyAfterCreate):
    district_path = "unit_id"
    list_display = ["unit", "short_problem", "severity", "deadline", "inspection"]
    list_filter = ["severity", "inspection__campaign"]
    list_select_related = ["unit", "inspection"]
    search_fields = ["problem"]
    readonly_fields = ["inspection", "unit", "task", "deadline"]


@admin.register(Verification)
class VerificationAdmin(ReadOnlyAfterCreate):
    district_path = "finding__unit_id"
    list_display = ["finding", "date", "result", "verified_by"]
    list_filter = ["result"]
    list_select_related = ["finding__unit", "verified_by"]
    readonly_fields = ["finding", "verified_by", "date", "result", "recorded_by"]


@admin.register(SpotCheck)
class SpotCheckAdmin(ReadOnlyAfterCreate):
    district_path = "campaign__organiser_id"
    list_display = ["created_at", "campaign", "share", "seed"]
    readonly_fields = [
        "campaign",
        "share",
        "seed",
        "unit",
        "origin",
        "population",
        "drawn",
        "created_by",
    ]

    def has_change_permission(self, request, obj=None):
        return False


class ExemplarInline(CoordinatorStackedInline):
    model = Exemplar
    extra = 0
    filter_horizontal = ["units", "people"]


@admin.register(Notice)
class NoticeAdmin(AuditedAdmin):
    district_path = "campaign__organiser_id"
    list_display = ["date", "doc_number", "title", "kind"]
    list_filter = ["campaign", "kind"]
    search_fields = ["title", "doc_number"]
    inlines = [ExemplarInline]
