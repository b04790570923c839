"""Small `make_*` helpers with defaults, going through the real services."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction

from motcua.catalog.models import Field, Procedure
from motcua.catalog.services import DocumentSpec, ProcedureSpec, StepSpec, create_procedure
from motcua.core.errors import DomainError
from motcua.dossiers.services import DocumentData
from motcua.org import services as org_services
from motcua.org.models import Staff, Unit

PASSWORD = "mat-khau-thu-nghiem"
_seq = itertools.count(1)


def make_unit(
    *, code: str | None = None, name: str = "", kind: str = "commune", parent: Unit | None = None
) -> Unit:
    n = next(_seq)
    return org_services.create_unit(
        code=code or f"T{n:03d}",
        name=name or f"Phường Thử Nghiệm {n}",
        kind=kind,
        parent=parent,
        actor=None,
    )


def make_staff(*, username: str | None = None, full_name: str = "", roles=()) -> Staff:
    n = next(_seq)
    staff = Staff.objects.create_user(
        username or f"canbo{n}", PASSWORD, full_name=full_name or f"Nguyễn Văn Thử {n}"
    )
    for unit, role in roles:
        org_services.grant_role(staff=staff, unit=unit, role=role, actor=None)
    return staff


def make_procedure(
    *, code: str | None = None, units=(), hours=("2", "4", "2"), target=None, actor=None, **kwargs
) -> Procedure:
    n = next(_seq)
    field, _ = Field.objects.get_or_create(code="HT", defaults={"name": "Hộ tịch"})
    durations = [Decimal(h) for h in hours]
    roles = ["receptionist", "specialist", "leader", "head", "specialist"]
    spec = ProcedureSpec(
        code=code or f"9.{n:06d}",
        name=kwargs.pop("name", f"Thủ tục thử nghiệm {n}"),
        field=field,
        legal_working_days=kwargs.pop("legal_working_days", Decimal(3)),
        target_working_hours=Decimal(target) if target is not None else sum(durations),
        steps=[
            StepSpec(name=f"Bước {i + 1}", role=roles[i % len(roles)], duration_working_hours=d)
            for i, d in enumerate(durations)
        ],
        documents=kwargs.pop("documents", [DocumentSpec(name="Tờ khai")]),
        units=units,
        **kwargs,
    )
    return create_procedure(spec=spec, actor=actor)


def papers(procedure: Procedure) -> list[DocumentData]:
    """The mandatory papers of ``procedure``, as a complete dossier hands them in."""
    return [
        DocumentData(name=d.name, copies=d.copies or 1)
        for d in procedure.documents.all()
        if d.mandatory
    ]


def papers_json(procedure: Procedure) -> list[dict[str, object]]:
    """The same as the API's `documents`."""
    return [{"name": d.name, "copies": d.copies} for d in papers(procedure)]


#: The smallest PNG a test attaches as the file of a paper.
TINY_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def with_files(dossier):
    """An online dossier as the portal makes it: a file for each mandatory paper (the desk
    accepts an online dossier only then, documents.selectors.acceptance_check)."""
    from motcua.documents.services import add_document

    for paper in dossier.procedure.documents.all():
        if paper.mandatory:
            add_document(
                dossier_id=dossier.pk,
                data=TINY_PNG,
                name=f"giay-to-{paper.pk}.png",
                kind="submitted",
                source="online",
                paper_id=paper.pk,
            )
    return dossier


class _Rollback(Exception):
    """Undoes an action tried only to see whether the service accepts it."""


def accepted(call: Callable[[], object]) -> bool:
    """Whether the service ``call`` makes accepts (it ran to the end), rolled back either way;
    False when it refused with a DomainError."""
    try:
        with transaction.atomic():
            call()
            raise _Rollback
    except _Rollback:
        return True
    except DomainError:
        return False
