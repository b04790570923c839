"""Issue 19: the staff's search box (a folded `search_text`, indexed on both databases, a trigram
GIN index on PostgreSQL) and the look-up by code in any case (an index on UPPER(code))."""

import django.db.models.functions.text
from django.db import migrations, models

BATCH = 2000


def _fill(apps, schema_editor):
    from motcua.dossiers.search import search_text_of

    Dossier = apps.get_model("dossiers", "Dossier")
    Applicant = apps.get_model("dossiers", "Applicant")
    last = 0
    while True:
        batch = list(Dossier.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            return
        people = {a.dossier_id: a for a in Applicant.objects.filter(dossier__in=batch)}
        for d in batch:
            a = people.get(d.pk)
            d.search_text = search_text_of(
                code=d.code,
                name=a.name if a else "",
                id_number=a.id_number if a else "",
                phone=a.phone if a else "",
            )
        Dossier.objects.bulk_update(batch, ["search_text"])
        last = batch[-1].pk


def _index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX dossier_search_trgm ON dossiers_dossier"
            " USING gin (search_text gin_trgm_ops)"
        )
    else:
        schema_editor.execute("CREATE INDEX dossier_search_text ON dossiers_dossier (search_text)")


def _unindex(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS dossier_search_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS dossier_search_text")


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0005_access_models_moved"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="search_text",
            field=models.CharField(blank=True, default="", editable=False, max_length=400),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                django.db.models.functions.text.Upper("code"), name="dossier_code_upper"
            ),
        ),
        migrations.RunPython(_fill, migrations.RunPython.noop),
        migrations.RunPython(_index, _unindex),
    ]
