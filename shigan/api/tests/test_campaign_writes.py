"""Setting a campaign up through the API is setting it up on its pages: the campaign, its plan
sections and phases (campaigns' forms and services) and its task categories (the tasks app's
form and service), audited, each edit checking `version` as its page does. Each role's token
may do exactly what the role may do on the page: the page is asked too, and the answers
compared."""

import datetime

import pytest

from shigan.campaigns.models import Campaign, Phase, PlanSection
from shigan.core.models import AuditAction, AuditEntry
from shigan.tasks.models import TaskCategory

from .versions import versioned

JSON = "application/json"
SET_UP = ["campaigns.campaign", "campaigns.plansection", "campaigns.phase", "tasks.taskcategory"]

# The page's answer (to a GET of its form) → the API's answer to a valid write.
SAME_RULE = {200: {200, 201, 204}, 403: {403}, 404: {404}}


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def campaign_body(world, **fields):
    return {
        "year": 2024,
        "name": "作风建设“提升年”活动",
        "slogan": "实干争先",
        "organiser": world.district.pk,
        "start_date": "2024-01-01",
        "end_date": "2024-12-31",
    } | fields


def make_parts(world):
    section = PlanSection.objects.create(campaign=world.campaign, kind="goals", body="目标")
    phase = Phase.objects.create(
        campaign=world.campaign,
        name="动员部署",
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2023, 2, 28),
    )
    spare = TaskCategory.objects.create(campaign=world.campaign, name="备用", sort_order=9)
    return section, phase, spare


def test_coordinator_creates_a_campaign_audited(world, token_client):
    api, _ = token_client(world.coordinator)
    response = api.post("/api/v1/campaigns", campaign_body(world), content_type=JSON)
    assert response.status_code == 201, response.content
    campaign = Campaign.objects.get(year=2024)
    entry = AuditEntry.objects.get(record_type="campaigns.campaign", record_id=campaign.pk)
    assert (entry.action, entry.actor) == (AuditAction.CREATE, world.coordinator)
    body = response.json()
    assert (body["id"], body["organiser"], body["version"]) == (
        campaign.pk, "示范区党委政府", entry.pk,
    )  # fmt: skip
    assert body["plan_sections"] == [] and body["phases"] == []
    assert api.get(f"/api/v1/campaigns/{campaign.pk}").json() == body
    listed = [c["id"] for c in api.get("/api/v1/campaigns").json()]
    assert listed == [campaign.pk, world.campaign.pk]  # the newest year first


def cases(world, section, phase, spare):
    """(page URL, API method, API URL, a valid body) of each set-up write."""
    campaign = world.campaign.pk
    return [
        ("/campaigns/new/", "post", "/api/v1/campaigns", campaign_body(world)),
        (
            f"/campaigns/{campaign}/edit/",
            "put",
            f"/api/v1/campaigns/{campaign}",
            campaign_body(world, year=2023, start_date="2023-01-01", end_date="2023-12-31"),
        ),
        (
            f"/campaigns/{campaign}/sections/new/",
            "post",
            f"/api/v1/campaigns/{campaign}/plan-sections",
            {"kind": "measures", "body": "主要措施"},
        ),
        (
            f"/campaigns/sections/{section.pk}/edit/",
            "put",
            f"/api/v1/plan-sections/{section.pk}",
            {"body": "新的目标"},
        ),
        (
            f"/campaigns/{campaign}/phases/new/",
            "post",
            f"/api/v1/campaigns/{campaign}/phases",
            {"name": "组织实施", "start_date": "2023-03-01", "end_date": "2023-10-31"},
        ),
        (
            f"/campaigns/phases/{phase.pk}/edit/",
            "put",
            f"/api/v1/phases/{phase.pk}",
            {"name": "动员部署阶段", "start_date": "2023-01-01", "end_date": "2023-02-28"},
        ),
        (
            f"/tasks/categories/?campaign={campaign}",
            "post",
            f"/api/v1/campaigns/{campaign}/categories",
            {"name": "招商引资"},
        ),
        (
            f"/tasks/categories/{world.category.pk}/edit/",
            "put",
            f"/api/v1/task-categories/{world.category.pk}",
            {"name": "路网", "sort_order": 2},
        ),
        # deletions last: the coordinator's removes the part
        (f"/campaigns/sections/{section.pk}/delete/", "delete", f"/api/v1/plan-sections/{section.pk}", None),
        (f"/campaigns/phases/{phase.pk}/delete/", "delete", f"/api/v1/phases/{phase.pk}", None),
        (f"/tasks/categories/{spare.pk}/delete/", "delete", f"/api/v1/task-categories/{spare.pk}", None),
    ]  # fmt: skip


def test_each_roles_token_sets_up_as_the_role_may_on_the_page(world, token_client, client_for):
    section, phase, spare = make_parts(world)
    users = list(world.users().items())
    users.sort(key=lambda item: item[0] == "coordinator")  # the coordinator's writes last
    answered = {}
    for page_url, method, url, body in cases(world, section, phase, spare):
        for name, user in users:
            page = client_for(user).get(page_url).status_code
            api, _ = token_client(user)
            send = getattr(api, method)
            if method == "put":  # the version its detail answers now (issue 19: required)
                body = versioned(url, body)
            response = send(url, body, content_type=JSON) if body else send(url)
            assert response.status_code in SAME_RULE[page], (url, name, page, response.content)
            answered[(method, url, name)] = response.status_code
    # only the coordinator wrote: one audit entry of his per write, none of anyone else's
    writes = {k: v for k, v in answered.items() if v in {200, 201, 204}}
    assert {name for _, _, name in writes} == {"coordinator"} and len(writes) == 11
    entries = AuditEntry.objects.filter(record_type__in=SET_UP)
    actors = set(entries.values_list("actor__username", flat=True))
    assert actors == {"coordinator"}
    assert not PlanSection.objects.filter(pk=section.pk).exists()
    assert not Phase.objects.filter(pk=phase.pk).exists()
    assert not TaskCategory.objects.filter(pk=spare.pk).exists()
    assert TaskCategory.objects.get(pk=world.category.pk).name == "路网"


def test_another_district_neither_reads_nor_sets_up_the_campaign(
    world, other_district, token_client
):
    section, phase, spare = make_parts(world)
    outsider, _ = token_client(other_district[0])
    for _page, method, url, body in cases(world, section, phase, spare)[1:]:
        send = getattr(outsider, method)
        response = send(url, body, content_type=JSON) if body else send(url)
        assert response.status_code == 404, (url, response.content)
    assert outsider.get(f"/api/v1/campaigns/{world.campaign.pk}").status_code == 404
    # nor organises one with the district's unit: the page's form offers his own only
    created = outsider.post("/api/v1/campaigns", campaign_body(world), content_type=JSON)
    assert created.status_code == 422
    assert created.json()["errors"] == [
        {"field": "organiser", "detail": "所选主办单位不是本区（县）的单位，请重新选择。"}
    ]
    assert not AuditEntry.objects.filter(record_type__in=SET_UP).exists()


def test_a_campaign_breaking_the_pages_rules_is_refused_naming_the_field(world, token_client):
    api, _ = token_client(world.coordinator)

    def refused(**fields):
        response = api.post("/api/v1/campaigns", campaign_body(world, **fields), content_type=JSON)
        assert response.status_code == 422, response.content
        assert response["Content-Type"] == "application/problem+json"
        return response.json()["errors"]

    assert refused(end_date="2023-12-31") == [
        {"field": "year", "detail": "年度2024不在活动起止日期（2024-01-01至2023-12-31）的年份之内。"},
        {"field": "end_date", "detail": "结束日期2023-12-31早于开始日期2024-01-01。"},
    ]  # fmt: skip
    assert refused(year=2023, name="作风建设“实干年”活动", start_date="2023-01-01") == [
        {"field": "name", "detail": "本区（县）已有2023年的“作风建设“实干年”活动”。"}
    ]
    assert refused(name="") == [{"field": "name", "detail": "请填写活动名称。"}]
    assert not Campaign.objects.filter(year=2024).exists()


def test_editing_checks_the_version_and_the_phases(world, token_client):
    section, phase, spare = make_parts(world)
    api, _ = token_client(world.coordinator)
    url = f"/api/v1/campaigns/{world.campaign.pk}"
    shown = api.get(url).json()
    assert [p["name"] for p in shown["phases"]] == ["动员部署"]
    assert [s["kind_label"] for s in shown["plan_sections"]] == ["目标任务"]
    body = campaign_body(
        world, year=2023, start_date="2023-01-01", end_date="2023-12-31", version=shown["version"]
    )
    response = api.put(url, body, content_type=JSON)
    assert response.status_code == 200, response.content
    entry = AuditEntry.objects.get(record_type="campaigns.campaign", action=AuditAction.UPDATE)
    assert entry.changes["活动名称"] == ["作风建设“实干年”活动", "作风建设“提升年”活动"]
    assert response.json()["version"] == entry.pk
    stale = api.put(url, body | {"name": "又改"}, content_type=JSON)
    assert stale.status_code == 422 and stale.json()["errors"][0]["field"] == "version"
    assert "为免覆盖他人的修改" in stale.json()["detail"]
    # a phase must stay within the campaign's dates
    shrunk = api.put(
        url,
        body | {"start_date": "2023-03-01", "version": response.json()["version"]},
        content_type=JSON,
    )
    assert shrunk.status_code == 422
    assert shrunk.json()["errors"][0]["field"] == "start_date"
    assert "活动阶段“动员部署”" in shrunk.json()["detail"]
    assert Campaign.objects.get(pk=world.campaign.pk).name == "作风建设“提升年”活动"
    overlap = api.post(
        f"{url}/phases",
        {"name": "组织实施", "start_date": "2023-02-01", "end_date": "2023-06-30"},
        content_type=JSON,
    )
    assert overlap.status_code == 422 and overlap.json()["errors"][0]["field"] == "start_date"
    twice = api.post(f"{url}/plan-sections", {"kind": "goals", "body": "x"}, content_type=JSON)
    assert twice.json()["errors"] == [
        {"field": "kind", "detail": "实施方案已有“目标任务”一节，请修改该节。"}
    ]


def test_categories_as_their_page(world, token_client):
    _, _, spare = make_parts(world)
    api, _ = token_client(world.coordinator)
    url = f"/api/v1/campaigns/{world.campaign.pk}/categories"
    listed = api.get(url).json()
    assert [(c["name"], c["task_count"]) for c in listed] == [("路网体系", 2), ("备用", 0)]
    same = api.post(url, {"name": "路网体系"}, content_type=JSON)
    assert same.status_code == 422
    assert same.json()["errors"] == [
        {"field": "name", "detail": "本活动已有任务类别“路网体系”，类别名称不能重复。"}
    ]
    added = api.post(url, {"name": "招商引资"}, content_type=JSON)
    assert added.status_code == 201 and added.json()["sort_order"] == 10  # after the last
    held = api.delete(f"/api/v1/task-categories/{world.category.pk}")
    assert held.status_code == 422
    assert held.json()["errors"][0]["detail"].startswith("任务类别“路网体系”下有2项任务，不能删除")
    version = listed[0]["version"]
    renamed = api.put(
        f"/api/v1/task-categories/{world.category.pk}",
        {"name": "路网", "version": version},
        content_type=JSON,
    )
    assert renamed.status_code == 200 and renamed.json()["name"] == "路网"
    stale = api.put(
        f"/api/v1/task-categories/{world.category.pk}",
        {"name": "路网二", "version": version},
        content_type=JSON,
    )
    assert stale.status_code == 422 and stale.json()["errors"][0]["field"] == "version"
    gone = api.delete(f"/api/v1/task-categories/{spare.pk}")
    assert gone.status_code == 204 and gone.content == b""
    removed = AuditEntry.objects.get(record_type="campaigns.campaign", changes__has_key="任务类别")
    assert removed.changes == {"任务类别": ["备用", None]} and removed.actor == world.coordinator
    assert api.delete(f"/api/v1/task-categories/{spare.pk}").status_code == 404


def test_a_retried_campaign_create_with_its_key_creates_one(world, token_client):
    api, _ = token_client(world.coordinator)
    key = {"HTTP_IDEMPOTENCY_KEY": "campaign-2024-01"}
    first = api.post("/api/v1/campaigns", campaign_body(world), content_type=JSON, **key)
    again = api.post("/api/v1/campaigns", campaign_body(world), content_type=JSON, **key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert Campaign.objects.filter(year=2024).count() == 1


@pytest.mark.parametrize("parts", [1, 6])
def test_the_detail_and_the_categories_read_in_fixed_queries(
    world, token_client, django_assert_num_queries, parts
):
    """Whatever the number of sections, phases and categories: the campaign's detail in 9
    queries (the token, its person and his scope; the campaign, its sections, its phases; the
    versions of the sections, of the phases and of the campaign) and its categories in 6."""
    kinds = ["guiding_idea", "key_points", "goals", "measures", "organisation", "goals"]
    for i in range(parts):
        if i < 5:
            PlanSection.objects.create(campaign=world.campaign, kind=kinds[i], body=f"第{i}节")
        Phase.objects.create(
            campaign=world.campaign, name=f"阶段{i}",
            start_date=datetime.date(2023, 1 + i, 1), end_date=datetime.date(2023, 1 + i, 20),
        )  # fmt: skip
        TaskCategory.objects.create(campaign=world.campaign, name=f"类别{i}")
    api, _ = token_client(world.coordinator)
    url = f"/api/v1/campaigns/{world.campaign.pk}"
    api.get(url)  # the token's last use recorded (once a minute): not counted below
    with django_assert_num_queries(9):
        detail = api.get(url).json()
    assert len(detail["phases"]) == parts and all(p["version"] == 0 for p in detail["phases"])
    with django_assert_num_queries(6):
        categories = api.get(f"{url}/categories").json()
    assert len(categories) == parts + 1
