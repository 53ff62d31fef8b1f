"""任务类别 pages: a coordinator adds, renames, reorders and deletes a campaign's categories; a
category with tasks stays (the page says why); every change is audited and shown; readers may
not; the list's query count does not grow with categories or tasks."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from shigan.campaigns.models import Campaign
from shigan.core.models import AuditAction, AuditEntry
from shigan.core.testing import assert_same_queries, get_page
from shigan.orgs.models import Unit, UnitKind
from shigan.tasks.access import can_manage_categories, get_category_for_user
from shigan.tasks.models import TaskCategory
from shigan.testing import make_task, make_user
from shigan.tests.personas import all_personas, answers, only

LIST = "/tasks/categories/"


def add(client, campaign, name, sort_order=""):
    return client.post(LIST, {"campaign": campaign.pk, "name": name, "sort_order": sort_order})


def test_coordinator_adds_a_category_last_and_sees_it_with_its_history(world, client_for):
    client = client_for(world.coordinator)
    response = add(client, world.campaign, "招商引资")
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?campaign={world.campaign.pk}"
    category = TaskCategory.objects.get(name="招商引资")
    assert category.sort_order == world.category.sort_order + 1
    entry = AuditEntry.objects.get(record_type="tasks.taskcategory", record_id=category.pk)
    assert entry.action == AuditAction.CREATE and entry.actor == world.coordinator
    page = client.get(f"{LIST}?campaign={world.campaign.pk}").content.decode()
    assert "招商引资" in page and "历史记录" in page and "周专班" in page


def test_the_campaign_page_links_to_categories_for_a_coordinator(world, client_for):
    page = client_for(world.coordinator).get(f"/campaigns/{world.campaign.pk}/").content.decode()
    assert f'href="/tasks/categories/?campaign={world.campaign.pk}"' in page


@pytest.mark.parametrize(
    "name, sort_order, message",
    [
        ("路网体系", "", "本活动已有任务类别“路网体系”，类别名称不能重复。"),
        (" 路网体系 ", "", "本活动已有任务类别“路网体系”"),
        ("   ", "", "请填写类别名称。"),
        ("类" * 51, "", "类别名称最多50个字。"),
        ("新类别", "-1", "排序应为0—9999的整数。"),
        ("新类别", "³", "排序"),
    ],
)
def test_bad_category_input_is_refused_with_a_message(world, client_for, name, sort_order, message):
    response = add(client_for(world.coordinator), world.campaign, name, sort_order)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert TaskCategory.objects.count() == 1


def test_same_name_in_another_campaign_is_fine(world, client_for):
    other = Campaign.objects.create(
        year=2024, name="2024活动", organiser=world.district,
        start_date=world.campaign.start_date.replace(year=2024),
        end_date=world.campaign.end_date.replace(year=2024),
    )  # fmt: skip
    assert add(client_for(world.coordinator), other, "路网体系").status_code == 302


def test_script_in_a_category_name_is_shown_escaped(world, client_for):
    client = client_for(world.coordinator)
    add(client, world.campaign, "<script>alert(1)</script>")
    page = client.get(f"{LIST}?campaign={world.campaign.pk}").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_renaming_keeps_the_tasks_and_is_audited(world, client_for):
    client = client_for(world.coordinator)
    url = f"/tasks/categories/{world.category.pk}/edit/"
    assert client.post(url, {"name": "全面完善路网体系", "sort_order": "3"}).status_code == 302
    world.category.refresh_from_db()
    assert world.category.name == "全面完善路网体系" and world.category.sort_order == 3
    assert world.category.tasks.count() == 2
    entry = AuditEntry.objects.get(record_type="tasks.taskcategory", action=AuditAction.UPDATE)
    assert entry.changes["类别"] == ["路网体系", "全面完善路网体系"]
    assert "全面完善路网体系" in client.get(url).content.decode()


def test_renaming_to_a_sibling_name_is_refused(world, client_for):
    client = client_for(world.coordinator)
    add(client, world.campaign, "招商引资")
    response = client.post(f"/tasks/categories/{world.category.pk}/edit/", {"name": "招商引资"})
    assert "本活动已有任务类别“招商引资”" in response.content.decode()
    world.category.refresh_from_db()
    assert world.category.name == "路网体系"


def test_a_category_with_tasks_is_not_deleted_and_the_page_says_why(world, client_for):
    client = client_for(world.coordinator)
    url = f"/tasks/categories/{world.category.pk}/delete/"
    for response in [client.get(url), client.post(url)]:
        assert response.status_code == 200
        assert "任务类别“路网体系”下有2项任务，不能删除" in response.content.decode()
    assert TaskCategory.objects.filter(pk=world.category.pk).exists()
    assert not AuditEntry.objects.filter(action=AuditAction.DELETE).exists()


def test_an_empty_category_is_deleted_after_confirmation_and_stays_in_history(world, client_for):
    client = client_for(world.coordinator)
    add(client, world.campaign, "流域生态")
    category = TaskCategory.objects.get(name="流域生态")
    url = f"/tasks/categories/{category.pk}/delete/"
    assert "确认删除" in client.get(url).content.decode()
    assert TaskCategory.objects.filter(pk=category.pk).exists()
    assert client.post(url).status_code == 302
    assert not TaskCategory.objects.filter(pk=category.pk).exists()
    page = client.get(f"{LIST}?campaign={world.campaign.pk}").content.decode()
    assert "删除任务类别“流域生态”" in page
    campaign_page = client.get(f"/campaigns/{world.campaign.pk}/").content.decode()
    assert "删除任务类别“流域生态”" in campaign_page


@pytest.mark.parametrize("who", ["leader", "reporter_a", "reporter_b", "inspector"])
def test_readers_may_not_change_categories(world, client_for, who):
    client = client_for(world.users()[who])
    assert client.get(LIST).status_code == 403
    assert add(client, world.campaign, "新类别").status_code == 403
    pk = world.category.pk
    assert client.post(f"/tasks/categories/{pk}/edit/", {"name": "改名"}).status_code == 403
    assert client.post(f"/tasks/categories/{pk}/delete/").status_code == 403
    assert TaskCategory.objects.get(pk=pk).name == "路网体系"


def test_another_districts_coordinator_finds_no_category(world, client_for):
    other = Unit.objects.create(name="邻区党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    stranger, _ = make_user("stranger", unit=other, role="coordinator", name="外区专班")
    client = client_for(stranger)
    assert client.get(f"/tasks/categories/{world.category.pk}/edit/").status_code == 404
    assert client.get(f"{LIST}?campaign={world.campaign.pk}").status_code == 404


def test_category_list_queries_do_not_grow(world, client_for):
    client = client_for(world.coordinator)
    run = get_page(client, f"{LIST}?campaign={world.campaign.pk}")

    def grow():
        for i in range(8):
            add(client, world.campaign, f"类别{i}")
            category = TaskCategory.objects.get(name=f"类别{i}")
            make_task(
                campaign=world.campaign, category=category, unit=world.unit_a, title=f"任务{i}"
            )

    assert_same_queries(run, grow, at_most=12, warm_up=True)


def test_category_edit_page_queries_do_not_grow_with_history(world, client_for):
    client = client_for(world.coordinator)
    url = f"/tasks/categories/{world.category.pk}/edit/"
    run = get_page(client, url)

    def grow():
        for i in range(6):
            client.post(url, {"name": f"路网体系{i}"})

    assert_same_queries(run, grow, at_most=12, warm_up=True)


# --- access -----------------------------------------------------------------------------------


def test_can_manage_categories(world):
    users = all_personas(world)
    assert answers(users, lambda u: can_manage_categories(u, world.campaign)) == only("coordinator")


def test_get_category_for_user(world):
    users = all_personas(world)

    def ask(user):
        try:
            get_category_for_user(user, world.category.pk)
        except Http404:
            return 404
        except PermissionDenied:
            return 403
        return 200

    readers = ("leader", "reporter_a", "reporter_b", "inspector")
    assert answers(users, ask) == only(*readers, yes=403, no=404) | {"coordinator": 200}
    for pk in [987654, "abc", None]:
        with pytest.raises(Http404):
            get_category_for_user(users["coordinator"], pk)
