"""A district's tasks and campaign are read-only to its county through the API as on their
pages (orgs.scope: a coordinator keeps his own level): the county's coordinator reads them but
edits neither (403), nor creates a task in the district's campaign, while the district's own
coordinator does."""

from django.test import Client

from shigan.api.services import token_create
from shigan.orgs.scope import LOWER_LEVEL_READ_ONLY
from shigan.tests import test_levels_scope as scope
from shigan.tests.test_levels_scope import COUNTY, EAST

# The city/county/district world of test_levels_scope, built once for this module.
world, levels = scope.world, scope.levels
JSON = "application/json"


def api_of(user) -> Client:
    return Client(
        HTTP_AUTHORIZATION=f"Bearer {token_create(user=user, name='t', scope='write')[1]}"
    )


def task_body(shown: dict, **fields) -> dict:
    return {
        "campaign": shown["campaign_id"], "category": shown["category_id"],
        "number": shown["number"], "title": shown["title"], "target": shown["target"],
        "lead_unit": shown["lead_unit_id"], "supporting_units": shown["supporting_unit_ids"],
        "leader": shown["leader_id"], "start_date": shown["start_date"],
        "due_date": shown["due_date"],
        "milestones": [
            {"id": m["id"], "title": m["title"], "due_date": m["due_date"]}
            for m in shown["milestones"]
        ],
    } | fields  # fmt: skip


def test_the_county_edits_no_districts_task_nor_files_one_into_it(levels):
    east = levels[EAST]
    county = api_of(levels[COUNTY].users["coordinator"])
    url = f"/api/v1/tasks/{east.task.pk}"
    shown = county.get(url).json()
    refused = county.put(
        url, task_body(shown, title="改", version=shown["version"]), content_type=JSON
    )
    assert refused.status_code == 403 and refused.json()["detail"] == LOWER_LEVEL_READ_ONLY
    # nor creates one in the district's campaign: the page's form offers neither it nor its units
    created = county.post("/api/v1/tasks", task_body(shown, milestones=[]), content_type=JSON)
    assert created.status_code == 422
    fields = [e["field"] for e in created.json()["errors"]]
    assert fields[:2] == ["campaign", "category"] and "lead_unit" in fields
    own = api_of(east.users["coordinator"])
    edited = own.put(
        url, task_body(shown, title="东区改", version=shown["version"]), content_type=JSON
    )
    assert edited.status_code == 200 and edited.json()["title"] == "东区改"


def test_the_county_sets_up_no_districts_campaign(levels):
    east = levels[EAST]
    county = api_of(levels[COUNTY].users["coordinator"])
    url = f"/api/v1/campaigns/{east.campaign.pk}"
    shown = county.get(url).json()
    body = {
        "year": shown["year"], "name": "改", "organiser": shown["organiser_id"],
        "start_date": shown["start_date"], "end_date": shown["end_date"],
        "version": shown["version"],
    }  # fmt: skip
    for response in (
        county.put(url, body, content_type=JSON),
        county.post(f"{url}/phases", {"name": "x"}, content_type=JSON),
        county.get(f"{url}/categories"),
    ):
        assert response.status_code == 403, response.content
    assert (
        county.put(url, body, content_type=JSON).json()["detail"]
        == "只有本区（县）专班可以设置活动。"
    )
    own = api_of(east.users["coordinator"])
    assert own.put(url, body, content_type=JSON).status_code == 200
