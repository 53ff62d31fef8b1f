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


# The API: the same refusals as the pages.


def test_the_county_adds_nothing_to_a_districts_campaign_through_the_api(levels):
    county = api_of(levels[COUNTY].users["coordinator"])
    east = levels[EAST].campaign.pk
    person, bureau = levels[COUNTY].users["coordinator"].person.pk, levels[COUNTY].bureau.pk
    activity = PracticeActivity.objects.create(campaign_id=east, name="东区宣讲")
    for url, body in (
        ("/api/v1/practice-activities", {"campaign": east, "name": "县插手活动"}),
        ("/api/v1/pairings", {
            "campaign": east, "cadre": person, "target_kind": "household",
            "target_name": "王某某", "started_on": "2023-07-01",
        }),
        ("/api/v1/promises", {
            "campaign": east, "title": "县插手办实事", "lead_unit": bureau,
            "start_date": "2023-07-01", "due_date": "2023-09-30",
        }),
        ("/api/v1/practice-events", {
            "campaign": east, "activity": activity.pk, "date": "2023-07-01", "place": "广场",
            "organiser": bureau, "participants": 3, "summary": "宣讲",
        }),
    ):  # fmt: skip
        _refused(county.post(url, body, content_type=JSON))
    assert list(PracticeActivity.objects.all()) == [activity]
    assert not Pairing.objects.exists() and not PracticeEvent.objects.exists()
    assert not Task.objects.filter(origin=TaskOrigin.PROMISE).exists()
    own = county.post(
        "/api/v1/practice-activities",
        {"campaign": levels[COUNTY].campaign.pk, "name": "县级活动"},
        content_type=JSON,
    )
    assert own.status_code == 201
    district = api_of(levels[EAST].users["coordinator"])
    made = district.post(
        "/api/v1/practice-activities", {"campaign": east, "name": "东区活动"}, content_type=JSON
    )
    assert made.status_code == 201 and made.json()["campaign_id"] == east


def test_the_county_writes_no_districts_report_words_through_the_api(levels):
    from shigan.reports.models import NarrativeText

    url = f"/api/v1/report-narrative?campaign={levels[EAST].campaign.pk}&period=2023-07"
    county = api_of(levels[COUNTY].users["coordinator"])
    read = county.get(url)
    assert read.status_code == 200
    body = {"version": read.json()["version"], "texts": {"opening_0_body": "县里改写的开头。"}}
    _refused(county.put(url, body, content_type=JSON))
    assert not NarrativeText.objects.exists()
    own = api_of(levels[EAST].users["coordinator"]).put(url, body, content_type=JSON)
    assert own.status_code == 200, own.content
    assert NarrativeText.objects.exists()


def test_an_event_names_its_visit_only_to_those_who_open_the_visit(levels):
    """The task force records an event organised by the 交通局 linked to a visit of another
    unit: the 交通局's reporter reads the event but not the visit — its visit_id is null for
    him (never an id that reads as 不存在), the visit's id for the task force."""
    import datetime

    from shigan.grassroots.models import Visit

    east = levels[EAST]
    visit = Visit.objects.create(
        campaign=east.campaign, kind="visit", date=datetime.date(2023, 7, 1), unit=east.root,
        place_kind="village", place="某村", what_done="走访", created_by=east.users["coordinator"],
    )  # fmt: skip
    activity = PracticeActivity.objects.create(campaign=east.campaign, name="东区宣讲")
    event = PracticeEvent.objects.create(
        activity=activity, date=datetime.date(2023, 7, 2), place="广场", organiser=east.bureau,
        participants=3, beneficiaries=0, summary="宣讲", visit=visit,
        created_by=east.users["coordinator"],
    )  # fmt: skip
    reporter = api_of(east.users["reporter"])
    assert reporter.get(f"/api/v1/visits/{visit.pk}").status_code == 404
    assert reporter.get(f"/api/v1/practice-events/{event.pk}").json()["visit_id"] is None
    assert [e["visit_id"] for e in reporter.get("/api/v1/practice-events").json()["items"]] == [
        None
    ]
    coordinator = api_of(east.users["coordinator"])
    assert coordinator.get(f"/api/v1/visits/{visit.pk}").status_code == 200
    assert coordinator.get(f"/api/v1/practice-events/{event.pk}").json()["visit_id"] == visit.pk


def test_the_event_list_names_visits_in_one_query_whatever_its_size(levels):
    """The readable visits of a page of events: one query (none when no event links a visit),
    the same for 1 and 4 events."""
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shigan.grassroots.models import Visit

    east = levels[EAST]
    coordinator = east.users["coordinator"]
    activity = PracticeActivity.objects.create(campaign=east.campaign, name="东区宣讲")
    reporter = api_of(east.users["reporter"])
    reporter.get("/api/v1/practice-events")  # the token's first use is recorded once
    counts = []
    for n in (1, 3):
        for _ in range(n):
            visit = Visit.objects.create(
                campaign=east.campaign, kind="visit", date=datetime.date(2023, 7, 1),
                unit=east.bureau, place_kind="village", place="某村", what_done="走访",
                created_by=coordinator,
            )  # fmt: skip
            PracticeEvent.objects.create(
                activity=activity, date=datetime.date(2023, 7, 2), place="广场",
                organiser=east.bureau, participants=3, beneficiaries=0, summary="宣讲",
                visit=visit, created_by=coordinator,
            )  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            items = reporter.get("/api/v1/practice-events").json()["items"]
        assert all(item["visit_id"] is not None for item in items)  # his unit's visits
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_list_too_long_is_named_with_its_limit(levels):
    """100 milestones at most (PromiseIn): the 101st refused as 最多100项, not 取值无效."""
    api = api_of(levels[EAST].users["coordinator"])
    milestones = [{"title": f"节点{n}", "due_date": "2023-08-01"} for n in range(101)]
    body = {
        "title": "加装电梯", "lead_unit": levels[EAST].bureau.pk, "start_date": "2023-07-01",
        "due_date": "2023-09-30", "milestones": milestones,
    }  # fmt: skip
    refused = api.post("/api/v1/promises", body, content_type=JSON)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "milestones", "detail": "最多100项"}]


def test_a_districts_lists_offer_the_county_no_新增_links(levels, world):
    county = client_of(world, COUNTY, "coordinator")
    for level, shown in ((EAST, False), (COUNTY, True)):
        campaign = levels[level].campaign.pk
        pairings = county.get(f"/grassroots/pairings/?campaign={campaign}").content.decode()
        assert ("/grassroots/pairings/new/" in pairings) is shown
        promises = county.get(f"/grassroots/promises/?campaign={campaign}").content.decode()
        assert ("/grassroots/promises/new/" in promises) is shown
        practice = county.get(f"/grassroots/practice/?campaign={campaign}").content.decode()
        assert ("/grassroots/practice/activities/new/" in practice) is shown
    east = client_of(world, EAST, "coordinator")
    own = east.get(f"/grassroots/pairings/?campaign={levels[EAST].campaign.pk}")
    assert "/grassroots/pairings/new/" in own.content.decode()


# The access functions themselves (shigan/tests/test_access_coverage.py: each named in a test).


def test_adds_to_campaign_is_require_own_campaign_without_the_403(levels):
    from shigan.grassroots.access import adds_to_campaign

    county = fresh(levels[COUNTY].users["coordinator"])
    assert adds_to_campaign(county, levels[COUNTY].campaign) is True
    assert adds_to_campaign(county, levels[EAST].campaign) is False
    assert adds_to_campaign(county, None) is False
    east = fresh(levels[EAST].users["coordinator"])
    assert adds_to_campaign(east, levels[EAST].campaign) is True


def test_require_own_narrative_lets_each_level_write_its_own_words_only(levels):
    import pytest
    from django.core.exceptions import PermissionDenied

    from shigan.reports.access import require_own_narrative

    county = fresh(levels[COUNTY].users["coordinator"])
    require_own_narrative(county, levels[COUNTY].campaign)
    with pytest.raises(PermissionDenied, match=LOWER_LEVEL_READ_ONLY):
        require_own_narrative(county, levels[EAST].campaign)
    require_own_narrative(fresh(levels[EAST].users["coordinator"]), levels[EAST].campaign)


def test_visits_readable_by_and_readable_visit_ids_are_the_visits_page_rule(levels):
    """A visit of the district's root unit: its coordinator opens it, the 交通局's reporter does
    not (get_visit_for_user 404) — unless a concern he reads was raised on it."""
    import datetime

    from shigan.grassroots.access import readable_visit_ids, visits_readable_by
    from shigan.grassroots.models import Visit

    east = levels[EAST]
    visit = Visit.objects.create(
        campaign=east.campaign, kind="visit", date=datetime.date(2023, 7, 1), unit=east.root,
        place_kind="village", place="某村", what_done="走访", created_by=east.users["coordinator"],
    )  # fmt: skip
    coordinator = fresh(east.users["coordinator"])
    reporter = fresh(east.users["reporter"])
    every = Visit.objects.filter(pk=visit.pk)
    assert list(visits_readable_by(coordinator, every)) == [visit]
    assert list(visits_readable_by(reporter, every)) == []
    assert readable_visit_ids(coordinator, [visit.pk, None]) == {visit.pk}
    assert readable_visit_ids(reporter, [visit.pk]) == set()
    assert readable_visit_ids(reporter, [None]) == set()
    other = fresh(levels[COUNTY].users["reporter"])
    assert readable_visit_ids(other, [visit.pk]) == set()
