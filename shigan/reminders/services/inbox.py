"""Writes of the inbox and 催报: each one transaction, each 催报 audited."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shigan.core.audit import audit_entry
from shigan.core.models import AuditAction, AuditEntry
from shigan.orgs.models import Unit

from ..models import Chase, Message, MessageKind
from .delivery import deliveries_for_sending


def message_mark_read(*, message: Message) -> Message:
    """The message as read now (its first opening counts; later ones change nothing)."""
    if message.read_at is None:
        message.read_at = timezone.now()
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=message.read_at)
    return message


def inbox_mark_all_read(*, user) -> int:
    """Every unread message of `user` as read now; how many were unread."""
    return Message.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def chase_send(
    *,
    by,
    period: datetime.date,
    text: str,
    batch: str,
    recipients: dict[Unit, list],
) -> list[Chase]:
    """催报 for `period`: for each unit a Chase record (audited) and one inbox message to each of
    its reporter accounts, linking to the month's report, queued by email to each and to the
    unit's group robots (delivery.py). All or nothing. A `batch` already sent (the same
    confirmed form posted twice) sends nothing and returns []. Units without a recipient are
    not chased. A fixed number of queries whatever the number of units."""
    if Chase.objects.filter(batch=batch).exists():
        return []
    units = [unit for unit, users in recipients.items() if users]
    Chase.objects.bulk_create(
        Chase(unit=unit, period=period, text=text, recipients=len(recipients[unit]), sent_by=by,
              batch=batch)
        for unit in units
    )  # fmt: skip
    # bulk_create does not return the primary keys on every backend: read them back.
    chases = {
        c.unit_id: c
        for c in Chase.objects.filter(batch=batch).select_related("unit", "sent_by__person")
    }
    AuditEntry.objects.bulk_create(
        audit_entry(actor=by, obj=chase, action=AuditAction.CREATE, note="一键催报")
        for chase in chases.values()
    )
    link = f"{reverse('monthly:report')}?period={period:%Y-%m}"
    title = f"催报：{period.year}年{period.month}月工作进展"
    messages = {
        unit: [
            Message(recipient=user, kind=MessageKind.REPORT_CHASE, title=title, body=text,
                    link=link, record_type=Chase._meta.label_lower, record_id=chases[unit.pk].pk,
                    sender=by)
            for user in recipients[unit]
        ]
        for unit in units
    }  # fmt: skip
    Message.objects.bulk_create(m for sent in messages.values() for m in sent)
    now = timezone.now()
    # By email to each account and to the units' group robots.
    deliveries_for_sending(messages_by_unit=messages, key=f"chase:{batch}", now=now)
    return list(chases.values())
