"""Writes of the supervision app; each is keyword-only, atomic and audited."""

from .corrections import finding_correct, inspection_correct
from .inspections import finding_record, inspection_record, verification_record
from .notices import ExemplarInput, notice_correct, notice_record
from .spot_checks import spot_check_draw

__all__ = [
    "ExemplarInput",
    "finding_correct",
    "finding_record",
    "inspection_correct",
    "inspection_record",
    "notice_correct",
    "notice_record",
    "spot_check_draw",
    "verification_record",
]
