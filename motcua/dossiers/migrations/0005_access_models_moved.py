"""ApiToken, IdempotencyRecord and RateLimitHit now belong to the access app (access 0001 took
over their tables): they leave this app's state only; no table is dropped."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0004_event_kinds_feedback_rated"),
        ("access", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ApiToken"),
                migrations.DeleteModel(name="IdempotencyRecord"),
                migrations.DeleteModel(name="RateLimitHit"),
            ],
            database_operations=[],
        ),
    ]
