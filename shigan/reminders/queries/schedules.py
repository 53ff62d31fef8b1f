"""日程: a campaign's recurring obligations as data — each unit files its month by the N-th
working day of the next month (the 逾期未报 rule's days), each meeting series meets at its
cadence — with the next deadline of each. Four queries whatever the number of series."""

import datetime
from dataclasses import dataclass

from shigan.campaigns.models import Campaign
from shigan.core import clock
from shigan.core.history import readable_entries
from shigan.core.models import AuditEntry
from shigan.core.workdays import coverage_note
from shigan.meetings.access import meetings_visible_to
from shigan.meetings.cadence import PeriodState, cadence_periods
from shigan.meetings.models import Cadence, MeetingSeries
from shigan.meetings.queries import SeriesCadence, series_cadence_in
from shigan.orgs.workdays import calendar_for

from ..models import ReminderRule, RuleKind
from ..rules import RuleSetting, filing_deadline, rule_settings


@dataclass(frozen=True)
class SeriesSchedule:
    """A meeting series and the period it must meet in next (None: 不定期, or it has ended)."""

    cadence: SeriesCadence
    next_label: str = ""
    next_end: datetime.date | None = None
    held_now: bool = False  # the current period has its meeting already

    @property
    def series(self) -> MeetingSeries:
        return self.cadence.series

    @property
    def missed(self) -> int:
        return len(self.cadence.missed)


@dataclass(frozen=True)
class CampaignSchedule:
    settings: dict[str, RuleSetting]
    filing_period: datetime.date  # the month whose report is due next
    filing_deadline: datetime.date
    calendar_note: str
    series: list[SeriesSchedule]

    @property
    def filing_workday(self) -> int:
        return self.settings[RuleKind.REPORT_MISSING].days


def _first_period(series: MeetingSeries, start: datetime.date):
    """The period of `series` starting on `start` (None past its end)."""
    if start > series.ends_on:
        return None
    found = cadence_periods(series.cadence, start=start, end=series.ends_on, as_of=start, dates=[])
    return found[0] if found else None


def _series_schedule(cadence: SeriesCadence, today: datetime.date) -> SeriesSchedule:
    series = cadence.series
    if series.cadence == Cadence.NONE:
        return SeriesSchedule(cadence)
    if series.active_from > today:
        upcoming = _first_period(series, series.active_from)
        return (
            SeriesSchedule(cadence, upcoming.label, upcoming.end)
            if upcoming
            else SeriesSchedule(cadence)
        )
    current = cadence.periods[-1] if cadence.periods else None
    if current is None or current.end < today:
        return SeriesSchedule(cadence)  # ended
    if current.state == PeriodState.PENDING:
        return SeriesSchedule(cadence, current.label, current.end)
    following = _first_period(series, current.end + datetime.timedelta(days=1))
    if following is None:
        return SeriesSchedule(cadence, held_now=True)
    return SeriesSchedule(cadence, following.label, following.end, held_now=True)


def campaign_schedule(user, campaign: Campaign, today: datetime.date) -> CampaignSchedule:
    """The campaign's filing schedule (the month due next and its deadline on the district's
    calendar) and every meeting series the user reads with the period it must meet in next."""
    settings = rule_settings(campaign)
    workday = settings[RuleKind.REPORT_MISSING].days
    calendar = calendar_for(campaign.organiser.district_id)
    period = clock.month_start(clock.month_start(today) - datetime.timedelta(days=1))
    deadline = filing_deadline(period, calendar, workday)
    if today > deadline:
        period = clock.month_start(today)
        deadline = filing_deadline(period, calendar, workday)
    visible = meetings_visible_to(user, MeetingSeries.objects.all())
    series = [_series_schedule(c, today) for c in series_cadence_in(campaign, today, visible)]
    return CampaignSchedule(settings, period, deadline, coverage_note(deadline.year), series)


def rule_settings_history(campaign: Campaign) -> list[AuditEntry]:
    """The changes of the campaign's rule timing, newest first (one query)."""
    rules = ReminderRule.objects.filter(campaign=campaign).values("id")
    entries = AuditEntry.objects.filter(
        record_type=ReminderRule._meta.label_lower, record_id__in=rules
    ).select_related("actor__person")
    return readable_entries(entries[:100])
