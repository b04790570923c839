"""Two kinds of event other apps put on a dossier's timeline: a complaint, a rating."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dossiers', '0003_event_dossier_id'),
    ]

    operations = [
        migrations.AlterField(
            model_name='event',
            name='kind',
            field=models.CharField(choices=[('submitted', 'Nộp trực tuyến'), ('received', 'Tiếp nhận'), ('accepted', 'Tiếp nhận hồ sơ trực tuyến'), ('step_assigned', 'Phân công thụ lý'), ('step_completed', 'Hoàn thành bước, chuyển bước tiếp'), ('step_returned', 'Trả lại bước trước'), ('supplement_requested', 'Yêu cầu bổ sung hồ sơ'), ('supplement_received', 'Nhận hồ sơ bổ sung'), ('apology_drafted', 'Dự thảo phiếu xin lỗi'), ('apology_signed', 'Ký phiếu xin lỗi'), ('refused', 'Từ chối'), ('returned', 'Trả kết quả'), ('stopped', 'Dừng giải quyết'), ('deadline_recomputed', 'Tính lại thời hạn theo lịch làm việc'), ('feedback', 'Phản ánh, kiến nghị về hồ sơ'), ('rated', 'Công dân đánh giá mức độ hài lòng')], max_length=30, verbose_name='việc'),
        ),
    ]
