import datetime

import pytest
from django.test import Client

from shigan.api.services import token_create
from shigan.campaigns.models import Campaign
from shigan.core.figures_cache import clear_caches
from shigan.orgs.models import Role, Unit, UnitKind
from shigan.tasks.models import TaskCategory
from shigan.testing import make_task, make_user


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    clear_caches()
    yield
    clear_caches()


@pytest.fixture
def token_client():
    """token_client(user, scope="write") -> (client, token): a client that sends the user's new
    token in Authorization: Bearer."""

    def make(user, scope="write"):
        token, raw = token_create(user=user, name="测试", scope=scope)
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}"), token

    return make


@pytest.fixture
def other_district(world):
    """A second district, not below the first, with its coordinator and one task."""
    district = Unit.objects.create(name="高新区党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    bureau = Unit.objects.create(name="高新区交通局", kind=UnitKind.BUREAU, parent=district)
    coordinator, _ = make_user("gx", unit=district, role=Role.COORDINATOR, name="高专班")
    campaign = Campaign.objects.create(
        year=2023,
        name="高新区实干年",
        organiser=district,
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2023, 12, 31),
    )
    category = TaskCategory.objects.create(campaign=campaign, name="交通")
    task = make_task(campaign=campaign, category=category, unit=bureau, title="高新大道", number=1)
    return coordinator, task
