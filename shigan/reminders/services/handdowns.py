"""Messages about hand-downs (交办) in the receiving district coordinators' inboxes: one when a
hand-down arrives (新交办：…), one when the upper level withdraws it (交办已撤回：…), one when the
upper level's coordinator chases it (催办：…). The directives app announces the first two
(directives.signals, connected in RemindersConfig.ready): reminders sits above directives, so
it reads hand-downs and writes its own messages; directives never imports reminders."""

from django.db import transaction
from django.urls import reverse

from shigan.core.audit import audit_record
from shigan.core.models import AuditAction
from shigan.directives.models import HandDown
from shigan.directives.signals import HANDED_DOWN, WITHDRAWN
from shigan.orgs.models import Person, Role

from ..models import Message, MessageKind

HANDDOWN_CHASE_TEXT = "请尽快接收或退回该交办任务；已接收的，请抓紧推进并按时报送进展。"


def district_coordinators(district_id: int) -> list:
    """The active coordinator accounts of the district (its 专班): one query."""
    people = Person.objects.filter(
        role=Role.COORDINATOR, unit__district_id=district_id, user__isnull=False,
        user__is_active=True,
    ).select_related("user")  # fmt: skip
    return [p.user for p in people.order_by("sort_order", "id")]


def _text(handdown: HandDown, event: str) -> tuple[str, str, str]:
    task, upper = handdown.upper_task, handdown.upper_task.lead_unit.label
    if event == HANDED_DOWN:
        body = f"{upper}交办任务“{task.title}”（时限 {task.due_date:%Y-%m-%d}），请接收或退回。"
        if handdown.note:
            body += f"\n交办要求：{handdown.note}"
        return MessageKind.REMINDER, f"新交办：{task.title}", body
    if event == WITHDRAWN:
        body = f"{upper}已撤回交办任务“{task.title}”，撤回理由：{handdown.withdraw_reason}"
        return MessageKind.REMINDER, f"交办已撤回：{task.title}", body
    return MessageKind.ITEM_CHASE, f"催办：交办任务“{task.title}”", ""


def _send(handdown: HandDown, *, kind: str, title: str, body: str, by) -> list[Message]:
    messages = [
        Message(recipient=user, kind=kind, title=title[:200], body=body,
                link=reverse("directives:inbox"), record_type=HandDown._meta.label_lower,
                record_id=handdown.pk, sender=by)
        for user in district_coordinators(handdown.unit_id)
    ]  # fmt: skip
    Message.objects.bulk_create(messages)
    return messages


def handdown_messages_send(*, handdown: HandDown, event: str, by) -> list[Message]:
    """The message of `event` (directives.signals) to each coordinator of the receiving
    district; runs in the hand-down's transaction (the signal is sent inside it)."""
    kind, title, body = _text(handdown, event)
    return _send(handdown, kind=kind, title=title, body=body, by=by)


def on_handdown_event(sender, *, handdown: HandDown, event: str, by, **kwargs) -> None:
    """directives.signals.handdown_event's receiver."""
    handdown_messages_send(handdown=handdown, event=event, by=by)


@transaction.atomic
def handdown_chase_send(*, by, handdown: HandDown, text: str) -> list[Message]:
    """催办 a hand-down (waiting, or accepted and behind): one message to each coordinator of
    the receiving district (its 专班, who answer for the district), and an audit entry (催办)
    on the upper task's history. The upper level chases the district's 专班, never the
    district's units (they are the lower level's to chase)."""
    task = handdown.upper_task
    body = f"{text.strip() or HANDDOWN_CHASE_TEXT}\n交办任务：{task.title}（时限 {task.due_date:%Y-%m-%d}）"
    _, title, _ = _text(handdown, "chase")
    sent = _send(handdown, kind=MessageKind.ITEM_CHASE, title=title, body=body, by=by)
    note = f"催办交办任务（{handdown.unit.name}，{len(sent)}名专班人员）"
    audit_record(actor=by, obj=handdown, action=AuditAction.CHASE, task_id=task.pk, note=note)
    return sent
