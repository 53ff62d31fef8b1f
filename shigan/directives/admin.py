from django.contrib import admin

from shigan.core.admin import AuditedAdmin

from .models import Directive, HandDown


@admin.register(Directive)
class DirectiveAdmin(AuditedAdmin):
    """Directives are recorded on the directive pages (points, attachments and the 文号 rule
    checked there); here coordinators correct a title or date, audited."""

    district_path = "issuer_id"
    list_display = ["number", "title", "issuer", "issued_on"]
    search_fields = ["number", "title"]
    readonly_fields = ["issuer", "created_by"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(HandDown)
class HandDownAdmin(AuditedAdmin):
    """Hand-downs are made, accepted and returned on the pages (all-or-nothing services); the
    admin only lists them."""

    district_path = "upper_task__lead_unit_id"
    list_display = ["upper_task", "unit", "state", "handed_on", "answered_on"]
    list_filter = ["state"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
