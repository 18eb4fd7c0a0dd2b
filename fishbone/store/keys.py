"""API keys: random bearer tokens shown once, stored as their sha256, with scopes.

Scopes: ``read`` (GET anything), ``edit`` (write diagrams), ``ingest`` (create
datasets and push feedback) and ``admin`` (everything, keys included). ``edit``
and ``ingest`` also read; neither grants the other.

Examples:
    >>> sorted(implied_scopes(["ingest"]))
    ['ingest', 'read']
    >>> "edit" in implied_scopes(["admin"])
    True
    >>> hash_token("fb_x") == hash_token("fb_x")
    True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from sqlalchemy import insert, select, update

from fishbone.store.engine import StoreBase, now
from fishbone.store.errors import NotFound
from fishbone.store.tables import ApiKey, AuditEntry

__all__ = [
    "SCOPES",
    "AuditRecord",
    "KeyInfo",
    "KeysMixin",
    "hash_token",
    "implied_scopes",
    "parse_scopes",
]

SCOPES: Final = ("read", "edit", "ingest", "admin")
"""Every scope a key may carry."""

_TOKEN_PREFIX: Final = "fb_"


def hash_token(token: str) -> str:
    """Return the stored form of a token: its sha256 in hex.

    Examples:
        >>> hash_token("fb_secret")[:12]
        'f49d9ff24dca'
    """
    return hashlib.sha256(token.encode()).hexdigest()


def implied_scopes(scopes: Iterable[str]) -> frozenset[str]:
    """Return the scopes a key effectively has (``admin`` is all; every scope reads).

    Examples:
        >>> sorted(implied_scopes(["edit"]))
        ['edit', 'read']
        >>> implied_scopes([])
        frozenset()
    """
    granted = set(scopes)
    if "admin" in granted:
        return frozenset(SCOPES)
    return frozenset(granted | {"read"}) if granted else frozenset()


def parse_scopes(scopes: Iterable[str]) -> tuple[str, ...]:
    """Return the scopes, checked and in canonical order.

    Raises:
        ValueError: when a scope is unknown or none is given.

    Examples:
        >>> parse_scopes(["ingest", "read"])
        ('read', 'ingest')
        >>> parse_scopes(["write"])
        Traceback (most recent call last):
        ...
        ValueError: unknown scope 'write'; use read, edit, ingest or admin
    """
    given = [s.strip() for s in scopes if s.strip()]
    for scope in given:
        if scope not in SCOPES:
            raise ValueError(
                f"unknown scope {scope!r}; use read, edit, ingest or admin"
            )
    if not given:
        raise ValueError("give at least one scope: read, edit, ingest or admin")
    return tuple(s for s in SCOPES if s in given)


@dataclass(frozen=True, slots=True)
class KeyInfo:
    """An API key as listed: never the token, only its first characters."""

    id: str
    name: str
    scopes: tuple[str, ...]
    prefix: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None

    @property
    def active(self) -> bool:
        """Whether the key still works."""
        return self.revoked_at is None


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One audited write."""

    at: dt.datetime
    actor: str
    action: str
    target: str
    detail: str


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is None or value.tzinfo:
        return value
    return value.replace(tzinfo=dt.UTC)


def _info(row: ApiKey) -> KeyInfo:
    created = _utc(row.created_at)
    assert created is not None
    return KeyInfo(
        row.id,
        row.name,
        tuple(row.scopes.split(",")),
        row.prefix,
        created,
        _utc(row.revoked_at),
    )


class KeysMixin(StoreBase):
    """API keys and the audit trail; part of :class:`~fishbone.store.Store`."""

    def create_key(
        self, *, name: str, scopes: Iterable[str], actor: str
    ) -> tuple[KeyInfo, str]:
        """Create a key; return it and its token (shown once, never stored).

        Raises:
            ValueError: when a scope is unknown.
        """
        checked = parse_scopes(scopes)
        token = _TOKEN_PREFIX + secrets.token_urlsafe(32)
        key_id = "key_" + secrets.token_hex(6)
        with self._write() as conn:
            conn.execute(
                insert(ApiKey).values(
                    id=key_id,
                    name=name,
                    scopes=",".join(checked),
                    token_hash=hash_token(token),
                    prefix=token[:10],
                    created_at=now(),
                    revoked_at=None,
                )
            )
            self._audit(conn, actor, "key.create", key_id, name=name, scopes=checked)
        return self.get_key(key_id), token

    def get_key(self, key_id: str) -> KeyInfo:
        """Return one key.

        Raises:
            NotFound: when there is no such key.
        """
        with self._read() as conn:
            row = conn.execute(select(ApiKey).where(ApiKey.id == key_id)).first()
        if row is None:
            raise NotFound("key", key_id)
        return _info(ApiKey(**row._mapping))

    def list_keys(self) -> list[KeyInfo]:
        """Return every key, revoked ones included, oldest first."""
        with self._read() as conn:
            rows = conn.execute(select(ApiKey).order_by(ApiKey.created_at)).all()
        return [_info(ApiKey(**row._mapping)) for row in rows]

    def revoke_key(self, key_id: str, *, actor: str) -> KeyInfo:
        """Revoke a key; it stops working at once.

        Raises:
            NotFound: when there is no such key.
        """
        with self._write() as conn:
            done = conn.execute(
                update(ApiKey)
                .where(ApiKey.id == key_id)
                .where(ApiKey.revoked_at.is_(None))
                .values(revoked_at=now())
            ).rowcount
            if done:
                self._audit(conn, actor, "key.revoke", key_id)
        return self.get_key(key_id)

    def authenticate(self, token: str) -> KeyInfo | None:
        """Return the active key whose token this is, or None."""
        with self._read() as conn:
            row = conn.execute(
                select(ApiKey)
                .where(ApiKey.token_hash == hash_token(token))
                .where(ApiKey.revoked_at.is_(None))
            ).first()
        return None if row is None else _info(ApiKey(**row._mapping))

    def has_active_keys(self) -> bool:
        """Whether any key can sign in."""
        with self._read() as conn:
            return (
                conn.execute(
                    select(ApiKey.id).where(ApiKey.revoked_at.is_(None)).limit(1)
                ).first()
                is not None
            )

    def audit_log(self, *, limit: int = 100) -> list[AuditRecord]:
        """Return the latest audited writes, newest first."""
        with self._read() as conn:
            rows = conn.execute(
                select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
            ).all()
        out = []
        for row in rows:
            entry = AuditEntry(**row._mapping)
            at = _utc(entry.at)
            assert at is not None
            out.append(
                AuditRecord(at, entry.actor, entry.action, entry.target, entry.detail)
            )
        return out
