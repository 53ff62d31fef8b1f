import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from a live
# server test would otherwise be refused.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def world(db):
    from shigan.core.testing import build_world

    return build_world()


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client logged in as that user."""
    from django.test import Client

    def make(user):
        c = Client()
        c.force_login(user)
        return c

    return make
