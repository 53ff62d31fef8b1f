# Each migration runs in its own transaction: PostgreSQL refuses to alter a table with
# pending (deferred) foreign-key checks, so the fill and the new constraints are apart.

from django.db import migrations


def fill_districts(apps, schema_editor):
    """An indicator's district is its responsible unit's; an enterprise's its contact unit's,
    else (the database holds one district) that one."""
    Unit = apps.get_model("orgs", "Unit")
    Indicator = apps.get_model("indicators", "Indicator")
    KeyEnterprise = apps.get_model("indicators", "KeyEnterprise")
    district_of = dict(Unit.objects.values_list("pk", "district_id"))
    for indicator in Indicator.objects.all():
        indicator.district_id = district_of.get(indicator.responsible_unit_id)
        indicator.save(update_fields=["district"])
    roots = set(Unit.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    only = next(iter(roots)) if len(roots) == 1 else None
    for enterprise in KeyEnterprise.objects.all():
        enterprise.district_id = district_of.get(enterprise.unit_id, only)
        enterprise.save(update_fields=["district"])


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0002_districts"),
    ]

    operations = [
        migrations.RunPython(fill_districts, migrations.RunPython.noop),
    ]
