import datetime

import pytest

from shigan.campaigns.models import Phase, PlanSection, PlanSectionKind
from shigan.core.testing import assert_same_queries, get_page
from shigan.orgs.models import GroupRole, LeadingGroup, LeadingGroupMember, Oversight, Person


def add_plan(world, n_members: int):
    group = LeadingGroup.objects.create(name="作风建设“实干年”活动领导小组")
    world.campaign.leading_group = group
    world.campaign.save()
    for kind in PlanSectionKind:
        PlanSection.objects.create(campaign=world.campaign, kind=kind, body=f"{kind.label}内容")
    Phase.objects.create(
        campaign=world.campaign,
        name="动员部署",
        start_date=datetime.date(2023, 2, 1),
        end_date=datetime.date(2023, 2, 28),
    )
    LeadingGroupMember.objects.create(
        group=group, person=world.leader_person, role=GroupRole.LEADER
    )
    add_members(group, world, n_members)


def add_members(group, world, n_members: int, start: int = 0):
    for i in range(start, start + n_members):
        person = Person.objects.create(name=f"成员{i}", unit=world.unit_b, post="局长")
        Oversight.objects.create(leader=person, unit=world.unit_b)
        LeadingGroupMember.objects.create(group=group, person=person, role=GroupRole.MEMBER)


@pytest.mark.parametrize("who", ["coordinator", "leader", "reporter_a", "reporter_b", "inspector"])
def test_every_role_reads_the_campaign_plan(world, client_for, who):
    add_plan(world, 2)
    response = client_for(world.users()[who]).get(f"/campaigns/{world.campaign.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    for kind in PlanSectionKind:
        assert f"{kind.label}内容" in body
    assert "组长" in body and "李副区长" in body and "区交通局" in body
    assert "跑好第一棒、实干开新局" in body


def test_single_campaign_list_redirects_to_it(world, client_for):
    response = client_for(world.leader).get("/campaigns/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/campaigns/{world.campaign.pk}/")


def test_unknown_campaign_is_404(world, client_for):
    assert client_for(world.leader).get("/campaigns/999999/").status_code == 404


def test_campaign_page_queries_do_not_grow_with_members(world, client_for):
    add_plan(world, 2)
    client = client_for(world.inspector)
    run = get_page(client, f"/campaigns/{world.campaign.pk}/")
    assert_same_queries(run, lambda: add_members(world.campaign.leading_group, world, 30, start=2))
