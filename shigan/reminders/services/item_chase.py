"""一键催办: a coordinator's 催办 of overdue items, recorded on each item's history."""

from collections import defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shigan.core import clock
from shigan.core.audit import audit_entry
from shigan.core.models import AuditAction, AuditEntry
from shigan.orgs.models import Unit
from shigan.tasks.models import Task

from ..models import Message, MessageKind, Reminder, RuleKind
from ..queries.filing import reporter_accounts
from ..queries.items import chase_tally
from .delivery import deliveries_for_sending

MANUAL_CHASE_NOTE = "专班催办（第{n}次）"


def _title(items: list[Task]) -> str:
    first = items[0].title
    more = f"等{len(items)}项事项" if len(items) > 1 else ""
    return f"催办：{first}{more}"[:200]


def _body(text: str, items: list[Task]) -> str:
    today = clock.today()
    lines = [
        f"{i}. {t.title}（完成时限{t.due_date:%Y-%m-%d}，已逾期{(today - t.due_date).days}天）"
        for i, t in enumerate(items, 1)
    ]
    return "\n".join([text, "", *lines])


def _link(items: list[Task]) -> str:
    """The item itself, or the unit's overdue items on the task list when there are several."""
    if len(items) == 1:
        return items[0].get_absolute_url()
    first = items[0]
    query = f"campaign={first.campaign_id}&unit={first.lead_unit_id}&status=overdue"
    return f"{reverse('tasks:task_list')}?{query}"


def _messages(by, reminders: dict[int, Reminder], units: dict, accounts: dict) -> list[Message]:
    messages = []
    for unit_id, items in units.items():
        first = reminders[items[0].pk]
        for user in accounts.get(unit_id, []):
            message = Message(
                recipient=user, kind=MessageKind.ITEM_CHASE, title=_title(items),
                body=_body(first.text, items), link=_link(items),
                record_type=Reminder._meta.label_lower, record_id=first.pk, sender=by,
            )  # fmt: skip
            message.unit_id = unit_id  # which unit's robots it goes to (not a field)
            messages.append(message)
    return messages


def _audit(by, reminder: Reminder, times: int) -> AuditEntry:
    entry = audit_entry(actor=by, obj=reminder, action=AuditAction.CHASE,
                        task_id=reminder.task_id, note=MANUAL_CHASE_NOTE.format(n=times))  # fmt: skip
    entry.changes = {}  # the reminder is the record; its text is the entry's
    return entry


@transaction.atomic
def item_chase_send(*, by, items: list[Task], text: str, batch: str) -> list[Reminder]:
    """催办 the overdue `items` (tracked items of any origin): for each a Reminder (专班催办,
    round 1, anchored on the sending's `batch`) and an audit entry (催办, "专班催办（第 N 次）",
    N counting every 催办 the item had, the rules' automatic rounds too) on the item's history;
    one inbox message to each reporter account of each lead unit listing all its chased items,
    linking to the item (or to the unit's overdue items when there are several), queued by
    email to each and once to each of the unit's group robots (services.delivery). Manual chases
    are not gathered into digests (no Notice). All or nothing; a `batch` already sent (the
    confirmed form posted twice) sends nothing and returns []. Items of a unit without a
    reporter account are recorded too (their history says they were chased). A fixed number of
    queries whatever the number of items and units."""
    if not items or Reminder.objects.filter(kind=RuleKind.MANUAL_CHASE, anchor=batch).exists():
        return []
    today = clock.today()
    Reminder.objects.bulk_create(
        Reminder(kind=RuleKind.MANUAL_CHASE, campaign_id=item.campaign_id, task=item,
                 unit_id=item.lead_unit_id, record_type=Task._meta.label_lower,
                 record_id=item.pk, anchor=batch, round=1, fired_on=today, text=text[:500],
                 link=item.get_absolute_url(), sent_by=by)
        for item in items
    )  # fmt: skip
    # bulk_create does not return the primary keys on every backend: read them back.
    sent = Reminder.objects.filter(kind=RuleKind.MANUAL_CHASE, anchor=batch)
    # What the audit snapshot names (the campaign, item, unit, sender) read along, not per row.
    sent = sent.select_related("campaign", "task", "unit", "sent_by__person")
    reminders = {r.task_id: r for r in sent}
    tally = chase_tally(reminders)
    AuditEntry.objects.bulk_create(
        _audit(by, r, tally.get(task_id).count + 1 if task_id in tally else 1)
        for task_id, r in reminders.items()
    )
    units: dict[int, list[Task]] = defaultdict(list)
    for item in items:
        units[item.lead_unit_id].append(item)
    accounts = reporter_accounts(list(units))
    messages = _messages(by, reminders, units, accounts)
    Message.objects.bulk_create(messages)
    _deliver(messages, Unit.objects.in_bulk(list(units)), batch)
    return list(reminders.values())


def _deliver(messages: list[Message], units: dict, batch: str) -> None:
    """Each message by email, and each unit's once to its group robots (mentioning its
    recipients), queued once per sending (services.delivery, a fixed number of queries)."""
    by_unit: dict = defaultdict(list)
    for message in messages:
        by_unit[units[message.unit_id]].append(message)
    deliveries_for_sending(messages_by_unit=by_unit, key=f"itemchase:{batch}", now=timezone.now())
