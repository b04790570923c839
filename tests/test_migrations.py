"""The migrations that moved models between apps keep every row (DESIGN.md: the access and
surveys apps). On a demo city with 200 dossiers and a row in every moved table, the affected
apps go back to before the move, the old tables are counted, and forward again: the new tables
hold the same rows, the tokens keep their ids, and a retried Idempotency-Key still answers the
first dossier. Slow (seconds, a demo city and two migration runs), but part of the normal run."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from motcua.access import services as access
from motcua.access.models import ApiToken, IdempotencyRecord, RateLimitHit
from motcua.dossiers.models import Dossier, Status
from motcua.feedback.models import Feedback
from motcua.feedback.services import Idempotency, receive_feedback
from motcua.org.models import Membership, Role
from motcua.surveys.models import Rating
from motcua.surveys.services import rate_dossier
from tests.factories import make_procedure, papers_json

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

#: The state before the move: the access and surveys apps did not exist.
BEFORE = [
    ("access", None),
    ("surveys", None),
    ("dossiers", "0004_event_kinds_feedback_rated"),
    ("feedback", "0002_category_settings"),
    ("portal", "0001_initial"),
]
OLD_TABLES = {
    "tokens": "dossiers_apitoken",
    "idempotency": "dossiers_idempotencyrecord",
    "attempts": "dossiers_ratelimithit",
    "ratings": "portal_rating",
}
KEY = "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f"


def migrate(targets: list[tuple[str, str | None]] | None = None) -> None:
    """Migrate to ``targets``, or to the latest migrations of every app."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


def count(table: str, where: str = "") -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} {where}")  # noqa: S608
        return int(cursor.fetchone()[0])


def ids(table: str) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {connection.ops.quote_name(table)} ORDER BY id")  # noqa: S608
        return [int(row[0]) for row in cursor.fetchall()]


def receive_through_the_api(client, token: str, unit_code: str, procedure) -> dict:
    answer = client.post(
        "/api/v1/dossiers",
        {
            "procedure": procedure.code,
            "unit": unit_code,
            "channel": "counter",
            "applicant": {"name": "Nguyễn Văn An", "id_number": "001099012345"},
            "documents": papers_json(procedure),
            "note": "",
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": KEY},
    )
    assert answer.status_code == 201, answer.content.decode()
    return answer.json()


def test_moving_the_models_between_apps_keeps_every_row(client):
    call_command("demo", dossiers=200, verbosity=0)

    desk = Membership.objects.filter(role=Role.RECEPTIONIST, active=True).select_related(
        "staff", "unit"
    )[0]
    tokens = [access.issue_token(staff=desk.staff)[0] for _ in range(3)]
    procedure = make_procedure(units=[desk.unit], online_mode="full")
    first = receive_through_the_api(client, tokens[0], desk.unit.code, procedure)
    receive_feedback(
        actor=desk.staff,
        channel="hotline",
        content="Cán bộ hẹn trả kết quả chậm.",
        idempotency=Idempotency(
            scope=f"feedback:staff:{desk.staff.pk}", key="pakn-1", request_hash="h"
        ),
    )
    for i in range(4):
        access.count_attempt(f"lookup:client:10.0.0.{i}", access.LOOKUP_MISSES_PER_CLIENT)
    finished = Dossier.objects.filter(status__in=(Status.READY, Status.RETURNED)).order_by("pk")
    for dossier, level in zip(
        finished[:5], ("very_satisfied", "satisfied", "not_satisfied") * 2, strict=False
    ):
        rate_dossier(dossier_id=dossier.pk, actor=None, overall=level)
    assert Rating.objects.count() == 5
    new = {
        "tokens": ApiToken.objects.count(),
        "idempotency": IdempotencyRecord.objects.count(),
        "attempts": RateLimitHit.objects.count(),
        "ratings": Rating.objects.count(),
    }
    assert new == {"tokens": 3, "idempotency": 2, "attempts": 4, "ratings": 5}
    token_ids = list(ApiToken.objects.order_by("pk").values_list("pk", flat=True))

    try:
        migrate(BEFORE)
        tables = set(connection.introspection.table_names())
        assert not {"access_apitoken", "surveys_rating"} & tables
        old = {name: count(table) for name, table in OLD_TABLES.items()}
        old_token_ids = ids("dossiers_apitoken")
        # The feedback's key is back on the item; the access table keeps only dossiers' keys.
        keyed_feedback = count("feedback_feedback", "WHERE idempotency_key <> ''")
    finally:
        migrate()  # the other tests run at the latest schema

    assert old == {**new, "idempotency": new["idempotency"] - 1}
    assert keyed_feedback == 1
    assert old_token_ids == token_ids
    assert {
        "tokens": ApiToken.objects.count(),
        "idempotency": IdempotencyRecord.objects.count(),
        "attempts": RateLimitHit.objects.count(),
        "ratings": Rating.objects.count(),
    } == {**old, "idempotency": old["idempotency"] + keyed_feedback}
    assert list(ApiToken.objects.order_by("pk").values_list("pk", flat=True)) == token_ids
    assert set(IdempotencyRecord.objects.values_list("kind", flat=True)) == {"dossier", "feedback"}
    assert (
        IdempotencyRecord.objects.get(kind="feedback").result_id
        == Feedback.objects.get(content="Cán bộ hẹn trả kết quả chậm.").pk
    )

    before = Dossier.objects.count()
    again = receive_through_the_api(client, tokens[1], desk.unit.code, procedure)
    assert (again["code"], again["lookup_secret"]) == (first["code"], first["lookup_secret"])
    assert Dossier.objects.count() == before
