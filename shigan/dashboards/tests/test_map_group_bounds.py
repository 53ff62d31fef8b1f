"""A group fragment's ?page= as large as an id (18 digits) is an empty fragment, not a 500: the
offset it makes would not fit the database's 64-bit integer."""

import re

import pytest

TASK_ROW = re.compile(r'data-task="(\d+)"')


@pytest.mark.parametrize("view", ["table", "timeline"])
def test_a_page_past_any_group_is_empty(world, client_for, view):
    client = client_for(world.coordinator)
    url = f"/map/group/?group=unit&key={world.unit_a.pk}&view={view}"
    assert TASK_ROW.findall(client.get(url).content.decode())
    response = client.get(f"{url}&page=999999999999999999")
    assert response.status_code == 200
    assert TASK_ROW.findall(response.content.decode()) == []
