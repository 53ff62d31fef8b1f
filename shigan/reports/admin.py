"""Coordinators set how indicators are worded here; narrative versions are read-only (they are
written on the narrative page, which keeps every version)."""

from django.contrib import admin

from shigan.core.admin import AuditedAdmin

from .models import IndicatorPhrasing, NarrativeText


@admin.register(IndicatorPhrasing)
class IndicatorPhrasingAdmin(AuditedAdmin):
    district_path = "campaign__organiser_id"
    list_display = [
        "indicator",
        "label",
        "campaign",
        "sort_order",
        "in_summary",
        "style",
        "show_share",
        "show_change",
        "group",
    ]
    list_filter = ["campaign", "in_summary", "group"]
    list_select_related = ["indicator", "campaign"]
    list_editable = ["sort_order"]
    ordering = ["campaign", "sort_order", "id"]


@admin.register(NarrativeText)
class NarrativeTextAdmin(AuditedAdmin):
    district_path = "campaign__organiser_id"
    list_display = ["__str__", "campaign", "slot", "order", "period", "written_by", "written_at"]
    list_filter = ["campaign", "slot", "period"]
    list_select_related = ["campaign", "written_by"]
    readonly_fields = [f.name for f in NarrativeText._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
