"""Every indicator page runs the same number of queries for a few rows and for many."""

from functools import partial

import pytest

from shigan.core.testing import assert_same_queries, get_page
from shigan.indicators.models import Indicator

from .page_data import bulk_indicators, bulk_investment, bulk_projects

PERSONAS = ["coordinator", "leader", "reporter_a"]
BUDGET = 14


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "url",
    ["/indicators/", "/indicators/?mode=days&category=economy", "/indicators/?period=2023-03"],
)
def test_dashboard_queries_do_not_grow_with_indicators(world, today, client_for, persona, url):
    bulk_indicators(world, 3)
    client = client_for(world.users()[persona])
    grow = partial(bulk_indicators, world, 57, offset=3)
    response = assert_same_queries(get_page(client, url), grow, at_most=BUDGET, warm_up=True)
    assert len(response.context["rows"]) >= 28


@pytest.mark.parametrize("persona", PERSONAS)
def test_indicator_detail_queries_do_not_grow_with_entries(world, today, client_for, persona):
    bulk_indicators(world, 2)
    indicator = Indicator.objects.filter(responsible_unit=world.unit_a).first()
    url = f"/indicators/{indicator.pk}/"

    def grow():
        for n in range(10):  # ten rounds of corrections of every month
            for actual in list(indicator.actuals.filter(corrections__isnull=True)):
                actual.pk, actual.corrects_id = None, actual.pk
                actual.correction_reason = f"第{n}次更正"
                actual.save()

    client = client_for(world.users()[persona])
    response = assert_same_queries(get_page(client, url), grow, at_most=BUDGET, warm_up=True)
    assert len(response.context["entries"]) == 77


@pytest.mark.parametrize("persona", PERSONAS)
def test_project_list_queries_do_not_grow_with_projects(world, today, client_for, persona):
    bulk_projects(world, 2)
    client = client_for(world.users()[persona])
    grow = partial(bulk_projects, world, 38, offset=2)
    url = "/indicators/projects/"
    response = assert_same_queries(get_page(client, url), grow, at_most=BUDGET, warm_up=True)
    assert len(response.context["rows"]) >= 19 and len(response.context["enterprises"]) >= 19


@pytest.mark.parametrize("persona", PERSONAS)
def test_investment_queries_do_not_grow_with_agreements(world, today, client_for, persona):
    bulk_investment(world, 2)
    client = client_for(world.users()[persona])
    grow = partial(bulk_investment, world, 38, offset=2)
    url = "/indicators/investment/"
    response = assert_same_queries(get_page(client, url), grow, at_most=BUDGET, warm_up=True)
    assert len(response.context["agreements"]) == 40
