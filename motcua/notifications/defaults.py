"""The notice templates MotCua ships: Vietnamese first, English second (Django template syntax).

Plain data (no ORM): the data migration and `services.ensure_templates()` both read it. Each entry
names the variables its context carries; `sample` is the context the admin preview renders with.
Dates are aware datetimes, shown in Asia/Ho_Chi_Minh with the `date` filter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

# Notices to the applicant (the channel they chose at reception).
DOSSIER_RECEIVED = "dossier_received"
DOSSIER_SUPPLEMENT_REQUESTED = "dossier_supplement_requested"
DOSSIER_APOLOGY = "dossier_apology"
DOSSIER_READY = "dossier_ready"
FEEDBACK_RECEIVED = "feedback_received"
FEEDBACK_ANSWERED = "feedback_answered"
# Notices to officers (email).
STEP_DUE_SOON = "step_due_soon"
STEP_OVERDUE = "step_overdue"
DOSSIER_OVERDUE = "dossier_overdue"
APOLOGY_DRAFT_DUE = "apology_draft_due"
FEEDBACK_OVERDUE = "feedback_overdue"
TEST_NOTICE = "test_notice"
# The counter floor (motcua.queueing): the booking code of an online booking.
QUEUE_BOOKING_CONFIRMED = "queue_booking_confirmed"
# Fees and receipts (motcua.payments).
PAYMENT_RECEIVED = "payment_received"
PAYMENT_CALLBACK_REFUSED = "payment_callback_refused"

_WHEN = datetime(2026, 3, 9, 2, 30, tzinfo=UTC)  # 09:30 in Hanoi
_DUE = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)  # 17:00 in Hanoi
_NEW_DUE = datetime(2026, 3, 17, 10, 0, tzinfo=UTC)

_DOSSIER_SAMPLE: dict[str, Any] = {
    "code": "H26.74-260309-0001",
    "procedure": "Đăng ký khai sinh",
    "unit": "UBND phường Hoàn Kiếm",
    "unit_address": "126 Hàng Trống, phường Hoàn Kiếm, Hà Nội",
    "applicant_name": "Nguyễn Thị Lan",
    "received_at": _WHEN,
    "due_at": _DUE,
    "lookup_url": "https://motcua.example.vn/tra-cuu/H26.74-260309-0001",
}
_STEP_SAMPLE: dict[str, Any] = {
    **_DOSSIER_SAMPLE,
    "step": "Thẩm định hồ sơ",
    "step_due_at": _DUE,
    "assignee": "Trần Văn Minh",
    "recipient": "Trần Văn Minh",
    "office_url": "https://motcua.example.vn/can-bo/ho-so/1",
}
_FEEDBACK_SAMPLE: dict[str, Any] = {
    "code": "PA-260309-0007",
    "title": "Hồ sơ đăng ký khai sinh trễ hẹn",
    "citizen_name": "Lê Văn Bình",
    "unit": "UBND phường Hoàn Kiếm",
    "received_at": _WHEN,
    "respond_by": _DUE,
    "answer": "Phường đã trả kết quả ngày 10/03/2026 và xin lỗi ông vì sự chậm trễ.",
    "lookup_url": "https://motcua.example.vn/lien-he/phan-anh/theo-doi/?so=7",
    "office_url": "https://motcua.example.vn/can-bo/phan-anh/7",
}


@dataclass(frozen=True)
class DefaultTemplate:
    code: str
    name: str
    description: str
    subject_vi: str
    body_vi: str
    short_vi: str
    subject_en: str
    body_en: str
    short_en: str
    sample: dict[str, Any] = field(default_factory=dict)


DEFAULTS: tuple[DefaultTemplate, ...] = (
    DefaultTemplate(
        code=QUEUE_BOOKING_CONFIRMED,
        name="Xác nhận đặt lịch tại Bộ phận Một cửa",
        description=(
            "Gửi người đặt lịch trực tuyến. Biến: code, unit, procedure, name, slot_start, "
            "slot_end."
        ),
        subject_vi="[{{ unit }}] Mã đặt lịch {{ code }}",
        body_vi=(
            "Kính gửi {{ name }},\n\n"
            "Ông/Bà đã đặt lịch làm thủ tục “{{ procedure }}” tại {{ unit }} lúc "
            "{{ slot_start|date:'H:i' }}–{{ slot_end|date:'H:i' }} ngày "
            "{{ slot_start|date:'d/m/Y' }}. Mã đặt lịch: {{ code }}.\n"
            "Khi đến, hãy nhập mã tại máy lấy số trong khung giờ đã đặt để được gọi trước.\n\n"
            "Trân trọng,\n{{ unit }}"
        ),
        short_vi=(
            "{{ unit }}: ma dat lich {{ code }}, {{ slot_start|date:'H:i d/m/Y' }}. "
            "Nhap ma tai may lay so khi den."
        ),
        subject_en="[{{ unit }}] Booking code {{ code }}",
        body_en=(
            "Dear {{ name }},\n\n"
            "You booked “{{ procedure }}” at {{ unit }}, {{ slot_start|date:'H:i' }}–"
            "{{ slot_end|date:'H:i, d/m/Y' }}. Booking code: {{ code }}.\n"
            "Enter the code at the ticket kiosk within your slot to be called first.\n\n"
            "Kind regards,\n{{ unit }}"
        ),
        short_en="{{ unit }}: booking {{ code }}, {{ slot_start|date:'H:i d/m/Y' }}.",
        sample={
            "code": "K7M2QX9P",
            "unit": "UBND phường Hoàn Kiếm",
            "procedure": "Đăng ký khai sinh",
            "name": "Nguyễn Thị Lan",
            "slot_start": _WHEN,
            "slot_end": _WHEN,
        },
    ),
    DefaultTemplate(
        code=DOSSIER_RECEIVED,
        name="Tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01)",
        description=(
            "Gửi người nộp khi hồ sơ được tiếp nhận. Biến: code, procedure, unit, unit_address, "
            "applicant_name, received_at, due_at, lookup_url, secret (mã tra cứu, khi nộp tại "
            "quầy), due_past (hạn đã qua: hồ sơ nhập lùi)."
        ),
        subject_vi="[{{ unit }}] Đã tiếp nhận hồ sơ {{ code }}",
        body_vi=(
            "Kính gửi {{ applicant_name }},\n\n"
            "{{ unit }} đã tiếp nhận hồ sơ {{ code }} của Ông/Bà về thủ tục “{{ procedure }}” "
            "lúc {{ received_at|date:'H:i' }} ngày {{ received_at|date:'d/m/Y' }}.\n"
            "{% if due_past %}Thời hạn giải quyết đã hết lúc {{ due_at|date:'H:i' }} ngày "
            "{{ due_at|date:'d/m/Y' }}; đơn vị sẽ thông báo thời gian trả kết quả.\n\n"
            "{% else %}Ngày hẹn trả kết quả: {{ due_at|date:'H:i' }} ngày "
            "{{ due_at|date:'d/m/Y' }}.\n\n{% endif %}"
            "Ông/Bà có thể tra cứu tình trạng hồ sơ bằng mã {{ code }}"
            "{% if secret %} và mã tra cứu {{ secret }}{% endif %}"
            "{% if lookup_url %} tại {{ lookup_url }}{% endif %}.\n\n"
            "Trân trọng,\n{{ unit }}"
        ),
        short_vi=(
            "{{ unit }}: đã tiếp nhận hồ sơ {{ code }}"
            "{% if secret %}, mã tra cứu {{ secret }}{% endif %}. "
            "{% if due_past %}Đơn vị sẽ báo thời gian trả kết quả."
            "{% else %}Hẹn trả kết quả {{ due_at|date:'H:i d/m/Y' }}.{% endif %}"
            "{% if lookup_url %} Tra cứu: {{ lookup_url }}{% endif %}"
        ),
        subject_en="[{{ unit }}] Dossier {{ code }} received",
        body_en=(
            "Dear {{ applicant_name }},\n\n"
            "{{ unit }} received your dossier {{ code }} for “{{ procedure }}” at "
            "{{ received_at|date:'H:i, d/m/Y' }}.\n"
            "{% if due_past %}Its time limit ended at {{ due_at|date:'H:i, d/m/Y' }}; the unit "
            "will tell you when to collect the result.\n\n"
            "{% else %}Your result is due by {{ due_at|date:'H:i, d/m/Y' }}.\n\n{% endif %}"
            "Follow it with the code {{ code }}{% if secret %} and the secret {{ secret }}"
            "{% endif %}{% if lookup_url %} at {{ lookup_url }}{% endif %}."
            "\n\nKind regards,\n{{ unit }}"
        ),
        short_en=(
            "{{ unit }}: dossier {{ code }} received{% if secret %}, secret {{ secret }}"
            "{% endif %}.{% if not due_past %} Due {{ due_at|date:'H:i d/m/Y' }}.{% endif %}"
            "{% if lookup_url %} {{ lookup_url }}{% endif %}"
        ),
        sample=_DOSSIER_SAMPLE,
    ),
    DefaultTemplate(
        code=DOSSIER_SUPPLEMENT_REQUESTED,
        name="Yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)",
        description=(
            "Gửi người nộp khi cán bộ yêu cầu bổ sung. Biến: như khi tiếp nhận, cùng items "
            "(danh sách giấy tờ cần bổ sung), note (lý do), requested_at."
        ),
        subject_vi="[{{ unit }}] Hồ sơ {{ code }} cần bổ sung",
        body_vi=(
            "Kính gửi {{ applicant_name }},\n\n"
            "Hồ sơ {{ code }} (thủ tục “{{ procedure }}”) cần được bổ sung, hoàn thiện:\n"
            "{% for item in items %}- {{ item }}\n{% endfor %}"
            "{% if note %}Lý do: {{ note }}\n{% endif %}\n"
            "Ông/Bà vui lòng nộp bổ sung tại {{ unit }}"
            "{% if unit_address %} ({{ unit_address }}){% endif %} hoặc trực tuyến. "
            "Thời gian giải quyết tạm dừng cho đến khi nhận đủ hồ sơ bổ sung.\n\n"
            "Trân trọng,\n{{ unit }}"
        ),
        short_vi=(
            "{{ unit }}: ho so {{ code }} can bo sung giay to. "
            "Vui long xem chi tiet tai {{ lookup_url|default:unit }}."
        ),
        subject_en="[{{ unit }}] Dossier {{ code }} needs more documents",
        body_en=(
            "Dear {{ applicant_name }},\n\n"
            "Your dossier {{ code }} (“{{ procedure }}”) needs the following:\n"
            "{% for item in items %}- {{ item }}\n{% endfor %}"
            "{% if note %}Reason: {{ note }}\n{% endif %}\n"
            "Please bring them to {{ unit }} or send them online. The processing time is "
            "paused until they arrive.\n\nKind regards,\n{{ unit }}"
        ),
        short_en="{{ unit }}: dossier {{ code }} needs more documents.",
        sample={
            **_DOSSIER_SAMPLE,
            "items": ["Bản sao giấy chứng nhận kết hôn", "Giấy chứng sinh (bản chính)"],
            "note": "Thiếu giấy chứng sinh",
            "requested_at": _WHEN,
        },
    ),
    DefaultTemplate(
        code=DOSSIER_APOLOGY,
        name="Thư xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04)",
        description=(
            "Gửi người nộp khi lãnh đạo ký phiếu xin lỗi; đính kèm Mẫu 04 (PDF) qua thư điện tử. "
            "Biến: như khi tiếp nhận, cùng reason, new_due_at (có thể trống), signed_by."
        ),
        subject_vi="[{{ unit }}] Thư xin lỗi về việc chậm trả kết quả hồ sơ {{ code }}",
        body_vi=(
            "Kính gửi {{ applicant_name }},\n\n"
            "{{ unit }} xin lỗi Ông/Bà vì hồ sơ {{ code }} (thủ tục “{{ procedure }}”) chưa "
            "được giải quyết đúng hẹn {{ due_at|date:'H:i' }} ngày {{ due_at|date:'d/m/Y' }}.\n"
            "Lý do: {{ reason }}\n"
            "{% if new_due_at %}Thời gian hẹn trả kết quả mới: {{ new_due_at|date:'H:i' }} ngày "
            "{{ new_due_at|date:'d/m/Y' }}.\n{% endif %}\n"
            "Mong Ông/Bà thông cảm.\n\nTrân trọng,\n{% if signed_by %}{{ signed_by }}\n{% endif %}"
            "{{ unit }}"
        ),
        short_vi=(
            "{{ unit }} xin loi vi ho so {{ code }} cham tra ket qua."
            "{% if new_due_at %} Hen lai {{ new_due_at|date:'H:i d/m/Y' }}.{% endif %}"
        ),
        subject_en="[{{ unit }}] Apology: dossier {{ code }} is late",
        body_en=(
            "Dear {{ applicant_name }},\n\n"
            "{{ unit }} apologises: your dossier {{ code }} (“{{ procedure }}”) was not ready "
            "by {{ due_at|date:'H:i, d/m/Y' }}.\nReason: {{ reason }}\n"
            "{% if new_due_at %}New appointment: {{ new_due_at|date:'H:i, d/m/Y' }}.\n{% endif %}"
            "\nKind regards,\n{% if signed_by %}{{ signed_by }}\n{% endif %}{{ unit }}"
        ),
        short_en=(
            "{{ unit }} apologises: dossier {{ code }} is late."
            "{% if new_due_at %} New date {{ new_due_at|date:'H:i d/m/Y' }}.{% endif %}"
        ),
        sample={
            **_DOSSIER_SAMPLE,
            "reason": "Cần xác minh thông tin hộ tịch tại địa phương khác",
            "new_due_at": _NEW_DUE,
            "signed_by": "Phó Chủ tịch UBND phường Trần Văn Lãnh",
        },
    ),
    DefaultTemplate(
        code=DOSSIER_READY,
        name="Thông báo đã có kết quả",
        description=(
            "Gửi người nộp khi hồ sơ có kết quả. Biến: như khi tiếp nhận, cùng ready_at, "
            "outcome (Giải quyết / Không đủ điều kiện giải quyết), electronic_result (đã có bản "
            "điện tử của kết quả để tải từ trang tra cứu)."
        ),
        subject_vi="[{{ unit }}] Hồ sơ {{ code }} đã có kết quả",
        body_vi=(
            "Kính gửi {{ applicant_name }},\n\n"
            "Hồ sơ {{ code }} (thủ tục “{{ procedure }}”) đã có kết quả"
            "{% if outcome %}: {{ outcome }}{% endif %}.\n"
            "Ông/Bà vui lòng nhận kết quả tại {{ unit }}"
            "{% if unit_address %} ({{ unit_address }}){% endif %}, mang theo giấy tờ tùy thân."
            "{% if electronic_result %}\nBản điện tử của kết quả đã sẵn sàng: Ông/Bà tải về tại "
            "trang tra cứu hồ sơ{% if lookup_url %} {{ lookup_url }}{% endif %} bằng mã hồ sơ "
            "và mã tra cứu.{% endif %}"
            "\n\nTrân trọng,\n{{ unit }}"
        ),
        short_vi=(
            "{{ unit }}: ho so {{ code }} da co ket qua. Moi Ong/Ba den nhan."
            "{% if electronic_result %} Ban dien tu: tai tai trang tra cuu ho so.{% endif %}"
        ),
        subject_en="[{{ unit }}] Dossier {{ code }}: the result is ready",
        body_en=(
            "Dear {{ applicant_name }},\n\n"
            "The result of your dossier {{ code }} (“{{ procedure }}”) is ready"
            "{% if outcome %}: {{ outcome }}{% endif %}.\n"
            "Please collect it at {{ unit }}{% if unit_address %} ({{ unit_address }}){% endif %}"
            ", bringing an identity document."
            "{% if electronic_result %}\nThe electronic copy of the result is ready: download it "
            "from the dossier look-up{% if lookup_url %} {{ lookup_url }}{% endif %} with the "
            "dossier code and the look-up secret.{% endif %}"
            "\n\nKind regards,\n{{ unit }}"
        ),
        short_en=(
            "{{ unit }}: the result of dossier {{ code }} is ready."
            "{% if electronic_result %} Electronic copy: download it from the look-up.{% endif %}"
        ),
        sample={**_DOSSIER_SAMPLE, "ready_at": _DUE, "outcome": "Giải quyết"},
    ),
    DefaultTemplate(
        code=FEEDBACK_RECEIVED,
        name="Đã tiếp nhận phản ánh, kiến nghị",
        description=(
            "Gửi người phản ánh khi phản ánh được tiếp nhận. Biến: code, title, citizen_name, "
            "unit, received_at, respond_by, lookup_url."
        ),
        subject_vi="Đã tiếp nhận phản ánh, kiến nghị {{ code }}",
        body_vi=(
            "Kính gửi {{ citizen_name }},\n\n"
            "Chúng tôi đã tiếp nhận phản ánh, kiến nghị “{{ title }}” (mã {{ code }}) lúc "
            "{{ received_at|date:'H:i' }} ngày {{ received_at|date:'d/m/Y' }}.\n"
            "{% if respond_by %}Ông/Bà sẽ nhận được trả lời trước {{ respond_by|date:'H:i' }} ngày "
            "{{ respond_by|date:'d/m/Y' }}.\n{% endif %}"
            "{% if lookup_url %}Theo dõi tại {{ lookup_url }}.\n{% endif %}\nTrân trọng."
        ),
        short_vi=(
            "Da tiep nhan phan anh {{ code }}. Tra loi truoc {{ respond_by|date:'H:i d/m/Y' }}."
            "{% if lookup_url %} Theo doi: {{ lookup_url }}{% endif %}"
        ),
        subject_en="Your feedback {{ code }} was received",
        body_en=(
            "Dear {{ citizen_name }},\n\nWe received your feedback “{{ title }}” ({{ code }}) at "
            "{{ received_at|date:'H:i, d/m/Y' }}.\n"
            "{% if respond_by %}You will get an answer by {{ respond_by|date:'H:i, d/m/Y' }}.\n"
            "{% endif %}{% if lookup_url %}Follow it at {{ lookup_url }}.\n{% endif %}"
            "\nKind regards."
        ),
        short_en="Feedback {{ code }} received; answer by {{ respond_by|date:'H:i d/m/Y' }}.",
        sample=_FEEDBACK_SAMPLE,
    ),
    DefaultTemplate(
        code=FEEDBACK_ANSWERED,
        name="Trả lời phản ánh, kiến nghị",
        description="Gửi người phản ánh khi có trả lời. Biến: như khi tiếp nhận, cùng answer.",
        subject_vi="Trả lời phản ánh, kiến nghị {{ code }}",
        body_vi=(
            "Kính gửi {{ citizen_name }},\n\n"
            "Về phản ánh, kiến nghị “{{ title }}” (mã {{ code }}), {{ unit }} trả lời như sau:\n\n"
            "{{ answer }}\n\n"
            "{% if lookup_url %}Ông/Bà xem lại câu trả lời tại {{ lookup_url }} (nhập mã tra "
            "cứu đã nhận khi gửi phản ánh).\n\n{% endif %}Trân trọng,\n{{ unit }}"
        ),
        short_vi="Phan anh {{ code }} da duoc tra loi. Xem tai {{ lookup_url|default:unit }}.",
        subject_en="Answer to your feedback {{ code }}",
        body_en=(
            "Dear {{ citizen_name }},\n\nAbout your feedback “{{ title }}” ({{ code }}), "
            "{{ unit }} answers:\n\n{{ answer }}\n\n"
            "{% if lookup_url %}See it again at {{ lookup_url }} (with the secret given when you "
            "sent it).\n\n{% endif %}Kind regards,\n{{ unit }}"
        ),
        short_en=(
            "Your feedback {{ code }} was answered.{% if lookup_url %} {{ lookup_url }}{% endif %}"
        ),
        sample=_FEEDBACK_SAMPLE,
    ),
    DefaultTemplate(
        code=STEP_DUE_SOON,
        name="Nhắc cán bộ: bước xử lý sắp đến hạn",
        description=(
            "Gửi người thụ lý khi bước sắp đến hạn (ngưỡng giờ làm việc theo đơn vị). Biến: code, "
            "procedure, unit, step, step_due_at, assignee (người thụ lý), recipient (người nhận), "
            "office_url."
        ),
        subject_vi="Sắp đến hạn: hồ sơ {{ code }} — {{ step }}",
        body_vi=(
            "Đồng chí {{ recipient }},\n\n"
            "Bước “{{ step }}” của hồ sơ {{ code }} (thủ tục “{{ procedure }}”) đến hạn lúc "
            "{{ step_due_at|date:'H:i' }} ngày {{ step_due_at|date:'d/m/Y' }}.\n"
            "{% if office_url %}Xử lý tại {{ office_url }}{% endif %}"
        ),
        short_vi="Ho so {{ code }}: buoc {{ step }} den han {{ step_due_at|date:'H:i d/m/Y' }}.",
        subject_en="Due soon: dossier {{ code }} — {{ step }}",
        body_en=(
            "{{ recipient }},\n\nThe step “{{ step }}” of dossier {{ code }} (“{{ procedure }}”) "
            "is due at {{ step_due_at|date:'H:i, d/m/Y' }}.\n"
            "{% if office_url %}Open it at {{ office_url }}{% endif %}"
        ),
        short_en="Dossier {{ code }}: {{ step }} due {{ step_due_at|date:'H:i d/m/Y' }}.",
        sample=_STEP_SAMPLE,
    ),
    DefaultTemplate(
        code=STEP_OVERDUE,
        name="Bước xử lý đã quá hạn (người thụ lý và lãnh đạo)",
        description=(
            "Gửi người thụ lý và lãnh đạo đơn vị khi một bước quá hạn; bước bị khóa đến khi có "
            "giải trình và phiếu xin lỗi đã ký (D9b). Biến: như nhắc sắp đến hạn."
        ),
        subject_vi="Quá hạn: hồ sơ {{ code }} — {{ step }}",
        body_vi=(
            "Bước “{{ step }}” của hồ sơ {{ code }} (thủ tục “{{ procedure }}”, người thụ lý "
            "{{ assignee|default:'chưa phân công' }}) đã quá hạn từ {{ step_due_at|date:'H:i' }} "
            "ngày {{ step_due_at|date:'d/m/Y' }}.\n"
            "Bước này chỉ được tiếp tục khi người thụ lý đã giải trình và lãnh đạo đã ký phiếu "
            "xin lỗi gửi người nộp hồ sơ.\n{% if office_url %}Xem tại {{ office_url }}{% endif %}"
        ),
        short_vi="Ho so {{ code }}: buoc {{ step }} da qua han.",
        subject_en="Overdue: dossier {{ code }} — {{ step }}",
        body_en=(
            "The step “{{ step }}” of dossier {{ code }} (“{{ procedure }}”, assignee "
            "{{ assignee|default:'none' }}) has been overdue since "
            "{{ step_due_at|date:'H:i, d/m/Y' }}.\nIt can continue once the assignee has "
            "explained and the leader has signed an apology to the applicant.\n"
            "{% if office_url %}Open it at {{ office_url }}{% endif %}"
        ),
        short_en="Dossier {{ code }}: {{ step }} is overdue.",
        sample=_STEP_SAMPLE,
    ),
    DefaultTemplate(
        code=DOSSIER_OVERDUE,
        name="Hồ sơ đã quá hẹn trả kết quả (lãnh đạo)",
        description=(
            "Gửi lãnh đạo đơn vị khi hồ sơ quá hẹn trả. Biến: code, procedure, unit, "
            "applicant_name, due_at, office_url."
        ),
        subject_vi="Quá hẹn trả kết quả: hồ sơ {{ code }}",
        body_vi=(
            "Hồ sơ {{ code }} (thủ tục “{{ procedure }}”) của {{ applicant_name }} đã quá hẹn "
            "trả kết quả {{ due_at|date:'H:i' }} ngày {{ due_at|date:'d/m/Y' }}.\n"
            "{% if office_url %}Xem tại {{ office_url }}{% endif %}"
        ),
        short_vi="Ho so {{ code }} da qua hen tra ket qua.",
        subject_en="Past its appointment: dossier {{ code }}",
        body_en=(
            "Dossier {{ code }} (“{{ procedure }}”) of {{ applicant_name }} is past its "
            "appointment of {{ due_at|date:'H:i, d/m/Y' }}.\n"
            "{% if office_url %}Open it at {{ office_url }}{% endif %}"
        ),
        short_en="Dossier {{ code }} is past its appointment.",
        sample=_DOSSIER_SAMPLE,
    ),
    DefaultTemplate(
        code=APOLOGY_DRAFT_DUE,
        name="Nhắc dự thảo phiếu xin lỗi khi dự báo trễ hẹn (D9a)",
        description=(
            "Gửi người thụ lý một ngày làm việc trước hẹn trả khi hồ sơ có thể trễ: dự thảo phiếu "
            "xin lỗi và đề xuất ngày hẹn mới để lãnh đạo ký. Biến: như nhắc sắp đến hạn."
        ),
        subject_vi="Hồ sơ {{ code }} có thể trễ hẹn: dự thảo phiếu xin lỗi",
        body_vi=(
            "Đồng chí {{ recipient }},\n\n"
            "Hồ sơ {{ code }} (thủ tục “{{ procedure }}”) hẹn trả {{ due_at|date:'H:i' }} ngày "
            "{{ due_at|date:'d/m/Y' }} và đang ở bước “{{ step }}”.\n"
            "Nếu không kịp trả đúng hẹn, đề nghị đồng chí dự thảo phiếu xin lỗi (nêu lý do và "
            "đề xuất ngày hẹn mới) để lãnh đạo ký trước hạn.\n"
            "{% if office_url %}Xử lý tại {{ office_url }}{% endif %}"
        ),
        short_vi="Ho so {{ code }} co the tre hen: du thao phieu xin loi.",
        subject_en="Dossier {{ code }} may be late: draft the apology",
        body_en=(
            "{{ recipient }},\n\nDossier {{ code }} (“{{ procedure }}”) is due at "
            "{{ due_at|date:'H:i, d/m/Y' }} and is at the step “{{ step }}”.\n"
            "If it cannot be ready in time, draft the apology (reason and proposed new date) "
            "for the leader to sign before the due date.\n"
            "{% if office_url %}Open it at {{ office_url }}{% endif %}"
        ),
        short_en="Dossier {{ code }} may be late: draft the apology.",
        sample=_STEP_SAMPLE,
    ),
    DefaultTemplate(
        code=FEEDBACK_OVERDUE,
        name="Phản ánh, kiến nghị quá hạn trả lời (lãnh đạo)",
        description=(
            "Gửi lãnh đạo đơn vị khi một phản ánh quá hạn trả lời. Biến: code, title, unit, "
            "received_at, respond_by, office_url."
        ),
        subject_vi="Quá hạn trả lời phản ánh {{ code }}",
        body_vi=(
            "Phản ánh, kiến nghị “{{ title }}” (mã {{ code }}, tiếp nhận "
            "{{ received_at|date:'H:i d/m/Y' }}) chưa được trả lời; hạn trả lời là "
            "{{ respond_by|date:'H:i' }} ngày {{ respond_by|date:'d/m/Y' }}.\n"
            "{% if office_url %}Xem tại {{ office_url }}{% endif %}"
        ),
        short_vi="Phan anh {{ code }} qua han tra loi.",
        subject_en="Feedback {{ code }} is past its answer date",
        body_en=(
            "The feedback “{{ title }}” ({{ code }}, received "
            "{{ received_at|date:'H:i, d/m/Y' }}) has no answer; it was due by "
            "{{ respond_by|date:'H:i, d/m/Y' }}.\n{% if office_url %}Open it at {{ office_url }}"
            "{% endif %}"
        ),
        short_en="Feedback {{ code }} is past its answer date.",
        sample=_FEEDBACK_SAMPLE,
    ),
    DefaultTemplate(
        code=PAYMENT_RECEIVED,
        name="Đã thanh toán phí, lệ phí và cấp biên lai",
        description=(
            "Gửi người nộp khi phí, lệ phí của hồ sơ đã được thanh toán. Biến: code, procedure, "
            "unit, applicant_name, amount, receipt, lookup_url."
        ),
        subject_vi="[{{ unit }}] Đã thanh toán phí, lệ phí hồ sơ {{ code }}",
        body_vi=(
            "Kính gửi {{ applicant_name }},\n\n"
            "{{ unit }} đã nhận {{ amount }} đồng phí, lệ phí của hồ sơ {{ code }} "
            "(thủ tục “{{ procedure }}”) và cấp biên lai điện tử {{ receipt }}.\n"
            "Ông/Bà có thể tải biên lai từ trang tra cứu hồ sơ"
            "{% if lookup_url %} tại {{ lookup_url }}{% endif %}.\n\nTrân trọng,\n{{ unit }}"
        ),
        short_vi="{{ unit }}: da thanh toan {{ amount }} d ho so {{ code }}, bien lai {{ receipt }}.",
        subject_en="[{{ unit }}] Fees of dossier {{ code }} paid",
        body_en=(
            "Dear {{ applicant_name }},\n\n"
            "{{ unit }} received {{ amount }} VND in fees for dossier {{ code }} "
            "(“{{ procedure }}”) and issued the electronic receipt {{ receipt }}.\n"
            "Download it from the dossier's look-up page"
            "{% if lookup_url %} at {{ lookup_url }}{% endif %}.\n\nKind regards,\n{{ unit }}"
        ),
        short_en="{{ unit }}: {{ amount }} VND paid for {{ code }}, receipt {{ receipt }}.",
        sample={
            **_DOSSIER_SAMPLE,
            "amount": "15.000",
            "receipt": "EBL01 26E 0000001",
        },
    ),
    DefaultTemplate(
        code=PAYMENT_CALLBACK_REFUSED,
        name="Cảnh báo thông báo thanh toán bị từ chối",
        description=(
            "Gửi lãnh đạo đơn vị khi cổng thanh toán gửi một thông báo sai chữ ký hoặc sai số "
            "tiền. Biến: recipient, gateway, order_id, reason, at."
        ),
        subject_vi="Cảnh báo: thông báo thanh toán {{ order_id }} bị từ chối",
        body_vi=(
            "Kính gửi {{ recipient }},\n\n"
            "Lúc {{ at|date:'H:i d/m/Y' }} hệ thống nhận từ cổng thanh toán {{ gateway }} một "
            "thông báo cho giao dịch {{ order_id }} và đã từ chối vì: {{ reason }}.\n"
            "Không có khoản thu nào được ghi nhận. Đề nghị kiểm tra và đối soát với cổng "
            "thanh toán."
        ),
        short_vi="Canh bao: thong bao thanh toan {{ order_id }} bi tu choi.",
        subject_en="Alert: payment notice {{ order_id }} refused",
        body_en=(
            "Dear {{ recipient }},\n\n"
            "At {{ at|date:'H:i, d/m/Y' }} the payment gateway {{ gateway }} sent a notice for "
            "transaction {{ order_id }}; it was refused: {{ reason }}.\n"
            "Nothing was recorded as paid. Please check it with the gateway."
        ),
        short_en="Alert: payment notice {{ order_id }} refused.",
        sample={
            "recipient": "Trần Văn Minh",
            "gateway": "paygov",
            "order_id": "TT-7F3A2B",
            "reason": "chữ ký không hợp lệ",
            "at": _WHEN,
        },
    ),
    DefaultTemplate(
        code=TEST_NOTICE,
        name="Thông báo thử",
        description="Để kiểm tra một kênh gửi. Biến: text.",
        subject_vi="Thông báo thử của MotCua",
        body_vi="{{ text|default:'Đây là thông báo thử.' }}",
        short_vi="{{ text|default:'Thong bao thu.' }}",
        subject_en="MotCua test notice",
        body_en="{{ text|default:'This is a test notice.' }}",
        short_en="{{ text|default:'Test notice.' }}",
        sample={"text": "Đây là thông báo thử."},
    ),
)

BY_CODE: dict[str, DefaultTemplate] = {t.code: t for t in DEFAULTS}
