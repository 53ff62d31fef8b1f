"""Messages about hand-downs (交办) in the receiving district coordinators' inboxes: one when a
hand-down arrives (新交办：…), one when the upper level withdraws it (交办已撤回：…), one when the
upper level's coordinator chases it (催办：…). Reminders sits above directives: it reads the
hand-downs and writes its own messages, directives announces nothing (no domain signals). The
first two are swept (handdown_messages_sweep) by the daily run (remind_run) for every district
and, at once, when a district coordinator opens his inbox; until then his unread count counts
them (queries.handdown_events_unsent). Each event is written once per hand-down: the message
itself (record and title) is the mark that it was sent."""

from django.db import transaction
from django.urls import reverse

from shigan.core.audit import audit_record
from shigan.core.models import AuditAction
from shigan.directives.models import HandDown, HandDownState
from shigan.orgs.models import Person, Role

from ..models import Message, MessageKind
from ..queries.handdowns import (
    ARRIVAL_PREFIX,
    HANDED_DOWN,
    WITHDRAWAL_PREFIX,
    WITHDRAWN,
    handdown_district_told,
    handdown_events_unsent,
)

HANDDOWN_CHASE_TEXT = "请尽快接收或退回该交办任务；已接收的，请抓紧推进并按时报送进展。"


def _coordinators(district_ids) -> dict[int, list]:
    """The active coordinator accounts of each district (its 专班): one query."""
    people = Person.objects.filter(
        role=Role.COORDINATOR, unit__district_id__in=district_ids, user__isnull=False,
        user__is_active=True,
    ).select_related("user", "unit")  # fmt: skip
    found: dict[int, list] = {pk: [] for pk in district_ids}
    for person in people.order_by("sort_order", "id"):
        found[person.unit.district_id].append(person.user)
    return found


def district_coordinators(district_id: int) -> list:
    """The active coordinator accounts of the district (its 专班): one query."""
    return _coordinators([district_id])[district_id]


def _text(handdown: HandDown, event: str) -> tuple[str, str, str]:
    task, upper = handdown.upper_task, handdown.upper_task.lead_unit.label
    if event == HANDED_DOWN:
        body = f"{upper}交办任务“{task.title}”（时限{task.due_date:%Y-%m-%d}），请接收或退回。"
        if handdown.note:
            body += f"\n交办要求：{handdown.note}"
        return MessageKind.REMINDER, f"{ARRIVAL_PREFIX}{task.title}", body
    if event == WITHDRAWN:
        body = f"{upper}已撤回交办任务“{task.title}”，撤回理由：{handdown.withdraw_reason}"
        return MessageKind.REMINDER, f"{WITHDRAWAL_PREFIX}{task.title}", body
    return MessageKind.ITEM_CHASE, f"催办：交办任务“{task.title}”", ""


def _message(handdown: HandDown, user, *, kind: str, title: str, body: str, by) -> Message:
    return Message(
        recipient=user, kind=kind, title=title[:200], body=body, link=reverse("directives:inbox"),
        record_type=HandDown._meta.label_lower, record_id=handdown.pk, sender=by,
    )  # fmt: skip


def _send(handdown: HandDown, *, kind: str, title: str, body: str, by) -> list[Message]:
    messages = [
        _message(handdown, user, kind=kind, title=title, body=body, by=by)
        for user in district_coordinators(handdown.unit_id)
    ]
    Message.objects.bulk_create(messages)
    return messages


def handdown_messages_sweep(*, district_id: int | None = None) -> list[Message]:
    """Write the message of every hand-down event not yet told (of one district, or of all:
    queries.handdown_events_unsent) to each coordinator of the receiving district, sent by
    whoever acted. One query when there is nothing to write, five in a transaction whatever
    the number of events: the events found are locked, then read again, so two sweeps at once
    (the daily run, an inbox opened) write each message once."""
    unsent = handdown_events_unsent(district_id=district_id)
    found = list(unsent.values_list("pk", flat=True))
    return _sweep_write(unsent, found) if found else []


@transaction.atomic
def _sweep_write(unsent, found: list[int]) -> list[Message]:
    list(HandDown.objects.select_for_update().filter(pk__in=found).order_by("pk").values("pk"))
    handdowns = list(
        unsent.filter(pk__in=found)
        .select_related("upper_task__lead_unit", "handed_by", "withdrawn_by")
        .order_by("handed_on", "pk")
    )
    coordinators = _coordinators({h.unit_id for h in handdowns})
    messages = []
    for handdown in handdowns:
        withdrawn = handdown.state == HandDownState.WITHDRAWN
        kind, title, body = _text(handdown, WITHDRAWN if withdrawn else HANDED_DOWN)
        by = handdown.withdrawn_by if withdrawn else handdown.handed_by
        messages += [
            _message(handdown, user, kind=kind, title=title, body=body, by=by)
            for user in coordinators[handdown.unit_id]
        ]
    return Message.objects.bulk_create(messages)


def handdown_messages_for(user) -> list[Message]:
    """At once, when a district coordinator opens his inbox: his district's hand-down events
    not yet told (one query when there are none; none for anyone else)."""
    district_id = handdown_district_told(user)
    return [] if district_id is None else handdown_messages_sweep(district_id=district_id)


@transaction.atomic
def handdown_chase_send(*, by, handdown: HandDown, text: str) -> list[Message]:
    """催办 a hand-down (waiting, or accepted and behind): one message to each coordinator of
    the receiving district (its 专班, who answer for the district), and an audit entry (催办)
    on the upper task's history. The upper level chases the district's 专班, never the
    district's units (they are the lower level's to chase)."""
    task = handdown.upper_task
    body = f"{text.strip() or HANDDOWN_CHASE_TEXT}\n交办任务：{task.title}（时限{task.due_date:%Y-%m-%d}）"
    _, title, _ = _text(handdown, "chase")
    sent = _send(handdown, kind=MessageKind.ITEM_CHASE, title=title, body=body, by=by)
    note = f"催办交办任务（{handdown.unit.name}，{len(sent)}名专班人员）"
    audit_record(actor=by, obj=handdown, action=AuditAction.CHASE, task_id=task.pk, note=note)
    return sent
