"""Attacks on the endpoints added on the API's second day, and the gaps they found.

A county's coordinator reads its districts' campaigns (campaigns.access) but adds nothing to them
(orgs.scope: a coordinator keeps his own level's records): no practice activity, no practice
event, no pairing, no 办实事 item in a district's campaign — neither on the page
(?campaign=<the district's>) nor through the API (`campaign` in the body, an activity of the
district's) — 403 with LOWER_LEVEL_READ_ONLY, nothing written; in his own level's campaign he adds
them as before. The district's own coordinator still does."""

from django.test import Client

from shigan.api.services import token_create
from shigan.grassroots.access import practice_activities_for_entry, require_own_campaign
from shigan.grassroots.models import Pairing, PracticeActivity, PracticeEvent
from shigan.orgs.scope import LOWER_LEVEL_READ_ONLY
from shigan.tasks.models import Task, TaskOrigin
from shigan.tests import test_levels_scope as scope
from shigan.tests.test_levels_scope import COUNTY, EAST, client_of, fresh

# The city/county/district world of test_levels_scope, built once for this module.
world, levels = scope.world, scope.levels
JSON = "application/json"


def api_of(user) -> Client:
    return Client(
        HTTP_AUTHORIZATION=f"Bearer {token_create(user=user, name='t', scope='write')[1]}"
    )


def _refused(response):
    assert response.status_code == 403, response.content
    text = response.content.decode()
    assert LOWER_LEVEL_READ_ONLY in text or response.json()["detail"] == LOWER_LEVEL_READ_ONLY


def test_a_campaign_is_added_to_at_its_own_level_only(levels):
    import pytest
    from django.core.exceptions import PermissionDenied

    county = fresh(levels[COUNTY].users["coordinator"])
    require_own_campaign(county, levels[COUNTY].campaign)
    with pytest.raises(PermissionDenied, match=LOWER_LEVEL_READ_ONLY):
        require_own_campaign(county, levels[EAST].campaign)
    require_own_campaign(fresh(levels[EAST].users["coordinator"]), levels[EAST].campaign)


def test_practice_events_are_entered_for_own_level_activities_only(levels):
    east = PracticeActivity.objects.create(campaign=levels[EAST].campaign, name="东区宣讲")
    own = PracticeActivity.objects.create(campaign=levels[COUNTY].campaign, name="县宣讲")
    county = fresh(levels[COUNTY].users["coordinator"])
    assert list(practice_activities_for_entry(county, PracticeActivity.objects.all())) == [own]
    east_coordinator = fresh(levels[EAST].users["coordinator"])
    assert list(
        practice_activities_for_entry(east_coordinator, PracticeActivity.objects.all())
    ) == [east]


# The pages.


def test_the_county_adds_no_practice_activity_to_a_districts_campaign_page(levels, world):
    county = client_of(world, COUNTY, "coordinator")
    east_campaign = levels[EAST].campaign.pk
    refused = county.post(
        f"/grassroots/practice/activities/new/?campaign={east_campaign}", {"name": "县插手活动"}
    )
    _refused(refused)
    assert not PracticeActivity.objects.filter(name="县插手活动").exists()
    own = county.post(
        f"/grassroots/practice/activities/new/?campaign={levels[COUNTY].campaign.pk}",
        {"name": "县级活动"},
    )
    assert own.status_code == 302
    assert PracticeActivity.objects.get(name="县级活动").campaign == levels[COUNTY].campaign
    east = client_of(world, EAST, "coordinator")
    done = east.post(
        f"/grassroots/practice/activities/new/?campaign={east_campaign}", {"name": "东区活动"}
    )
    assert done.status_code == 302
    assert PracticeActivity.objects.get(name="东区活动").campaign_id == east_campaign


def test_the_county_enters_no_event_in_a_districts_campaign_page(levels, world):
    activity = PracticeActivity.objects.create(campaign=levels[EAST].campaign, name="东区宣讲")
    county = client_of(world, COUNTY, "coordinator")
    body = {
        "activity": activity.pk, "date": "2023-07-01", "place": "广场",
        "organiser": levels[COUNTY].bureau.pk, "participants": 3, "beneficiaries": 0,
        "summary": "宣讲",
    }  # fmt: skip
    url = f"/grassroots/practice/events/new/?campaign={levels[EAST].campaign.pk}"
    _refused(county.get(url))
    _refused(county.post(url, body))
    assert not PracticeEvent.objects.exists()


def test_the_county_pairs_and_promises_nothing_in_a_districts_campaign_page(levels, world):
    county = client_of(world, COUNTY, "coordinator")
    own_person = levels[COUNTY].users["coordinator"].person
    east_campaign = levels[EAST].campaign.pk
    pairing = {
        "cadre": own_person.pk, "target_kind": "household", "target_name": "王某某",
        "started_on": "2023-07-01",
    }  # fmt: skip
    _refused(county.get(f"/grassroots/pairings/new/?campaign={east_campaign}"))
    _refused(county.post(f"/grassroots/pairings/new/?campaign={east_campaign}", pairing))
    assert not Pairing.objects.exists()
    promise = {
        "title": "县插手办实事", "target": "x", "lead_unit": levels[COUNTY].bureau.pk,
        "start_date": "2023-07-01", "due_date": "2023-09-30",
    }  # fmt: skip
    _refused(county.post(f"/grassroots/promises/new/?campaign={east_campaign}", promise))
    assert not Task.objects.filter(origin=TaskOrigin.PROMISE).exists()
    own = county.post(f"/grassroots/pairings/new/?campaign={levels[COUNTY].campaign.pk}", pairing)
    assert own.status_code == 302
    assert Pairing.objects.get().campaign == levels[COUNTY].campaign


def test_the_county_writes_no_districts_report_words_page(levels, world):
    from shigan.reports.models import NarrativeText

    east = levels[EAST].campaign.pk
    url = f"/reports/narrative/?campaign={east}&period=2023-07"
    county = client_of(world, COUNTY, "coordinator")
    form = county.get(url).context["form"]  # he reads them
    data = {name: form.initial.get(name, "") for name in form.fields}
    data["opening_0_body"] = "县里改写的开头。"
    _refused(county.post(url, data))
    assert not NarrativeText.objects.exists()
    own = client_of(world, EAST, "coordinator")
    assert own.post(url, data).status_code == 302
    assert NarrativeText.objects.filter(campaign_id=east).exists()
