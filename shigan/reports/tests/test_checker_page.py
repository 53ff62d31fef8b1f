"""The checker page: signed-in users of every role paste or upload, and see marked figures."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

FIXTURES = Path(__file__).parent / "fixtures"
PLANTED = (FIXTURES / "planted_share.txt").read_text(encoding="utf-8")
URL = "reports:check"


def test_anonymous_is_redirected_to_login(client):
    response = client.get(reverse(URL))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert client.post(reverse(URL), {"text": PLANTED}).status_code == 302


@pytest.mark.parametrize("role", ["coordinator", "leader", "reporter_a", "reporter_b", "inspector"])
def test_every_role_may_use_the_page(world, client_for, role):
    c = client_for(world.users()[role])
    assert c.get(reverse(URL)).status_code == 200
    response = c.post(reverse(URL), {"text": PLANTED})
    assert response.status_code == 200
    assert response.context["result"].exit_status == 1


def test_post_marks_each_claim_in_colour(world, client_for):
    response = client_for(world.reporter_a).post(reverse(URL), {"text": PLANTED})
    html = response.content.decode()
    assert 'class="claim claim-false"' in html
    assert 'class="claim claim-ok"' in html
    assert 'class="claim claim-uncheckable"' in html
    assert "38.6％<sup>" in html
    assert "39.6％" in html  # the recomputed value in the table
    assert "未给出计划数" in html


def test_upload_of_a_docx_is_checked(world, client_for):
    from docx import Document

    document = Document()
    document.add_paragraph("完成工业总产值22000万元，占年计划55500万元的38.6％。")
    stream = io.BytesIO()
    document.save(stream)
    upload = SimpleUploadedFile("report.docx", stream.getvalue())
    response = client_for(world.coordinator).post(reverse(URL), {"file": upload})
    assert [c.stated for c in response.context["result"].inconsistencies] == ["38.6％"]


def test_unreadable_upload_shows_the_reason(world, client_for):
    upload = SimpleUploadedFile("report.docx", b"not a docx")
    response = client_for(world.coordinator).post(reverse(URL), {"file": upload})
    assert response.status_code == 200
    assert "result" not in response.context
    assert "不是有效的 docx 文件" in response.content.decode()


def test_empty_post_asks_for_text(world, client_for):
    response = client_for(world.coordinator).post(reverse(URL), {"text": "  "})
    assert "请粘贴报告文本或上传文件" in response.content.decode()


def test_post_requires_csrf_token(world):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(world.coordinator)
    assert c.post(reverse(URL), {"text": PLANTED}).status_code == 403


def test_delete_is_refused(world, client_for):
    assert client_for(world.coordinator).delete(reverse(URL)).status_code == 405


def test_each_claim_shows_the_numbers_used_and_where_they_stand(world, client_for):
    text = "受理群众诉求45件，办结40件；其中按时办结32件，按时办结率80.0％。"
    response = client_for(world.reporter_a).post(reverse(URL), {"text": text})
    html = response.content.decode()
    assert '<mark class="operand">32件</mark>' in html
    assert '<mark class="operand">40件</mark>' in html
    start = text.index("40件")
    assert f"第{start + 1}–{start + 3}字" in html  # the 办结 count, not 受理45件
    assert "…诉求45件，办结" in html  # quoted in its place
