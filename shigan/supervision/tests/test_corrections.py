"""Inspections, findings and notices corrected after entry (更正): a reason is required, the
change is saved in one transaction and audited with before/after and the reason, the rules of
entry hold after it, and the records that hang on the corrected one follow it."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from shigan.core.models import AuditAction, AuditEntry
from shigan.orgs.models import Oversight, Person, Role
from shigan.supervision.models import Exemplar, Finding, Inspection, Notice, Polarity
from shigan.supervision.services import (
    ExemplarInput,
    finding_correct,
    inspection_correct,
    notice_correct,
    notice_record,
    verification_record,
)
from shigan.tasks.models import ChangeKind, ChangeRequest, ChangeState, ProgressReport

from .helpers import INSPECTION_DATE, complete, make_finding, make_inspection

D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def inspection_fields(inspection: Inspection, **changes) -> dict:
    fields = {
        "campaign": inspection.campaign,
        "topic": inspection.topic,
        "kind": inspection.kind,
        "date": inspection.date,
        "inspectors": list(inspection.inspectors.all()),
        "units": list(inspection.units.all()),
        "summary": inspection.summary,
        "reason": "督查主题录错",
    }
    return fields | changes


def finding_fields(finding: Finding, **changes) -> dict:
    fields = {
        "unit": finding.unit,
        "problem": finding.problem,
        "severity": finding.severity,
        "requirement": finding.requirement,
        "deadline": finding.deadline,
        "reason": "责任单位录错",
    }
    return fields | changes


def last_entry(obj) -> AuditEntry:
    return AuditEntry.objects.filter(
        record_type=obj._meta.label_lower, record_id=obj.pk
    ).first()  # newest first


# --- inspections ---------------------------------------------------------------------------


def test_inspection_correction_is_audited_with_before_after_and_reason(world):
    inspection = make_inspection(world, units=[world.unit_a])
    fields = inspection_fields(
        inspection, topic="交通领域专项督查", units=[world.unit_a, world.unit_b]
    )
    inspection_correct(inspection=inspection, by=world.coordinator, **fields)
    inspection.refresh_from_db()
    assert inspection.topic == "交通领域专项督查"
    assert set(inspection.units.all()) == {world.unit_a, world.unit_b}
    entry = last_entry(inspection)
    assert entry.action == AuditAction.UPDATE and entry.actor == world.coordinator
    assert entry.note == "更正原因：督查主题录错"
    assert entry.changes["督查主题"] == ["作风建设专项督查", "交通领域专项督查"]
    assert entry.changes["被督查单位"] == ["区交通局", "区交通局、区水务局"]


def test_inspection_correction_without_a_reason_saves_nothing(world):
    inspection = make_inspection(world)
    with pytest.raises(ValidationError) as e:
        inspection_correct(
            inspection=inspection,
            by=world.coordinator,
            **inspection_fields(inspection, topic="改了", reason="  "),
        )
    assert e.value.message_dict["reason"] == ["请填写更正原因。"]
    inspection.refresh_from_db()
    assert inspection.topic == "作风建设专项督查"
    assert not AuditEntry.objects.filter(action=AuditAction.UPDATE).exists()


def test_inspection_correction_that_changes_nothing_is_refused(world):
    inspection = make_inspection(world)
    with pytest.raises(ValidationError, match="没有修改任何内容"):
        inspection_correct(
            inspection=inspection, by=world.coordinator, **inspection_fields(inspection)
        )


def test_a_unit_with_a_finding_stays_inspected(world):
    inspection = make_inspection(world)
    make_finding(world, inspection, unit=world.unit_a)
    with pytest.raises(ValidationError) as e:
        inspection_correct(
            inspection=inspection,
            by=world.coordinator,
            **inspection_fields(inspection, units=[world.unit_b]),
        )
    assert "单位“区交通局”有本次督查发现的问题，不能从被督查单位中移除" in str(e.value)
    assert set(inspection.units.all()) == {world.unit_a, world.unit_b}


def test_inspection_date_cannot_pass_a_findings_deadline(world):
    inspection = make_inspection(world)
    make_finding(world, inspection, deadline=D(2023, 6, 30), problem="台账不全")
    with pytest.raises(ValidationError) as e:
        inspection_correct(
            inspection=inspection,
            by=world.coordinator,
            **inspection_fields(inspection, date=D(2023, 7, 1)),
        )
    assert "督查日期2023-07-01晚于问题“台账不全”的整改时限2023-06-30" in str(e.value)


def test_inspection_date_cannot_pass_a_filed_rectification_month(world):
    inspection = make_inspection(world)
    finding = make_finding(world, inspection)
    ProgressReport.objects.create(
        task=finding.task,
        unit=world.unit_a,
        period=D(2023, 5, 1),
        text="已整改",
        submitted_by=world.reporter_a,
    )
    with pytest.raises(ValidationError, match="晚于已报送的2023年5月整改进展"):
        inspection_correct(
            inspection=inspection,
            by=world.coordinator,
            **inspection_fields(inspection, date=D(2023, 6, 2)),
        )


def test_corrected_inspection_date_moves_the_rectification_tasks_start(world):
    inspection = make_inspection(world)
    finding = make_finding(world, inspection)
    assert finding.task.start_date == INSPECTION_DATE
    inspection_correct(
        inspection=inspection,
        by=world.inspector,
        **inspection_fields(inspection, date=D(2023, 5, 18), reason="日期录错"),
    )
    finding.task.refresh_from_db()
    assert finding.task.start_date == D(2023, 5, 18)
    entry = last_entry(finding.task)
    assert entry.changes["开始日期"] == ["2023-05-16", "2023-05-18"]
    assert "更正原因：日期录错" in entry.note


def test_inspection_with_findings_stays_in_its_campaign(world):
    inspection = make_inspection(world)
    make_finding(world, inspection)
    other = type(world.campaign).objects.create(
        year=2024,
        name="2024年活动",
        organiser=world.district,
        start_date=D(2024, 1, 1),
        end_date=D(2024, 12, 31),
    )
    with pytest.raises(ValidationError) as e:
        inspection_correct(
            inspection=inspection,
            by=world.coordinator,
            **inspection_fields(inspection, campaign=other),
        )
    assert "已有1个问题" in e.value.message_dict["campaign"][0]


# --- findings ------------------------------------------------------------------------------


def test_finding_correction_moves_its_untouched_task_to_the_new_unit(world):
    water_leader = Person.objects.create(name="水务分管", unit=world.district, role=Role.LEADER)
    Oversight.objects.create(leader=water_leader, unit=world.unit_b)
    finding = make_finding(world, make_inspection(world))
    finding_correct(
        finding=finding,
        by=world.inspector,
        **finding_fields(finding, unit=world.unit_b, problem="堤防台账不完整"),
    )
    finding.refresh_from_db()
    task = finding.task
    task.refresh_from_db()
    assert finding.unit == world.unit_b
    assert (task.lead_unit, task.leader) == (world.unit_b, water_leader)
    assert task.title == "整改：堤防台账不完整"
    assert task.target.startswith("问题：堤防台账不完整")
    finding_entry, task_entry = last_entry(finding), last_entry(task)
    assert finding_entry.changes["责任单位"] == ["区交通局", "区水务局"]
    assert finding_entry.note == "更正原因：责任单位录错"
    assert finding_entry.task_id == task.pk
    assert task_entry.changes["牵头单位"] == ["区交通局", "区水务局"]


def test_finding_unit_cannot_change_once_the_unit_has_reported(world):
    finding = make_finding(world, make_inspection(world))
    ProgressReport.objects.create(
        task=finding.task,
        unit=world.unit_a,
        period=D(2023, 6, 1),
        text="整改中",
        submitted_by=world.reporter_a,
    )
    with pytest.raises(ValidationError) as e:
        finding_correct(
            finding=finding, by=world.inspector, **finding_fields(finding, unit=world.unit_b)
        )
    message = e.value.message_dict["unit"][0]
    assert "“区交通局”已就该问题报送1条整改进展，不能更改责任单位" in message
    finding.task.refresh_from_db()
    assert finding.task.lead_unit == world.unit_a


def test_finding_unit_cannot_change_once_verified(world):
    finding = make_finding(world, make_inspection(world))
    verification_record(
        finding=finding,
        verified_by=world.inspector.person,
        date=D(2023, 7, 1),
        result="failed",
        note="未整改",
        by=world.inspector,
    )
    with pytest.raises(ValidationError, match="已有1次整改核查"):
        finding_correct(
            finding=finding, by=world.inspector, **finding_fields(finding, unit=world.unit_b)
        )


def test_finding_unit_cannot_change_once_its_task_is_cancelled(world):
    finding = make_finding(world, make_inspection(world))
    type(finding.task).objects.filter(pk=finding.task_id).update(state="cancelled")
    finding.task.refresh_from_db()
    with pytest.raises(ValidationError) as e:
        finding_correct(
            finding=finding, by=world.inspector, **finding_fields(finding, unit=world.unit_b)
        )
    assert e.value.message_dict["unit"] == ["整改事项已取消，不能更改责任单位。"]


def test_finding_unit_must_be_inspected(world):
    finding = make_finding(world, make_inspection(world, units=[world.unit_a]))
    with pytest.raises(ValidationError, match="单位“区水务局”不在本次督查的被督查单位中"):
        finding_correct(
            finding=finding, by=world.inspector, **finding_fields(finding, unit=world.unit_b)
        )


def test_corrected_deadline_moves_the_task_unless_an_extension_was_approved(world):
    finding = make_finding(world, make_inspection(world))
    finding_correct(
        finding=finding,
        by=world.inspector,
        **finding_fields(finding, deadline=D(2023, 9, 30), reason="时限录错"),
    )
    finding.task.refresh_from_db()
    assert finding.task.due_date == D(2023, 9, 30)
    type(finding.task).objects.filter(pk=finding.task_id).update(due_date=D(2023, 12, 31))
    ChangeRequest.objects.create(
        task=finding.task,
        kind=ChangeKind.EXTEND,
        reason="延期",
        proposed_due_date=D(2023, 12, 31),
        requested_by=world.reporter_a,
        state=ChangeState.APPROVED,
    )
    finding.refresh_from_db()
    finding_correct(
        finding=finding,
        by=world.inspector,
        **finding_fields(finding, deadline=D(2023, 10, 31), reason="再次更正"),
    )
    finding.task.refresh_from_db()
    assert finding.task.due_date == D(2023, 12, 31)


def test_closed_rectification_keeps_its_deadline_but_texts_may_be_corrected(world):
    finding = make_finding(world, make_inspection(world))
    complete(finding.task)
    with pytest.raises(ValidationError) as e:
        finding_correct(
            finding=finding, by=world.inspector, **finding_fields(finding, deadline=D(2023, 9, 30))
        )
    assert e.value.message_dict["deadline"] == ["整改事项已办结，不能更改整改时限。"]
    finding_correct(
        finding=finding, by=world.inspector, **finding_fields(finding, problem="台账不完整。")
    )
    finding.task.refresh_from_db()
    assert finding.task.due_date == D(2023, 8, 31)
    assert finding.task.title == "整改：台账不完整。"


def test_finding_deadline_cannot_precede_the_inspection(world):
    finding = make_finding(world, make_inspection(world))
    with pytest.raises(ValidationError, match="整改时限2023-05-01早于督查日期2023-05-16"):
        finding_correct(
            finding=finding, by=world.inspector, **finding_fields(finding, deadline=D(2023, 5, 1))
        )


# --- notices -------------------------------------------------------------------------------


def make_notice(world, doc_number="示作风办〔2023〕3号", title="关于作风问题的通报"):
    return notice_record(
        campaign=world.campaign,
        doc_number=doc_number,
        date=D(2023, 6, 5),
        title=title,
        kind="criticism",
        exemplars=[
            ExemplarInput(polarity=Polarity.NEGATIVE, title="台账造假", units=[world.unit_a]),
            ExemplarInput(polarity=Polarity.POSITIVE, title="主动整改", units=[world.unit_b]),
        ],
        by=world.coordinator,
    )


def notice_fields(notice: Notice, **changes) -> dict:
    fields = {
        "campaign": notice.campaign,
        "doc_number": notice.doc_number,
        "date": notice.date,
        "title": notice.title,
        "kind": notice.kind,
        "body": notice.body,
        "reason": "典型录错",
    }
    return fields | changes


def test_notice_correction_changes_fields_and_exemplars_audited(world):
    notice = make_notice(world)
    wrong, right = notice.exemplars.all()
    right_pk = right.pk
    notice_correct(
        notice=notice,
        by=world.coordinator,
        exemplars=[
            ExemplarInput(
                polarity=Polarity.NEGATIVE,
                title="台账弄虚作假",
                units=[world.unit_a, world.unit_b],
                exemplar=wrong,
            ),
            ExemplarInput(polarity=Polarity.POSITIVE, title="x", exemplar=right, remove=True),
            ExemplarInput(
                polarity=Polarity.POSITIVE, title="立行立改", people=[world.leader_person]
            ),
        ],
        **notice_fields(notice, title="关于作风问题的通报（更正）"),
    )
    notice.refresh_from_db()
    assert notice.title == "关于作风问题的通报（更正）"
    assert [e.title for e in notice.exemplars.all()] == ["台账弄虚作假", "立行立改"]
    assert not Exemplar.objects.filter(pk=right_pk).exists()
    entry = last_entry(notice)
    assert entry.note == "更正原因：典型录错"
    assert entry.changes["典型"] == [
        "反面典型：台账造假；先进典型：主动整改",
        "反面典型：台账弄虚作假；先进典型：立行立改",
    ]
    exemplar_entry = last_entry(wrong)
    assert exemplar_entry.changes["涉及单位"] == ["区交通局", "区交通局、区水务局"]
    assert exemplar_entry.note == "更正原因：典型录错"
    removed = AuditEntry.objects.get(record_type="supervision.exemplar", record_id=right_pk,
                                     action=AuditAction.DELETE)  # fmt: skip
    assert removed.note == "更正原因：典型录错"


def test_notice_keeps_its_own_number_and_may_not_take_anothers(world):
    first = make_notice(world)
    second = make_notice(world, doc_number="示作风办〔2023〕4号", title="第二份通报")
    notice_correct(notice=first, by=world.coordinator, **notice_fields(first, title="改了标题"))
    with pytest.raises(ValidationError) as e:
        notice_correct(
            notice=second,
            by=world.coordinator,
            **notice_fields(second, doc_number="示作风办 [2023] 3号"),
        )
    assert e.value.message_dict["doc_number"] == [
        "文号“示作风办〔2023〕3号”已被通报《改了标题》使用，请核对文号。"
    ]
    second.refresh_from_db()
    assert second.doc_number == "示作风办〔2023〕4号"


def test_notice_correction_needs_a_reason_and_a_change(world):
    notice = make_notice(world)
    with pytest.raises(ValidationError) as e:
        notice_correct(notice=notice, by=world.coordinator, **notice_fields(notice, reason=""))
    assert e.value.message_dict["reason"] == ["请填写更正原因。"]
    with pytest.raises(ValidationError, match="没有修改任何内容"):
        notice_correct(notice=notice, by=world.coordinator, **notice_fields(notice))


def test_an_exemplar_of_another_notice_is_refused(world):
    notice = make_notice(world)
    other = make_notice(world, doc_number="示作风办〔2023〕9号").exemplars.first()
    with pytest.raises(ValidationError, match="不属于本通报"):
        notice_correct(
            notice=notice,
            by=world.coordinator,
            exemplars=[
                ExemplarInput(polarity="positive", title="改", units=[world.unit_a], exemplar=other)
            ],  # fmt: skip
            **notice_fields(notice),
        )
    other.refresh_from_db()
    assert other.title == "台账造假"
