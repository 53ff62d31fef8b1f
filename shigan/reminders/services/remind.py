"""`shigan remind`: fire the day's reminders of every campaign, gather each person's into one
digest a day, queue them for the other channels and send what is due.

Idempotent: a firing is one Reminder per (rule, record, anchor, round) — rules.py decides the
round from dates alone — so a second run on the same day finds every firing recorded and adds
nothing; a person who has had today's digest gets the rest in tomorrow's. Each campaign's
firings are written in one transaction (reminders, their recipients, the audit entries on the
items' history); a run that meets another run's rows (two at once) leaves that campaign to it.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from shigan.campaigns.models import Campaign
from shigan.core.models import AuditAction, AuditEntry, AuditSource
from shigan.orgs.workdays import calendar_for

from ..models import Chase, Digest, Message, MessageKind, Notice, Reminder, RuleKind
from ..queries.firing import Firing, campaign_firings
from .delivery import deliver_pending, deliveries_for_digests, deliveries_for_robots
from .handdowns import handdown_messages_sweep

# How each rule's firing reads on the item's history (core.AuditAction).
AUDIT_ACTIONS = {
    RuleKind.OVERDUE: AuditAction.CHASE,
    RuleKind.REPORT_MISSING: AuditAction.CHASE,
    RuleKind.MANUAL_CHASE: AuditAction.CHASE,
    RuleKind.ESCALATION: AuditAction.ESCALATE,
}
# The digest's kind: the most pressing of its lines (督办 > 催办 > 提醒).
DIGEST_KINDS = [
    ({RuleKind.ESCALATION}, MessageKind.ESCALATION),
    ({RuleKind.OVERDUE}, MessageKind.ITEM_CHASE),
    ({RuleKind.REPORT_MISSING}, MessageKind.REPORT_CHASE),
]


@dataclass
class RemindReport:
    day: datetime.date
    dry_run: bool
    fired: Counter = field(default_factory=Counter)
    firings: list[tuple[Campaign, Firing]] = field(default_factory=list)
    skipped_campaigns: list[Campaign] = field(default_factory=list)
    resting_campaigns: list[Campaign] = field(default_factory=list)  # a rest day there
    handdown_messages: int = 0  # 新交办/交办已撤回 messages written (handdown_messages_sweep)
    digests: int = 0
    deliveries: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return sum(self.fired.values())


def campaigns_running(day: datetime.date):
    """The campaigns whose year covers `day` (reminders stop when a campaign ends)."""
    return Campaign.objects.filter(start_date__lte=day, end_date__gte=day).select_related(
        "organiser"
    )


def _tally_key(kind: str, record_type: str, record_id: int, anchor: str, task_id, unit_id):
    """What a repeating rule's "第 N 次" counts: every 催办 of the item (the rules' rounds and
    the coordinators' by hand, whatever the due date), every 催报 of the unit's month (the
    rules' and 一键催报's), else the reminders of the same record and anchor."""
    if kind in (RuleKind.OVERDUE, RuleKind.MANUAL_CHASE) and task_id is not None:
        return ("chase", task_id)
    if kind == RuleKind.REPORT_MISSING:
        return ("report", unit_id, anchor)
    return (kind, record_type, record_id, anchor)


def _sent_tally(campaign: Campaign, firings: list[Firing], recorded_rows) -> Counter:
    sent = Counter(_tally_key(*row[:4], *row[5:]) for row in recorded_rows)
    units = {f.unit.pk for f in firings if f.kind == RuleKind.REPORT_MISSING and f.unit}
    periods = {f.anchor for f in firings if f.kind == RuleKind.REPORT_MISSING}
    if units:  # 一键催报 sent for those months (one query)
        chases = Chase.objects.filter(unit_id__in=units).values_list("unit_id", "period")
        for unit_id, period in chases:
            if f"{period:%Y-%m}" in periods:
                sent[("report", unit_id, f"{period:%Y-%m}")] += 1
    return sent


def _new_firings(campaign: Campaign, firings: list[Firing]) -> list[Firing]:
    """Firings not recorded yet, each once, a repeating one's text ending with its count
    (_tally_key: the item's every 催办, the unit's month's every 催报). Two queries."""
    kinds = {f.kind for f in firings} | {RuleKind.MANUAL_CHASE}
    rows = list(
        Reminder.objects.filter(campaign=campaign, kind__in=kinds).values_list(
            "kind", "record_type", "record_id", "anchor", "round", "task_id", "unit_id"
        )
    )
    recorded = {row[:5] for row in rows}
    sent = _sent_tally(campaign, firings, rows)
    new, seen = [], set()
    for firing in firings:
        if firing.key not in recorded and firing.key not in seen:
            seen.add(firing.key)
            if firing.ordinal:
                key = _tally_key(*firing.key[:4], firing.task and firing.task.pk,
                                 firing.unit and firing.unit.pk)  # fmt: skip
                sent[key] += 1
                firing.text += f"（第{sent[key]}次{firing.ordinal}）"
            new.append(firing)
    return new


def _audit(reminder: Reminder) -> AuditEntry:
    action = AUDIT_ACTIONS.get(reminder.kind, AuditAction.REMIND)
    label = RuleKind(reminder.kind).label
    # Not core.audit_entry's snapshot of every field: the note says it all and the reminder
    # itself is the record (its foreign keys would cost a query each). Its day is kept, as the
    # history shows a chase by the day it fired (core.history.BUSINESS_DATES).
    return AuditEntry(
        actor=None, source=AuditSource.SYSTEM, action=action,
        record_type=Reminder._meta.label_lower, record_id=reminder.pk,
        record_repr=reminder.text[:300], task_id=reminder.task_id,
        changes={"日期": [None, reminder.fired_on.isoformat()]}, note=label,
    )  # fmt: skip


@transaction.atomic
def firings_record(
    *, campaign: Campaign, firings: list[Firing], day: datetime.date
) -> list[Firing]:
    """The new ones among `firings` recorded as reminders with their recipients and audit
    entries; returns them (a fixed number of queries)."""
    firings = _new_firings(campaign, firings)
    if not firings:
        return []
    Reminder.objects.bulk_create(
        Reminder(
            kind=f.kind, campaign=campaign, task=f.task, unit=f.unit, record_type=f.record_type,
            record_id=f.record_id, anchor=f.anchor, round=f.round, fired_on=day,
            text=f.text[:500], link=f.link,
        )
        for f in firings
    )  # fmt: skip
    # Read back with their keys: bulk_create's primary keys are not on every backend.
    keyed = {
        (r.kind, r.record_type, r.record_id, r.anchor, r.round): r
        for r in Reminder.objects.filter(campaign=campaign, fired_on=day, sent_by__isnull=True)
    }
    notices, entries = [], []
    for firing in firings:
        reminder = keyed[firing.key]
        entries.append(_audit(reminder))
        users = {u.pk: u for u in firing.recipients}
        notices += [Notice(reminder=reminder, recipient=u) for u in users.values()]
    Notice.objects.bulk_create(notices)
    AuditEntry.objects.bulk_create(entries)
    return firings


def _digest_kind(kinds: set[str]) -> str:
    for among, kind in DIGEST_KINDS:
        if kinds & among:
            return kind
    return MessageKind.REMINDER


def _digest_title(day: datetime.date, reminders: list[Reminder]) -> str:
    counts = Counter(RuleKind(r.kind).label for r in reminders)
    parts = "、".join(f"{label}{n}项" for label, n in counts.most_common())
    return f"{day.month}月{day.day}日提醒：{parts}"[:200]


def _digest_message(user, day: datetime.date, reminders: list[Reminder]) -> Message:
    lines = [f"{i}. {r.text}" for i, r in enumerate(reminders, 1)]
    only = reminders[0] if len(reminders) == 1 else None
    return Message(
        recipient=user, kind=_digest_kind({r.kind for r in reminders}),
        title=_digest_title(day, reminders), body="\n".join(lines),
        link=only.link if only else "", record_type=Digest._meta.label_lower,
    )  # fmt: skip


@transaction.atomic
def digests_build(*, day: datetime.date) -> list[tuple[Digest, list[Reminder]]]:
    """Each person's reminders not yet in a digest, fired on or before `day`, as one inbox
    message: one digest per person per day (a person who has today's already gets the rest
    tomorrow). A fixed number of queries whatever the number of people."""
    waiting = (
        Notice.objects.filter(digest__isnull=True, reminder__fired_on__lte=day)
        .select_related("reminder", "recipient")
        .order_by("recipient_id", "reminder__kind", "reminder_id")
    )
    per_user: dict[int, list[Notice]] = defaultdict(list)
    for notice in waiting:
        per_user[notice.recipient_id].append(notice)
    had = set(
        Digest.objects.filter(day=day, recipient_id__in=list(per_user)).values_list(
            "recipient_id", flat=True
        )
    )
    todo = {uid: ns for uid, ns in per_user.items() if uid not in had and ns[0].recipient.is_active}
    if not todo:
        return []
    messages = [
        _digest_message(ns[0].recipient, day, [n.reminder for n in ns]) for ns in todo.values()
    ]
    Message.objects.bulk_create(messages)
    # Read the messages back (primary keys): the digests' messages of this day, newest per user.
    made = {
        m.recipient_id: m
        for m in Message.objects.filter(
            recipient_id__in=list(todo), record_type=Digest._meta.label_lower, digest__isnull=True
        ).order_by("id")
    }
    Digest.objects.bulk_create(Digest(recipient_id=uid, day=day, message=made[uid]) for uid in todo)
    made = Digest.objects.filter(day=day, recipient_id__in=list(todo))
    digests = {d.recipient_id: d for d in made.select_related("message", "recipient__person__unit")}
    notices = [n for ns in todo.values() for n in ns]
    for notice in notices:
        notice.digest = digests[notice.recipient_id]
    Notice.objects.bulk_update(notices, ["digest"], batch_size=500)
    return [(digests[uid], [n.reminder for n in ns]) for uid, ns in todo.items()]


def remind_run(
    *,
    today: datetime.date,
    now: datetime.datetime,
    dry_run: bool = False,
    campaign_ids: list[int] | None = None,
    send: bool = True,
) -> RemindReport:
    """Fire the rules of every running campaign on `today`, tell the districts of hand-downs
    made or withdrawn not yet told (handdown_messages_sweep), build the day's digests, queue them
    for email and the units' robots and (`send`) send what is due. `dry_run`: what would be
    fired, nothing written or sent."""
    report = RemindReport(day=today, dry_run=dry_run)
    campaigns = campaigns_running(today)
    if campaign_ids is not None:
        campaigns = campaigns.filter(pk__in=campaign_ids)
    for campaign in campaigns.order_by("id"):
        if not calendar_for(campaign.organiser.district_id).is_workday(today):
            report.resting_campaigns.append(campaign)
            continue
        firings = campaign_firings(campaign, today)
        if dry_run:
            firings = _new_firings(campaign, firings)
        else:
            try:
                firings = firings_record(campaign=campaign, firings=firings, day=today)
            except IntegrityError:  # another run wrote them first
                report.skipped_campaigns.append(campaign)
                continue
        report.firings += [(campaign, f) for f in firings]
        report.fired.update(f.kind for f in firings)
    if dry_run:
        return report
    report.handdown_messages = len(handdown_messages_sweep())
    built, queued = digests_queue(day=today, now=now)
    report.digests, report.deliveries = len(built), len(queued)
    if send:
        tally = deliver_pending(now=now)
        report.sent, report.retried, report.failed = tally.sent, tally.retried, tally.failed
    return report


@transaction.atomic
def digests_queue(*, day: datetime.date, now: datetime.datetime):
    """The day's digests and, in the same transaction, their deliveries by email and the units'
    robots: a run that fails between the two leaves neither, so the next run builds both (the
    notices wait undigested)."""
    built = digests_build(day=day)
    queued = deliveries_for_digests(digests=built, now=now)
    queued += deliveries_for_robots(day=day, reminders_by_unit=_by_unit(built), now=now)
    return built, queued


def _by_unit(built: list[tuple[Digest, list[Reminder]]]) -> dict:
    """The day's reminders by the unit of the people they reach: what each unit's group robot
    posts (a reminder to a coordinator goes to the task force's group, not the item's unit's)."""
    found: dict = {}
    for digest, reminders in built:
        person = getattr(digest.recipient, "person", None)
        if person is None:
            continue
        listed = found.setdefault(person.unit, {})
        listed.update((r.pk, r) for r in reminders)
    return {unit: list(listed.values()) for unit, listed in found.items()}
