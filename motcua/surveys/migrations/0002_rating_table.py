"""The moved table and its index take this app's names (portal_rating → surveys_rating)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("surveys", "0001_initial"),
        ("portal", "0002_rating_moved_to_surveys"),
    ]

    operations = [
        migrations.AlterModelTable(name="rating", table=None),
        migrations.RenameIndex(
            model_name="rating", new_name="surveys_rating_at", old_name="portal_rating_at"
        ),
    ]
