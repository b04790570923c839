"""The feedback's Idempotency-Keys move to the access app's records (kind "feedback"): every
item that came with a key gets a record (scope, key, body hash, result_id = the item, created
when the item was); then the columns go.

Backwards: the keys are written back onto the items and the feedback records are deleted."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

KIND = "feedback"


def forwards(apps, schema_editor):
    Feedback = apps.get_model("feedback", "Feedback")
    IdempotencyRecord = apps.get_model("access", "IdempotencyRecord")
    keyed = Feedback.objects.exclude(idempotency_key="").order_by("pk")
    IdempotencyRecord.objects.bulk_create(
        (
            IdempotencyRecord(
                kind=KIND,
                scope=f.idempotency_scope,
                key=f.idempotency_key,
                request_hash=f.request_hash,
                result_id=f.pk,
            )
            for f in keyed.only("pk", "idempotency_scope", "idempotency_key", "request_hash")
            .iterator(chunk_size=2000)
        ),
        batch_size=500,
    )
    IdempotencyRecord.objects.filter(kind=KIND).update(
        created_at=Subquery(
            Feedback.objects.filter(pk=OuterRef("result_id")).values("created_at")[:1]
        )
    )


def backwards(apps, schema_editor):
    Feedback = apps.get_model("feedback", "Feedback")
    IdempotencyRecord = apps.get_model("access", "IdempotencyRecord")
    records = IdempotencyRecord.objects.filter(kind=KIND, result_id__isnull=False)
    for r in records.iterator(chunk_size=2000):
        Feedback.objects.filter(pk=r.result_id).update(
            idempotency_scope=r.scope, idempotency_key=r.key, request_hash=r.request_hash
        )
    IdempotencyRecord.objects.filter(kind=KIND).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("feedback", "0002_category_settings"),
        ("access", "0002_idempotency_result_ids"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.RemoveConstraint(model_name="feedback", name="feedback_idempotency"),
        migrations.RemoveField(model_name="feedback", name="idempotency_key"),
        migrations.RemoveField(model_name="feedback", name="idempotency_scope"),
        migrations.RemoveField(model_name="feedback", name="request_hash"),
    ]
