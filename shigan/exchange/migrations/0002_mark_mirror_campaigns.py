"""Campaigns mirrored before Campaign.mirror existed: those organised by a peer's unit (the
mirrors exchange makes: a district's of its county's, a county's of its districts')."""

from django.db import migrations


def mark_mirrors(apps, schema_editor):
    Campaign = apps.get_model("campaigns", "Campaign")
    Peer = apps.get_model("exchange", "Peer")
    peer_units = Peer.objects.values("unit_id")
    Campaign.objects.filter(organiser_id__in=peer_units).update(mirror=True)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0003_campaign_mirror"),
        ("exchange", "0001_initial"),
    ]

    operations = [migrations.RunPython(mark_mirrors, migrations.RunPython.noop)]
