"""An idempotency record names its result by kind and id (this app knows no domain app):
``kind`` and ``result_id`` are added, and the key is unique per (kind, scope, key). 0004 fills
them from the dossier foreign key, 0005 drops that key."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("access", "0002_rename_tables"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="idempotencyrecord",
            name="idempotency_scope_key",
        ),
        migrations.AddField(
            model_name="idempotencyrecord",
            name="kind",
            field=models.CharField(default="", max_length=40),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="idempotencyrecord",
            name="result_id",
            field=models.BigIntegerField(null=True),
        ),
        migrations.AddConstraint(
            model_name="idempotencyrecord",
            constraint=models.UniqueConstraint(
                fields=("kind", "scope", "key"), name="idempotency_kind_scope_key"
            ),
        ),
    ]
