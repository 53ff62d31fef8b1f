"""The correction pages of inspections, findings and notices (更正): who may open them, the reason
required, a clash named, the change and its reason in the record's 历史记录, unit choices from the
user's district only, and detail pages whose query count does not grow with their history."""

import datetime
from functools import partial

import pytest
from django.urls import reverse

from shigan.campaigns.models import Campaign
from shigan.core.testing import assert_same_queries, get_page
from shigan.orgs.models import Role, Unit, UnitKind
from shigan.supervision.models import Notice, Polarity
from shigan.supervision.services import (
    ExemplarInput,
    finding_correct,
    inspection_correct,
    notice_correct,
    notice_record,
)
from shigan.testing import make_user

from .helpers import make_finding, make_inspection

D = datetime.date


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


@pytest.fixture
def records(world):
    inspection = make_inspection(world, units=[world.unit_a])
    finding = make_finding(world, inspection)
    notice = notice_record(
        campaign=world.campaign,
        doc_number="示作风办〔2023〕3号",
        date=D(2023, 6, 5),
        title="关于作风问题的通报",
        kind="criticism",
        exemplars=[
            ExemplarInput(polarity=Polarity.NEGATIVE, title="台账造假", units=[world.unit_a])
        ],
        by=world.coordinator,
    )
    return {"inspection": inspection, "finding": finding, "notice": notice}


@pytest.fixture
def other_district(world):
    """乙县 with its own coordinator, a unit named like one of world's, and a campaign."""
    district = Unit.objects.create(name="乙县党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    office = Unit.objects.create(name="乙县作风办", kind=UnitKind.TASK_FORCE, parent=district)
    roads = Unit.objects.create(name="区交通局", kind=UnitKind.BUREAU, parent=district)
    coordinator, _ = make_user("yi_zhuanban", unit=office, role=Role.COORDINATOR, name="乙专班")
    Campaign.objects.create(
        year=2023,
        name="乙县实干年",
        organiser=district,
        start_date=D(2023, 1, 1),
        end_date=D(2023, 12, 31),
    )
    return {"coordinator": coordinator, "roads": roads}


def edit_url(kind: str, obj) -> str:
    return reverse(f"supervision:{kind}_edit", args=[obj.pk])


def inspection_post(inspection, **changes) -> dict:
    data = {
        "campaign": inspection.campaign_id,
        "topic": inspection.topic,
        "kind": inspection.kind,
        "date": inspection.date.isoformat(),
        "inspectors": [p.pk for p in inspection.inspectors.all()],
        "units": [u.pk for u in inspection.units.all()],
        "summary": inspection.summary,
        "reason": "主题录错",
    }
    return data | changes


def finding_post(finding, **changes) -> dict:
    data = {
        "unit": finding.unit_id,
        "problem": finding.problem,
        "severity": finding.severity,
        "requirement": finding.requirement,
        "deadline": finding.deadline.isoformat(),
        "reason": "问题描述录错",
    }
    return data | changes


def notice_post(notice, **changes) -> dict:
    data = {
        "campaign": notice.campaign_id,
        "doc_number": notice.doc_number,
        "date": notice.date.isoformat(),
        "title": notice.title,
        "kind": notice.kind,
        "body": notice.body,
        "reason": "标题录错",
        "exemplar-TOTAL_FORMS": "3",
        "exemplar-INITIAL_FORMS": "1",
    }
    for i, e in enumerate(notice.exemplars.all()):
        data |= {
            f"exemplar-{i}-exemplar": e.pk,
            f"exemplar-{i}-polarity": e.polarity,
            f"exemplar-{i}-title": e.title,
            f"exemplar-{i}-description": e.description,
            f"exemplar-{i}-units": [u.pk for u in e.units.all()],
        }
    for i in (1, 2):
        data[f"exemplar-{i}-polarity"] = Polarity.POSITIVE
    return data | changes


# --- who may open them ---------------------------------------------------------------------

EXPECTED = {
    # kind: coordinator, leader, reporter_a, reporter_b, inspector
    "inspection": [200, 403, 403, 404, 200],
    "finding": [200, 403, 403, 404, 200],
    "notice": [200, 403, 403, 403, 403],
}


@pytest.mark.parametrize("kind", EXPECTED)
def test_correction_pages_answer_each_role(world, records, client_for, kind):
    users = world.users()
    personas = ["coordinator", "leader", "reporter_a", "reporter_b", "inspector"]
    got = [client_for(users[p]).get(edit_url(kind, records[kind])).status_code for p in personas]
    assert got == EXPECTED[kind]


@pytest.mark.parametrize("kind", EXPECTED)
def test_another_districts_coordinator_finds_no_record_to_correct(
    records, other_district, client_for, kind
):
    client = client_for(other_district["coordinator"])
    assert client.get(edit_url(kind, records[kind])).status_code == 404
    assert client.post(edit_url(kind, records[kind]), {"reason": "x"}).status_code == 404


def test_unknown_id_is_404(world, client_for):
    client = client_for(world.coordinator)
    assert client.get(reverse("supervision:inspection_edit", args=[999999])).status_code == 404


# --- inspections ---------------------------------------------------------------------------


def test_coordinator_corrects_an_inspection_and_its_page_shows_why(world, records, client_for):
    inspection = records["inspection"]
    client = client_for(world.coordinator)
    page = client.get(edit_url("inspection", inspection)).content.decode()
    assert "更正原因" in page and 'value="作风建设专项督查"' in page
    response = client.post(
        edit_url("inspection", inspection),
        inspection_post(inspection, topic="交通专项督查", reason="主题少写了“交通”"),
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "督查“交通专项督查”已更正" in page
    history = page[page.index('id="history"') :]
    assert "更正原因：主题少写了“交通”" in history
    assert "作风建设专项督查" in history and "交通专项督查" in history


def test_inspection_correction_without_reason_is_shown_again(world, records, client_for):
    inspection = records["inspection"]
    response = client_for(world.inspector).post(
        edit_url("inspection", inspection), inspection_post(inspection, topic="改", reason="")
    )
    assert response.status_code == 200
    assert "请填写更正原因。" in response.content.decode()
    inspection.refresh_from_db()
    assert inspection.topic == "作风建设专项督查"


def test_inspection_unit_with_a_finding_cannot_be_removed_on_the_page(world, records, client_for):
    inspection = records["inspection"]
    response = client_for(world.coordinator).post(
        edit_url("inspection", inspection), inspection_post(inspection, units=[world.unit_b.pk])
    )
    assert "单位“区交通局”有本次督查发现的问题，不能从被督查单位中移除" in response.content.decode()


def test_inspection_form_offers_only_the_users_district_units(
    world, records, other_district, client_for
):
    inspection = records["inspection"]
    client = client_for(world.coordinator)
    page = client.get(edit_url("inspection", inspection)).content.decode()
    assert f'value="{world.unit_b.pk}"' in page
    assert f'value="{other_district["roads"].pk}"' not in page
    response = client.post(
        edit_url("inspection", inspection),
        inspection_post(inspection, units=[world.unit_a.pk, other_district["roads"].pk]),
    )
    assert response.status_code == 200
    assert "单位不存在，请重新选择。" in response.content.decode()
    assert list(inspection.units.all()) == [world.unit_a]


# --- findings ------------------------------------------------------------------------------


def test_inspector_corrects_a_finding_and_the_task_follows(world, records, client_for):
    finding = records["finding"]
    inspection = finding.inspection
    inspection.units.add(world.unit_b)
    client = client_for(world.inspector)
    response = client.post(
        edit_url("finding", finding), finding_post(finding, unit=world.unit_b.pk)
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "整改事项随之改由“区水务局”牵头" in page
    assert "更正原因：问题描述录错" in page[page.index('id="history"') :]
    finding.task.refresh_from_db()
    assert finding.task.lead_unit == world.unit_b


def test_finding_correction_shows_why_the_unit_cannot_change(world, records, client_for):
    finding = records["finding"]
    finding.inspection.units.add(world.unit_b)
    finding.task.progress_reports.create(
        unit=world.unit_a, period=D(2023, 6, 1), text="整改中", submitted_by=world.reporter_a
    )
    response = client_for(world.coordinator).post(
        edit_url("finding", finding), finding_post(finding, unit=world.unit_b.pk)
    )
    assert response.status_code == 200
    assert "“区交通局”已就该问题报送1条整改进展，不能更改责任单位" in response.content.decode()


def test_finding_correction_without_reason_is_refused(world, records, client_for):
    finding = records["finding"]
    response = client_for(world.coordinator).post(
        edit_url("finding", finding), finding_post(finding, problem="改了", reason="")
    )
    assert "请填写更正原因。" in response.content.decode()
    finding.refresh_from_db()
    assert finding.problem != "改了"


# --- notices -------------------------------------------------------------------------------


def test_coordinator_corrects_a_notice_and_its_exemplar(world, records, client_for):
    notice = records["notice"]
    client = client_for(world.coordinator)
    page = client.get(edit_url("notice", notice)).content.decode()
    assert 'value="示作风办〔2023〕3号"' in page and "从通报中移除该典型" in page
    data = notice_post(notice, title="关于作风问题的通报（更正）")
    data["exemplar-0-title"] = "台账弄虚作假"
    data |= {"exemplar-1-title": "立行立改", "exemplar-1-units": [world.unit_b.pk]}
    response = client.post(edit_url("notice", notice), data)
    assert response.status_code == 302
    notice.refresh_from_db()
    assert [e.title for e in notice.exemplars.all()] == ["台账弄虚作假", "立行立改"]
    history = client.get(response.url).content.decode()
    history = history[history.index('id="history"') :]
    assert history.count("更正原因：标题录错") == 3  # the notice, the changed and the new exemplar


def test_notice_number_of_another_notice_is_named(world, records, client_for):
    notice_record(
        campaign=world.campaign,
        doc_number="示作风办〔2023〕4号",
        date=D(2023, 6, 6),
        title="第二份通报",
        kind="briefing",
        by=world.coordinator,
    )
    notice = records["notice"]
    response = client_for(world.coordinator).post(
        edit_url("notice", notice), notice_post(notice, doc_number="示作风办（2023）4号")
    )
    assert response.status_code == 200
    assert "文号“示作风办〔2023〕4号”已被通报《第二份通报》使用" in response.content.decode()


def test_notice_correction_without_reason_is_refused(world, records, client_for):
    notice = records["notice"]
    response = client_for(world.coordinator).post(
        edit_url("notice", notice), notice_post(notice, title="改了", reason="")
    )
    assert "请填写更正原因。" in response.content.decode()
    assert Notice.objects.get(pk=notice.pk).title == "关于作风问题的通报"


def test_correction_links_only_for_those_who_may_correct(world, records, client_for):
    notice_url = records["notice"].get_absolute_url()
    finding_url = records["finding"].get_absolute_url()
    assert edit_url("notice", records["notice"]) in (
        client_for(world.coordinator).get(notice_url).content.decode()
    )
    assert edit_url("notice", records["notice"]) not in (
        client_for(world.inspector).get(notice_url).content.decode()
    )
    assert edit_url("finding", records["finding"]) not in (
        client_for(world.reporter_a).get(finding_url).content.decode()
    )


# --- detail pages with history: a fixed number of queries ----------------------------------


def _grow_history(world, records, numbers: range):
    inspection, finding, notice = records["inspection"], records["finding"], records["notice"]
    for i in numbers:
        inspection.refresh_from_db()
        inspection_correct(
            inspection=inspection,
            by=world.coordinator,
            campaign=inspection.campaign,
            topic=f"督查{i}",
            kind=inspection.kind,
            date=inspection.date,
            inspectors=list(inspection.inspectors.all()),
            units=list(inspection.units.all()),
            reason=f"第{i}次",
        )
        finding.refresh_from_db()
        finding_correct(
            finding=finding,
            by=world.inspector,
            unit=finding.unit,
            problem=f"问题{i}",
            severity=finding.severity,
            requirement=finding.requirement,
            deadline=finding.deadline,
            reason=f"第{i}次",
        )
        notice.refresh_from_db()
        notice_correct(
            notice=notice,
            by=world.coordinator,
            campaign=notice.campaign,
            doc_number=notice.doc_number,
            date=notice.date,
            title=f"通报{i}",
            kind=notice.kind,
            exemplars=[ExemplarInput(polarity="positive", title=f"典型{i}", units=[world.unit_b])],
            reason=f"第{i}次",
        )


@pytest.mark.parametrize("kind", ["inspection", "finding", "notice"])
def test_detail_page_with_history_runs_a_fixed_number_of_queries(world, records, client_for, kind):
    client = client_for(world.coordinator)
    url = records[kind].get_absolute_url()
    _grow_history(world, records, range(1))
    grow = partial(_grow_history, world, records, range(1, 7))
    response = assert_same_queries(get_page(client, url), grow, at_most=25, warm_up=True)
    assert "第5次" in response.content.decode()


def test_notice_correction_page_runs_a_fixed_number_of_queries(world, records, client_for):
    """The exemplar forms share their unit and people options: more exemplars, same queries."""
    notice = records["notice"]

    def more_exemplars():
        for i in range(5):
            exemplar = notice.exemplars.create(polarity="positive", title=f"典型{i}", sort_order=i)
            exemplar.units.set([world.unit_a, world.unit_b])
            exemplar.people.set([world.leader_person])

    client = client_for(world.coordinator)
    # 17: the page's 15, the notice's version for the edit guard (core.editing) and the
    # frame's unread-message count (reminders).
    response = assert_same_queries(
        get_page(client, edit_url("notice", notice)), more_exemplars, at_most=17, warm_up=True
    )
    assert "典型4" in response.content.decode()
