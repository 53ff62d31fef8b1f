"""Reads for the meeting pages and the dashboard: a fixed number of queries whatever the number of
series, meetings, decisions or study sessions."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from shigan.campaigns.models import Campaign
from shigan.tasks.access import tasks_visible_to
from shigan.tasks.models import Task, TaskOrigin
from shigan.tasks.queries import TaskRow, task_rows, tasks_known

from .access import decisions_visible_to, get_meeting_for_user, meetings_visible_to
from .cadence import CadencePeriod, PeriodState, cadence_periods
from .completion import Completion, completion_of
from .models import Decision, Meeting, MeetingSeries, StudyKind, StudySession

AD_HOC_LABEL = "其他会议（不定期）"


@dataclass
class SeriesCadence:
    """A series with its periods as they stand on a date (cadence.py) and the meetings it held by
    then (series_cadence_in)."""

    series: MeetingSeries
    periods: list[CadencePeriod]
    held: list[Meeting] = field(default_factory=list)

    def _in(self, state: PeriodState) -> list[CadencePeriod]:
        return [p for p in self.periods if p.state == state]

    @property
    def missed(self) -> list[CadencePeriod]:
        return self._in(PeriodState.MISSED)

    @property
    def multiple(self) -> list[CadencePeriod]:
        return self._in(PeriodState.MULTIPLE)

    @property
    def held_count(self) -> int:
        """Meetings held by the date, those of a series without cadence (不定期) too."""
        return len(self.held)


def series_cadence(user, campaign: Campaign, as_of: datetime.date) -> list[SeriesCadence]:
    """Every series of the campaign the user reads with its cadence periods as of `as_of`
    (series_cadence_in; two queries)."""
    series = meetings_visible_to(user, MeetingSeries.objects.all())
    return series_cadence_in(campaign, as_of, series)


def _visible_decision_count(user) -> Coalesce:
    decisions = decisions_visible_to(user, Decision.objects.filter(meeting=OuterRef("pk")))
    counted = decisions.order_by().values("meeting_id").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def meetings_filtered(
    user,
    campaign: Campaign,
    *,
    series: MeetingSeries | None = None,
    kind: str | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet:
    """The campaign's meetings, newest first, with the number of decisions the user may read."""
    meetings = Meeting.objects.filter(campaign=campaign)
    if series is not None:
        meetings = meetings.filter(series=series)
    if kind:
        meetings = meetings.filter(kind=kind)
    if date_from:
        meetings = meetings.filter(date__gte=date_from)
    if date_to:
        meetings = meetings.filter(date__lte=date_to)
    return (
        meetings_visible_to(user, meetings)
        .select_related("series", "chair")
        .annotate(decision_count=_visible_decision_count(user))
    )


def meeting_for_page(user, pk, *, write: bool = False) -> Meeting:
    """One meeting with its series, chair, attendees and files (404/403 as access says)."""
    queryset = Meeting.objects.select_related("series", "campaign", "chair__unit").prefetch_related(
        "attendees", "files"
    )
    return get_meeting_for_user(user, pk, write=write, queryset=queryset)


@dataclass
class DecisionRow:
    """A decision with its task's computed status."""

    decision: Decision
    row: TaskRow

    @property
    def task(self) -> Task:
        return self.row.task


def decision_rows(
    user,
    today: datetime.date,
    *,
    campaign: Campaign | None = None,
    meeting: Meeting | None = None,
) -> list[DecisionRow]:
    """Decisions whose tasks the user may read, in meeting order, with status as known on
    `today` (the tasks app's rules; decisions of later meetings left out), in one query
    besides the access lookups (decision_rows_in)."""
    readable = tasks_visible_to(user, Task.objects.all())
    return decision_rows_in(readable, today, campaign=campaign, meeting=meeting)


@dataclass
class SeriesCompletion:
    label: str
    series: MeetingSeries | None
    completion: Completion


@dataclass
class MeetingCompletion:
    meeting: Meeting
    completion: Completion


@dataclass
class CompletionTable:
    """Decision completion per series, per meeting and overall, over the decisions a user reads."""

    overall: Completion
    series: list[SeriesCompletion]
    meetings: list[MeetingCompletion]
    rows: list[DecisionRow] = field(default_factory=list)


def decision_completion(user, campaign: Campaign, today: datetime.date) -> CompletionTable:
    """The completion table of the campaign's decisions (two queries plus access lookups).
    Every series is listed, those without decisions too; meetings only with decisions."""
    rows = decision_rows(user, today, campaign=campaign)
    all_series = meetings_visible_to(user, MeetingSeries.objects.filter(campaign=campaign))
    by_series = {s.pk: SeriesCompletion(s.name, s, Completion()) for s in all_series}
    by_meeting: dict[int, MeetingCompletion] = {}
    overall = Completion()
    for item in rows:
        meeting, status = item.decision.meeting, item.row.status
        overall.add(status)
        by_meeting.setdefault(meeting.pk, MeetingCompletion(meeting, Completion()))
        by_meeting[meeting.pk].completion.add(status)
        if meeting.series_id is None:
            by_series.setdefault(None, SeriesCompletion(AD_HOC_LABEL, None, Completion()))
        by_series[meeting.series_id].completion.add(status)
    return CompletionTable(overall, list(by_series.values()), list(by_meeting.values()), rows)


def study_sessions(user, campaign: Campaign, *, kind: str | None = None) -> QuerySet:
    sessions = StudySession.objects.filter(campaign=campaign)
    if kind:
        sessions = sessions.filter(kind=kind)
    return meetings_visible_to(user, sessions).prefetch_related("attendees")


def study_counts(user, campaign: Campaign, year: int, as_of: datetime.date) -> dict[str, int]:
    """Study sessions held in `year` up to `as_of`, per kind label (study_tally; one query)."""
    sessions = meetings_visible_to(user, StudySession.objects.all())
    return study_tally(campaign, as_of, sessions, year=year).counts


def meetings_cards(user, campaign: Campaign, as_of: datetime.date) -> dict:
    """What a dashboard shows of meetings on `as_of`, scoped to the user:

    series (SeriesCadence, all) and series_missed (those with a missed period); decisions
    (Completion over the decisions he may read) and decision_series (per series); meetings_held
    (meetings of the campaign on or before as_of); study_sessions_year and study_by_kind.
    """
    cadences = series_cadence(user, campaign, as_of)
    table = decision_completion(user, campaign, as_of)
    study = study_counts(user, campaign, as_of.year, as_of)
    held = meetings_held(campaign, as_of, meetings_visible_to(user, Meeting.objects.all()))
    return {
        "campaign": campaign,
        "as_of": as_of,
        "series": cadences,
        "series_missed": [c for c in cadences if c.missed],
        "decisions": table.overall,
        "decision_series": table.series,
        "meetings_held": held.count(),
        "study_sessions_year": sum(study.values()),
        "study_by_kind": study,
    }


# Figures the cockpit, the meeting pages and the report state, each computed here once. The
# scope is the caller's argument: what a user reads (meetings.access, tasks.access for decisions,
# narrowed by the cockpit's unit filter), or every record for the district's report.


def meetings_held(campaign: Campaign, as_of: datetime.date, meetings: QuerySet) -> QuerySet:
    """The campaign's meetings among `meetings` held on or before `as_of`, oldest first."""
    return meetings.filter(campaign=campaign, date__lte=as_of).order_by("date", "id")


def series_cadence_in(
    campaign: Campaign, as_of: datetime.date, series: QuerySet
) -> list[SeriesCadence]:
    """The campaign's series among `series`, each with the meetings it held by `as_of` and its
    cadence periods then (two queries)."""
    listed = list(series.filter(campaign=campaign).select_related("campaign", "organiser", "chair"))
    held: dict[int, list[Meeting]] = {s.pk: [] for s in listed}
    meetings = Meeting.objects.filter(series__in=list(held), date__lte=as_of)
    for meeting in meetings.order_by("date", "id"):
        held[meeting.series_id].append(meeting)
    return [
        SeriesCadence(
            series=s,
            periods=cadence_periods(
                s.cadence,
                start=s.active_from,
                end=s.ends_on,
                as_of=as_of,
                dates=[m.date for m in held[s.pk]],
            ),
            held=held[s.pk],
        )
        for s in listed
    ]


def decision_rows_in(
    tasks: QuerySet,
    today: datetime.date,
    *,
    campaign: Campaign | None = None,
    meeting: Meeting | None = None,
) -> list[DecisionRow]:
    """Decisions whose tasks are among `tasks`, in meeting order, with status as known on `today`
    (the tasks app's rules; decisions of later meetings left out), in one query."""
    tasks = tasks_known(tasks.filter(origin=TaskOrigin.DECISION, decision__isnull=False), today)
    if campaign is not None:
        tasks = tasks.filter(decision__meeting__campaign=campaign)
    if meeting is not None:
        tasks = tasks.filter(decision__meeting=meeting)
    tasks = tasks.select_related("decision__meeting__series").order_by(
        "decision__meeting__date", "decision__meeting_id", "decision__number"
    )
    return [DecisionRow(decision=row.task.decision, row=row) for row in task_rows(tasks, today)]


def decision_tally(campaign: Campaign, as_of: datetime.date, tasks: QuerySet) -> Completion:
    """The completion tally (completion.py) of the campaign's decisions whose tasks are among
    `tasks`, as known on `as_of` (one query)."""
    return completion_of(r.row.status for r in decision_rows_in(tasks, as_of, campaign=campaign))


@dataclass
class StudyTally:
    """Study sessions held in a year up to a date, by kind (StudyKind value → sessions)."""

    by_kind: dict[str, list[StudySession]]

    @property
    def counts(self) -> dict[str, int]:
        """Per kind label, every kind listed."""
        return {StudyKind(kind).label: len(held) for kind, held in self.by_kind.items()}

    @property
    def total(self) -> int:
        return sum(len(held) for held in self.by_kind.values())


def study_tally(
    campaign: Campaign, as_of: datetime.date, sessions: QuerySet, *, year: int | None = None
) -> StudyTally:
    """The campaign's study sessions among `sessions` held in `year` (as_of's by default) up to
    `as_of`, oldest first, by kind (one query)."""
    held = sessions.filter(campaign=campaign, date__year=year or as_of.year, date__lte=as_of)
    by_kind: dict[str, list[StudySession]] = {kind.value: [] for kind in StudyKind}
    for session in held.order_by("date", "id"):
        by_kind[session.kind].append(session)
    return StudyTally(by_kind)
