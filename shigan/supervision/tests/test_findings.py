"""Inspections and findings: a finding is a rectification task of its unit, on the battle map,
seen by that unit and not by others; bad input is refused with nothing saved."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from shigan.core.models import AuditEntry
from shigan.supervision.models import Finding, Inspection, Severity
from shigan.supervision.services import finding_record, inspection_record
from shigan.tasks.models import Task, TaskOrigin

from .helpers import INSPECTION_DATE, make_finding, make_inspection


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def test_finding_creates_a_rectification_task_of_its_unit(world):
    finding = make_finding(world, make_inspection(world))
    task = finding.task
    assert task.origin == TaskOrigin.FINDING
    assert task.category.name == "督查整改事项"
    assert task.lead_unit == world.unit_a
    assert task.leader == world.leader_person  # the leader overseeing unit A
    assert (task.start_date, task.due_date) == (INSPECTION_DATE, datetime.date(2023, 8, 31))
    assert task.title.startswith("整改：项目台账不完整")
    assert "补齐台账" in task.target
    audited = set(AuditEntry.objects.filter(task_id=task.pk).values_list("record_type", flat=True))
    assert {"tasks.task", "supervision.finding"} <= audited


def test_finding_task_is_visible_to_its_units_reporter_and_not_the_outsider(world, client_for):
    finding = make_finding(world, make_inspection(world))
    for user in (world.reporter_a, world.leader, world.coordinator, world.inspector):
        assert client_for(user).get(finding.task.get_absolute_url()).status_code == 200
        assert client_for(user).get(finding.get_absolute_url()).status_code == 200
    outsider = client_for(world.reporter_b)
    assert outsider.get(finding.task.get_absolute_url()).status_code == 404
    assert outsider.get(finding.get_absolute_url()).status_code == 404


def test_finding_appears_on_the_battle_map_and_task_list(world, client_for):
    finding = make_finding(world, make_inspection(world))
    client = client_for(world.reporter_a)
    assert finding.task.title in client.get("/map/").content.decode()
    assert finding.task.title in client.get("/tasks/").content.decode()
    assert finding.task.title not in client_for(world.reporter_b).get("/tasks/").content.decode()


def test_deadline_before_inspection_date_is_refused_and_nothing_saved(world):
    inspection = make_inspection(world)
    with pytest.raises(ValidationError) as e:
        make_finding(world, inspection, deadline=datetime.date(2023, 5, 1))
    assert "整改时限2023-05-01早于督查日期2023-05-16" in str(e.value)
    assert Finding.objects.count() == 0
    assert not Task.objects.filter(origin=TaskOrigin.FINDING).exists()


def test_finding_in_a_unit_not_inspected_is_refused(world):
    inspection = make_inspection(world, units=[world.unit_a])
    with pytest.raises(ValidationError) as e:
        make_finding(world, inspection, unit=world.unit_b)
    assert "不在本次督查的被督查单位中" in str(e.value)
    assert Finding.objects.count() == 0 and Task.objects.filter(origin="finding").count() == 0


def test_empty_problem_and_requirement_are_refused(world):
    with pytest.raises(ValidationError) as e:
        finding_record(
            inspection=make_inspection(world),
            unit=world.unit_a,
            problem="  ",
            severity=Severity.GRAVE,
            requirement="",
            deadline=datetime.date(2023, 6, 30),
            by=world.inspector,
        )
    assert e.value.message_dict == {
        "problem": ["请填写问题描述。"],
        "requirement": ["请填写整改要求。"],
    }
    assert Finding.objects.count() == 0


def test_inspection_needs_topic_units_and_inspectors(world):
    with pytest.raises(ValidationError) as e:
        inspection_record(
            campaign=world.campaign,
            topic="",
            kind="special",
            date=INSPECTION_DATE,
            inspectors=[],
            units=[],
            by=world.inspector,
        )
    assert set(e.value.message_dict) == {"topic", "inspectors", "units"}
    assert Inspection.objects.count() == 0


def test_inspector_records_an_inspection_through_the_form(world, client_for):
    response = client_for(world.inspector).post(
        "/supervision/new/",
        {
            "campaign": world.campaign.pk,
            "topic": "窗口服务暗访",
            "kind": "unannounced",
            "date": "2023-06-01",
            "inspectors": [world.inspector.person.pk],
            "units": [world.unit_a.pk, world.unit_b.pk],
            "summary": "暗访两个窗口。",
        },
    )
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response["Location"] == inspection.get_absolute_url()
    assert set(inspection.units.all()) == {world.unit_a, world.unit_b}
    entry = AuditEntry.objects.get(record_type="supervision.inspection")
    assert entry.actor == world.inspector and "区交通局" in entry.note


def test_inspector_adds_a_finding_on_the_inspection_page(world, client_for):
    inspection = make_inspection(world)
    response = client_for(world.inspector).post(
        f"/supervision/{inspection.pk}/findings/new/",
        {
            "unit": world.unit_b.pk,
            "problem": "河道施工现场警示标志缺失。",
            "severity": "serious",
            "requirement": "完善警示标志。",
            "deadline": "2023-06-30",
        },
    )
    finding = Finding.objects.get()
    assert response.status_code == 302
    assert finding.unit == world.unit_b and finding.task.lead_unit == world.unit_b


@pytest.mark.parametrize(
    "change, message",
    [
        ({"deadline": "2023-05-01"}, "整改时限2023-05-01早于督查日期2023-05-16。"),
        ({"unit": "999999"}, "该单位不在本次督查的被督查单位中。"),
        ({"problem": ""}, "这个字段是必填项。"),
    ],
)
def test_bad_finding_input_shows_the_message_and_saves_nothing(world, client_for, change, message):
    inspection = make_inspection(world, units=[world.unit_a])
    data = {
        "unit": world.unit_a.pk,
        "problem": "问题",
        "severity": "general",
        "requirement": "要求",
        "deadline": "2023-06-30",
        **change,
    }
    response = client_for(world.inspector).post(f"/supervision/{inspection.pk}/findings/new/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Finding.objects.count() == 0 and Task.objects.filter(origin="finding").count() == 0


def test_other_units_not_inspected_are_not_offered(world, client_for):
    inspection = make_inspection(world, units=[world.unit_a])
    body = client_for(world.inspector).get(inspection.get_absolute_url()).content.decode()
    assert f'value="{world.unit_a.pk}"' in body and f'value="{world.unit_b.pk}"' not in body


def test_inspection_list_counts_findings_by_status(world, client_for):
    inspection = make_inspection(world)
    make_finding(world, inspection)
    make_finding(world, inspection, deadline=datetime.date(2023, 6, 30))  # overdue on 07-20
    body = client_for(world.coordinator).get("/supervision/").content.decode()
    assert "作风建设专项督查" in body
    assert '<span class="fstatus fstatus-overdue">1</span>' in body
    assert '<span class="fstatus fstatus-pending">1</span>' in body


def test_inspection_list_filters(world, client_for):
    make_inspection(world, units=[world.unit_a], topic="交通督查")
    make_inspection(world, units=[world.unit_b], topic="水务督查")
    client = client_for(world.coordinator)
    body = client.get(f"/supervision/?unit={world.unit_b.pk}").content.decode()
    assert "水务督查" in body and "交通督查" not in body
    body = client.get("/supervision/?q=交通&kind=special").content.decode()
    assert "交通督查" in body and "水务督查" not in body
    body = client.get("/supervision/?date_from=2023-06-01").content.decode()
    assert "交通督查" not in body


def test_reporter_sees_only_his_units_findings_on_a_shared_inspection(world, client_for):
    inspection = make_inspection(world)
    make_finding(world, inspection, problem="交通局的问题")
    make_finding(world, inspection, unit=world.unit_b, problem="水务局的问题")
    body = client_for(world.reporter_a).get(inspection.get_absolute_url()).content.decode()
    assert "交通局的问题" in body and "水务局的问题" not in body
    body = client_for(world.reporter_a).get("/supervision/findings/").content.decode()
    assert "交通局的问题" in body and "水务局的问题" not in body


def test_finding_list_filters_by_status(world, client_for):
    inspection = make_inspection(world)
    make_finding(world, inspection, problem="按期问题")
    make_finding(world, inspection, problem="超期问题", deadline=datetime.date(2023, 6, 30))
    body = client_for(world.leader).get("/supervision/findings/?status=overdue").content.decode()
    assert "超期问题" in body and "按期问题" not in body
