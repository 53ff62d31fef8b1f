"""Who reads which messages and who may see the 报送情况 board and send 催报.

Built on orgs.scope: an inbox holds its owner's messages only (another's is 404, whatever his
role); the board and 催报 are the district's coordinators' (everyone else 403), and list only the
units whose tasks the coordinator reads (tasks.access: his own district)."""

from django.db.models import QuerySet

from shigan.orgs.scope import get_visible, is_coordinator

from .models import Message


def messages_visible_to(user, messages: QuerySet) -> QuerySet:
    """The user's own messages among `messages`."""
    if not getattr(user, "is_authenticated", False):
        return messages.none()
    return messages.filter(recipient=user)


def get_message_for_user(user, pk) -> Message:
    return get_visible(messages_visible_to(user, Message.objects.all()), pk, "没有这条消息。")


def can_chase_reports(user) -> bool:
    """The 报送情况 board and 一键催报: coordinators (of their own district's units)."""
    return is_coordinator(user)
