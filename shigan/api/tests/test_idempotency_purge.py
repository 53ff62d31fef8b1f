"""Expired Idempotency-Keys go whoever's they are (api.idempotency.purge_expired): each keyed
request deletes a bounded batch of anyone's expired keys and every one of its own caller, and
`shigan api_keys purge` deletes them all; a key within its 24 hours stays."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from shigan.api import idempotency
from shigan.api.models import IdempotentRequest

from .test_supervision_writes import inspection_body


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")


def stored(user, n: int, *, hours_ago: float, caller="token:999999", prefix="k"):
    at = timezone.now() - datetime.timedelta(hours=hours_ago)
    IdempotentRequest.objects.bulk_create(
        IdempotentRequest(
            user=user, caller=caller, key=f"{prefix}{i}", fingerprint="f", status=201,
            content_type="application/json", body=b"{}", created_at=at,
        )
        for i in range(n)
    )  # fmt: skip


def test_a_keyed_request_purges_a_bounded_batch_of_anyones_expired_keys(
    world, token_client, monkeypatch
):
    monkeypatch.setattr(idempotency, "PURGE_BATCH", 3)
    stored(world.coordinator, 5, hours_ago=25)  # a caller who never came back
    stored(world.coordinator, 2, hours_ago=23, prefix="fresh")  # within 24 hours: kept
    api, _ = token_client(world.inspector)
    key = {"HTTP_IDEMPOTENCY_KEY": "purge-1"}
    body = json.dumps(inspection_body(world))
    response = api.post("/api/v1/inspections", body, content_type="application/json", **key)
    assert response.status_code == 201, response.content
    # 5 expired - 3 purged (the batch) = 2 left, the 2 fresh ones, and the new key.
    assert IdempotentRequest.objects.filter(key__startswith="k").count() == 2
    assert IdempotentRequest.objects.filter(key__startswith="fresh").count() == 2
    assert IdempotentRequest.objects.filter(key="purge-1").count() == 1
    key = {"HTTP_IDEMPOTENCY_KEY": "purge-2"}
    body = json.dumps(inspection_body(world, topic="第二次"))
    assert api.post("/api/v1/inspections", body, content_type="application/json", **key)
    assert IdempotentRequest.objects.filter(key__startswith="k").count() == 0
    assert IdempotentRequest.objects.count() == 4


def test_the_callers_own_expired_key_is_never_replayed(world, token_client, monkeypatch):
    """His expired keys go whatever the batch: an expired key sent again is a new request."""
    monkeypatch.setattr(idempotency, "PURGE_BATCH", 1)
    api, token = token_client(world.inspector)
    stored(world.coordinator, 3, hours_ago=26, prefix="other")  # older: the batch takes these
    stored(world.inspector, 1, hours_ago=25, caller=f"token:{token.pk}", prefix="again")
    body = json.dumps(inspection_body(world))
    key = {"HTTP_IDEMPOTENCY_KEY": "again0"}
    response = api.post("/api/v1/inspections", body, content_type="application/json", **key)
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert IdempotentRequest.objects.filter(key__startswith="other").count() == 2


def test_the_command_purges_every_expired_key_in_batches(world, monkeypatch):
    from shigan.api.management.commands import api_keys

    monkeypatch.setattr(api_keys, "BATCH", 4)
    stored(world.coordinator, 9, hours_ago=30)
    stored(world.coordinator, 2, hours_ago=1, prefix="fresh")
    out = io.StringIO()
    call_command("api_keys", "purge", stdout=out)
    assert out.getvalue().strip() == "已删除过期幂等键9个。"
    assert list(IdempotentRequest.objects.values_list("key", flat=True).order_by("key")) == [
        "fresh0",
        "fresh1",
    ]


def test_the_purge_is_one_statement(world, django_assert_num_queries):
    stored(world.coordinator, 5, hours_ago=30)
    with django_assert_num_queries(1):
        assert idempotency.purge_expired(limit=2, caller="token:1") == 2
    assert IdempotentRequest.objects.count() == 3
