"""Every existing idempotency record was a dossier's: kind "dossier", result_id = its dossier;
then the dossier foreign key goes.

Backwards: the dossier key is set again from result_id; a record whose dossier no longer exists,
or of another kind (the old table knew dossiers only), is deleted, as the old foreign key's
cascade would have done."""

from django.db import migrations
from django.db.models import Exists, F, OuterRef


def forwards(apps, schema_editor):
    IdempotencyRecord = apps.get_model("access", "IdempotencyRecord")
    IdempotencyRecord.objects.update(kind="dossier", result_id=F("dossier_id"))


def backwards(apps, schema_editor):
    IdempotencyRecord = apps.get_model("access", "IdempotencyRecord")
    Dossier = apps.get_model("dossiers", "Dossier")
    IdempotencyRecord.objects.exclude(kind="dossier").delete()
    IdempotencyRecord.objects.filter(result_id__isnull=False).exclude(
        Exists(Dossier.objects.filter(pk=OuterRef("result_id")))
    ).delete()
    IdempotencyRecord.objects.update(dossier_id=F("result_id"))


class Migration(migrations.Migration):

    dependencies = [
        ("access", "0001_initial"),
        ("dossiers", "0004_event_kinds_feedback_rated"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="idempotencyrecord", name="dossier"),
    ]
