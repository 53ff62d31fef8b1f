"""The campaign an operator command (`shigan report`, `shigan import` of a task list) works on
when the operator does not name one — never a silent pick among several districts' campaigns:

1. `--campaign ID`: that campaign (campaigns.queries.campaign_current; CampaignNotFound when it
   names none);
2. else `--user NAME` of an account with a level: the campaign the pages open for him
   (campaigns.access.campaign_for_user: his own level's current campaign);
3. else the database's current campaign when only one level (district or county) holds one;
4. else, on the demo's data folder, the demo district's (示范区) campaign: `shigan demo` records
   it in the folder's marker and the `shigan` command passes it on in SHIGAN_DEMO_CAMPAIGN
   (shigan.cli.apply_demo_marker);
5. else CampaignNotChosen, whose message lists the candidates.

Mirrors of another installation's campaigns (shigan.exchange) are never picked by default."""

import os
from dataclasses import dataclass

from shigan.orgs.scope import district_id_of

from .access import campaign_for_user
from .models import Campaign
from .queries import campaign_current, campaigns_current_first

DEMO_CAMPAIGN_ENV = "SHIGAN_DEMO_CAMPAIGN"


class CampaignNotChosen(Exception):
    """No campaign can be taken without the operator naming one; the message says why and
    lists the candidates."""


@dataclass(frozen=True)
class Chosen:
    campaign: Campaign
    why: str  # how it was chosen, in Chinese, for the operator's output

    @property
    def label(self) -> str:
        """The campaign with its number and the level organising it, as the commands print it:
        活动1：2023年作风建设“实干年”活动（示范区）."""
        return f"活动{self.campaign.pk}：{self.campaign.with_organiser}"


def current_per_level() -> list[Campaign]:
    """Each level's (district's or county's) current campaign, the current first (one query);
    mirrors left out."""
    per_level: dict[int, Campaign] = {}
    for campaign in campaigns_current_first(Campaign.objects.filter(mirror=False)):
        level = campaign.organiser.district_id or campaign.organiser_id
        per_level.setdefault(level, campaign)
    return list(per_level.values())


def candidates_line(campaigns: list[Campaign]) -> str:
    return "；".join(f"--campaign {c.pk}：{c.with_organiser}" for c in campaigns)


def _demo_campaign() -> Campaign | None:
    raw = os.environ.get(DEMO_CAMPAIGN_ENV, "").strip()
    if not raw.isdigit():
        return None
    return (
        Campaign.objects.select_related("organiser__district")
        .filter(pk=int(raw), mirror=False)
        .first()
    )


def operator_campaign(raw: object = None, *, user=None) -> Chosen | None:
    """The campaign an operator command works on (the rule in the module's docstring); None
    when the database holds no campaign at all. Raises CampaignNotFound for a `raw` naming
    none, CampaignNotChosen when it cannot tell which one is meant."""
    if raw is not None and str(raw).strip():
        campaign = campaign_current(raw)
        return Chosen(campaign, f"--campaign {campaign.pk}")
    if user is not None and district_id_of(user) is not None:
        campaign = campaign_for_user(user)
        if campaign is None:
            raise CampaignNotChosen(
                f"账号“{user.get_username()}”所在的区（县）还没有活动，请用 --campaign 指定。"
            )
        return Chosen(campaign, f"账号“{user.get_username()}”所在区（县）的当前活动")
    candidates = current_per_level()
    if not candidates:
        return None
    if len(candidates) == 1:
        return Chosen(candidates[0], "数据库中唯一的当前活动")
    demo = _demo_campaign()
    if demo is not None:
        return Chosen(demo, "演示数据：示范区的活动")
    raise CampaignNotChosen(
        f"数据库中有多个进行中的活动，请用 --campaign 指定：{candidates_line(candidates)}。"
        "也可用 --user 指定账号，取该账号所在区（县）的当前活动。"
    )
