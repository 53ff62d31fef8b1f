"""The top bar (issue 15): each role's main destinations (at most 5, in the bar on every screen)
and the rest under 更多 — as documented in shigan/navigation.py and the README — the page shown
marked aria-current, and nothing a viewer may not open offered at all."""

import re

import pytest

from shigan.orgs.models import GroupRole, LeadingGroup, LeadingGroupMember

EVERYONE_MORE = ["督查", "活动方案", "会议", "宣传", "基层", "数字核对"]


def bar(client, path="/tasks/"):
    """(main labels, 更多 labels, the current entry's label) of the page's top bar."""
    html = client.get(path).content.decode()
    nav = html[html.index('<nav class="mainnav">') : html.index("</nav>")]
    main = nav[nav.index('class="nav-main"') : nav.index("</div>")]
    more = nav[nav.index('class="nav-more-menu"') :] if "nav-more-menu" in nav else ""

    def labels(part):
        # The phone-only 修改密码 in 更多 is the account's, not a destination.
        return [t for t in re.findall(r"<a [^>]*>([^<]+)</a>", part) if t != "修改密码"]

    current = re.findall(r'<a href="[^"]*" aria-current="page">([^<]+)</a>', nav)
    return labels(main), labels(more), current


@pytest.mark.django_db
def test_coordinator_has_his_five_and_the_rest_under_more(world, client_for):
    main, more, current = bar(client_for(world.coordinator))
    assert main == ["工作总览", "挂图作战", "任务清单", "审批", "指标"]
    assert more == [
        "月度填报", "督查", "总结报告", "活动方案", "会议", "宣传", "基层", "数字核对",
        "报送情况", "上级文件与交办", "数据推送", "账号管理", "初始化",
    ]  # fmt: skip
    assert current == ["任务清单"]


@pytest.mark.django_db
def test_leader_outside_every_leading_group_has_no_report_entry(world, client_for):
    main, more, _ = bar(client_for(world.leader))
    assert main == ["工作总览", "挂图作战", "任务清单", "指标"]
    assert more == EVERYONE_MORE
    assert "总结报告" not in main + more


@pytest.mark.django_db
def test_leader_in_the_leading_group_has_the_report_among_his_main_entries(world, client_for):
    group = LeadingGroup.objects.create(name="“实干年”活动领导小组")
    LeadingGroupMember.objects.create(
        group=group, person=world.leader_person, role=GroupRole.LEADER
    )
    world.campaign.leading_group = group
    world.campaign.save()
    main, more, _ = bar(client_for(world.leader))
    assert main == ["工作总览", "挂图作战", "任务清单", "指标", "总结报告"]
    assert more == EVERYONE_MORE


@pytest.mark.django_db
def test_reporter_starts_from_his_monthly_report(world, client_for):
    main, more, current = bar(client_for(world.reporter_a), "/tasks/report/")
    assert main == ["工作总览", "月度填报", "挂图作战", "任务清单", "指标"]
    assert more == EVERYONE_MORE
    # /tasks/report/ lies under /tasks/ too: the longest match is the page's entry.
    assert current == ["月度填报"]


@pytest.mark.django_db
def test_inspector_has_supervision_in_the_bar(world, client_for):
    main, more, current = bar(client_for(world.inspector), "/supervision/")
    assert main == ["工作总览", "挂图作战", "任务清单", "督查", "指标"]
    assert more == ["总结报告", "活动方案", "会议", "宣传", "基层", "数字核对"]
    assert current == ["督查"]


@pytest.mark.django_db
def test_a_page_under_more_marks_its_entry_and_the_more_button(world, client_for):
    client = client_for(world.coordinator)
    html = client.get("/meetings/").content.decode()
    assert '<details class="nav-more has-current">' in html
    assert bar(client, "/meetings/")[2] == ["会议"]
    html = client.get("/map/cockpit/").content.decode()
    assert '<details class="nav-more">' in html
    assert bar(client, "/map/cockpit/")[2] == ["工作总览"]  # not 挂图作战 (/map/)


@pytest.mark.django_db
def test_no_role_gets_more_than_five_main_entries(world, client_for):
    for user in (world.coordinator, world.leader, world.reporter_a, world.inspector):
        main, more, _ = bar(client_for(user))
        assert 4 <= len(main) <= 5, user
        assert not set(main) & set(more)


@pytest.mark.django_db
def test_the_leading_group_question_is_asked_once(world):
    """The navigation uses the flags the context processor computed; 总结报告's (a query for a
    leader) is asked once, when the bar is built."""
    from shigan.navigation import navigation_for

    calls = []
    may = {"report": lambda: calls.append(1) or False, "approve": False}
    nav = navigation_for(world.leader, may, "/tasks/")
    assert calls == [1]
    assert [e.label for e in nav.main] == ["工作总览", "挂图作战", "任务清单", "指标"]


@pytest.mark.django_db
def test_a_role_or_seat_changed_changes_the_bar_at_once(world, client_for):
    """The bar's markup is kept per bar shown (context_processors._nav_markup), keyed on its
    entries: the same signed-in client sees a role changed, a seat taken and the page it is on
    on its very next request."""
    client = client_for(world.leader)
    main, more, current = bar(client)
    assert "总结报告" not in main + more and current == ["任务清单"]
    group = LeadingGroup.objects.create(name="“实干年”活动领导小组")
    LeadingGroupMember.objects.create(
        group=group, person=world.leader_person, role=GroupRole.LEADER
    )
    world.campaign.leading_group = group
    world.campaign.save()
    main, _, _ = bar(client)
    assert main == ["工作总览", "挂图作战", "任务清单", "指标", "总结报告"]
    assert bar(client, "/meetings/")[2] == ["会议"]
    world.leader_person.role = "coordinator"
    world.leader_person.save()
    main, more, current = bar(client)
    assert main == ["工作总览", "挂图作战", "任务清单", "审批", "指标"]
    assert "账号管理" in more and current == ["任务清单"]
