"""Editing a directive: fields, points (edit, add, remove one no hand-down was made from) and
attachments, by its level's coordinator only; the limits of creation; all or nothing; audited
with what changed."""

import datetime
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shigan.core.models import AuditEntry
from shigan.core.testing import assert_same_queries, get_page
from shigan.directives.access import can_edit_directive, get_directive_to_edit
from shigan.directives.models import POINT_MAX_CHARS, POINTS_MAX_COUNT, Directive, DirectivePoint
from shigan.directives.services import directive_create, directive_update, handdown_create
from shigan.directives.tests.factories import build_county

TODAY = datetime.date(2023, 7, 31)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def county(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_county()


@pytest.fixture
def directive(county):
    upload = SimpleUploadedFile("通知.pdf", PDF, content_type="application/pdf")
    return directive_create(
        by=county.coordinator, issuer=county.office, number="县委办发〔2023〕12号",
        title="关于深化实干年活动的通知", issued_on=TODAY, points=["一、营商环境", "二、清单管理"],
        files=[upload],
    )  # fmt: skip


def ids(directive):
    return [p.pk for p in directive.points.all()]


def update(county, directive, points, **kwargs):
    fields = {"issuer": county.office, "number": directive.number, "title": directive.title,
              "issued_on": directive.issued_on}  # fmt: skip
    fields.update(kwargs)
    return directive_update(by=county.coordinator, directive=directive, points=points, **fields)


def test_fields_and_points_are_edited_added_removed_and_audited(county, directive):
    first, second = ids(directive)
    before = AuditEntry.objects.count()
    update(county, directive, [(first, "一、优化营商环境"), (None, "三、挂图作战")],
           title="关于深化实干年活动的通知（修订）")  # fmt: skip
    directive.refresh_from_db()
    assert directive.title == "关于深化实干年活动的通知（修订）"
    assert [(p.sort_order, p.text) for p in directive.points.all()] == [
        (1, "一、优化营商环境"), (2, "三、挂图作战"),
    ]  # fmt: skip
    entries = AuditEntry.objects.order_by("id")[before:]
    actions = sorted((e.record_type, e.action) for e in entries)
    assert actions == sorted([
        ("directives.directive", "update"), ("directives.directivepoint", "update"),
        ("directives.directivepoint", "delete"), ("directives.directivepoint", "create"),
    ])  # fmt: skip
    title_change = next(e for e in entries if e.record_type == "directives.directive")
    assert title_change.changes["文件标题"][1] == "关于深化实干年活动的通知（修订）"


def test_a_point_used_by_a_hand_down_cannot_be_removed_and_nothing_is_saved(county, directive):
    first, second = ids(directive)
    handdown_create(by=county.coordinator, upper_task=county.upper_task,
                    units=[county.districts[0].unit], point=directive.points.get(pk=first),
                    today=TODAY)  # fmt: skip
    with pytest.raises(ValidationError, match="第1条“一、营商环境”已用于交办，不能删除"):
        update(county, directive, [(second, "二、清单管理")], title="改了标题")
    directive.refresh_from_db()
    assert directive.title == "关于深化实干年活动的通知" and ids(directive) == [first, second]
    update(county, directive, [(first, "一、优化营商环境"), (second, "二、清单管理")])
    assert directive.points.get(pk=first).text == "一、优化营商环境"  # its text may change


def test_the_limits_of_creation_hold(county, directive):
    first, second = ids(directive)
    too_many = [(first, "一"), (second, "二")] + [(None, f"第{i}条") for i in range(49)]
    with pytest.raises(ValidationError, match=f"最多{POINTS_MAX_COUNT}条，现有51条"):
        update(county, directive, too_many)
    with pytest.raises(ValidationError, match=f"第2条最多{POINT_MAX_CHARS}字，现有501字"):
        update(county, directive, [(first, "一"), (second, "长" * 501)])
    with pytest.raises(ValidationError, match="请至少填写一条要求事项"):
        update(county, directive, [])
    assert ids(directive) == [first, second]


def test_the_number_is_unique_but_may_stay_its_own(county, directive):
    points = [(pk, p.text) for pk, p in zip(ids(directive), directive.points.all(), strict=True)]
    directive_create(by=county.coordinator, issuer=county.office, number="县委办发〔2023〕13号",
                     title="另一文件", issued_on=TODAY, points=["一"])  # fmt: skip
    update(county, directive, points, number="县委办发[2023]12号")  # its own: fine
    with pytest.raises(ValidationError, match="已录入，请勿重复录入"):
        update(county, directive, points, number="县委办发〔2023〕13号")


def test_files_are_added_and_removed_after_commit(
    county, directive, django_capture_on_commit_callbacks
):
    old = directive.files.get()
    path = old.file.path
    points = [(p.pk, p.text) for p in directive.points.all()]
    new = SimpleUploadedFile("附件2.pdf", PDF, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        update(county, directive, points, remove_files=[old.pk], files=[new])
    assert [f.original_name for f in directive.files.all()] == ["附件2.pdf"]
    assert not os.path.exists(path)
    assert AuditEntry.objects.filter(
        record_type="directives.directivefile", action="delete"
    ).exists()


def test_only_the_issuing_levels_coordinator_edits(county, directive, client_for):
    url = reverse("directives:directive_edit", args=[directive.pk])
    assert client_for(county.coordinator).get(url).status_code == 200
    assert can_edit_directive(county.coordinator, directive)
    assert get_directive_to_edit(county.coordinator, directive.pk) == directive
    assert client_for(county.inspector).get(url).status_code == 403
    assert client_for(county.districts[0].coordinator).get(url).status_code == 404
    handdown_create(by=county.coordinator, upper_task=county.upper_task,
                    units=[county.districts[0].unit], point=directive.points.first(),
                    today=TODAY)  # fmt: skip
    assert client_for(county.districts[0].coordinator).get(url).status_code == 403


def test_the_page_edits_adds_removes_and_refuses_clearly(county, directive, client_for):
    first, second = ids(directive)
    c = client_for(county.coordinator)
    url = reverse("directives:directive_edit", args=[directive.pk])
    base = {"issuer": county.office.pk, "number": directive.number, "title": directive.title,
            "issued_on": "2023-07-31", f"point_{first}": "一、营商环境（改）",
            f"point_{second}": "二、清单管理"}  # fmt: skip
    response = c.post(url, {**base, f"point_{second}": ""})
    assert (
        response.status_code == 200
        and "第2条不能为空；如要删除请勾选“删除”" in response.content.decode()
    )
    response = c.post(url, {**base, "new_points": "\n".join(["x"] * 49)})
    assert "最多50条，现有51条" in response.content.decode()
    assert Directive.objects.get(pk=directive.pk).points.count() == 2  # nothing saved
    response = c.post(
        url, {**base, f"remove_{second}": "on", "new_points": "三、挂图作战\n四、督查"}
    )
    assert response.status_code == 302
    assert [p.text for p in directive.points.all()] == [
        "一、营商环境（改）",
        "三、挂图作战",
        "四、督查",
    ]
    page = c.get(reverse("directives:directive_detail", args=[directive.pk])).content.decode()
    assert "修改文件" in page and "三、挂图作战" in page


def test_the_edit_page_runs_the_same_queries_for_2_and_22_points(county, directive, client_for):
    def grow():
        for index in range(20):
            DirectivePoint.objects.create(
                directive=directive, text=f"第{index}项", sort_order=3 + index
            )
        handdown_create(by=county.coordinator, upper_task=county.upper_task,
                        units=[county.districts[0].unit], point=directive.points.last(),
                        today=TODAY)  # fmt: skip

    url = reverse("directives:directive_edit", args=[directive.pk])
    response = assert_same_queries(get_page(client_for(county.coordinator), url), grow,
                                   at_most=12, warm_up=True)  # fmt: skip
    assert "已用于交办，不能删除" in response.content.decode()
