"""Issue 19, findings 1, 2 and 8: one search box that understands Vietnamese, for dossiers (the
office, the API) and for procedures (the reception, the portal); codes in any case."""

from __future__ import annotations

import pytest

from motcua.access.services import issue_token
from motcua.catalog.selectors import list_procedures
from motcua.core.text import fold
from motcua.dossiers.search import search_dossiers, search_text_of
from motcua.dossiers.services import ApplicantData
from tests.dossiers.helpers import at, procedure_with, receive

pytestmark = pytest.mark.django_db

STEPS = [("Thụ lý", "specialist", "4"), ("Trả kết quả", "receptionist", "0")]


@pytest.fixture(autouse=True)
def _monday(time_machine):
    time_machine.move_to(at(19, 9), tick=False)


@pytest.fixture
def births(office):
    return procedure_with(
        units=[office.ward], steps=STEPS, code="1.001193", name="Đăng ký khai sinh"
    )


@pytest.fixture
def marriage(office):
    return procedure_with(units=[office.ward], steps=STEPS, code="1.000894", name="Đăng ký kết hôn")


@pytest.fixture
def copies(office):
    return procedure_with(
        units=[office.ward],
        steps=STEPS,
        code="2.000815",
        name="Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        field=("CT", "Chứng thực"),
    )


def person(name, id_number="", phone=""):
    return ApplicantData(name=name, id_number=id_number, phone=phone)


@pytest.fixture
def people(office, births):
    return {
        "anh": receive(office, births, applicant=person("Nguyễn Thị Ánh", "001199000111")).dossier,
        "an": receive(
            office, births, applicant=person("Nguyễn Văn An", phone="0912 345 678")
        ).dossier,
        "binh": receive(office, births, applicant=person("Trần Bình", "079088000222")).dossier,
    }


# ------------------------------------------------------------------------------ the folding
def test_one_folding_rule_meets_diacritics_case_the_d_and_odd_digits():
    assert fold("ĐĂNG KÝ  Khai sinh") == fold("dang ky khai sinh") == "dang ky khai sinh"
    assert fold("đăng ký") == "dang ky"
    assert fold("０９１２ ٣٤") == "0912 34"  # full-width and Arabic-Indic digits
    assert fold("An\ud800") == "an"  # an unpaired surrogate is dropped, not a 500


def test_the_search_text_holds_the_code_the_folded_name_the_number_and_the_phone_digits():
    text = search_text_of(
        code="TP.01-260119-0001", name="Nguyễn Thị Ánh", id_number="001", phone="+84 912 345 678"
    )
    assert text == "tp.01-260119-0001 nguyen thi anh 001 0912345678"


# ------------------------------------------------------------------- finding 2: dossiers
def test_a_name_is_found_without_diacritics_in_any_case(office, people):
    codes = [d.code for d in search_dossiers(office.receptionist, "NGUYEN thi anh")]
    assert codes == [people["anh"].code]


def test_a_name_with_diacritics_finds_it_and_whole_words_rank_first(office, people):
    assert [d.code for d in search_dossiers(office.receptionist, "Văn An")] == [people["an"].code]
    ranked = [d.code for d in search_dossiers(office.receptionist, "an")]
    # "An" a whole word, then "Ánh" (a word starting so); a word of letters matches the start
    # of a word only, so "Trần" is not found by "an", nor by "ran"
    assert ranked == [people["an"].code, people["anh"].code]
    assert [d.code for d in search_dossiers(office.receptionist, "ran")] == []
    assert [d.code for d in search_dossiers(office.receptionist, "tran")] == [people["binh"].code]


def test_a_piece_of_a_number_or_a_code_matches_anywhere(office, people):
    # a word with a digit is a piece of a code, an ID number or a phone: found anywhere in it
    assert [d.code for d in search_dossiers(office.receptionist, "99000111")] == [
        people["anh"].code
    ]
    piece = people["binh"].code[-6:]  # "9-0003": the end of the code
    assert people["binh"].code in [d.code for d in search_dossiers(office.receptionist, piece)]


def test_an_id_number_and_a_phone_as_typed_find_their_dossier(office, people):
    assert [d.code for d in search_dossiers(office.specialist, "079088000222")] == [
        people["binh"].code
    ]
    assert [d.code for d in search_dossiers(office.specialist, "0912.345.678")] == [
        people["an"].code
    ]
    assert [d.code for d in search_dossiers(office.specialist, "+84 912 345 678")] == [
        people["an"].code
    ]


def test_the_exact_code_ranks_first_in_any_case(office, people):
    code = people["binh"].code
    found = list(search_dossiers(office.head, code.lower()))
    assert found[0].code == code


def test_another_units_staff_find_nothing(office, people):
    assert list(search_dossiers(office.outsider, "nguyen")) == []
    assert list(search_dossiers(office.outsider, people["an"].code)) == []


def test_a_supervisor_above_finds_by_code_never_by_a_persons_name_or_number(office, people):
    from tests.factories import make_staff

    inspector = make_staff(username="thanhtra", roles=[(office.city, "supervisor")])
    assert list(search_dossiers(inspector, "nguyen")) == []
    assert list(search_dossiers(inspector, "079088000222")) == []
    assert [d.code for d in search_dossiers(inspector, people["an"].code)] == [people["an"].code]


@pytest.mark.parametrize("q", ["", "   ", "\x00", "\ud800", "%", "_", "' or 1=1 --", "x" * 5000])
def test_odd_input_finds_nothing_or_little_and_never_fails(office, people, q):
    assert len(list(search_dossiers(office.receptionist, q))) <= 3


# --------------------------------------------------------------------------- the API's ?q=
def api_get(client, staff, **params):
    token = issue_token(staff=staff)[0]
    return client.get("/api/v1/dossiers", params, headers={"Authorization": f"Bearer {token}"})


def test_the_api_searches_by_q_ranked_and_scoped(client, office, people):
    r = api_get(client, office.receptionist, q="tran binh")
    assert r.status_code == 200, r.content
    assert [i["code"] for i in r.json()["items"]] == [people["binh"].code]
    assert r.json()["count"] == 1
    r = api_get(client, office.outsider, q="tran binh")
    assert r.json() == {"count": 0, "items": []}


def test_the_api_combines_q_with_the_other_filters(client, office, people):
    r = api_get(client, office.receptionist, q="nguyen", status="stopped")
    assert r.json()["count"] == 0
    r = api_get(client, office.receptionist, q="nguyen", unit="TP.01")
    assert r.json()["count"] == 2


def test_the_api_refuses_a_search_longer_than_200_characters_with_a_problem(client, office):
    r = api_get(client, office.receptionist, q="a" * 201)
    assert r.status_code == 422
    assert r["Content-Type"].startswith("application/problem+json")


# ------------------------------------------------------------------- finding 8: the look-up
def test_the_public_look_up_matches_the_code_in_any_case(client, office, births):
    created = receive(office, births)
    code = created.dossier.code
    r = client.get(f"/api/v1/public/dossiers/{code.lower()}", {"secret": created.lookup_secret})
    assert r.status_code == 200, r.content
    assert r.json()["code"] == code


def test_the_portal_look_up_matches_the_code_in_any_case(client, office, births):
    created = receive(office, births)
    r = client.post(
        "/tra-cuu/",
        {"code": created.dossier.code.lower(), "secret": created.lookup_secret},
    )
    assert r.status_code == 302, r.content
    assert created.dossier.code in r["Location"]


# --------------------------------------------------------------- finding 1: procedures
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ket hon", "1.000894"),
        ("chung thuc", "2.000815"),
        ("đăng ký khai sinh", "1.001193"),
        ("ĐĂNG KÝ KHAI SINH", "1.001193"),
        ("khai sinh cho trẻ", "1.001193"),
        ("1.001193", "1.001193"),
    ],
)
def test_the_reception_finds_a_procedure_as_people_type_it(
    office, births, marriage, copies, typed, expected
):
    found = list(list_procedures(unit=office.ward, q=typed))
    assert found and found[0].code == expected


def test_dang_ky_finds_both_registrations_before_anything_else(office, births, marriage, copies):
    found = [p.code for p in list_procedures(unit=office.ward, q="dang ky")]
    assert set(found[:2]) == {"1.001193", "1.000894"}


def test_the_reception_page_offers_the_procedure_typed_without_diacritics(
    client, office, births, marriage
):
    client.force_login(office.receptionist)
    r = client.get("/can-bo/tiep-nhan/thu-tuc/", {"q": "ket hon"}, headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert "Đăng ký kết hôn" in r.content.decode()
    assert "không tiếp nhận thủ tục nào" not in r.content.decode()


def test_the_portal_catalog_ranks_by_matched_words(client, office, births, marriage):
    r = client.get("/thu-tuc/", {"q": "khai sinh cho tre"})
    page = r.content.decode()
    assert "Đăng ký khai sinh" in page
