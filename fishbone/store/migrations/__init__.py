"""Alembic migrations of the store, applied by :func:`fishbone.store.engine.migrate`."""

__all__: list[str] = []
