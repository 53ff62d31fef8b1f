"""The task list numbers tasks within their category (序号 as the list was issued), so each
category's rows sit under its heading, as on the battle map."""

import re

from shigan.tasks.models import TaskCategory
from shigan.tasks.views import tasks as task_views
from shigan.testing import make_task


def _rows(body: str) -> list[str]:
    """Each heading (“# 类别”) and task row (“序号 任务名称”) of the table, in order."""
    table = body[body.index('<table class="task-table">') : body.index("</table>")]
    found = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)[1:]:
        heading = re.search(r'<th colspan="8" scope="rowgroup">(.*?)</th>', row)
        if heading:
            found.append(f"# {heading.group(1)}")
        else:
            number, title = re.search(r"<td>(\d+)</td>\s*<td><a [^>]*>(.*?)</a>", row).groups()
            found.append(f"{number} {title}")
    return found


def test_each_category_heads_the_tasks_numbered_within_it(world, client_for):
    second = TaskCategory.objects.create(campaign=world.campaign, name="会议议定事项", sort_order=5)
    make_task(
        campaign=world.campaign, category=second, unit=world.unit_a, title="议定事项一", number=1
    )
    body = client_for(world.coordinator).get("/tasks/").content.decode()
    assert _rows(body) == [
        "# 路网体系",
        "1 兴业大道建设",
        "2 清凉河治理二期",
        "# 会议议定事项",
        "1 议定事项一",
    ]


def test_a_page_opening_inside_a_category_repeats_its_heading(world, client_for, monkeypatch):
    for n in range(3, 5):
        make_task(
            campaign=world.campaign, category=world.category, unit=world.unit_a,
            title=f"路网任务{n}", number=n,
        )  # fmt: skip
    monkeypatch.setattr(task_views, "PAGE_SIZE", 2)
    body = client_for(world.coordinator).get("/tasks/?page=2").content.decode()
    assert _rows(body) == ["# 路网体系", "3 路网任务3", "4 路网任务4"]
