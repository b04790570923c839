"""The dossier foreign key of an idempotency record goes (its id is in result_id)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("access", "0004_idempotency_result_ids"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="idempotencyrecord",
            name="dossier",
        ),
    ]
