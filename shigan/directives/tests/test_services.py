import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from shigan.core.models import AuditEntry
from shigan.directives.models import HandDown, HandDownState, number_error
from shigan.directives.services import (
    directive_create,
    handdown_accept_existing,
    handdown_accept_new,
    handdown_create,
    handdown_return,
)
from shigan.directives.tests.factories import build_county
from shigan.tasks.models import Task
from shigan.testing import make_task

TODAY = datetime.date(2023, 7, 31)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def county(db):
    return build_county()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_number_accepts_the_hexagonal_brackets_and_lenient_ones():
    assert number_error("县委办发〔2023〕12号") is None
    assert number_error("县委办发[2023]12号") is None
    assert number_error("县委办发（2023） 12号") is None


def test_number_without_year_brackets_is_refused_with_an_example():
    message = number_error("县委办发2023-12")
    assert "格式不对" in message and "〔2023〕" in message
    assert "请填写文号" in number_error("  ")


def test_directive_is_recorded_with_ordered_points_and_a_readable_attachment(county, media):
    upload = SimpleUploadedFile("通知.pdf", PDF, content_type="application/pdf")
    directive = directive_create(
        by=county.coordinator, issuer=county.office, number="县委办发[2023]12号",
        title="关于开展实干年活动的通知", issued_on=TODAY, points=["一、清单管理", "", "二、挂图作战"],
        files=[upload],
    )  # fmt: skip
    assert directive.number == "县委办发〔2023〕12号"
    assert [p.text for p in directive.points.all()] == ["一、清单管理", "二、挂图作战"]
    stored = directive.files.get()
    with stored.file.open("rb") as handle:
        assert handle.read() == PDF
    assert stored.original_name == "通知.pdf"
    assert AuditEntry.objects.filter(record_type="directives.directive").count() == 1


def test_refused_directive_saves_nothing_and_names_every_problem(county, media):
    fake = SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        directive_create(
            by=county.coordinator, issuer=county.office, number="12号", title=" ",
            issued_on=TODAY, points=[], files=[fake],
        )  # fmt: skip
    text = "；".join(error.value.messages)
    assert "文号" in text and "标题" in text and "要求事项" in text and "病毒.pdf" in text
    assert not county.office.directives.exists()
    assert not any(media.rglob("*.pdf")) if media.exists() else True


def test_same_number_twice_for_one_issuer_is_refused(county, media):
    kwargs = {"by": county.coordinator, "issuer": county.office, "title": "通知",
              "issued_on": TODAY, "points": ["一"]}  # fmt: skip
    directive_create(number="县委办发〔2023〕12号", **kwargs)
    with pytest.raises(ValidationError, match="已录入"):
        directive_create(number="县委办发[2023]12号", **kwargs)


def test_hand_down_makes_one_pending_record_per_district_audited(county):
    units = [d.unit for d in county.districts]
    made = handdown_create(by=county.coordinator, upper_task=county.upper_task, units=units,
                           today=TODAY)  # fmt: skip
    assert [h.state for h in made] == [HandDownState.PENDING] * 2
    assert AuditEntry.objects.filter(record_type="directives.handdown").count() == 2


def test_hand_down_to_a_unit_not_directly_below_is_refused_whole(county):
    other = build_county(1, name="邻县", prefix="other")
    units = [county.districts[0].unit, other.districts[0].unit, county.districts[1].bureau]
    with pytest.raises(ValidationError) as error:
        handdown_create(by=county.coordinator, upper_task=county.upper_task, units=units,
                        today=TODAY)  # fmt: skip
    text = "；".join(error.value.messages)
    assert "第1区党委政府”不是本级直属" in text and "交通局”不是区（县）党委政府" in text
    assert not HandDown.objects.exists()


def test_hand_down_twice_to_the_same_district_is_refused(county):
    unit = county.districts[0].unit
    handdown_create(by=county.coordinator, upper_task=county.upper_task, units=[unit], today=TODAY)
    with pytest.raises(ValidationError, match="请勿重复交办"):
        handdown_create(
            by=county.coordinator, upper_task=county.upper_task, units=[unit], today=TODAY
        )


def test_accept_new_creates_the_districts_task_linked_to_the_upper_task(county):
    district = county.districts[0]
    (handdown,) = handdown_create(
        by=county.coordinator, upper_task=county.upper_task, units=[district.unit], today=TODAY
    )
    task = handdown_accept_new(
        by=district.coordinator, handdown=handdown, campaign=district.campaign,
        category=district.category, title="区落实营商环境", target="", lead_unit=district.bureau,
        leader=None, start_date=TODAY, due_date=datetime.date(2023, 11, 15), today=TODAY,
    )  # fmt: skip
    assert task.upper_task == county.upper_task and task.campaign == district.campaign
    assert task.number == 1  # the first of the district's category
    handdown.refresh_from_db()
    assert handdown.state == HandDownState.ACCEPTED and handdown.answered_on == TODAY
    entry = (
        AuditEntry.objects.filter(record_type="tasks.task", record_id=task.pk).order_by("id").last()
    )
    assert entry.changes["上级任务"][1] == county.upper_task.title


def test_accept_with_another_districts_unit_is_refused_and_saves_nothing(county):
    first, second = county.districts
    (handdown,) = handdown_create(
        by=county.coordinator, upper_task=county.upper_task, units=[first.unit], today=TODAY
    )
    before = Task.objects.count()
    with pytest.raises(ValidationError, match="不属于"):
        handdown_accept_new(
            by=first.coordinator, handdown=handdown, campaign=first.campaign,
            category=first.category, title="x", target="", lead_unit=second.bureau, leader=None,
            start_date=TODAY, due_date=TODAY, today=TODAY,
        )  # fmt: skip
    assert Task.objects.count() == before
    handdown.refresh_from_db()
    assert handdown.state == HandDownState.PENDING


def test_accept_existing_links_own_task_and_a_second_answer_is_refused(county):
    district = county.districts[0]
    own = make_task(campaign=district.campaign, category=district.category, unit=district.bureau,
                    title="区营商环境提升")  # fmt: skip
    (handdown,) = handdown_create(
        by=county.coordinator, upper_task=county.upper_task, units=[district.unit], today=TODAY
    )
    handdown_accept_existing(by=district.coordinator, handdown=handdown, task=own, today=TODAY)
    own.refresh_from_db()
    assert own.upper_task_id == county.upper_task.pk
    with pytest.raises(ValidationError, match="已已接收|已接收"):
        handdown_return(by=district.coordinator, handdown=handdown, reason="重复", today=TODAY)


def test_linking_another_districts_task_is_refused(county):
    first, second = county.districts
    theirs = make_task(campaign=second.campaign, category=second.category, unit=second.bureau,
                       title="二区的任务")  # fmt: skip
    (handdown,) = handdown_create(
        by=county.coordinator, upper_task=county.upper_task, units=[first.unit], today=TODAY
    )
    with pytest.raises(ValidationError, match="不是第1区党委政府本级的任务"):
        handdown_accept_existing(by=first.coordinator, handdown=handdown, task=theirs, today=TODAY)


def test_return_needs_a_reason_and_allows_handing_down_again(county):
    unit = county.districts[0].unit
    (handdown,) = handdown_create(
        by=county.coordinator, upper_task=county.upper_task, units=[unit], today=TODAY
    )
    with pytest.raises(ValidationError, match="退回理由"):
        handdown_return(by=county.districts[0].coordinator, handdown=handdown, reason=" ",
                        today=TODAY)  # fmt: skip
    handdown_return(by=county.districts[0].coordinator, handdown=handdown, reason="不属本区职责",
                    today=TODAY)  # fmt: skip
    handdown.refresh_from_db()
    assert handdown.state == HandDownState.RETURNED and handdown.return_reason == "不属本区职责"
    again = handdown_create(by=county.coordinator, upper_task=county.upper_task, units=[unit],
                            today=TODAY)  # fmt: skip
    assert again[0].state == HandDownState.PENDING


def test_hand_down_citing_a_point_of_another_directive_is_refused_in_chinese(county):
    """One task answers one directive: once handed down by a point of 县委办发〔2023〕8号, the
    same task handed on by a point of another directive is refused, naming both, nothing
    saved; another point of the same directive is accepted."""
    kwargs = {"by": county.coordinator, "issuer": county.office, "issued_on": TODAY}
    first = directive_create(number="县委办发〔2023〕8号", title="实干年通知", points=["一", "二"],
                             **kwargs)  # fmt: skip
    other = directive_create(number="县委办发〔2023〕9号", title="营商环境通知", points=["一"],
                             **kwargs)  # fmt: skip
    one, two = first.points.all()
    first_unit, second_unit = (d.unit for d in county.districts)
    task = county.upper_task
    handdown_create(by=county.coordinator, upper_task=task, units=[first_unit], point=one,
                    today=TODAY)  # fmt: skip
    with pytest.raises(ValidationError) as error:
        handdown_create(by=county.coordinator, upper_task=task, units=[second_unit],
                        point=other.points.get(), today=TODAY)  # fmt: skip
    assert error.value.messages == [
        "任务“优化营商环境专项行动”已依据县委办发〔2023〕8号《实干年通知》交办，所选要求事项"
        "出自另一文件县委办发〔2023〕9号，不能据此交办：请按原文件的要求事项交办，"
        "或据此要求事项新建任务。"
    ]
    assert HandDown.objects.count() == 1
    made = handdown_create(by=county.coordinator, upper_task=task, units=[second_unit], point=two,
                           today=TODAY)  # fmt: skip
    assert made[0].point == two
