"""The preview links a figure's sources only to pages the viewer may open: coordinators every
page (the admin included), inspectors and the leading group's leader no admin page and only the
records within their scope (for the leader: his units' and every list task of the campaign);
the other sources stay visible as text. Decided in a fixed number of queries."""

import re
from functools import partial

import pytest

from shigan.core.testing import assert_same_queries, get_page
from shigan.reports.access import links_openable_by
from shigan.supervision.models import Finding

from .reportdata import grow
from .test_report_readers import seat_in_leading_group

REPORT = "/reports/?campaign={pk}&as_of=2023-07-31&percent=％&appendix=on"
HREF = re.compile(r'href="([^"#]+)"')


@pytest.fixture
def grown(world):
    """The world grown, its leader a member of the campaign's leading group (a reader)."""
    grow(world, 3)
    seat_in_leading_group(world.campaign, world.leader_person)
    return world


def preview_links(client, world) -> tuple[str, set[str]]:
    response = client.get(REPORT.format(pk=world.campaign.pk))
    assert response.status_code == 200
    preview = str(response.context["preview"])
    return preview, {u.replace("&amp;", "&") for u in HREF.findall(preview)}


@pytest.mark.parametrize("persona", ["coordinator", "leader", "inspector"])
def test_every_link_of_the_preview_opens_for_its_viewer(grown, client_for, persona):
    client = client_for(grown.users()[persona])
    _, links = preview_links(client, grown)
    assert links
    for url in links:
        assert client.get(url).status_code == 200, url


def test_coordinators_get_links_to_admin_pages_and_the_others_do_not(grown, client_for):
    _, coordinator = preview_links(client_for(grown.coordinator), grown)
    _, inspector = preview_links(client_for(grown.inspector), grown)
    assert any(u.startswith("/admin/") for u in coordinator)
    assert not any(u.startswith("/admin/") for u in inspector)
    assert inspector == {u for u in coordinator if not u.startswith("/admin/")}


def test_a_leader_sees_sources_outside_his_scope_as_text(grown, client_for):
    finding = Finding.objects.filter(unit=grown.unit_b).first()
    preview, links = preview_links(client_for(grown.leader), grown)
    assert f"/supervision/findings/{finding.pk}/" not in links
    assert f"督查“{finding.inspection.topic}”发现的问题：{finding.short_problem}" in preview


def test_links_openable_by_keeps_what_the_viewer_reads(grown):
    finding_a = Finding.objects.create(
        inspection=Finding.objects.first().inspection,
        unit=grown.unit_a,
        problem="甲单位的问题",
        requirement="整改",
        deadline="2023-08-31",
        task=grown.task_a,
    )
    finding_b = Finding.objects.filter(unit=grown.unit_b).first()
    urls = {
        f"/tasks/{grown.task_a.pk}/",
        f"/tasks/{grown.task_b.pk}/",
        f"/supervision/findings/{finding_a.pk}/",
        f"/supervision/findings/{finding_b.pk}/",
        f"/campaigns/{grown.campaign.pk}/",
        "/admin/indicators/keyproject/1/change/",
        "/no/such/page/",
        "",
    }
    # The leader (in the leading group): every list task, the findings of his units only.
    assert links_openable_by(grown.leader, urls) == {
        f"/tasks/{grown.task_a.pk}/",
        f"/tasks/{grown.task_b.pk}/",
        f"/supervision/findings/{finding_a.pk}/",
        f"/campaigns/{grown.campaign.pk}/",
    }
    assert links_openable_by(grown.coordinator, urls) == urls - {""}
    assert links_openable_by(grown.inspector, urls) == urls - {
        "",
        "/admin/indicators/keyproject/1/change/",
        "/no/such/page/",
    }


@pytest.mark.parametrize("persona", ["coordinator", "leader", "inspector"])
def test_the_report_page_queries_do_not_grow_with_its_links(world, client_for, persona):
    seat_in_leading_group(world.campaign, world.leader_person)
    client = client_for(world.users()[persona])
    grow(world, 3)
    run = get_page(client, REPORT.format(pk=world.campaign.pk))
    assert_same_queries(run, partial(grow, world, 30, offset=100), warm_up=True)
