# Each migration runs in its own transaction: PostgreSQL refuses to alter a table with
# pending (deferred) foreign-key checks, so the fill and the new constraints are apart.

from django.db import migrations


def fill_districts(apps, schema_editor):
    """Each unit's district: the nearest 党委政府 unit at or above it, else its tree's root."""
    Unit = apps.get_model("orgs", "Unit")
    level = list(Unit.objects.filter(parent__isnull=True))
    districts = {}
    while level:
        for unit in level:
            if unit.kind == "party_gov" or unit.parent_id is None:
                districts[unit.pk] = unit.pk
            else:
                districts[unit.pk] = districts[unit.parent_id]
            Unit.objects.filter(pk=unit.pk).update(district_id=districts[unit.pk])
        level = list(Unit.objects.filter(parent_id__in=[u.pk for u in level]))


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0003_districts"),
    ]

    operations = [
        migrations.RunPython(fill_districts, migrations.RunPython.noop),
    ]
