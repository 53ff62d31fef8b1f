from django.contrib import admin

from shigan.core.admin import AuditedAdmin, CoordinatorTabularInline

from .models import LeadingGroup, LeadingGroupMember, Oversight, Person, Unit


@admin.register(Unit)
class UnitAdmin(AuditedAdmin):
    district_path = "id"
    list_display = ["name", "kind", "parent", "sort_order"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


class OversightInline(CoordinatorTabularInline):
    model = Oversight
    extra = 1


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    district_path = "unit_id"
    list_display = ["name", "unit", "post", "role", "user"]
    list_filter = ["role", "unit"]
    search_fields = ["name", "post"]
    inlines = [OversightInline]


class LeadingGroupMemberInline(CoordinatorTabularInline):
    model = LeadingGroupMember
    extra = 1


@admin.register(LeadingGroup)
class LeadingGroupAdmin(AuditedAdmin):
    district_path = "members__person__unit_id"
    inlines = [LeadingGroupMemberInline]
