"""Notices (通报) with their exemplars (典型): recorded with a unique document number; read by
every role; a reporter sees which name his unit."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from shigan.core.models import AuditEntry
from shigan.supervision.models import Exemplar, Notice, NoticeKind, Polarity
from shigan.supervision.services import ExemplarInput, notice_record
from shigan.supervision.services.notices import normalise_doc_number


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def record(world, doc_number="示作风办〔2023〕3号", exemplars=None, **kw):
    return notice_record(
        campaign=world.campaign,
        doc_number=doc_number,
        date=datetime.date(2023, 6, 5),
        title=kw.pop("title", "关于作风建设专项督查发现问题的通报"),
        kind=kw.pop("kind", NoticeKind.CRITICISM),
        exemplars=exemplars
        if exemplars is not None
        else [
            ExemplarInput(polarity=Polarity.NEGATIVE, title="台账弄虚作假", units=[world.unit_a])
        ],
        by=world.coordinator,
        **kw,
    )


def test_notice_is_recorded_with_its_exemplars_and_audited(world):
    notice = record(
        world,
        exemplars=[
            ExemplarInput(polarity=Polarity.NEGATIVE, title="反面", units=[world.unit_a]),
            ExemplarInput(polarity=Polarity.POSITIVE, title="先进", people=[world.leader_person]),
        ],
    )
    assert [e.title for e in notice.exemplars.all()] == ["反面", "先进"]
    assert list(notice.exemplars.get(title="先进").people.all()) == [world.leader_person]
    types = AuditEntry.objects.values_list("record_type", flat=True)
    assert sorted(types) == ["supervision.exemplar", "supervision.exemplar", "supervision.notice"]


@pytest.mark.parametrize(
    "typed",
    ["示作风办〔2023〕3号", " 示作风办 [2023] 3号", "示作风办（2023）3 号", "示作风办【2023】3号"],
)
def test_duplicate_doc_number_is_refused_however_typed(world, typed):
    record(world)
    with pytest.raises(ValidationError) as e:
        record(world, doc_number=typed, title="另一份通报")
    assert "文号“示作风办〔2023〕3号”已被通报《关于作风建设专项督查发现问题的通报》使用" in str(
        e.value
    )
    assert Notice.objects.count() == 1 and Exemplar.objects.count() == 1


def test_doc_number_normalisation():
    assert normalise_doc_number(" 示发 [2023] 6 号 ") == "示发〔2023〕6号"
    assert normalise_doc_number("示发（2023）6号") == "示发〔2023〕6号"


def test_exemplar_without_unit_or_person_is_refused(world):
    with pytest.raises(ValidationError, match="请至少选择一个涉及的单位或人员"):
        record(world, exemplars=[ExemplarInput(polarity=Polarity.POSITIVE, title="先进")])
    assert Notice.objects.count() == 0


def test_coordinator_records_a_notice_through_the_form(world, client_for):
    data = {
        "campaign": world.campaign.pk,
        "doc_number": "示发〔2023〕6号",
        "date": "2023-02-20",
        "title": "关于表彰2022年度经济工作先进集体和先进个人的决定",
        "kind": "praise",
        "body": "经济工作会议表彰。",
        "exemplar-TOTAL_FORMS": "3",
        "exemplar-INITIAL_FORMS": "0",
        "exemplar-0-polarity": "positive",
        "exemplar-0-title": "经济工作先进集体",
        "exemplar-0-units": [world.unit_a.pk],
        "exemplar-1-polarity": "positive",
        "exemplar-2-polarity": "positive",
    }
    client = client_for(world.coordinator)
    response = client.post("/supervision/notices/new/", data)
    notice = Notice.objects.get()
    assert response.status_code == 302 and response["Location"] == notice.get_absolute_url()
    assert [e.title for e in notice.exemplars.all()] == ["经济工作先进集体"]

    data["title"] = "重复文号"
    response = client.post("/supervision/notices/new/", data)
    assert response.status_code == 200
    assert "文号“示发〔2023〕6号”已被通报" in response.content.decode()
    assert Notice.objects.count() == 1


def test_exemplar_form_without_units_or_people_shows_the_message(world, client_for):
    data = {
        "campaign": world.campaign.pk,
        "doc_number": "示作风办〔2023〕9号",
        "date": "2023-06-05",
        "title": "通报",
        "kind": "criticism",
        "exemplar-TOTAL_FORMS": "1",
        "exemplar-INITIAL_FORMS": "0",
        "exemplar-0-polarity": "negative",
        "exemplar-0-title": "反面典型",
    }
    response = client_for(world.coordinator).post("/supervision/notices/new/", data)
    assert response.status_code == 200
    assert "请至少选择一个涉及的单位或人员。" in response.content.decode()
    assert Notice.objects.count() == 0


def test_every_role_reads_notices_and_a_reporter_sees_his_unit_named(world, client_for):
    notice = record(world)
    for user in world.users().values():
        assert client_for(user).get(notice.get_absolute_url()).status_code == 200
        assert notice.title in client_for(user).get("/supervision/notices/").content.decode()
    assert (
        "涉及本单位" in client_for(world.reporter_a).get("/supervision/notices/").content.decode()
    )
    assert (
        "涉及本单位"
        not in client_for(world.reporter_b).get("/supervision/notices/").content.decode()
    )
    body = client_for(world.reporter_b).get(notice.get_absolute_url()).content.decode()
    assert "反面典型" in body and "区交通局" in body


def test_notice_list_filters_by_polarity(world, client_for):
    record(world)
    record(
        world,
        doc_number="示发〔2023〕6号",
        title="表彰决定",
        kind=NoticeKind.PRAISE,
        exemplars=[
            ExemplarInput(polarity=Polarity.POSITIVE, title="先进", units=[world.unit_b]),
            ExemplarInput(polarity=Polarity.POSITIVE, title="先进2", units=[world.unit_a]),
        ],
    )
    body = client_for(world.leader).get("/supervision/notices/?polarity=positive").content.decode()
    assert "表彰决定" in body and "专项督查发现问题" not in body
    assert body.count("表彰决定") == 1  # listed once although two exemplars match
