"""The FastAPI application, built by :func:`create_app` from explicit settings.

Examples:
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     url = f"sqlite:///{pathlib.Path(tmp) / 'f.db'}"
    ...     app = create_app(Settings(database_url=url))
    ...     app.state.store.close()
    >>> "/api/v1/diagrams/{diagram_id}/ranking" in app.openapi()["paths"]
    True
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import diagrams
from api.auth import check_bind
from api.errors import PROBLEM_TYPE, NotReady, install_error_handlers
from api.home import home_page
from api.routes import api_router
from api.routes._cache import RenderCache, TableCache
from api.schemas import Health, ProblemDetails, Ready
from api.settings import Settings
from fishbone.store import Store

__all__ = ["AccessLog", "BodyLimit", "create_app"]

log = logging.getLogger(__name__)
access_log = logging.getLogger("fishbone.access")

_STREAMED = ("/records.ndjson", "/records.csv")

_DESCRIPTION = """Cause-and-effect (fishbone) diagrams ranked by customer feedback.

* Authenticate with `Authorization: Bearer <token>` (create keys with
  `fishbone keys create --scope ingest --name nightly-survey`). Scopes: `read`,
  `edit` (diagrams), `ingest` (datasets and feedback), `admin` (everything).
* Every diagram has an ETag; writes need it in `If-Match` (428 without, 412 when
  someone saved first: the problem body holds the current version).
* Errors are `application/problem+json` (RFC 9457) with a stable `type`.
"""


class AccessLog:
    """Pure ASGI middleware: one log line per request (method, path, status, ms, client)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; log it when the response is done."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            client = scope.get("client")
            access_log.info(
                "method=%s path=%s status=%d ms=%.1f client=%s",
                scope["method"],
                scope["path"],
                status,
                (time.perf_counter() - start) * 1000,
                client[0] if client else "-",
            )


class BodyLimit:
    """Pure ASGI middleware: bodies over ``max_body_bytes`` answer 413 before any route runs.

    Streamed uploads (NDJSON, CSV) are left alone: they have their own limit
    and never hold the whole body.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Read the body up to the limit, then hand it on (or answer 413)."""
        if (
            scope["type"] != "http"
            or scope["method"] in ("GET", "HEAD", "DELETE", "OPTIONS")
            or scope["path"].endswith(_STREAMED)
        ):
            await self.app(scope, receive, send)
            return
        limit: int = scope["app"].state.settings.max_body_bytes
        messages: list[Message] = []
        seen = 0
        while True:
            message = await receive()
            messages.append(message)
            seen += len(message.get("body", b""))
            if seen > limit:
                await _too_large(scope, receive, send, limit)
                return
            if message["type"] != "http.request" or not message.get("more_body"):
                break

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


async def _too_large(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    body = {
        "type": PROBLEM_TYPE + "payload-too-large",
        "title": "Payload too large",
        "status": 413,
        "detail": f"the body is over the {limit}-byte limit (max_body_bytes)",
        "instance": scope["path"],
        "limit": limit,
    }
    response = JSONResponse(body, 413, media_type="application/problem+json")
    await response(scope, receive, send)


def _health(app: FastAPI) -> None:
    @app.get("/healthz", tags=["health"])
    def healthz() -> Health:
        """Answer when the process is up."""
        return Health(status="ok")

    @app.get(
        "/readyz",
        tags=["health"],
        responses={
            503: {
                "model": ProblemDetails,
                "description": "The database does not answer.",
            }
        },
    )
    def readyz(request: Request) -> Ready:
        """Answer 200 when the database is reachable, 503 when not."""
        store: Store = request.app.state.store
        if not store.ping():
            raise NotReady("the database does not answer; check FISHBONE_DATABASE_URL")
        return Ready(status="ok", database=store.backend)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request) -> str:
        store: Store = request.app.state.store
        settings: Settings = request.app.state.settings
        return home_page(
            store.list_diagrams(), store.list_datasets(), pictures=settings.no_auth
        )


def create_app(
    settings: Settings,
    *,
    store: Store | None = None,
    renderer: diagrams.Renderer | None = None,
) -> FastAPI:
    """Return the application for ``settings``; nothing is built at import time.

    Args:
        settings: the server settings.
        store: an open store; by default one is opened at ``settings.database_url``
            (and migrated).
        renderer: draws pictures; Graphviz by default, a fake in tests.

    Raises:
        UnsafeBind: when the settings would expose the API without authentication.
    """
    own_store = store is None
    store = Store(settings.database_url) if store is None else store
    has_keys = store.has_active_keys()
    check_bind(settings, has_keys=has_keys)
    if not has_keys and not settings.no_auth:
        log.warning(
            "no API keys yet: every request will answer 401; create one with "
            "`fishbone keys create --scope admin --name NAME` (or use --no-auth on loopback)"
        )
    if settings.demo:
        from api.demo import seed_demo

        seed_demo(store)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if own_store:
            store.close()

    app = FastAPI(
        title="Fishbone",
        version="0.1.0",
        description=_DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.renderer = diagrams.GraphvizRenderer() if renderer is None else renderer
    app.state.render_cache = RenderCache(settings.render_cache)
    app.state.table_cache = TableCache(settings.table_cache)
    install_error_handlers(app)
    app.add_middleware(BodyLimit)
    if settings.access_log:
        app.add_middleware(AccessLog)
    _health(app)
    app.include_router(api_router())
    return app
