"""The reception rota: 未开展 from the day after a day not held, the day's concerns, the rules
of a day's entry."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shigan.core.testing import assert_same_queries
from shigan.grassroots.models import Concern, ConcernCategory, ConcernSource, ReceptionDay
from shigan.grassroots.queries.reception import is_missed
from shigan.grassroots.services.concerns import ConcernInput, concern_create
from shigan.grassroots.services.reception import reception_day_save

D = datetime.date


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


DAY = D(2023, 7, 5)


def make_day(world, date=DAY, **kwargs):
    values = {"place": "区信访局"} | kwargs
    return ReceptionDay.objects.create(
        campaign=world.campaign, date=date, leader=world.leader_person, **values
    )


def test_a_day_not_held_is_missed_from_the_day_after():
    day = ReceptionDay(date=D(2023, 7, 20), held=False)
    assert not is_missed(day, D(2023, 7, 20))
    assert is_missed(day, D(2023, 7, 21))
    assert not is_missed(ReceptionDay(date=D(2023, 7, 20), held=True), D(2023, 7, 21))


def test_the_rota_shows_missed_days_in_red(world, client_for):
    make_day(world, date=D(2023, 7, 19))
    make_day(world, date=D(2023, 7, 20))
    page = client_for(world.reporter_b).get(reverse("grassroots:reception_list")).content.decode()
    assert page.count('<span class="error">未开展</span>') == 1
    assert "待开展" in page


def test_the_day_lists_its_concerns(world, client_for):
    day = make_day(world)
    category = ConcernCategory.objects.create(
        district=world.district, name="城建", time_limit_workdays=5
    )
    for number, unit in [("R1", world.unit_a), ("R2", world.unit_b)]:
        Concern.objects.create(
            campaign=world.campaign, number=number, source=ConcernSource.RECEPTION,
            category=category, reception_day=day, requester_name="张三",
            requester_phone="13812341234", content=f"{number}路灯不亮",
            received_on=D(2023, 7, 5), due_on=D(2023, 7, 12), assigned_unit=unit,
        )  # fmt: skip
    url = reverse("grassroots:reception_detail", args=[day.pk])
    page = client_for(world.coordinator).get(url).content.decode()
    assert "R1路灯不亮" in page and "R2路灯不亮" in page and "13812341234" not in page
    page = client_for(world.reporter_a).get(url).content.decode()
    assert "R1路灯不亮" in page and "R2路灯不亮" not in page


def test_the_rota_reads_in_fixed_queries(world, client_for):
    client = client_for(world.coordinator)
    url = reverse("grassroots:reception_list")
    make_day(world)

    def grow():
        for n in range(1, 6):
            make_day(world, date=D(2023, 6, n), held=n % 2 == 0, visitors=n % 2 * 0)

    assert_same_queries(lambda: client.get(url), grow, warm_up=True)


def test_a_coordinator_adds_and_marks_a_day_held(world, client_for):
    client = client_for(world.coordinator)
    data = {"date": "2023-07-12", "leader": world.leader_person.pk, "place": "区信访局"}
    assert client.post(reverse("grassroots:reception_create"), data).status_code == 302
    day = ReceptionDay.objects.get()
    edit = reverse("grassroots:reception_edit", args=[day.pk])
    response = client.post(edit, data | {"held": "on", "visitors": "7", "note": "接待 7 人次"})
    assert response.status_code == 302
    day.refresh_from_db()
    assert day.held and day.visitors == 7


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"date": "2023-08-01", "held": "on"}, "还未到，不能登记为已开展"),
        ({"visitors": "3"}, "未开展的接待日不能登记接待人次"),
        ({"visitors": "-1"}, "确保该值大于或等于0"),
        ({"visitors": "三"}, "接待群众（人次）"),
        ({"visitors": "3000000000", "held": "on"}, "确保该值小于或等于1000000"),
        ({"date": "2023-02-30"}, "接待日期"),
        ({"place": ""}, "这个字段是必填项"),
        ({"leader": "999999"}, "人员不存在"),
    ],
)
def test_bad_input_on_a_day_is_named(world, client_for, change, message):
    data = {"date": "2023-07-12", "leader": world.leader_person.pk, "place": "区信访局"} | change
    response = client_for(world.coordinator).post(reverse("grassroots:reception_create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReceptionDay.objects.exists()


def test_a_leader_receives_once_a_day(world):
    make_day(world)
    with pytest.raises(ValidationError) as e:
        reception_day_save(
            day=None, campaign=world.campaign, by=world.coordinator, date=D(2023, 7, 5),
            leader=world.leader_person, place="另一处",
        )  # fmt: skip
    assert "已有接待安排" in str(e.value)


def test_the_days_page_reads_in_fixed_queries(world, client_for):
    day = make_day(world)
    category = ConcernCategory.objects.create(
        district=world.district, name="城建", time_limit_workdays=5
    )
    client = client_for(world.coordinator)
    url = reverse("grassroots:reception_detail", args=[day.pk])

    def grow():
        for n in range(5):
            Concern.objects.create(
                campaign=world.campaign, number=f"G{n}", source=ConcernSource.RECEPTION,
                category=category, reception_day=day, requester_name="张三", content="诉求",
                received_on=D(2023, 7, 5), due_on=D(2023, 7, 12), assigned_unit=world.unit_a,
            )  # fmt: skip

    assert_same_queries(lambda: client.get(url), grow, warm_up=True)


def test_hostile_text_on_the_rota_is_escaped(world, client_for):
    day = make_day(world, place="<img src=x onerror=alert(1)>")
    page = client_for(world.coordinator).get(reverse("grassroots:reception_detail", args=[day.pk]))
    assert b"<img src=x" not in page.content


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"received_on": "2023-07-06"},
            "所选接待日为2023-07-05：接待日收到的诉求，受理日期即接待日",
        ),
        ({"source": "hotline"}, "只有来源为信访接待日的诉求才选择接待日"),
    ],
)
def test_a_concern_of_a_reception_day_is_received_that_day(world, client_for, change, message):
    day = make_day(world, date=D(2023, 7, 5))
    category = ConcernCategory.objects.create(
        district=world.district, name="城建", time_limit_workdays=5
    )
    data = {
        "source": "reception", "received_on": "2023-07-05", "reception_day": day.pk,
        "kind": "request", "category": category.pk, "requester_name": "张三", "content": "路灯",
    } | change  # fmt: skip
    client = client_for(world.coordinator)
    page = client.post(reverse("grassroots:concern_create"), data)
    assert page.status_code == 200 and message in page.content.decode()
    assert not Concern.objects.exists()
    good = {**data, "received_on": "2023-07-05", "source": "reception"}
    assert client.post(reverse("grassroots:concern_create"), good).status_code == 302
    assert Concern.objects.get().reception_day == day


def test_the_service_refuses_a_reception_concern_received_another_day(world):
    day = make_day(world, date=D(2023, 7, 5))
    category = ConcernCategory.objects.create(
        district=world.district, name="城建", time_limit_workdays=5
    )
    item = ConcernInput(kind="request", category=category, requester_name="张三", content="路灯")
    with pytest.raises(ValidationError, match="与所选接待日2023-07-05不符"):
        concern_create(campaign=world.campaign, item=item, by=world.coordinator,
                       source=ConcernSource.RECEPTION, received_on=D(2023, 7, 6),
                       reception_day=day)  # fmt: skip
    assert not Concern.objects.exists()
