"""Building visits for the tests."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from shigan.grassroots.models import PlaceKind, VisitKind
from shigan.grassroots.services.visits import visit_record

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def png(name="现场.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def visit(world, *, unit, photo=False, concerns=(), date=datetime.date(2023, 6, 1)):
    return visit_record(
        campaign=world.campaign, by=world.coordinator, kind=VisitKind.VISIT, date=date,
        unit=unit, cadres=[world.leader_person], place_kind=PlaceKind.VILLAGE, place="清凉村",
        what_done="入户走访", photos=[png()] if photo else [], concerns=list(concerns),
    )  # fmt: skip
