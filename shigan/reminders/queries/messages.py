"""The lines of a message that gathers several reminders: a day's digest (Digest → its notices →
their reminders) or a coordinator's 催办 (the items of one unit chased together). One query."""

from dataclasses import dataclass

from django.db.models import Subquery
from django.utils.http import url_has_allowed_host_and_scheme

from ..models import Digest, Message, MessageKind, Reminder, RuleKind


@dataclass(frozen=True)
class MessageLine:
    kind_label: str
    text: str
    link: str  # a relative path on this site, or "" when the stored link is not one
    by_hand: bool = False  # a coordinator's 催办: its lines are bare titles, shown with the kind


def relative_link(link: str) -> str:
    """`link` when it is a path on this site ("/tasks/3/"), else "": a message's links are
    written by the site, and are never followed to another host or scheme."""
    if not link.startswith("/") or link.startswith("//"):
        return ""
    return link if url_has_allowed_host_and_scheme(link, allowed_hosts=set()) else ""


def _reminders(message: Message):
    if message.record_type == Digest._meta.label_lower:
        return Reminder.objects.filter(
            notices__digest__message=message, notices__recipient_id=message.recipient_id
        ).order_by("kind", "id")
    if message.kind == MessageKind.ITEM_CHASE and message.record_type == Reminder._meta.label_lower:
        first = Reminder.objects.filter(pk=message.record_id, kind=RuleKind.MANUAL_CHASE)
        return Reminder.objects.filter(
            kind=RuleKind.MANUAL_CHASE,
            anchor=Subquery(first.values("anchor")[:1]),
            unit_id=Subquery(first.values("unit_id")[:1]),
        ).order_by("id")
    return None


@dataclass(frozen=True)
class MessageLines:
    """What a gathering message shows instead of its plain body: a text said once (a 催办's,
    written by the coordinator) and one line per reminder."""

    intro: str = ""
    lines: tuple[MessageLine, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.lines)


def message_lines(message: Message) -> MessageLines:
    """Each reminder `message` gathers, with its rule's name and a link to its record (empty for
    a message about one record)."""
    reminders = _reminders(message)
    if reminders is None:
        return MessageLines()
    intro, lines = "", []
    for reminder in reminders.select_related("task"):
        text = reminder.text
        if reminder.kind == RuleKind.MANUAL_CHASE and reminder.task is not None:
            intro = reminder.text  # the coordinator's text, said once above the lines
            text = f"{reminder.task.title}（完成时限{reminder.task.due_date:%Y-%m-%d}）"
        by_hand = reminder.kind == RuleKind.MANUAL_CHASE
        lines.append(
            MessageLine(reminder.get_kind_display(), text, relative_link(reminder.link), by_hand)
        )
    return MessageLines(intro, tuple(lines))
