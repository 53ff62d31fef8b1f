"""Who may read and change tasks, file the monthly report and decide change requests.

Built on orgs.scope: coordinators and inspectors read every task of their level and the levels
below it; a leader the tasks of the units he oversees and those he is the responsible leader of;
a reporter the tasks his unit leads or supports. Whoever sits in a campaign's leading group (领导小组) also reads, read-only, every list
task of that campaign: the campaign's summary report (reports.access) is his to read, and the
pages of the tasks it states follow it. Coordinators create and edit tasks, decide change requests and open past months for
late filing — at their own level: a district's tasks, reports and change requests are its
coordinators' to keep, read-only to a county's (orgs.scope.at_own_level); a reporter reports on
and requests changes to the tasks his unit leads.
"""

import hashlib

from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from shigan.campaigns.access import campaigns_visible_to, can_manage_campaign
from shigan.campaigns.models import Campaign
from shigan.core import prepared
from shigan.core.params import id_or_none
from shigan.orgs.models import LeadingGroupMember, Role, Unit
from shigan.orgs.scope import (
    LOWER_LEVEL_READ_ONLY,
    at_own_level,
    district_id_of,
    get_visible,
    has_levels_below,
    is_coordinator,
    overseen_unit_ids,
    person_of,
    reportable_unit,
    role_of,
    visible_unit_ids,
    within_district,
    within_own_level,
)

from .models import Task, TaskCategory, TaskOrigin


def group_campaigns(user) -> QuerySet:
    """The campaigns of the user's district whose leading group (campaign.leading_group,
    orgs.LeadingGroupMember) he sits in; none without a role. Unevaluated: the callers use it as
    a subquery, so asking costs no query of its own."""
    person = person_of(user)
    if person is None or role_of(user) is None:
        return Campaign.objects.none()
    seats = LeadingGroupMember.objects.filter(person=person).values("group_id")
    return Campaign.objects.filter(
        leading_group_id__in=seats, organiser__district_id=person.unit.district_id
    )


def sits_in_a_leading_group(user) -> bool:
    """Whether the user sits in the leading group of a campaign of his district (no query for
    someone in no leading group; else one, remembered on the user object for the request)."""
    person = person_of(user)
    if not getattr(person, "seats", False):  # in no leading group at all (orgs.scope.person_of)
        return False
    if not hasattr(user, "_shigan_group_member"):
        user._shigan_group_member = group_campaigns(user).exists()
    return user._shigan_group_member


def _with_group_list_tasks(user, own: Q) -> Q:
    """`own` or the list tasks of the campaigns whose leading group the user sits in (a
    subquery; left out for someone in no leading group, whose query stays as it was)."""
    if not getattr(person_of(user), "seats", False):
        return own
    return own | Q(origin=TaskOrigin.LIST, campaign_id__in=group_campaigns(user).values("id"))


def tasks_visible_to(user, tasks: QuerySet) -> QuerySet:
    """Filter a Task queryset down to what the user may read."""
    role = role_of(user)
    if role in {Role.COORDINATOR, Role.INSPECTOR}:
        return within_district(user, tasks, "lead_unit_id")
    person = person_of(user)
    if role == Role.LEADER:
        own = Q(lead_unit_id__in=overseen_unit_ids(user)) | Q(leader=person)
        return tasks.filter(_with_group_list_tasks(user, own))
    if role == Role.REPORTER:
        # A subquery on the link table rather than a join: an OR across a join makes SQLite scan
        # every task of the database.
        supported = tasks.model.supporting_units.through.objects.filter(unit_id=person.unit_id)
        own = Q(lead_unit_id=person.unit_id) | Q(id__in=supported.values("task_id"))
        return tasks.filter(_with_group_list_tasks(user, own))
    return tasks.none()


def statement_scope(user) -> tuple:
    """What the statements of tasks_visible_to and campaigns.access.campaigns_visible_to depend
    on besides the queryset they narrow — their text and parameters: the account and superuser
    flag, role, person, unit and district, whether his scope holds levels below, whether he sits
    in any leading group (the subquery on his seats is added then: it names only him and his
    district), and the units he reads (orgs.scope.visible_unit_ids: a coordinator's level
    subtree written into the text, a leader's overseen units) as a digest. For a statement
    compiled once per viewer's scope (core.prepared): a change of any of these compiles another.
    No query beyond those the scope's rules ask anyway (each remembered for the request)."""
    person = person_of(user)
    superuser = bool(getattr(user, "is_superuser", False))
    units = visible_unit_ids(user)
    digest = None
    if units is not None:
        digest = hashlib.sha256(",".join(map(str, sorted(units))).encode()).hexdigest()[:32]
    if person is None:
        return (user.pk, superuser, role_of(user), digest)
    seats = bool(getattr(person, "seats", False))
    return (
        user.pk,
        superuser,
        role_of(user),
        person.pk,
        person.unit_id,
        district_id_of(user),
        has_levels_below(user),
        seats,
        digest,
    )


def can_write_task(user, task) -> bool:
    """Report progress, add evidence and request changes: coordinators on any task of their own
    level (a district's task is read-only to the county's), a reporter on the tasks his unit
    leads."""
    role = role_of(user)
    if role == Role.COORDINATOR:
        return at_own_level(user, task.lead_unit_id)
    if role == Role.REPORTER:
        return task.lead_unit_id == person_of(user).unit_id
    return False


def can_manage_tasks(user) -> bool:
    """Create tasks and edit their title, units, dates and milestones: coordinators."""
    return is_coordinator(user)


def can_edit_task(user, task) -> bool:
    """Edit `task` itself (title, units, dates, milestones): a coordinator of its own level (a
    district's tasks are read-only to its county's coordinator)."""
    return can_manage_tasks(user) and at_own_level(user, task.lead_unit_id)


def can_decide_change_requests(user) -> bool:
    """Approve or return change requests (the 审批 queue): coordinators."""
    return is_coordinator(user)


def can_decide_change_request(user, task) -> bool:
    """Approve or return a request on `task`: a coordinator of the task's own level (a
    district's requests are its own coordinators' to decide, read-only to its county's)."""
    return can_decide_change_requests(user) and at_own_level(user, task.lead_unit_id)


def change_requests_visible_to(user, change_requests: QuerySet) -> QuerySet:
    """Change requests on the tasks the user reads (tasks_visible_to); a coordinator's queue
    holds his own level's only (those of a district below are its coordinators' to decide)."""
    tasks = tasks_visible_to(user, Task.objects.all())
    if is_coordinator(user):
        tasks = within_own_level(user, tasks, "lead_unit_id")
    return change_requests.filter(task__in=tasks)


def can_file_monthly_report(user) -> bool:
    """File a monthly report: a reporter for his unit, a coordinator for any unit."""
    return is_coordinator(user) or reportable_unit(user) is not None


def can_open_report_period(user) -> bool:
    """Coordinators open a past month of a unit's monthly report for late filing (补报);
    reporters file within the months open to them."""
    return is_coordinator(user)


def can_open_campaign_reports(user, campaign) -> bool:
    """Open the monthly reports of `campaign`'s units (the battle map's 本月填报 links): a
    coordinator of the campaign's own level; a district's units are read-only to its county's
    coordinator (get_unit_for_report answers him 403), so no link is offered to him."""
    return can_open_report_period(user) and at_own_level(user, campaign.organiser_id)


def get_task_for_user(
    user,
    pk,
    *,
    write: bool = False,
    queryset: QuerySet | None = None,
    prepared_as: str | None = None,
):
    """The task `pk` if the user may read it (404 otherwise); with write=True also 403 unless he
    may change it.

    `prepared_as` names `queryset` (the same for every call under that name): the statement is
    then compiled once per viewer's scope and process (core.prepared) rather than built by the
    ORM on every request — the task page's, where building it cost more than SQLite answering
    (issue 18). Keyed on everything tasks_visible_to's statement depends on, so a change of
    scope compiles a new one (statement_scope); the same rows as get_visible's, never a kept
    result."""
    base = queryset if queryset is not None else Task.objects.all()
    if prepared_as is None:
        task = get_visible(tasks_visible_to(user, base), pk, "任务不存在或无权查看。")
    else:
        task = _prepared_task(user, pk, base, prepared_as)
    if write and not can_write_task(user, task):
        raise PermissionDenied("无权修改该任务。")
    return task


def _prepared_task(user, pk, base: QuerySet, name: str):
    task_id = id_or_none(pk)
    found = []
    if task_id is not None:
        key = (f"task_for_user:{name}", statement_scope(user))
        try:
            found = prepared.rows(key, lambda p: tasks_visible_to(user, base).filter(pk=p), task_id)
        except EmptyResultSet:  # tasks.none(): an account without a role reads no task
            found = []
    if not found:
        raise Http404("任务不存在或无权查看。")
    return found[0]


def get_unit_for_report(user, pk) -> Unit:
    """A unit whose monthly report the user may file: reporters their own, coordinators any of
    their own level (a district's unit below a county's coordinator: 403, read-only to him)."""
    role = role_of(user)
    unit_id = id_or_none(pk)
    unit = Unit.objects.filter(pk=unit_id).first() if unit_id is not None else None
    if unit is None:
        raise Http404("单位不存在。")
    if role == Role.COORDINATOR and within_own_level(user, Unit.objects.filter(pk=unit.pk), "id"):
        return unit
    if role == Role.REPORTER and unit.pk == person_of(user).unit_id:
        return unit
    visible = visible_unit_ids(user)
    readable = visible is None or unit.pk in visible
    if role == Role.COORDINATOR and readable:
        raise PermissionDenied(LOWER_LEVEL_READ_ONLY)
    if role in {Role.LEADER, Role.INSPECTOR} and readable:
        raise PermissionDenied("只有本单位填报员或专班可以填报。")
    raise Http404("单位不存在。")


def can_manage_categories(user, campaign) -> bool:
    """Create, rename, reorder and delete a campaign's task categories: whoever manages the
    campaign (campaigns.access.can_manage_campaign: its district's coordinators)."""
    return can_manage_campaign(user, campaign)


def get_category_for_user(user, pk) -> TaskCategory:
    """The task category `pk` to change: 404 if absent or its campaign is outside the user's
    scope, 403 unless he manages its campaign."""
    campaigns = campaigns_visible_to(user, Campaign.objects.all())
    categories = TaskCategory.objects.select_related("campaign__organiser")
    category = get_visible(categories.filter(campaign__in=campaigns), pk, "任务类别不存在。")
    if not can_manage_categories(user, category.campaign):
        raise PermissionDenied("只有本区（县）专班可以设置任务类别。")
    return category
