from django.contrib import admin

from shigan.core.admin import AuditedAdmin, CoordinatorTabularInline

from .models import Milestone, Task, TaskCategory


@admin.register(TaskCategory)
class TaskCategoryAdmin(AuditedAdmin):
    district_path = "campaign__organiser_id"
    list_display = ["name", "campaign", "sort_order"]


class MilestoneInline(CoordinatorTabularInline):
    model = Milestone
    extra = 0
    fields = ["title", "due_date", "sort_order"]


@admin.register(Task)
class TaskAdmin(AuditedAdmin):
    district_path = "lead_unit_id"
    list_display = ["number", "title", "category", "lead_unit", "leader", "due_date", "state"]
    list_filter = ["campaign", "category", "state"]
    search_fields = ["title"]
    filter_horizontal = ["supporting_units"]
    inlines = [MilestoneInline]
    readonly_fields = ["state", "closed_on", "upper_task"]
