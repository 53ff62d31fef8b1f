from django.contrib import admin

from shigan.core.admin import AuditedAdmin

from .models import MediaReport


@admin.register(MediaReport)
class MediaReportAdmin(AuditedAdmin):
    district_path = "campaign__organiser_id"
    list_display = ["date", "title", "outlet", "level", "campaign"]
    list_filter = ["campaign", "level"]
    search_fields = ["title", "outlet"]
    raw_id_fields = ["task"]
