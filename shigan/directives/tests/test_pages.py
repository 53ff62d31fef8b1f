import datetime

import pytest
from django.urls import reverse

from shigan.core.testing import assert_same_queries, get_page
from shigan.directives.models import HandDown, HandDownState
from shigan.directives.services import directive_create, handdown_create
from shigan.directives.tests.factories import add_district, build_county, child_task
from shigan.tasks.models import ProgressReport, Task
from shigan.testing import make_task

TODAY = datetime.date(2023, 7, 31)


@pytest.fixture
def county(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_county()


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", TODAY.isoformat())


def directive_of(county):
    return directive_create(
        by=county.coordinator, issuer=county.office, number="县委办发〔2023〕12号",
        title="关于深化实干年活动的通知", issued_on=TODAY, points=["一、优化营商环境", "二、清单管理"],
    )  # fmt: skip


def hand_down(county, units=None):
    units = units or [d.unit for d in county.districts]
    return handdown_create(by=county.coordinator, upper_task=county.upper_task, units=units,
                           today=TODAY)  # fmt: skip


def test_county_coordinator_lists_and_creates_a_directive(county, client_for):
    c = client_for(county.coordinator)
    assert c.get(reverse("directives:directive_list")).status_code == 200
    response = c.post(reverse("directives:directive_create"), {
        "issuer": county.office.pk, "number": "县委办发[2023]7号", "title": "<script>alert(1)</script>通知",
        "issued_on": "2023-07-01", "points": "一、要求甲\n二、要求乙",
    })  # fmt: skip
    assert response.status_code == 302
    page = c.get(response["Location"]).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;通知" in page and "<script>alert" not in page
    assert "县委办发〔2023〕7号" in page and "二、要求乙" in page


def test_bad_number_is_a_clear_error_not_a_500(county, client_for):
    response = client_for(county.coordinator).post(reverse("directives:directive_create"), {
        "issuer": county.office.pk, "number": "12号", "title": "通知", "issued_on": "2023-07-01",
        "points": "一",
    })  # fmt: skip
    assert response.status_code == 200
    assert "文号“12号”格式不对" in response.content.decode()


def test_issuer_of_another_county_is_refused_as_not_a_choice(county, client_for):
    other = build_county(1, name="邻县", prefix="other")
    response = client_for(county.coordinator).post(reverse("directives:directive_create"), {
        "issuer": other.office.pk, "number": "县委办发〔2023〕1号", "title": "通知",
        "issued_on": "2023-07-01", "points": "一",
    })  # fmt: skip
    assert response.status_code == 200
    assert "所选项不存在或不可选，请重新选择。" in response.content.decode()
    assert not other.office.directives.exists()


def test_reporter_may_not_open_directives(world, client_for):
    assert client_for(world.reporter_a).get(reverse("directives:directive_list")).status_code == 403
    url = reverse("directives:directive_create")
    assert client_for(world.inspector).get(url).status_code == 403


def test_directive_of_another_county_does_not_exist_for_its_coordinator(county, client_for):
    other = build_county(1, name="邻县", prefix="other")
    directive = directive_of(county)
    url = reverse("directives:directive_detail", args=[directive.pk])
    assert client_for(other.coordinator).get(url).status_code == 404
    assert client_for(county.inspector).get(url).status_code == 200


def test_hand_down_form_offers_only_the_districts_directly_below(county, client_for):
    other = build_county(1, name="邻县", prefix="other")
    point = directive_of(county).points.first()
    page = client_for(county.coordinator).get(
        reverse("directives:handdown_create") + f"?point={point.pk}"
    )
    units = list(page.context["form"].fields["units"].queryset)
    assert units == [d.unit for d in county.districts]
    assert other.districts[0].unit not in units


def test_forged_district_of_another_county_is_refused_with_a_clear_error(county, client_for):
    other = build_county(1, name="邻县", prefix="other")
    url = reverse("directives:handdown_create")
    response = client_for(county.coordinator).post(
        url, {"task": county.upper_task.pk, "units": [other.districts[0].unit.pk], "note": ""}
    )
    assert response.status_code == 200
    assert "所选承接的区（县）不是本级可交办的下级" in response.content.decode()
    assert not HandDown.objects.exists()


def test_forged_upper_task_of_another_county_is_404(county, client_for):
    other = build_county(1, name="邻县", prefix="other")
    url = reverse("directives:handdown_create") + f"?task={other.upper_task.pk}"
    assert client_for(county.coordinator).get(url).status_code == 404
    assert (
        client_for(county.coordinator).get(url.replace(str(other.upper_task.pk), "x")).status_code
        == 404
    )


def test_point_of_another_countys_directive_is_404(county, client_for):
    other = build_county(1, name="邻县", prefix="other")
    point = directive_of(other).points.first()
    url = reverse("directives:handdown_create") + f"?point={point.pk}"
    assert client_for(county.coordinator).get(url).status_code == 404


def test_hand_down_from_a_point_creates_the_upper_task_and_the_records(county, client_for):
    point = directive_of(county).points.first()
    response = client_for(county.coordinator).post(reverse("directives:handdown_create"), {
        "point": point.pk, "upper_task": "", "title": "营商环境攻坚", "category": county.category.pk,
        "lead_unit": county.office.pk, "due_date": "2023-10-31",
        "units": [d.unit.pk for d in county.districts], "note": "9月底前报送进展",
    })  # fmt: skip
    assert response.status_code == 302
    upper = Task.objects.get(title="营商环境攻坚")
    assert upper.target == point.text
    assert list(HandDown.objects.values_list("state", flat=True)) == [HandDownState.PENDING] * 2


def test_district_coordinator_sees_and_accepts_a_hand_down(county, client_for):
    first, second = county.districts
    (handdown, _) = hand_down(county)
    c = client_for(first.coordinator)
    inbox = c.get(reverse("directives:inbox")).content.decode()
    assert county.upper_task.title in inbox and "接收（新建任务/关联已有任务）" in inbox
    response = c.post(reverse("directives:handdown_accept", args=[handdown.pk]), {
        "mode": "new", "title": "一区营商环境", "category": first.category.pk,
        "lead_unit": first.bureau.pk, "start_date": "2023-08-01", "due_date": "2023-11-15",
    })  # fmt: skip
    assert response.status_code == 302
    child = Task.objects.get(title="一区营商环境")
    assert child.upper_task == county.upper_task and child.campaign == first.campaign
    page = (
        client_for(county.coordinator)
        .get(reverse("directives:upper_task", args=[county.upper_task.pk]))
        .content.decode()
    )
    assert "一区营商环境" in page and "待接收" in page and "完成<b>0/2</b>" in page


def test_a_new_task_accepted_from_a_hand_down_takes_the_upper_tasks_goal_not_the_note(
    county, client_for
):
    """The note (交办要求) is a message to the receiver, shown on the 接收 page; the new task's
    目标任务 is the upper task's goal."""
    first = county.districts[0]
    note = "请于8月10日前接收并明确牵头单位。"
    (handdown,) = handdown_create(by=county.coordinator, upper_task=county.upper_task,
                                  units=[first.unit], note=note, today=TODAY)  # fmt: skip
    c = client_for(first.coordinator)
    url = reverse("directives:handdown_accept", args=[handdown.pk])
    page = c.get(url).content.decode()
    assert note in page and county.upper_task.target in page
    response = c.post(url, {
        "mode": "new", "title": "一区承接任务", "category": first.category.pk,
        "lead_unit": first.bureau.pk, "start_date": "2023-08-01", "due_date": "2023-11-15",
    })  # fmt: skip
    assert response.status_code == 302
    child = Task.objects.get(title="一区承接任务")
    assert county.upper_task.target and child.target == county.upper_task.target
    assert HandDown.objects.get(pk=handdown.pk).note == note


def test_accepting_with_a_task_of_another_district_is_a_clear_error(county, client_for):
    first, second = county.districts
    theirs = child_task(second, county.upper_task, title="二区任务")
    theirs.upper_task = None
    theirs.save()
    (handdown, _) = hand_down(county)
    response = client_for(first.coordinator).post(
        reverse("directives:handdown_accept", args=[handdown.pk]),
        {"mode": "existing", "task": theirs.pk},
    )
    assert (
        response.status_code == 200
        and "所选项不存在或不可选，请重新选择。" in response.content.decode()
    )


def test_only_the_receiving_coordinator_answers(county, client_for):
    first, second = county.districts
    (handdown, _) = hand_down(county)
    url = reverse("directives:handdown_accept", args=[handdown.pk])
    assert client_for(second.coordinator).get(url).status_code == 404
    assert client_for(county.coordinator).get(url).status_code == 403
    assert client_for(first.coordinator).get(url).status_code == 200


def test_return_is_post_only_and_needs_a_reason(county, client_for):
    first = county.districts[0]
    (handdown, _) = hand_down(county)
    url = reverse("directives:handdown_return", args=[handdown.pk])
    c = client_for(first.coordinator)
    assert c.get(url).status_code == 405
    c.post(url, {"reason": ""})
    handdown.refresh_from_db()
    assert handdown.state == HandDownState.PENDING
    c.post(url, {"reason": "<b>不属本区</b>"})
    handdown.refresh_from_db()
    assert handdown.state == HandDownState.RETURNED
    page = (
        client_for(county.coordinator)
        .get(reverse("directives:upper_task", args=[county.upper_task.pk]))
        .content.decode()
    )
    assert "&lt;b&gt;不属本区&lt;/b&gt;" in page


def test_upper_task_page_of_the_county_is_not_the_districts(county, client_for):
    url = reverse("directives:upper_task", args=[county.upper_task.pk])
    assert client_for(county.districts[0].coordinator).get(url).status_code == 404


def test_county_coordinator_follows_the_link_down_to_a_child(county, client_for):
    child = child_task(county.districts[0], county.upper_task)
    c = client_for(county.coordinator)
    detail = c.get(county.upper_task.get_absolute_url()).content.decode()
    assert "下级落实情况" in detail and child.get_absolute_url() in detail
    assert c.get(child.get_absolute_url()).status_code == 200


def _grow(county, n):
    def grow():
        start = len(county.districts) + 1
        for index in range(start, start + n):
            district = add_district(county, index)
            (handdown,) = handdown_create(
                by=county.coordinator, upper_task=county.upper_task, units=[district.unit],
                today=TODAY - datetime.timedelta(days=index),
            )  # fmt: skip
            if index % 3:
                handdown.state = HandDownState.ACCEPTED
                handdown.save()
                task = child_task(district, county.upper_task)
                ProgressReport.objects.create(
                    task=task, unit=district.bureau, period=datetime.date(2023, 7, 1),
                    text=f"第{index}区进展", submitted_by=district.coordinator,
                )  # fmt: skip

    return grow


def test_upper_task_page_runs_the_same_queries_for_2_and_12_districts(county, client_for):
    c = client_for(county.coordinator)
    hand_down(county)
    child_task(county.districts[0], county.upper_task)
    url = reverse("directives:upper_task", args=[county.upper_task.pk])
    # 11: one asks whether the level has a district below it (the 交办下级 button), one reads
    # the task's own status (本级, shown beside 下级汇总)
    response = assert_same_queries(get_page(c, url), _grow(county, 10), at_most=11, warm_up=True)
    assert len(response.context["view"].lines) == 12
    assert "第11区进展" in response.content.decode()


def test_directive_detail_and_inbox_run_bounded_queries(county, client_for):
    directive = directive_of(county)
    point = directive.points.first()
    handdown_create(by=county.coordinator, upper_task=county.upper_task,
                    units=[d.unit for d in county.districts], point=point, today=TODAY)  # fmt: skip
    c = client_for(county.coordinator)
    url = reverse("directives:directive_detail", args=[directive.pk])

    def grow():
        for index in range(3, 13):
            district = add_district(county, index)
            (handdown,) = handdown_create(by=county.coordinator, upper_task=county.upper_task,
                                          units=[district.unit], point=point, today=TODAY)  # fmt: skip
            HandDown.objects.filter(pk=handdown.pk).update(state=HandDownState.ACCEPTED)
            child_task(district, county.upper_task)

    # 12: one of them asks whether the level has a district below it (the 交办下级 button)
    response = assert_same_queries(get_page(c, url), grow, at_most=12, warm_up=True)
    (group,) = response.context["points"][0].groups
    assert len(group.handdowns) == 12 and group.rolled.owed == 12 and group.rolled.waiting == 2


def test_inbox_runs_the_same_queries_for_1_and_11_hand_downs(county, client_for):
    first = county.districts[0]
    hand_down(county, [first.unit])

    def grow():
        for index in range(10):
            upper = make_task(campaign=county.campaign, category=county.category,
                              unit=county.office, title=f"县任务{index}")  # fmt: skip
            handdown_create(by=county.coordinator, upper_task=upper, units=[first.unit],
                            today=TODAY)  # fmt: skip

    page = get_page(client_for(first.coordinator), reverse("directives:inbox"))
    # 6: session, user, person, the hand-downs, the unread count (with the hand-downs not yet
    # told), and the one walk of the level's subtree the nav's 下级对比 entry asks for.
    response = assert_same_queries(page, grow, at_most=6, warm_up=True)
    assert len(response.context["pending"]) == 11


def test_admin_lists_directives_and_hand_downs_for_the_county(county, client_for):
    hand_down(county)
    directive_of(county)
    c = client_for(county.coordinator)
    assert c.get(reverse("admin:directives_directive_changelist")).status_code == 200
    page = c.get(reverse("admin:directives_handdown_changelist"))
    assert page.status_code == 200 and "第1区党委政府" in page.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/directives/99999999999999999999999/",
        "/directives/files/99999999999999999999999/",
        "/directives/handdown/new/?point=abc",
        "/directives/handdown/new/?point=99999999999999999999999",
        "/directives/handdown/new/?task=%00",
        "/directives/handdown/99999999999999999999999/accept/",
        "/directives/task/99999999999999999999999/",
    ],
)
def test_malformed_and_huge_ids_are_404_never_500(county, client_for, url):
    assert client_for(county.coordinator).get(url).status_code == 404


def test_accept_with_a_forged_mode_is_a_form_error(county, client_for):
    (handdown, _) = hand_down(county)
    response = client_for(county.districts[0].coordinator).post(
        reverse("directives:handdown_accept", args=[handdown.pk]), {"mode": "<script>"}
    )
    assert response.status_code == 200
    assert "“&lt;script&gt;”不是可选的值，请从列表中选择。" in response.content.decode()
    handdown.refresh_from_db()
    assert handdown.state == HandDownState.PENDING


def test_district_coordinator_accepts_by_linking_an_existing_task(county, client_for):
    first = county.districts[0]
    own = make_task(campaign=first.campaign, category=first.category, unit=first.bureau,
                    title="一区营商环境提升")  # fmt: skip
    (handdown, _) = hand_down(county)
    url = reverse("directives:handdown_accept", args=[handdown.pk])
    response = client_for(first.coordinator).post(url, {"mode": "existing", "task": own.pk})
    assert response.status_code == 302 and response["Location"] == own.get_absolute_url()
    own.refresh_from_db()
    assert own.upper_task == county.upper_task
    detail = client_for(first.coordinator).get(own.get_absolute_url()).content.decode()
    assert "上级任务" in detail and county.upper_task.title in detail
