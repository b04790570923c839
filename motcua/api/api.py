"""The NinjaAPI of /api/v1/: authentication, routers, and problem+json for every error."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import SessionAuth

from motcua.api import queue
from motcua.api.auth import BearerToken
from motcua.api.auth import router as auth_router
from motcua.api.calendar import router as calendar_router
from motcua.api.catalog import router as catalog_router
from motcua.api.documents import people_router as people_documents_router
from motcua.api.documents import public_router as public_documents_router
from motcua.api.documents import router as documents_router
from motcua.api.dossiers import router as dossiers_router
from motcua.api.feedback import focal_points_router
from motcua.api.feedback import public_router as public_feedback_router
from motcua.api.feedback import router as feedback_router
from motcua.api.payments import router as payments_router
from motcua.api.problems import PROBLEM_CONTENT_TYPE, problem
from motcua.api.public import router as public_router
from motcua.api.queue import bookings_router as public_bookings_router
from motcua.api.queue import public_router as public_queue_router
from motcua.api.queue import router as queue_router
from motcua.api.signatures import router as signatures_router
from motcua.api.stats import router as stats_router
from motcua.core.errors import DomainError


class StaffSession(SessionAuth):
    """A logged-in staff browser session (CSRF applies to unsafe methods)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


#: OpenAPI links from a creation to the actions on what it created: the created object's path
#: parameter, taken from the 201 body (a client, and the fuzzer, follow them).
LINKS = {
    ("/api/v1/dossiers", "post"): ("/api/v1/dossiers/{code}/", "code", "$response.body#/code"),
    ("/api/v1/feedback", "post"): (
        "/api/v1/feedback/{feedback_id}",
        "feedback_id",
        "$response.body#/id",
    ),
}


def _problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


class MotCuaAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document says what the errors really are: every response whose
    schema is Problem is ``application/problem+json`` (django-ninja writes application/json);
    every operation behind authentication may answer 401 (a missing, expired or revoked token),
    every operation with a parameter or a body 422 (``on_validation_error``);
    a creation links to the actions on what it created (``LINKS``)."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        paths = schema.get("paths", {})
        for operations in paths.values():
            for operation in operations.values():
                for response in operation.get("responses", {}).values():
                    content = response.get("content", {})
                    body = content.get("application/json", {}).get("schema", {})
                    if body.get("$ref", "").endswith("/Problem"):
                        content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
                responses = operation.setdefault("responses", {})
                if operation.get("security") and not {401, "401"} & responses.keys():
                    responses[401] = _problem_response("Unauthorized")
                takes_input = operation.get("parameters") or operation.get("requestBody")
                if takes_input and not {422, "422"} & responses.keys():
                    responses[422] = _problem_response("Unprocessable Content")
        paths[queue.EVENTS_PATH] = queue.EVENTS_OPENAPI  # an async view ninja does not list
        for (path, method), (prefix, parameter, value) in LINKS.items():
            created = paths.get(path, {}).get(method, {}).get("responses", {}).get(201)
            if created is None:
                continue
            created["links"] = {
                operation["operationId"]: {
                    "operationId": operation["operationId"],
                    "parameters": {parameter: value},
                }
                for target, operations in paths.items()
                if target.startswith(prefix) or target == prefix.rstrip("/")
                for operation in operations.values()
                if "{" + parameter + "}" in target
            }
        return schema


api = MotCuaAPI(
    title="MotCua API",
    version="1",
    description="Một cửa điện tử — the HTTP contract of ../shared/API.md.",
    urls_namespace="api-1",
    auth=[BearerToken(), StaffSession()],
)
# The busiest paths first: Django tries the URL patterns in order.
api.add_router("/public", public_router)
api.add_router("/public", signatures_router)
api.add_router("/dossiers", dossiers_router)
api.add_router("/dossiers", documents_router)
api.add_router("/public", public_documents_router)
api.add_router("/people", people_documents_router)
api.add_router("/", catalog_router)
api.add_router("/auth", auth_router)
api.add_router("/calendar", calendar_router)
api.add_router("/feedback", feedback_router)
api.add_router("/public/feedback", public_feedback_router)
api.add_router("/public/focal-points", focal_points_router)
api.add_router("/stats", stats_router)
api.add_router("/", payments_router)
api.add_router("/queue", queue_router)
api.add_router("/public/bookings", public_bookings_router)
api.add_router("/public/queue", public_queue_router)


def _field_name(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "header")]
    return (
        ".".join(
            parts[1:] if len(parts) > 1 and parts[0] in {"payload", "paging", "data"} else parts
        )
        or "request"
    )


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field_name(list(error.get("loc", []))), []).append(str(error.get("msg")))
    fields = ", ".join(errors)
    return problem(
        422,
        f"Dữ liệu không hợp lệ ở: {fields}. Hãy sửa các trường này rồi gửi lại.",
        "invalid",
        errors=errors,
    )


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    errors = {exc.field: [exc.message]} if exc.status == 422 and exc.field else None
    return problem(exc.status, exc.message, exc.code, errors=errors)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem(
        401,
        "Chưa đăng nhập: hãy gửi Authorization: Bearer <token> hoặc đăng nhập.",
        "not_authenticated",
        headers={"WWW-Authenticate": 'Bearer realm="motcua"'},
    )


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem(403, str(exc) or "Vai trò của bạn không được làm việc này.", "forbidden")


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem(404, "Không tìm thấy, hoặc bạn không có quyền xem.", "not_found")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # django-ninja's "Cannot parse request body": a body, not JSON
        message = "Nội dung gửi lên không phải JSON hợp lệ (UTF-8)."
        return problem(422, message, "invalid", errors={"request": [message]})
    return problem(exc.status_code, str(exc), "http_error")
