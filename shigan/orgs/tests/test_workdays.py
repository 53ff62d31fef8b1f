"""工作日历: a district's overrides of the national working-day calendar — counted for that
district only, loaded one query per year, kept up by its coordinators on /setup/workdays/ (each
change audited with its reason and shown in the history), refused with a Chinese message when
wrong, never visible to another district."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from shigan.core.models import AuditAction, AuditEntry
from shigan.core.testing import assert_same_queries
from shigan.core.workdays import LAST_YEAR
from shigan.orgs import workdays
from shigan.orgs.access import can_manage_workdays
from shigan.orgs.models import Role, Unit, UnitKind, WorkdayOverride
from shigan.orgs.services.workdays import workday_override_add
from shigan.testing import make_user

pytestmark = pytest.mark.django_db
D = datetime.date
LIST = "/setup/workdays/"


@pytest.fixture
def districts():
    first = Unit.objects.create(name="示范区党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    second = Unit.objects.create(name="乙县党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    force = Unit.objects.create(name="区作风专班", kind=UnitKind.TASK_FORCE, parent=first)
    other_force = Unit.objects.create(name="县作风专班", kind=UnitKind.TASK_FORCE, parent=second)
    bureau = Unit.objects.create(name="区交通局", kind=UnitKind.BUREAU, parent=first)
    coordinator, _ = make_user("co", unit=force, role=Role.COORDINATOR, name="周专班")
    other, _ = make_user("co2", unit=other_force, role=Role.COORDINATOR, name="吴专班")
    reporter, _ = make_user("rep", unit=bureau, role=Role.REPORTER, name="王填报")
    return {
        "first": first, "second": second, "coordinator": coordinator,
        "other": other, "reporter": reporter,
    }  # fmt: skip


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _add(district, day, is_workday, reason, by=None):
    return workday_override_add(
        district_id=district.pk, day=day, is_workday=is_workday, reason=reason, by=by
    )


def test_a_local_holiday_counts_for_its_district_only(districts):
    first, second = districts["first"], districts["second"]
    _add(first, D(2023, 10, 10), False, "区运动会放假一天")
    assert not workdays.is_workday(D(2023, 10, 10), district_id=first.pk)
    assert workdays.is_workday(D(2023, 10, 10), district_id=second.pk)
    assert workdays.is_workday(D(2023, 10, 10))  # the national calendar
    # the 5th working day of October 2023: the 11th nationally, the 12th in the first district
    assert workdays.nth_workday_of_month(2023, 10, 5, district_id=first.pk) == D(2023, 10, 12)
    assert workdays.nth_workday_of_month(2023, 10, 5, district_id=second.pk) == D(2023, 10, 11)
    assert workdays.add_workdays(D(2023, 10, 9), 1, district_id=first.pk) == D(2023, 10, 11)
    assert workdays.workdays_between(D(2023, 10, 8), D(2023, 10, 13), district_id=first.pk) == 4
    assert workdays.next_workday(D(2023, 10, 9), district_id=second.pk) == D(2023, 10, 10)


def test_a_local_working_saturday_counts(districts):
    first = districts["first"]
    _add(first, D(2023, 10, 14), True, "防汛值守补班")
    assert workdays.add_workdays(D(2023, 10, 13), 1, district_id=first.pk) == D(2023, 10, 14)


def test_a_calendar_loads_a_years_overrides_in_one_query(districts, django_assert_num_queries):
    first = districts["first"]
    for day in (9, 10, 11, 12):
        _add(first, D(2023, 10, day), False, "本地放假")
    calendar = workdays.calendar_for(first.pk)
    with django_assert_num_queries(1):
        assert calendar.add_workdays(D(2023, 10, 8), 1) == D(2023, 10, 13)
        assert calendar.workdays_between(D(2023, 1, 1), D(2023, 12, 31)) > 200
    with django_assert_num_queries(1):  # a new year: one more
        calendar.is_workday(D(2024, 1, 2))


def test_a_removed_override_no_longer_counts(districts):
    first, coordinator = districts["first"], districts["coordinator"]
    override = _add(first, D(2023, 10, 10), False, "区运动会", by=coordinator)
    response = _client(coordinator).post(
        reverse("orgs:workday_remove", args=[override.pk]), {"reason": "运动会改期"}
    )
    assert response.status_code == 302
    assert workdays.is_workday(D(2023, 10, 10), district_id=first.pk)
    override.refresh_from_db()
    assert override.active is False
    entry = AuditEntry.objects.filter(record_type="orgs.workdayoverride").first()
    assert (entry.action, entry.note, entry.actor) == (
        AuditAction.DELETE,
        "运动会改期",
        coordinator,
    )


def test_coordinator_adds_a_local_holiday_on_the_page_and_sees_it_with_its_history(districts):
    client = _client(districts["coordinator"])
    response = client.post(
        LIST, {"year": "2023", "date": "2023-10-10", "is_workday": "0", "reason": "区运动会"}
    )
    assert response.status_code == 302 and response["Location"] == f"{LIST}?year=2023"
    override = WorkdayOverride.objects.get()
    assert (override.district, override.date, override.is_workday, override.reason) == (
        districts["first"], D(2023, 10, 10), False, "区运动会",
    )  # fmt: skip
    page = client.get(f"{LIST}?year=2023").content.decode()
    assert "2023-10-10" in page and "区运动会" in page and "休息" in page
    assert "调休上班" in page and "国庆节" in page  # the national arrangement shown beside it
    assert "历史记录" in page and "周专班" in page and "新建" in page


def test_coordinator_changes_an_override_with_its_reason_in_the_history(districts):
    coordinator = districts["coordinator"]
    override = _add(districts["first"], D(2023, 10, 10), False, "区运动会", by=coordinator)
    client = _client(coordinator)
    url = reverse("orgs:workday_edit", args=[override.pk])
    response = client.post(url, {"is_workday": "0", "reason": "区运动会（改为全天）"})
    assert response.status_code == 302
    override.refresh_from_db()
    assert override.reason == "区运动会（改为全天）"
    page = client.get(url).content.decode()
    assert "修改" in page and "区运动会（改为全天）" in page
    response = client.post(url, {"is_workday": "1", "reason": "改为上班"})
    assert "2023-10-10按国家日历已是工作日，无需调整。" in response.content.decode()


def test_removing_then_adding_the_date_again_continues_its_history(districts):
    coordinator, first = districts["coordinator"], districts["first"]
    override = _add(first, D(2023, 10, 10), False, "区运动会", by=coordinator)
    client = _client(coordinator)
    client.post(reverse("orgs:workday_remove", args=[override.pk]), {"reason": "改期"})
    client.post(LIST, {"date": "2023-10-10", "is_workday": "0", "reason": "恢复放假"})
    assert WorkdayOverride.objects.filter(active=True).get().pk == override.pk
    page = client.get(reverse("orgs:workday_edit", args=[override.pk])).content.decode()
    assert "改期" in page and "恢复放假" in page and "删除" in page


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"date": "2023-10-10", "is_workday": "0", "reason": " "}, "请填写原因"),
        ({"date": "2023-10-14", "is_workday": "0", "reason": "周六"}, "按国家日历已是休息日"),
        ({"date": "2023-10-07", "is_workday": "1", "reason": "调休"}, "按国家日历已是工作日"),
        ({"date": "2023-13-01", "is_workday": "0", "reason": "x"}, "“2023-13-01”"),
        ({"date": "9999-12-31", "is_workday": "0", "reason": "x"}, "超出允许的年份范围"),
        ({"date": "2023-10-10", "is_workday": "2", "reason": "x"}, "“2”不是可选的调整方式"),
        ({"date": "2023-10-10", "is_workday": "0", "reason": "长" * 201}, "200"),
    ],
)
def test_bad_input_is_refused_with_a_chinese_message(districts, post, message):
    response = _client(districts["coordinator"]).post(LIST, post)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not WorkdayOverride.objects.exists()


def test_a_date_with_an_override_is_not_added_twice(districts):
    _add(districts["first"], D(2023, 10, 10), False, "区运动会")
    response = _client(districts["coordinator"]).post(
        LIST, {"date": "2023-10-10", "is_workday": "0", "reason": "再加一次"}
    )
    assert "2023-10-10已有调整，请在列表中修改。" in response.content.decode()
    assert WorkdayOverride.objects.count() == 1


def test_script_in_a_reason_is_shown_as_text(districts):
    client = _client(districts["coordinator"])
    client.post(LIST, {"date": "2023-10-10", "is_workday": "0", "reason": "<script>x</script>"})
    page = client.get(f"{LIST}?year=2023").content.decode()
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page


def test_another_districts_coordinator_neither_sees_nor_changes_the_override(districts):
    override = _add(districts["first"], D(2023, 10, 10), False, "区运动会")
    other = _client(districts["other"])
    assert "区运动会" not in other.get(f"{LIST}?year=2023").content.decode()
    assert other.get(reverse("orgs:workday_edit", args=[override.pk])).status_code == 404
    response = other.post(reverse("orgs:workday_remove", args=[override.pk]), {"reason": "x"})
    assert response.status_code == 404
    override.refresh_from_db()
    assert override.active


def test_only_coordinators_manage_the_calendar(districts):
    assert can_manage_workdays(districts["coordinator"])
    assert not can_manage_workdays(districts["reporter"])
    reporter = _client(districts["reporter"])
    assert reporter.get(LIST).status_code == 403
    post = {"date": "2023-10-10", "is_workday": "0", "reason": "x"}
    assert reporter.post(LIST, post).status_code == 403
    assert not WorkdayOverride.objects.exists()


def test_a_year_the_calendar_does_not_cover_warns_on_the_page(districts):
    year = LAST_YEAR + 3
    response = _client(districts["coordinator"]).get(f"{LIST}?year={year}")
    page = response.content.decode()
    assert response.status_code == 200
    assert f"{year}年暂按周六、周日休息计算工作日" in page
    response = _client(districts["coordinator"]).get(f"{LIST}?year=abc")  # this year instead
    assert response.status_code == 200


def test_the_setup_guide_links_the_calendar(districts):
    page = _client(districts["coordinator"]).get("/setup/").content.decode()
    assert f'href="{LIST}"' in page and "工作日历（节假日与调休）" in page


def test_the_year_page_runs_the_same_queries_whatever_the_number_of_overrides(districts):
    client, first = _client(districts["coordinator"]), districts["first"]
    coordinator = districts["coordinator"]
    _add(first, D(2023, 10, 10), False, "区运动会", by=coordinator)

    def grow():
        for day in (11, 12, 13, 16, 17, 18):
            _add(first, D(2023, 10, day), False, "本地放假", by=coordinator)

    def run():
        assert client.get(f"{LIST}?year=2023").status_code == 200

    assert_same_queries(run, grow, warm_up=True)
