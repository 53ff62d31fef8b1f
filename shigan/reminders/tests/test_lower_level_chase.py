"""催报 and 催办 are writes at the own level: a county's coordinator reads its districts' boards
but does not chase a district's units (403, LOWER_LEVEL_CHASE); he 催办s the hand-down instead,
which messages the district's 专班."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from shigan.directives.services import (
    handdown_accept_existing,
    handdown_create,
    handdown_withdraw,
)
from shigan.directives.tests.factories import build_county
from shigan.orgs.models import Role
from shigan.reminders.access import (
    LOWER_LEVEL_CHASE,
    chase_targets_split,
    get_handdown_to_chase,
    require_chase_targets,
)
from shigan.reminders.models import Message
from shigan.tasks.models import Task
from shigan.testing import make_task, make_user

TODAY = datetime.date(2023, 7, 20)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", TODAY.isoformat())


@pytest.fixture
def county(db):
    county = build_county()
    district = county.districts[0]
    make_user("d1_reporter", unit=district.bureau, role=Role.REPORTER, name="区填报员")
    make_task(campaign=district.campaign, category=district.category, unit=district.bureau,
              title="区道路改造", due=datetime.date(2023, 6, 30))  # fmt: skip
    return county


def test_the_district_chases_its_own_units(county, client_for):
    district = county.districts[0]
    c = client_for(district.coordinator)
    query = f"?campaign={district.campaign.pk}"
    assert c.get(reverse("reminders:item_chase") + query).status_code == 200
    assert c.get(reverse("reminders:filing_chase") + query + "&period=2023-06").status_code == 200


@pytest.mark.parametrize("name", ["reminders:item_chase", "reminders:filing_chase"])
def test_the_county_may_not_chase_a_districts_units(county, client_for, name):
    district = county.districts[0]
    c = client_for(county.coordinator)
    query = f"?campaign={district.campaign.pk}&period=2023-06"
    response = c.get(reverse(name) + query)
    assert response.status_code == 403
    assert "不直接向其催报、催办" in response.content.decode()
    response = c.post(reverse(name) + query, {"text": "请尽快", "batch": "b1", "items": []})
    assert response.status_code == 403
    assert not Message.objects.exists()


def test_the_split_and_the_refusal(county):
    district = county.districts[0]
    units = [county.office, district.bureau]
    assert chase_targets_split(county.coordinator, units) == ([county.office], [district.bureau])
    assert chase_targets_split(district.coordinator, [district.bureau]) == ([district.bureau], [])
    assert require_chase_targets(county.coordinator, units) == [county.office]
    with pytest.raises(PermissionDenied, match=LOWER_LEVEL_CHASE[:10]):
        require_chase_targets(county.coordinator, [district.bureau])


def hand_down(county):
    (made,) = handdown_create(by=county.coordinator, upper_task=county.upper_task,
                              units=[county.districts[0].unit], today=TODAY)  # fmt: skip
    return made


def test_the_county_chases_the_hand_down_which_messages_the_districts_coordinator(
    county, client_for
):
    handdown = hand_down(county)
    district = county.districts[0]
    Message.objects.all().delete()  # the arrival's message
    c = client_for(county.coordinator)
    page = c.get(reverse("directives:upper_task", args=[county.upper_task.pk])).content.decode()
    url = reverse("reminders:handdown_chase", args=[handdown.pk])
    assert url in page
    response = c.post(url, {"text": ""}, follow=True)
    assert "已向第1区党委政府专班的1人发送催办" in response.content.decode()
    (message,) = Message.objects.all()
    assert message.recipient == district.coordinator
    assert message.title == "催办：交办任务“优化营商环境专项行动”"
    assert not Message.objects.filter(recipient__person__role=Role.REPORTER).exists()


def test_only_the_handing_level_chases_a_hand_down_and_only_while_owed(county, client_for):
    handdown = hand_down(county)
    url = reverse("reminders:handdown_chase", args=[handdown.pk])
    assert client_for(county.districts[0].coordinator).post(url).status_code == 403
    assert client_for(county.districts[1].coordinator).post(url).status_code == 404
    assert get_handdown_to_chase(county.coordinator, handdown.pk) == handdown
    handdown_withdraw(by=county.coordinator, handdown=handdown, reason="撤回", today=TODAY)
    with pytest.raises(PermissionDenied, match="已撤回，无需催办"):
        get_handdown_to_chase(county.coordinator, handdown.pk)
    assert client_for(county.coordinator).post(url).status_code == 403


def test_an_overlong_chase_text_is_a_message_not_a_500(county, client_for):
    handdown = hand_down(county)
    url = reverse("reminders:handdown_chase", args=[handdown.pk])
    response = client_for(county.coordinator).post(url, {"text": "催" * 501}, follow=True)
    assert response.status_code == 200 and "最多500字，现有501字" in response.content.decode()


def test_the_board_offers_no_chase_on_a_districts_campaign(county, client_for):
    """Don't offer what is refused: on a district's board the county's coordinator gets no
    一键催报 (nor 一键催办), the reason instead; the district's own coordinator gets both."""
    district = county.districts[0]
    query = f"?campaign={district.campaign.pk}&period=2023-06"
    page = client_for(county.coordinator).get(reverse("reminders:filing_board") + query)
    assert page.status_code == 200 and page.context["board"].unfiled
    html = page.content.decode()
    assert "一键催报" not in html and "一键催办" not in html
    assert "提醒规则与日程" not in html  # the district's rules: set by its own 专班 (403 above)
    assert "不直接向其催报、催办" in html and "“下级落实情况”中点“催办”" in html
    page = client_for(district.coordinator).get(reverse("reminders:filing_board") + query)
    html = page.content.decode()
    assert "一键催报（1个未报单位）" in html and "一键催办（1项逾期事项）" in html
    assert "不直接向其催报、催办" not in html
    chase = (
        f"{reverse('reminders:filing_chase')}?campaign={district.campaign.pk}&amp;period=2023-06"
    )
    assert chase in html  # the chase page of the board's own campaign


def _accepted_with(county, title):
    handdown = hand_down(county)
    district = county.districts[0]
    task = Task.objects.get(title=title) if title != "区新任务" else make_task(
        campaign=district.campaign, category=district.category, unit=district.bureau,
        title=title, due=datetime.date(2023, 12, 31),
    )  # fmt: skip
    handdown_accept_existing(by=district.coordinator, handdown=handdown, task=task, today=TODAY)
    return handdown


def test_an_accepted_hand_down_whose_task_is_on_course_is_not_chased(county, client_for):
    """No 催办 button on an accepted line whose task is not 滞后/逾期, and a direct POST is
    refused in Chinese, nothing sent."""
    handdown = _accepted_with(county, "区新任务")
    Message.objects.all().delete()
    url = reverse("reminders:handdown_chase", args=[handdown.pk])
    response = client_for(county.coordinator).post(url, {"text": "请尽快"})
    assert response.status_code == 403
    assert "下级任务没有滞后或逾期，无需催办" in response.content.decode()
    assert not Message.objects.exists()


def test_an_accepted_hand_down_whose_task_is_overdue_is_chased(county, client_for):
    handdown = _accepted_with(county, "区道路改造")  # due 2023-06-30: 逾期 on 07-20
    Message.objects.all().delete()
    url = reverse("reminders:handdown_chase", args=[handdown.pk])
    response = client_for(county.coordinator).post(url, {"text": ""}, follow=True)
    assert "已向第1区党委政府专班的1人发送催办" in response.content.decode()


def test_a_refused_chase_speaks_of_chasing(county, client_for):
    """Whoever may not 催办 a hand-down is told so in those words, not those of 撤回."""
    handdown = hand_down(county)
    response = client_for(county.inspector).post(
        reverse("reminders:handdown_chase", args=[handdown.pk])
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "可以催办该交办任务" in html and "撤回" not in html
