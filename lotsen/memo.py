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
    """``get`` and item assignment like a dict, at most ``ceiling`` entries (LRU)."""

    def __init__(self, ceiling: int) -> None:
        self.ceiling = ceiling
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self._lock:
            try:
                self._items.move_to_end(key)
            except KeyError:
                return default
            return self._items[key]

    def __getitem__(self, key: Hashable) -> Any:
        value = self.get(key, _MISSING)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def __setitem__(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.ceiling:
                self._items.popitem(last=False)

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


_MISSING = object()
