from django.contrib import admin

from shigan.core.admin import AuditedAdmin

from .models import Campaign, Phase, PlanSection


class PlanSectionInline(admin.StackedInline):
    model = PlanSection
    extra = 0


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(AuditedAdmin):
    list_display = ["year", "name", "slogan", "start_date", "end_date"]
    inlines = [PlanSectionInline, PhaseInline]
