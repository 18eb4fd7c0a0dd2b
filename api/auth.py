"""Who is calling: bearer API keys with scopes, or anonymous with ``--no-auth`` on loopback.

Examples:
    >>> from api.settings import Settings
    >>> check_bind(Settings(host="0.0.0.0", no_auth=True), has_keys=True)
    Traceback (most recent call last):
    ...
    api.auth.UnsafeBind: --no-auth is only allowed on a loopback address, not '0.0.0.0'; bind to 127.0.0.1 or create API keys with `fishbone keys create`
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.errors import Forbidden, Unauthorized
from api.settings import Settings
from fishbone.exceptions import FishboneError
from fishbone.store import SCOPES, Store, implied_scopes

__all__ = ["Principal", "UnsafeBind", "bearer", "check_bind", "principal", "require"]

bearer = HTTPBearer(
    auto_error=False,
    description="An API key from `fishbone keys create` (or POST /api/v1/keys).",
)


class UnsafeBind(FishboneError, RuntimeError):
    """The server would be reachable from other hosts without any key."""


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller: the key's name (or ``anonymous``) and its effective scopes."""

    name: str
    scopes: frozenset[str]


def check_bind(settings: Settings, *, has_keys: bool) -> None:
    """Refuse settings that would expose the API without authentication.

    Raises:
        UnsafeBind: for ``--no-auth`` off loopback, or a non-loopback bind with no key.
    """
    if settings.is_loopback:
        return
    if settings.no_auth:
        raise UnsafeBind(
            f"--no-auth is only allowed on a loopback address, not {settings.host!r}; "
            "bind to 127.0.0.1 or create API keys with `fishbone keys create`"
        )
    if not has_keys:
        raise UnsafeBind(
            f"refusing to listen on {settings.host!r} without API keys; create one with "
            "`fishbone keys create --scope admin --name NAME` or bind to 127.0.0.1"
        )


def principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """Return the caller of this request.

    Raises:
        Unauthorized: when the key is missing (and anonymous access is off) or unknown.
    """
    store: Store = request.app.state.store
    settings: Settings = request.app.state.settings
    if credentials is None:
        if settings.no_auth and settings.is_loopback:
            return Principal("anonymous", frozenset(SCOPES))
        raise Unauthorized(
            "this API needs a key: send 'Authorization: Bearer <token>' "
            "(create one with `fishbone keys create`)"
        )
    key = store.authenticate(credentials.credentials)
    if key is None:
        raise Unauthorized("the API key is unknown or revoked; create a new one")
    return Principal(key.name, implied_scopes(key.scopes))


def require(scope: str) -> Callable[..., Awaitable[Principal]]:
    """Return a dependency that lets through callers holding ``scope``."""

    async def check(who: Annotated[Principal, Depends(principal)]) -> Principal:
        if scope not in who.scopes:
            raise Forbidden(
                f"key {who.name!r} lacks scope {scope!r}; "
                f"create a key with `fishbone keys create --scope {scope}`",
                required_scope=scope,
            )
        return who

    check.__name__ = f"require_{scope}"
    return check
