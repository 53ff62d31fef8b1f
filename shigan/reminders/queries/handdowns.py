"""Which hand-down events (交办) the receiving district's coordinators have not been told yet:
a pending hand-down without its arrival message (新交办：…), a withdrawn one told of its arrival
but not of its withdrawal (交办已撤回：…). A hand-down answered (accepted, returned) before
it was told is not told any more (the district acted on it), nor one withdrawn before it was
told (nothing to take back). The messages written are the mark: reminders.services.handdowns
writes them, the inbox's unread count counts the events still unsent."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from shigan.directives.models import HandDown, HandDownState
from shigan.orgs.models import Role
from shigan.orgs.scope import person_of

from ..models import Message

HANDED_DOWN = "handed_down"
WITHDRAWN = "withdrawn"
ARRIVAL_PREFIX = "新交办："
WITHDRAWAL_PREFIX = "交办已撤回："
RECORD_TYPE = HandDown._meta.label_lower


def _told(prefix: str) -> Exists:
    return Exists(
        Message.objects.filter(
            record_type=RECORD_TYPE, record_id=OuterRef("pk"), title__startswith=prefix
        )
    )


def handdown_events_unsent(*, district_id: int | None = None) -> QuerySet:
    """The hand-downs whose event is not told yet (of one district, or of all): a query."""
    arrived, withdrawn = _told(ARRIVAL_PREFIX), _told(WITHDRAWAL_PREFIX)
    unsent = HandDown.objects.filter(
        (Q(state=HandDownState.PENDING) & ~arrived)
        | (Q(state=HandDownState.WITHDRAWN) & arrived & ~withdrawn)
    )
    return unsent if district_id is None else unsent.filter(unit_id=district_id)


def handdown_district_told(user) -> int | None:
    """The district whose hand-downs `user` is told of (he is one of its coordinators), else
    None; no query (person_of is the request's)."""
    person = person_of(user)
    if person is None or person.role != Role.COORDINATOR or not user.is_active:
        return None
    return person.unit.district_id
