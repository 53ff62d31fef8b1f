"""Reads for the campaign overview page."""

from django.db.models import Prefetch, QuerySet

from shigan.orgs.models import LeadingGroupMember, Oversight

from .models import Campaign


def campaign_overview(pk: int) -> Campaign:
    """A campaign with its plan sections, phases and leading group (members and what each
    oversees), in a fixed number of queries."""
    members = LeadingGroupMember.objects.select_related("person__unit").prefetch_related(
        Prefetch(
            "person__oversights",
            queryset=Oversight.objects.select_related("unit").order_by("unit__sort_order"),
        )
    )
    return (
        Campaign.objects.select_related("organiser", "leading_group")
        .prefetch_related(
            "plan_sections",
            "phases",
            Prefetch("leading_group__members", queryset=members),
        )
        .get(pk=pk)
    )


def campaigns_all() -> QuerySet:
    return Campaign.objects.select_related("organiser").order_by("-year", "id")
