"""Setting the campaign up on its pages (not the admin): the campaign, its plan sections and
phases — who may, the rules and their Chinese messages, the audit trail shown on the pages, and
the query budgets of the overview and edit pages."""

import datetime

import pytest

from shigan.campaigns.models import Campaign, Phase, PlanSection, PlanSectionKind
from shigan.core.models import AuditAction, AuditEntry
from shigan.core.testing import assert_same_queries, get_page
from shigan.orgs.models import Unit, UnitKind
from shigan.testing import make_user

D = datetime.date


def campaign_post(world, **overrides) -> dict:
    data = {
        "year": "2024",
        "name": "作风建设“落实年”活动",
        "slogan": "真抓实干",
        "organiser": world.district.pk,
        "leading_group": "",
        "start_date": "2024-01-01",
        "end_date": "2024-12-31",
    }
    return data | overrides


def phase(world, name, start, end) -> Phase:
    return Phase.objects.create(campaign=world.campaign, name=name, start_date=start, end_date=end)


def errors_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_coordinator_creates_a_campaign_audited_and_shown_in_its_history(world, client_for):
    client = client_for(world.coordinator)
    response = client.post("/campaigns/new/", campaign_post(world))
    campaign = Campaign.objects.get(year=2024)
    assert response.status_code == 302 and response["Location"] == f"/campaigns/{campaign.pk}/"
    assert campaign.organiser == world.district and campaign.slogan == "真抓实干"
    entry = AuditEntry.objects.get(record_type="campaigns.campaign", record_id=campaign.pk)
    assert entry.action == AuditAction.CREATE and entry.actor == world.coordinator
    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "历史记录" in page and "周专班" in page and "作风建设“落实年”活动" in page
    assert f'href="/campaigns/{campaign.pk}/edit/"' in page


def test_campaign_list_offers_new_campaign_to_a_coordinator_only(world, client_for):
    page = client_for(world.coordinator).get("/campaigns/").content.decode()
    assert 'href="/campaigns/new/"' in page
    assert client_for(world.leader).get("/campaigns/").status_code == 302
    assert client_for(world.leader).post("/campaigns/new/", campaign_post(world)).status_code == 403


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"end_date": "2023-12-31"}, "结束日期2023-12-31早于开始日期2024-01-01。"),
        ({"end_date": "9999-12-31"}, "“9999-12-31”超出允许的年份范围"),
        ({"start_date": "2024-02-30"}, "开始日期"),
        ({"year": "2030"}, "年度2030不在活动起止日期"),
        ({"year": "²⁰²⁴"}, "年度"),
        ({"name": "   "}, "请填写活动名称。"),
        ({"organiser": "99999999"}, "所选主办单位不是本区（县）的单位"),
    ],
)
def test_bad_campaign_input_is_named_and_nothing_is_saved(world, client_for, overrides, message):
    response = client_for(world.coordinator).post(
        "/campaigns/new/", campaign_post(world, **overrides)
    )
    assert message in errors_of(response)
    assert not Campaign.objects.filter(year=2024).exists()


def test_organiser_of_another_district_is_refused(world, client_for):
    other = Unit.objects.create(name="邻区党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    response = client_for(world.coordinator).post(
        "/campaigns/new/", campaign_post(world, organiser=other.pk)
    )
    assert "所选主办单位不是本区（县）的单位" in errors_of(response)


def test_same_year_and_name_in_the_district_is_refused(world, client_for):
    data = campaign_post(world, year="2023", name=world.campaign.name)
    data |= {"start_date": "2023-01-01", "end_date": "2023-12-31"}
    response = client_for(world.coordinator).post("/campaigns/new/", data)
    assert "本区（县）已有2023年的“作风建设“实干年”活动”" in errors_of(response)


def test_script_in_a_campaign_name_is_shown_escaped(world, client_for):
    client = client_for(world.coordinator)
    client.post("/campaigns/new/", campaign_post(world, name="<script>alert(1)</script>"))
    campaign = Campaign.objects.get(year=2024)
    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_editing_the_campaign_is_audited_with_before_and_after(world, client_for):
    client = client_for(world.coordinator)
    url = f"/campaigns/{world.campaign.pk}/edit/"
    data = campaign_post(world, year="2023", name="作风建设“实干年”活动", slogan="新口号")
    data |= {"start_date": "2023-01-01", "end_date": "2023-12-31"}
    assert client.post(url, data).status_code == 302
    entry = AuditEntry.objects.get(record_type="campaigns.campaign", action=AuditAction.UPDATE)
    assert entry.changes == {"口号": ["跑好第一棒、实干开新局", "新口号"]}
    assert "新口号" in client.get(url).content.decode()  # its history on the edit page


def test_campaign_dates_may_not_leave_a_phase_outside(world, client_for):
    phase(world, "总结提升", D(2023, 12, 1), D(2023, 12, 31))
    data = campaign_post(world, year="2023", name=world.campaign.name)
    data |= {"start_date": "2023-01-01", "end_date": "2023-11-30"}
    response = client_for(world.coordinator).post(f"/campaigns/{world.campaign.pk}/edit/", data)
    assert "活动阶段“总结提升”（2023-12-01至2023-12-31）将超出新的起止日期" in errors_of(response)
    world.campaign.refresh_from_db()
    assert world.campaign.end_date == D(2023, 12, 31)


@pytest.mark.parametrize("who", ["leader", "reporter_a", "inspector"])
def test_readers_may_not_change_the_campaign_or_its_parts(world, client_for, who):
    section = PlanSection.objects.create(campaign=world.campaign, kind="goals", body="目标")
    one = phase(world, "动员部署", D(2023, 2, 1), D(2023, 2, 28))
    client = client_for(world.users()[who])
    pk = world.campaign.pk
    for url in [
        f"/campaigns/{pk}/edit/",
        f"/campaigns/{pk}/phases/new/",
        f"/campaigns/{pk}/sections/new/",
        f"/campaigns/phases/{one.pk}/edit/",
        f"/campaigns/phases/{one.pk}/delete/",
        f"/campaigns/sections/{section.pk}/delete/",
    ]:
        assert client.post(url, {"name": "x", "body": "x"}).status_code == 403, url
    assert Phase.objects.filter(pk=one.pk).exists() and PlanSection.objects.filter(pk=section.pk)
    page = client.get(f"/campaigns/{pk}/").content.decode()
    assert "/edit/" not in page and "添加阶段" not in page


def test_a_coordinator_of_another_district_does_not_find_the_campaign(world, client_for):
    other = Unit.objects.create(name="邻区党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    stranger, _ = make_user("stranger", unit=other, role="coordinator", name="外区专班")
    one = phase(world, "动员部署", D(2023, 2, 1), D(2023, 2, 28))
    client = client_for(stranger)
    assert client.get(f"/campaigns/{world.campaign.pk}/edit/").status_code == 404
    assert client.post(f"/campaigns/phases/{one.pk}/delete/").status_code == 404
    assert Phase.objects.filter(pk=one.pk).exists()


# --- phases ----------------------------------------------------------------------------------


def phase_post(name="动员部署", start="2023-02-01", end="2023-02-28") -> dict:
    return {"name": name, "start_date": start, "end_date": end}


def test_phases_are_added_in_date_order_and_shown_so(world, client_for):
    client = client_for(world.coordinator)
    url = f"/campaigns/{world.campaign.pk}/phases/new/"
    assert client.post(url, phase_post("组织实施", "2023-03-01", "2023-11-30")).status_code == 302
    assert client.post(url, phase_post("动员部署", "2023-02-01", "2023-02-28")).status_code == 302
    page = client.get(f"/campaigns/{world.campaign.pk}/").content.decode()
    table = page[page.index("<h2>活动阶段</h2>") :]
    assert table.index("动员部署") < table.index("组织实施")
    assert list(world.campaign.phases.values_list("name", flat=True)) == ["动员部署", "组织实施"]


@pytest.mark.parametrize(
    "data, message",
    [
        (phase_post(end="2023-01-31"), "结束日期2023-01-31早于开始日期2023-02-01。"),
        (phase_post(start="2022-12-01"), "不在活动起止日期（2023-01-01至2023-12-31）之内"),
        (
            phase_post(start="2023-02-15", end="2023-03-15"),
            "与“组织实施”（2023-03-01至2023-11-30）重叠",
        ),
        (
            phase_post(name="组织实施", start="2023-12-01", end="2023-12-31"),
            "本活动已有“组织实施”阶段",
        ),
        (phase_post(start="2023-13-01"), "开始日期"),
        (phase_post(name=""), "请填写阶段名称。"),
    ],
)
def test_bad_phases_are_refused_with_a_message(world, client_for, data, message):
    phase(world, "组织实施", D(2023, 3, 1), D(2023, 11, 30))
    response = client_for(world.coordinator).post(
        f"/campaigns/{world.campaign.pk}/phases/new/", data
    )
    assert message in errors_of(response)
    assert world.campaign.phases.count() == 1


def test_editing_a_phase_may_keep_its_own_dates(world, client_for):
    one = phase(world, "动员部署", D(2023, 2, 1), D(2023, 2, 28))
    client = client_for(world.coordinator)
    response = client.post(f"/campaigns/phases/{one.pk}/edit/", phase_post("动员部署阶段"))
    assert response.status_code == 302
    one.refresh_from_db()
    assert one.name == "动员部署阶段"
    entry = AuditEntry.objects.get(record_type="campaigns.phase", record_id=one.pk)
    assert entry.changes == {"阶段": ["动员部署", "动员部署阶段"]}


def test_deleting_a_phase_asks_first_and_stays_in_the_campaign_history(world, client_for):
    one = phase(world, "动员部署", D(2023, 2, 1), D(2023, 2, 28))
    client = client_for(world.coordinator)
    url = f"/campaigns/phases/{one.pk}/delete/"
    confirm = client.get(url).content.decode()
    assert "确认删除" in confirm and Phase.objects.filter(pk=one.pk).exists()
    assert client.post(url).status_code == 302
    assert not Phase.objects.filter(pk=one.pk).exists()
    assert AuditEntry.objects.filter(
        record_type="campaigns.phase", record_id=one.pk, action=AuditAction.DELETE
    ).exists()
    page = client.get(f"/campaigns/{world.campaign.pk}/").content.decode()
    assert "删除活动阶段“动员部署（2023-02-01至2023-02-28）”" in page
    assert client.get(url).status_code == 404


# --- plan sections ---------------------------------------------------------------------------


def test_plan_sections_are_added_edited_and_deleted_with_history(world, client_for):
    client = client_for(world.coordinator)
    pk = world.campaign.pk
    response = client.post(f"/campaigns/{pk}/sections/new/", {"kind": "goals", "body": "目标一"})
    assert response.status_code == 302
    section = PlanSection.objects.get(campaign=world.campaign, kind=PlanSectionKind.GOALS)
    again = client.post(f"/campaigns/{pk}/sections/new/", {"kind": "goals", "body": "目标二"})
    assert "实施方案已有“目标任务”一节，请修改该节。" in errors_of(again)
    edit = client.post(f"/campaigns/sections/{section.pk}/edit/", {"body": "目标一（修订）"})
    assert edit.status_code == 302
    section.refresh_from_db()
    assert section.body == "目标一（修订）"
    assert (
        "目标一（修订）" in client.get(f"/campaigns/sections/{section.pk}/edit/").content.decode()
    )
    assert client.post(f"/campaigns/sections/{section.pk}/delete/").status_code == 302
    page = client.get(f"/campaigns/{pk}/").content.decode()
    assert "删除实施方案章节“目标任务”" in page and "尚未填写实施方案" in page


def test_a_section_without_text_is_refused(world, client_for):
    response = client_for(world.coordinator).post(
        f"/campaigns/{world.campaign.pk}/sections/new/", {"kind": "goals", "body": "  "}
    )
    assert "请填写内容。" in errors_of(response)
    assert not PlanSection.objects.exists()


# --- query budgets ---------------------------------------------------------------------------


def test_overview_queries_do_not_grow_with_phases_sections_or_history(world, client_for):
    client = client_for(world.coordinator)
    run = get_page(client, f"/campaigns/{world.campaign.pk}/")

    def grow():
        for month in range(2, 12):
            client.post(
                f"/campaigns/{world.campaign.pk}/phases/new/",
                phase_post(f"阶段{month}", f"2023-{month:02d}-01", f"2023-{month:02d}-20"),
            )
        for kind in PlanSectionKind:
            client.post(
                f"/campaigns/{world.campaign.pk}/sections/new/", {"kind": kind, "body": "内容"}
            )

    assert_same_queries(run, grow, warm_up=True)
    assert world.campaign.phases.count() == 10


def test_phase_edit_page_queries_do_not_grow_with_its_history(world, client_for):
    one = phase(world, "动员部署", D(2023, 2, 1), D(2023, 2, 28))
    client = client_for(world.coordinator)
    run = get_page(client, f"/campaigns/phases/{one.pk}/edit/")

    def grow():
        for day in range(1, 11):
            client.post(f"/campaigns/phases/{one.pk}/edit/", phase_post(f"动员部署{day}"))

    assert_same_queries(run, grow, at_most=12, warm_up=True)
