"""四是 服务群众: the grassroots ledger's paragraph of the summary report, from the records as
known on the report's date — visits by kind, reception days held and people received, concerns
received and closed with the on-time and satisfaction rates (the efficiency page's), disputes,
办实事 items, practice events, the time bank's confirmed hours — every figure with its records,
no requester's name, phone or ID number anywhere, the paragraph left out when the ledger is
empty, and the same queries for 4 concerns or 40."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shigan.grassroots.models import (
    ConcernKind,
    ConcernStep,
    PlaceKind,
    PracticeActivity,
    ReceptionDay,
    Satisfaction,
    VisitKind,
)
from shigan.grassroots.services.concerns import concern_step
from shigan.grassroots.services.practice import practice_event_record
from shigan.grassroots.services.promises import promise_create
from shigan.grassroots.services.visits import visit_record
from shigan.grassroots.steps import ORDER
from shigan.grassroots.tests.concern_helpers import ID_NUMBER, PHONE, concern
from shigan.reports.compose import ReportOptions, build_summary
from shigan.reports.render.md import render_md
from shigan.timebank.services import account_open, service_confirm, service_enter

pytestmark = [pytest.mark.django_db]
D = datetime.date
TODAY = D(2023, 7, 31)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", TODAY.isoformat())


def walk(world, item, *, until, satisfaction=Satisfaction.SATISFIED, on):
    """Take `item` from its step through the next ones up to `until` (every step on `on`)."""
    item.refresh_from_db()
    for step in ORDER[ORDER.index(item.step) + 1 :]:
        concern_step(
            concern=item, by=world.coordinator, step=step, on=on, note="办理",
            to_unit=world.unit_a if step == ConcernStep.ASSIGNED else None,
            satisfaction=satisfaction if step == ConcernStep.FOLLOWED_UP else "",
        )  # fmt: skip
        if step == until:
            return


def ledger(world):
    """Received 5 (one a dispute), closed 3 of which 2 by their due date, 4 answered a 回访 of
    whom 3 satisfied; 3 visits, a reception day, 2 办实事 items, a practice event, 7.5 hours."""
    on_time = concern(world, received=D(2023, 6, 1))  # due 6-08 (5 working days)
    walk(world, on_time, until=ConcernStep.CLOSED, on=D(2023, 6, 5))
    late = concern(world, received=D(2023, 6, 1))
    walk(world, late, until=ConcernStep.CLOSED, satisfaction=Satisfaction.BASIC, on=D(2023, 6, 20))
    reopened = concern(world, received=D(2023, 6, 1))
    walk(world, reopened, until=ConcernStep.FOLLOWED_UP,
         satisfaction=Satisfaction.UNSATISFIED, on=D(2023, 6, 6))  # fmt: skip
    concern(world, received=D(2023, 7, 20))  # open
    dispute = concern(world, received=D(2023, 7, 3), kind=ConcernKind.DISPUTE, parties="甲、乙")
    walk(world, dispute, until=ConcernStep.CLOSED, on=D(2023, 7, 5))
    for kind, day in [(VisitKind.VISIT, 3), (VisitKind.VISIT, 10), (VisitKind.ON_SITE, 12)]:
        visit_record(
            campaign=world.campaign, by=world.coordinator, kind=kind, date=D(2023, 7, day),
            unit=world.unit_a, cadres=[world.leader_person], place_kind=PlaceKind.VILLAGE,
            place="清凉村", what_done="入户走访", photos=[], concerns=[],
        )  # fmt: skip
    ReceptionDay.objects.create(campaign=world.campaign, date=D(2023, 7, 6),
                                leader=world.leader_person, place="区信访接待室",
                                held=True, visitors=12)  # fmt: skip
    ReceptionDay.objects.create(
        campaign=world.campaign,
        date=D(2023, 7, 13),
        leader=world.leader_person,
        place="区信访接待室",
    )  # not held
    for title in ["修缮村道路灯", "新建便民服务点"]:
        promise_create(campaign=world.campaign, by=world.coordinator, title=title, target="完成",
                       lead_unit=world.unit_a, leader=world.leader_person,
                       start_date=D(2023, 3, 1), due_date=D(2023, 9, 30))  # fmt: skip
    activity = PracticeActivity.objects.create(campaign=world.campaign, name="红色屋场")
    practice_event_record(activity=activity, by=world.coordinator, date=D(2023, 7, 8),
                          place="清凉村", organiser=world.unit_a, participants=30,
                          beneficiaries=0, summary="屋场会")  # fmt: skip
    account = account_open(by=world.coordinator, unit=world.unit_a, name="黄志愿",
                           phone="13900001111", opened_on=D(2023, 7, 1))  # fmt: skip
    for hours in [Decimal("5"), Decimal("2.5")]:
        record = service_enter(by=world.coordinator, account=account, date=D(2023, 7, 9),
                               hours=hours, beneficiary="独居老人", content="陪护")  # fmt: skip
        service_confirm(by=world.reporter_a, record=record)
    service_enter(by=world.coordinator, account=account, date=D(2023, 7, 10),
                  hours=Decimal("4"), beneficiary="独居老人", content="未确认")  # fmt: skip


def people_paragraph(document) -> str:
    found = [b.text for b in document.blocks if "服务基层群众" in b.text]
    assert len(found) == 1, [b.text for b in document.blocks]
    return found[0]


def test_the_paragraph_states_the_ledger_in_its_own_numbers(world):
    ledger(world)
    text = people_paragraph(build_summary(campaign=world.campaign, as_of=TODAY))
    assert text.startswith("一是服务基层群众。")  # the only activity paragraph with records here
    assert "干部深入基层走访2次、现场办公1次" in text
    assert "开展领导干部信访接待日1次，接待群众12人次" in text
    # The on-time rate's base is restated in its own sentence: 2 of the 3 closed, not of the 5.
    assert "受理群众诉求5件，已办结3件。已办结的3件中，按时办结2件，按时办结率66.7％。" in text
    assert "。回访诉求办理情况4件，群众满意和基本满意3件，满意率75.0％。" in text
    # Disputes are a sentence of their own: not a part of the concerns closed.
    assert "。排查矛盾纠纷1件，已化解1件。" in text
    assert "确定为群众办实事项目2件。" in text  # none done yet: nothing said of 办结
    assert "开展“红色屋场”等实践活动1场次，参与群众30人次" in text and "受益" not in text
    assert "1名志愿者通过“时间存折”记录志愿服务7.5小时" in text


def test_figures_are_those_known_on_the_report_date(world):
    ledger(world)
    text = people_paragraph(build_summary(campaign=world.campaign, as_of=D(2023, 6, 10)))
    # By 6-10: the three of June 1 received, one closed (on time), two 回访 answered, one of
    # them unsatisfied then; nothing of July yet.
    assert "受理群众诉求3件，已办结1件。已办结的1件中，按时办结1件，按时办结率100.0％" in text
    assert "回访诉求办理情况2件，群众满意和基本满意1件，满意率50.0％" in text
    assert "走访" not in text and "矛盾纠纷" not in text and "实践活动" not in text


def test_every_figure_has_its_records_and_their_pages(world):
    ledger(world)
    document = build_summary(campaign=world.campaign, as_of=TODAY)
    keys = {f.key: f for f in document.figures}
    assert len(keys["concerns.received"].sources) == 5
    assert len(keys["concerns.closed"].sources) == 3
    assert len(keys["concerns.satisfaction_rate"].sources) == 4
    assert len(keys["timebank.hours"].sources) == 2  # the unconfirmed record is not counted
    assert keys["visits.visit"].sources[0].url.startswith("/grassroots/visits/")
    assert keys["concerns.received"].sources[0].url.startswith("/grassroots/concerns/")
    assert keys["promises.total"].sources[0].url.startswith("/grassroots/promises/")
    assert keys["timebank.hours"].sources[0].url.startswith("/timebank/accounts/")


def test_no_requester_name_phone_or_id_number_in_the_report_or_its_appendix(world):
    ledger(world)
    document = build_summary(campaign=world.campaign, as_of=TODAY)
    appendix = render_md(document, appendix=True)
    for private in [PHONE, ID_NUMBER, "张群众", "13900001111", "黄志愿"]:
        assert private not in document.text and private not in appendix, private


def test_an_empty_ledger_leaves_the_paragraph_out(world):
    document = build_summary(campaign=world.campaign, as_of=TODAY)
    assert not [b for b in document.blocks if "服务基层群众" in b.text]
    assert "四是" not in document.text


def test_the_report_and_the_efficiency_page_state_the_same_rates(world, client_for):
    ledger(world)
    page = client_for(world.coordinator).get(reverse("grassroots:efficiency"))
    figures = page.context["figures"]
    text = build_summary(campaign=world.campaign, as_of=TODAY).text
    assert f"按时办结率{figures.on_time_rate:.1f}％" in text
    assert f"满意率{figures.satisfaction_rate:.1f}％" in text


def test_the_same_queries_for_four_concerns_or_forty(world):
    ledger(world)
    with CaptureQueriesContext(connection) as small:
        build_summary(campaign=world.campaign, as_of=TODAY, options=ReportOptions())
    for day in range(1, 29):
        item = concern(world, received=D(2023, 7, 3))
        if day % 2:
            walk(world, item, until=ConcernStep.CLOSED, on=D(2023, 7, 5))
    with CaptureQueriesContext(connection) as big:
        build_summary(campaign=world.campaign, as_of=TODAY, options=ReportOptions())
    assert len(big.captured_queries) == len(small.captured_queries)


def test_a_household_visit_is_named_by_its_kind_of_place_not_the_household(world):
    # A visit to a home names the household in its place ("王大爷家"): the report the district
    # sends on prints its kind of place, as it prints no requester's name.
    visit_record(
        campaign=world.campaign, by=world.coordinator, kind=VisitKind.VISIT, date=D(2023, 7, 3),
        unit=world.unit_a, cadres=[world.leader_person], place_kind=PlaceKind.HOUSEHOLD,
        place="清凉村三组 王大爷家", what_done="入户走访", photos=[], concerns=[],
    )  # fmt: skip
    document = build_summary(campaign=world.campaign, as_of=TODAY)
    appendix = render_md(document, appendix=True)
    assert "王大爷" not in appendix
    (source,) = {f.key: f for f in document.figures}["visits.visit"].sources
    assert source.label == "走访“农户/居民户”" and source.value == "2023-07-03"
