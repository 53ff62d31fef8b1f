"""Directives are listed and read through the API as their pages read them (directives.access):
the handing level reads its directive with every hand-down made from it; a district reads it
(it was handed down to it) with only its own hand-down; another level's directive is not there
for it (404), and a role that does not read directives is refused the list (403). The list is
paged by cursor and runs a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shigan.directives.services import directive_create, handdown_create
from shigan.directives.tests.factories import build_county
from shigan.orgs.models import Role
from shigan.testing import make_task, make_user

TODAY = datetime.date(2023, 7, 31)


@pytest.fixture
def county(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_county()


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", TODAY.isoformat())


def _directive(county, number=12, *, hand_down=True):
    directive = directive_create(
        by=county.coordinator, issuer=county.office, number=f"县委办发〔2023〕{number}号",
        title=f"关于深化实干年活动的通知{number}", issued_on=TODAY,
        points=["一、优化营商环境", "二、转变作风"],
    )  # fmt: skip
    if hand_down:
        handdown_create(
            by=county.coordinator, upper_task=county.upper_task, point=directive.points.first(),
            units=[d.unit for d in county.districts], today=TODAY,
        )  # fmt: skip
    return directive


def test_the_handing_level_reads_every_handdown_a_district_its_own(county, token_client):
    directive = _directive(county)
    first, second = county.districts
    api, _ = token_client(county.inspector)
    body = api.get(f"/api/v1/directives/{directive.pk}").json()
    assert body["number"] == "县委办发〔2023〕12号" and body["issuer_id"] == county.office.pk
    assert body["point_count"] == 2 and body["handdown_count"] == 2
    assert [p["text"] for p in body["points"]] == ["一、优化营商环境", "二、转变作风"]
    assert {h["unit_id"] for h in body["points"][0]["handdowns"]} == {first.unit.pk, second.unit.pk}
    assert body["points"][0]["handdowns"][0]["state"] == "pending"
    district, _ = token_client(first.coordinator)
    own = district.get(f"/api/v1/directives/{directive.pk}").json()
    assert own["handdown_count"] == 1
    assert [h["unit_id"] for h in own["points"][0]["handdowns"]] == [first.unit.pk]
    listed = district.get("/api/v1/directives").json()
    assert [(d["id"], d["handdown_count"]) for d in listed["items"]] == [(directive.pk, 1)]


def test_another_levels_directive_is_not_there_and_others_are_refused(county, token_client):
    first, second = county.districts
    own = directive_create(
        by=second.coordinator, issuer=second.unit, number="二区委办发〔2023〕1号",
        title="二区文件", issued_on=TODAY, points=["一、要求"],
    )  # fmt: skip
    api, _ = token_client(first.coordinator)
    assert api.get("/api/v1/directives").json() == {"items": [], "next": None}
    missing = api.get(f"/api/v1/directives/{own.pk}")
    assert missing.status_code == 404
    assert api.get("/api/v1/directives/999999").json()["detail"] == missing.json()["detail"]
    reporter, _ = make_user("bureau_rep", unit=first.bureau, role=Role.REPORTER, name="交通局")
    other, _ = token_client(reporter)
    refused = other.get("/api/v1/directives")
    assert (
        refused.status_code == 403
        and refused.json()["detail"] == "只有专班和督查可以查看上级文件。"
    )
    assert other.get(f"/api/v1/directives/{own.pk}").status_code == 404
    assert api.get("/api/v1/directives?issuer=1").status_code == 422  # an unknown filter


def test_the_list_is_paged_by_cursor_in_a_fixed_number_of_queries(
    county, token_client, django_assert_num_queries
):
    made = [_directive(county, number, hand_down=number == 1).pk for number in range(1, 6)]
    api, _ = token_client(county.coordinator)
    api.get("/api/v1/directives?limit=2")  # the token's first use written
    seen, url = [], "/api/v1/directives?limit=2"
    while url:
        with django_assert_num_queries(5):  # authentication, the scope, the page, its rows
            page = api.get(url).json()
        seen += [d["id"] for d in page["items"]]
        url = page["next"] and f"/api/v1/directives?limit=2&cursor={page['next']}"
    assert seen == made
    with django_assert_num_queries(5):
        assert len(api.get("/api/v1/directives?limit=100").json()["items"]) == 5


def test_a_directives_detail_runs_the_same_queries_whatever_its_points(county, token_client):
    small = _directive(county, 1, hand_down=False)
    big = directive_create(
        by=county.coordinator, issuer=county.office, number="县委办发〔2023〕99号",
        title="大文件", issued_on=TODAY, points=[f"{i}、要求" for i in range(1, 21)],
    )  # fmt: skip
    second_task = make_task(
        campaign=county.campaign, category=county.category, unit=county.office, title="第二项"
    )
    third_task = make_task(
        campaign=county.campaign, category=county.category, unit=county.office, title="第三项"
    )
    handdown_create(
        by=county.coordinator, upper_task=second_task, point=small.points.first(),
        units=[county.districts[0].unit], today=TODAY,
    )  # fmt: skip
    for task, point in ((county.upper_task, 0), (third_task, 7)):
        handdown_create(
            by=county.coordinator, upper_task=task, point=big.points.all()[point],
            units=[d.unit for d in county.districts], today=TODAY,
        )  # fmt: skip
    api, _ = token_client(county.coordinator)
    api.get("/api/v1/directives")  # the token's first use written
    counts = []
    for directive in (small, big):
        with CaptureQueriesContext(connection) as queries:
            assert api.get(f"/api/v1/directives/{directive.pk}").status_code == 200
        counts.append(len(queries))
    # 1 point and 1 hand-down, or 20 points and 4 hand-downs; the version one of them
    assert counts == [11, 11]
