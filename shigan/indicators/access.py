"""Who may read and report indicators, key projects and investment attraction.

Built on orgs.scope, by the record's responsible unit: coordinators and inspectors read all of
their level and the levels below it, leaders those of the units they oversee, reporters their
own unit's — except indicators, the district's headline figures (地区生产总值, 固定资产投资 …)
reported at every meeting: every person of a district reads all of its indicators (read-only
unless he reports them), a leader's overseen units' and a reporter's own unit's marked
(indicator_units_overseen, indicator_mine_label). Coordinators set indicators up and import
annual targets; a reporter reports the figures of the indicators his unit is responsible for, a
coordinator those of any of his own level (a district's are read-only to its county's).
Investment attraction is read by every role.
"""

from django.db.models import Q, QuerySet

from shigan.campaigns.access import campaigns_visible_to
from shigan.campaigns.models import Campaign
from shigan.orgs.scope import (
    at_own_level,
    get_visible,
    has_role,
    is_coordinator,
    is_leader,
    overseen_unit_ids,
    own_unit_id,
    reads_everything,
    reportable_unit,
    require_own_level,
    visible_unit_ids,
    within_district,
    within_own_level,
    within_units,
)

from .models import Agreement, Indicator, InvestmentTrip, KeyEnterprise, KeyProject


def indicators_visible_to(user, indicators: QuerySet) -> QuerySet:
    """Filter an Indicator queryset by its responsible unit: every person with a role reads
    every indicator of his district (the headline figures are the whole district's, not only
    his units'), coordinators and inspectors those of the levels below too
    (orgs.scope.within_district); an account without a role, as orgs.scope.within_units
    (nothing)."""
    if has_role(user):
        return within_district(user, indicators, "responsible_unit_id")
    return within_units(user, indicators, "responsible_unit_id")


def indicator_units_overseen(user) -> set[int]:
    """The responsible units whose indicators are the viewer's own charge, marked and filterable
    on the indicator table: a leader's overseen units, a reporter's own unit; empty for
    coordinators and inspectors (the whole district is theirs)."""
    if is_leader(user):
        return overseen_unit_ids(user)
    unit_id = own_unit_id(user)
    return {unit_id} if unit_id is not None else set()


def indicator_mine_label(user) -> str:
    """The tag of the indicators in indicator_units_overseen: 分管 (a leader's), 本单位."""
    return "分管" if is_leader(user) else "本单位"


def reads_district_indicators(user) -> bool:
    """Whether the user reads the district's indicators beyond the scope of his other pages (a
    leader, a reporter: the cockpit tags the headline figures 全区 while his other cards are
    his units')."""
    return has_role(user) and not reads_everything(user)


def reports_any_indicator(user) -> bool:
    """Whether the monthly template and the Excel import are of use to the user: a coordinator,
    a reporter whose unit is responsible for an indicator (one query)."""
    if is_coordinator(user):
        return True
    return can_report_actuals(user) and indicators_for_report(user).exists()


def key_projects_visible_to(user, projects: QuerySet) -> QuerySet:
    """Filter a KeyProject queryset by its responsible unit, as indicators_visible_to."""
    return within_units(user, projects, "responsible_unit_id")


def key_enterprises_visible_to(user, projects: QuerySet) -> QuerySet:
    """Key enterprises whose contact unit the user reads, or with one of `projects` (the key
    projects he reads)."""
    if reads_everything(user):
        return within_district(user, KeyEnterprise.objects.all(), "district_id")
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


def can_manage_indicator_record(user, unit_id: int | None) -> bool:
    """Edit one record set up here, of the unit `unit_id` (an indicator's or key project's
    responsible unit, a key enterprise's district, a trip's or agreement's campaign organiser):
    a coordinator, for a record of his own level (a district's are read-only to its county; no
    query unless his scope holds levels below his own). What the edit links are shown for;
    the write itself is refused by _managed."""
    return can_manage_indicators(user) and at_own_level(user, unit_id)


def can_report_actuals(user) -> bool:
    """Report monthly figures at all (download the template, import a filled one): coordinators
    and unit reporters; which indicators is can_report_indicator."""
    return is_coordinator(user) or reportable_unit(user) is not None


def can_report_indicator(user, indicator) -> bool:
    """Coordinators report the figures of any indicator of their own level (not those of a
    district below them); a reporter those his unit is responsible for."""
    if is_coordinator(user):
        return at_own_level(user, indicator.responsible_unit_id)
    unit_id = own_unit_id(user)
    return unit_id is not None and indicator.responsible_unit_id == unit_id


def can_read_investment(user) -> bool:
    return has_role(user)


def indicators_for_report(user) -> QuerySet:
    """Indicators whose figures the user may report (as can_report_indicator)."""
    if is_coordinator(user):
        return within_own_level(user, Indicator.objects.all(), "responsible_unit_id")
    unit_id = own_unit_id(user)
    if unit_id is None:
        return Indicator.objects.none()
    return Indicator.objects.filter(responsible_unit_id=unit_id)


def _managed(user, record, field: str):
    """`record` to change (its definition, targets, figures): 403 unless it is of the user's own
    level (a district's are read-only to its county's); who manages at all is the views'
    can_manage_indicators."""
    require_own_level(user, record, field)
    return record


def get_indicator_for_user(user, pk, *, write: bool = False):
    """The indicator `pk` if the user reads it (indicators_visible_to), else 404; with
    write=True (its definition, its annual targets) also 403 unless it is of his own level (_managed)."""
    indicators = Indicator.objects.select_related("responsible_unit")
    indicator = get_visible(indicators_visible_to(user, indicators), pk, "指标不存在或无权查看。")
    return _managed(user, indicator, "responsible_unit_id") if write else indicator


def key_projects_for_report(user) -> QuerySet:
    """Key projects whose monthly figures the user files: a coordinator those of his own level, a
    reporter his unit's."""
    if is_coordinator(user):
        return within_own_level(user, KeyProject.objects.all(), "responsible_unit_id")
    unit_id = own_unit_id(user)
    if unit_id is None:
        return KeyProject.objects.none()
    return KeyProject.objects.filter(responsible_unit_id=unit_id)


def get_key_project_for_user(user, pk, *, write: bool = False):
    """The key project `pk` if the user reads it (key_projects_visible_to), else 404; with
    write=True also 403 unless it is of his own level (_managed)."""
    projects = KeyProject.objects.select_related("responsible_unit", "enterprise", "task")
    project = get_visible(key_projects_visible_to(user, projects), pk, "重点项目不存在或无权查看。")
    return _managed(user, project, "responsible_unit_id") if write else project


def get_key_enterprise_for_user(user, pk, *, write: bool = False):
    """The key enterprise `pk` if the user reads it (key_enterprises_visible_to), else 404; with
    write=True also 403 unless it is of his own level (_managed)."""
    visible = key_enterprises_visible_to(user, key_projects_visible_to(user, KeyProject.objects))
    enterprise = get_visible(visible.select_related("unit"), pk, "重点企业不存在或无权查看。")
    return _managed(user, enterprise, "district_id") if write else enterprise


def investment_campaigns(user) -> QuerySet:
    """The campaigns whose trips and agreements the user reads (every role, within the
    campaigns he reads)."""
    if not can_read_investment(user):
        return Campaign.objects.none()
    return campaigns_visible_to(user, Campaign.objects.all())


def get_investment_trip_for_user(user, pk, *, write: bool = False):
    """The trip `pk` of a campaign the user reads (investment_campaigns), else 404; with
    write=True also 403 unless it is of his own level (_managed)."""
    trips = InvestmentTrip.objects.filter(campaign__in=investment_campaigns(user))
    trip = get_visible(trips.select_related("campaign", "leader"), pk, "外出招商记录不存在。")
    return _managed(user, trip, "campaign__organiser_id") if write else trip


def get_agreement_for_user(user, pk, *, write: bool = False):
    """The agreement `pk` of a campaign the user reads (investment_campaigns), else 404; with
    write=True also 403 unless it is of his own level (_managed)."""
    agreements = Agreement.objects.filter(campaign__in=investment_campaigns(user))
    agreement = get_visible(agreements.select_related("campaign", "trip"), pk, "招商协议不存在。")
    return _managed(user, agreement, "campaign__organiser_id") if write else agreement
