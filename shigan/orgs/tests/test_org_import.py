"""组织架构导入: the pages (upload, preview, confirm, downloads), what an import creates and
updates, re-import by stable code, the export's round trip, removals only when ticked, the
command line, and the preview's query budget."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from shigan.core.models import AuditEntry, AuditSource
from shigan.core.testing import assert_same_queries
from shigan.core.xlsx.layout import workbook_bytes
from shigan.orgs.access import can_import_org
from shigan.orgs.models import (
    LeadingGroup,
    LeadingGroupMember,
    Oversight,
    Person,
    Role,
    Unit,
    UnitKind,
)
from shigan.orgs.xlsx import (
    org_example,
    org_import_apply,
    org_import_preview,
    org_template,
    org_workbook,
)

from .org_sheets import OrgBook, world_book

URL = "/setup/org/import/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(data: bytes, name="org.xlsx"):
    return SimpleUploadedFile(name, data, content_type=XLSX)


def book_bytes(book: OrgBook) -> bytes:
    buffer = io.BytesIO()
    book.wb.save(buffer)
    return buffer.getvalue()


def state():
    """Everything an import may touch, as comparable values."""
    return (
        sorted(Unit.objects.values_list("code", "name", "short_name", "kind", "parent__name",
                                        "sort_order", "district__name")),
        sorted(Person.objects.values_list("code", "name", "unit__name", "post", "phone", "role",
                                          "sort_order", "user_id")),
        sorted(Oversight.objects.values_list("leader__name", "unit__name")),
        sorted(LeadingGroupMember.objects.values_list("group__name", "person__name", "role",
                                                      "sort_order")),
    )  # fmt: skip


def test_the_url_is_the_setup_pages():
    assert reverse("orgs:org_import") == URL


def test_only_coordinators_may_import(world):
    assert can_import_org(world.coordinator)
    for user in [world.leader, world.reporter_a, world.inspector]:
        assert not can_import_org(user)
    result = org_import_apply(path_or_file=io.BytesIO(book_bytes(world_book())), by=world.leader)
    assert result.errors == ["只有专班可以导入组织架构。"]


def test_the_example_imports_into_an_empty_district_and_again_changes_nothing(world, tmp_path):
    path = tmp_path / "example.xlsx"
    org_example().save(path)
    # The example's district is 示范区党委、政府: the test world's is named otherwise.
    wb = load_workbook(path)
    wb["单位"]["B5"].value = "示范区党委政府"
    wb.save(path)
    result = org_import_apply(path_or_file=path, by=world.coordinator)
    assert result.ok, result.errors
    district = Unit.objects.get(pk=world.district.pk)
    assert district.code == "100"
    office = Unit.objects.get(code="101")
    assert (office.name, office.kind, office.parent_id, office.district_id) == (
        "党政办公室", UnitKind.OFFICE, district.pk, district.pk)  # fmt: skip
    zhou = Person.objects.get(code="P005")
    assert (zhou.name, zhou.unit.name, zhou.role) == ("周伟", "区作风专班", Role.COORDINATOR)
    assert Oversight.objects.filter(leader__code="P003", unit__name="水务站").exists()
    group = LeadingGroup.objects.get(name="作风建设“实干年”活动领导小组")
    assert group.members.get(person__code="P001").role == "leader"
    entries = AuditEntry.objects.filter(note="组织架构导入")
    assert entries.count() == 13 + 10 + 7 + 1 + 5  # units, people, oversight, group, seats
    assert set(entries.values_list("actor_id", flat=True)) == {world.coordinator.pk}
    before = state()
    again = org_import_apply(path_or_file=path, by=world.coordinator)
    assert again.summary() == "未作任何更改：文件与系统中的组织架构相同。"
    assert state() == before


def test_the_template_has_a_guide_and_every_sheet(world):
    wb = load_workbook(io.BytesIO(workbook_bytes(org_template())))
    assert wb.sheetnames == ["说明", "单位", "人员", "分管", "领导小组"]
    assert "组织架构导入说明" in wb["说明"]["A1"].value
    assert [c.value for c in wb["人员"][3]] == ["人员编码", "姓名", "单位", "职务", "联系电话", "系统角色", "排序"]  # fmt: skip
    result = org_import_preview(path_or_file=io.BytesIO(workbook_bytes(org_template())),
                                by=world.coordinator)  # fmt: skip
    assert result.ok
    # An empty workbook names nothing: everything of the district is listed, nothing removed.
    assert {r.kind for r in result.plan.removals} == {"单位", "人员", "分管关系"}


def test_the_export_imports_back_without_any_change(world):
    org_import_apply(path_or_file=io.BytesIO(book_bytes(world_book())), by=world.coordinator)
    group = LeadingGroup.objects.create(name="领导小组")
    LeadingGroupMember.objects.create(group=group, person=world.leader_person, role="leader")
    Person.objects.filter(name="王填报").update(code="007", phone="13800000000")
    before = state()
    data = workbook_bytes(org_workbook(Unit.objects.get(pk=world.district.pk)))
    preview = org_import_preview(path_or_file=io.BytesIO(data), by=world.coordinator)
    assert preview.ok, preview.errors
    assert not preview.plan.changes_anything and preview.plan.removals == []
    result = org_import_apply(path_or_file=io.BytesIO(data), by=world.coordinator)
    assert result.summary() == "未作任何更改：文件与系统中的组织架构相同。"
    assert state() == before


def test_the_same_file_twice_changes_nothing(world):
    data = book_bytes(world_book())
    first = org_import_apply(path_or_file=io.BytesIO(data), by=world.coordinator)
    assert first.outcome.units_updated == 4  # the codes filled in
    before, entries = state(), AuditEntry.objects.count()
    second = org_import_apply(path_or_file=io.BytesIO(data), by=world.coordinator)
    assert not second.outcome.changed
    assert (state(), AuditEntry.objects.count()) == (before, entries)


def test_a_renamed_unit_is_updated_by_its_code(world):
    org_import_apply(path_or_file=io.BytesIO(book_bytes(world_book())), by=world.coordinator)
    book = world_book()
    book.cell("单位", 4, "单位名称").value = "区交通运输局"
    book.cell("人员", 4, "单位").value = "区交通运输局"
    preview = org_import_preview(path_or_file=io.BytesIO(book_bytes(book)), by=world.coordinator)
    _, updated, _ = preview.plan.unit_counts
    assert [(c.unit.name, c.changes) for c in updated] == [
        ("区交通局", ["单位名称 区交通局 → 区交通运输局"])
    ]
    assert preview.plan.removals == []
    result = org_import_apply(path_or_file=io.BytesIO(book_bytes(book)), by=world.coordinator)
    assert result.ok
    unit = Unit.objects.get(pk=world.unit_a.pk)
    assert unit.name == "区交通运输局"
    assert world.task_a.__class__.objects.get(pk=world.task_a.pk).lead_unit_id == unit.pk
    entry = AuditEntry.objects.filter(record_type="orgs.unit", record_id=unit.pk).latest("id")
    assert entry.changes["单位名称"] == ["区交通局", "区交通运输局"]
    assert entry.source == AuditSource.USER and entry.actor_id == world.coordinator.pk


def test_a_person_moves_and_a_new_one_is_created(world):
    book = world_book()
    book.cell("人员", 4, "单位").value = "区水务局"  # 王填报 matched by name in his old unit? no:
    result = org_import_preview(path_or_file=io.BytesIO(book_bytes(book)), by=world.coordinator)
    # Without a code, a person is matched by name in the unit the file names: 王填报 of 区水务局
    # is a new person, the one of 区交通局 is listed as left out.
    new, _, _ = result.plan.person_counts
    assert [c.label for c in new] == ["王填报（区水务局）"]
    assert [r.label for r in result.plan.removals if r.kind == "人员"] == ["王填报（区交通局）"]
    Person.objects.filter(name="王填报").update(code="W1")
    book.cell("人员", 4, "人员编码").value = "W1"
    result = org_import_apply(path_or_file=io.BytesIO(book_bytes(book)), by=world.coordinator)
    assert result.outcome.people_updated == 1 and result.outcome.people_created == 0
    assert Person.objects.get(code="W1").unit_id == world.unit_b.pk


def test_removals_are_previewed_and_applied_only_when_ticked(world, client_for):
    org_import_apply(path_or_file=io.BytesIO(book_bytes(world_book())), by=world.coordinator)
    spare = Unit.objects.create(
        name="区档案馆", code="190", kind=UnitKind.BUREAU, parent=world.district
    )
    clerk = Person.objects.create(name="孙档案", unit=spare)
    Oversight.objects.create(leader=world.leader_person, unit=spare)
    client = client_for(world.coordinator)
    book = world_book()
    book.ws("人员").delete_rows(5)  # 赵填报 (has an account): disabled, not deleted
    response = client.post(URL, {"file": upload(book_bytes(book))})
    assert response.status_code == 200
    plan = response.context["plan"]
    removals = {r.label: r for r in plan.removals}
    assert set(removals) == {
        "区档案馆",
        "孙档案（区档案馆）",
        "赵填报（区水务局）",
        "李副区长 分管 区档案馆",
    }
    assert removals["赵填报（区水务局）"].action == "停用账号（有登录账号，人员保留）"
    html = response.content.decode()
    assert "文件中没有、系统中现有的内容（4项）" in html and 'name="remove"' in html
    token = response.context["token"]
    # Confirming without ticking anything removes nothing.
    response = client.post(reverse("orgs:org_import_confirm"), {"token": token})
    assert response.status_code == 200 and response.context["result"].outcome is not None
    assert Unit.objects.filter(pk=spare.pk).exists() and Person.objects.filter(pk=clerk.pk).exists()
    assert reverse("orgs:account_list") in response.content.decode()
    # The token is spent: the same confirmation asks for the file again.
    response = client.post(reverse("orgs:org_import_confirm"), {"token": token})
    assert "预览已过期或已导入" in response.content.decode()
    # Ticking the unit alone is refused: its person and oversight stay.
    response = client.post(URL, {"file": upload(book_bytes(book))})
    token = response.context["token"]
    response = client.post(reverse("orgs:org_import_confirm"),
                           {"token": token, "remove": [removals["区档案馆"].key]})  # fmt: skip
    text = response.content.decode()
    assert "单位“区档案馆”不能删除：还有人员孙档案（未勾选删除或有登录账号）" in text
    assert "单位“区档案馆”不能删除：还有分管关系李副区长 分管 区档案馆（请一并勾选）" in text
    assert Unit.objects.filter(pk=spare.pk).exists()
    keys = [r.key for r in plan.removals]
    response = client.post(reverse("orgs:org_import_confirm"), {"token": token, "remove": keys})
    outcome = response.context["result"].outcome
    assert sorted(outcome.removed) == [
        "人员：孙档案（区档案馆）",
        "分管关系：李副区长 分管 区档案馆",
        "单位：区档案馆",
    ]
    assert outcome.disabled == ["赵填报（区水务局）"]
    assert not Unit.objects.filter(pk=spare.pk).exists()
    assert not Person.objects.filter(pk=clerk.pk).exists()
    zhao = Person.objects.get(name="赵填报")
    assert not zhao.user.is_active
    deleted = AuditEntry.objects.filter(
        action="delete", record_type="orgs.unit", record_id=spare.pk
    )
    assert deleted.count() == 1


def test_units_with_tasks_cannot_be_removed_and_say_why(world):
    book = OrgBook(sheets=("单位", "人员"))
    book.unit(单位名称="示范区党委政府", 类型="党委政府")
    book.unit(单位名称="区作风专班", 类型="专班", 上级单位="示范区党委政府")
    book.person(姓名="周专班", 单位="区作风专班", 系统角色="专班")
    result = org_import_preview(path_or_file=io.BytesIO(book_bytes(book)), by=world.coordinator)
    removals = {r.label: r for r in result.plan.removals}
    assert removals["区交通局"].blocked.startswith("有任务")
    assert removals["区交通局"].blocked.endswith("引用，不能删除")
    assert "李副区长（示范区党委政府 · 副区长）" in removals
    result = org_import_apply(path_or_file=io.BytesIO(book_bytes(book)), by=world.coordinator,
                              remove={removals["区交通局"].key})  # fmt: skip
    assert result.errors[0].startswith("单位“区交通局”不能删除：有任务")
    assert Unit.objects.filter(pk=world.unit_a.pk).exists()


def test_another_districts_units_are_neither_matched_nor_changed(world):
    other = Unit.objects.create(name="邻区党委政府", code="100", kind=UnitKind.PARTY_GOVERNMENT)
    neighbour = Unit.objects.create(name="区交通局", code="102", kind=UnitKind.BUREAU, parent=other)
    org_import_apply(path_or_file=io.BytesIO(book_bytes(world_book())), by=world.coordinator)
    neighbour.refresh_from_db()
    assert (neighbour.name, neighbour.parent_id, neighbour.district_id) == (
        "区交通局",
        other.pk,
        other.pk,
    )
    assert Unit.objects.get(pk=world.unit_a.pk).code == "102"
    assert Unit.objects.filter(district=world.district).count() == 4


def test_the_page_offers_the_downloads_and_the_link_to_accounts(world, client_for):
    client = client_for(world.coordinator)
    html = client.get(URL).content.decode()
    for name in ["orgs:org_template", "orgs:org_example", "orgs:org_export"]:
        assert reverse(name) in html
    for name, sheet in [("orgs:org_template", "单位"), ("orgs:org_example", "人员"),
                        ("orgs:org_export", "单位")]:  # fmt: skip
        response = client.get(reverse(name))
        assert response["Content-Type"] == XLSX
        assert sheet in load_workbook(io.BytesIO(response.content)).sheetnames
    exported = load_workbook(io.BytesIO(client.get(reverse("orgs:org_export")).content))
    assert [c.value for c in exported["单位"][5]][:4] == [None, "示范区党委政府", None, "党委政府"]


def test_an_upload_with_errors_is_shown_with_sheet_row_column_and_escaped(world, client_for):
    client = client_for(world.coordinator)
    book = world_book()
    book.unit(单位编码="201", 单位名称="<script>x</script>", 类型="部门", 上级单位="<b>无</b>")
    response = client.post(URL, {"file": upload(book_bytes(book))})
    html = response.content.decode()
    assert response.context["token"] == ""
    assert "<td>单位</td><td>第6行</td><td>上级单位</td>" in html
    assert "&lt;b&gt;无&lt;/b&gt;" in html and "<b>无</b>" not in html
    assert Unit.objects.filter(code="201").count() == 0
    assert "请选择要导入的Excel文件。" in client.post(URL, {}).content.decode()


def test_the_preview_runs_the_same_queries_for_a_small_and_a_large_district(world, client_for):
    client = client_for(world.coordinator)
    org_import_apply(path_or_file=io.BytesIO(book_bytes(world_book())), by=world.coordinator)
    spare = Unit.objects.create(name="待删站", kind=UnitKind.BUREAU, parent=world.district)
    person = Person.objects.create(name="待删人", unit=spare)
    Oversight.objects.create(leader=world.leader_person, unit=spare)
    group = LeadingGroup.objects.create(name="小组")
    LeadingGroupMember.objects.create(group=group, person=person, role="member")
    files = {"data": book_bytes(world_book())}

    def run():
        response = client.post(URL, {"file": upload(files["data"])})
        assert response.status_code == 200 and response.context["result"].ok
        return response

    def grow():
        book = world_book()
        for i in range(30):
            unit = Unit.objects.create(name=f"新站{i}", kind=UnitKind.BUREAU, parent=world.district)
            person = Person.objects.create(name=f"新人{i}", unit=unit)
            Oversight.objects.create(leader=world.leader_person, unit=unit)
            LeadingGroupMember.objects.create(group=group, person=person, role="member")
            book.unit(单位编码=f"3{i:02}", 单位名称=f"文件站{i}", 类型="村", 上级单位="100")
            book.person(姓名=f"文件人{i}", 单位=f"3{i:02}", 系统角色="单位填报员")
            book.oversee(领导="李副区长", 分管单位=f"文件站{i}")
        files["data"] = book_bytes(book)

    # A fixed dozen, plus one per kind of record referring to a unit or a person (the deletion
    # check, outside_references): the budget grows with the schema, never with the rows.
    kinds = len(Unit._meta.related_objects) + len(Person._meta.related_objects)
    response = assert_same_queries(run, grow, at_most=12 + kinds, warm_up=True)
    assert len(response.context["plan"].removals) == 4 + 30 * 4


def test_the_command_line_imports_and_lists_removals_without_applying_them(world, tmp_path, capsys):
    spare = Unit.objects.create(name="区档案馆", kind=UnitKind.BUREAU, parent=world.district)
    path = world_book().save(tmp_path / "org.xlsx")
    call_command("import", str(path), "--user", "coordinator")
    out = capsys.readouterr().out
    assert "已导入组织架构：单位新增0个、更新4个" in out
    assert "文件中没有，已保留：单位“区档案馆”（用 --apply-removals 删除）" in out
    assert Unit.objects.filter(pk=spare.pk).exists()
    call_command("import", str(path), "--user", "coordinator", "--apply-removals")
    assert "已删除：单位：区档案馆" in capsys.readouterr().out
    assert not Unit.objects.filter(pk=spare.pk).exists()


def test_the_command_line_refuses_a_bad_file_with_exit_1_and_a_reader_with_exit_1(
    world, tmp_path, capsys
):
    book = world_book()
    book.unit(单位编码="201", 单位名称="甲站", 类型="部门", 上级单位="无此单位")
    path = book.save(tmp_path / "bad.xlsx")
    with pytest.raises(SystemExit) as exit_:
        call_command("import", str(path), "--user", "coordinator")
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "“单位”表第6行“上级单位”列：“无此单位”不是本文件或本区县中的单位" in err
    with pytest.raises(SystemExit) as exit_:
        call_command("import", str(world_book().save(tmp_path / "ok.xlsx")), "--user", "reporter_a")
    assert exit_.value.code == 1
    assert "只有专班可以导入组织架构。" in capsys.readouterr().err


def test_the_command_line_without_a_user_needs_a_single_district(world, tmp_path, capsys):
    path = world_book().save(tmp_path / "org.xlsx")
    call_command("import", str(path))
    assert "已导入组织架构" in capsys.readouterr().out
    entry = AuditEntry.objects.filter(record_type="orgs.unit", record_id=world.unit_a.pk).latest(
        "id"
    )
    assert (entry.actor_id, entry.source) == (None, AuditSource.IMPORT)
    Unit.objects.create(name="邻区党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    with pytest.raises(SystemExit) as exit_:
        call_command("import", str(path))
    assert exit_.value.code == 2
    assert "无法确定导入到哪个区县" in capsys.readouterr().err


def test_the_downloaded_example_is_about_the_coordinators_own_district(world, client_for):
    """A new install's district has its own name: the example offered for download carries it
    (and its code) in the top row, so it imports as downloaded."""
    world.district.code = "D01"
    world.district.short_name = "示范"
    world.district.save()
    client = client_for(world.coordinator)
    body = client.get(reverse("orgs:org_example")).content
    units = load_workbook(io.BytesIO(body))["单位"]
    assert [c.value for c in units[5]][:5] == ["D01", "示范区党委政府", "示范", "党委政府", None]
    assert units[6][4].value == "D01"  # its units name it as their 上级单位 by its code
    result = org_import_apply(path_or_file=io.BytesIO(body), by=world.coordinator)
    assert result.ok, result.errors
    assert Unit.objects.get(name="党政办公室").parent_id == world.district.pk


def test_the_district_may_not_take_another_districts_name(world):
    Unit.objects.create(name="邻区党委政府", kind=UnitKind.PARTY_GOVERNMENT)
    world.district.code = "100"  # matched by its code, the row renames it
    world.district.save()
    book = world_book()
    book.cell("单位", 2, "单位名称").value = "邻区党委政府"
    result = org_import_apply(path_or_file=io.BytesIO(book_bytes(book)), by=world.coordinator)
    assert any(
        "“邻区党委政府”" in e and "另一个区县的名称" in e and "第2行" in e for e in result.errors
    ), result.errors
    assert Unit.objects.get(pk=world.district.pk).name == "示范区党委政府"
