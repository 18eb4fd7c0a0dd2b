"""The FastAPI application, built by :func:`create_app` from explicit settings.

Examples:
    >>> from fastapi.testclient import TestClient
    >>> client = TestClient(create_app(Settings()))
    >>> client.get("/healthz").json()
    {'status': 'ok'}
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from api.settings import Settings

__all__ = ["create_app"]

_HOME = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fishbone</title></head>
<body><h1>Fishbone</h1>
<p>Cause-and-effect diagrams ranked by customer feedback.</p>
<p><a href="/docs">API documentation</a></p></body></html>
"""


def create_app(settings: Settings) -> FastAPI:
    """Return the application for ``settings``; nothing is built at import time."""
    app = FastAPI(
        title="Fishbone",
        version="0.1.0",
        description="Cause-and-effect (fishbone) diagrams ranked by customer feedback.",
    )
    app.state.settings = settings

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        """Answer when the process is up."""
        return {"status": "ok"}

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home() -> str:
        return _HOME

    return app
