"""The public face of dossiers (API.md, Public): online submission and the look-up by code.

The look-up shows what the citizen may see — the procedure, the status, the appointment, the
masked applicant name, the steps without the officers, the signed apologies — and never an id
number, phone, email or address. A wrong secret answers exactly like an unknown code (404), and
every miss is counted per client address: 20 misses in 10 minutes answer 429 for the rest of the
window (see `motcua.dossiers.access`).
"""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Schema, Status
from pydantic import Field as PydanticField

from motcua.api.auth import client_address
from motcua.api.dossiers import (
    DossierBase,
    Input,
    ProcedureRef,
    StatusName,
    TimelinessName,
    applicant_data,
    document_data,
    local,
)
from motcua.api.problems import Problem, problem
from motcua.dossiers import access, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.rules import hash_secret, mask_name
from motcua.dossiers.selectors import get_public_dossier
from motcua.portal.services import rate_dossier

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
    response={201: SubmissionOut, 400: Problem, 422: Problem},
    summary="Submit a dossier online",
)
def submit(
    request: HttpRequest,
    payload: SubmissionIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),  # noqa: B008
) -> Status[SubmissionOut]:
    def create() -> services.Created:
        return services.submit_online(
            procedure_code=payload.procedure,
            unit_code=payload.unit,
            applicant=applicant_data(payload.applicant),
            green_lane_group=payload.green_lane,
            documents=document_data(payload.documents),
            note=payload.note,
        )

    if idempotency_key is None:
        created = create()
    else:
        created, _replayed = access.create_once(
            scope="public",
            key=idempotency_key,
            body_hash=access.request_hash(payload.model_dump(mode="json")),
            create=create,
        )
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


@router.get(
    "/dossiers/{code}",
    auth=None,
    response={200: PublicDossier, 404: Problem, 422: Problem, 429: Problem},
    summary="Look a dossier up by its code and secret",
)
def lookup(request: HttpRequest, code: str, query: Query[LookupQuery]) -> Any:
    found = _verified(request, code, query.secret)
    return _public(found) if isinstance(found, Dossier) else found


def _verified(request: HttpRequest, code: str, secret: str) -> Dossier | HttpResponse:
    """The dossier when the code AND the secret match; else 404 exactly like an unknown code,
    counted per client (429 past the limit)."""
    now = timezone.now()
    bucket = f"lookup:client:{client_address(request)}"
    wait = access.retry_after(bucket, access.LOOKUP_MISSES_PER_CLIENT, now=now)
    if wait is not None:
        return problem(
            429,
            _("Tra cứu sai quá nhiều lần. Hãy thử lại sau %(n)s phút.")
            % {"n": max(1, (wait + 59) // 60)},
            "too_many_attempts",
            headers={"Retry-After": str(wait)},
        )
    dossier = get_public_dossier(code) if len(code) <= 64 else None
    expected = dossier.lookup_secret_hash if dossier is not None else "0" * 64
    given = hash_secret(code, secret)
    if not secret.strip() or not hmac.compare_digest(expected, given) or dossier is None:
        access.count_attempt(bucket, access.LOOKUP_MISSES_PER_CLIENT, now=now)
        return _not_found()
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
    rating = rate_dossier(dossier_id=found.pk, overall=payload.overall, comment=payload.comment)
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
