"""Reads of visits for the list and a visit's page, in a fixed number of queries."""

from django.db.models import Count, QuerySet


def visit_rows(visits: QuerySet) -> QuerySet:
    """Visits with their unit, place, cadres and the number of photos and concerns: two queries
    (the cadres prefetched)."""
    return (
        visits.select_related("unit", "place_unit")
        .prefetch_related("cadres")
        .annotate(
            photo_count=Count("photos", distinct=True),
            concern_count=Count("concerns", distinct=True),
        )
        .order_by("-date", "-id")
    )


def visits_filtered(visits: QuerySet, values: dict) -> QuerySet:
    """`visits` narrowed by the list's filters (month, unit, kind)."""
    if values.get("month"):
        month = values["month"]
        visits = visits.filter(date__year=month.year, date__month=month.month)
    if values.get("unit"):
        visits = visits.filter(unit=values["unit"])
    if values.get("kind"):
        visits = visits.filter(kind=values["kind"])
    return visits
