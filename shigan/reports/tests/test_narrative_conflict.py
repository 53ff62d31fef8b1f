"""Two coordinators writing the report's words at once (报告文字): the later save is refused
with who changed what, nothing written — the text the second left untouched never counts as a
change over the first's (reports.services.narrative_save's version, shared with the API's
PUT /report-narrative)."""

import pytest

from shigan.core.crawl import UNSUBMITTED, _Parser, parse_forms
from shigan.core.editing import FIELD
from shigan.orgs.models import Role
from shigan.reports.models import NarrativeText
from shigan.testing import make_user

URL = "/reports/narrative/?campaign={pk}&period=2023-07"
FIRST_TEXT = "年初以来，各项工作扎实推进。"
SECOND_TEXT = "下一步，继续压实责任。"


def _shown(client, url) -> dict[str, list[str]]:
    """The narrative form as the browser sends it unchanged (hidden version included)."""
    response = client.get(url)
    assert response.status_code == 200
    parser = _Parser()
    parser.feed(response.content.decode())
    form = next(f for f in parse_forms(parser, url) if any(x.name == "note" for x in f.fields))
    data: dict[str, list[str]] = {}
    for field in form.fields:
        if field.kind in UNSUBMITTED or (field.kind == "checkbox" and not field.checked):
            continue
        data.setdefault(field.name, []).append(field.value)
    return data


@pytest.fixture
def two(world, client_for):
    other, _ = make_user(
        "coordinator2", unit=world.coordinator.person.unit, role=Role.COORDINATOR, name="吴专班"
    )
    return client_for(world.coordinator), client_for(other)


def _other_body(data) -> str:
    """A body field other than the opening's: the one the second coordinator edits."""
    return next(n for n in data if n.endswith("_body") and not n.startswith("opening_"))


def test_the_page_carries_the_version(world, two):
    first, _ = two
    shown = _shown(first, URL.format(pk=world.campaign.pk))
    assert shown[FIELD] == ["0"]


def test_the_second_of_two_interleaved_saves_is_refused_and_writes_nothing(world, two):
    first, second = two
    url = URL.format(pk=world.campaign.pk)
    shown_first, shown_second = _shown(first, url), _shown(second, url)
    other = _other_body(shown_second)
    saved = first.post(url, shown_first | {"opening_0_body": [FIRST_TEXT], "note": ["甲"]})
    assert saved.status_code == 302
    assert NarrativeText.objects.count() == 1
    # The second leaves the opening as he read it (the default text) and writes another field.
    refused = second.post(url, shown_second | {other: [SECOND_TEXT], "note": ["乙"]})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "您打开此页后，周专班于" in page, page[:3000]
    assert "修改了该报告（报告文字“" in page and "您这次的修改没有保存" in page
    assert SECOND_TEXT in page  # his text kept in the form
    assert "他人保存的当前内容：" in page and FIRST_TEXT in page  # the other's text shown
    # Nothing written: the first's opening stands, the second's field not saved.
    assert NarrativeText.objects.count() == 1
    assert NarrativeText.objects.get().body == FIRST_TEXT
    # The refused form now carries the current version: a second save, after comparing, is
    # a deliberate one and goes through.
    again = refused.context["form"]
    assert again.data[FIELD] == str(NarrativeText.objects.get().pk)


def test_a_deliberate_second_save_after_the_conflict_goes_through(world, two):
    first, second = two
    url = URL.format(pk=world.campaign.pk)
    shown_first, shown_second = _shown(first, url), _shown(second, url)
    other = _other_body(shown_second)
    first.post(url, shown_first | {"opening_0_body": [FIRST_TEXT]})
    second.post(url, shown_second | {other: [SECOND_TEXT]})
    resent = _shown(second, url) | {other: [SECOND_TEXT]}
    assert second.post(url, resent).status_code == 302
    bodies = dict(NarrativeText.objects.values_list("slot", "body"))
    assert bodies["opening"] == FIRST_TEXT and SECOND_TEXT in bodies.values()


def test_a_save_with_nobody_in_between_goes_through(world, two):
    first, _ = two
    url = URL.format(pk=world.campaign.pk)
    shown = _shown(first, url)
    assert first.post(url, shown | {"opening_0_body": [FIRST_TEXT]}).status_code == 302
    shown = _shown(first, url)
    assert shown[FIELD] == [str(NarrativeText.objects.get().pk)]
    assert first.post(url, shown | {"opening_0_body": ["改后"]}).status_code == 302
    assert NarrativeText.objects.count() == 2
