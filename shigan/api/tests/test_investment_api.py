"""招商引资 through the API is its pages: the trips (外出招商) and agreements (签约项目) read by
every role of the district as the 招商引资 page lists them (403 for an account with no role, 404
for another district's record, the same as an id that does not exist), created and edited as the
新建 / 编辑 pages do — TripForm / AgreementForm and trip_save / agreement_save, the same Chinese
messages on the body's fields, audited, behind the overwrite guard (`version`) — and an
agreement marked landed as its 标记落地 button (LandForm, agreement_land)."""

import datetime
import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shigan.core.models import AuditAction, AuditEntry
from shigan.indicators.models import Agreement, InvestmentTrip

from .versions import versioned

JSON = "application/json"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-31")


def send(client, method: str, url: str, data: dict, **headers):
    """`data` sent; a PUT without a version sends the one the record's detail answers now."""
    if method == "put":
        data = versioned(f"/api/v1{url}", data)
    return getattr(client, method)(f"/api/v1{url}", json.dumps(data), content_type=JSON, **headers)


def make_trip(world, day=1, **values) -> InvestmentTrip:
    return InvestmentTrip.objects.create(
        campaign=world.campaign,
        **({"date": datetime.date(2023, 4, day), "destination": f"深圳{day}"} | values),
    )  # fmt: skip


def make_agreement(world, n=1, **values) -> Agreement:
    return Agreement.objects.create(
        campaign=world.campaign, signed_on=datetime.date(2023, 5, n),
        **({"investor": f"投资方{n}", "project_name": f"协议项目{n}"} | values),
    )  # fmt: skip


def trip_body(world, **fields) -> dict:
    return {
        "campaign": world.campaign.pk, "date": "2023-04-01", "destination": "深圳",
        "leader": world.leader_person.pk, "contacts": "华为：张经理",
    } | fields  # fmt: skip


def agreement_body(world, **fields) -> dict:
    return {
        "campaign": world.campaign.pk, "investor": "零傲集团", "project_name": "新材料产业园",
        "contract_amount": "12,000", "signed_on": "2023-05-01", "funds_in_place": 3000.5,
    } | fields  # fmt: skip


def fields_of(response) -> list[str]:
    return [e["field"] for e in response.json()["errors"]]


def actions(record) -> list[str]:
    entries = AuditEntry.objects.filter(
        record_type=record._meta.label_lower, record_id=record.pk
    ).order_by("id")
    return list(entries.values_list("action", flat=True))


# --- writes as the pages --------------------------------------------------------------------


def test_a_coordinator_records_and_edits_a_trip_behind_the_guard(world, token_client):
    api, _ = token_client(world.coordinator)
    created = send(api, "post", "/investment-trips", trip_body(world))
    assert created.status_code == 201, created.content
    trip = InvestmentTrip.objects.get()
    shown = created.json()
    assert (shown["id"], shown["destination"], shown["leader"], shown["date"]) == (
        trip.pk, "深圳", world.leader_person.name, "2023-04-01",
    )  # fmt: skip
    assert (shown["agreement_count"], shown["campaign_id"]) == (0, world.campaign.pk)
    assert api.get(f"/api/v1/investment-trips/{trip.pk}").json() == shown
    edited = send(
        api, "put", f"/investment-trips/{trip.pk}",
        trip_body(world, destination="广州", leader=None, version=shown["version"]),
    )  # fmt: skip
    assert edited.status_code == 200, edited.content
    assert (edited.json()["destination"], edited.json()["leader_id"]) == ("广州", None)
    assert edited.json()["version"] > shown["version"]
    stale = send(
        api, "put", f"/investment-trips/{trip.pk}",
        trip_body(world, destination="杭州", version=shown["version"]),
    )  # fmt: skip
    assert stale.status_code == 422 and fields_of(stale) == ["version"], stale.content
    assert "您读取该记录后" in stale.json()["detail"]
    trip.refresh_from_db()
    assert trip.destination == "广州"
    assert actions(trip) == [AuditAction.CREATE, AuditAction.UPDATE]
    entry = AuditEntry.objects.filter(record_id=trip.pk, action=AuditAction.UPDATE).get()
    assert entry.actor == world.coordinator
    assert entry.changes["目的地"] == ["深圳", "广州"]


def test_a_coordinator_records_edits_and_lands_an_agreement(world, token_client):
    trip = make_trip(world)
    api, _ = token_client(world.coordinator)
    created = send(api, "post", "/agreements", agreement_body(world, trip=trip.pk))
    assert created.status_code == 201, created.content
    agreement = Agreement.objects.get()
    shown = created.json()
    assert (agreement.contract_amount, agreement.funds_in_place) == (
        Decimal(12000),
        Decimal("3000.5"),
    )
    assert (shown["trip_id"], shown["trip"], shown["landed"]) == (trip.pk, str(trip), False)
    assert api.get(f"/api/v1/agreements/{agreement.pk}").json() == shown
    assert api.get(f"/api/v1/investment-trips/{trip.pk}").json()["agreement_count"] == 1
    edited = send(
        api, "put", f"/agreements/{agreement.pk}",
        agreement_body(world, contract_amount=None, trip=None, version=shown["version"]),
    )  # fmt: skip
    assert edited.status_code == 200, edited.content
    assert (edited.json()["contract_amount"], edited.json()["trip_id"]) == ("0.00", None)
    landed = send(api, "post", f"/agreements/{agreement.pk}/land", {"landed_on": "2023-07-20"})
    assert landed.status_code == 200, landed.content
    assert (landed.json()["landed"], landed.json()["landed_on"]) == (True, "2023-07-20")
    again = send(api, "post", f"/agreements/{agreement.pk}/land", {"landed_on": "2023-07-21"})
    assert again.status_code == 422 and fields_of(again) == ["landed_on"]
    assert again.json()["detail"] == "该协议已于2023-07-20标记落地"
    agreement.refresh_from_db()
    assert agreement.landed_on == datetime.date(2023, 7, 20)
    assert actions(agreement) == [AuditAction.CREATE, AuditAction.UPDATE, AuditAction.UPDATE]
    note = AuditEntry.objects.filter(record_id=agreement.pk).order_by("id").last().note
    assert note == "标记落地"


@pytest.mark.parametrize(
    ("landed_on", "message"),
    [
        ("2023-04-30", "落地日期2023-04-30早于签约日期2023-05-01"),
        ("2023-08-01", "落地日期2023-08-01晚于今天"),
        ("", "请填写落地日期。"),
        ("2023-13-01", "落地日期"),
    ],
)
def test_a_landing_is_refused_as_the_page_refuses_it(world, token_client, landed_on, message):
    agreement = make_agreement(world)
    api, _ = token_client(world.coordinator)
    response = send(api, "post", f"/agreements/{agreement.pk}/land", {"landed_on": landed_on})
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert fields_of(response) == ["landed_on"]
    assert message in response.json()["detail"]
    agreement.refresh_from_db()
    assert (agreement.landed, agreement.landed_on) == (False, None)
    assert actions(agreement) == []


@pytest.mark.parametrize(
    ("url", "change", "field", "message"),
    [
        ("/investment-trips", {"destination": ""}, "destination", "请填写目的地。"),
        ("/investment-trips", {"destination": "\u200b"}, "destination", "请填写目的地。"),
        ("/investment-trips", {"date": "2023-02-30"}, "date", "出发日期"),
        (
            "/investment-trips",
            {"date": "2023-08-01"},
            "date",
            "出发日期不能晚于今天（2023年7月31日）",
        ),
        ("/investment-trips", {"leader": 999999}, "leader", "所选项不存在或不可选"),
        ("/investment-trips", {"campaign": 999999}, "campaign", "所选项不存在或不可选"),
        ("/investment-trips", {"visitors": 3}, "visitors", ""),
        ("/agreements", {"investor": ""}, "investor", "请填写投资方。"),
        # The page's own message (AgreementForm gives 签约日期 no message of its own).
        ("/agreements", {"signed_on": ""}, "signed_on", "这个字段是必填项。"),
        (
            "/agreements",
            {"signed_on": "2023-08-01"},
            "signed_on",
            "签约日期不能晚于今天（2023年7月31日）",
        ),
        ("/agreements", {"contract_amount": "1,2,3"}, "contract_amount", "数字"),
        ("/agreements", {"trip": 999999}, "trip", "所选项不存在或不可选"),
        ("/agreements", {"landed": True}, "landed", ""),
    ],
)
def test_bad_records_are_refused_naming_the_field(world, token_client, url, change, field, message):
    api, _ = token_client(world.coordinator)
    body = (trip_body if url == "/investment-trips" else agreement_body)(world) | change
    response = send(api, "post", url, body)
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert field in fields_of(response), response.json()
    assert message in response.json()["detail"]
    assert InvestmentTrip.objects.count() == Agreement.objects.count() == 0


@pytest.mark.parametrize(
    ("url", "field", "message"),
    [
        ("/investment-trips", "date", "出发日期不能晚于今天（2023年7月31日）"),
        ("/agreements", "signed_on", "签约日期不能晚于今天（2023年7月31日）"),
    ],
)
def test_an_edit_to_a_date_after_today_is_refused(world, token_client, url, field, message):
    record = make_trip(world) if url == "/investment-trips" else make_agreement(world)
    api, _ = token_client(world.coordinator)
    body = (trip_body if url == "/investment-trips" else agreement_body)(world)
    response = send(api, "put", f"{url}/{record.pk}", body | {field: "2023-08-01"})
    assert response.status_code == 422, response.content
    assert fields_of(response) == [field]
    assert message in response.json()["detail"]
    assert actions(record) == []
    today = send(api, "put", f"{url}/{record.pk}", body | {field: "2023-07-31"})
    assert today.status_code == 200, today.content


def test_a_trip_of_another_campaign_is_refused_with_the_pages_message(world, other_district,
                                                                       token_client):  # fmt: skip
    coordinator, task = other_district
    foreign = InvestmentTrip.objects.create(
        campaign=task.campaign, date=datetime.date(2023, 4, 1), destination="成都"
    )
    api, _ = token_client(world.coordinator)
    response = send(api, "post", "/agreements", agreement_body(world, trip=foreign.pk))
    assert response.status_code == 422 and fields_of(response) == ["trip"]
    assert Agreement.objects.count() == 0


def test_hostile_text_is_kept_as_text_and_bidi_controls_are_dropped(world, token_client,
                                                                   client_for):  # fmt: skip
    api, _ = token_client(world.coordinator)
    hostile = "<script>alert(1)</script>\u202e深圳\u2066"
    created = send(api, "post", "/investment-trips", trip_body(world, destination=hostile))
    assert created.status_code == 201, created.content
    assert created.json()["destination"] == "<script>alert(1)</script>深圳"
    assert InvestmentTrip.objects.get().destination == "<script>alert(1)</script>深圳"
    page = client_for(world.coordinator).get(reverse("indicators:investment")).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;深圳" in page
    assert "<script>alert(1)" not in page
    nul = send(api, "post", "/agreements", agreement_body(world, investor="零\u0000傲"))
    assert nul.status_code == 422 and fields_of(nul) == ["investor"]


# --- each role as the pages -----------------------------------------------------------------


def _answer(page_status: int, created: bool = False) -> int:
    return {200: 201}.get(page_status, page_status) if created else page_status


def test_each_roles_token_writes_as_the_pages(world, token_client, client_for):
    trip, agreement = make_trip(world), make_agreement(world)
    norole = get_user_model().objects.create_user("norole", password="x")
    for name, user in (world.users() | {"norole": norole}).items():
        page, (api, _) = client_for(user), token_client(user)

        def status(url_name, *args, page=page):
            return page.get(reverse(f"indicators:{url_name}", args=args)).status_code

        cases = [
            ("trip_create", (), "post", "/investment-trips", trip_body(world), True),
            ("trip_edit", (trip.pk,), "put", f"/investment-trips/{trip.pk}",
             trip_body(world, destination=f"{name}改"), False),
            ("agreement_create", (), "post", "/agreements", agreement_body(world), True),
            ("agreement_edit", (agreement.pk,), "put", f"/agreements/{agreement.pk}",
             agreement_body(world, project_name=f"{name}改"), False),
        ]  # fmt: skip
        for url_name, args, method, url, body, creates in cases:
            expected = _answer(status(url_name, *args), creates)
            response = send(api, method, url, body)
            assert response.status_code == expected, (name, url_name, response.content)
        land_page = page.post(reverse("indicators:agreement_land", args=[agreement.pk]), {})
        land = send(api, "post", f"/agreements/{agreement.pk}/land", {"landed_on": ""})
        assert land.status_code == {302: 422}.get(land_page.status_code, land_page.status_code)
    read, _ = token_client(world.coordinator, scope="read")
    assert send(read, "post", "/investment-trips", trip_body(world)).status_code == 403
    assert send(read, "post", f"/agreements/{agreement.pk}/land", {"landed_on": "2023-07-01"}
                ).status_code == 403  # fmt: skip


def test_each_roles_token_reads_what_the_investment_page_shows(world, other_district,
                                                               token_client, client_for):  # fmt: skip
    coordinator, task = other_district
    make_trip(world, 1), make_trip(world, 2), make_agreement(world, 1, project_name="本区协议")
    foreign = InvestmentTrip.objects.create(
        campaign=task.campaign, date=datetime.date(2023, 4, 3), destination="成都"
    )
    foreign_agreement = Agreement.objects.create(
        campaign=task.campaign, investor="外区投资方", project_name="外区协议",
        signed_on=datetime.date(2023, 5, 1),
    )  # fmt: skip
    norole = get_user_model().objects.create_user("norole", password="x")
    users = world.users() | {"other": coordinator, "norole": norole}
    for name, user in users.items():
        page, (api, _) = client_for(user), token_client(user)
        shown = page.get(reverse("indicators:investment"))
        trips = api.get("/api/v1/investment-trips?limit=100")
        agreements = api.get("/api/v1/agreements?limit=100")
        assert trips.status_code == agreements.status_code == shown.status_code, name
        if shown.status_code != 200:
            assert trips.json()["detail"] == "无权查看招商引资。"
            continue
        text = shown.content.decode()
        listed = {t["destination"] for t in trips.json()["items"]}
        for one in InvestmentTrip.objects.all():
            assert (one.destination in listed) == (one.destination in text), (name, one)
        listed = {a["project_name"] for a in agreements.json()["items"]}
        for one in Agreement.objects.all():
            assert (one.project_name in listed) == (one.project_name in text), (name, one)
        for url in (f"/investment-trips/{foreign.pk}", f"/agreements/{foreign_agreement.pk}"):
            expected = 200 if user == coordinator else 404
            assert api.get(f"/api/v1{url}").status_code == expected, (name, url)
    missing = token_client(world.coordinator)[0].get("/api/v1/investment-trips/999999").json()
    outside = token_client(world.coordinator)[0].get(f"/api/v1/investment-trips/{foreign.pk}")
    assert outside.json()["detail"] == missing["detail"] == "外出招商记录不存在。"


def test_the_lists_filter_and_page_in_a_stable_order(world, token_client):
    trips = [make_trip(world, day, leader=world.leader_person if day % 2 else None)
             for day in range(1, 6)]  # fmt: skip
    make_agreement(world, 1, trip=trips[0], landed=True, landed_on=datetime.date(2023, 6, 1))
    make_agreement(world, 2, trip=trips[0]), make_agreement(world, 3)
    api, _ = token_client(world.reporter_b)

    def ids(url):
        return [item["id"] for item in api.get(f"/api/v1{url}").json()["items"]]

    first = api.get("/api/v1/investment-trips?limit=2").json()
    second = api.get(f"/api/v1/investment-trips?limit=2&cursor={first['next']}").json()
    assert [t["id"] for t in first["items"] + second["items"]] == [t.pk for t in trips[:4]]
    assert ids(f"/investment-trips?leader={world.leader_person.pk}") == [
        trips[0].pk, trips[2].pk, trips[4].pk,
    ]  # fmt: skip
    assert ids("/investment-trips?date_from=2023-04-02&date_to=2023-04-03") == [
        trips[1].pk, trips[2].pk,
    ]  # fmt: skip
    assert len(ids(f"/agreements?trip={trips[0].pk}")) == 2
    assert [a["project_name"] for a in api.get("/api/v1/agreements?landed=true").json()["items"]
            ] == ["协议项目1"]  # fmt: skip
    assert len(ids("/agreements?signed_to=2023-05-02")) == 2
    assert ids(f"/investment-trips?campaign={world.campaign.pk + 1000}") == []
    bad = api.get("/api/v1/agreements?colour=red")
    assert bad.status_code == 422
    assert api.get("/api/v1/investment-trips?cursor=nonsense").status_code == 422


@pytest.mark.parametrize("url", ["/investment-trips", "/agreements"])
def test_the_lists_run_the_same_queries_for_one_and_many(world, token_client, url):
    api, _ = token_client(world.coordinator)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = api.get(f"/api/v1{url}")
        assert response.status_code == 200
        return len(response.json()["items"]), len(queries)

    trip = make_trip(world, 1, leader=world.leader_person)
    make_agreement(world, 1, trip=trip)
    count()  # the token's first use is recorded once, not counted here
    one = count()
    for n in range(2, 7):
        trip = make_trip(world, n, leader=world.leader_person)
        make_agreement(world, n, trip=trip)
    many = count()
    assert (one[0], many[0]) == (1, 6)
    assert one[1] == many[1], (one, many)
    assert one[1] == 5, one  # token, caller, his campaigns' scope, the page's ids, the rows


@pytest.mark.parametrize(
    ("url", "body", "model"),
    [("/investment-trips", trip_body, InvestmentTrip), ("/agreements", agreement_body, Agreement)],
)
def test_a_retried_create_with_its_key_is_replayed(world, token_client, url, body, model):
    api, _ = token_client(world.coordinator)
    key = {"HTTP_IDEMPOTENCY_KEY": f"investment{url}-1"}
    first = send(api, "post", url, body(world), **key)
    again = send(api, "post", url, body(world), **key)
    assert first.status_code == again.status_code == 201, first.content
    assert again["Idempotent-Replayed"] == "true" and again.content == first.content
    assert model.objects.count() == 1
    assert actions(model.objects.get()) == [AuditAction.CREATE]


# --- the 招商引资 page's figures --------------------------------------------------------------


def test_each_roles_summary_is_the_investment_pages(world, other_district, token_client,
                                                    client_for):  # fmt: skip
    coordinator, task = other_district
    trip = make_trip(world, 1)
    make_trip(world, 2, date=datetime.date(2023, 8, 2))  # after the date asked for
    make_agreement(world, 1, trip=trip, contract_amount=Decimal(12000),
                   funds_in_place=Decimal("3000.5"), landed=True,
                   landed_on=datetime.date(2023, 6, 1))  # fmt: skip
    make_agreement(world, 2, contract_amount=Decimal(800))
    norole = get_user_model().objects.create_user("norole", password="x")
    users = world.users() | {"other": coordinator, "norole": norole}
    for name, user in users.items():
        page, (api, _) = client_for(user), token_client(user)
        shown = page.get(reverse("indicators:investment"), {"as_of": "2023-07-31"})
        answer = api.get("/api/v1/investment-summary?as_of=2023-07-31")
        assert answer.status_code == shown.status_code, name
        if shown.status_code != 200:
            continue
        body, tallies = answer.json(), shown.context["tallies"]
        assert body["campaign_id"] == shown.context["campaign"].pk, name
        for field in ("trips", "agreements", "landed"):
            assert body[field] == getattr(tallies, field), (name, field)
        for field in ("contract_amount", "landed_contract_amount", "funds_in_place"):
            assert Decimal(body[field]) == getattr(tallies, field), (name, field)
    body = token_client(world.coordinator)[0].get("/api/v1/investment-summary").json()
    assert (body["trips"], body["agreements"], body["landed"]) == (1, 2, 1)
    assert Decimal(body["contract_amount"]) == 12800
    assert Decimal(body["landed_contract_amount"]) == 12000
    assert Decimal(body["funds_in_place"]) == Decimal("3000.5")
    api = token_client(world.coordinator)[0]
    foreign = api.get(f"/api/v1/investment-summary?campaign={task.campaign_id}")
    page = client_for(world.coordinator).get(
        reverse("indicators:investment"), {"campaign": task.campaign_id}
    )
    assert foreign.status_code == page.status_code == 404
    later = api.get("/api/v1/investment-summary?as_of=2023-08-31").json()
    assert later["trips"] == 2


@pytest.mark.parametrize(
    "query",
    ["/investment-trips?date_to=0", "/agreements?signed_from=2023-02-30",
     "/investment-summary?as_of=20230731"],
)  # fmt: skip
def test_a_date_in_the_query_is_a_date_not_a_timestamp(world, token_client, query):
    response = token_client(world.coordinator)[0].get(f"/api/v1{query}")
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert "日期" in response.json()["detail"]


def test_the_summary_runs_the_same_queries_for_one_and_many(world, token_client):
    api, _ = token_client(world.coordinator)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = api.get("/api/v1/investment-summary")
        assert response.status_code == 200
        return response.json()["agreements"], len(queries)

    make_agreement(world, 1, trip=make_trip(world, 1))
    count()  # the token's first use is recorded once, not counted here
    one = count()
    for n in range(2, 7):
        make_agreement(world, n, trip=make_trip(world, n))
    many = count()
    assert (one[0], many[0]) == (1, 6)
    assert one[1] == many[1], (one, many)
    assert one[1] == 6, one  # token, caller, his scope, the campaign, its trips, its agreements
