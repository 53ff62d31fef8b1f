from django.contrib import admin

from shigan.core.admin import AuditedAdmin
from shigan.core.models import user_display_name

from .models import Directive, HandDown


@admin.register(Directive)
class DirectiveAdmin(AuditedAdmin):
    """Directives are recorded on the directive pages (points, attachments and the 文号 rule
    checked there); here coordinators correct a title or date, audited."""

    district_path = "issuer_id"
    list_display = ["number", "title", "issuer", "issued_on"]
    search_fields = ["number", "title"]
    # The recorder named as text: user accounts are not changed here (a link would end on a
    # refusal, 403).
    exclude = ["created_by"]
    readonly_fields = ["issuer", "created_by_text"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description="录入人")
    def created_by_text(self, obj: Directive) -> str:
        return user_display_name(obj.created_by) if obj.created_by_id else "—"


@admin.register(HandDown)
class HandDownAdmin(AuditedAdmin):
    """Hand-downs are made, accepted and returned on the pages (all-or-nothing services); the
    admin only lists them."""

    district_path = "upper_task__lead_unit_id"
    list_display = ["upper_task", "unit", "state", "handed_on", "answered_on"]
    list_filter = ["state"]
    list_select_related = ["upper_task", "unit"]
    # Named as text: DirectivePoint has no admin (its choices cannot be narrowed, a form field
    # for it fails) and user accounts are not changed here (a link would end on a refusal).
    fields = [
        "task_text", "point_text", "unit_text", "note", "state", "handed_on", "handed_by_text",
        "answered_on", "answered_by_text", "return_reason", "withdrawn_on", "withdraw_reason",
    ]  # fmt: skip
    readonly_fields = fields

    @admin.display(description="上级任务")
    def task_text(self, obj: HandDown) -> str:
        return obj.upper_task.title

    @admin.display(description="要求事项")
    def point_text(self, obj: HandDown) -> str:
        return obj.point.text if obj.point_id else "—"

    @admin.display(description="承接区（县）")
    def unit_text(self, obj: HandDown) -> str:
        return obj.unit.name

    @admin.display(description="交办人")
    def handed_by_text(self, obj: HandDown) -> str:
        return user_display_name(obj.handed_by) if obj.handed_by_id else "—"

    @admin.display(description="接收或退回人")
    def answered_by_text(self, obj: HandDown) -> str:
        return user_display_name(obj.answered_by) if obj.answered_by_id else "—"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
