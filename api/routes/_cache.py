"""An in-memory LRU of rendered pictures, keyed by content hash."""

from __future__ import annotations

import threading
from collections import OrderedDict

__all__ = ["RenderCache"]


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
