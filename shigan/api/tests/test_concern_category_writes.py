"""Concern categories (诉求类别) written through the API as on their page: POST
/concern-categories adds one to the caller's district, PUT /concern-categories/{id} changes one
(grassroots.forms.concerns.ConcernCategoryForm, grassroots.services.concerns
.concern_category_save: a name the district has refused on `name`, audited); each role's token
answers what the page answers (403 for whoever is not the task force, 404 for another
district's category); an Idempotency-Key replays a retried POST; unknown fields refused."""

import json

import pytest
from django.urls import reverse

from shigan.core.models import AuditAction, AuditEntry
from shigan.grassroots.models import ConcernCategory
from shigan.grassroots.tests.concern_helpers import category
from shigan.orgs.models import Role, Unit, UnitKind
from shigan.testing import make_user

from .versions import versioned

URL = "/api/v1/concern-categories"


def send(client, method, url, data, **headers):
    """`data` sent; a PUT without a version sends the one the category answers now."""
    call = client.post if method == "post" else client.put
    if method != "post":
        data = versioned(url, data)
    return call(url, json.dumps(data), content_type="application/json", **headers)


def entries(action) -> int:
    return AuditEntry.objects.filter(
        record_type="grassroots.concerncategory", action=action
    ).count()


def test_the_task_force_adds_and_changes_a_category_as_on_the_page(world, token_client):
    api, _ = token_client(world.coordinator)
    made = send(api, "post", URL, {"name": "马上就办", "time_limit_workdays": 0})
    assert made.status_code == 201, made.content
    answer = made.json()
    assert answer["name"] == "马上就办" and answer["time_limit_workdays"] == 0
    assert answer["sort_order"] == 0 and answer["district_id"] == world.district.pk
    assert entries(AuditAction.CREATE) == 1
    again = send(api, "post", URL, {"name": "马上就办", "time_limit_workdays": 3})
    assert again.status_code == 422
    assert again.json()["errors"] == [{"field": "name", "detail": "类别“马上就办”已存在。"}]
    too_long = send(api, "post", URL, {"name": "慢", "time_limit_workdays": 251})
    assert too_long.status_code == 422
    assert too_long.json()["errors"][0]["field"] == "time_limit_workdays"
    assert ConcernCategory.objects.count() == 1
    url = f"{URL}/{answer['id']}"
    changed = send(api, "put", url, {"name": "马上就办", "time_limit_workdays": 1, "sort_order": 2})
    assert changed.status_code == 200, changed.content
    assert changed.json()["time_limit_workdays"] == 1 and changed.json()["sort_order"] == 2
    entry = AuditEntry.objects.get(
        record_type="grassroots.concerncategory", action=AuditAction.UPDATE
    )
    assert entry.actor == world.coordinator
    other = category(world, name="道路交通")
    clash = send(api, "put", f"{URL}/{other.pk}", {"name": "马上就办", "time_limit_workdays": 5})
    assert clash.status_code == 422 and clash.json()["errors"][0]["field"] == "name"
    listed = api.get(URL).json()
    assert [c["name"] for c in listed] == ["道路交通", "马上就办"]  # sort_order 0, then 2


def test_unknown_fields_are_refused_and_nothing_saved(world, token_client):
    api, _ = token_client(world.coordinator)
    body = {"name": "噪声扰民", "time_limit_workdays": 5, "district": world.district.pk}
    response = send(api, "post", URL, body)
    assert response.status_code == 422 and "district" in response.content.decode()
    assert not ConcernCategory.objects.exists()


def test_each_roles_token_writes_a_category_as_the_page(world, token_client, client_for):
    """Page and API agree for every role: the page's POSTs (302 saved, 403, 404) and the API's
    (201/200, 403, 404), on the district's category and on another district's."""
    elsewhere = Unit.objects.create(name="邻区党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    theirs = ConcernCategory.objects.create(
        district=elsewhere, name="邻区类别", time_limit_workdays=5
    )
    outsider, _ = make_user("outsider", unit=elsewhere, role=Role.COORDINATOR, name="孙专班")
    ours = category(world)
    expected_new = {"coordinator": 201, "outsider": 201}
    expected_edit = {"coordinator": 200, "outsider": 404}
    for name, user in world.users().items() | {"outsider": outsider}.items():
        page = client_for(user)
        api, _ = token_client(user)
        page_new = page.post(
            reverse("grassroots:category_list"), {"name": f"页{name}", "time_limit_workdays": "3"}
        ).status_code
        api_new = send(api, "post", URL, {"name": f"接口{name}", "time_limit_workdays": 3})
        assert {302: 201}.get(page_new, page_new) == api_new.status_code, (name, api_new.content)
        assert api_new.status_code == expected_new.get(name, 403), name
        page_edit = page.post(
            reverse("grassroots:category_edit", args=[ours.pk]),
            {"name": ours.name, "time_limit_workdays": "4"},
        ).status_code
        api_edit = send(
            api, "put", f"{URL}/{ours.pk}", {"name": ours.name, "time_limit_workdays": 6}
        )
        assert {302: 200}.get(page_edit, page_edit) == api_edit.status_code, (
            name,
            api_edit.content,
        )
        assert api_edit.status_code == expected_edit.get(name, 403), name
    ours.refresh_from_db()
    assert ours.time_limit_workdays == 6  # the coordinator's API call came after his page's
    theirs.refresh_from_db()
    assert theirs.time_limit_workdays == 5
    read, _ = token_client(world.coordinator, scope="read")
    refused = send(read, "post", URL, {"name": "只读", "time_limit_workdays": 1})
    assert refused.status_code == 403 and not ConcernCategory.objects.filter(name="只读").exists()


@pytest.mark.parametrize("method", ["post", "put"])
def test_a_retried_write_with_its_key_is_replayed(world, token_client, method):
    api, _ = token_client(world.coordinator)
    url = URL if method == "post" else f"{URL}/{category(world).pk}"
    body = {"name": "环境卫生", "time_limit_workdays": 7}
    if method == "put":  # the retry sends the same body, the version read before the first
        body = versioned(url, body)
    key = {"HTTP_IDEMPOTENCY_KEY": f"category-{method}-1"}
    first = send(api, method, url, body, **key)
    again = send(api, method, url, body, **key)
    assert first.status_code == again.status_code == {"post": 201, "put": 200}[method]
    assert again["Idempotent-Replayed"] == "true" and again.content == first.content
    assert ConcernCategory.objects.filter(name="环境卫生").count() == 1
    action = AuditAction.CREATE if method == "post" else AuditAction.UPDATE
    assert entries(action) == 1
