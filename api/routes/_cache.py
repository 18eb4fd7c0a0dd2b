"""In-memory caches of the app: rendered pictures by content hash, decoded tables by revision."""

from __future__ import annotations

import threading
from collections import OrderedDict

from fishbone.store import LoadedTable, Store

__all__ = ["RenderCache", "TableCache"]


class RenderCache:
    """A small thread-safe LRU of rendered bytes by content hash."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        """Return the cached bytes, or None."""
        with self._lock:
            data = self._items.get(key)
            if data is not None:
                self._items.move_to_end(key)
            return data

    def put(self, key: str, data: bytes) -> None:
        """Cache ``data``, dropping the least recently used beyond ``size``."""
        with self._lock:
            self._items[key] = data
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


class TableCache:
    """The latest loaded tables of a few datasets, by (dataset, revision).

    A ranking after a vote or a relabel reuses the decoded records instead of
    reading 100,000s of rows again; a new revision simply misses.
    """

    def __init__(self, size: int = 4) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, int], LoadedTable] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, store: Store, dataset: str, revision: int) -> LoadedTable:
        """Return the dataset's whole table at ``revision``, loading it when missing."""
        key = (dataset, revision)
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        loaded = store.load_table(dataset)
        if self.size:
            with self._lock:
                for old in [k for k in self._items if k[0] == dataset]:
                    del self._items[old]
                self._items[key] = loaded
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return loaded
