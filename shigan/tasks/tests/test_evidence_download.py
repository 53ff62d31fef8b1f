"""Evidence files are downloadable by whoever may read their task, and by nobody else."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shigan.tasks.services.progress import progress_submit

CONTENT = b"%PDF-1.4\n% site photo\n"


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch, settings, tmp_path):
    monkeypatch.setenv("SHIGAN_TODAY", "2023-07-20")
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def evidence(world):
    report = progress_submit(
        task=world.task_a,
        unit=world.unit_a,
        period=datetime.date(2023, 7, 1),
        by=world.reporter_a,
        text="现场施工照片",
        milestones_reached={},
        uploads=[SimpleUploadedFile("兴业大道现场.pdf", CONTENT)],
    )
    return report.evidence.get()


def url(evidence) -> str:
    return f"/tasks/evidence/{evidence.pk}/"


@pytest.mark.parametrize("persona", ["reporter_a", "leader", "coordinator", "inspector"])
def test_readers_of_the_task_download_the_original_file(world, client_for, evidence, persona):
    response = client_for(world.users()[persona]).get(url(evidence))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%E5%85%B4%E4%B8%9A" in disposition  # 兴业大道现场.pdf


def test_outsider_gets_404(world, client_for, evidence):
    assert client_for(world.reporter_b).get(url(evidence)).status_code == 404


def test_unknown_evidence_gets_404(world, client_for):
    assert client_for(world.coordinator).get("/tasks/evidence/999999/").status_code == 404


def test_missing_file_on_disk_gets_404(world, client_for, evidence):
    evidence.file.storage.delete(evidence.file.name)
    assert client_for(world.coordinator).get(url(evidence)).status_code == 404


def test_post_is_refused(world, client_for, evidence):
    assert client_for(world.coordinator).post(url(evidence)).status_code == 405


def test_anonymous_is_sent_to_login(client, evidence):
    response = client.get(url(evidence))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
