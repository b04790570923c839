"""RFC 9457 problem documents: the one error shape of the API (API.md, Conventions)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Schema

PROBLEM_CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: "Yêu cầu không hợp lệ",
    401: "Chưa đăng nhập",
    403: "Không có quyền",
    404: "Không tìm thấy",
    405: "Phương thức không được hỗ trợ",
    409: "Không thực hiện được ở trạng thái hiện tại",
    413: "Nội dung quá lớn",
    422: "Dữ liệu không hợp lệ",
    429: "Quá nhiều yêu cầu",
}


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: dict[str, list[str]] | None = None


def problem(
    status: int,
    detail: str,
    code: str,
    *,
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": f"https://motcua.vn/problems/{code}",
        "title": TITLES.get(status, "Lỗi"),
        "status": status,
        "detail": detail,
        "code": code,
    }
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_CONTENT_TYPE
    )
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def not_found(request: HttpRequest | None = None, detail: str = "") -> HttpResponse:
    return problem(404, detail or "Không tìm thấy, hoặc bạn không có quyền xem.", "not_found")
