"""The moved tables take this app's names (dossiers_* → access_*); rows and ids stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("access", "0001_initial"),
        ("dossiers", "0006_access_models_moved"),
    ]

    operations = [
        migrations.AlterModelTable(name="apitoken", table=None),
        migrations.AlterModelTable(name="idempotencyrecord", table=None),
        migrations.AlterModelTable(name="ratelimithit", table=None),
    ]
