import pytest
from django.core.cache import cache
from django.test import Client

from shigan.api.services import token_create


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def token_client():
    """token_client(user, scope="write") -> (client, token): a client that sends the user's new
    token in Authorization: Bearer."""

    def make(user, scope="write"):
        token, raw = token_create(user=user, name="测试", scope=scope)
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}"), token

    return make
