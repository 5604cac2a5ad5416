"""A memo with a ceiling: the least recently used answers go first.

The analyses keep their results per stored state and per question (quarter, date, …).
Dates are free for callers to choose, so a plain dict would grow with every new date
asked (a dashboard walking through years, a careless client): this one holds at most
``ceiling`` entries. Safe to share between threads (the web server's thread pool).

>>> m = BoundedMemo(2)
>>> m["a"], m["b"] = 1, 2
>>> m.get("a"), len(m)
(1, 2)
>>> m["c"] = 3  # "b" was used least recently
>>> m.get("b"), sorted(m.keys())
(None, ['a', 'c'])
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

__all__ = ["BoundedMemo"]


class BoundedMemo:
    """``get`` and item assignment like a dict, at most ``ceiling`` entries (LRU); with
    ``max_bytes``, values are byte strings and their total length stays below it too
    (answers of very different size: a quarter's findings are 200 KB, an owner 300 B).

    >>> m = BoundedMemo(100, max_bytes=10)
    >>> m["a"], m["b"] = b"12345", b"67890"
    >>> m["c"] = b"abc"  # 13 bytes: "a" goes
    >>> sorted(m.keys()), m.size
    (['b', 'c'], 8)
    """

    def __init__(self, ceiling: int, max_bytes: int | None = None) -> None:
        self.ceiling = ceiling
        self.max_bytes = max_bytes
        self.size = 0  # bytes held (with max_bytes)
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        # no lock: each OrderedDict call is one step under the interpreter lock, and an
        # entry another thread evicts in between is simply not there (the analysis asks
        # this tens of thousands of times per question; the lock was a sixth of a roll-up)
        items = self._items
        try:
            items.move_to_end(key)
            return items[key]
        except KeyError:
            return default

    def __getitem__(self, key: Hashable) -> Any:
        value = self.get(key, _MISSING)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def __setitem__(self, key: Hashable, value: Any) -> None:
        with self._lock:
            if self.max_bytes is not None:
                old = self._items.get(key)
                self.size += len(value) - (len(old) if old is not None else 0)
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.ceiling or (
                    self.max_bytes is not None and self.size > self.max_bytes
                    and len(self._items) > 1):
                _, gone = self._items.popitem(last=False)
                if self.max_bytes is not None:
                    self.size -= len(gone)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    def keys(self) -> list[Hashable]:
        with self._lock:
            return list(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.size = 0


_MISSING = object()
