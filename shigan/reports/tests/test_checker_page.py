"""The checker page: signed-in users of every role paste or upload, and see marked figures."""

import io
import zipfile
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


MINIMAL_DOCX = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml"'
        ' ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
        'document.main+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>'
    ),
}


def docx_bytes(paragraphs: int) -> bytes:
    """A minimal docx whose body is `paragraphs` empty paragraphs."""
    body = "<w:p/>" * paragraphs
    document = (
        '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
        f'openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in {**MINIMAL_DOCX, "word/document.xml": document}.items():
            package.writestr(name, text)
    return out.getvalue()


def form_errors(data, files=None) -> list[str]:
    from shigan.reports.checker.forms import CheckForm

    form = CheckForm(data, files or {})
    assert not form.is_valid()
    return [message for messages in form.errors.values() for message in messages]


def test_form_errors_name_what_is_wrong_and_the_limit():
    from shigan.reports.checker.forms import MAX_TEXT_CHARS

    long = "完" * (MAX_TEXT_CHARS + 1)
    assert form_errors({"text": long}) == [
        f"文本过长：共{MAX_TEXT_CHARS + 1}字，上限为{MAX_TEXT_CHARS}字，请分段核对。"
    ]
    assert form_errors({"text": "完成\x00投资"}) == [
        "文本含有不可见的控制字符（NUL），请删除后再核对。"
    ]
    nul = SimpleUploadedFile("report.txt", "完成投资".encode() + b"\x00")
    assert "控制字符（NUL）" in form_errors({}, {"file": nul})[0]
    text = SimpleUploadedFile("report.txt", ("完" * (MAX_TEXT_CHARS + 5)).encode())
    assert form_errors({}, {"file": text}) == [
        f"文件中的文本过长：共{MAX_TEXT_CHARS + 5}字，上限为{MAX_TEXT_CHARS}字，请分段核对。"
    ]


def test_a_docx_of_many_empty_paragraphs_is_refused_for_its_ratio_not_its_size():
    from shigan.core.ooxml import MAX_RATIO

    data = docx_bytes(100_000)
    [message] = form_errors({}, {"file": SimpleUploadedFile("report.docx", data)})
    assert "压缩比" in message and f"超过{MAX_RATIO}倍的上限" in message
    assert "0MB" not in message and "过大" not in message
    assert "KB" in message  # the file's sizes in words that are true


def test_page_shows_the_nul_message(world, client_for):
    response = client_for(world.coordinator).post(reverse(URL), {"text": "完成\x00投资"})
    assert "文本含有不可见的控制字符（NUL），请删除后再核对。" in response.content.decode()
