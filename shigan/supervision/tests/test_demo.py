"""The supervision demo: one special inspection with findings at every stage, and two notices."""

import datetime

import pytest

from shigan.demo.supervision import load_supervision_demo
from shigan.orgs.models import Unit, UnitKind
from shigan.supervision.models import Inspection, Notice, Verification
from shigan.supervision.queries import finding_rows
from shigan.supervision.status import FindingStatus
from shigan.tasks.models import ChangeRequest, TaskState


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")


@pytest.fixture
def units(world):
    office = dict(kind=UnitKind.OFFICE, parent=world.district)
    return {
        "transport": world.unit_a,
        "water": world.unit_b,
        "investment": Unit.objects.create(name="招商服务中心", **office),
        "agriculture": Unit.objects.create(name="农业农村办公室", **office),
    }


def test_demo_inspection_has_findings_at_every_stage(world, units):
    demo = load_supervision_demo(
        campaign=world.campaign, people={"inspector": world.inspector.person}, units=units
    )
    inspection = Inspection.objects.get()
    assert inspection.topic == "作风建设专项督查" and inspection.kind == "special"
    assert inspection.date == datetime.date(2023, 5, 16)
    rows = finding_rows(inspection.findings.order_by("id"), datetime.date(2023, 7, 31))
    assert [r.status for r in rows] == [
        FindingStatus.CLOSED,
        FindingStatus.IN_PROGRESS,
        FindingStatus.OVERDUE,
        FindingStatus.PENDING,
    ]
    assert [r.finding.unit for r in rows] == list(units.values())
    closed = demo.findings[0].task
    closed.refresh_from_db()
    assert closed.state == TaskState.COMPLETED and closed.closed_on == datetime.date(2023, 6, 15)
    approval = ChangeRequest.objects.get(task=closed)
    assert approval.kind == "complete" and approval.state == "approved"
    assert approval.decided_at.date() == datetime.date(2023, 6, 15)
    assert Verification.objects.filter(result="passed").count() == 1
    assert Verification.objects.filter(result="failed").count() == 1


def test_demo_notices_name_a_negative_case_and_advanced_models(world, units):
    load_supervision_demo(campaign=world.campaign, people={}, units=units)
    criticism = Notice.objects.get(doc_number="示作风办〔2023〕3号")
    negative = criticism.exemplars.get()
    assert negative.polarity == "negative" and list(negative.units.all()) == [units["investment"]]
    praise = Notice.objects.get(kind="praise")
    assert "经济工作" in praise.title
    assert {e.polarity for e in praise.exemplars.all()} == {"positive"}
    assert praise.exemplars.count() == 3


def test_demo_falls_back_to_the_first_suitable_units(world):
    demo = load_supervision_demo(campaign=world.campaign, people={}, units={})
    assert {f.unit for f in demo.findings} == {world.unit_a, world.unit_b}
    assert len(demo.notices) == 2
