"""The feedback's own idempotency columns go (the keys are the access app's records now)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("feedback", "0003_idempotency_keys_to_access"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="feedback",
            name="feedback_idempotency",
        ),
        migrations.RemoveField(
            model_name="feedback",
            name="idempotency_key",
        ),
        migrations.RemoveField(
            model_name="feedback",
            name="idempotency_scope",
        ),
        migrations.RemoveField(
            model_name="feedback",
            name="request_hash",
        ),
    ]
