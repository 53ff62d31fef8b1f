"""The year's rollover (结转): the page, the copy, the carried items and their links, the refusals,
and the old year left byte-for-byte as it was."""

import datetime

import pytest
from django.core import serializers
from django.urls import reverse

from shigan.campaigns.models import Campaign, Phase, PlanSection, PlanSectionKind
from shigan.core.models import AuditEntry
from shigan.core.testing import assert_same_queries
from shigan.meetings.models import Cadence, Meeting, MeetingKind, MeetingSeries
from shigan.meetings.services import decision_record
from shigan.orgs.models import LeadingGroup, Unit, UnitKind
from shigan.rollover.access import get_campaign_to_roll_over, rollover_tasks
from shigan.rollover.services import (
    NextYear,
    campaign_rollover,
    carried_due_date,
    carried_milestone_date,
    shift_years,
)
from shigan.tasks.models import Milestone, ProgressReport, Task, TaskCategory, TaskState
from shigan.testing import make_task

D = datetime.date


@pytest.fixture
def year(world):
    """build_world's 2023 campaign with a plan, phases, a leading group, a meeting series with a
    meeting, a decision, a finished task and a progress report."""
    campaign = world.campaign
    campaign.leading_group = LeadingGroup.objects.create(name="实干年活动领导小组")
    campaign.save()
    PlanSection.objects.create(campaign=campaign, kind=PlanSectionKind.GOALS, body="目标任务正文")
    Phase.objects.create(
        campaign=campaign, name="动员部署", start_date=D(2023, 2, 1), end_date=D(2023, 2, 28)
    )
    Phase.objects.create(
        campaign=campaign,
        name="组织实施",
        start_date=D(2023, 3, 1),
        end_date=D(2023, 11, 30),
        sort_order=1,
    )
    series = MeetingSeries.objects.create(
        campaign=campaign,
        name="专班月度碰头会",
        cadence=Cadence.MONTHLY,
        organiser=world.district,
        active_from=D(2023, 2, 1),
        active_to=D(2023, 12, 31),
    )
    meeting = Meeting.objects.create(
        series=series,
        campaign=campaign,
        kind=MeetingKind.TASK_FORCE,
        title="二月碰头会",
        date=D(2023, 2, 8),
        chair=world.leader_person,
    )
    decision = decision_record(
        meeting=meeting,
        by=world.coordinator,
        title="落实议定事项",
        target="要求",
        lead_unit=world.unit_a,
        leader=world.leader_person,
        due_date=D(2024, 3, 31),
    )
    done = make_task(
        campaign=campaign, category=world.category, unit=world.unit_a, title="已办结任务"
    )
    Task.objects.filter(pk=done.pk).update(state=TaskState.COMPLETED, closed_on=D(2023, 9, 1))
    world.task_a.supporting_units.add(world.unit_b)
    ProgressReport.objects.create(
        task=world.task_a,
        unit=world.unit_a,
        period=D(2023, 6, 1),
        text="6月进展",
        submitted_by=world.reporter_a,
    )
    world.decision_task = decision.task
    return world


def old_year_rows(campaign: Campaign) -> str:
    """Every row of the campaign's records, serialised in a fixed order."""
    tasks = Task.objects.filter(campaign=campaign)
    querysets = [
        Campaign.objects.filter(pk=campaign.pk),
        PlanSection.objects.filter(campaign=campaign),
        Phase.objects.filter(campaign=campaign),
        TaskCategory.objects.filter(campaign=campaign),
        tasks,
        Milestone.objects.filter(task__in=tasks),
        ProgressReport.objects.filter(task__in=tasks),
        MeetingSeries.objects.filter(campaign=campaign),
        Meeting.objects.filter(campaign=campaign),
        Task.supporting_units.through.objects.filter(task__in=tasks),
    ]
    return "\n".join(serializers.serialize("json", qs.order_by("pk")) for qs in querysets)


def url(campaign) -> str:
    return reverse("rollover:campaign_rollover", args=[campaign.pk])


def posted(year, **extra) -> dict:
    data = {"year": "2024", "name": "作风建设“实干年”活动", "start_date": "2024-01-01"}
    return data | {"end_date": "2024-12-31"} | extra


def carry_a_and_decision(year) -> dict:
    return {
        "carry": [str(year.task_a.pk), str(year.decision_task.pk)],
        f"reason_{year.task_a.pk}": "跨年度工程，2024年继续推进",
        f"reason_{year.decision_task.pk}": "议定事项尚未办结",
    }


def test_coordinator_sees_the_defaults_the_copy_and_the_unfinished_items(year, client_for):
    page = client_for(year.coordinator).get(url(year.campaign))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="2024"' in html and 'value="2024-01-01"' in html and 'value="2024-12-31"' in html
    assert "沿用“实干年活动领导小组”" in html and "无需复制" in html
    assert "2024-02-01至2024-02-29" in html  # 2023-02-28 a year on is still 28 Feb
    assert "兴业大道建设" in html and "清凉河治理二期" in html and "落实议定事项" in html
    assert "已办结任务" not in html
    assert reverse("indicators:definition_list") + "?year=2024" in html
    detail = client_for(year.coordinator).get(
        reverse("campaigns:campaign_detail", args=[year.campaign.pk])
    )
    assert url(year.campaign) in detail.content.decode()
    for reader in [year.leader, year.reporter_a, year.inspector]:
        detail = client_for(reader).get(
            reverse("campaigns:campaign_detail", args=[year.campaign.pk])
        )
        assert url(year.campaign) not in detail.content.decode()


def test_preview_shows_the_new_dates_and_asks_for_every_reason_creating_nothing(year, client_for):
    data = posted(year, carry=[str(year.task_a.pk), str(year.decision_task.pk)], preview="1")
    data[f"reason_{year.task_a.pk}"] = "跨年度工程"
    page = client_for(year.coordinator).post(url(year.campaign), data)
    html = page.content.decode()
    assert page.status_code == 200
    assert "请填写“落实议定事项”的结转理由。" in html and "确认结转" not in html
    # task_a was due 2023-12-31: before the new start, so it is due at the new end
    assert "2024-12-31" in html and "2024-03-31" in html
    assert Campaign.objects.count() == 1
    data[f"reason_{year.decision_task.pk}"] = "尚未办结"
    page = client_for(year.coordinator).post(url(year.campaign), data)
    assert "确认结转" in page.content.decode() and "结转2项事项" in page.content.decode()
    assert Campaign.objects.count() == 1


def test_confirm_creates_next_year_and_leaves_the_old_year_byte_for_byte(year, client_for):
    before = old_year_rows(year.campaign)
    data = posted(year, confirm="1") | carry_a_and_decision(year)
    page = client_for(year.coordinator).post(url(year.campaign), data)
    new = Campaign.objects.get(year=2024)
    assert page.status_code == 302
    assert page["Location"] == reverse("campaigns:campaign_detail", args=[new.pk])
    assert old_year_rows(year.campaign) == before
    assert new.leading_group_id == year.campaign.leading_group_id
    assert new.organiser == year.campaign.organiser and new.slogan == year.campaign.slogan
    assert [s.body for s in new.plan_sections.all()] == ["目标任务正文"]
    phases = [(p.name, p.start_date, p.end_date) for p in new.phases.order_by("sort_order")]
    assert phases == [
        ("动员部署", D(2024, 2, 1), D(2024, 2, 29)),
        ("组织实施", D(2024, 3, 1), D(2024, 11, 30)),
    ]
    series = new.meeting_series.get()
    assert (series.name, series.active_from, series.active_to) == (
        "专班月度碰头会",
        D(2024, 2, 1),
        D(2024, 12, 31),
    )
    assert not Meeting.objects.filter(campaign=new).exists()
    carried = {t.carried_from_id: t for t in new.tasks.all()}
    assert set(carried) == {year.task_a.pk, year.decision_task.pk}
    a = carried[year.task_a.pk]
    assert (a.title, a.target, a.lead_unit, a.leader) == (
        year.task_a.title,
        year.task_a.target,
        year.unit_a,
        year.leader_person,
    )
    assert a.category.campaign == new and a.category.name == "路网体系"
    assert (a.start_date, a.due_date) == (D(2024, 1, 1), D(2024, 12, 31))
    assert a.carry_reason == "跨年度工程，2024年继续推进"
    assert list(a.supporting_units.all()) == [year.unit_b]
    # the reached milestone stays behind; the open one comes, a year on
    assert [(m.title, m.due_date, m.done_on) for m in a.milestones.all()] == [
        ("完成整体方案", D(2024, 8, 31), None)
    ]
    decision = carried[year.decision_task.pk]
    assert decision.due_date == D(2024, 3, 31) and decision.origin == "decision"
    entries = AuditEntry.objects.filter(record_type="tasks.task", record_id=a.pk)
    assert "兴业大道建设" in entries.get().note and "跨年度工程" in entries.get().note
    assert AuditEntry.objects.get(record_type="campaigns.campaign", record_id=new.pk).note == (
        f"由{year.campaign}结转"
    )
    assert AuditEntry.objects.filter(record_type="meetings.meetingseries", record_id=series.pk)


def test_task_pages_link_the_origin_and_the_carried_task(year, client_for):
    new = campaign_rollover(
        campaign=year.campaign,
        by=year.coordinator,
        candidates=rollover_tasks(year.coordinator, year.campaign),
        next_year=NextYear(2024, "作风建设“实干年”活动", D(2024, 1, 1), D(2024, 12, 31)),
        carry={year.task_a.pk: "跨年度工程", year.decision_task.pk: "未办结"},
    )
    carried = new.tasks.get(carried_from=year.task_a)
    client = client_for(year.reporter_a)
    html = client.get(reverse("tasks:task_detail", args=[carried.pk])).content.decode()
    origin = reverse("tasks:task_detail", args=[year.task_a.pk])
    assert f'由<a href="{origin}">2023年' in html
    assert "理由：跨年度工程" in html
    html = client.get(reverse("tasks:task_detail", args=[year.task_a.pk])).content.decode()
    later = reverse("tasks:task_detail", args=[carried.pk])
    assert f'已结转至<a href="{later}">2024年' in html
    decision = new.tasks.get(carried_from=year.decision_task)
    page = client.get(reverse("tasks:task_detail", args=[decision.pk]))
    assert page.status_code == 200 and "由<a" in page.content.decode()


def test_rolling_over_twice_is_refused_with_nothing_created(year, client_for):
    client = client_for(year.coordinator)
    first = posted(year, confirm="1") | carry_a_and_decision(year)
    assert client.post(url(year.campaign), first).status_code == 302
    counts = (Campaign.objects.count(), Task.objects.count(), MeetingSeries.objects.count())
    again = posted(year, confirm="1", carry=[str(year.task_b.pk)])
    again[f"reason_{year.task_b.pk}"] = "再次结转"
    page = client.post(url(year.campaign), again)
    assert page.status_code == 200
    assert "本区（县）已有2024年的“作风建设“实干年”活动”，不能再次结转" in page.content.decode()
    assert (Campaign.objects.count(), Task.objects.count(), MeetingSeries.objects.count()) == counts
    # the items already carried are no longer offered
    html = client.get(url(year.campaign)).content.decode()
    assert "兴业大道建设" not in html and "清凉河治理二期" in html


def test_an_item_finished_since_the_preview_is_refused_by_id(year, client_for):
    Task.objects.filter(pk=year.task_b.pk).update(state=TaskState.COMPLETED)
    data = posted(year, confirm="1", carry=[str(year.task_b.pk)])
    data[f"reason_{year.task_b.pk}"] = "理由"
    page = client_for(year.coordinator).post(url(year.campaign), data)
    assert f"以下事项不能结转：#{year.task_b.pk} “清凉河治理二期”已办结" in page.content.decode()
    assert Campaign.objects.count() == 1


def test_a_lead_unit_now_in_another_district_is_refused_by_name(year, client_for):
    other = Unit.objects.create(name="乙县党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    Unit.objects.filter(pk=year.unit_b.pk).update(parent=other, district=other)
    data = posted(year, confirm="1", carry=[str(year.task_b.pk)])
    data[f"reason_{year.task_b.pk}"] = "理由"
    page = client_for(year.coordinator).post(url(year.campaign), data)
    assert f"#{year.task_b.pk} “清凉河治理二期”的牵头单位“区水务局”已不属于本区（县）" in (
        page.content.decode()
    )
    assert Campaign.objects.count() == 1


@pytest.mark.parametrize(
    "data,message",
    [
        ({"year": "²⁰²⁴"}, "年度"),
        ({"end_date": "2023-12-01"}, "早于开始日期"),
        ({"year": "2023", "start_date": "2023-01-01"}, "下一年度应晚于本活动的年度2023"),
        ({"name": "  "}, "请填写活动名称"),
        ({"carry": ["<script>"]}, "“&lt;script&gt;”不是有效的编号"),
    ],
)
def test_bad_input_gets_a_message_and_nothing(year, client_for, data, message):
    page = client_for(year.coordinator).post(url(year.campaign), posted(year, confirm="1") | data)
    assert page.status_code == 200 and message in page.content.decode()
    assert Campaign.objects.count() == 1


def test_readers_are_refused_and_another_district_does_not_exist(year, client_for):
    for user in [year.leader, year.reporter_a, year.reporter_b, year.inspector]:
        assert client_for(user).get(url(year.campaign)).status_code == 403
        assert (
            client_for(user).post(url(year.campaign), posted(year, confirm="1")).status_code == 403
        )
    other = Unit.objects.create(name="乙县党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    elsewhere = Campaign.objects.create(
        year=2023,
        name="乙县活动",
        organiser=other,
        start_date=D(2023, 1, 1),
        end_date=D(2023, 12, 31),
    )
    assert client_for(year.coordinator).get(url(elsewhere)).status_code == 404
    assert get_campaign_to_roll_over(year.coordinator, year.campaign.pk) == year.campaign
    assert Campaign.objects.count() == 2


def test_the_preview_page_runs_the_same_queries_with_more_items(year, client_for):
    client = client_for(year.coordinator)

    def carry_all():
        ids = [
            str(pk)
            for pk in year.campaign.tasks.filter(state="active").values_list("pk", flat=True)
        ]
        data = posted(year, preview="1", carry=ids)
        return data | {f"reason_{pk}": "理由" for pk in ids}

    def run():
        page = client.post(url(year.campaign), carry_all())
        assert page.status_code == 200 and "确认结转" in page.content.decode()

    def grow():
        category = TaskCategory.objects.create(campaign=year.campaign, name="招商引资")
        for i in range(15):
            task = make_task(
                campaign=year.campaign,
                category=category,
                unit=year.unit_b,
                title=f"新增任务{i}",
                milestones=[("节点", D(2023, 6, 30), None), ("节点二", D(2023, 9, 30), None)],
            )
            task.supporting_units.add(year.unit_a)

    assert_same_queries(run, grow, warm_up=True)


def test_dates_move_by_whole_years_and_due_dates_follow_the_rule(world):
    assert shift_years(D(2024, 2, 29), 1) == D(2025, 2, 28)
    start, end = D(2024, 1, 1), D(2024, 12, 31)
    world.task_a.due_date = D(2024, 1, 1)
    assert carried_due_date(world.task_a, start, end) == end  # not after the new start
    world.task_a.due_date = D(2024, 1, 2)
    assert carried_due_date(world.task_a, start, end) == D(2024, 1, 2)
    world.task_a.due_date = D(2025, 3, 1)
    assert carried_due_date(world.task_a, start, end) == end


def test_open_milestones_keep_a_date_in_the_new_task_else_move_a_year_within_it(world):
    milestone = Milestone(title="节点", due_date=D(2023, 8, 31))
    start = D(2024, 1, 1)
    assert carried_milestone_date(milestone, 1, start, D(2024, 12, 31)) == D(2024, 8, 31)
    assert carried_milestone_date(milestone, 1, start, D(2024, 3, 31)) == D(2024, 3, 31)
    milestone.due_date = D(2024, 2, 15)
    assert carried_milestone_date(milestone, 1, start, D(2024, 3, 31)) == D(2024, 2, 15)
    assert carried_milestone_date(milestone, 1, start, D(2024, 2, 1)) == D(2024, 2, 1)
