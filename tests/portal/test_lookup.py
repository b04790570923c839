import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.access.models import RateLimitHit
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import accept_dossier, draft_apology, sign_apology
from tests.portal.helpers import APPLICANT

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def look_up(client, code, secret):
    return client.post(reverse("portal:lookup"), {"code": code, "secret": secret})


def test_the_code_and_the_secret_open_the_dossier(client, submitted):
    code = submitted.dossier.code
    answer = look_up(client, code, submitted.lookup_secret)
    assert answer.status_code == 302
    assert answer.headers["Location"] == reverse("portal:dossier", args=[code])
    page = client.get(answer.headers["Location"])
    assert page.status_code == 200
    assert code in page.text
    assert "Chờ tiếp nhận" in page.text
    assert "Ng*** V** A*" in page.text
    assert "Đăng ký khai sinh" in page.text
    assert "được tính khi Bộ phận Một cửa tiếp nhận" in page.text


def test_the_secret_may_be_typed_in_lower_case_with_spaces(client, submitted):
    typed = submitted.lookup_secret.lower().replace("-", " ")
    assert look_up(client, submitted.dossier.code, typed).status_code == 302


def test_no_field_of_the_applicant_but_the_masked_name_is_in_the_page(client, submitted, office):
    accept_dossier(dossier_id=submitted.dossier.pk, actor=office.receptionist)
    look_up(client, submitted.dossier.code, submitted.lookup_secret)
    text = client.get(reverse("portal:dossier", args=[submitted.dossier.code])).text
    for private in (
        APPLICANT.name,
        "Nguyễn",
        APPLICANT.id_number,
        APPLICANT.phone,
        APPLICANT.email,
        APPLICANT.address,
        "Hàng Bạc",
    ):
        assert private not in text, private
    assert "Ng*** V** A*" in text


def test_a_wrong_secret_looks_exactly_like_an_unknown_code(client, submitted):
    code = submitted.dossier.code
    unknown = code[:-4] + ("9999" if not code.endswith("9999") else "9998")
    wrong_secret = look_up(client, code, "WXYZ-2345-6789")
    wrong_code = look_up(client, unknown, submitted.lookup_secret)
    assert wrong_secret.status_code == wrong_code.status_code == 404

    def normal(response, typed):
        return CSRF.sub("", response.text).replace(typed, "<code>")

    assert normal(wrong_secret, code) == normal(wrong_code, unknown)
    assert "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này" in wrong_secret.text
    assert "WXYZ-2345-6789" not in wrong_secret.text  # the secret is never echoed


def test_twenty_misses_from_one_address_within_a_minute_get_429(client, submitted):
    code = submitted.dossier.code
    for _ in range(20):
        assert look_up(client, code, "ABCD-EFGH-JKLM").status_code == 404
    blocked = look_up(client, code, submitted.lookup_secret)  # even the right secret now
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    assert "Tra cứu sai quá nhiều lần" in blocked.text
    # another address is not blocked
    other = client.post(
        reverse("portal:lookup"),
        {"code": code, "secret": submitted.lookup_secret},
        REMOTE_ADDR="203.0.113.9",
    )
    assert other.status_code == 302


def test_the_misses_are_counted_with_the_apis_look_up(client, submitted):
    code = submitted.dossier.code
    for _ in range(20):
        client.get(f"/api/v1/public/dossiers/{code}", {"secret": "ABCD-EFGH-JKLM"})
    assert look_up(client, code, submitted.lookup_secret).status_code == 429
    assert RateLimitHit.objects.filter(bucket="lookup:client:127.0.0.1").count() == 20


def test_an_empty_form_says_what_is_missing_and_is_not_counted_as_a_miss(client, submitted):
    answer = client.post(reverse("portal:lookup"), {"code": "", "secret": ""})
    assert answer.status_code == 400
    assert "Hãy nhập mã hồ sơ." in answer.text and "Hãy nhập mã tra cứu." in answer.text
    assert not RateLimitHit.objects.exists()


def test_the_dossier_page_without_the_secret_goes_back_to_the_form(client, submitted):
    code = submitted.dossier.code
    answer = client.get(reverse("portal:dossier", args=[code]))
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith(reverse("portal:lookup"))
    # an unknown code answers the same
    unknown = client.get(reverse("portal:dossier", args=["TP.01-000000-0000"]))
    assert unknown.status_code == 302


def test_ending_the_look_up_forgets_the_dossier(client, submitted):
    code = submitted.dossier.code
    look_up(client, code, submitted.lookup_secret)
    client.post(reverse("portal:forget"))
    assert client.get(reverse("portal:dossier", args=[code])).status_code == 302


def test_the_timeline_shows_steps_and_the_apology_without_officer_names(client, office, submitted):
    dossier = accept_dossier(dossier_id=submitted.dossier.pk, actor=office.receptionist)
    new_due = dossier.due_at + timedelta(days=7)
    apology = draft_apology(
        dossier_id=dossier.pk,
        actor=office.receptionist,
        reason="Cần xác minh thêm với bệnh viện nơi sinh.",
        new_due_at=new_due,
    )
    sign_apology(apology_id=apology.pk, actor=office.leader)
    look_up(client, dossier.code, submitted.lookup_secret)
    text = client.get(reverse("portal:dossier", args=[dossier.code])).text
    assert "Đã tiếp nhận" in text
    assert "Tiếp nhận, chuyển hồ sơ" in text and "Thẩm định" in text and "Ký duyệt" in text
    assert "Thư xin lỗi" in text and "Cần xác minh thêm với bệnh viện nơi sinh." in text
    local_new_due = timezone.localtime(Dossier.objects.get(pk=dossier.pk).due_at)
    assert local_new_due.strftime("%H:%M %d/%m/%Y") in text
    for staff in (office.receptionist, office.leader, office.specialist):
        assert staff.full_name not in text
        assert staff.username not in text
    assert "Ông/bà chưa cần làm gì" in text
