"""The public face of dossiers (API.md, Public): online submission and the look-up by code.

The look-up shows what the citizen may see — the procedure, the status, the appointment, the
masked applicant name, the steps without the officers, the signed apologies — and never an id
number, phone, email or address. A wrong secret answers exactly like an unknown code (404), and
every miss is counted per client address: 20 misses in 10 minutes answer 429 for the rest of the
window (see `motcua.access.services`).
"""

from __future__ import annotations

import hmac
import json
from datetime import datetime
from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Schema, Status
from ninja.responses import NinjaJSONEncoder
from pydantic import Field as PydanticField

from motcua.access import services as access
from motcua.access.login import client_address
from motcua.access.selectors import idempotency_key_used
from motcua.api.dossiers import (
    DossierBase,
    Input,
    ProcedureRef,
    StatusName,
    TimelinessName,
    applicant_data,
    create_dossier_once,
    document_data,
    local,
)
from motcua.api.problems import Problem, problem
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.rules import hash_secret, mask_name
from motcua.dossiers.selectors import (
    get_public_dossier,
    public_lookup_row,
    save_public_snapshot,
)
from motcua.payments.services import fix_amount_due
from motcua.surveys.services import rate_dossier

router = Router(tags=["public"])


class SubmissionIn(DossierBase):
    channel: Literal["online"] = "online"


class SubmissionOut(Schema):
    code: str
    lookup_secret: str
    status: StatusName


class LookupQuery(Input):
    secret: str = PydanticField(
        "", max_length=64, description="the look-up secret; without it the answer is 404"
    )


class PublicStep(Schema):
    name: str
    status: Literal["pending", "active", "paused", "done"]
    finished_at: datetime | None


class PublicApology(Schema):
    reason: str
    new_due_at: datetime | None
    signed_at: datetime | None


class PublicDossier(Schema):
    code: str
    procedure: ProcedureRef
    unit: str
    unit_name: str
    status: StatusName
    submitted_at: datetime | None
    received_at: datetime | None
    due_at: datetime | None
    ready_at: datetime | None
    returned_at: datetime | None
    timeliness: TimelinessName | None
    applicant_name: str
    steps: list[PublicStep]
    apologies: list[PublicApology]


@router.post(
    "/dossiers",
    auth=None,
    response={201: SubmissionOut, 400: Problem, 422: Problem, 429: Problem},
    summary="Submit a dossier online",
)
def submit(
    request: HttpRequest,
    payload: SubmissionIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),  # noqa: B008
) -> Any:
    """At most `access.SUBMISSIONS_PER_CLIENT` new dossiers per client address (a retry with a
    used Idempotency-Key is not a new one): the desk's waiting list is not a spam box."""
    replay = idempotency_key is not None and idempotency_key_used(
        kind="dossier", scope="public", key=idempotency_key
    )
    if not replay:
        try:
            access.claim(
                (f"submit:client:{client_address(request)}", access.SUBMISSIONS_PER_CLIENT)
            )
        except access.Throttled as refused:
            return problem(
                429,
                _("Có quá nhiều hồ sơ nộp từ địa chỉ này.")
                + " "
                + access.wait_message(refused.retry_after_seconds),
                "too_many_submissions",
                headers={"Retry-After": str(refused.retry_after_seconds)},
            )

    @transaction.atomic
    def create() -> services.Created:
        created = services.submit_online(
            procedure_code=payload.procedure,
            unit_code=payload.unit,
            applicant=applicant_data(payload.applicant),
            green_lane_group=payload.green_lane,
            documents=document_data(payload.documents),
            note=payload.note,
        )
        # the amount due is fixed at submission
        fix_amount_due(dossier_id=created.dossier.pk, actor=None)
        return created

    created = create_dossier_once(create, key=idempotency_key, scope="public", payload=payload)
    return Status(
        201,
        SubmissionOut(
            code=created.dossier.code,
            lookup_secret=created.lookup_secret,
            status=created.dossier.status,  # type: ignore[arg-type]
        ),
    )


def _public(d: Dossier) -> PublicDossier:
    return PublicDossier(
        code=d.code,
        procedure=ProcedureRef(code=d.procedure.code, name=d.procedure.name),
        unit=d.unit.code,
        unit_name=d.unit.name,
        status=d.status,  # type: ignore[arg-type]
        submitted_at=local(d.submitted_at),
        received_at=local(d.received_at),
        due_at=local(d.due_at),
        ready_at=local(d.ready_at),
        returned_at=local(d.returned_at),
        timeliness=d.timeliness or None,  # type: ignore[arg-type]
        applicant_name=mask_name(d.applicant.name),
        steps=[
            PublicStep(name=s.name, status=s.status, finished_at=local(s.finished_at))  # type: ignore[arg-type]
            for s in d.steps.all()
        ],
        apologies=[
            PublicApology(
                reason=a.reason, new_due_at=local(a.new_due_at), signed_at=local(a.signed_at)
            )
            for a in d.apologies.all()
        ],
    )


class SecretIn(Input):
    secret: str = PydanticField(..., max_length=64, description="the look-up secret")


@router.post(
    "/dossiers/{code}/lookup",
    auth=None,
    response={200: PublicDossier, 404: Problem, 422: Problem, 429: Problem},
    summary="Look a dossier up by its code, the secret in the body (never in the URL)",
)
def lookup_by_post(request: HttpRequest, code: str, payload: SecretIn) -> Any:
    return _lookup(request, code, payload.secret)


@router.get(
    "/dossiers/{code}",
    auth=None,
    response={200: PublicDossier, 404: Problem, 422: Problem, 429: Problem},
    summary="Look a dossier up by its code and secret (kept for existing clients: prefer POST)",
)
def lookup(request: HttpRequest, code: str, query: Query[LookupQuery]) -> Any:
    """The secret in the query string: logs scrub it (`motcua.access.logs`)."""
    return _lookup(request, code, query.secret)


def _lookup(request: HttpRequest, code: str, secret: str) -> Any:
    """One query when the dossier's snapshot is current (`selectors.public_lookup_row`): the
    answer is the stored JSON with the procedure and the unit read live. A snapshot older than
    the dossier's last event is rebuilt from the models first. A miss is counted under the
    bucket's lock (`access.count_miss`): past the limit, 429 instead of 404."""
    now = timezone.now()
    bucket = _bucket(request)
    limit = access.LOOKUP_MISSES_PER_CLIENT
    row = public_lookup_row(code[:64], bucket=bucket, since=now - limit.window)
    if row.misses >= limit.attempts:
        return _too_many(bucket, now)
    if row.dossier_id is None or len(code) > 64 or not _matches(row.secret_hash, row.code, secret):
        return _missed(bucket, now)
    body = row.snapshot
    if body is None or row.snapshot_event_id != row.last_event_id:
        body = _snapshot(row.code, row.last_event_id)
        if body is None:  # deleted in between
            return _not_found()
    live = json.dumps(
        {
            "code": row.code,
            "procedure": {"code": row.procedure_code, "name": row.procedure_name},
            "unit": row.unit_code,
            "unit_name": row.unit_name,
        }
    )
    return HttpResponse(f"{live[:-1]}, {body[1:]}", content_type="application/json; charset=utf-8")


def _missed(bucket: str, now: datetime) -> HttpResponse:
    """A wrong secret or an unknown code: counted; 404, or 429 once the limit is reached."""
    if access.count_miss(bucket, access.LOOKUP_MISSES_PER_CLIENT, now=now) is not None:
        return _too_many(bucket, now)
    return _not_found()


#: The fields of PublicDossier read live at every look-up rather than kept in the snapshot.
LIVE_FIELDS = frozenset({"code", "procedure", "unit", "unit_name"})


def _snapshot(code: str, last_event_id: int | None) -> str | None:
    """Build the public JSON of dossier ``code`` (without LIVE_FIELDS) and keep it as of
    ``last_event_id``, read BEFORE the models: a change committed in between leaves a snapshot
    newer than its event id, which the next look-up rebuilds."""
    dossier = get_public_dossier(code)
    if dossier is None:
        return None
    data = {k: v for k, v in _public(dossier).model_dump().items() if k not in LIVE_FIELDS}
    body = json.dumps(data, cls=NinjaJSONEncoder)
    if last_event_id is not None:
        save_public_snapshot(dossier_id=dossier.pk, event_id=last_event_id, body=body)
    return body


def _bucket(request: HttpRequest) -> str:
    return f"lookup:client:{client_address(request)}"


def _matches(expected: str, code: str, secret: str) -> bool:
    given = hash_secret(code, secret)
    return bool(secret.strip()) and hmac.compare_digest(expected or "0" * 64, given)


def _too_many(bucket: str, now: datetime) -> HttpResponse:
    wait = access.retry_after(bucket, access.LOOKUP_MISSES_PER_CLIENT, now=now) or 1
    return problem(
        429,
        _("Tra cứu sai quá nhiều lần. Hãy thử lại sau %(n)s phút.")
        % {"n": max(1, (wait + 59) // 60)},
        "too_many_attempts",
        headers={"Retry-After": str(wait)},
    )


def _verified(request: HttpRequest, code: str, secret: str) -> Dossier | HttpResponse:
    """The dossier when the code AND the secret match; else 404 exactly like an unknown code,
    counted per client (429 past the limit)."""
    now = timezone.now()
    bucket = _bucket(request)
    if access.retry_after(bucket, access.LOOKUP_MISSES_PER_CLIENT, now=now) is not None:
        return _too_many(bucket, now)
    dossier = get_public_dossier(code) if len(code) <= 64 else None
    expected = dossier.lookup_secret_hash if dossier is not None else ""
    if dossier is None or not _matches(expected, dossier.code, secret):
        return _missed(bucket, now)
    return dossier


class RatingIn(Schema):
    secret: str = PydanticField(..., max_length=64)
    overall: Literal["very_satisfied", "satisfied", "not_satisfied"]
    comment: str = PydanticField("", max_length=2000)


class RatingOut(Schema):
    code: str
    overall: str
    comment: str
    rated_at: datetime


@router.post(
    "/dossiers/{code}/rating",
    auth=None,
    response={201: RatingOut, 404: Problem, 409: Problem, 422: Problem, 429: Problem},
    summary="Rate the service once the result is ready (once per dossier)",
)
def rate(request: HttpRequest, code: str, payload: RatingIn) -> Any:
    found = _verified(request, code, payload.secret)
    if not isinstance(found, Dossier):
        return found
    rating = rate_dossier(
        dossier_id=found.pk, actor=None, overall=payload.overall, comment=payload.comment
    )
    return Status(
        201,
        RatingOut(
            code=found.code,
            overall=rating.overall,
            comment=rating.comment,
            rated_at=local(rating.at),  # type: ignore[arg-type]
        ),
    )


def _not_found() -> HttpResponse:
    return problem(
        404,
        _(
            "Không tìm thấy hồ sơ với mã hồ sơ và mã tra cứu này. Hãy kiểm tra lại trên Giấy tiếp "
            "nhận hồ sơ và hẹn trả kết quả."
        ),
        "not_found",
    )
