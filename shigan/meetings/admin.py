from django.contrib import admin

from shigan.core.admin import AuditedAdmin

from .models import MeetingSeries


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(AuditedAdmin):
    """Series are set up here by coordinators; meetings, decisions and study sessions are recorded
    on the meeting pages, where their rules are checked."""

    district_path = "campaign__organiser_id"

    list_display = ["name", "campaign", "cadence", "organiser", "chair", "active_from", "active_to"]
    list_filter = ["campaign", "cadence"]
    search_fields = ["name"]
