"""Two coordinators editing the same pairing (调整或结束结对) or practice activity (实践活动) at
once: the later save is refused naming who changed what and when, nothing is written and the
typed input is kept — on the edit pages (core.editing.EditGuard, the hidden edit_version) and
through PUT /api/v1/pairings/{id} and /practice-activities/{id} (the version the detail answers;
a stale one is a 422 on `version`), and across the two (a page save makes an API version stale)."""

import datetime
import json

import pytest
from django.urls import reverse

from shigan.core.editing import FIELD
from shigan.grassroots.models import Pairing, PracticeActivity
from shigan.orgs.models import Role
from shigan.testing import make_user

JSON = "application/json"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


@pytest.fixture
def second(world):
    user, _ = make_user(
        "coordinator2", unit=world.coordinator.person.unit, role=Role.COORDINATOR, name="吴专班"
    )
    return user


@pytest.fixture
def pairing(world):
    return Pairing.objects.create(
        campaign=world.campaign, cadre=world.reporter_a.person, target_kind="household",
        target_name="张大爷家", started_on=datetime.date(2023, 3, 1),
    )  # fmt: skip


@pytest.fixture
def activity(world):
    return PracticeActivity.objects.create(campaign=world.campaign, name="红色屋场", sort_order=0)


# (the edit page's URL name, the record fixture, the field typed, the API path, a full body)
CASES = {
    "pairing": (
        "grassroots:pairing_edit", "target_name", "/api/v1/pairings",
        {"target_name": "张大爷家", "note": "", "ended_on": ""},
    ),
    "activity": (
        "grassroots:practice_activity_edit", "name", "/api/v1/practice-activities",
        {"name": "红色屋场", "description": ""},
    ),
}  # fmt: skip


def _record(request, kind):
    return request.getfixturevalue("pairing" if kind == "pairing" else "activity")


def _shown_version(client, url) -> str:
    page = client.get(url)
    assert page.status_code == 200
    return page.context["form"][FIELD].value()


def _api_body(body: dict) -> dict:
    return {k: (None if v == "" and k == "ended_on" else v) for k, v in body.items()}


@pytest.mark.parametrize("kind", CASES)
def test_the_later_of_two_page_saves_is_refused_and_keeps_its_input(
    request, world, client_for, second, kind
):
    name, field, _, body = CASES[kind]
    record = _record(request, kind)
    url = reverse(name, args=[record.pk])
    first, other = client_for(world.coordinator), client_for(second)
    seen_first, seen_other = _shown_version(first, url), _shown_version(other, url)
    saved = other.post(url, body | {field: "吴改的", FIELD: seen_other})
    assert saved.status_code == 302
    refused = first.post(url, body | {field: "周改的", FIELD: seen_first})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "您打开此页后，吴专班于" in html and "您这次的修改没有保存" in html
    label = type(record)._meta.get_field(field).verbose_name
    assert f"修改了该{type(record)._meta.verbose_name}（{label}）" in html
    assert refused.context["form"][field].value() == "周改的"  # the typed input kept
    record.refresh_from_db()
    assert getattr(record, field) == "吴改的"
    # Having compared, the same form posted again (it now carries the current version) saves.
    again = refused.context["form"][FIELD].value()
    assert first.post(url, body | {field: "周改的", FIELD: again}).status_code == 302
    record.refresh_from_db()
    assert getattr(record, field) == "周改的"


@pytest.mark.parametrize("kind", CASES)
def test_the_later_of_two_api_puts_is_refused_on_version(
    request, world, token_client, second, kind
):
    _, field, path, body = CASES[kind]
    record = _record(request, kind)
    url = f"{path}/{record.pk}"
    first, _ = token_client(world.coordinator)
    other, _ = token_client(second)
    read_first, read_other = first.get(url).json(), other.get(url).json()
    assert read_first["version"] == read_other["version"]
    sent = _api_body(body) | {field: "吴改的", "version": read_other["version"]}
    saved = other.put(url, json.dumps(sent), content_type=JSON)
    assert saved.status_code == 200, saved.content
    assert saved.json()["version"] > read_other["version"]
    stale = _api_body(body) | {field: "周改的", "version": read_first["version"]}
    refused = first.put(url, json.dumps(stale), content_type=JSON)
    assert refused.status_code == 422, refused.content
    assert [e["field"] for e in refused.json()["errors"]] == ["version"]
    assert "吴专班于" in refused.json()["detail"] and "没有保存" in refused.json()["detail"]
    record.refresh_from_db()
    assert getattr(record, field) == "吴改的"
    current = _api_body(body) | {field: "周改的", "version": saved.json()["version"]}
    assert first.put(url, json.dumps(current), content_type=JSON).status_code == 200


@pytest.mark.parametrize("kind", CASES)
def test_a_page_save_makes_the_api_version_stale(request, world, client_for, token_client,
                                                 second, kind):  # fmt: skip
    name, field, path, body = CASES[kind]
    record = _record(request, kind)
    api, _ = token_client(world.coordinator)
    read = api.get(f"{path}/{record.pk}").json()
    page = client_for(second)
    url = reverse(name, args=[record.pk])
    seen = _shown_version(page, url)
    assert page.post(url, body | {field: "吴改的", FIELD: seen}).status_code == 302
    stale = _api_body(body) | {field: "周改的", "version": read["version"]}
    refused = api.put(f"{path}/{record.pk}", json.dumps(stale), content_type=JSON)
    assert refused.status_code == 422 and "吴专班于" in refused.json()["detail"]
    record.refresh_from_db()
    assert getattr(record, field) == "吴改的"
