"""The rating of a dossier now belongs to the surveys app (surveys 0001 took over its table):
it leaves this app's state only; no table is dropped. The portal keeps no models."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0001_initial"),
        ("surveys", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Rating")],
            database_operations=[],
        ),
    ]
