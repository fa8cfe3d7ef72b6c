"""A bounded map from keys to values computed once, safe to share between threads (one per session).

When several sessions ask for the same key at once, one computes and the
others wait for its result. The least recently used entries are dropped once
there are more than ``max_entries`` or their sizes add up to more than
``max_bytes``. Values are shared as they are: they must never be changed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class SharedStore:
    """Least-recently-used values, each computed once, bounded by count and by bytes."""

    def __init__(self, max_entries: int, max_bytes: int, size: Callable[[Any], int]) -> None:
        self.max_entries, self.max_bytes, self._size = max_entries, max_bytes, size
        self._lock = threading.Lock()
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._pending: dict[Hashable, threading.Event] = {}
        self.bytes = 0
        self.computed = 0           # how many values were computed (the rest were shared)

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The value for ``key``, computing it with ``compute()`` only if no one has or is."""
        while True:
            with self._lock:
                if key in self._items:
                    self._items.move_to_end(key)
                    return self._items[key][0]
                waiting = self._pending.get(key)
                if waiting is None:
                    self._pending[key] = threading.Event()
                    break
            waiting.wait()                       # another session is computing it; then look again
        try:
            value = compute()
        except BaseException:
            with self._lock:
                self._pending.pop(key).set()
            raise
        size = self._size(value)
        with self._lock:
            self.computed += 1
            if size <= self.max_bytes:
                self._items[key] = (value, size)
                self.bytes += size
                while len(self._items) > self.max_entries or self.bytes > self.max_bytes:
                    _, (_, dropped) = self._items.popitem(last=False)
                    self.bytes -= dropped
            self._pending.pop(key).set()
        return value
