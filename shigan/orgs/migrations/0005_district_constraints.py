from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0004_fill_districts"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="unit",
            constraint=models.UniqueConstraint(
                fields=("district", "name"), name="uniq_unit_name_in_district"
            ),
        ),
        migrations.AddConstraint(
            model_name="unit",
            constraint=models.UniqueConstraint(
                condition=models.Q(("code", ""), _negated=True),
                fields=("district", "code"),
                name="uniq_unit_code_in_district",
            ),
        ),
    ]
