"""The no-overwrite rule (core.editing) for an indicator's year — its annual target (IndicatorYear)
and last year's figures month by month (SamePeriodValue), edited together on the 年度目标 page and
by PUT /api/v1/indicators/{id}/years/{year}. The year has no row of its own (its target row may
not exist yet), so its version is the newest audit entry of those rows, and the save locks the
indicator's row instead."""

from typing import TypeVar

from django.db.models import Max, Q

from shigan.core.editing import EditConflict, EditGuard, conflict_message
from shigan.core.models import AuditAction, AuditEntry

from .models import Indicator, IndicatorYear, SamePeriodValue

T = TypeVar("T")


def _year_entries(indicator: Indicator, year: int):
    parts = Q(pk__in=[])
    for model in (IndicatorYear, SamePeriodValue):
        ids = list(
            model.objects.filter(indicator=indicator, year=year).values_list("pk", flat=True)
        )
        parts |= Q(record_type=model._meta.label_lower, record_id__in=ids)
    return AuditEntry.objects.filter(parts).exclude(action=AuditAction.VIEW)


def year_version(indicator: Indicator, year: int) -> int:
    """The id of the newest audit entry of the year's target and same-period rows (0: none)."""
    return _year_entries(indicator, year).aggregate(v=Max("id"))["v"] or 0


class YearGuard(EditGuard):
    """core.editing.EditGuard for an indicator's year (see the module docstring)."""

    def __init__(self, form, indicator: Indicator, year: int):
        self.year = year
        super().__init__(form, indicator, what=str(IndicatorYear._meta.verbose_name))

    def _current(self) -> str:
        return str(year_version(self.record, self.year))

    def _check(self, seen: int | None) -> None:
        if seen is None:
            return
        newer = _year_entries(self.record, self.year).filter(id__gt=seen)
        newer = list(newer.select_related("actor__person").order_by("id"))
        if newer:
            own = IndicatorYear(indicator=self.record, year=self.year)
            raise EditConflict(conflict_message(self.what, own, newer))
