"""A village's 村委会文书 (the demo's cunbao): his unit leads no task in progress, his work is
its time-bank records — `/` opens 时间存折, not an empty 月度填报, and 基层 is in his top bar.
Every other role's landing is unchanged (orgs/tests/test_account_rules.py)."""

import pytest
from django.urls import reverse

from shigan.orgs.access import works_at_grassroots
from shigan.orgs.models import Role, Unit, UnitKind
from shigan.testing import make_task, make_user
from shigan.timebank.tests.factories import volunteer

from .test_nav import bar

pytestmark = pytest.mark.django_db


@pytest.fixture
def village(world):
    return Unit.objects.create(name="清凉村", kind=UnitKind.VILLAGE, parent=world.district)


@pytest.fixture
def clerk(village):
    user, _ = make_user("cunbao", unit=village, role=Role.REPORTER, name="黄小梅")
    return user


def _landing(client) -> str:
    return client.get("/")["Location"]


def test_a_village_clerk_with_nothing_to_file_lands_on_the_time_bank(
    world, village, clerk, client_for
):
    volunteer(world, unit=village)
    client = client_for(clerk)
    assert _landing(client) == reverse("timebank:account_list")
    main, more, current = bar(client, reverse("timebank:account_list"))
    assert main == ["工作总览", "月度填报", "挂图作战", "任务清单", "基层"]
    assert "指标" in more and "基层" not in more
    assert current == ["基层"]  # the time bank is under /grassroots/


def test_a_village_clerk_whose_unit_leads_a_task_still_lands_on_his_report(
    world, village, clerk, client_for
):
    volunteer(world, unit=village)
    make_task(campaign=world.campaign, category=world.category, unit=village, title="村道硬化")
    assert _landing(client_for(clerk)) == reverse("monthly:report")


def test_a_reporter_with_nothing_to_file_and_no_time_bank_lands_on_his_report(
    world, village, clerk, client_for
):
    assert _landing(client_for(clerk)) == reverse("monthly:report")


def test_a_bureaus_reporter_keeps_his_landing_and_bar(world, client_for):
    volunteer(world)  # 区交通局 keeps cadres' accounts too; it leads a task in progress
    client = client_for(world.reporter_a)
    assert _landing(client) == reverse("monthly:report")
    main, _, _ = bar(client)
    assert main == ["工作总览", "月度填报", "挂图作战", "任务清单", "指标"]


def test_only_a_village_or_community_reporter_works_at_grassroots(world, village, clerk):
    assert works_at_grassroots(clerk)
    community = Unit.objects.create(name="新场社区", kind=UnitKind.COMMUNITY, parent=world.district)
    resident_clerk, _ = make_user("shequ", unit=community, role=Role.REPORTER, name="社区文书")
    assert works_at_grassroots(resident_clerk)
    leader, _ = make_user("cunganbu", unit=village, role=Role.LEADER, name="村干部")
    for user in (world.reporter_a, world.coordinator, world.leader, world.inspector, leader):
        assert not works_at_grassroots(user)
