"""Every scoping rule: the only road to protected objects.

Roles (orgs.models.Role):
- coordinator (专班): reads and changes everything; approves change requests; uses the admin.
- leader (领导): reads the tasks of the units he oversees (分管, their sub-units included) and the
  tasks he is the responsible leader of; changes nothing.
- reporter (单位填报员): reads the tasks his unit leads or supports; reports on and requests
  changes to the tasks his unit leads.
- inspector (督查): reads everything; changes nothing here.

Outside a user's scope an object does not exist for him (404); inside it but read-only, a write
is refused (403).
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Oversight, Person, Role, Unit


def person_of(user) -> Person | None:
    """The Person behind an account (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_shigan_person"):
        user._shigan_person = Person.objects.select_related("unit").filter(user=user).first()
    return user._shigan_person


def role_of(user) -> str | None:
    if getattr(user, "is_superuser", False):
        return Role.COORDINATOR
    person = person_of(user)
    return person.role or None if person else None


def is_coordinator(user) -> bool:
    return role_of(user) == Role.COORDINATOR


def reads_everything(user) -> bool:
    return role_of(user) in {Role.COORDINATOR, Role.INSPECTOR}


def subtree_ids(root_ids: Iterable[int]) -> set[int]:
    """The given units and all units below them (one query over the unit tree)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Unit.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found: set[int] = set()
    stack = list(root_ids)
    while stack:
        pk = stack.pop()
        if pk in found:
            continue
        found.add(pk)
        stack.extend(children.get(pk, []))
    return found


def overseen_unit_ids(user) -> set[int]:
    """Units a leader oversees, sub-units included; empty for other roles."""
    person = person_of(user)
    if person is None or role_of(user) != Role.LEADER:
        return set()
    if not hasattr(user, "_shigan_overseen"):
        roots = Oversight.objects.filter(leader=person).values_list("unit_id", flat=True)
        user._shigan_overseen = subtree_ids(roots)
    return user._shigan_overseen


def visible_unit_ids(user) -> set[int] | None:
    """Units whose records the user may read; None means all units."""
    role = role_of(user)
    if role in {Role.COORDINATOR, Role.INSPECTOR}:
        return None
    if role == Role.LEADER:
        return overseen_unit_ids(user)
    if role == Role.REPORTER:
        return {person_of(user).unit_id}
    return set()


def tasks_visible_to(user, tasks: QuerySet) -> QuerySet:
    """Filter a Task queryset down to what the user may read."""
    role = role_of(user)
    if role in {Role.COORDINATOR, Role.INSPECTOR}:
        return tasks
    person = person_of(user)
    if role == Role.LEADER:
        return tasks.filter(Q(lead_unit_id__in=overseen_unit_ids(user)) | Q(leader=person))
    if role == Role.REPORTER:
        unit_tasks = Q(lead_unit_id=person.unit_id) | Q(supporting_units=person.unit_id)
        ids = tasks.model.objects.filter(unit_tasks).values("id")
        return tasks.filter(id__in=ids)
    return tasks.none()


def can_write_task(user, task) -> bool:
    role = role_of(user)
    if role == Role.COORDINATOR:
        return True
    if role == Role.REPORTER:
        return task.lead_unit_id == person_of(user).unit_id
    return False


def get_task_for_user(user, pk, *, write: bool = False, queryset: QuerySet | None = None):
    """The task `pk` if the user may read it (404 otherwise); with write=True also 403 unless he
    may change it."""
    from shigan.tasks.models import Task

    base = queryset if queryset is not None else Task.objects.all()
    try:
        task = tasks_visible_to(user, base).get(pk=pk)
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404("任务不存在或无权查看。") from None
    if write and not can_write_task(user, task):
        raise PermissionDenied("无权修改该任务。")
    return task


def reportable_unit(user) -> Unit | None:
    """The unit whose monthly report the user files (a reporter's own unit)."""
    if role_of(user) == Role.REPORTER:
        return person_of(user).unit
    return None


def get_unit_for_report(user, pk) -> Unit:
    """A unit whose monthly report the user may file: reporters their own, coordinators any."""
    role = role_of(user)
    unit = Unit.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if unit is None:
        raise Http404("单位不存在。")
    if role == Role.COORDINATOR:
        return unit
    if role == Role.REPORTER and unit.pk == person_of(user).unit_id:
        return unit
    if role in {Role.LEADER, Role.INSPECTOR} and (
        visible_unit_ids(user) is None or unit.pk in visible_unit_ids(user)
    ):
        raise PermissionDenied("只有本单位填报员或专班可以填报。")
    raise Http404("单位不存在。")
