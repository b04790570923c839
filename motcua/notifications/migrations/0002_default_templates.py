"""Ship the default notice templates (Vietnamese and English); rows an administrator already has
are left as they are. A template deleted later is recreated from the defaults on first use."""

from django.db import migrations


def create_defaults(apps, schema_editor):
    from motcua.notifications.defaults import DEFAULTS

    Template = apps.get_model("notifications", "Template")
    have = set(Template.objects.values_list("code", flat=True))
    Template.objects.bulk_create(
        [
            Template(
                code=d.code,
                name=d.name,
                description=d.description,
                subject_vi=d.subject_vi,
                body_vi=d.body_vi,
                short_vi=d.short_vi,
                subject_en=d.subject_en,
                body_en=d.body_en,
                short_en=d.short_en,
            )
            for d in DEFAULTS
            if d.code not in have
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
