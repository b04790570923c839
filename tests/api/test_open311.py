"""Open311 GeoReport v2 at /open311/v2/, read the way a client written for another city reads
it: the spec's element names in XML, the same document in JSON, the spec's error format."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import urlencode
from xml.etree import ElementTree as ET  # noqa: S405 — parsing our own server's answers

import pytest
import time_machine

from motcua.feedback.models import Category, Feedback
from motcua.feedback.services import (
    answer_feedback,
    classify_feedback,
    close_feedback,
    publish_feedback,
)
from tests.feedback.factories import MONDAY_9, make_dossier, make_feedback

pytestmark = pytest.mark.django_db
ROOT = "/open311/v2"
FORM = "application/x-www-form-urlencoded; charset=utf-8"
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


def xml(answer):
    assert answer["Content-Type"] == "text/xml; charset=utf-8"
    assert answer.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(answer.content)  # noqa: S314


def js(answer):
    assert answer["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(answer.content)


def spec_post(client, fmt="xml", **fields):
    """POST Service Request, form-encoded as the spec's example request."""
    data = {
        "api_key": "xyz",
        "jurisdiction_id": "city.gov",
        "service_code": "delay",
        "lat": "21.0285",
        "long": "105.8542",
        "address_string": "1 Lê Lai, Phường Hoàn Kiếm Thử, Hà Nội",
        "email": "smith@example.vn",
        "device_id": "tt222111",
        "account_id": "123456",
        "first_name": "Văn An",
        "last_name": "Nguyễn",
        "phone": "0912345678",
        "description": "Hồ sơ cấp phép xây dựng của tôi đã trễ hẹn 10 ngày.",
        "media_url": "http://example.vn/anh/1.jpg",
    }
    data.update(fields)
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(f"{ROOT}/requests.{fmt}", urlencode(data), content_type=FORM)


def assert_error(answer, status, fragment="", fmt="xml"):
    assert answer.status_code == status, answer.content
    if fmt == "xml":
        root = xml(answer)
        assert root.tag == "errors"
        error = root.find("error")
        assert [c.tag for c in error] == ["code", "description"]
        assert error.findtext("code") == str(status)
        assert fragment in error.findtext("description")
    else:
        body = js(answer)
        assert isinstance(body, list) and set(body[0]) == {"code", "description"}
        assert body[0]["code"] == status and fragment in body[0]["description"]


# ------------------------------------------------------------------------------- the round trip
def test_a_request_posted_as_the_spec_shows_is_read_back_in_xml_and_json(client, office):
    dossier = make_dossier(unit=office.ward)
    posted = spec_post(
        client,
        **{"attribute[dossier_code]": dossier.code, "attribute[unit]": "TP.01"},
    )
    assert posted.status_code == 200, posted.content
    root = xml(posted)
    assert root.tag == "service_requests"
    request = root.find("request")
    assert [c.tag for c in request] == ["service_request_id", "service_notice", "account_id"]
    request_id = request.findtext("service_request_id")
    assert request.findtext("account_id") == "123456"
    item = Feedback.objects.get(pk=int(request_id))
    assert item.channel == "open311" and item.category == "delay"
    assert item.name == "Nguyễn Văn An" and item.dossier == dossier
    assert item.intake_unit == office.ward and item.attributes["unit"] == "TP.01"
    assert (item.lat, item.long) == (21.0285, 105.8542)

    # services
    services = xml(client.get(f"{ROOT}/services.xml"))
    assert services.tag == "services"
    first = services.find("service")
    assert [c.tag for c in first] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    codes = [s.findtext("service_code") for s in services.findall("service")]
    assert codes == list(Category.values)
    assert first.findtext("metadata") == "true" and first.findtext("type") == "realtime"
    listed = js(client.get(f"{ROOT}/services.json"))
    assert [s["service_code"] for s in listed] == codes
    assert listed[0]["metadata"] is True

    # requests list
    many = xml(client.get(f"{ROOT}/requests.xml"))
    assert many.tag == "service_requests"
    shown = many.find("request")
    assert [c.tag for c in shown] == REQUEST_FIELDS
    assert shown.findtext("service_request_id") == request_id
    assert shown.findtext("status") == "open"
    assert shown.findtext("service_code") == "delay"
    assert shown.findtext("address") == "1 Lê Lai, Phường Hoàn Kiếm Thử, Hà Nội"
    listed = js(client.get(f"{ROOT}/requests.json"))
    assert [r["service_request_id"] for r in listed] == [request_id]
    assert list(listed[0]) == REQUEST_FIELDS
    assert listed[0]["lat"] == 21.0285 and listed[0]["zipcode"] is None
    assert listed[0]["expected_datetime"] == item.respond_by.astimezone(MONDAY_9.tzinfo).isoformat(
        timespec="seconds"
    )

    # one request
    one = xml(client.get(f"{ROOT}/requests/{request_id}.xml"))
    assert one.tag == "service_requests" and len(one.findall("request")) == 1
    assert [c.tag for c in one.find("request")] == REQUEST_FIELDS
    single = js(client.get(f"{ROOT}/requests/{request_id}.json"))
    assert single[0]["service_request_id"] == request_id
    assert single[0]["requested_datetime"].endswith("+07:00")


def test_the_json_post_answers_the_same_document(client, office):
    answer = spec_post(client, fmt="json", description="Cán bộ hách dịch.", service_code="conduct")
    assert answer.status_code == 200
    body = js(answer)
    assert list(body[0]) == ["service_request_id", "service_notice", "account_id"]
    assert "trước" in body[0]["service_notice"]


def test_the_service_definition_carries_the_specs_attribute_fields(client, office):
    root = xml(client.get(f"{ROOT}/services/delay.xml"))
    assert root.tag == "service_definition" and root.findtext("service_code") == "delay"
    attributes = root.find("attributes").findall("attribute")
    assert [a.findtext("code") for a in attributes] == ["dossier_code", "unit"]
    assert [c.tag for c in attributes[1]] == [
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    ]
    keys = [v.findtext("key") for v in attributes[1].find("values").findall("value")]
    assert keys == ["TP", "TP.01", "TP.02"]
    body = js(client.get(f"{ROOT}/services/delay.json"))
    assert body["service_code"] == "delay"
    assert body["attributes"][1]["values"][1] == {"key": "TP.01", "name": "Phường Hoàn Kiếm Thử"}
    assert body["attributes"][0]["required"] is False


def test_discovery_in_json_and_xml(client, db):
    body = js(client.get(f"{ROOT}/discovery.json"))
    assert set(body) == {"changeset", "contact", "key_service", "endpoints"}
    endpoint = body["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2") and endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = xml(client.get(f"{ROOT}/discovery.xml"))
    assert root.tag == "discovery"
    formats = root.find("endpoints/endpoint/formats").findall("format")
    assert [f.text for f in formats] == ["text/xml", "application/json"]
    assert client.get(f"{ROOT}/").status_code == 302


# ----------------------------------------------------------------------------------- status
def test_status_is_open_until_closed_and_the_answer_shows_when_published(client, office):
    request_id = xml(spec_post(client, **{"attribute[unit]": "TP.01"})).findtext(
        "request/service_request_id"
    )
    classify_feedback(
        feedback_id=int(request_id), actor=office.supervisor, category="delay", in_scope=True
    )
    shown = js(client.get(f"{ROOT}/requests/{request_id}.json"))[0]
    assert shown["status"] == "open" and shown["agency_responsible"] == "Phường Hoàn Kiếm Thử"
    assert "Phường Hoàn Kiếm Thử" in shown["status_notes"]
    answer_feedback(feedback_id=int(request_id), actor=office.head, answer="Đã cấp phép hôm nay.")
    close_feedback(feedback_id=int(request_id), actor=office.supervisor)
    shown = js(client.get(f"{ROOT}/requests/{request_id}.json"))[0]
    assert shown["status"] == "closed" and shown["status_notes"] == "Đã kết thúc."
    publish_feedback(feedback_id=int(request_id), actor=office.supervisor, published=True)
    shown = js(client.get(f"{ROOT}/requests/{request_id}.json"))[0]
    assert shown["status_notes"] == "Đã cấp phép hôm nay."
    assert js(client.get(f"{ROOT}/requests.json", {"status": "open"})) == []
    assert len(js(client.get(f"{ROOT}/requests.json", {"status": "closed"}))) == 1
    assert len(js(client.get(f"{ROOT}/requests.json", {"status": "open,closed"}))) == 1


def test_out_of_scope_requests_close_with_the_guidance(client, office):
    request_id = xml(spec_post(client, **{"attribute[unit]": "TP.01"})).findtext(
        "request/service_request_id"
    )
    classify_feedback(
        feedback_id=int(request_id),
        actor=office.supervisor,
        category="other",
        in_scope=False,
        note="Việc này thuộc Tòa án nhân dân; xin liên hệ Tòa án.",
    )
    shown = js(client.get(f"{ROOT}/requests/{request_id}.json"))[0]
    assert shown["status"] == "closed" and shown["expected_datetime"] is None
    assert shown["status_notes"].startswith("Việc này thuộc Tòa án")


def test_only_open311_and_published_items_are_listed_and_never_the_senders_contacts(client, office):
    private = make_feedback(actor=office.receptionist, content="Cuộc gọi riêng.")
    item = make_feedback(actor=office.receptionist, content="Đã xử lý công khai.")
    classify_feedback(
        feedback_id=item.pk,
        actor=office.supervisor,
        category="delay",
        in_scope=True,
        unit_code="TP.01",
    )
    answer_feedback(feedback_id=item.pk, actor=office.head, answer="Xong.", publish=True)
    with time_machine.travel(MONDAY_9 + timedelta(days=2), tick=False):
        body = client.get(f"{ROOT}/requests.json").content.decode()
    listed = json.loads(body)
    assert [r["service_request_id"] for r in listed] == [str(item.pk)]
    assert "0912345678" not in body and "Nguyễn Thị Phản Ánh" not in body
    assert_error(client.get(f"{ROOT}/requests/{private.pk}.xml"), 404)


def test_the_standard_filters(client, office):
    with time_machine.travel(MONDAY_9, tick=False):
        a = xml(spec_post(client)).findtext("request/service_request_id")
    with time_machine.travel(MONDAY_9 + timedelta(days=10), tick=False):
        b = xml(spec_post(client, service_code="conduct")).findtext("request/service_request_id")
    with time_machine.travel(MONDAY_9 + timedelta(days=11), tick=False):

        def ids(**query):
            return [r["service_request_id"] for r in js(client.get(f"{ROOT}/requests.json", query))]

        assert ids() == [b, a]
        assert ids(service_code="conduct") == [b]
        assert ids(service_code="delay,conduct") == [b, a]
        assert ids(service_request_id=f"{a},999") == [a]
        assert ids(service_request_id=a, service_code="conduct") == [a]  # overrides the rest
        assert ids(start_date="2026-03-05T00:00:00+07:00", end_date="2026-03-20T00:00:00Z") == [b]
        assert ids(start_date="2026-03-01T00:00:00 07:00") == [b, a]  # an unencoded "+"
        assert ids(end_date="2026-03-03") == [a]
        assert_error(client.get(f"{ROOT}/requests.xml", {"status": "pending"}), 400, "pending")
        assert_error(
            client.get(f"{ROOT}/requests.json", {"start_date": "2026-03-01T00:00:00"}),
            400,
            "múi giờ",
            fmt="json",
        )
        assert_error(
            client.get(
                f"{ROOT}/requests.xml",
                {"start_date": "2025-01-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},
            ),
            400,
            "90",
        )
        assert_error(client.get(f"{ROOT}/requests.xml", {"start_date": "hôm qua"}), 400)


# ----------------------------------------------------------------------------------- errors
def test_bad_posts_answer_in_the_specs_error_format(client, office, settings):
    settings.MOTCUA_FEEDBACK_RATE_LIMIT = (100, 600)  # every POST counts, good or bad
    assert_error(spec_post(client, service_code=None), 400, "service_code")
    assert_error(spec_post(client, fmt="json", service_code=""), 400, "service_code", fmt="json")
    assert_error(spec_post(client, service_code="pothole"), 404, "pothole")
    assert_error(spec_post(client, fmt="json", service_code="pothole"), 404, fmt="json")
    no_place = {"lat": None, "long": None, "address_string": None}
    assert_error(spec_post(client, **no_place), 400, "vị trí")
    assert_error(spec_post(client, long=None), 400, "lat")
    assert_error(spec_post(client, lat="north"), 400, "lat")
    assert_error(spec_post(client, lat="nan"), 400, "lat")
    assert_error(spec_post(client, description=None), 400, "description")
    assert_error(spec_post(client, description="d" * 4001), 400, "4.000")
    assert_error(spec_post(client, media_url="javascript:alert(1)"), 400, "media_url")
    assert_error(spec_post(client, email="not-an-email"), 400, "thư điện tử")
    # an unknown dossier code is no error: answering one would tell which codes exist
    assert_error(spec_post(client, **{"attribute[unit]": "NOPE"}), 400, "NOPE")
    assert not Feedback.objects.exists()
    # Only an address, no coordinates, is a full location too.
    assert spec_post(client, lat=None, long=None).status_code == 200


def test_unknown_resources_and_methods(client, db):
    assert_error(client.get(f"{ROOT}/services/pothole.xml"), 404, "pothole")
    assert_error(client.get(f"{ROOT}/services/pothole.json"), 404, fmt="json")
    assert_error(client.get(f"{ROOT}/requests/424242.json"), 404, fmt="json")
    assert_error(client.get(f"{ROOT}/requests/abc.xml"), 404)
    assert_error(client.get(f"{ROOT}/requests/99999999999999999999999.xml"), 404)
    assert_error(client.get(f"{ROOT}/services.csv"), 404, "csv")
    assert_error(client.get(f"{ROOT}/tokens/1.xml"), 404)
    refused = client.put(f"{ROOT}/services.json")
    assert_error(refused, 405, fmt="json")
    assert refused["Allow"] == "GET, HEAD"


def test_the_post_is_rate_limited_per_address(client, office, settings):
    settings.MOTCUA_FEEDBACK_RATE_LIMIT = (2, 600)
    assert spec_post(client).status_code == 200
    assert spec_post(client).status_code == 200
    refused = spec_post(client)
    assert_error(refused, 429, "giây")
    assert int(refused["Retry-After"]) > 0
    assert Feedback.objects.count() == 2


def test_a_script_in_a_request_stays_text_in_xml_and_json(client, office):
    evil = "<script>alert('x')</script> & </description><lat>0</lat>"
    request_id = xml(spec_post(client, description=evil)).findtext("request/service_request_id")
    raw = client.get(f"{ROOT}/requests/{request_id}.xml")
    assert b"<script>" not in raw.content and b"&lt;script&gt;" in raw.content
    assert xml(raw).findtext("request/description") == evil
    assert xml(raw).findtext("request/lat") == "21.0285"
    assert js(client.get(f"{ROOT}/requests/{request_id}.json"))[0]["description"] == evil


def test_posting_needs_no_csrf_token(office):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    answer = strict.post(
        f"{ROOT}/requests.json",
        urlencode(
            {"service_code": "delay", "address_string": "Hà Nội", "description": "Chậm quá."}
        ),
        content_type=FORM,
    )
    assert answer.status_code == 200
