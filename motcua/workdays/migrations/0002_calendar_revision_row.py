"""The single CalendarRevision row that every calendar write renews (services.calendar_for)."""

from django.db import migrations


def create_revision_row(apps, schema_editor):
    CalendarRevision = apps.get_model("workdays", "CalendarRevision")
    CalendarRevision.objects.get_or_create(pk=1, defaults={"number": 0, "token": "initial"})


class Migration(migrations.Migration):
    dependencies = [
        ("workdays", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_revision_row, migrations.RunPython.noop),
    ]
