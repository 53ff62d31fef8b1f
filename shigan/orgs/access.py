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
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404

from shigan.core.params import id_or_none

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
    """The given units and all units below them: one recursive query (SQLite and PostgreSQL),
    reading only the subtree, not the whole unit table of a city or province."""
    roots = [int(pk) for pk in root_ids]
    if not roots:
        return set()
    table = connection.ops.quote_name(Unit._meta.db_table)
    marks = ", ".join(["%s"] * len(roots))
    sql = (
        f"WITH RECURSIVE sub(id) AS (SELECT id FROM {table} WHERE id IN ({marks}) "
        f"UNION SELECT u.id FROM {table} u JOIN sub ON u.parent_id = sub.id) SELECT id FROM sub"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, roots)
        return {row[0] for row in cursor.fetchall()}


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
        # A subquery on the link table rather than a join: an OR across a join makes SQLite scan
        # every task of the database.
        supported = tasks.model.supporting_units.through.objects.filter(unit_id=person.unit_id)
        return tasks.filter(Q(lead_unit_id=person.unit_id) | Q(id__in=supported.values("task_id")))
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
    unit_id = id_or_none(pk)
    unit = Unit.objects.filter(pk=unit_id).first() if unit_id is not None else None
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


def can_record_meetings(user) -> bool:
    """Coordinators record meetings, their decisions and study sessions; every role reads them."""
    return is_coordinator(user)


def meetings_visible_to(user, records: QuerySet) -> QuerySet:
    """Meeting series, meetings and study sessions are read by every role (an account with no
    role reads none). A meeting's decisions are scoped separately, by decisions_visible_to."""
    return records if role_of(user) else records.none()


def get_meeting_for_user(user, pk, *, write: bool = False, queryset: QuerySet | None = None):
    """The meeting `pk` (404 if absent or the user has no role); with write=True also 403 unless
    he records meetings."""
    from shigan.meetings.models import Meeting

    base = queryset if queryset is not None else Meeting.objects.all()
    try:
        meeting = meetings_visible_to(user, base).get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404("会议不存在。") from None
    if write and not can_record_meetings(user):
        raise PermissionDenied("只有专班可以录入会议。")
    return meeting


def decisions_visible_to(user, decisions: QuerySet) -> QuerySet:
    """Decisions whose tasks the user may read (tasks_visible_to)."""
    from shigan.tasks.models import Task

    if reads_everything(user):
        return decisions
    return decisions.filter(task__in=tasks_visible_to(user, Task.objects.all()))


def get_decision_for_user(user, pk, *, queryset: QuerySet | None = None):
    """The decision `pk` if the user may read its task; 404 otherwise."""
    from shigan.meetings.models import Decision

    base = queryset if queryset is not None else Decision.objects.all()
    try:
        return decisions_visible_to(user, base).get(pk=pk)
    except (Decision.DoesNotExist, ValueError, TypeError):
        raise Http404("议定事项不存在或无权查看。") from None


# Supervision (督查) and publicity (宣传报道):
# - coordinators and inspectors read all of it and record inspections, findings, verifications
#   and spot checks; coordinators alone record notices and media reports;
# - a leader reads the inspections and findings of the units he oversees, and the spot checks;
# - a reporter reads the inspections and findings of his unit, not the spot checks (they pick the
#   items to be checked on site);
# - notices and media reports are read by every role.


def can_record_supervision(user) -> bool:
    return role_of(user) in {Role.COORDINATOR, Role.INSPECTOR}


def can_record_notice(user) -> bool:
    return is_coordinator(user)


def can_record_media_report(user) -> bool:
    return is_coordinator(user)


def reads_published(user) -> bool:
    """Notices and media reports are readable by every role."""
    return role_of(user) is not None


def can_read_spot_checks(user) -> bool:
    return role_of(user) in {Role.COORDINATOR, Role.INSPECTOR, Role.LEADER}


def findings_visible_to(user, findings: QuerySet) -> QuerySet:
    """Filter a Finding queryset down to the findings of units the user may read."""
    unit_ids = visible_unit_ids(user)
    return findings if unit_ids is None else findings.filter(unit_id__in=unit_ids)


def inspections_visible_to(user, inspections: QuerySet) -> QuerySet:
    """Inspections of, or with findings in, units the user may read."""
    unit_ids = visible_unit_ids(user)
    if unit_ids is None:
        return inspections
    model = inspections.model
    concerned = model.objects.filter(Q(units__in=unit_ids) | Q(findings__unit__in=unit_ids))
    return inspections.filter(id__in=concerned.values("id"))


def _get_visible(model, visible: QuerySet, pk, missing: str):
    try:
        return visible.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404(missing) from None


def get_inspection_for_user(user, pk, *, write: bool = False, queryset: QuerySet | None = None):
    """The inspection `pk` if it concerns the user's units (404 otherwise); with write=True also
    403 unless he records supervision."""
    from shigan.supervision.models import Inspection

    base = queryset if queryset is not None else Inspection.objects.all()
    inspection = _get_visible(
        Inspection, inspections_visible_to(user, base), pk, "督查记录不存在或无权查看。"
    )
    if write and not can_record_supervision(user):
        raise PermissionDenied("只有督查人员或专班可以录入督查记录。")
    return inspection


def get_finding_for_user(user, pk, *, write: bool = False, queryset: QuerySet | None = None):
    """The finding `pk` if it is of a unit the user may read (404 otherwise); with write=True
    also 403 unless he records supervision."""
    from shigan.supervision.models import Finding

    base = queryset if queryset is not None else Finding.objects.all()
    finding = _get_visible(
        Finding, findings_visible_to(user, base), pk, "督查问题不存在或无权查看。"
    )
    if write and not can_record_supervision(user):
        raise PermissionDenied("只有督查人员或专班可以核查整改情况。")
    return finding


def get_spot_check_for_user(user, pk, *, queryset: QuerySet | None = None):
    """A spot check for those who read them (404 for everyone else)."""
    from shigan.supervision.models import SpotCheck

    base = queryset if queryset is not None else SpotCheck.objects.all()
    visible = base if can_read_spot_checks(user) else base.none()
    return _get_visible(SpotCheck, visible, pk, "抽查记录不存在或无权查看。")


def get_notice_for_user(user, pk, *, queryset: QuerySet | None = None):
    """A notice (通报): readable by every role."""
    from shigan.supervision.models import Notice

    base = queryset if queryset is not None else Notice.objects.all()
    visible = base if reads_published(user) else base.none()
    return _get_visible(Notice, visible, pk, "通报不存在。")


def indicators_visible_to(user, indicators: QuerySet) -> QuerySet:
    """Filter an Indicator queryset by its responsible unit: coordinators and inspectors read all,
    leaders the indicators of units they oversee, reporters their own unit's."""
    unit_ids = visible_unit_ids(user)
    if unit_ids is None:
        return indicators
    return indicators.filter(responsible_unit_id__in=unit_ids)


def can_report_indicator(user, indicator) -> bool:
    """Coordinators report any indicator's figures; a reporter those his unit is responsible for."""
    role = role_of(user)
    if role == Role.COORDINATOR:
        return True
    if role == Role.REPORTER:
        return indicator.responsible_unit_id == person_of(user).unit_id
    return False


def key_projects_visible_to(user, projects: QuerySet) -> QuerySet:
    """Filter a KeyProject queryset by its responsible unit, as indicators_visible_to."""
    unit_ids = visible_unit_ids(user)
    if unit_ids is None:
        return projects
    return projects.filter(responsible_unit_id__in=unit_ids)


def get_indicator_for_user(user, pk):
    """The indicator `pk` if the user reads it (indicators_visible_to), else 404."""
    from shigan.indicators.models import Indicator

    indicators = Indicator.objects.select_related("responsible_unit")
    try:
        return indicators_visible_to(user, indicators).get(pk=pk)
    except (Indicator.DoesNotExist, ValueError, TypeError):
        raise Http404("指标不存在或无权查看。") from None


def key_enterprises_visible_to(user, projects: QuerySet) -> QuerySet:
    """Key enterprises whose contact unit the user reads, or with one of `projects` (the key
    projects he reads)."""
    from shigan.indicators.models import KeyEnterprise

    unit_ids = visible_unit_ids(user)
    if unit_ids is None:
        return KeyEnterprise.objects.all()
    return KeyEnterprise.objects.filter(
        Q(unit_id__in=unit_ids) | Q(id__in=projects.values("enterprise_id"))
    )


def can_generate_report(user) -> bool:
    """The summary report is the district's document: coordinators, leaders and inspectors
    generate it; unit reporters do not."""
    return role_of(user) in {Role.COORDINATOR, Role.LEADER, Role.INSPECTOR}


def can_open_report_period(user) -> bool:
    """Coordinators open a past month of a unit's monthly report for late filing (补报);
    reporters file within the months open to them."""
    return is_coordinator(user)
