"""``/keys``: API keys (admin only); the token is shown once, at creation."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from api.deps import AdminDep, StoreDep
from api.routes._http import ERRORS
from api.schemas import KeyCreate, KeyCreated, KeyOut
from fishbone.store import KeyInfo

__all__ = ["router"]

router = APIRouter(prefix="/keys", tags=["keys"], responses=ERRORS)


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


@router.get("")
def list_keys(store: StoreDep, _who: AdminDep) -> list[KeyOut]:
    """List every key, revoked ones included (never the tokens)."""
    return [_out(k) for k in store.list_keys()]


@router.post("", status_code=status.HTTP_201_CREATED)
def create_key(
    body: KeyCreate, store: StoreDep, who: AdminDep, response: Response
) -> KeyCreated:
    """Create a key; the response holds its token, shown this once."""
    key, token = store.create_key(name=body.name, scopes=body.scopes, actor=who.name)
    response.headers["Location"] = f"/api/v1/keys/{key.id}"
    return KeyCreated(**_out(key).model_dump(), token=token)


@router.delete("/{key_id}")
def revoke_key(key_id: str, store: StoreDep, who: AdminDep) -> KeyOut:
    """Revoke a key; it stops working at once."""
    return _out(store.revoke_key(key_id, actor=who.name))
