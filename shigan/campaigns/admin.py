from django.contrib import admin

from shigan.core.admin import AuditedAdmin, CoordinatorStackedInline, CoordinatorTabularInline

from .models import Campaign, Phase, PlanSection


class PlanSectionInline(CoordinatorStackedInline):
    model = PlanSection
    extra = 0


class PhaseInline(CoordinatorTabularInline):
    model = Phase
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(AuditedAdmin):
    district_path = "organiser_id"
    list_display = ["year", "name", "slogan", "start_date", "end_date"]
    inlines = [PlanSectionInline, PhaseInline]
