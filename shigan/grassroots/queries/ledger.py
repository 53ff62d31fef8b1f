"""The grassroots ledger of a campaign as known on a date, whole (the district's figures, for the
summary report): visits, reception days held, concerns with their efficiency, disputes, 办实事
items with their status, practice events. Each figure is the one the ledger's pages compute —
efficiency() for the concerns, task_tally() for the 办实事 items — over every record of the
campaign dated by the day. Eight queries (and the calendar's) whatever the number of records.
"""

import datetime
from dataclasses import dataclass

from shigan.campaigns.models import Campaign
from shigan.orgs.workdays import calendar_for
from shigan.tasks.models import Task, TaskOrigin
from shigan.tasks.queries import TaskTally, task_tally

from ..models import Concern, ConcernKind, PracticeEvent, ReceptionDay, Visit
from .efficiency import SATISFIED, Efficiency, concerns_known_on, efficiency


@dataclass
class LedgerFacts:
    visits: list[Visit]  # dated by the day, oldest first
    reception_days: list[ReceptionDay]  # held by the day
    concerns: list[Concern]  # received by the day, with satisfaction_then
    efficiency: Efficiency  # of `concerns`, as of the day
    promises: TaskTally  # 办实事 items on the list by the day, with their status then
    events: list[PracticeEvent]  # practice events dated by the day

    @property
    def disputes(self) -> list[Concern]:
        return [c for c in self.concerns if c.kind == ConcernKind.DISPUTE]

    @property
    def answered(self) -> list[Concern]:
        """Concerns whose requester answered a 回访 by the day."""
        return [c for c in self.concerns if c.satisfaction_then]

    @property
    def satisfied(self) -> list[Concern]:
        return [c for c in self.concerns if c.satisfaction_then in SATISFIED]


def ledger_facts(campaign: Campaign, as_of: datetime.date) -> LedgerFacts:
    """The campaign's ledger as known on `as_of` (see the module docstring)."""
    concerns = Concern.objects.filter(campaign=campaign)
    calendar = calendar_for(campaign.organiser.district_id)
    promises = Task.objects.filter(origin=TaskOrigin.PROMISE).order_by("due_date", "id")
    visits = Visit.objects.filter(campaign=campaign, date__lte=as_of)
    days = ReceptionDay.objects.filter(campaign=campaign, held=True, date__lte=as_of)
    events = PracticeEvent.objects.filter(activity__campaign=campaign, date__lte=as_of)
    return LedgerFacts(
        visits=list(visits.order_by("date", "id")),
        reception_days=list(days.select_related("leader").order_by("date", "id")),
        concerns=list(concerns_known_on(concerns, as_of).order_by("received_on", "id")),
        efficiency=efficiency(concerns, year=campaign.year, today=as_of, calendar=calendar),
        promises=task_tally(campaign, as_of, promises),
        events=list(events.select_related("activity").order_by("date", "id")),
    )
