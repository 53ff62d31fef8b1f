"""schemathesis against the committed schema (docs/api/openapi.json, which
test_the_served_schema_is_the_committed_one holds equal to the served one): for generated
requests to every operation, no 500, every status answered is documented, every response body
and content type valid against the schema. Skipped where schemathesis is not installed
(`pip install -e '.[test]'` installs it)."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

schemathesis = pytest.importorskip("schemathesis")

from django.core.signals import request_finished, request_started  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import close_old_connections  # noqa: E402
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

from shigan.api.services import token_create  # noqa: E402

SCHEMA_PATH = Path(__file__).resolve().parents[3] / "docs" / "api" / "openapi.json"
schema = schemathesis.openapi.from_path(SCHEMA_PATH)
schema.app = get_wsgi_application()


@pytest.fixture
def bearer(world, monkeypatch):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    # As Django's test client: the requests run inside the test's transaction, whose connection
    # a request's end must not close (PostgreSQL).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield token_create(user=world.reporter_a, name="模糊测试", scope="write")[1]
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_its_schema_says(case, bearer):
    # A schema-valid request may still break a rule the schema cannot state (a closed month, a
    # cursor we did not give, a correction without its reason): 422 there is the API's answer.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {bearer}"},
        excluded_checks=[positive_data_acceptance],
    )
