"""The rating of a dossier moves here from the portal WITHOUT touching the database: this app
takes over the state of the existing table (portal_rating), then renames the table and its
index to this app's names (SeparateDatabaseAndState, then AlterModelTable), so ids and rows
stay; portal 0002 drops the model from the portal's state."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("dossiers", "0004_event_kinds_feedback_rated"),
        ("portal", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Rating",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "overall",
                            models.CharField(
                                choices=[
                                    ("very_satisfied", "Rất hài lòng"),
                                    ("satisfied", "Hài lòng"),
                                    ("not_satisfied", "Không hài lòng"),
                                ],
                                max_length=20,
                                verbose_name="mức độ hài lòng",
                            ),
                        ),
                        ("comment", models.TextField(blank=True, verbose_name="góp ý")),
                        ("at", models.DateTimeField(verbose_name="đánh giá lúc")),
                        (
                            "dossier",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="rating",
                                to="dossiers.dossier",
                                verbose_name="hồ sơ",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "đánh giá mức độ hài lòng",
                        "verbose_name_plural": "đánh giá mức độ hài lòng",
                        "ordering": ("-at", "-pk"),
                        "db_table": "portal_rating",
                        "indexes": [models.Index(fields=["at"], name="portal_rating_at")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="rating", table=None),
        migrations.RenameIndex(
            model_name="rating", new_name="surveys_rating_at", old_name="portal_rating_at"
        ),
    ]
