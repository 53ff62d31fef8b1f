"""Who reads and writes the grassroots ledger (built on orgs.scope).

办实事 items, reception days, pairings, practice activities:
- coordinators manage all of it within their district (create 办实事 items and record their
  回访, keep the reception rota, pair cadres, name the practice activities, enter events);
- a unit's reporter enters his unit's practice events and reads his unit's 办实事 items
  (those it leads or supports, as tasks.access reads tasks), the pairings of his unit's cadres;
- leaders read within the units they oversee (and the pairings of their own), inspectors their
  district; the reception rota is read by every role of the district (a public schedule), the
  concerns received on a day only as far as the reader reads concerns' units.

Levels (orgs.scope): a county's coordinators and inspectors read its districts' ledgers too; a
coordinator keeps (records, handles, corrects) his own level's only.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from shigan.orgs.models import Role, Unit
from shigan.orgs.scope import (
    at_own_level,
    district_units,
    get_visible,
    has_levels_below,
    has_role,
    is_coordinator,
    own_unit_id,
    person_of,
    reads_everything,
    require_own_level,
    role_of,
    visible_unit_ids,
    within_district,
    within_own_level,
    within_units,
)
from shigan.tasks.access import tasks_visible_to
from shigan.tasks.models import Task, TaskOrigin

from .models import (
    Concern,
    ConcernCategory,
    Pairing,
    PracticeActivity,
    PracticeEvent,
    ReceptionDay,
    Visit,
    VisitPhoto,
)


def can_manage_promises(user) -> bool:
    """Create 办实事 items and record their 回访: coordinators."""
    return is_coordinator(user)


def promises_visible_to(user, tasks: QuerySet) -> QuerySet:
    """The 办实事 items (tasks of origin 办实事事项) among `tasks` the user reads
    (tasks.access.tasks_visible_to)."""
    return tasks_visible_to(user, tasks.filter(origin=TaskOrigin.PROMISE))


def get_promise_for_user(user, pk, *, write: bool = False, queryset: QuerySet | None = None):
    """The 办实事 item `pk` if the user reads it (404 otherwise); with write=True (recording its
    回访) also 403 unless he manages 办实事 items."""
    base = queryset if queryset is not None else Task.objects.all()
    task = get_visible(promises_visible_to(user, base), pk, "办实事事项不存在或无权查看。")
    if write and not can_manage_promises(user):
        raise PermissionDenied("只有专班可以录入办实事回访结果。")
    if write:
        require_own_level(user, task, "lead_unit_id")
    return task


def adds_to_campaign(user, campaign) -> bool:
    """Whether the user's level is `campaign`'s (no query unless his scope holds levels below:
    orgs.scope.at_own_level): where a list offers its 新增 links, require_own_campaign's
    question without the 403."""
    return campaign is not None and at_own_level(user, campaign.organiser_id)


def require_own_campaign(user, campaign) -> None:
    """403 (orgs.scope.LOWER_LEVEL_READ_ONLY) unless `campaign` is organised at the user's own
    level: a campaign's 办实事 items, pairings and practice activities and events are added by
    its own level only — a county's coordinator reads (and may pick) a district's campaign but
    adds nothing to it, as he edits nothing of it (require_own_level)."""
    require_own_level(user, campaign, "organiser_id")


def can_manage_reception(user) -> bool:
    """Keep the reception rota (add and edit days, mark them held): coordinators."""
    return is_coordinator(user)


def reception_days_visible_to(user, days: QuerySet) -> QuerySet:
    """The reception days of the campaigns of the user's district, for every role."""
    if not has_role(user):
        return days.none()
    return within_district(user, days, "campaign__organiser_id")


def get_reception_day_for_user(user, pk, *, write: bool = False, queryset: QuerySet | None = None):
    """A reception day of the user's district (404 otherwise); with write=True also 403 unless he
    keeps the rota."""
    base = queryset if queryset is not None else ReceptionDay.objects.all()
    day = get_visible(reception_days_visible_to(user, base), pk, "接待日不存在。")
    if write and not can_manage_reception(user):
        raise PermissionDenied("只有专班可以安排、登记信访接待日。")
    if write:
        require_own_level(user, day, "campaign__organiser_id")
    return day


def reception_concerns_visible_to(user, concerns: QuerySet) -> QuerySet:
    """The concerns received on a reception day that the user reads: those assigned to units he
    reads (all of his district for coordinators and inspectors)."""
    if reads_everything(user):
        return within_district(user, concerns, "campaign__organiser_id")
    unit_ids = visible_unit_ids(user)
    return concerns if unit_ids is None else concerns.filter(assigned_unit_id__in=unit_ids)


def can_manage_pairings(user) -> bool:
    """Pair cadres with households, villages and enterprises: coordinators."""
    return is_coordinator(user)


def pairings_visible_to(user, pairings: QuerySet) -> QuerySet:
    """Pairings of the user's district for coordinators and inspectors; a leader's own and
    those of cadres of (or targets in) the units he oversees; a reporter's unit's cadres'."""
    if reads_everything(user):
        return within_district(user, pairings, "campaign__organiser_id")
    role, person = role_of(user), person_of(user)
    if role == Role.LEADER:
        units = visible_unit_ids(user)
        return pairings.filter(
            Q(cadre=person) | Q(cadre__unit_id__in=units) | Q(place_unit_id__in=units)
        )
    if role == Role.REPORTER:
        return pairings.filter(cadre__unit_id=person.unit_id)
    return pairings.none()


def get_pairing_for_user(user, pk, *, write: bool = False, queryset: QuerySet | None = None):
    """A pairing the user reads (404 otherwise); with write=True (editing or ending it) also 403
    unless he pairs cadres."""
    base = queryset if queryset is not None else Pairing.objects.all()
    pairing = get_visible(pairings_visible_to(user, base), pk, "结对帮扶不存在或无权查看。")
    if write and not can_manage_pairings(user):
        raise PermissionDenied("只有专班可以调整结对帮扶。")
    if write:
        require_own_level(user, pairing, "campaign__organiser_id")
    return pairing


def can_manage_practice_activities(user) -> bool:
    """Name the campaign's practice activities: coordinators."""
    return is_coordinator(user)


def practice_activities_visible_to(user, activities: QuerySet) -> QuerySet:
    """The practice activities of the campaigns of the user's district, for every role."""
    if not has_role(user):
        return activities.none()
    return within_district(user, activities, "campaign__organiser_id")


def get_practice_activity_for_user(user, pk, *, write: bool = False) -> PracticeActivity:
    """A practice activity of the user's district (404 otherwise); with write=True also 403
    unless he names the activities."""
    visible = practice_activities_visible_to(user, PracticeActivity.objects.all())
    activity = get_visible(visible, pk, "实践活动不存在。")
    if write and not can_manage_practice_activities(user):
        raise PermissionDenied("只有专班可以设置实践活动。")
    if write:
        require_own_level(user, activity, "campaign__organiser_id")
    return activity


def can_record_practice_event(user) -> bool:
    """Enter practice events: coordinators (for any unit of the district) and reporters (for
    their own unit, practice_event_units)."""
    return role_of(user) in {Role.COORDINATOR, Role.REPORTER}


def practice_activities_for_entry(user, activities: QuerySet) -> QuerySet:
    """The practice activities among `activities` the user records events of: those he reads
    (practice_activities_visible_to) of his own level's campaigns (not a district's below a
    county's coordinator, whose events its own level records)."""
    visible = practice_activities_visible_to(user, activities)
    return within_own_level(user, visible, "campaign__organiser_id")


def practice_event_units(user) -> QuerySet:
    """The units the user may enter events for: the district's for a coordinator, his own for a
    reporter, none for anyone else."""
    role = role_of(user)
    if role == Role.COORDINATOR:
        return district_units(user)
    if role == Role.REPORTER:
        return Unit.objects.filter(pk=person_of(user).unit_id)
    return Unit.objects.none()


def practice_events_visible_to(user, events: QuerySet) -> QuerySet:
    """Practice events organised by units the user reads (his district for coordinators and
    inspectors, the units he oversees for a leader, his own unit for a reporter)."""
    if reads_everything(user):
        return within_district(user, events, "activity__campaign__organiser_id")
    unit_ids = visible_unit_ids(user)
    return events if unit_ids is None else events.filter(organiser_id__in=unit_ids)


def get_practice_event_for_user(user, pk, *, queryset: QuerySet | None = None) -> PracticeEvent:
    """A practice event the user reads (404 otherwise)."""
    base = queryset if queryset is not None else PracticeEvent.objects.all()
    return get_visible(practice_events_visible_to(user, base), pk, "实践活动开展情况不存在。")


# Concerns, disputes and visits.
# - coordinators and inspectors read every concern and visit of their district; coordinators
#   record concerns (热线, 来信 …), import them, keep the categories, and handle any concern;
# - a reporter reads the concerns assigned to his unit and those raised on his unit's visits,
#   handles (办理, 答复 …) those assigned to his unit, and records his unit's visits;
# - a leader reads the concerns assigned to, and the visits of, the units he oversees;
# - a requester's phone and ID number are shown in full only to those handling the concern
#   (can_handle_concern), on asking, and each asking is recorded.


def can_record_concerns(user) -> bool:
    """Record a concern by hand or by import, and keep the categories: coordinators."""
    return is_coordinator(user)


def can_manage_concern_categories(user) -> bool:
    return is_coordinator(user)


def can_edit_concern_category(user, category) -> bool:
    """Change a category and its time limit: a coordinator, for a category of his own level (a
    district's are read-only to its county; no query unless his scope holds levels below)."""
    return can_manage_concern_categories(user) and at_own_level(user, category.district_id)


def can_record_visits(user) -> bool:
    """Record a visit: coordinators (for any unit of the district), reporters (their unit)."""
    return role_of(user) in {Role.COORDINATOR, Role.REPORTER}


def concern_categories_visible_to(user, categories: QuerySet) -> QuerySet:
    if not has_role(user):
        return categories.none()
    return within_district(user, categories, "district_id")


def concerns_visible_to(user, concerns: QuerySet) -> QuerySet:
    """Concerns of the user's district (coordinators, inspectors), assigned to his units or
    raised on their visits (reporter: his unit; leader: those he oversees)."""
    if reads_everything(user):
        return within_district(user, concerns, "campaign__organiser_id")
    unit_ids = visible_unit_ids(user)
    if unit_ids is None:
        return concerns
    return concerns.filter(Q(assigned_unit_id__in=unit_ids) | Q(visit__unit_id__in=unit_ids))


def can_handle_concern(user, concern) -> bool:
    """Take the next step, and see the requester's numbers: a coordinator of the district (not of
    the county above it: a district's concerns are read-only to it), or a reporter of the unit
    the concern is assigned to."""
    if is_coordinator(user):
        return _concern_at_own_level(user, concern)
    unit_id = own_unit_id(user)
    return unit_id is not None and unit_id == concern.assigned_unit_id


def _concern_at_own_level(user, concern) -> bool:
    """Whether `concern` is of the user's own level: by the unit it is assigned to, else (not
    yet assigned) by its campaign's organiser (read only when his scope holds levels below)."""
    if concern.assigned_unit_id is not None:
        return at_own_level(user, concern.assigned_unit_id)
    return not has_levels_below(user) or at_own_level(user, concern.campaign.organiser_id)


def get_concern_for_user(user, pk, *, write: bool = False, queryset: QuerySet | None = None):
    """The concern `pk` if the user reads it (404 otherwise); with write=True also 403 unless
    he handles it."""
    base = queryset if queryset is not None else Concern.objects.all()
    concern = get_visible(concerns_visible_to(user, base), pk, "诉求不存在或无权查看。")
    if write and not can_handle_concern(user, concern):
        raise PermissionDenied("只有专班或承办单位可以办理该诉求。")
    return concern


def visits_visible_to(user, visits: QuerySet) -> QuerySet:
    """Visits of the units the user reads (his district's for coordinators and inspectors)."""
    if reads_everything(user):
        return within_district(user, visits, "campaign__organiser_id")
    return within_units(user, visits, "unit_id")


def visits_readable_by(user, visits: QuerySet) -> QuerySet:
    """The visits among `visits` whose page the user opens (get_visit_for_user): those he reads
    (visits_visible_to) and those a concern he reads was raised on."""
    concerns = concerns_visible_to(user, Concern.objects.filter(visit__isnull=False))
    return visits.filter(
        Q(pk__in=visits_visible_to(user, Visit.objects.all()).values("id"))
        | Q(pk__in=concerns.values("visit_id"))
    )


def readable_visit_ids(user, ids) -> set[int]:
    """The ids among `ids` of visits the user opens (visits_readable_by; one query, none for no
    ids): a record linking a visit names it only to those — to anyone else the link is null,
    never an id he would meet as 不存在."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return set()
    readable = visits_readable_by(user, Visit.objects.filter(pk__in=ids))
    return set(readable.values_list("pk", flat=True))


def get_visit_for_user(user, pk, *, write: bool = False, queryset: QuerySet | None = None):
    """A visit the user reads, or the visit a concern he reads was raised on (the concern's
    page links to it: a fact entered once, reused) — 404 otherwise; with write=True (更正)
    also 403 unless he may correct it (can_correct_visit)."""
    base = queryset if queryset is not None else Visit.objects.all()
    visit = get_visible(visits_readable_by(user, base), pk, "走访记录不存在或无权查看。")
    if write and not can_correct_visit(user, visit):
        raise PermissionDenied("只有专班或组织走访单位的填报员可以更正该走访。")
    return visit


def can_correct_visit(user, visit) -> bool:
    """Correct a visit's facts (更正): whoever may enter it — a coordinator of the district (its
    own level's visits), or the reporter of the unit that organised it."""
    if is_coordinator(user):
        return at_own_level(user, visit.unit_id)
    unit_id = own_unit_id(user)
    return unit_id is not None and unit_id == visit.unit_id


def can_correct_concern(user, concern) -> bool:
    """Correct a concern's facts (更正): whoever may enter it — a coordinator of the district,
    or, for a concern raised on a visit, the reporter of the unit that organised the visit
    (`concern.visit` loaded). He sees the requester's numbers masked unless he also handles it."""
    if is_coordinator(user):
        return _concern_at_own_level(user, concern)
    unit_id = own_unit_id(user)
    return unit_id is not None and concern.visit_id is not None and unit_id == concern.visit.unit_id


def get_concern_to_correct(user, pk, *, queryset: QuerySet | None = None):
    """The concern `pk` if the user reads it (404 otherwise), 403 unless he may correct it."""
    concern = get_concern_for_user(user, pk, queryset=queryset)
    if not can_correct_concern(user, concern):
        raise PermissionDenied("只有专班或登记该诉求的走访单位填报员可以更正该诉求。")
    return concern


def concern_units_visible_to(user) -> QuerySet:
    """The units whose concerns the user reads, for a filter's choices: his level's and those
    below it for coordinators and inspectors, the units he oversees for a leader, his own for a
    reporter."""
    units = Unit.objects.order_by("sort_order", "id")
    return within_units(user, units, "pk")


def get_visit_photo_for_user(user, pk):
    """A visit's photo, for those who read the visit or a concern raised on it (the concern's
    page shows its visit's photos: entered once, reused) — 404 otherwise."""
    visible = visits_visible_to(user, Visit.objects.all())
    concerns = concerns_visible_to(user, Concern.objects.filter(visit__isnull=False))
    photos = VisitPhoto.objects.filter(
        Q(visit__in=visible.values("id")) | Q(visit__in=concerns.values("visit_id"))
    )
    return get_visible(photos, pk, "照片不存在或无权查看。")


def get_concern_category_for_user(user, pk):
    if not can_manage_concern_categories(user):
        raise PermissionDenied("只有专班可以设置诉求类别。")
    base = ConcernCategory.objects.all()
    category = get_visible(concern_categories_visible_to(user, base), pk, "诉求类别不存在。")
    require_own_level(user, category, "district_id")
    return category
