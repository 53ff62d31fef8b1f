"""初始化 (/setup/): a coordinator is guided through organisation → people and accounts →
campaign → task list → indicators, each step with its state read from the district's records;
`/` opens it while his district has no campaign or no task."""

import datetime
import re

import pytest

from shigan.campaigns.models import Campaign
from shigan.core.testing import assert_same_queries
from shigan.indicators.models import Indicator, IndicatorYear
from shigan.orgs.models import Person, Role, Unit, UnitKind
from shigan.tasks.models import Task
from shigan.testing import make_user

URL = "/setup/"


def _steps(html: str) -> dict[str, str]:
    """Step title → 已完成 / 待完成."""
    found = re.findall(r'class="step-state">(✓ 已完成|待完成)</span> \d\. (\S+)</h2>', html)
    return {title: "已完成" if "已完成" in state else "待完成" for state, title in found}


def test_a_fresh_district_is_sent_to_the_guide_which_starts_with_the_organisation(db, client_for):
    district = Unit.objects.create(name="新区党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    user = _coordinator(district)
    client = client_for(user)
    assert client.get("/").url == URL
    html = client.get(URL).content.decode()
    assert _steps(html) == {
        "组织架构": "待完成",
        "人员与账号": "待完成",
        "活动": "待完成",
        "任务清单": "待完成",
        "指标": "待完成",
    }
    assert "下一步：<b>组织架构</b>" in html
    assert 'href="/setup/org/import/"' in html and 'href="/campaigns/new/"' in html
    assert "本区县已有1个单位、1名人员" in html


def _coordinator(unit):
    return make_user("xinqu", unit=unit, role=Role.COORDINATOR, name="新专班")[0]


def test_the_worlds_steps_read_its_records(world, client_for):
    client = client_for(world.coordinator)
    html = client.get(URL).content.decode()
    steps = _steps(html)
    assert steps["组织架构"] == steps["活动"] == steps["任务清单"] == "已完成"
    assert steps["人员与账号"] == "已完成"  # every person with a role has an account
    assert steps["指标"] == "待完成"  # no indicator yet
    assert f"当前活动共{Task.objects.filter(campaign=world.campaign).count()}项任务" in html
    indicator = Indicator.objects.create(
        name="地区生产总值", measure_unit="亿元", responsible_unit=world.unit_a
    )
    assert "已设指标1项，其中0项有2023年度目标" in client.get(URL).content.decode()
    IndicatorYear.objects.create(indicator=indicator, year=2023, annual_target=100)
    html = client.get(URL).content.decode()
    assert _steps(html)["指标"] == "已完成" and "各步骤均已完成" in html
    Person.objects.create(name="待开通", unit=world.unit_a, role=Role.REPORTER)
    html = client.get(URL).content.decode()
    assert "待开通1人" in html and _steps(html)["人员与账号"] == "待完成"


def test_with_tasks_the_coordinator_lands_on_the_battle_map(world, client_for):
    assert client_for(world.coordinator).get("/").url == "/map/"
    Task.objects.all().delete()
    assert client_for(world.coordinator).get("/").url == URL
    assert client_for(world.leader).get("/").url == "/map/cockpit/"


def test_another_districts_records_do_not_count(world, client_for):
    other = Unit.objects.create(name="乙县党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    Campaign.objects.create(
        year=2024,
        name="乙县活动",
        organiser=other,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 12, 31),
    )
    html = client_for(world.coordinator).get(URL).content.decode()
    assert "乙县" not in html and "2023年" in html


def test_only_coordinators_open_it(world, client_for):
    for user in (world.leader, world.reporter_a, world.inspector):
        assert client_for(user).get(URL).status_code == 403


@pytest.mark.parametrize("grow_by", [5])
def test_the_guide_costs_the_same_queries_for_a_bigger_district(world, client_for, grow_by):
    client = client_for(world.coordinator)

    def grow():
        for i in range(grow_by):
            unit = Unit.objects.create(
                name=f"新单位{i}", kind=UnitKind.BUREAU, parent=world.district
            )
            Person.objects.create(name=f"新人{i}", unit=unit, role=Role.REPORTER)
            Indicator.objects.create(name=f"指标{i}", measure_unit="亿元", responsible_unit=unit)

    assert_same_queries(lambda: client.get(URL), grow=grow, warm_up=True)
