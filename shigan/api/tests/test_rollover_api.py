"""The year's rollover (结转到下一年) through the API is its page: the preview lists what would
be copied and the items that may be carried (writing nothing), the rollover goes through
NextYearForm and campaign_rollover — all or nothing, audited, the page's messages — and a
second rollover of the campaign, or a retried one, creates no second next-year campaign."""

import json

import pytest

from shigan.campaigns.models import Campaign
from shigan.core.models import AuditEntry
from shigan.core.testing import assert_same_queries
from shigan.orgs.models import Unit, UnitKind
from shigan.rollover.tests.test_rollover import D, old_year_rows, url, year  # noqa: F401
from shigan.tasks.models import Task, TaskCategory, TaskState
from shigan.testing import make_task

JSON = "application/json"
NAME = "作风建设“实干年”活动"


def path(campaign) -> str:
    return f"/api/v1/campaigns/{campaign.pk}/rollover"


def body(**extra) -> dict:
    data = {"year": 2024, "name": NAME, "start_date": "2024-01-01", "end_date": "2024-12-31"}
    return data | extra


def carry_a_and_decision(year) -> list[dict]:  # noqa: F811
    return [
        {"task": year.task_a.pk, "reason": "跨年度工程，2024年继续推进"},
        {"task": year.decision_task.pk, "reason": "议定事项尚未办结"},
    ]


def post(client, campaign, data, **headers):
    return client.post(path(campaign), json.dumps(data), content_type=JSON, **headers)


def test_the_preview_shows_the_copy_and_the_items_and_writes_nothing(year, token_client):  # noqa: F811
    api, _ = token_client(year.coordinator)
    before = old_year_rows(year.campaign)
    audit = AuditEntry.objects.count()
    preview = api.get(f"/api/v1/campaigns/{year.campaign.pk}/rollover?carry={year.task_a.pk}")
    assert preview.status_code == 200, preview.content
    shown = preview.json()
    assert shown["next"] == {
        "year": 2024, "name": NAME, "start_date": "2024-01-01", "end_date": "2024-12-31"
    }  # fmt: skip
    assert [(p["name"], p["start_date"]) for p in shown["phases"]] == [
        ("动员部署", "2024-02-01"), ("组织实施", "2024-03-01")
    ]  # fmt: skip
    assert shown["plan_sections"] == ["目标任务"]
    assert shown["meeting_series"][0]["active_from"] == "2024-02-01"
    titles = {c["title"]: c for c in shown["candidates"]}
    assert "已办结任务" not in titles and titles[year.task_a.title]["carry"] is True
    assert titles[year.task_b.title]["carry"] is False
    assert shown["errors"] == {}
    assert old_year_rows(year.campaign) == before and AuditEntry.objects.count() == audit
    refused = api.get(f"{path(year.campaign)}?year=2023&start_date=2023-01-01")
    assert refused.json()["errors"]["year"] == "下一年度应晚于本活动的年度2023，而不是2023。"


def test_the_rollover_creates_next_year_audited_and_leaves_the_old_one(year, token_client):  # noqa: F811
    api, _ = token_client(year.coordinator)
    before = old_year_rows(year.campaign)
    made = post(api, year.campaign, body(carry=carry_a_and_decision(year)))
    assert made.status_code == 201, made.content
    new = Campaign.objects.get(year=2024)
    assert made.json() == {
        "campaign": {
            "id": new.pk, "year": 2024, "name": NAME, "slogan": year.campaign.slogan,
            "organiser_id": year.district.pk, "start_date": "2024-01-01",
            "end_date": "2024-12-31",
        },
        "carried": 2,
    }  # fmt: skip
    carried = Task.objects.filter(campaign=new)
    assert {t.carried_from_id for t in carried} == {year.task_a.pk, year.decision_task.pk}
    assert AuditEntry.objects.filter(record_type="campaigns.campaign", record_id=new.pk).exists()
    assert old_year_rows(year.campaign) == before


def test_a_second_rollover_and_a_retry_create_no_second_campaign(year, token_client):  # noqa: F811
    api, _ = token_client(year.coordinator)
    key = {"HTTP_IDEMPOTENCY_KEY": "rollover-2024"}
    first = post(api, year.campaign, body(carry=carry_a_and_decision(year)), **key)
    again = post(api, year.campaign, body(carry=carry_a_and_decision(year)), **key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true" and again.content == first.content
    counts = (Campaign.objects.count(), Task.objects.count())
    second = post(api, year.campaign, body(carry=[{"task": year.task_b.pk, "reason": "再次结转"}]))
    assert second.status_code == 422, second.content
    assert f"本区（县）已有2024年的“{NAME}”，不能再次结转" in second.json()["detail"]
    assert [e["field"] for e in second.json()["errors"]] == ["name"]
    assert (Campaign.objects.count(), Task.objects.count()) == counts
    preview = api.get(path(year.campaign)).json()
    assert {c["task_id"] for c in preview["candidates"]} == {year.task_b.pk}  # carried: gone
    assert "不能再次结转" in preview["errors"]["name"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"end_date": "2023-12-01"}, "end_date", "早于开始日期"),
        ({"year": 2023, "start_date": "2023-01-01"}, "year", "下一年度应晚于本活动的年度2023"),
        ({"name": "  "}, "name", "请填写活动名称"),
        ({"start_date": "2024-02-30"}, "start_date", "开始日期"),
        ({"year": 3000}, "year", "年度应在1990—2100之间"),
    ],
)
def test_bad_input_is_refused_with_the_pages_message(year, token_client, change, field, message):  # noqa: F811
    api, _ = token_client(year.coordinator)
    response = post(api, year.campaign, body(**change))
    assert response.status_code == 422, response.content
    assert any(e["field"] == field for e in response.json()["errors"]), response.json()
    assert message in response.json()["detail"], response.json()
    assert Campaign.objects.count() == 1


def test_an_item_without_a_reason_or_finished_is_refused_naming_it(year, token_client):  # noqa: F811
    api, _ = token_client(year.coordinator)
    blank = post(api, year.campaign, body(carry=[{"task": year.task_b.pk, "reason": " "}]))
    assert blank.status_code == 422
    assert blank.json()["errors"] == [
        {"field": "carry[0].reason", "detail": f"请填写“{year.task_b.title}”的结转理由。"}
    ]
    Task.objects.filter(pk=year.task_b.pk).update(state=TaskState.COMPLETED)
    done = post(api, year.campaign, body(carry=[{"task": year.task_b.pk, "reason": "理由"}]))
    assert done.status_code == 422
    assert f"以下事项不能结转：#{year.task_b.pk} “清凉河治理二期”已办结" in done.json()["detail"]
    twice = [{"task": year.task_a.pk, "reason": "甲"}, {"task": year.task_a.pk, "reason": "乙"}]
    assert post(api, year.campaign, body(carry=twice)).status_code == 422
    unknown = post(api, year.campaign, body(confirm=True))
    assert unknown.status_code == 422
    assert Campaign.objects.count() == 1


def test_each_roles_token_answers_as_the_rollover_page(year, token_client, client_for):  # noqa: F811
    other = Unit.objects.create(name="乙县党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    elsewhere = Campaign.objects.create(
        year=2023, name="乙县活动", organiser=other, start_date=D(2023, 1, 1),
        end_date=D(2023, 12, 31),
    )  # fmt: skip
    for name, user in year.users().items():
        page, (api, _) = client_for(user), token_client(user)
        for campaign in (year.campaign, elsewhere):
            shown = page.get(url(campaign)).status_code
            assert api.get(path(campaign)).status_code == shown, (name, campaign)
            if shown != 200:
                refused = post(api, campaign, body(name=f"{name}的活动"))
                assert refused.status_code == shown, (name, refused.content)
    assert (
        api.get(path(elsewhere)).json()["detail"]
        == api.get("/api/v1/campaigns/999999/rollover").json()["detail"]
    )
    read, _ = token_client(year.coordinator, scope="read")
    assert post(read, year.campaign, body()).status_code == 403
    assert Campaign.objects.filter(year=2024).count() == 0


def test_the_preview_runs_the_same_queries_with_more_items(year, token_client):  # noqa: F811
    api, _ = token_client(year.coordinator)

    def run():
        ids = year.campaign.tasks.filter(state="active").values_list("pk", flat=True)
        carry = "&".join(f"carry={pk}" for pk in ids)
        response = api.get(f"{path(year.campaign)}?{carry}")
        assert response.status_code == 200 and response.json()["candidates"]

    def grow():
        category = TaskCategory.objects.create(campaign=year.campaign, name="招商引资")
        for i in range(15):
            task = make_task(
                campaign=year.campaign, category=category, unit=year.unit_b,
                title=f"新增任务{i}",
                milestones=[("节点", D(2023, 6, 30), None), ("节点二", D(2023, 9, 30), None)],
            )  # fmt: skip
            task.supporting_units.add(year.unit_a)

    assert_same_queries(run, grow, warm_up=True)
