"""The head of chain 0 (writes by the system or an operator) exists from the start, so the
first system write costs what every later one does (a district's head is made by its first
write)."""

from django.db import migrations

GENESIS = "0" * 64


def create(apps, schema_editor):
    apps.get_model("core", "ChainHead").objects.get_or_create(
        district=0, defaults={"seq": 0, "hash": GENESIS}
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0005_tamper_chain")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
