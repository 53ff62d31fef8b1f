"""Reads for the campaign overview page, and the one rule for "the current campaign"."""

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from shigan.core.params import BadValue, parse_id
from shigan.orgs.models import LeadingGroupMember, Oversight

from .models import Campaign

# The current campaign first: newest year, then latest start date, then highest id.
CURRENT_FIRST = ("-year", "-start_date", "-id")


class CampaignNotFound(Http404):
    """An explicit campaign id that names no campaign the caller may choose from."""


def campaigns_with_overview() -> QuerySet:
    """Campaigns with their plan sections, phases and leading group (members and what each
    oversees), in a fixed number of queries."""
    members = LeadingGroupMember.objects.select_related("person__unit").prefetch_related(
        Prefetch(
            "person__oversights",
            queryset=Oversight.objects.select_related("unit").order_by("unit__sort_order"),
        )
    )
    return Campaign.objects.select_related("organiser", "leading_group").prefetch_related(
        "plan_sections",
        "phases",
        Prefetch("leading_group__members", queryset=members),
    )


def campaigns_current_first(campaigns: QuerySet | None = None) -> QuerySet:
    """`campaigns` (default: all) in the order pickers list them, the current one first — the
    user's own level's first when campaigns.access annotated them `at_own_level` (a county's
    coordinator opens the county's campaign, not the newest of its districts')."""
    campaigns = Campaign.objects.all() if campaigns is None else campaigns
    own_first = ("-at_own_level",) if "at_own_level" in campaigns.query.annotations else ()
    return campaigns.select_related("organiser__district").order_by(*own_first, *CURRENT_FIRST)


def mixes_levels(campaigns: Iterable[Campaign]) -> bool:
    """Whether loaded `campaigns` are organised by more than one level (district): a list of
    them then names each one's organiser (Campaign.with_organiser). No query."""
    return len({c.organiser.district_id for c in campaigns}) > 1


def _current_key(campaign: Campaign) -> tuple:
    own = getattr(campaign, "at_own_level", False)
    return (own, campaign.year, campaign.start_date, campaign.pk)


def campaign_current(
    raw: object = None, *, among: QuerySet | Iterable[Campaign] | None = None
) -> Campaign | None:
    """The campaign a page, the cockpit or the report shows: the one `raw` names, or else the
    current campaign. Every campaign picker goes through here.

    - `raw` blank or None: the current campaign among `among` (default: every campaign) —
      newest year, then latest start date, then highest id; None when there is none. Never a
      mirror of another installation's campaign (Campaign.mirror, shigan.exchange): an
      operator's import or report without --campaign goes to this installation's own.
    - `raw` given: it must be an id (core.params.parse_id: 1–18 ASCII digits) naming a campaign
      among `among`. A malformed value ("²", "abc", a 19-digit number) and an id naming nothing
      the caller may choose from are treated alike: CampaignNotFound, an Http404 (a page answers
      404; the command line reports it). Never a silent fallback to another campaign.

    `among` is a queryset (one query) or an already loaded list (no query), e.g. the campaigns
    a user may open on the battle map.
    """
    try:
        wanted = parse_id(raw)
    except BadValue:
        raise CampaignNotFound("活动不存在或无权查看。") from None
    if isinstance(among, QuerySet) or among is None:
        candidates = campaigns_current_first(among)
        if wanted is None:
            chosen = candidates.filter(mirror=False).first()
        else:
            chosen = candidates.filter(pk=wanted).first()
    else:
        loaded = list(among)
        if wanted is None:
            own = [c for c in loaded if not c.mirror]
            chosen = max(own, key=_current_key, default=None)
        else:
            chosen = next((c for c in loaded if c.pk == wanted), None)
    if chosen is None and wanted is not None:
        raise CampaignNotFound("活动不存在或无权查看。")
    return chosen
