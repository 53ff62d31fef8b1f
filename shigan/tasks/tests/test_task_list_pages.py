"""任务清单导入 as a coordinator meets it: the link from the task list, the upload and its preview,
确认导入 or 取消, the downloads; everyone else is refused."""

import datetime
import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from shigan.campaigns.models import Campaign
from shigan.core.models import AuditEntry
from shigan.tasks.models import Milestone, Task, TaskCategory

from .task_sheets import TEMPLATE_HEADER, ListSheet, seed_sheet

PAGE = reverse("tasks:task_list_import")
D = datetime.date
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


def preview(client, sheet: ListSheet, campaign) -> str:
    return client.post(PAGE, {"campaign": campaign.pk, "file": upload(sheet)}).content.decode()


def confirmation(page: str) -> dict:
    """The hidden fields of the preview's 确认导入 form, and the button."""
    fields = dict(
        re.findall(r'<input type="hidden" name="(token|campaign|plan)" value="([^"]*)"', page)
    )
    assert set(fields) == {"token", "campaign", "plan"}, "the preview offers no confirmation"
    return fields | {"confirm": "1"}


def counts() -> list[int]:
    return [m.objects.count() for m in (Task, Milestone, TaskCategory, AuditEntry)]


def test_an_upload_is_a_preview_that_writes_nothing_and_offers_confirmation(world, client_for):
    before = counts()
    page = preview(client_for(world.coordinator), seed_sheet(), world.campaign)
    assert counts() == before
    assert "导入预览（尚未导入）" in page and "导入成功" not in page
    assert (
        "预览：确认后导入任务清单：共3项任务，将新增3项，将更新0项，0项未变，将新建类别2个。"
        in page
    )
    assert "将新增任务（3项）" in page
    assert "<li>兴业大道建设项目（全面完善路网体系 · 序号1 · 区交通局 · 2023-12-31）</li>" in page
    # What the file leaves out is listed, and kept.
    assert "文件中没有、系统中保留的内容（未删除）" in page
    assert (
        f'<a href="{world.task_a.get_absolute_url()}">兴业大道建设</a>（路网体系 · 序号1）' in page
    )
    assert "按活动结束日期2023-12-31计：第7行“长期坚持”" in page
    assert (
        '<button type="submit" name="confirm" value="1" class="primary">确认导入</button>' in page
    )
    assert '<button type="submit" name="cancel" value="1">取消</button>' in page


def test_confirming_saves_exactly_the_previewed_file_once(world, client_for):
    client = client_for(world.coordinator)
    fields = confirmation(preview(client, seed_sheet(), world.campaign))
    # A file sent along with the confirmation is not what is saved: the previewed one is.
    other = ListSheet(TEMPLATE_HEADER)
    other.category("一、其他")
    other.task(序号=1, 任务名称="不应导入的任务", 牵头单位="区交通局", 完成时限="年底")
    page = client.post(PAGE, fields | {"file": upload(other)}).content.decode()
    assert "导入成功" in page
    assert "已导入任务清单：共3项任务，新增3项，更新0项，0项未变，新建类别2个。" in page
    road = Task.objects.get(title="兴业大道建设项目")
    assert f'<a href="{road.get_absolute_url()}">兴业大道建设项目</a>' in page
    assert not Task.objects.filter(title="不应导入的任务").exists()
    assert Task.objects.count() == 5 and "确认导入</button>" not in page
    # The staged file is spent: confirming again saves nothing and says so.
    before = counts()
    again = client.post(PAGE, fields, follow=True).content.decode()
    assert "这份预览已失效（已确认、已取消或已超过一天），未导入任何内容：请重新上传文件。" in again
    assert counts() == before


def test_cancel_forgets_the_file_and_saves_nothing(world, client_for):
    client = client_for(world.coordinator)
    fields = confirmation(preview(client, seed_sheet(), world.campaign))
    before = counts()
    response = client.post(PAGE, {**fields, "cancel": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == f"{PAGE}?campaign={world.campaign.pk}"
    assert "已取消导入，未作任何更改。" in response.content.decode()
    page = client.post(PAGE, fields, follow=True).content.decode()
    assert "这份预览已失效" in page and counts() == before


def test_a_preview_with_errors_cannot_be_confirmed(world, client_for):
    sheet = ListSheet(TEMPLATE_HEADER)
    sheet.category("一、全面完善路网体系")
    sheet.task(序号=1, 任务名称="兴业大道建设项目", 牵头单位="交通局", 完成时限="年底")
    page = preview(client_for(world.coordinator), sheet, world.campaign)
    assert "未导入" in page and 'name="token"' not in page and "确认导入</button>" not in page


def test_a_preview_of_a_file_that_changes_nothing_offers_no_confirmation(world, client_for):
    client = client_for(world.coordinator)
    client.post(PAGE, confirmation(preview(client, seed_sheet(), world.campaign)))
    page = preview(client, seed_sheet(), world.campaign)
    assert "无需导入" in page and "未作任何更改：清单中的3项任务与系统中已有任务相同。" in page
    assert 'name="token"' not in page


def test_a_list_changed_after_the_preview_is_previewed_again_not_saved(world, client_for):
    client = client_for(world.coordinator)
    sheet = seed_sheet()
    fields = confirmation(preview(client, sheet, world.campaign))
    # Meanwhile another coordinator imports a list holding one of the file's tasks.
    first = ListSheet(TEMPLATE_HEADER)
    first.category("一、全面完善路网体系")
    first.task(序号=1, 任务名称="河道常态化保洁", 牵头单位="区交通局", 完成时限="年底")
    other = client_for(world.coordinator)
    assert (
        "导入成功"
        in other.post(PAGE, confirmation(preview(other, first, world.campaign))).content.decode()
    )
    before = counts()
    page = client.post(PAGE, fields).content.decode()
    assert counts() == before
    assert "预览之后，系统中本活动的任务已有变化" in page
    assert "将新增2项，将更新1项" in page
    assert "河道常态化保洁</a>：类别 全面完善路网体系 → 持续修复流域生态" in page
    renewed = confirmation(page)
    assert renewed["token"] == fields["token"] and renewed["plan"] != fields["plan"]
    assert "导入成功" in client.post(PAGE, renewed).content.decode()
    assert Task.objects.filter(title="河道常态化保洁").get().lead_unit == world.unit_b


def test_a_token_of_another_session_campaign_or_a_forged_one_confirms_nothing(world, client_for):
    fields = confirmation(preview(client_for(world.coordinator), seed_sheet(), world.campaign))
    other = Campaign.objects.create(
        name="2024年活动", year=2024, organiser=world.district,
        start_date=D(2024, 1, 1), end_date=D(2024, 12, 31),
    )  # fmt: skip
    before = counts()
    client = client_for(world.coordinator)  # the same coordinator in another browser
    for data in [
        fields,
        fields | {"token": "A" * 22},
        fields | {"token": "../../secret_key"},
        fields | {"token": "²" * 22},
    ]:
        page = client.post(PAGE, data, follow=True).content.decode()
        assert "这份预览已失效" in page or "确认信息不完整" in page, data
    same = client_for(world.coordinator)
    fields = confirmation(preview(same, seed_sheet(), world.campaign))
    page = same.post(PAGE, fields | {"campaign": other.pk}, follow=True).content.decode()
    assert "这份预览已失效" in page
    for missing in ("plan", "campaign"):
        data = {k: v for k, v in fields.items() if k != missing}
        page = same.post(PAGE, data, follow=True).content.decode()
        assert "确认信息不完整，未导入任何内容：请重新上传文件。" in page
    assert counts() == before


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
    fields = confirmation(preview(client_for(world.coordinator), seed_sheet(), world.campaign))
    for user in (world.leader, world.reporter_a, world.inspector):
        client = client_for(user)
        assert client.get(PAGE).status_code == 403
        data = {"campaign": world.campaign.pk, "file": upload(seed_sheet())}
        assert client.post(PAGE, data).status_code == 403
        assert client.post(PAGE, fields).status_code == 403
        assert client.post(PAGE, {**fields, "cancel": "1"}).status_code == 403
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
    assert '还没有活动：请先<a href="/campaigns/new/">新建活动</a>，再导入任务清单。' in (
        page.content.decode()
    )
