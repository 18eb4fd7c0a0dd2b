"""``/keys`` and ``/audit``: API keys (the token is shown once) and the audit of writes; admin only."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from api.deps import AdminDep, StoreDep
from api.routes._http import ERRORS
from api.schemas import AuditOut, KeyCreate, KeyCreated, KeyOut
from fishbone.store import KeyInfo

__all__ = ["router"]

router = APIRouter(tags=["keys"], responses=ERRORS)


def _out(key: KeyInfo) -> KeyOut:
    return KeyOut(
        id=key.id,
        name=key.name,
        scopes=list(key.scopes),
        prefix=key.prefix,
        created_at=key.created_at,
        revoked_at=key.revoked_at,
        active=key.active,
    )


@router.get("/keys")
def list_keys(store: StoreDep, _who: AdminDep) -> list[KeyOut]:
    """List every key, revoked ones included (never the tokens)."""
    return [_out(k) for k in store.list_keys()]


@router.post("/keys", status_code=status.HTTP_201_CREATED)
def create_key(
    body: KeyCreate, store: StoreDep, who: AdminDep, response: Response
) -> KeyCreated:
    """Create a key; the response holds its token, shown this once."""
    key, token = store.create_key(name=body.name, scopes=body.scopes, actor=who.name)
    response.headers["Location"] = f"/api/v1/keys/{key.id}"
    return KeyCreated(**_out(key).model_dump(), token=token)


@router.delete("/keys/{key_id}")
def revoke_key(key_id: str, store: StoreDep, who: AdminDep) -> KeyOut:
    """Revoke a key; it stops working at once."""
    return _out(store.revoke_key(key_id, actor=who.name))


@router.get("/audit")
def audit_log(
    store: StoreDep,
    _who: AdminDep,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
) -> list[AuditOut]:
    """List the latest writes (who did what to which object, when), newest first."""
    return [
        AuditOut(
            at=e.at,
            actor=e.actor,
            action=e.action,
            target=e.target,
            detail=json.loads(e.detail or "{}"),
        )
        for e in store.audit_log(limit=limit)
    ]
