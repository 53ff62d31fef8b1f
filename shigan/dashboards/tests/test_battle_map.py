import datetime

import pytest

from shigan.orgs.models import Oversight, Unit, UnitKind
from shigan.tasks.models import ProgressReport, TaskCategory
from shigan.tasks.status import TaskStatus
from shigan.testing import make_user

URL = "/map/"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def statuses_of(response) -> dict[str, str]:
    """Task title -> status value, as the page computed them."""
    return {row.task.title: row.status.value for row in response.context["data"].rows}


def tile_counts(response) -> dict[str, int]:
    return {t.status.value: t.count for t in response.context["data"].tiles}


def test_battle_map_shows_rows_and_counts_per_status(world, client_for):
    response = client_for(world.coordinator).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "兴业大道建设" in html and "清凉河治理二期" in html
    assert statuses_of(response) == {"兴业大道建设": "on_track", "清凉河治理二期": "behind"}
    counts = tile_counts(response)
    assert counts["on_track"] == 1 and counts["behind"] == 1 and sum(counts.values()) == 2
    assert '<span class="status status-behind">滞后</span>' in html
    assert 'class="row-on_track"' in html
    assert f'href="/tasks/{world.task_a.pk}/"' in html
    assert "截至 <b>2023年7月20日</b>" in html


def test_row_shows_next_milestone_progress_and_days_left(world, client_for):
    long_text = "整体方案初稿完成，" * 20
    ProgressReport.objects.create(
        task=world.task_a,
        unit=world.unit_a,
        period=datetime.date(2023, 7, 1),
        text=long_text,
        submitted_by=world.reporter_a,
    )
    html = client_for(world.coordinator).get(URL).content.decode()
    assert "完成整体方案" in html and "2023-08-31" in html
    assert f'title="{long_text}"' in html
    assert "2023年7月" in html
    assert "剩164天" in html
    assert "1/2" in html


def test_overdue_task_shows_days_overdue(world, client_for):
    world.task_b.due_date = datetime.date(2023, 7, 15)
    world.task_b.save()
    world.task_b.milestones.update(due_date=datetime.date(2023, 7, 1))
    response = client_for(world.coordinator).get(URL)
    assert statuses_of(response)["清凉河治理二期"] == "overdue"
    assert "逾期5天" in response.content.decode()


def test_default_campaign_is_the_newest_visible(world, client_for):
    from shigan.campaigns.models import Campaign

    newer = Campaign.objects.create(
        year=2024,
        name="实干年二期",
        organiser=world.district,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 12, 31),
    )
    coordinator = client_for(world.coordinator)
    assert coordinator.get(URL).context["data"].campaign == newer
    old = coordinator.get(URL, {"campaign": world.campaign.pk})
    assert old.context["data"].campaign == world.campaign
    # The reporter has no task in the newer campaign: he lands on the one he works in.
    assert client_for(world.reporter_a).get(URL).context["data"].campaign == world.campaign
    assert client_for(world.reporter_a).get(URL, {"campaign": newer.pk}).status_code == 404


def test_unit_filter_narrows_rows_and_counts(world, client_for):
    response = client_for(world.coordinator).get(URL, {"unit": world.unit_b.pk})
    assert set(statuses_of(response)) == {"清凉河治理二期"}
    assert sum(tile_counts(response).values()) == 1


def test_leader_filter_narrows_rows(world, client_for):
    response = client_for(world.coordinator).get(URL, {"leader": world.leader_person.pk})
    assert set(statuses_of(response)) == {"兴业大道建设"}


def test_category_filter_narrows_rows(world, client_for):
    other = TaskCategory.objects.create(campaign=world.campaign, name="流域生态", sort_order=2)
    world.task_b.category = other
    world.task_b.save()
    response = client_for(world.coordinator).get(URL, {"category": other.pk})
    assert set(statuses_of(response)) == {"清凉河治理二期"}


def test_status_filter_takes_several_values_and_keeps_counts(world, client_for):
    c = client_for(world.coordinator)
    behind = c.get(URL, {"status": "behind"})
    assert set(statuses_of(behind)) == {"清凉河治理二期"}
    assert tile_counts(behind)["on_track"] == 1  # counts ignore the status filter
    both = c.get(f"{URL}?status=behind&status=on_track")
    assert len(statuses_of(both)) == 2


def test_status_tile_links_filter_by_that_status(world, client_for):
    html = client_for(world.coordinator).get(URL, {"unit": world.unit_a.pk}).content.decode()
    assert f'href="?unit={world.unit_a.pk}&amp;status=overdue"' in html


def test_malformed_filters_are_ignored(world, client_for):
    response = client_for(world.coordinator).get(
        URL, {"unit": "x", "leader": "-1", "status": "bogus", "group": "nope", "view": "pie"}
    )
    assert response.status_code == 200
    assert len(statuses_of(response)) == 2


def test_group_by_unit_puts_tasks_under_their_lead_unit(world, client_for):
    response = client_for(world.coordinator).get(URL, {"group": "unit"})
    groups = [(g.label, [r.task.title for r in g.rows]) for g in response.context["data"].groups]
    assert groups == [("区交通局", ["兴业大道建设"]), ("区水务局", ["清凉河治理二期"])]


def test_reporter_sees_only_his_units_tasks(world, client_for):
    response = client_for(world.reporter_a).get(URL)
    html = response.content.decode()
    assert "兴业大道建设" in html
    assert "清凉河治理二期" not in html
    assert "区水务局" not in html  # nor the other unit among the filter options
    assert sum(tile_counts(response).values()) == 1


def test_reporter_cannot_widen_his_view_by_filtering_another_unit(world, client_for):
    response = client_for(world.reporter_a).get(URL, {"unit": world.unit_b.pk})
    assert "清凉河治理二期" not in response.content.decode()
    assert statuses_of(response) == {}


def test_leader_sees_overseen_units_rolled_up(world, client_for):
    village = Unit.objects.create(name="兴业村", kind=UnitKind.VILLAGE, parent=world.unit_a)
    world.task_b.lead_unit = village
    world.task_b.save()
    response = client_for(world.leader).get(URL)
    assert set(statuses_of(response)) == {"兴业大道建设", "清凉河治理二期"}


def test_leader_does_not_see_units_he_does_not_oversee(world, client_for):
    response = client_for(world.leader).get(URL)
    assert set(statuses_of(response)) == {"兴业大道建设"}
    Oversight.objects.create(leader=world.leader_person, unit=world.unit_b)
    assert len(statuses_of(client_for(world.leader).get(URL))) == 2


def test_inspector_sees_all_tasks(world, client_for):
    assert len(statuses_of(client_for(world.inspector).get(URL))) == 2


def test_as_of_evaluates_status_on_another_date(world, client_for):
    c = client_for(world.coordinator)
    later = c.get(URL, {"as_of": "2023-09-05"})
    assert statuses_of(later)["兴业大道建设"] == TaskStatus.BEHIND
    assert "截至 <b>2023年9月5日</b>" in later.content.decode()
    assert statuses_of(c.get(URL, {"as_of": "2024-01-05"}))["兴业大道建设"] == "overdue"
    assert statuses_of(c.get(URL, {"as_of": "2022-12-01"}))["兴业大道建设"] == "not_started"


def test_bad_as_of_falls_back_to_today_with_a_message(world, client_for):
    response = client_for(world.coordinator).get(URL, {"as_of": "2023-13-45"})
    assert response.context["data"].as_of == datetime.date(2023, 7, 20)
    assert "不是存在的日期" in response.content.decode()


def test_legend_follows_the_rule_constants(world, client_for, monkeypatch):
    from shigan.tasks import status

    html = client_for(world.coordinator).get(URL).content.decode()
    assert f"{status.NEARING_DAYS}天内" in html and "超过25%" in html
    monkeypatch.setattr(status, "NEARING_DAYS", 10)
    assert "10天内" in client_for(world.coordinator).get(URL).content.decode()


def test_legend_lists_statuses_in_rule_order():
    from shigan.dashboards.legend import rule_precedence

    assert [s.label for s in rule_precedence()] == [
        "已取消",
        "完成",
        "未启动",
        "逾期",
        "滞后",
        "临期",
        "正常",
    ]


def test_page_is_printable_and_links_its_stylesheet(world, client_for):
    html = client_for(world.coordinator).get(URL).content.decode()
    assert "shigan/battle_map.css" in html
    assert "data-print" in html and "打印" in html and "shigan/print.js" in html
    assert 'class="filters map-filters no-print"' in html
    assert "/map/export.xlsx" in html


def test_user_without_visible_campaign_sees_an_empty_page(db, client_for, world):
    user, _ = make_user("nobody", unit=world.unit_b, role="", name="无角色")
    response = client_for(user).get(URL)
    assert response.status_code == 200
    assert "暂无可查看的活动任务" in response.content.decode()


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
