"""Who may record directives, hand tasks down and answer hand-downs (built on orgs.scope).

- Coordinators and inspectors read the directives issued by the units of their district's
  subtree and those handed down to it; a county's read its districts' (reading down is allowed).
- A coordinator records his own level's directives (issued by a 党委政府 or office unit of his
  district) and hands his level's tasks down to the subordinate districts directly below it
  (党委政府 units whose parent is in his district: one level at a time, 一级抓一级).
- The coordinator who may hand a task down withdraws (撤回) its hand-downs still waiting.
- A directive is edited (its fields, points, files) by a coordinator of its issuing level.
- The receiving district's coordinator answers (接收/退回) a hand-down to his district; nobody
  else does. A hand-down outside a user's scope does not exist for him (404); one he may read
  but not answer is refused (403).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from shigan.campaigns.models import Campaign
from shigan.orgs.models import Unit, UnitKind
from shigan.orgs.scope import (
    district_id_of,
    district_scope_ids,
    district_scope_units,
    district_units,
    get_visible,
    has_levels_below,
    is_coordinator,
    person_of,
    reads_everything,
)
from shigan.tasks.access import tasks_visible_to
from shigan.tasks.models import Task, TaskState

from .models import Directive, DirectiveFile, HandDown, HandDownState

ISSUER_KINDS = (UnitKind.PARTY_GOVERNMENT, UnitKind.OFFICE)


def can_read_directives(user) -> bool:
    """Coordinators and inspectors read directives (their district's and those handed to it)."""
    return reads_everything(user)


def can_manage_directives(user) -> bool:
    """Record directives and hand tasks down: a coordinator of a district."""
    return is_coordinator(user) and district_id_of(user) is not None


def has_level_above(user) -> bool:
    """Whether the user's level sits below another (its 党委政府 unit has a parent): only then
    can a hand-down ever arrive for it — from the upper level in this database, or through an
    exchange with an upper installation, whose unit is placed above it. No query (person_of
    joins the district)."""
    person = person_of(user)
    district = person.unit.district if person is not None else None
    return district is not None and district.parent_id is not None


def directives_title(user) -> str:
    """What the directives pages are called for the user's level: 上级文件 where documents come
    from above (a district), 下发文件 at a top level that only sends them down (a county with
    nothing above it), both at a level in the middle."""
    above, below = has_level_above(user), has_levels_below(user)
    if below and not above:
        return "下发文件"
    return "上级文件与下发文件" if below else "上级文件"


def issuer_choices(user) -> QuerySet:
    """The units a coordinator may record a directive as issued by: his district's 党委政府 and
    office units."""
    if not can_manage_directives(user):
        return Unit.objects.none()
    return district_units(user).filter(kind__in=ISSUER_KINDS)


def own_level_unit(user) -> Unit | None:
    """The coordinator's level's 党委政府 unit: the issuer recorded for an upper level's document
    whose organ is not in the database (its name kept as written)."""
    return issuer_choices(user).filter(pk=district_id_of(user)).first()


def directives_visible_to(user, directives: QuerySet) -> QuerySet:
    """Directives issued within the user's scope, or handed down to a unit within it."""
    if not can_read_directives(user):
        return directives.none()
    scope = district_scope_units(user)
    if scope is None:
        return directives
    handed = HandDown.objects.filter(unit_id__in=scope, point__isnull=False)
    return directives.filter(
        Q(issuer_id__in=scope) | Q(points__in=handed.values("point_id"))
    ).distinct()


def get_directive_for_user(user, pk, *, write: bool = False) -> Directive:
    """The directive `pk` if the user reads it (404 otherwise); write=True: 403 unless he is a
    coordinator of the issuing district."""
    directives = Directive.objects.select_related("issuer", "created_by__person")
    directive = get_visible(directives_visible_to(user, directives), pk, "文件不存在或无权查看。")
    if write and not can_hand_down_directive(user, directive):
        raise PermissionDenied("只有发文单位所在区（县）的专班可以交办该文件的事项。")
    return directive


def can_hand_down_directive(user, directive: Directive) -> bool:
    """Hand down a directive's points: a coordinator of the issuing district."""
    return can_manage_directives(user) and directive.issuer.district_id == district_id_of(user)


def can_edit_directive(user, directive: Directive) -> bool:
    """Edit a directive (fields, points, files): a coordinator of its issuing level, as for
    handing its points down (writes at the own level)."""
    return can_hand_down_directive(user, directive)


def get_directive_to_edit(user, pk) -> Directive:
    """The directive `pk` to edit: 404 unless the user reads it, 403 unless can_edit_directive."""
    directive = get_directive_for_user(user, pk)
    if not can_edit_directive(user, directive):
        raise PermissionDenied("只有发文单位所在层级的专班可以修改该文件。")
    return directive


def get_file_for_user(user, pk) -> DirectiveFile:
    """An attachment of a directive the user reads (404 otherwise)."""
    visible = directives_visible_to(user, Directive.objects.all())
    files = DirectiveFile.objects.filter(directive__in=visible.values("pk"))
    return get_visible(files, pk, "附件不存在或无权查看。")


def subordinate_districts(user) -> QuerySet:
    """The districts a coordinator hands down to: 党委政府 units directly below his district
    (their parent belongs to it), in the organisation's order. None for anyone else."""
    if not can_manage_directives(user):
        return Unit.objects.none()
    district_id = district_id_of(user)
    return (
        Unit.objects.filter(kind=UnitKind.PARTY_GOVERNMENT, parent__district_id=district_id)
        .exclude(pk=district_id)
        .order_by("sort_order", "id")
    )


NO_SUBORDINATES = (
    "本级之下没有区（县）党委政府单位，无法交办。交办是把本级任务布置给下一级区（县）的党委政府；"
    "本级的工作请在“任务清单”中新建任务并指定本级牵头单位。如确有下级区（县）尚未录入，"
    "请联系系统管理员在组织机构中添加后再交办。"
)


def has_subordinates(user) -> bool:
    """Whether the coordinator's level has a district below it to hand down to (one query)."""
    return subordinate_districts(user).exists()


def own_campaigns(user) -> QuerySet:
    """The campaigns organised by the user's own district (not those of the districts below)."""
    district_id = district_id_of(user)
    if district_id is None:
        return Campaign.objects.none()
    return Campaign.objects.filter(organiser__district_id=district_id)


def own_active_tasks(user) -> QuerySet:
    """Active tasks of the coordinator's own level: of his district's campaigns, led by his
    district's units. What he hands down, and what he may link to a hand-down he accepts."""
    if not can_manage_directives(user):
        return Task.objects.none()
    district_id = district_id_of(user)
    return Task.objects.filter(
        campaign__in=own_campaigns(user).values("pk"),
        lead_unit__district_id=district_id,
        state=TaskState.ACTIVE,
    ).order_by("campaign_id", "category__sort_order", "number", "id")


def can_hand_down(user, task: Task) -> bool:
    """Hand `task` down: a coordinator of the district that leads it."""
    return can_manage_directives(user) and task.lead_unit.district_id == district_id_of(user)


def get_upper_task_for_user(user, pk) -> Task:
    """A task of the coordinator's own level to hand down: 404 outside it, 403 for a role that
    may not hand down."""
    if not can_manage_directives(user):
        raise PermissionDenied("只有专班可以交办任务。")
    return get_visible(own_active_tasks(user), pk, "任务不存在或不属于本级，不能交办。")


def handdowns_received(user, handdowns: QuerySet) -> QuerySet:
    """Hand-downs to the user's own district (a coordinator's inbox)."""
    if not can_manage_directives(user):
        return handdowns.none()
    return handdowns.filter(unit_id=district_id_of(user))


def handdowns_visible_to(user, handdowns: QuerySet) -> QuerySet:
    """Hand-downs of tasks led within the user's scope, or to a district within it."""
    if not can_read_directives(user):
        return handdowns.none()
    scope = district_scope_units(user)
    if scope is None:
        return handdowns
    return handdowns.filter(Q(upper_task__lead_unit_id__in=scope) | Q(unit_id__in=scope))


def get_handdown_to_answer(user, pk) -> HandDown:
    """A pending or answered hand-down to the user's district, to accept or return: 404 unless
    he reads it, 403 unless it is his district's to answer."""
    base = HandDown.objects.select_related("upper_task__lead_unit", "unit", "point__directive")
    handdown = get_visible(handdowns_visible_to(user, base), pk, "交办任务不存在或无权查看。")
    if not (can_manage_directives(user) and handdown.unit_id == district_id_of(user)):
        raise PermissionDenied("只有承接区（县）的专班可以接收或退回该交办任务。")
    return handdown


def get_handdown_of_own_level(user, pk, *, refusal: str) -> HandDown:
    """A hand-down of a task the user's level leads: 404 unless he reads it, 403 with `refusal`
    unless he may hand the task down (a coordinator of the leading district)."""
    base = HandDown.objects.select_related("upper_task__lead_unit", "unit")
    handdown = get_visible(handdowns_visible_to(user, base), pk, "交办任务不存在或无权查看。")
    if not can_hand_down(user, handdown.upper_task):
        raise PermissionDenied(refusal)
    return handdown


def get_handdown_to_withdraw(user, pk) -> HandDown:
    """A hand-down of a task the user's level leads, to withdraw (撤回)."""
    refusal = "只有交办单位所在层级的专班可以撤回该交办任务。"
    return get_handdown_of_own_level(user, pk, refusal=refusal)


def linkable_tasks(user, handdown: HandDown) -> QuerySet:
    """The receiving coordinator's own active tasks not yet linked to an upper task: what
    关联已有任务 offers."""
    if handdown.unit_id != district_id_of(user):
        return Task.objects.none()
    return own_active_tasks(user).filter(upper_task__isnull=True)


def pending_count(user) -> int:
    """Hand-downs waiting for the user's district to answer (one query; 0 without one)."""
    if not can_manage_directives(user):
        return 0
    received = handdowns_received(user, HandDown.objects.all())
    return received.filter(state=HandDownState.PENDING).count()


def handdowns_seen_by(user, handdowns: list) -> list:
    """handdowns_visible_to's rule on loaded hand-downs (their upper_task selected; no query): a
    district sees those made to itself (or below it), the handing level and above all theirs."""
    if not can_read_directives(user):
        return []
    scope = district_scope_ids(user)
    if scope is None:
        return list(handdowns)
    return [h for h in handdowns if h.unit_id in scope or h.upper_task.lead_unit_id in scope]


def upper_task_targets(user, tasks: list) -> tuple[set[int], dict[int, Task]]:
    """For upper tasks `tasks` (loaded): the ids of those whose 下级落实情况 the user opens (a
    reader of directives reads a task led within his scope, as tasks_visible_to), and for the
    others the task of his scope answering each (one query, none when he reads them all)."""
    scope = district_scope_ids(user) if can_read_directives(user) else set()
    readable = {t.pk for t in tasks if scope is None or t.lead_unit_id in scope}
    others = {t.pk for t in tasks} - readable
    answering: dict[int, Task] = {}
    if others:
        children = Task.objects.filter(upper_task_id__in=others).order_by("id")
        for child in tasks_visible_to(user, children):
            answering.setdefault(child.upper_task_id, child)
    return readable, answering


def handdown_scope_q(user, prefix: str = "") -> Q:
    """handdowns_visible_to's rule as a Q on a path to hand-downs (`prefix`, e.g. "points__
    handdowns__"): to count only the hand-downs the user reads (a district: its own)."""
    if not can_read_directives(user):
        return Q(pk__in=[])
    scope = district_scope_units(user)
    if scope is None:
        return Q()
    return Q(**{f"{prefix}upper_task__lead_unit_id__in": scope}) | Q(
        **{f"{prefix}unit_id__in": scope}
    )
