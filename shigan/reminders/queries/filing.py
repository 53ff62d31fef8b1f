"""Reads for the inbox and the 报送情况 board, a fixed number of queries whatever the row count."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, TextChoices
from django.utils import timezone

from shigan.campaigns.models import Campaign
from shigan.core import clock, prepared
from shigan.core.workdays import WorkCalendar, coverage_note
from shigan.orgs.models import Person, Role, Unit
from shigan.orgs.scope import district_id_of
from shigan.orgs.workdays import calendar_for
from shigan.tasks.access import tasks_visible_to
from shigan.tasks.models import Task
from shigan.tasks.queries import UnitFiling, unit_filing

from .. import rules
from ..access import messages_visible_to
from ..models import Chase, Message, Reminder, RuleKind
from ..rules import FILING_DEADLINE_WORKDAY, rule_settings
from .handdowns import handdown_district_told, handdown_events_unsent

INBOX_PAGE_SIZE = 30


def inbox_unread_count(user) -> int:
    """The header's unread count: one query. A district coordinator's counts his district's
    hand-down events not yet written (handdowns.py; opening the inbox writes them), so a
    hand-down made or withdrawn shows at once, before the daily run. The statement is compiled
    once per process (core.prepared: on every page, compiling it cost 1–7 ms, running it 0.1)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    district_id = handdown_district_told(user)
    if district_id is None:
        return prepared.count(("inbox_unread",), _unread, user.pk)
    return prepared.count(("inbox_unread_handdowns",), _unread_with_events, user.pk, district_id)


def _unread(user_pk: int):
    account = get_user_model()(pk=user_pk)  # who the messages are to: only his id is read
    messages = messages_visible_to(account, Message.objects.all())
    return messages.filter(read_at__isnull=True).order_by().values_list("pk")


def _unread_with_events(user_pk: int, district_id: int):
    events = handdown_events_unsent(district_id=district_id).order_by().values_list("pk")
    return _unread(user_pk).union(events, all=True)


def inbox_page(user, number) -> Page:
    """One page of the user's messages, newest first (a count and a page: two queries)."""
    messages = messages_visible_to(user, Message.objects.all()).select_related("sender__person")
    return Paginator(messages, INBOX_PAGE_SIZE).get_page(number)


def filing_deadline(
    period: datetime.date,
    calendar: WorkCalendar | None = None,
    workday: int = FILING_DEADLINE_WORKDAY,
) -> datetime.date:
    """The last day a month's report counts as on time: the `workday`-th working day of the
    next month on `calendar` (the national one when None); rules.filing_deadline."""
    return rules.filing_deadline(period, calendar or WorkCalendar(), workday)


def filing_deadline_workday(campaign: Campaign) -> int:
    """The campaign's filing schedule: reports due by this working day of the next month."""
    return rule_settings(campaign)[RuleKind.REPORT_MISSING].days


class FilingStatus(TextChoices):
    FILED = "filed", "已报"
    PENDING = "pending", "未报"
    OVERDUE = "overdue", "逾期未报"


@dataclass
class BoardRow:
    """A unit on the board: its filing, status, and the 催报 it has been sent for the month."""

    filing: UnitFiling
    status: FilingStatus
    filed_late: bool = False
    chases: int = 0  # 一键催报 and the rules' 逾期未报 reminders of the month
    # Of `chases`, the rules' own (the scheduled `shigan remind`): the page says how many, as
    # its 人工催报记录 lists only those sent by hand.
    automatic: int = 0
    last_chased_at: datetime.datetime | None = None  # the latest 一键催报 (by hand)
    last_reminded_at: datetime.datetime | None = None  # the latest of either

    @property
    def unit(self) -> Unit:
        return self.filing.unit

    @property
    def by_hand(self) -> int:
        """The month's 一键催报 to the unit (those the 人工催报记录 lists)."""
        return self.chases - self.automatic

    def chased_on(self, day: datetime.date) -> bool:
        return self.last_chased_at is not None and timezone.localdate(self.last_chased_at) == day


@dataclass
class FilingBoard:
    period: datetime.date
    deadline: datetime.date
    today: datetime.date
    # The calendar's note when the deadline's year is not covered (weekends only), else "".
    calendar_note: str
    rows: list[BoardRow]
    history: list[Chase] = field(default_factory=list)
    deadline_workday: int = FILING_DEADLINE_WORKDAY  # the campaign's filing schedule

    @property
    def unfiled(self) -> list[BoardRow]:
        return [row for row in self.rows if row.status != FilingStatus.FILED]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {s.label: self.count(s) for s in FilingStatus}


def _status(filing: UnitFiling, deadline: datetime.date, today: datetime.date) -> FilingStatus:
    if filing.missing == 0:
        return FilingStatus.FILED
    return FilingStatus.OVERDUE if today > deadline else FilingStatus.PENDING


def filing_board(user, campaign: Campaign, period: datetime.date) -> FilingBoard:
    """Every unit leading the campaign's tasks the user reads that report for `period`: 已报
    (every task has the month's report), 未报, or 逾期未报 (not all filed and the deadline has
    passed); when and by whom it filed (filed after the deadline is marked), and the 催报 sent
    to it for the month (by hand and by the rules' 逾期未报). Nine queries at most whatever the
    number of units."""
    today = clock.today()
    calendar = calendar_for(district_id_of(user))
    workday = filing_deadline_workday(campaign)
    deadline = filing_deadline(period, calendar, workday)
    as_of = min(today, clock.month_end(period))
    scope = tasks_visible_to(user, Task.objects.all())
    filings = unit_filing(campaign, as_of, scope, known_on=today, with_filers=True)
    unit_ids = [f.unit.pk for f in filings]
    chases = Chase.objects.filter(period=period, unit_id__in=unit_ids)
    tally = {
        r["unit_id"]: (r["n"], r["last"])
        for r in chases.values("unit_id").annotate(n=Count("id"), last=Max("sent_at")).order_by()
    }
    reminded = {
        r["unit_id"]: (r["n"], r["last"])
        for r in Reminder.objects.filter(
            kind=RuleKind.REPORT_MISSING, anchor=f"{period:%Y-%m}", unit_id__in=unit_ids
        )
        .values("unit_id")
        .annotate(n=Count("id"), last=Max("created_at"))
        .order_by()
    }
    rows = []
    for filing in filings:
        row = BoardRow(filing, _status(filing, deadline, today))
        if filing.filed_at is not None and row.status == FilingStatus.FILED:
            # Never later than today: a pinned day (the demo's) is older than real filings.
            row.filed_late = min(timezone.localdate(filing.filed_at), today) > deadline
        row.chases, row.last_chased_at = tally.get(filing.unit.pk, (0, None))
        row.automatic, last_automatic = reminded.get(filing.unit.pk, (0, None))
        row.chases += row.automatic
        row.last_reminded_at = max(
            (t for t in (row.last_chased_at, last_automatic) if t is not None), default=None
        )
        rows.append(row)
    history = list(chases.select_related("unit", "sent_by__person")[:100])
    note = coverage_note(deadline.year)
    return FilingBoard(period, deadline, today, note, rows, history, workday)


def reporter_accounts(units: list[Unit]) -> dict[int, list]:
    """The active reporter accounts (单位填报员) of each unit, by unit id: one query."""
    people = Person.objects.filter(
        unit__in=units, role=Role.REPORTER, user__isnull=False, user__is_active=True
    ).select_related("user")
    found: dict[int, list] = defaultdict(list)
    for person in people.order_by("sort_order", "id"):
        found[person.unit_id].append(person.user)
    return found


def chase_batch_sent(batch: str) -> bool:
    """Whether the confirmed 催报 form `batch` names was sent already (a resubmission)."""
    return Chase.objects.filter(batch=batch).exists()


def chase_default_text(period: datetime.date, deadline: datetime.date, today: datetime.date) -> str:
    if today > deadline:
        return (
            f"{period.month}月工作进展的报送截止日期（{deadline.month}月{deadline.day}日）已过，"
            "贵单位尚未报送完毕，请尽快报送。"
        )
    return f"请于{deadline.month}月{deadline.day}日前报送{period.month}月工作进展。"


def reported_period_default(campaign: Campaign | None) -> datetime.date:
    """The month being reported, the 报送情况 board's default (page and API): last month (its
    reports are due early this month), unless the campaign began this month."""
    this_month = clock.month_start(clock.today())
    last_month = clock.month_start(this_month - datetime.timedelta(days=1))
    started = clock.month_start(campaign.start_date) if campaign else this_month
    return last_month if last_month >= started else this_month
