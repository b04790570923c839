"""Schemathesis over real HTTP: every endpoint of /api/v1/openapi.json (the dossier endpoints
among them), called with generated input by a receptionist holding a bearer token, never answers
5xx and every answer — status, content type, headers, body — is one the document describes
(API.md, Conventions).

The server is pytest-django's live server on 127.0.0.1, on the suite's database (SQLite or
PostgreSQL). Examples per operation are bounded so the suite stays fast; the generated cases
include invalid ones (wrong types, missing fields, NUL characters)."""

from __future__ import annotations

import os
import sys

import pytest
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from motcua.access.services import issue_token
from tests.dossiers.helpers import receive
from tests.factories import make_procedure, papers_json

pytestmark = pytest.mark.server

#: A request the schema allows may still be refused for what it means (an unknown unit, a code
#: that does not exist): that is a 404/409/422 with a problem document, not a broken contract.
UNCHECKED = positive_data_acceptance

#: Generated calls per operation: the same ones on every run, unless FUZZ_EXAMPLES=N asks for N
#: random ones (``FUZZ_EXAMPLES=200 pytest tests/api/test_schema_fuzz.py --hypothesis-seed=7``).
EXPLORE = os.environ.get("FUZZ_EXAMPLES")
EXAMPLES = int(EXPLORE or 25)


@pytest.fixture
def procedure(transactional_db, office):
    procedure = make_procedure(units=[office.ward], online_mode="full")
    receive(office, procedure, now=timezone.now())
    return procedure


@pytest.fixture
def api_schema(live_server, procedure):
    return schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")


@pytest.fixture
def token(office):
    return issue_token(staff=office.receptionist)[0]


def test_every_endpoint_keeps_its_contract(api_schema, token, live_server, office):
    headers = {"Authorization": f"Bearer {token}"}
    # Revoking the suite's token would leave every later operation answering 401: the revocation
    # is fuzzed with a token of its own (its later calls answer the documented 401).
    own = {"Authorization": f"Bearer {issue_token(staff=office.receptionist)[0]}"}
    failures: list[str] = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 40, [op.label for op in operations]
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            derandomize=EXPLORE is None,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            sent = own if case.operation.path.endswith("/auth/token/revoke") else headers
            case.call_and_validate(
                base_url=live_server.url, headers=sent, excluded_checks=[UNCHECKED]
            )

        try:
            check()
        except (Exception, BaseExceptionGroup) as exc:  # each operation reported, then it fails
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)


def test_the_fuzzer_follows_the_links_from_a_creation_to_its_actions(
    api_schema, token, live_server, office, procedure
):
    """The OpenAPI links of ``POST /api/v1/dossiers`` and ``POST /api/v1/feedback`` lead to the
    actions on what was created; schemathesis' stateful run follows them (a dossier received on
    a real procedure, then assigned, completed, refused…) and every answer keeps the contract."""
    paths = api_schema.raw_schema["paths"]
    for path, action in (
        ("/api/v1/dossiers", "/api/v1/dossiers/{code}/complete-step"),
        ("/api/v1/feedback", "/api/v1/feedback/{feedback_id}/answer"),
    ):
        links = paths[path]["post"]["responses"]["201"]["links"]
        assert paths[action]["post"]["operationId"] in links, (path, sorted(links))

    headers = {"Authorization": f"Bearer {token}"}
    reception = {
        "procedure": procedure.code,
        "unit": office.ward.code,
        "applicant": {"name": "Nguyễn Văn An", "id_number": "001099012345"},
        "documents": papers_json(procedure),
    }
    answered: list[tuple[str, int]] = []

    class Workflow(api_schema.as_state_machine()):  # type: ignore[misc]
        def before_call(self, case):
            # generated codes and papers are never a real procedure's: the creation is a real
            # reception (the per-operation run fuzzes it), so the links lead to a real dossier
            if case.operation.label == "POST /api/v1/dossiers":
                case.body = dict(reception)
            if case.operation.label == "POST /api/v1/feedback" and isinstance(case.body, dict):
                case.body["intake_unit"] = office.ward.code

        def get_call_kwargs(self, case):
            return {"base_url": live_server.url, "headers": headers}

        def after_call(self, response, case):
            super().after_call(response, case)
            answered.append((case.operation.label, response.status_code))

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(
                response,
                excluded_checks=[UNCHECKED],
                transport_kwargs=kwargs,
                recorder=self.recorder,
            )

    Workflow.run(
        settings=settings(
            max_examples=int(EXPLORE or 15),
            stateful_step_count=6,
            derandomize=EXPLORE is None,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    # the run did receive dossiers and then acted on them (not only on codes that do not exist)
    assert ("POST /api/v1/dossiers", 201) in answered, sorted(set(answered))
    acted = {
        (label, status)
        for label, status in answered
        if label.startswith("POST /api/v1/dossiers/{code}/") and status not in (404, 422)
    }
    assert acted, sorted(set(answered))


def test_no_two_response_shapes_share_a_name():
    """django-ninja names each OpenAPI component after its class: two classes of one name would
    leave one of them described by the other's schema."""
    import inspect

    from ninja import Schema

    from motcua.api import api as _api  # noqa: F401 - imports every router module

    names: dict[str, set[str]] = {}
    for module_name, module in list(sys.modules.items()):
        if not module_name.startswith("motcua.api."):
            continue
        for name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, Schema) and value.__module__ == module_name:
                names.setdefault(name, set()).add(module_name)
    assert not {name: where for name, where in names.items() if len(where) > 1}
