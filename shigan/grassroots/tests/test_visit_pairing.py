"""A visit recorded under a pairing (结对帮扶): the 录入走访 page offers the campaign's pairings the
user reads; the rule (services.visits.pairing_problem) — the pairing is of the visit's campaign,
its cadre of the visit's organising unit, in force on the visit's day — holds in the form, the
service and the correction (更正); the pairing page then lists the visit and its flag clears."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shigan.campaigns.models import Campaign
from shigan.core.models import AuditAction, AuditEntry
from shigan.grassroots.forms.visits import PAIRING_UNKNOWN
from shigan.grassroots.models import Pairing, PlaceKind, Visit, VisitKind
from shigan.grassroots.services.visits import visit_record

from .visit_helpers import visit as make_visit

pytestmark = pytest.mark.django_db
D = datetime.date
START = D(2023, 1, 10)
CREATE = reverse("grassroots:visit_create")


@pytest.fixture(autouse=True)
def today(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")


def pairing(world, *, cadre=None, name="王大爷家", started_on=START, ended_on=None,
            campaign=None):  # fmt: skip
    return Pairing.objects.create(
        campaign=campaign or world.campaign, cadre=cadre or world.reporter_a.person,
        target_kind="household", target_name=name, started_on=started_on, ended_on=ended_on,
    )  # fmt: skip


def other_campaign(world):
    return Campaign.objects.create(
        year=2022, name="上一年实干年", organiser=world.campaign.organiser,
        start_date=D(2022, 1, 1), end_date=D(2022, 12, 31),
    )  # fmt: skip


def form_data(world, **fields):
    data = {
        "kind": "visit", "date": "2023-07-20", "unit": world.unit_a.pk,
        "cadres": [world.reporter_a.person.pk], "place_kind": "household", "place": "王大爷家",
        "what_done": "帮助申请临时救助", "concern-TOTAL_FORMS": "0", "concern-INITIAL_FORMS": "0",
    }  # fmt: skip
    return data | fields


def field_errors(response, name) -> list[str]:
    return list(response.context["form"].errors.get(name, []))


def test_the_page_offers_the_pairings_the_user_reads_and_records_one_audited(world, client_for):
    own = pairing(world)
    others = pairing(world, cadre=world.reporter_b.person, name="新场村")
    client = client_for(world.reporter_a)
    page = client.get(CREATE).content.decode()
    assert f'<option value="{own.pk}">区交通局 王填报 ↔ 王大爷家（2023-01-10 起）</option>' in page
    assert f"↔ {others.target_name}" not in page  # another unit's cadre's: not the reporter's
    response = client.post(CREATE, form_data(world, pairing=own.pk))
    assert response.status_code == 302, field_errors(response, "pairing")
    visit = Visit.objects.get()
    assert visit.pairing == own
    entry = AuditEntry.objects.get(record_type="grassroots.visit", action=AuditAction.CREATE)
    assert entry.changes["结对帮扶"][1] == "王填报 ↔ 王大爷家"
    detail = client.get(visit.get_absolute_url()).content.decode()
    assert reverse("grassroots:pairing_detail", args=[own.pk]) in detail


def test_the_pairing_page_lists_the_visit_and_its_90_day_flag_clears(world, client_for):
    own = pairing(world)  # started 2023-01-10: 202 days before 2023-07-31, flagged
    coordinator = client_for(world.coordinator)
    flag = "超过90天未走访</div>"
    detail_url = reverse("grassroots:pairing_detail", args=[own.pk])
    assert flag in coordinator.get(reverse("grassroots:pairing_list")).content.decode()
    assert "暂无走访记录：录入走访时选择本结对" in coordinator.get(detail_url).content.decode()
    posted = client_for(world.reporter_a).post(CREATE, form_data(world, pairing=own.pk))
    assert posted.status_code == 302
    listing = coordinator.get(reverse("grassroots:pairing_list")).content.decode()
    assert flag not in listing and "2023-07-20" in listing
    detail = coordinator.get(detail_url).content.decode()
    assert "帮助申请临时救助" in detail and "走访1次，最近一次 2023-07-20" in detail
    assert flag not in detail and "暂无走访记录" not in detail


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda w: pairing(w, cadre=w.reporter_b.person, name="新场村"),
         "结对帮扶“赵填报 ↔ 新场村”的结对干部不属于本次走访的组织单位：只能选择本单位干部的结对。"),
        (lambda w: pairing(w, ended_on=D(2023, 6, 30)),
         "结对帮扶“王填报 ↔ 王大爷家”已于2023-06-30结束，走访日期2023-07-20在其之后。"),
        (lambda w: pairing(w, started_on=D(2023, 7, 25)),
         "结对帮扶“王填报 ↔ 王大爷家”于2023-07-25开始结对，走访日期2023-07-20在其之前。"),
        (lambda w: pairing(w, campaign=other_campaign(w)), PAIRING_UNKNOWN),
    ],
    ids=["another-units", "ended", "not-yet-started", "another-campaigns"],
)  # fmt: skip
def test_a_pairing_that_does_not_fit_the_visit_is_refused_on_its_field(
    world, client_for, make, message
):
    refused = make(world)
    response = client_for(world.coordinator).post(CREATE, form_data(world, pairing=refused.pk))
    assert response.status_code == 200
    assert field_errors(response, "pairing") == [message]
    assert not Visit.objects.exists()


def test_a_reporter_cannot_name_another_units_pairing_nor_learn_it_exists(world, client_for):
    others = pairing(world, cadre=world.reporter_b.person, name="新场村")
    client = client_for(world.reporter_a)
    for value in (others.pk, 999999):
        response = client.post(CREATE, form_data(world, pairing=value))
        assert field_errors(response, "pairing") == [PAIRING_UNKNOWN]
    assert not Visit.objects.exists()


def _record(world, chosen, **changes):
    fields = dict(
        campaign=world.campaign, by=world.coordinator, kind=VisitKind.VISIT, date=D(2023, 7, 20),
        unit=world.unit_a, cadres=[world.reporter_a.person], place_kind=PlaceKind.HOUSEHOLD,
        place="王大爷家", what_done="入户走访", pairing=chosen,
    )  # fmt: skip
    return visit_record(**(fields | changes))


def test_the_service_holds_the_rule_whoever_calls_it(world):
    own = pairing(world)
    assert _record(world, own).pairing == own
    cases = [
        (pairing(world, campaign=other_campaign(world), name="旧结对"), "不属于本次走访的活动"),
        (pairing(world, cadre=world.reporter_b.person, name="新场村"), "不属于本次走访的组织单位"),
        (pairing(world, ended_on=D(2023, 7, 19), name="已结束"), "已于2023-07-19结束"),
    ]
    for chosen, message in cases:
        with pytest.raises(ValidationError) as refused:
            _record(world, chosen)
        assert message in refused.value.messages[0]
    assert Visit.objects.count() == 1
    assert _record(world, pairing(world, ended_on=D(2023, 7, 20), name="当天结束")).pairing_id


def _edit_data(v, **changes):
    data = {
        "kind": v.kind, "date": v.date.isoformat(), "cadres": [p.pk for p in v.cadres.all()],
        "place_kind": v.place_kind, "place": v.place, "place_unit": "",
        "people_met": v.people_met, "what_done": v.what_done, "reason": "漏选了结对",
    }  # fmt: skip
    return data | changes


def test_a_correction_sets_and_clears_the_pairing_under_the_same_rule(world, client_for):
    v = make_visit(world, unit=world.unit_a)  # 2023-06-01, not under a pairing
    own = pairing(world)
    ended = pairing(world, ended_on=D(2023, 5, 31), name="已结束")
    client = client_for(world.reporter_a)
    url = reverse("grassroots:visit_edit", args=[v.pk])
    page = client.post(url, _edit_data(v, pairing=ended.pk))
    assert field_errors(page, "pairing") == [
        "结对帮扶“王填报 ↔ 已结束”已于2023-05-31结束，走访日期2023-06-01在其之后。"
    ]
    assert client.post(url, _edit_data(v, pairing=own.pk)).status_code == 302
    v.refresh_from_db()
    assert v.pairing == own
    entry = AuditEntry.objects.get(record_type="grassroots.visit", action=AuditAction.UPDATE)
    assert entry.changes["结对帮扶"] == [None, "王填报 ↔ 王大爷家"]
    assert entry.note == "更正原因：漏选了结对"
    edit_page = client.get(url).content.decode()
    assert f'<option value="{own.pk}" selected>' in edit_page
    assert client.post(url, _edit_data(v, pairing="", reason="并非结对走访")).status_code == 302
    v.refresh_from_db()
    assert v.pairing is None
