"""Errors as problem+json (RFC 9457): one shape, a stable ``type`` per error, never a traceback.

One handler maps every :class:`~fishbone.exceptions.FishboneError` through
:data:`PROBLEMS`; the framework's own errors (unknown route, invalid request)
and anything unexpected get the same shape.

Examples:
    >>> problem_for(Forbidden("needs scope 'edit'"))[:2]
    (403, 'forbidden')
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar, Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from fishbone.exceptions import (
    CauseNotFound,
    DiagramInvalid,
    FeedbackError,
    FishboneError,
    FormatError,
    RenderError,
    TemplateNotFound,
)
from fishbone.store.errors import AlreadyExists, NotFound, VersionConflict

__all__ = [
    "PROBLEMS",
    "PROBLEM_TYPE",
    "ApiError",
    "Forbidden",
    "NotReady",
    "PayloadTooLarge",
    "PreconditionRequired",
    "Unauthorized",
    "Unprocessable",
    "install_error_handlers",
    "problem_for",
]

log = logging.getLogger(__name__)

PROBLEM_TYPE: Final = "urn:fishbone:problem:"
"""Prefix of every problem ``type``; the slug after it never changes."""

MEDIA_TYPE: Final = "application/problem+json"


class ApiError(FishboneError):
    """An error of the HTTP layer itself, with its status and slug."""

    status: ClassVar[int] = 400
    slug: ClassVar[str] = "bad-request"

    def __init__(self, detail: str, **extra: Any) -> None:
        self.detail = detail
        self.extra = extra
        super().__init__(detail)


class Unauthorized(ApiError):
    """No valid API key."""

    status = 401
    slug = "unauthorized"


class Forbidden(ApiError):
    """The key lacks the scope the route needs."""

    status = 403
    slug = "forbidden"


class PreconditionRequired(ApiError):
    """A write without ``If-Match``."""

    status = 428
    slug = "precondition-required"


class PayloadTooLarge(ApiError):
    """A body over a configured limit (the limit is named)."""

    status = 413
    slug = "payload-too-large"


class NotReady(ApiError):
    """The database does not answer."""

    status = 503
    slug = "not-ready"


class Unprocessable(ApiError):
    """A body that is well formed HTTP but cannot be used (bad CSV header, not JSON...)."""

    status = 422
    slug = "unprocessable"


PROBLEMS: Final[tuple[tuple[type[Exception], int, str], ...]] = (
    (VersionConflict, 412, "version-conflict"),
    (AlreadyExists, 409, "already-exists"),
    (NotFound, 404, "not-found"),
    (CauseNotFound, 404, "cause-not-found"),
    (TemplateNotFound, 404, "template-not-found"),
    (DiagramInvalid, 422, "diagram-invalid"),
    (FormatError, 422, "format-error"),
    (FeedbackError, 422, "feedback-invalid"),
    (RenderError, 503, "render-failed"),
    (FishboneError, 400, "bad-request"),
)
"""Domain error class -> (HTTP status, problem slug); the first match wins."""


def problem_for(exc: FishboneError) -> tuple[int, str, dict[str, Any]]:
    """Return the status, slug and extension members for a domain error."""
    if isinstance(exc, ApiError):
        return exc.status, exc.slug, dict(exc.extra)
    extra: dict[str, Any] = {}
    if isinstance(exc, VersionConflict):
        extra = {
            "current_version": exc.current,
            "etag": f'"{exc.diagram_id}.v{exc.current}"',
        }
    elif isinstance(exc, DiagramInvalid):
        extra = {
            "problems": [{"where": p.where, "message": p.message} for p in exc.problems]
        }
    elif isinstance(exc, FormatError):
        extra = {"line": exc.line, "field": exc.field}
    for cls, status, slug in PROBLEMS:
        if isinstance(exc, cls):
            return status, slug, extra
    raise AssertionError("FishboneError is the last entry")  # pragma: no cover


def _response(
    request: Request,
    status: int,
    slug: str,
    detail: str,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = {
        "type": PROBLEM_TYPE + slug,
        "title": slug.replace("-", " ").capitalize(),
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **(extra or {}),
    }
    return JSONResponse(body, status, headers=headers, media_type=MEDIA_TYPE)


def _message(exc: FishboneError) -> str:
    return str(exc.args[0]) if isinstance(exc, KeyError) and not str(exc) else str(exc)


async def _domain(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, FishboneError)
    status, slug, extra = problem_for(exc)
    headers = {}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="fishbone"'
    if isinstance(exc, VersionConflict):
        headers["ETag"] = extra["etag"]
    return _response(request, status, slug, _message(exc), extra, headers)


def _plain(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)


async def _invalid(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {
            "loc": _plain(e.get("loc", [])),
            "message": str(e.get("msg", "")),
            "kind": str(e.get("type", "")),
        }
        for e in exc.errors()
    ]
    where = "; ".join(
        f"{'.'.join(map(str, e['loc']))}: {e['message']}" for e in errors[:5]
    )
    return _response(
        request,
        422,
        "request-invalid",
        f"the request is invalid: {where}",
        {"errors": errors},
    )


async def _model(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ValidationError)
    errors = [
        {
            "loc": _plain(e.get("loc", [])),
            "message": str(e.get("msg", "")),
            "kind": str(e.get("type", "")),
        }
        for e in exc.errors()
    ]
    where = "; ".join(
        f"{'.'.join(map(str, e['loc']))}: {e['message']}" for e in errors[:5]
    )
    return _response(
        request,
        422,
        "document-invalid",
        f"the result is not a valid document: {where}",
        {"errors": errors},
    )


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    slugs = {404: "route-not-found", 405: "method-not-allowed"}
    slug = slugs.get(exc.status_code, f"http-{exc.status_code}")
    headers = dict(exc.headers or {})
    return _response(request, exc.status_code, slug, str(exc.detail), headers=headers)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return _response(
        request, 500, "internal-error", "the server failed; the error is in its log"
    )


def install_error_handlers(app: FastAPI) -> None:
    """Make every error answer problem+json."""
    app.add_exception_handler(FishboneError, _domain)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(ValidationError, _model)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
