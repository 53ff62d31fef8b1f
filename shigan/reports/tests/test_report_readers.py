"""Who reads the summary report (reports.access): coordinators, inspectors and the members of the
campaign's leading group. A leader outside the group gets 403 on the page and every download and
no 总结报告 in the navigation; a member reads the report and the page of every task it links to
(none 404), read-only."""

import datetime
import re

import pytest

from shigan.campaigns.models import Campaign
from shigan.orgs.models import GroupRole, LeadingGroup, LeadingGroupMember, Unit, UnitKind
from shigan.reports.access import can_generate_report, can_read_report
from shigan.reports.writers import FORMATS
from shigan.tasks.models import TaskCategory, TaskOrigin
from shigan.testing import make_task

from .reportdata import grow

REPORT = "/reports/?campaign={pk}&as_of=2023-07-31&percent=％&appendix=on"
DOWNLOAD = "/reports/download/{fmt}/?campaign={pk}&as_of=2023-07-31"
HREF = re.compile(r'href="([^"#]+)"')
REFUSED = "总结报告是全区（县）的文件，仅供专班、督查人员和本活动领导小组成员查看。"


def seat_in_leading_group(campaign: Campaign, person) -> LeadingGroupMember:
    """Make `person` a member of the campaign's leading group (created when it has none)."""
    if campaign.leading_group_id is None:
        campaign.leading_group = LeadingGroup.objects.create(name="实干年活动领导小组")
        campaign.save(update_fields=["leading_group"])
    return LeadingGroupMember.objects.create(
        group=campaign.leading_group, person=person, role=GroupRole.MEMBER
    )


def report_urls(campaign: Campaign) -> list[str]:
    return ["/reports/", REPORT.format(pk=campaign.pk)] + [
        DOWNLOAD.format(fmt=fmt, pk=campaign.pk) for fmt in FORMATS
    ]


@pytest.fixture
def grown(world):
    grow(world, 2)
    return world


def test_a_leader_outside_the_leading_group_is_refused_every_report_url(grown, client_for):
    client = client_for(grown.leader)
    assert {"html", "md", "txt", "docx", "pdf"} <= set(FORMATS)
    for url in report_urls(grown.campaign):
        response = client.get(url)
        assert response.status_code == 403, url
        assert REFUSED in response.content.decode(), url


def test_the_navigation_offers_the_report_only_to_its_readers(world, client_for):
    assert 'href="/reports/"' not in client_for(world.leader).get("/map/").content.decode()
    assert 'href="/reports/"' in client_for(world.inspector).get("/map/").content.decode()
    seat_in_leading_group(world.campaign, world.leader_person)
    assert 'href="/reports/"' in client_for(world.leader).get("/map/").content.decode()


def test_a_leading_group_member_reads_the_report_in_every_text_format(grown, client_for):
    seat_in_leading_group(grown.campaign, grown.leader_person)
    client = client_for(grown.leader)
    assert client.get(REPORT.format(pk=grown.campaign.pk)).status_code == 200
    for fmt in ("html", "md", "txt", "docx"):
        response = client.get(DOWNLOAD.format(fmt=fmt, pk=grown.campaign.pk))
        assert response.status_code == 200, fmt
        assert "attachment" in response["Content-Disposition"]


def test_every_link_of_a_members_report_opens_for_him(grown, client_for):
    """The crawl: every task the report states links to a page that answers 200 to him —
    unit B's included, which he does not oversee — and every other link he is shown opens."""
    seat_in_leading_group(grown.campaign, grown.leader_person)
    client = client_for(grown.leader)
    response = client.get(REPORT.format(pk=grown.campaign.pk))
    links = {u.replace("&amp;", "&") for u in HREF.findall(str(response.context["preview"]))}
    task_links = {u for u in links if re.fullmatch(r"/tasks/\d+/", u)}
    assert f"/tasks/{grown.task_b.pk}/" in task_links and len(task_links) >= 4
    for url in links:
        assert client.get(url).status_code == 200, url


def test_a_member_reads_other_units_list_tasks_read_only(world, client_for):
    seat_in_leading_group(world.campaign, world.leader_person)
    client = client_for(world.leader)
    page = client.get(f"/tasks/{world.task_b.pk}/")
    assert page.status_code == 200 and "清凉河治理二期" in page.content.decode()
    assert client.get(f"/tasks/{world.task_b.pk}/edit/").status_code == 403
    refused = client.post(f"/tasks/{world.task_b.pk}/request/", {"reason": "越权申请"})
    assert refused.status_code == 403
    assert not world.task_b.change_requests.exists()


def test_a_members_reach_is_the_campaigns_list_tasks_only(world, client_for):
    """Not the tasks of other origins (a meeting's decision), not another campaign's."""
    seat_in_leading_group(world.campaign, world.leader_person)
    decision = make_task(
        campaign=world.campaign,
        category=world.category,
        unit=world.unit_b,
        title="会议议定：河道清淤",
        milestones=[],
        number=3,
    )
    decision.origin = TaskOrigin.DECISION
    decision.save(update_fields=["origin"])
    other = Campaign.objects.create(
        year=2024,
        name="另一活动",
        organiser=world.district,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 12, 31),
    )
    elsewhere = make_task(
        campaign=other,
        category=TaskCategory.objects.create(campaign=other, name="其他"),
        unit=world.unit_b,
        title="另一活动任务",
    )
    client = client_for(world.leader)
    assert client.get(f"/tasks/{decision.pk}/").status_code == 404
    assert client.get(f"/tasks/{elsewhere.pk}/").status_code == 404
    # The other campaign's report is not his: not among his campaigns (404), never shown.
    assert client.get(REPORT.format(pk=other.pk)).status_code == 404
    assert client.get(DOWNLOAD.format(fmt="md", pk=other.pk)).status_code == 404
    assert not can_read_report(world.leader, other)
    assert can_read_report(world.leader, world.campaign)


def test_a_seat_in_another_districts_group_gives_nothing(world):
    """A leading group whose campaign is organised in another district."""
    other_district = Unit.objects.create(name="乙县党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    foreign = Campaign.objects.create(
        year=2023,
        name="乙县活动",
        organiser=other_district,
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2023, 12, 31),
    )
    seat_in_leading_group(foreign, world.leader_person)
    assert not can_generate_report(world.leader)
    assert not can_read_report(world.leader, foreign)


def test_the_access_functions_state_the_one_rule(world):
    """report_campaigns_for / require_report_reader (reports.access) and group_campaigns /
    sits_in_a_leading_group (tasks.access) agree: the district's readers and the group's members."""
    from django.core.exceptions import PermissionDenied

    from shigan.reports.access import report_campaigns_for, require_report_reader
    from shigan.tasks.access import group_campaigns, sits_in_a_leading_group

    everything = Campaign.objects.all()
    assert list(report_campaigns_for(world.coordinator, everything)) == [world.campaign]
    assert list(report_campaigns_for(world.inspector, everything)) == [world.campaign]
    assert not report_campaigns_for(world.leader, everything).exists()
    assert not group_campaigns(world.leader).exists() and not sits_in_a_leading_group(world.leader)
    with pytest.raises(PermissionDenied):
        require_report_reader(world.leader, world.campaign)
    with pytest.raises(PermissionDenied):
        require_report_reader(world.reporter_a)
    require_report_reader(world.inspector, world.campaign)  # no exception
    seat_in_leading_group(world.campaign, world.leader_person)
    world.leader.refresh_from_db()
    leader = type(world.leader).objects.get(pk=world.leader.pk)  # no remembered answer
    assert list(group_campaigns(leader)) == [world.campaign] and sits_in_a_leading_group(leader)
    assert list(report_campaigns_for(leader, everything)) == [world.campaign]
    require_report_reader(leader, world.campaign)
    require_report_reader(leader)
