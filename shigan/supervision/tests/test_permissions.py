"""Who may read and write what in supervision: outsiders get 404 on other units' records,
read-only roles 403 on writes, GET on POST-only views 405, anonymous users the login page."""

import datetime

import pytest

from shigan.supervision.models import SpotCheck
from shigan.supervision.services import ExemplarInput, notice_record, spot_check_draw

from .helpers import complete, make_finding, make_inspection

PERSONAS = ["coordinator", "inspector", "leader", "reporter_a", "reporter_b"]


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


@pytest.fixture
def records(world):
    inspection = make_inspection(world, units=[world.unit_a])
    finding = make_finding(world, inspection)
    complete(world.task_a)
    spot_check = spot_check_draw(campaign=world.campaign, share=100, by=world.inspector, seed="s")
    notice = notice_record(
        campaign=world.campaign,
        doc_number="示作风办〔2023〕3号",
        date=datetime.date(2023, 6, 5),
        title="通报",
        kind="criticism",
        exemplars=[ExemplarInput(polarity="negative", title="反面", units=[world.unit_a])],
        by=world.coordinator,
    )
    return {"i": inspection.pk, "f": finding.pk, "s": spot_check.pk, "n": notice.pk}


# url template, then the status code for:
#      coordinator, inspector, leader, reporter_a, reporter_b (outsider)
GETS = [
    ("/supervision/", (200, 200, 200, 200, 200)),
    ("/supervision/new/", (200, 200, 403, 403, 403)),
    ("/supervision/{i}/", (200, 200, 200, 200, 404)),
    ("/supervision/findings/", (200, 200, 200, 200, 200)),
    ("/supervision/findings/{f}/", (200, 200, 200, 200, 404)),
    ("/supervision/findings/{f}/verify/", (200, 200, 403, 403, 404)),
    ("/supervision/spot-checks/", (200, 200, 200, 403, 403)),
    ("/supervision/spot-checks/{s}/", (200, 200, 200, 404, 404)),
    ("/supervision/notices/", (200, 200, 200, 200, 200)),
    ("/supervision/notices/new/", (200, 403, 403, 403, 403)),
    ("/supervision/notices/{n}/", (200, 200, 200, 200, 200)),
]


@pytest.mark.parametrize("url, codes", GETS)
def test_get_permissions(world, client_for, records, url, codes):
    got = [client_for(world.users()[p]).get(url.format(**records)).status_code for p in PERSONAS]
    assert tuple(got) == codes


def finding_data(world):
    return {
        "unit": world.unit_a.pk,
        "problem": "问题",
        "severity": "general",
        "requirement": "要求",
        "deadline": "2023-08-31",
    }


@pytest.mark.parametrize(
    "persona, code",
    [
        ("coordinator", 302),
        ("inspector", 302),
        ("leader", 403),
        ("reporter_a", 403),
        ("reporter_b", 404),
    ],
)
def test_recording_a_finding(world, client_for, records, persona, code):
    url = f"/supervision/{records['i']}/findings/new/"
    response = client_for(world.users()[persona]).post(url, finding_data(world))
    assert response.status_code == code


@pytest.mark.parametrize(
    "persona, code",
    [
        ("coordinator", 302),
        ("inspector", 302),
        ("leader", 403),
        ("reporter_a", 403),
        ("reporter_b", 404),
    ],
)
def test_recording_a_verification(world, client_for, records, persona, code):
    url = f"/supervision/findings/{records['f']}/verify/"
    data = {"verified_by": world.inspector.person.pk, "date": "2023-07-19", "result": "passed"}
    assert client_for(world.users()[persona]).post(url, data).status_code == code


@pytest.mark.parametrize(
    "persona, code",
    [
        ("coordinator", 302),
        ("inspector", 302),
        ("leader", 403),
        ("reporter_a", 403),
        ("reporter_b", 403),
    ],
)
def test_drawing_a_spot_check(world, client_for, records, persona, code):
    data = {"campaign": world.campaign.pk, "share": "50"}
    response = client_for(world.users()[persona]).post("/supervision/spot-checks/draw/", data)
    assert response.status_code == code
    assert SpotCheck.objects.count() == (2 if code == 302 else 1)


@pytest.mark.parametrize(
    "persona, code",
    [
        ("coordinator", 200),
        ("inspector", 403),
        ("leader", 403),
        ("reporter_a", 403),
        ("reporter_b", 403),
    ],
)
def test_recording_a_notice(world, client_for, records, persona, code):
    data = {"exemplar-TOTAL_FORMS": "0", "exemplar-INITIAL_FORMS": "0"}
    response = client_for(world.users()[persona]).post("/supervision/notices/new/", data)
    assert response.status_code == code  # the coordinator sees the form's messages


@pytest.mark.parametrize(
    "url", ["/supervision/{i}/findings/new/", "/supervision/spot-checks/draw/"]
)
def test_get_on_post_only_views_is_405(world, client_for, records, url):
    for persona in PERSONAS:
        client = client_for(world.users()[persona])
        assert client.get(url.format(**records)).status_code == 405


def test_leader_cannot_see_inspection_of_a_unit_he_does_not_oversee(world, client_for):
    inspection = make_inspection(world, units=[world.unit_b])
    finding = make_finding(world, inspection, unit=world.unit_b)
    client = client_for(world.leader)
    assert client.get(inspection.get_absolute_url()).status_code == 404
    assert client.get(finding.get_absolute_url()).status_code == 404
    assert client_for(world.reporter_b).get(finding.get_absolute_url()).status_code == 200


def test_a_finding_in_a_unit_makes_a_shared_inspection_visible_to_it(world, client_for):
    inspection = make_inspection(world, units=[world.unit_a, world.unit_b])
    assert client_for(world.reporter_b).get(inspection.get_absolute_url()).status_code == 200


def test_non_numeric_and_missing_ids_are_404(world, client_for):
    client = client_for(world.coordinator)
    assert client.get("/supervision/findings/999999/").status_code == 404
    assert client.get("/supervision/999999/").status_code == 404
    assert client.get("/supervision/spot-checks/999999/").status_code == 404
    assert client.get("/supervision/notices/999999/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/supervision/",
        "/supervision/findings/",
        "/supervision/spot-checks/",
        "/supervision/notices/",
    ],
)
def test_anonymous_is_sent_to_login(client, world, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
