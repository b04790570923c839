"""The access models move here from the dossiers app: this app takes over the state of the
existing tables (dossiers_*) and renames them to its own names (the Django recipe for moving a
model between apps: SeparateDatabaseAndState, then AlterModelTable), so ids and rows stay;
dossiers 0005 drops the models from the dossiers' state. An idempotency record then names its
result by kind and id (this app knows no domain app): ``kind`` and ``result_id`` are added and
the key is unique per (kind, scope, key); 0002 fills them from the dossier foreign key and
drops it."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("dossiers", "0004_event_kinds_feedback_rated"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ApiToken",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("token_hash", models.CharField(max_length=64, unique=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("expires_at", models.DateTimeField()),
                        (
                            "staff",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="api_tokens",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "mã truy cập API",
                        "verbose_name_plural": "mã truy cập API",
                        "db_table": "dossiers_apitoken",
                        "indexes": [models.Index(fields=["expires_at"], name="api_token_expires")],
                    },
                ),
                migrations.CreateModel(
                    name="IdempotencyRecord",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("scope", models.CharField(max_length=80)),
                        ("key", models.CharField(max_length=200)),
                        ("request_hash", models.CharField(max_length=64)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "dossier",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="dossiers.dossier",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "khóa chống gửi trùng",
                        "verbose_name_plural": "khóa chống gửi trùng",
                        "db_table": "dossiers_idempotencyrecord",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("scope", "key"), name="idempotency_scope_key"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="RateLimitHit",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("bucket", models.CharField(max_length=200)),
                        ("at", models.DateTimeField()),
                    ],
                    options={
                        "verbose_name": "lần thử bị đếm",
                        "verbose_name_plural": "lần thử bị đếm",
                        "db_table": "dossiers_ratelimithit",
                        "indexes": [
                            models.Index(fields=["bucket", "at"], name="rate_limit_bucket_at")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="apitoken", table=None),
        migrations.AlterModelTable(name="idempotencyrecord", table=None),
        migrations.AlterModelTable(name="ratelimithit", table=None),
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
