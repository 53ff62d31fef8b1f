"""The report's words (报告文字) through the API are its page (reports:narrative_edit): the
same fields prefilled with the same text, written by coordinators alone through NarrativeForm
and narrative_save (a new version for what changed, audited, the earlier kept), the page's
messages naming the field, and never a silent overwrite: a write carrying a stale `version`
is refused (422) with nothing written."""

import json
from functools import partial

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shigan.campaigns.models import Campaign
from shigan.core.editing import FIELD
from shigan.core.models import AuditEntry
from shigan.core.testing import assert_same_queries
from shigan.orgs.models import Unit, UnitKind
from shigan.reports.models import NarrativeText
from shigan.reports.services import NarrativeEntry, narrative_save
from shigan.reports.tests.test_narrative_check_pages import (  # noqa: F401
    disagreeing,
    grow_noted,
    noted,
)
from shigan.testing import make_task

JSON = "application/json"
PATH = "/api/v1/report-narrative"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def put(client, data, query=""):
    return client.put(f"{PATH}{query}", json.dumps(data), content_type=JSON)


def test_the_read_is_the_pages_form_prefilled(world, token_client, client_for):
    api, _ = token_client(world.coordinator)
    read = api.get(f"{PATH}?period=2023-07")
    assert read.status_code == 200, read.content
    page = client_for(world.coordinator).get(
        reverse("reports:narrative_edit"), {"period": "2023-07"}
    )
    form = page.context["form"]
    shown = {f["name"]: f["value"] for f in read.json()["fields"]}
    expected = {n: form.initial.get(n, "") for n in form.fields if n not in ("note", FIELD)}
    assert shown == expected
    assert read.json()["period"] == "2023-07-01" and read.json()["version"] == 0
    # The page's hidden version is the API's `version`: one rule (reports.queries).
    assert form[FIELD].value() == str(read.json()["version"])
    assert f"task_{world.task_a.pk}_title" in shown


def test_a_coordinator_writes_a_field_as_a_new_version_audited(world, token_client):
    api, _ = token_client(world.coordinator)
    read = api.get(PATH).json()
    body = {
        "version": read["version"],
        "texts": {"opening_0_body": "新的开头段。"},
        "note": "改开头",
    }
    written = put(api, body)
    assert written.status_code == 200, written.content
    version = NarrativeText.objects.get()
    assert (version.slot, version.body, version.note) == ("opening", "新的开头段。", "改开头")
    assert written.json()["version"] == version.pk
    assert {f["name"]: f["value"] for f in written.json()["fields"]}["opening_0_body"] == (
        "新的开头段。"
    )
    entry = AuditEntry.objects.get(record_type="reports.narrativetext")
    assert (entry.record_id, entry.actor_id) == (version.pk, world.coordinator.pk)
    again = put(api, body | {"version": version.pk})  # the same text: nothing new
    assert again.status_code == 200 and NarrativeText.objects.count() == 1


def test_a_stale_version_is_refused_and_nothing_written(world, token_client):
    api, _ = token_client(world.coordinator)
    seen = api.get(PATH).json()["version"]
    narrative_save(
        campaign=world.campaign, period=world.campaign.start_date.replace(month=7),
        entries=[NarrativeEntry("opening", body="他人写的开头。")], by=world.coordinator,
    )  # fmt: skip
    stale = put(api, {"version": seen, "texts": {"opening_0_body": "我的开头。"}})
    assert stale.status_code == 422, stale.content
    detail = stale.json()["detail"]
    assert detail.startswith("您读取该记录后，周专班于") and "修改了该报告（报告文字“" in detail
    assert "请重新读取详情（新的version）" in detail
    assert list(NarrativeText.objects.values_list("body", flat=True)) == ["他人写的开头。"]
    fresh = api.get(PATH).json()["version"]
    assert (
        put(api, {"version": fresh, "texts": {"opening_0_body": "我的开头。"}}).status_code == 200
    )


@pytest.mark.parametrize(
    ("body", "query", "field", "message"),
    [
        ({"texts": {"opening_0_body": "长" * 5001}}, "", "texts.opening_0_body", "5000"),
        ({"texts": {"opening_9_body": "x"}}, "", "texts.opening_9_body", "没有这个字段"),
        ({"texts": {"opening_0_body": "x"}}, "?period=2023-13", "period", "月份“2023-13”无效"),
        ({"texts": {"opening_0_body": "x"}}, "?period=2030-01", "period", "超出范围"),
        ({"restore": [1]}, "", "restore", "第1部分没有可恢复的修改"),
    ],
)
def test_bad_input_is_refused_naming_the_field(world, token_client, body, query, field, message):
    api, _ = token_client(world.coordinator)
    response = put(api, {"version": 0} | body, query)
    assert response.status_code == 422, response.content
    assert any(e["field"] == field for e in response.json()["errors"]), response.json()
    assert message in response.json()["detail"], response.json()
    assert not NarrativeText.objects.exists()


def test_each_roles_token_answers_as_the_narrative_page(world, token_client, client_for):
    other = Unit.objects.create(name="乙县党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    elsewhere = Campaign.objects.create(
        year=2023, name="乙县活动", organiser=other, start_date=world.campaign.start_date,
        end_date=world.campaign.end_date,
    )  # fmt: skip
    body = {"version": 0, "texts": {"opening_0_body": "角色写的开头。"}}
    for name, user in world.users().items():
        page, (api, _) = client_for(user), token_client(user)
        for query in ("", f"?campaign={world.campaign.pk}", f"?campaign={elsewhere.pk}"):
            shown = page.get(reverse("reports:narrative_edit") + query).status_code
            assert api.get(PATH + query).status_code == shown, (name, query)
            if shown != 200:
                assert put(api, body, query).status_code == shown, (name, query)
    missing = token_client(world.coordinator)[0].get(f"{PATH}?campaign=999999").json()
    theirs = token_client(world.coordinator)[0].get(f"{PATH}?campaign={elsewhere.pk}").json()
    assert (missing["status"], missing["detail"]) == (theirs["status"], theirs["detail"])
    read, _ = token_client(world.coordinator, scope="read")
    assert put(read, body).status_code == 403
    assert not NarrativeText.objects.exists()


def test_the_read_runs_the_same_queries_for_few_and_many_tasks(world, token_client):
    api, _ = token_client(world.coordinator)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = api.get(PATH)
        assert response.status_code == 200
        return len(response.json()["fields"]), len(queries)

    count()  # the token's first use is recorded once, not counted here
    few = count()
    for i in range(6):
        make_task(campaign=world.campaign, category=world.category, unit=world.unit_a,
                  title=f"新增任务{i}", number=100 + i)  # fmt: skip
    many = count()
    assert many[0] == few[0] + 12  # a title and a body for each task
    assert few[1] == many[1], (few, many)


CHECK = "/api/v1/report-check?as_of=2023-07-31"


def test_the_check_is_the_report_pages(disagreeing, token_client, client_for):  # noqa: F811
    world = disagreeing
    api, _ = token_client(world.coordinator)
    checked = api.get(CHECK)
    assert checked.status_code == 200, checked.content
    found = checked.json()
    bad = {(f["label"], f["stated"], f["recorded"], f["converted"]) for f in found["findings"]
           if not f["agrees"]}  # fmt: skip
    assert bad == {
        ("签订协议项目", "5个", "4个", ""),
        ("累计完成投资", "1.3亿元", "12000万元", "1.2亿元"),
    }
    assert found["disagreements"] == 2 and not found["findings"][0]["agrees"]
    signed = next(f for f in found["findings"] if f["label"] == "签订协议项目")
    assert (signed["title"], signed["author"]) == (
        "任务“招商引资”2023年7月进展",
        "王填报（区交通局）",
    )
    for name, user in world.users().items():
        page = client_for(user).get(f"/reports/?campaign={world.campaign.pk}&as_of=2023-07-31")
        answer = token_client(user)[0].get(f"{CHECK}&campaign={world.campaign.pk}")
        assert answer.status_code == page.status_code, name
    bad_date = api.get("/api/v1/report-check?as_of=2023-02-30")
    assert bad_date.status_code == 422 and bad_date.json()["errors"][0]["field"] == "as_of"
    assert api.get(f"{CHECK}&campaign=999999").status_code == 404


def test_the_check_runs_the_same_queries_for_3_and_30_of_every_record(noted, token_client):  # noqa: F811
    grow_noted(noted, 3)
    api, _ = token_client(noted.coordinator)

    def run():
        response = api.get(CHECK)
        assert response.status_code == 200
        return response.json()

    grown = assert_same_queries(run, partial(grow_noted, noted, 30, offset=100), warm_up=True)
    assert len(grown["findings"]) > 30  # the notes of every grown project and indicator
