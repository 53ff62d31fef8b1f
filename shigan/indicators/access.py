"""Who may read and report indicators, key projects and investment attraction.

Built on orgs.scope, by the record's responsible unit: coordinators and inspectors read all,
leaders those of the units they oversee, reporters their own unit's. Coordinators set indicators
up and import annual targets; a reporter reports the figures of the indicators his unit is
responsible for, a coordinator those of any. Investment attraction is read by every role.
"""

from django.db.models import Q, QuerySet

from shigan.orgs.scope import (
    get_visible,
    has_role,
    is_coordinator,
    own_unit_id,
    reportable_unit,
    visible_unit_ids,
    within_units,
)

from .models import Indicator, KeyEnterprise


def indicators_visible_to(user, indicators: QuerySet) -> QuerySet:
    """Filter an Indicator queryset by its responsible unit."""
    return within_units(user, indicators, "responsible_unit_id")


def key_projects_visible_to(user, projects: QuerySet) -> QuerySet:
    """Filter a KeyProject queryset by its responsible unit, as indicators_visible_to."""
    return within_units(user, projects, "responsible_unit_id")


def key_enterprises_visible_to(user, projects: QuerySet) -> QuerySet:
    """Key enterprises whose contact unit the user reads, or with one of `projects` (the key
    projects he reads)."""
    unit_ids = visible_unit_ids(user)
    if unit_ids is None:
        return KeyEnterprise.objects.all()
    return KeyEnterprise.objects.filter(
        Q(unit_id__in=unit_ids) | Q(id__in=projects.values("enterprise_id"))
    )


def can_manage_indicators(user) -> bool:
    """Set indicators, targets, key projects and investment records up (annual targets and
    last year's figures imported from a workbook included): coordinators."""
    return is_coordinator(user)


def can_report_actuals(user) -> bool:
    """Report monthly figures at all (download the template, import a filled one): coordinators
    and unit reporters; which indicators is can_report_indicator."""
    return is_coordinator(user) or reportable_unit(user) is not None


def can_report_indicator(user, indicator) -> bool:
    """Coordinators report any indicator's figures; a reporter those his unit is responsible for."""
    if is_coordinator(user):
        return True
    unit_id = own_unit_id(user)
    return unit_id is not None and indicator.responsible_unit_id == unit_id


def can_read_investment(user) -> bool:
    return has_role(user)


def indicators_for_report(user) -> QuerySet:
    """Indicators whose figures the user may report (as can_report_indicator)."""
    if is_coordinator(user):
        return Indicator.objects.all()
    unit_id = own_unit_id(user)
    if unit_id is None:
        return Indicator.objects.none()
    return Indicator.objects.filter(responsible_unit_id=unit_id)


def get_indicator_for_user(user, pk):
    """The indicator `pk` if the user reads it (indicators_visible_to), else 404."""
    indicators = Indicator.objects.select_related("responsible_unit")
    return get_visible(indicators_visible_to(user, indicators), pk, "指标不存在或无权查看。")
