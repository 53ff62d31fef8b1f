"""任务清单导入 as a coordinator meets it: the link from the task list, the upload and its result,
the downloads; everyone else is refused."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from shigan.tasks.models import Task

from .task_sheets import TEMPLATE_HEADER, ListSheet, seed_sheet

PAGE = reverse("tasks:task_list_import")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(sheet: ListSheet, name: str = "清单.xlsx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    sheet.wb.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def test_the_task_list_links_to_the_import_for_coordinators_only(world, client_for):
    link = f'href="{PAGE}?campaign={world.campaign.pk}"'
    assert link in client_for(world.coordinator).get(reverse("tasks:task_list")).content.decode()
    for user in (world.leader, world.reporter_a, world.inspector):
        assert PAGE not in client_for(user).get(reverse("tasks:task_list")).content.decode()


def test_the_page_offers_the_downloads_and_the_current_campaign(world, client_for):
    page = client_for(world.coordinator).get(PAGE).content.decode()
    assert f'<option value="{world.campaign.pk}" selected>' in page
    for name in ("task_list_template", "task_list_example"):
        assert f"{reverse('tasks:' + name)}?campaign={world.campaign.pk}" in page
    assert f"{reverse('tasks:task_list_export')}?campaign={world.campaign.pk}" in page


def test_an_upload_shows_what_was_created_and_what_the_file_leaves_out(world, client_for):
    data = {"campaign": world.campaign.pk, "file": upload(seed_sheet())}
    page = client_for(world.coordinator).post(PAGE, data).content.decode()
    assert "导入成功" in page
    assert "已导入任务清单：共3项任务，新增3项，更新0项，0项未变，新建类别2个。" in page
    road = Task.objects.get(title="兴业大道建设项目")
    assert f'<a href="{road.get_absolute_url()}">兴业大道建设项目</a>' in page
    assert (
        "文件中没有、系统中保留的内容（未删除）" in page
        and "兴业大道建设</a>（路网体系 · 序号1）" in page
    )
    assert "按活动结束日期 2023-12-31 计：第7行“长期坚持”" in page


def test_a_second_upload_of_the_same_file_says_nothing_changed(world, client_for):
    client = client_for(world.coordinator)
    client.post(PAGE, {"campaign": world.campaign.pk, "file": upload(seed_sheet())})
    page = client.post(PAGE, {"campaign": world.campaign.pk, "file": upload(seed_sheet())})
    assert "未作任何更改：清单中的3项任务与系统中已有任务相同。" in page.content.decode()


def test_every_error_is_shown_with_row_column_and_value(world, client_for):
    sheet = ListSheet(TEMPLATE_HEADER)
    sheet.category("一、全面完善路网体系")
    sheet.task(序号=1, 任务名称="兴业大道建设项目", 牵头单位="交通局", 完成时限="尽快")
    data = {"campaign": world.campaign.pk, "file": upload(sheet)}
    page = client_for(world.coordinator).post(PAGE, data).content.decode()
    assert "未导入" in page and "发现2处错误，未导入任何任务，请修改后重新导入。" in page
    assert (
        "<tr><td>第4行</td><td>牵头单位</td><td>“交通局”</td>"
        '<td class="error">不是系统中已登记的单位，是否为“区交通局”？</td></tr>'
    ) in page
    assert "<td>第4行</td><td>完成时限</td><td>“尽快”</td>" in page
    assert Task.objects.count() == 2


def test_an_unreadable_file_is_named_in_chinese(world, client_for):
    data = {"campaign": world.campaign.pk, "file": SimpleUploadedFile("a.xlsx", b"not a zip")}
    page = client_for(world.coordinator).post(PAGE, data).content.decode()
    assert "文件不是有效的Excel（.xlsx）文件，无法读取。" in page


def test_an_upload_without_a_file_asks_for_one(world, client_for):
    page = client_for(world.coordinator).post(PAGE, {"campaign": world.campaign.pk})
    assert page.status_code == 200 and "请选择要导入的Excel文件。" in page.content.decode()


def test_the_downloads_are_workbooks_in_the_import_layout(world, client_for):
    client = client_for(world.coordinator)
    for name, title in [
        ("task_list_template", "2023年任务清单"),
        ("task_list_example", "2023年作风建设“实干年”活动任务清单（示例）"),
        ("task_list_export", "2023年作风建设“实干年”活动任务清单"),
    ]:
        response = client.get(reverse(f"tasks:{name}"), {"campaign": world.campaign.pk})
        assert response["Content-Type"] == XLSX
        ws = load_workbook(io.BytesIO(response.content)).active
        assert ws["A1"].value == title
        assert [ws.cell(row=3, column=c).value for c in range(1, 9)] == TEMPLATE_HEADER


def test_others_are_refused_the_page_the_upload_and_the_downloads(world, client_for):
    for user in (world.leader, world.reporter_a, world.inspector):
        client = client_for(user)
        assert client.get(PAGE).status_code == 403
        data = {"campaign": world.campaign.pk, "file": upload(seed_sheet())}
        assert client.post(PAGE, data).status_code == 403
        for name in ("task_list_template", "task_list_example", "task_list_export"):
            assert client.get(reverse(f"tasks:{name}")).status_code == 403
    assert Task.objects.count() == 2


def test_a_campaign_that_does_not_exist_is_a_404(world, client_for):
    client = client_for(world.coordinator)
    assert client.get(PAGE, {"campaign": "999"}).status_code == 404
    assert client.get(PAGE, {"campaign": "²"}).status_code == 404


def test_a_campaign_not_offered_is_refused_by_the_form(world, client_for):
    data = {"campaign": "999", "file": upload(seed_sheet())}
    page = client_for(world.coordinator).post(PAGE, data).content.decode()
    assert "导入成功" not in page and Task.objects.count() == 2


def test_without_any_campaign_the_page_says_to_create_one_first(world, client_for):
    Task.objects.all().delete()
    world.campaign.task_categories.all().delete()
    world.campaign.delete()
    page = client_for(world.coordinator).get(PAGE)
    assert page.status_code == 200
    assert "还没有活动：请先在基础设置中建立活动，再导入任务清单。" in page.content.decode()
