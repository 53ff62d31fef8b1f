"""基层: the ledger's pages with their counts (each sub-domain adds its line)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shigan.campaigns.access import campaign_for_user
from shigan.core import clock
from shigan.orgs.workdays import calendar_for
from shigan.tasks.models import Task

from ..access import (
    can_manage_concern_categories,
    can_manage_pairings,
    can_manage_promises,
    can_manage_reception,
    can_record_concerns,
    can_record_practice_event,
    can_record_visits,
    concerns_visible_to,
    pairings_visible_to,
    practice_events_visible_to,
    promises_visible_to,
    reception_days_visible_to,
    visits_visible_to,
)
from ..models import Concern, Pairing, PracticeEvent, ReceptionDay, Visit
from ..queries.activity_counts import activity_counts
from ..queries.concerns import concern_status_counts


@login_required
@require_GET
def index(request):
    user = request.user
    campaign = campaign_for_user(user, request.GET.get("campaign"))
    calendar = calendar_for(campaign.organiser.district_id if campaign else None)
    concerns = concerns_visible_to(user, Concern.objects.filter(campaign=campaign))
    context = {
        "campaign": campaign,
        "visit_count": visits_visible_to(user, Visit.objects.filter(campaign=campaign)).count(),
        "concern_counts": concern_status_counts(concerns, today=clock.today(), calendar=calendar),
        "activities": _activity_counts(user, campaign),
        "may": {
            "visits": can_record_visits(user),
            "concerns": can_record_concerns(user),
            "categories": can_manage_concern_categories(user),
            "promises": can_manage_promises(user),
            "reception": can_manage_reception(user),
            "pairings": can_manage_pairings(user),
            "practice_events": can_record_practice_event(user),
        },
    }
    return render(request, "grassroots/index.html", context)


def _activity_counts(user, campaign):
    return activity_counts(
        promises=promises_visible_to(user, Task.objects.filter(campaign=campaign)),
        days=reception_days_visible_to(user, ReceptionDay.objects.filter(campaign=campaign)),
        pairings=pairings_visible_to(user, Pairing.objects.filter(campaign=campaign)),
        events=practice_events_visible_to(
            user, PracticeEvent.objects.filter(activity__campaign=campaign)
        ),
        today=clock.today(),
    )
