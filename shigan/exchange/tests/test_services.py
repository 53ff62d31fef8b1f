"""Importing report-up packages at the county (services.import_package): what is accepted and
mirrored, and each refusal with its reason, nothing of a refused package written."""

import datetime

import pytest

from shigan.campaigns.models import Campaign
from shigan.campaigns.queries import campaign_current
from shigan.core.models import AuditEntry
from shigan.directives.models import HandDownState
from shigan.directives.services import handdown_withdraw
from shigan.exchange import package
from shigan.exchange.export import export_package
from shigan.exchange.models import ExternalRef, ImportLog, Peer
from shigan.exchange.services import import_package, peer_add
from shigan.indicators.models import Actual
from shigan.tasks.models import Milestone, ProgressReport, Task

from .support import DISTRICT_ID, body, county_side, signed

pytestmark = pytest.mark.django_db
JUNE = [(11, 6, "100", None, "")]


def counts() -> tuple:
    return (Task.objects.count(), ProgressReport.objects.count(), Actual.objects.count(),
            ExternalRef.objects.count())  # fmt: skip


def test_an_accepted_package_mirrors_the_district_under_its_unit():
    side = county_side()
    outcome = import_package(signed(side, body(side, actuals=JUNE), seq=1, period="2023-06"))
    assert (outcome.result, outcome.message) == ("accepted", "已接收")
    child = Task.objects.get(upper_task=side.county.upper_task)
    assert (child.title, child.target) == ("第1区优化营商环境", "=SUM(A1:A9)")  # kept as text
    assert child.lead_unit.district == side.peer.unit
    assert child.campaign.organiser == side.peer.unit
    assert Milestone.objects.get(task=child).done_on.isoformat() == "2023-06-20"
    assert ProgressReport.objects.get(task=child).text == "6月进展"
    side.handdown.refresh_from_db()
    assert side.handdown.state == HandDownState.ACCEPTED
    figure = Actual.objects.get()
    assert (figure.indicator.upper, figure.month, figure.value) == (side.indicator, 6, 100)
    peer = Peer.objects.get()
    assert (peer.in_seq, peer.in_period) == (1, "2023-06")
    assert AuditEntry.objects.filter(record_type="tasks.task", record_id=child.pk).exists()


def test_the_same_package_twice_changes_nothing():
    side = county_side()
    raw = signed(side, body(side, actuals=JUNE), seq=1, period="2023-06")
    import_package(raw)
    before = counts()
    assert import_package(raw).message == "已导入，未作改动"
    assert counts() == before
    assert list(ImportLog.objects.order_by("pk").values_list("result", flat=True)) == [
        "accepted", "unchanged",
    ]  # fmt: skip


def test_a_changed_figure_refuses_the_whole_package_naming_it():
    side = county_side()
    import_package(signed(side, body(side, actuals=JUNE), seq=1, period="2023-06"))
    before = counts()
    changed = body(side, actuals=[(12, 6, "120", None, "")], title="改过的名称")
    outcome = import_package(signed(side, changed, seq=2, period="2023-07"))
    assert outcome.result == "refused"
    assert "指标“第1区地区生产总值”2023年6月已接收100，本包为120" in outcome.reason
    assert "不是对已接收数的更正" in outcome.reason
    assert counts() == before
    assert Task.objects.get(upper_task__isnull=False).title == "第1区优化营商环境"
    assert Peer.objects.get().in_seq == 1
    log = ImportLog.objects.latest("pk")
    assert (log.result, log.seq, log.period) == ("refused", 2, "2023-07")
    assert AuditEntry.objects.filter(record_type="exchange.importlog", record_id=log.pk).exists()


def test_a_correction_of_the_accepted_figure_is_accepted_as_a_correction():
    side = county_side()
    import_package(signed(side, body(side, actuals=JUNE), seq=1, period="2023-06"))
    corrected = body(side, actuals=[*JUNE, (12, 6, "120", 11, "统计局反馈修订")])
    assert import_package(signed(side, corrected, seq=2, period="2023-06")).result == "accepted"
    latest = Actual.objects.order_by("-pk").first()
    assert (latest.value, latest.correction_reason) == (120, "统计局反馈修订")
    assert latest.corrects == Actual.objects.order_by("pk").first()


def test_an_unchanged_figure_sent_again_is_not_a_conflict():
    side = county_side()
    import_package(signed(side, body(side, actuals=JUNE), seq=1, period="2023-06"))
    again = body(side, actuals=[(13, 6, "100.00", None, "")])  # another entry, same figure
    assert import_package(signed(side, again, seq=2, period="2023-07")).result == "accepted"
    assert Actual.objects.count() == 1


def test_a_replayed_older_package_is_refused():
    side = county_side()
    older = signed(side, body(side), seq=1, period="2023-06")
    import_package(signed(side, body(side), seq=2, period="2023-06"))
    outcome = import_package(older)
    assert outcome.reason == "重放或过期的包：序号1不大于已接收的序号2，未导入。"


def test_a_month_skipped_is_refused_naming_the_missing_month():
    side = county_side()
    import_package(signed(side, body(side), seq=1, period="2023-06"))
    outcome = import_package(signed(side, body(side), seq=2, period="2023-08"))
    assert outcome.reason == (
        "月份不连续：已接收到2023年6月，缺少2023年7月的包，请先导入2023年7月的包。"
    )
    assert import_package(signed(side, body(side), seq=2, period="2023-07")).result == "accepted"


def test_a_tampered_package_is_refused():
    side = county_side()
    raw = signed(side, body(side, actuals=JUNE), seq=1, period="2023-06")
    outcome = import_package(raw.replace(b'"100"', b'"900"'))
    assert outcome.result == "refused" and outcome.reason.startswith("签名不符")
    assert import_package(
        signed(side, body(side), seq=1, period="2023-06", key="33" * 32)
    ).reason.startswith("签名不符")
    assert counts()[0] == 1  # the county's own task only


@pytest.mark.parametrize(
    "header, reason",
    [
        ({"from": {"installation": "00000000-0000-0000-0000-000000000009", "name": "<b>某区</b>"}},
         "未知的安装“<b>某区</b>”"),
        ({"to": {"installation": DISTRICT_ID, "name": "别的县"}}, "是发给另一安装（别的县）的"),
        ({"kind": "handdown"}, "“第1区”只能发来上报包"),
        ({"seq": 0}, "序号应为正整数"),
        ({"period": "2023-6"}, "月份“2023-6”格式不对"),
    ],
)  # fmt: skip
def test_a_wrong_header_is_refused_with_the_reason(header, reason):
    side = county_side()
    outcome = import_package(signed(side, body(side), **({"seq": 1, "period": "2023-06"} | header)))
    assert outcome.result == "refused" and reason in outcome.reason


def test_a_task_answering_something_not_handed_down_is_refused():
    side = county_side()
    data = body(side)
    data["tasks"][0]["upper"] = side.county.upper_task.pk + 1000
    outcome = import_package(signed(side, data, seq=1, period="2023-06"))
    assert "没有交办给第1区党委政府" in outcome.reason
    assert counts()[0] == 1


def test_hostile_and_broken_bodies_are_refused_in_chinese():
    side = county_side()
    long_title = body(side, title="长" * 201)
    assert (
        "任务“长长长长长长长长长长长长长长长长长长长长…”的名称超过200字（实为201字），整包未导入。"
        == import_package(signed(side, long_title, seq=1, period="2023-06")).reason
    )
    broken = body(side)
    broken["reports"][0]["period"] = "yesterday"
    assert (
        "进展报告的“月份”应为日期"
        in import_package(signed(side, broken, seq=1, period="2023-06")).reason
    )
    odd = body(side)
    odd["units"] = "all"
    assert "单位应为记录列表" in import_package(signed(side, odd, seq=1, period="2023-06")).reason
    script = body(side, title="<script>alert(1)</script>")
    assert import_package(signed(side, script, seq=1, period="2023-06")).result == "accepted"
    assert Task.objects.filter(title="<script>alert(1)</script>").exists()


def test_peer_add_refuses_bad_input_and_never_audits_the_key():
    side = county_side()
    assert side.key not in str(list(AuditEntry.objects.values_list("changes", flat=True)))
    with pytest.raises(Exception, match="格式不对"):
        peer_add(name="x", installation_id="nope", side="lower", unit_name="第2区党委政府",
                 home_name=side.county.unit.name)  # fmt: skip
    with pytest.raises(Exception, match="已登记"):
        peer_add(name="第1区", installation_id=DISTRICT_ID, side="lower", unit_name="第1区党委政府",
                 home_name=side.county.unit.name)  # fmt: skip
    with pytest.raises(Exception, match="64位十六进制"):
        peer_add(name="第2区", installation_id=DISTRICT_ID.replace("7", "8"), side="lower",
                 unit_name="第2区党委政府", home_name=side.county.unit.name, key="short")  # fmt: skip


def test_a_returned_hand_down_turns_returned_at_the_county_with_the_reason():
    side = county_side()
    data = body(side)
    data["tasks"] = data["milestones"] = data["reports"] = []
    data["returns"] = [{"id": 90, "upper": side.county.upper_task.pk, "reason": "不属本区职责"}]
    assert import_package(signed(side, data, seq=1, period="2023-06")).result == "accepted"
    side.handdown.refresh_from_db()
    assert (side.handdown.state, side.handdown.return_reason) == ("returned", "不属本区职责")


def test_a_withdrawn_hand_down_goes_down_in_the_next_handdown_package():
    side = county_side()
    handdown_withdraw(by=side.county.coordinator, handdown=side.handdown, reason="交办对象有误",
                      today=datetime.date(2023, 6, 5))  # fmt: skip
    data = package.read(export_package(peer=side.peer, period="2023-06")).data["body"]
    assert data["handdowns"] == []
    assert data["withdrawals"] == [
        {"id": side.handdown.pk, "reason": "交办对象有误", "withdrawn_on": "2023-06-05"}
    ]


def test_a_report_answering_a_hand_down_withdrawn_meanwhile_is_accepted_without_that_task():
    side = county_side()
    handdown_withdraw(by=side.county.coordinator, handdown=side.handdown, reason="交办对象有误",
                      today=datetime.date(2023, 6, 5))  # fmt: skip
    outcome = import_package(signed(side, body(side, actuals=JUNE), seq=1, period="2023-06"))
    assert outcome.result == "accepted", outcome.reason
    # the operator is told what was left out and why (the command prints outcome.message)
    told = (
        f"{side.peer.unit.name}的任务“第1区优化营商环境”未导入（连同其节点和进展报告）："
        "所答复的交办任务“优化营商环境专项行动”已于2023-06-05撤回。"
    )
    assert outcome.message == f"已接收：{told}"
    assert ImportLog.objects.get().reason == told
    side.handdown.refresh_from_db()
    assert side.handdown.state == HandDownState.WITHDRAWN
    assert not Task.objects.filter(upper_task=side.county.upper_task).exists()
    assert (Milestone.objects.count(), ProgressReport.objects.count(), Actual.objects.count()) == (
        0, 0, 1,
    )  # fmt: skip


def test_an_operators_default_campaign_is_never_a_mirror():
    """The county's operator imports or reports without --campaign (campaign_current(None)):
    a district's mirrored campaign, however new, is never taken for the county's own."""
    side = county_side()
    import_package(signed(side, body(side, actuals=JUNE), seq=1, period="2023-06"))
    mirror = Campaign.objects.get(organiser=side.peer.unit, mirror=True)
    assert not side.county.campaign.mirror
    # the mirror newer than the county's own (the test world's district campaigns, which a
    # county installation would not hold, older)
    Campaign.objects.filter(pk=side.county.campaign.pk).update(start_date=datetime.date(2023, 3, 1))
    Campaign.objects.filter(pk=mirror.pk).update(start_date=datetime.date(2023, 6, 1))
    assert campaign_current(None) == side.county.campaign
    assert campaign_current(None, among=list(Campaign.objects.all())) == side.county.campaign
    assert campaign_current(str(mirror.pk)) == mirror  # named explicitly, it is opened
    Campaign.objects.exclude(pk=mirror.pk).update(mirror=True)  # as if only mirrors were left
    assert campaign_current(None) is None
