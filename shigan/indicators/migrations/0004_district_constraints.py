from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0003_fill_districts"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="indicator",
            constraint=models.UniqueConstraint(
                fields=("district", "name"), name="uniq_indicator_name_in_district"
            ),
        ),
        migrations.AddConstraint(
            model_name="keyenterprise",
            constraint=models.UniqueConstraint(
                fields=("district", "name"), name="uniq_enterprise_name_in_district"
            ),
        ),
    ]
