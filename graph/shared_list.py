"""A list that many entities share: equal to a plain list, but it cannot be changed.

A Land-sized network holds three million short lists (the life stages, fields, languages
of a service; the agreements, hand-over steps of a transition). Nearly two thirds are
empty and the rest have only a few thousand distinct contents. Reading a store
(:mod:`graph.formats.trusted`) keeps each content once, as a :class:`SharedList`. The
models are frozen, so nothing changes a field's list in place; should a caller ever try,
the shared list refuses loudly instead of changing every entity that shares it. A copy
(``copy.copy``, ``list(x)``, pickling) is an ordinary list again.

>>> a = SharedList(["de", "tr"])
>>> a == ["de", "tr"], isinstance(a, list)
(True, True)
>>> a.append("ar")
Traceback (most recent call last):
...
TypeError: Diese Liste teilen sich mehrere Einträge; bitte erst kopieren (list(...)).
>>> import copy
>>> b = copy.copy(a)
>>> b.append("ar"); b, type(b).__name__
(['de', 'tr', 'ar'], 'list')
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NoReturn, SupportsIndex

__all__ = ["SharedList", "SharedLists"]

_REFUSED = "Diese Liste teilen sich mehrere Einträge; bitte erst kopieren (list(...))."


class SharedList(list[Any]):
    """An unchangeable list, shared by the entities whose field holds this content."""

    __slots__ = ()

    def _refuse(self, *_args: Any, **_kwargs: Any) -> NoReturn:
        raise TypeError(_REFUSED)

    append = extend = insert = remove = pop = clear = sort = reverse = _refuse
    __setitem__ = __delitem__ = _refuse

    def __iadd__(self, _other: Iterable[Any]) -> NoReturn:  # type: ignore[misc]
        raise TypeError(_REFUSED)

    def __imul__(self, _other: SupportsIndex) -> NoReturn:
        raise TypeError(_REFUSED)

    def __copy__(self) -> list[Any]:
        return list(self)

    def __deepcopy__(self, _memo: dict[int, Any]) -> list[Any]:
        return list(self)  # only immutable items (strings) are ever shared

    def __reduce_ex__(self, _protocol: SupportsIndex) -> tuple[Any, ...]:
        return list, (list(self),)


class SharedLists:
    """One :class:`SharedList` per content, for the entities read in one go.

    >>> pool = SharedLists()
    >>> pool.get(["de"]) is pool.get(["de"]), pool.get([]) is pool.empty
    (True, True)
    """

    __slots__ = ("_by_content", "empty")

    def __init__(self) -> None:
        self.empty = SharedList()
        self._by_content: dict[tuple[Any, ...], SharedList] = {(): self.empty}

    def get(self, items: Iterable[Any]) -> SharedList:
        """The shared list with these (hashable, immutable) items."""
        key = tuple(items)
        found = self._by_content.get(key)
        if found is None:
            found = self._by_content[key] = SharedList(key)
        return found
