"""Server settings, read from ``FISHBONE_*`` environment variables or given directly.

Examples:
    >>> Settings(database_url="sqlite:///x.db").is_loopback
    True
"""

from __future__ import annotations

import ipaddress

from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings"]


class Settings(BaseSettings):
    """Everything ``create_app`` needs; built by the CLI or tests, never at import time."""

    model_config = SettingsConfigDict(env_prefix="FISHBONE_", extra="forbid")

    database_url: str = "sqlite:///fishbone.db"
    host: str = "127.0.0.1"
    port: int = 8000
    no_auth: bool = False
    demo: bool = False

    @property
    def is_loopback(self) -> bool:
        """Whether the server binds only to a loopback address."""
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False
