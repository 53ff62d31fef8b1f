"""Who reads the roll-up page (下级对比) and which level it is about, built on orgs.scope.

A coordinator or inspector whose scope holds levels below his own (orgs.scope.has_levels_below:
a county's, a city's, a province's) compares his subordinate levels; an operator's account (a
superuser without a person) compares every top level. Anyone else: the page does not exist
(404). `?level=` drills into a level of the viewer's scope that itself has levels below.
"""

from django.http import Http404

from shigan.core.params import id_or_none
from shigan.orgs.models import Unit, UnitKind
from shigan.orgs.scope import district_id_of, district_scope_ids, has_levels_below, person_of

NO_LEVELS_PAGE = "下级对比仅限下设区（县）的上级专班和督查查看。"
NO_SUCH_LEVEL = "该级党委政府不存在、不在您的范围内或其下没有下级。"


def is_operator(user) -> bool:
    """An operator's account: a superuser without a person (reads every level)."""
    return getattr(user, "is_superuser", False) and person_of(user) is None


def can_view_levels(user) -> bool:
    """The roll-up page: coordinators and inspectors with levels below, and operators."""
    return is_operator(user) or has_levels_below(user)


def levels_below_exist(level_id: int) -> bool:
    """Whether a level (a 党委政府 unit) has a level directly below it (one query)."""
    below = Unit.objects.filter(kind=UnitKind.PARTY_GOVERNMENT, parent__district_id=level_id)
    return below.exclude(pk=level_id).exists()


def level_for_user(user, raw) -> Unit | None:
    """The level the page compares the subordinates of: the viewer's own, or `raw` (?level=),
    a level of his scope with levels below it; None for an operator without ?level= (every
    top level). 404 for anyone who may not see the page and for any other level."""
    if not can_view_levels(user):
        raise Http404(NO_LEVELS_PAGE)
    wanted = id_or_none(raw) if (raw or "").strip() else None
    if (raw or "").strip() and wanted is None:
        raise Http404(NO_SUCH_LEVEL)
    if wanted is None:
        own = district_id_of(user)
        return None if own is None else Unit.objects.get(pk=own)
    scope = district_scope_ids(user)
    if scope is not None and wanted not in scope:
        raise Http404(NO_SUCH_LEVEL)
    level = Unit.objects.filter(pk=wanted, district_id=wanted).first()
    if level is None or not levels_below_exist(level.pk):
        raise Http404(NO_SUCH_LEVEL)
    return level
