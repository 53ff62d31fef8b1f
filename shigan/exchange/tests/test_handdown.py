"""The district's side, in one database: a hand-down package from its county lands in its inbox
(待接收) with the county's task, directive and indicator mirrored; once accepted and filed, the
district's report-up package carries the answering task and figure with the county's ids."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from shigan.campaigns.models import Campaign
from shigan.directives.access import handdowns_received
from shigan.directives.models import HandDown
from shigan.directives.services import handdown_accept_new, handdown_return
from shigan.exchange import package
from shigan.exchange.export import export_package
from shigan.exchange.models import Peer
from shigan.exchange.services import import_package, installation_self, peer_add
from shigan.indicators.models import Indicator
from shigan.indicators.services.actuals import actual_submit
from shigan.orgs.models import Role, Unit, UnitKind
from shigan.tasks.models import TaskCategory
from shigan.tasks.services.progress import progress_submit
from shigan.testing import make_user

pytestmark = pytest.mark.django_db
COUNTY_ID, KEY = str(uuid.UUID(int=5)), "ab" * 32


def handdown_body() -> dict:
    return {
        "county": {"id": 1, "name": "示范县党委政府"},
        "handdowns": [{
            "id": 50, "note": "<script>alert(1)</script>", "handed_on": "2023-06-01",
            "directive": {"id": 60, "number": "县委办发〔2023〕12号", "title": "关于优化营商环境的通知",
                          "issuer": "县委办公室", "issued_on": "2023-05-20",
                          "point": {"id": 61, "text": "一、压减审批时限", "sort": 1}},
            "task": {"id": 70, "title": "优化营商环境专项行动", "target": "审批时限压减一半",
                     "start": "2023-01-01", "due": "2023-11-30", "state": "active"},
        }],
        "indicators": [{"id": 80, "name": "地区生产总值", "measure_unit": "yi_yuan",
                        "accumulation": "cumulative", "direction": "higher", "aggregation": "sum",
                        "unit": 1, "upper": None}],
    }  # fmt: skip


def handdown_package(seq: int, body: dict | None = None) -> bytes:
    data = {
        "format": package.FORMAT, "version": 1, "id": str(uuid.uuid4()), "kind": "handdown",
        "from": {"installation": COUNTY_ID, "name": "示范县党委政府"},
        "to": {"installation": installation_self().installation_id, "name": "第1区"},
        "period": "2023-06", "seq": seq, "created_at": "2023-06-01T00:00:00+00:00",
        "body": body or handdown_body(),
    }  # fmt: skip
    return package.write(data, KEY)


@pytest.fixture
def district():
    unit = Unit.objects.create(name="第1区党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    force = Unit.objects.create(name="作风专班", kind=UnitKind.TASK_FORCE, parent=unit)
    bureau = Unit.objects.create(name="交通局", kind=UnitKind.BUREAU, parent=unit)
    user, _ = make_user("district", unit=force, role=Role.COORDINATOR, name="区专班")
    campaign = Campaign.objects.create(
        year=2023, name="第1区实干年", organiser=unit, start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2023, 12, 31),
    )  # fmt: skip
    TaskCategory.objects.create(campaign=campaign, name="重点工作")
    peer, _ = peer_add(name="示范县", installation_id=COUNTY_ID, side="upper",
                       unit_name="示范县党委政府", key=KEY)  # fmt: skip
    return unit, bureau, user, campaign, peer


def test_peer_add_puts_the_county_above_the_district(district):
    unit, *_, peer = district
    unit.refresh_from_db()
    assert unit.parent == peer.unit and peer.unit.name == "示范县党委政府"
    assert unit.district_id == unit.pk  # still its own level


def test_a_hand_down_lands_in_the_inbox_once(district):
    unit, _, user, _, peer = district
    assert import_package(handdown_package(1)).message == "已接收"
    handdown = handdowns_received(user, HandDown.objects.all()).get()
    assert (handdown.state, handdown.unit, handdown.note) == (
        "pending",
        unit,
        "<script>alert(1)</script>",
    )
    assert handdown.upper_task.title == "优化营商环境专项行动"
    assert handdown.upper_task.lead_unit == peer.unit
    assert handdown.point.directive.number == "县委办发〔2023〕12号"
    assert Indicator.objects.get(name="地区生产总值").responsible_unit == peer.unit
    assert import_package(handdown_package(2)).result == "accepted"  # the same hand-downs again
    assert HandDown.objects.count() == 1


def test_the_report_up_carries_the_answer_with_the_county_ids(district, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-06-30")
    unit, bureau, user, campaign, peer = district
    import_package(handdown_package(1))
    task = handdown_accept_new(
        by=user, handdown=HandDown.objects.get(), campaign=campaign,
        category=campaign.task_categories.get(), title="第1区优化营商环境", target="减半",
        lead_unit=bureau, leader=None, start_date=datetime.date(2023, 6, 1),
        due_date=datetime.date(2023, 10, 31), today=datetime.date(2023, 6, 2),
    )  # fmt: skip
    mine = Indicator.objects.create(name="第1区地区生产总值", measure_unit="yi_yuan",
                                    responsible_unit=bureau, upper=Indicator.objects.get(name="地区生产总值"))  # fmt: skip
    Indicator.objects.create(name="不汇入的指标", measure_unit="yi_yuan", responsible_unit=bureau)
    progress_submit(task=task, unit=bureau, period=datetime.date(2023, 6, 1), by=user,
                    text="6月进展", milestones_reached={}, uploads=[])  # fmt: skip
    actual_submit(indicator=mine, year=2023, month=6, value=Decimal("88.5"), is_estimate=False,
                  note="", by=user, unit=bureau)  # fmt: skip
    found = package.read(export_package(peer=peer, period="2023-06"))
    found.verify(KEY)
    data = found.data
    assert (data["kind"], data["seq"], data["period"], data["to"]["installation"]) == (
        "report", 1, "2023-06", COUNTY_ID,
    )  # fmt: skip
    body = data["body"]
    assert [(t["title"], t["upper"]) for t in body["tasks"]] == [("第1区优化营商环境", 70)]
    assert [(i["name"], i["upper"]) for i in body["indicators"]] == [("第1区地区生产总值", 80)]
    assert [(a["month"], a["value"]) for a in body["actuals"]] == [(6, "88.5000")]
    assert [r["text"] for r in body["reports"]] == ["6月进展"]
    assert body["returns"] == []
    assert package.read(export_package(peer=peer, period="2023-06")).data["seq"] == 2
    assert Peer.objects.get().out_seq == 2


def test_a_returned_hand_down_goes_up_with_its_reason(district):
    unit, bureau, user, campaign, peer = district
    import_package(handdown_package(1))
    handdown_return(by=user, handdown=HandDown.objects.get(), reason="不属本区职责",
                    today=datetime.date(2023, 6, 2))  # fmt: skip
    body = package.read(export_package(peer=peer, period="2023-06")).data["body"]
    assert body["returns"] == [
        {"id": HandDown.objects.get().pk, "upper": 70, "reason": "不属本区职责"}
    ]


WITHDRAWN_BODY = {"handdowns": [], "indicators": [], "withdrawals": [
    {"id": 50, "reason": "交办对象有误", "withdrawn_on": "2023-06-05"},
    {"id": 51, "reason": "从未到达本区", "withdrawn_on": "2023-06-05"},  # never received: skipped
]}  # fmt: skip


def test_a_hand_down_withdrawn_at_the_county_turns_withdrawn_with_the_reason(district, client_for):
    unit, _, user, _, peer = district
    import_package(handdown_package(1))
    assert import_package(handdown_package(2, WITHDRAWN_BODY)).result == "accepted"
    handdown = HandDown.objects.get()
    assert (handdown.state, handdown.withdraw_reason) == ("withdrawn", "交办对象有误")
    assert handdown.withdrawn_on == datetime.date(2023, 6, 5)
    page = client_for(user).get(reverse("directives:inbox")).content.decode()
    assert "已撤回" in page and "交办对象有误" in page
    assert import_package(handdown_package(3, WITHDRAWN_BODY)).result == "accepted"  # again
    assert HandDown.objects.get().state == "withdrawn"


def test_a_hand_down_accepted_before_the_withdrawal_arrives_is_left_as_answered(
    district, monkeypatch
):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-06-30")
    unit, bureau, user, campaign, peer = district
    import_package(handdown_package(1))
    handdown_accept_new(
        by=user, handdown=HandDown.objects.get(), campaign=campaign,
        category=campaign.task_categories.get(), title="第1区优化营商环境", target="减半",
        lead_unit=bureau, leader=None, start_date=datetime.date(2023, 6, 1),
        due_date=datetime.date(2023, 10, 31), today=datetime.date(2023, 6, 2),
    )  # fmt: skip
    assert import_package(handdown_package(2, WITHDRAWN_BODY)).result == "accepted"
    assert HandDown.objects.get().state == "accepted"
