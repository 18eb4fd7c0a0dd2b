"""Server settings, read from ``FISHBONE_*`` environment variables or given directly.

Examples:
    >>> Settings(database_url="sqlite:///x.db").is_loopback
    True
    >>> Settings(host="0.0.0.0").is_loopback
    False
"""

from __future__ import annotations

import ipaddress

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings"]

_MIB = 1024 * 1024


class Settings(BaseSettings):
    """Everything ``create_app`` needs; built by the CLI or tests, never at import time.

    Attributes:
        database_url: SQLAlchemy URL of the store (``FISHBONE_DATABASE_URL``).
        host, port: where ``fishbone serve`` binds.
        no_auth: allow anonymous requests (refused unless ``host`` is loopback).
        demo: seed the demo diagram and feedback on start.
        max_request_bytes: largest streamed upload (NDJSON, CSV); larger answers 413.
        max_body_bytes: largest buffered JSON body (diagrams, JSON arrays); larger answers 413.
        max_row_bytes: longest feedback row; longer rows are rejected one by one.
        max_rejects: how many rejected rows an ingest response lists.
        ingest_batch: records per ingest transaction.
        render_cache: how many rendered pictures stay cached in memory.
        table_cache: how many datasets stay decoded in memory for rankings.
        access_log: write one log line per request.
    """

    model_config = SettingsConfigDict(env_prefix="FISHBONE_", extra="forbid")

    database_url: str = "sqlite:///fishbone.db"
    host: str = "127.0.0.1"
    port: int = 8000
    no_auth: bool = False
    demo: bool = False
    max_request_bytes: int = Field(default=1024 * _MIB, gt=0)
    max_body_bytes: int = Field(default=64 * _MIB, gt=0)
    max_row_bytes: int = Field(default=64 * 1024, gt=0)
    max_rejects: int = Field(default=1000, ge=0)
    ingest_batch: int = Field(default=5000, gt=0)
    render_cache: int = Field(default=256, ge=0)
    table_cache: int = Field(default=4, ge=0)
    access_log: bool = True

    @property
    def is_loopback(self) -> bool:
        """Whether the server binds only to a loopback address."""
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False
