"""Reads of dossiers, always scoped to what the caller may see (STYLE §1).

Visibility: a staff member sees the dossiers received by a unit where they hold any active role,
and those with a step handled by such a unit (an inter-agency step at a department makes the
ward's dossier visible to that department). Another unit's dossier does not exist for them
(404, not 403). Superusers see every dossier.

Work lists put the green lane first, then the nearest due. Every list is a bounded number of
queries: the related rows come with `select_related` / `prefetch_related`, never in a loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

import psycopg
from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.access.models import RateLimitHit
from motcua.catalog.models import Procedure
from motcua.dossiers import policy
from motcua.dossiers.errors import DossierNotFound
from motcua.dossiers.models import (
    OPEN_STATUSES,
    OPEN_STEP_STATUSES,
    Apology,
    Dossier,
    DossierStep,
    Event,
    PublicSnapshot,
    Status,
    StepStatus,
    SupplementRequest,
)
from motcua.org.models import Membership, Role, Staff, Unit
from motcua.org.selectors import current_memberships, roles_of, supervised_unit_ids


def _my_unit_ids(staff: Staff) -> QuerySet[Membership, Any]:
    return current_memberships().filter(staff=staff).values("unit_id")


def _received_or_handled_in(units: Any) -> Q:
    step_here = DossierStep.objects.filter(dossier=OuterRef("pk"), unit_id__in=units)
    return Q(unit_id__in=units) | Q(Exists(step_here))


def dossiers_supervised_by(staff: Staff) -> QuerySet[Dossier]:
    """The dossiers of the units a supervisor inspects (their unit and every unit below it):
    received there or with a step there."""
    if not staff.is_active:
        return Dossier.objects.none()
    if staff.is_superuser:
        return Dossier.objects.all()
    supervised = supervised_unit_ids(staff)
    if not supervised:
        return Dossier.objects.none()
    return Dossier.objects.filter(_received_or_handled_in(list(supervised)))


def dossiers_visible_to(staff: Staff) -> QuerySet[Dossier]:
    """What a person may read: the dossiers their units handle, and those of the units a
    supervisor inspects (read-only, without the applicant's personal data). Everything else does
    not exist for them (404). The office, the API, the PDFs and the exports all read through
    this one scope."""
    if not staff.is_active:
        return Dossier.objects.none()
    if staff.is_superuser:
        return Dossier.objects.all()
    q = _received_or_handled_in(_my_unit_ids(staff))
    supervised = supervised_unit_ids(staff)
    if supervised:
        q |= _received_or_handled_in(list(supervised))
    return Dossier.objects.filter(q)


def personal_scope_q(staff: Staff) -> Q:
    """The dossiers whose applicant's personal data ``staff`` may see, as a filter (the rule of
    `may_see_personal_data` in SQL: the search matches a name or a number only there)."""
    if staff.is_superuser:
        return Q()
    return _received_or_handled_in(_my_unit_ids(staff))


def may_see_personal_data(actor: policy.Actor, dossier: Dossier) -> bool:
    """Only staff of the dossier's units (the receiving unit, a unit handling a step; from the
    prefetched steps) see the applicant's name, ID number, phone, email and address, and the
    official forms that print them; a supervisor of a unit above reads the rest."""
    if actor.superuser:
        return True
    if not actor.active:
        return False
    return bool({dossier.unit_id, *(s.unit_id for s in dossier.steps.all())} & actor.unit_ids)


def with_details(qs: QuerySet[Dossier], *, events: bool = True) -> QuerySet[Dossier]:
    """Everything a Dossier document shows (and the policy needs: steps, apologies, supplement
    requests), in a fixed number of queries; ``events`` adds the timeline."""
    qs = qs.select_related("procedure", "unit", "applicant").prefetch_related(
        Prefetch(
            "steps",
            queryset=DossierStep.objects.select_related("unit", "assignee").order_by("order"),
        ),
        Prefetch(
            "apologies",
            queryset=Apology.objects.select_related("drafted_by", "signed_by").order_by(
                "drafted_at", "pk"
            ),
        ),
        Prefetch(
            "supplement_requests",
            queryset=SupplementRequest.objects.order_by("requested_at", "pk"),
        ),
    )
    if events:
        qs = qs.prefetch_related(
            Prefetch("events", queryset=Event.objects.select_related("actor").order_by("at", "pk"))
        )
    return qs


def get_dossier_for(staff: Staff, code: str, *, personal: bool = False) -> Dossier:
    """The dossier ``code`` with its details, or DossierNotFound (404) when it is not visible
    to ``staff`` — or, with ``personal`` (the official forms, which print the applicant's
    personal data), when they are not staff of the dossier's units."""
    dossier = None
    if "\x00" not in code:
        dossier = (
            with_details(dossiers_visible_to(staff))
            .annotate(code_upper=Upper("code"))
            .filter(code_upper=code.upper())
            .first()
        )
    if dossier is not None and personal and not may_see_personal_data(actor_facts(staff), dossier):
        dossier = None
    if dossier is None:
        raise DossierNotFound(
            _("Không tìm thấy hồ sơ %(code)s, hoặc hồ sơ không thuộc đơn vị của bạn.")
            % {"code": code}
        )
    return dossier


def get_public_dossier(code: str) -> Dossier | None:
    """For the public look-up (the caller checks the secret): steps and signed apologies."""
    if "\x00" in code:
        return None
    return (
        Dossier.objects.select_related("procedure", "unit", "applicant")
        .prefetch_related(
            Prefetch("steps", queryset=DossierStep.objects.order_by("order")),
            Prefetch(
                "apologies",
                queryset=Apology.objects.filter(status="signed").order_by("signed_at", "pk"),
            ),
        )
        .annotate(code_upper=Upper("code"))
        .filter(code_upper=code.upper())
        .first()
    )


@dataclass(frozen=True, slots=True)
class PublicLookupRow:
    """What the public look-up needs from one round trip (`public_lookup_row`)."""

    misses: int  # the client's counted misses inside the rate-limit window
    dossier_id: int | None  # None: no dossier has this code
    code: str  # the code as stored (the look-up matches it in any case)
    secret_hash: str
    last_event_id: int | None
    snapshot_event_id: int | None  # None: no snapshot yet
    snapshot: str | None
    procedure_code: str
    procedure_name: str
    unit_code: str
    unit_name: str


@lru_cache(maxsize=1)
def _public_lookup_sql() -> str:
    q = connection.ops.quote_name

    def t(model: type[Any]) -> str:
        return q(model._meta.db_table)

    # Names come from the models' metadata; every value is a bound parameter.
    return (
        f"SELECT (SELECT COUNT(*) FROM {t(RateLimitHit)} h"  # noqa: S608
        f" WHERE h.{q('bucket')} = %s AND h.{q('at')} > %s),"
        f" d.{q('id')}, d.{q('lookup_secret_hash')},"
        f" (SELECT MAX(e.{q('id')}) FROM {t(Event)} e WHERE e.{q('dossier_id')} = d.{q('id')}),"
        f" s.{q('event_id')}, s.{q('body')}, p.{q('code')}, p.{q('name')}, u.{q('code')},"
        f" u.{q('name')}, d.{q('code')}"
        f" FROM (SELECT 1 AS {q('one')}) o"
        f" LEFT JOIN {t(Dossier)} d ON UPPER(d.{q('code')}) = %s"
        f" LEFT JOIN {t(PublicSnapshot)} s ON s.{q('dossier_id')} = d.{q('id')}"
        f" LEFT JOIN {t(Procedure)} p ON p.{q('id')} = d.{q('procedure_id')}"
        f" LEFT JOIN {t(Unit)} u ON u.{q('id')} = d.{q('unit_id')}"
    )


def public_lookup_row(code: str, *, bucket: str, since: datetime) -> PublicLookupRow:
    """The public look-up in ONE query: the misses of rate-limit ``bucket`` after ``since``, the
    dossier ``code`` (its secret's hash, its last event, its public snapshot, its procedure and
    unit). Plain strings and numbers only, so the answer can be served without building models
    (bench/api.py measures it against a bare read)."""
    if "\x00" in code:
        code = ""
    params = [bucket, connection.ops.adapt_datetimefield_value(since), code.upper()]
    if connection.vendor == "postgresql":
        # A server-side prepared statement: PostgreSQL plans this join once per connection.
        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as raw:
            raw.execute(_public_lookup_sql(), params, prepare=True)
            row = raw.fetchone()
    else:
        with connection.cursor() as cursor:
            cursor.execute(_public_lookup_sql(), params)
            row = cursor.fetchone()
    if row is None:  # never: the query selects from a one-row table
        raise RuntimeError("the public look-up query answered no row")
    return PublicLookupRow(
        misses=int(row[0] or 0),
        dossier_id=row[1],
        secret_hash=row[2] or "",
        last_event_id=row[3],
        snapshot_event_id=row[4],
        snapshot=row[5],
        procedure_code=row[6] or "",
        procedure_name=row[7] or "",
        unit_code=row[8] or "",
        unit_name=row[9] or "",
        code=row[10] or "",
    )


def save_public_snapshot(*, dossier_id: int, event_id: int, body: str) -> None:
    """Store (or replace) the public look-up's answer of a dossier as of ``event_id``."""
    PublicSnapshot.objects.bulk_create(
        [PublicSnapshot(dossier_id=dossier_id, event_id=event_id, body=body)],
        update_conflicts=True,
        unique_fields=["dossier"],
        update_fields=["event_id", "body"],
    )


def work_order(qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """Green lane first, then the nearest due (dossiers without a due last), then the code."""
    return qs.order_by("-green_lane", F("due_at").asc(nulls_last=True), "code")


def overdue_q(now: datetime) -> Q:
    """Open dossiers past their current appointment (a paused one: past it when it paused)."""
    return Q(status__in=[Status.RECEIVED, Status.IN_PROGRESS], due_at__lt=now) | Q(
        status=Status.AWAITING_SUPPLEMENT, due_at__lt=F("paused_at")
    )


def rescheduled_late_q(now: datetime) -> Q:
    """Open dossiers NOT past the appointment the citizen holds now (`overdue_q`) but past their
    statutory due: a signed apology gave them a new date (D9). The statistics count them as
    overdue (D7 judges against the statutory due), so a board that shows `overdue_q` shows these
    beside it and the two agree."""
    running = Q(status__in=[Status.RECEIVED, Status.IN_PROGRESS], original_due_at__lt=now)
    paused = Q(status=Status.AWAITING_SUPPLEMENT, original_due_at__lt=F("paused_at"))
    return (running | paused) & ~overdue_q(now)


def _local_midnight(on: date) -> datetime:
    return datetime.combine(on, time(0), tzinfo=timezone.get_current_timezone())


def list_dossiers(
    staff: Staff,
    *,
    status: str | None = None,
    unit_code: str | None = None,
    overdue: bool | None = None,
    green_lane: bool | None = None,
    assignee: Staff | None = None,
    received_from: date | None = None,
    received_to: date | None = None,
    now: datetime | None = None,
) -> QuerySet[Dossier]:
    """The visible dossiers, filtered, in work order. ``received_from``/``received_to`` are local
    dates, both inclusive. ``assignee``: dossiers whose open step is assigned to that person."""
    now = now or timezone.now()
    qs = dossiers_visible_to(staff)
    if status:
        qs = qs.filter(status=status)
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    if overdue is not None:
        qs = qs.filter(overdue_q(now)) if overdue else qs.exclude(overdue_q(now))
    if green_lane is not None:
        qs = qs.filter(green_lane=green_lane)
    if assignee is not None:
        mine = DossierStep.objects.filter(
            dossier=OuterRef("pk"), assignee=assignee, status__in=OPEN_STEP_STATUSES
        )
        qs = qs.filter(Exists(mine))
    if received_from is not None:
        qs = qs.filter(received_at__gte=_local_midnight(received_from))
    if received_to is not None:
        qs = qs.filter(received_at__lt=_local_midnight(received_to + timedelta(days=1)))
    return work_order(qs)


def list_work(staff: Staff) -> QuerySet[DossierStep]:
    """The open steps the person may handle: assigned to them, or unassigned in a unit where
    they hold the step's role. Green lane first, then the nearest due."""
    roles = current_memberships().filter(
        staff=staff,
        unit_id=OuterRef("unit_id"),
        role=OuterRef("role"),
    )
    return (
        DossierStep.objects.filter(status__in=OPEN_STEP_STATUSES, dossier__status__in=OPEN_STATUSES)
        .filter(Q(assignee=staff) | (Q(assignee__isnull=True) & Exists(roles)))
        .select_related("dossier", "dossier__procedure", "unit", "assignee")
        .order_by("-dossier__green_lane", F("due_at").asc(nulls_last=True), "dossier__code")
    )


# ----------------------------------------------------------------------- derived, per instance
def current_step(dossier: Dossier) -> DossierStep | None:
    """The step the dossier is at (from the prefetched steps): the first active or paused one."""
    return next(
        (s for s in dossier.steps.all() if s.status in (StepStatus.ACTIVE, StepStatus.PAUSED)),
        None,
    )


def dossier_is_overdue(dossier: Dossier, now: datetime) -> bool:
    return policy.dossier_overdue(
        status=dossier.status, due_at=dossier.due_at, paused_at=dossier.paused_at, now=now
    )


def step_is_overdue(step: DossierStep, now: datetime) -> bool:
    return policy.step_overdue(
        status=step.status,
        counted=step.counted,
        due_at=step.due_at,
        paused_at=step.paused_at,
        now=now,
    )


# ------------------------------------------------------------------------------ policy facts
def labels() -> policy.Labels:
    """Status and role labels in the active language, for the policy's sentences."""
    return policy.Labels(
        status={s.value: str(s.label) for s in Status},
        role={r.value: str(r.label) for r in Role},
    )


def actor_facts(staff: Staff) -> policy.Actor:
    """The policy's view of a staff member: their roles now (one query)."""
    return policy.Actor(
        id=staff.pk,
        username=staff.username,
        active=staff.is_active,
        roles=roles_of(staff),
        superuser=staff.is_superuser,
    )


def _fields(row: Any, names: Sequence[str]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in names}


#: The fields the policy's facts copy from the models as they are.
_STEP_FIELDS = ("order", "name", "unit_id", "role", "assignee_id", "status", "counted")
_STEP_TIMES = ("started_at", "due_at", "paused_at", "finished_at")
_APOLOGY_FIELDS = ("step_id", "status", "new_due_at", "signed_at")
_DOSSIER_FIELDS = ("code", "status", "unit_id", "due_at", "extension_used")


def _step_facts(s: DossierStep) -> policy.StepFacts:
    return policy.StepFacts(
        id=s.pk,
        unit_name=s.unit.name,
        assignee_name=s.assignee.get_full_name() if s.assignee is not None else "",
        **_fields(s, _STEP_FIELDS + _STEP_TIMES),
    )


def facts_of(
    dossier: Dossier,
    *,
    steps: Sequence[DossierStep] | None = None,
    apologies: Sequence[Apology] | None = None,
    open_request: bool | None = None,
) -> policy.DossierFacts:
    """The policy's view of ``dossier``: its steps (with their units and assignees), apologies
    and whether a supplement request is open — from the arguments, else from the prefetched
    relations (`with_details`), else read."""
    steps = list(dossier.steps.all()) if steps is None else steps
    apologies = list(dossier.apologies.all()) if apologies is None else apologies
    if open_request is None:
        if "supplement_requests" in getattr(dossier, "_prefetched_objects_cache", {}):
            open_request = any(r.answered_at is None for r in dossier.supplement_requests.all())
        else:
            open_request = dossier.supplement_requests.filter(answered_at__isnull=True).exists()
    return policy.DossierFacts(
        unit_name=dossier.unit.name,
        open_request=open_request,
        steps=tuple(_step_facts(s) for s in sorted(steps, key=lambda s: s.order)),
        apologies=tuple(
            policy.ApologyFacts(id=a.pk, **_fields(a, _APOLOGY_FIELDS)) for a in apologies
        ),
        **_fields(dossier, _DOSSIER_FIELDS),
        labels=labels(),
    )
