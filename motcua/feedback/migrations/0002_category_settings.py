"""D11 defaults as rows, so the administrator sees and edits them (DOMAIN §12.3, §17)."""

from django.db import migrations

DEFAULTS = [
    ("harassment", "clock_hours", 48, "Văn bản 991/UBND-TH (Hà Nội): trả lời trong 48 giờ"),
    ("channel_obstruction", "clock_hours", 48, "Văn bản 991/UBND-TH (Hà Nội): trả lời trong 48 giờ"),
    ("delay", "clock_hours", 48, "Văn bản 991/UBND-TH (Hà Nội): trả lời trong 48 giờ"),
    ("extra_documents", "clock_hours", 48, "Văn bản 991/UBND-TH (Hà Nội): trả lời trong 48 giờ"),
    ("shirking", "clock_hours", 48, "Văn bản 991/UBND-TH (Hà Nội): trả lời trong 48 giờ"),
    ("unfairness", "clock_hours", 48, "Văn bản 991/UBND-TH (Hà Nội): trả lời trong 48 giờ"),
    ("conduct", "clock_hours", 48, "Văn bản 991/UBND-TH (Hà Nội): trả lời trong 48 giờ"),
    ("regulation", "working_days", 5, "Nghị định 20/2008/NĐ-CP Điều 9: chuyển trong 5 ngày làm việc"),
    ("other", "clock_hours", 48, "Quyết định D11 của MotCua"),
]


def add_defaults(apps, schema_editor):
    CategorySetting = apps.get_model("feedback", "CategorySetting")
    for category, clock, amount, basis in DEFAULTS:
        CategorySetting.objects.get_or_create(
            category=category,
            defaults={"clock": clock, "amount": amount, "legal_basis": basis},
        )


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
