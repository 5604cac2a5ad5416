"""Changing one entity of a checked network without checking the whole network again.

A stored network is valid, so after a change of one entity only the rules that can see
that change can fail: the entity's own rules (its references, dates, a transition's
direction), the uniqueness of its id across all kinds, the transitions at a service
whose life stages changed, and – when it is removed – every entity that referred to it.
:func:`changed` checks exactly these with the whole-network checker's own rules
(:func:`graph.network.check_network`, limited to the touched entities), so a refused
change names the same problems, with the same German messages in the same order, as
checking the whole network would (``tests/test_incremental.py`` holds the two against
each other on random networks and edits).

The look-ups a change needs are kept with each network and carried over to the next
one: the position of every entity in its section, and the id indexes of the network.

>>> from graph.model import Municipality
>>> from graph.network import Network
>>> net = Network(name="N", municipalities=[Municipality(id="do", name="Dortmund")])
>>> changed(net, "municipalities", "do", Municipality(id="do", name="Do")).municipalities[0].name
'Do'
>>> changed(net, "municipalities", "do", None).municipalities
[]
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, cast

from pydantic import BaseModel

from graph.errors import InvalidNetworkError, Problem
from graph.model import AcceptedFinding, ReferralFlow
from graph.network import ALL_SECTIONS, Network, _Checker

__all__ = ["Overlay", "changed", "entity_key", "locate", "positions"]

ID_SECTIONS = ("municipalities", "districts", "quarters", "providers", "sites", "services",
               "transitions", "agreements")
"""Sections whose ids must be unique across the whole network, in the checker's order."""

_INDEX = {"quarters": "quarter_index", "providers": "provider_index", "sites": "site_index",
          "services": "service_index", "agreements": "agreement_index",
          "transitions": "transition_index"}
_POSITIONS = "graph.incremental.positions"
_UNCHECKED = ("accepted_findings",)


def entity_key(entity: BaseModel) -> str:
    """The id of an entity (referral flows: ``transition@period_start``; accepted
    findings: the finding's key)."""
    if isinstance(entity, ReferralFlow | AcceptedFinding):
        return entity.key
    return str(getattr(entity, "id"))  # noqa: B009


def positions(net: Network, section: str) -> dict[str, int]:
    """Where each entity of ``section`` stands in its list, by key (made once per
    network; never changed afterwards, a changed network gets its own)."""
    kept: dict[str, dict[str, int]] = net.cache.setdefault(_POSITIONS, {})
    found = kept.get(section)
    if found is None:
        items = getattr(net, section)
        numbers = _numbers(len(items))
        found = {}
        for i, e in enumerate(items):  # the first one, should a key be there twice
            found.setdefault(e.id if section in ID_SECTIONS else entity_key(e), numbers[i])
        kept[section] = found
    return found


_NUMBERS: list[int] = []
_NUMBERS_LOCK = threading.Lock()


def _numbers(n: int) -> list[int]:
    """The numbers 0 … n-1 as objects shared by every table of positions (a Land
    network's 200,000 services and 344,000 transitions would each make their own)."""
    if len(_NUMBERS) < n:
        with _NUMBERS_LOCK:
            _NUMBERS.extend(range(len(_NUMBERS), n))
    return _NUMBERS


def locate(net: Network, section: str, key: str) -> BaseModel | None:
    """The entity of ``section`` with ``key``, or None (a dictionary look-up)."""
    if section in _INDEX:
        index: dict[str, BaseModel] = getattr(net, _INDEX[section])
        return index.get(key)
    at = positions(net, section).get(key)
    return None if at is None else cast(BaseModel, getattr(net, section)[at])


def changed(net: Network, section: str, key: str, entity: BaseModel | None) -> Network:
    """``net`` (valid) with ``entity`` stored under ``key`` in ``section`` (added, or
    replacing the one with that key; None removes it, which must exist).

    Raises :class:`graph.errors.InvalidNetworkError` with the problems the whole-network
    check would find; the result is equal to ``net.with_sections(...)``.
    """
    items: list[BaseModel] = getattr(net, section)
    where = positions(net, section)
    at = where.get(key)
    new_items = list(items)
    if entity is None:
        if at is None:
            raise KeyError(key)
        old: BaseModel | None = new_items[at]
        if section in _UNCHECKED:  # no rule keeps their keys unique: remove every one
            new_items = [e for e in new_items if entity_key(e) != key]
        else:
            del new_items[at]
    elif at is None:
        old = None
        new_items.append(entity)
    else:
        old = new_items[at]
        new_items[at] = entity
    new = net.model_copy(update={section: new_items})
    _carry_over(net, new, section, key, at, entity, len(items))
    problems = list(_EditChecker(new, section, key, old, entity).run())
    if problems:
        raise InvalidNetworkError(problems)
    return new


def _carry_over(net: Network, new: Network, section: str, key: str, at: int | None,
                entity: BaseModel | None, length: int) -> None:
    """Give ``new`` the look-ups of ``net``, changed where the change changed them."""
    kept: dict[str, dict[str, int]] = {
        s: p for s, p in net.cache.get(_POSITIONS, {}).items() if s != section}
    where = net.cache.get(_POSITIONS, {}).get(section)
    if where is not None and entity is not None:
        if at is not None:
            kept[section] = where  # a change keeps its place
        else:
            kept[section] = {**where, key: length}
    new.cache[_POSITIONS] = kept
    for s, name in _INDEX.items():
        index = net.__dict__.get(name)
        if index is None:
            continue
        if s == section:
            index = Overlay.over(index, key, _GONE if entity is None else entity)
        new.__dict__[name] = index
    by_id = net.__dict__.get("by_id")
    if by_id is not None and section in ID_SECTIONS:
        value: Any = entity
        if entity is None:
            value = _GONE
            for s in ID_SECTIONS:  # another kind with the same id (never in a valid one)
                other = locate(new, s, key) if s in _INDEX else None
                if other is not None:
                    value = other
        by_id = Overlay.over(by_id, key, value)
    if by_id is not None:
        new.__dict__["by_id"] = by_id


_GONE: Any = object()  # removed, in an overlay
_MISSING: Any = object()


class Overlay(Mapping[str, Any]):
    """A look-up table with a few changes over an unchanged one (the look-up of the
    previous network): carrying a table of 500,000 ids over to the next network costs
    the changes, not a copy. Every ``FLATTEN`` changes it becomes a plain dict again.

    >>> base = {"a": 1, "b": 2}
    >>> table = Overlay.over(Overlay.over(base, "b", _GONE), "c", 3)
    >>> dict(table), "b" in table, table.get("a"), len(table), base
    ({'a': 1, 'c': 3}, False, 1, 2, {'a': 1, 'b': 2})
    """

    FLATTEN = 32
    __slots__ = ("_base", "_changes")

    def __init__(self, base: Mapping[str, Any], changes: dict[str, Any]) -> None:
        self._base = base
        self._changes = changes

    @classmethod
    def over(cls, table: Mapping[str, Any], key: str, value: Any) -> Mapping[str, Any]:
        """``table`` with ``key`` set to ``value`` (``_GONE``: removed); ``table`` stays."""
        if isinstance(table, Overlay):
            base, changes = table._base, {**table._changes, key: value}
        else:
            base, changes = table, {key: value}
        if len(changes) < cls.FLATTEN:
            return cls(base, changes)
        flat = dict(base)
        for k, v in changes.items():
            if v is _GONE:
                flat.pop(k, None)
            else:
                flat[k] = v
        return flat

    def __getitem__(self, key: str) -> Any:
        value = self._changes.get(key, _MISSING)
        if value is _MISSING:
            return self._base[key]
        if value is _GONE:
            raise KeyError(key)
        return value

    def get(self, key: str, default: Any = None) -> Any:
        value = self._changes.get(key, _MISSING)
        if value is _MISSING:
            return self._base.get(key, default)
        return default if value is _GONE else value

    def __contains__(self, key: object) -> bool:
        value = self._changes.get(cast(str, key), _MISSING)
        if value is _MISSING:
            return key in self._base
        return value is not _GONE

    def __iter__(self) -> Iterator[str]:
        changes, base = self._changes, self._base
        for k in base:
            if changes.get(k, _MISSING) is not _GONE:
                yield k
        for k, v in changes.items():
            if v is not _GONE and k not in base:
                yield k

    def __len__(self) -> int:
        size = len(self._base)
        for k, v in self._changes.items():
            if k in self._base:
                size -= v is _GONE
            else:
                size += v is not _GONE
        return size


# -- the check, limited to what the change touches ---------------------------------------


def _refers_to(section: str, entity: Any, key: str) -> bool:
    """Whether ``entity`` (of ``section``) names ``key`` in one of its references."""
    if section == "districts":
        return bool(entity.municipality == key)
    if section == "quarters":
        return bool(entity.district == key or entity.municipality == key)
    if section == "sites":
        return bool(entity.quarter == key)
    if section == "services":
        return bool(entity.provider == key or key in entity.quarters or key in entity.sites)
    if section == "transitions":
        return bool(entity.source == key or entity.target == key or entity.owner == key
                    or key in entity.agreements)
    if section == "agreements":
        return key in entity.parties or key in entity.quarters
    if section == "referral_flows":
        return bool(entity.transition == key)
    if section == "measures":
        return bool(entity.responsible == key)
    return False


class _Scope:
    """What the checker iterates: the touched entities of each section, in network order
    (the look-ups it makes go to the whole network)."""

    def __init__(self, full: Network, chosen: Mapping[str, list[Any]]) -> None:
        self.catalogue = full.catalogue
        self.service_index = full.service_index
        for section in ALL_SECTIONS:
            setattr(self, section, chosen.get(section, []))


class _FirstKind(Mapping[str, str]):
    """Every id of the network and the first section holding it (what the whole check
    learns while it looks for duplicate ids)."""

    def __init__(self, full: Network) -> None:
        self.full = full
        self.small = {s: {e.id for e in getattr(full, s)}
                      for s in ID_SECTIONS if s not in _INDEX}

    def __getitem__(self, key: str) -> str:
        for section in ID_SECTIONS:
            if section in self.small:
                if key in self.small[section]:
                    return section
            elif key in getattr(self.full, _INDEX[section]):
                return section
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        try:
            self[cast(str, key)]
        except KeyError:
            return False
        return True

    def __iter__(self) -> Iterator[str]:
        seen: set[str] = set()
        for section in ID_SECTIONS:
            for e in getattr(self.full, section):
                if e.id not in seen:
                    seen.add(e.id)
                    yield e.id

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _EditChecker(_Checker):
    """The whole-network checker, run over the entities a change touches."""

    def __init__(self, new: Network, section: str, key: str, old: BaseModel | None,
                 entity: BaseModel | None) -> None:
        super().__init__(new, set())
        self.full = new
        self.net = cast(Network, _Scope(new, self._touched(new, section, key, old, entity)))

    @staticmethod
    def _touched(new: Network, section: str, key: str, old: BaseModel | None,
                 entity: BaseModel | None) -> dict[str, list[Any]]:
        chosen: dict[str, list[Any]] = {
            # few, and the hierarchy rule looks a quarter's district up among them
            "municipalities": list(new.municipalities), "districts": list(new.districts)}
        scan: dict[str, Any] = {}  # section -> test of an entity, for a pass over it
        if entity is None:  # whoever referred to it now refers to nothing
            for s in ("quarters", "sites", "services", "transitions", "agreements",
                      "referral_flows", "measures"):
                scan[s] = lambda s_, e, k=key: _refers_to(s_, e, k)
        elif section in ("districts", "municipalities"):
            # a quarter naming both must still agree with its district's Kommune
            scan["quarters"] = lambda s_, e, k=key: _refers_to(s_, e, k)
        elif (section == "services" and old is not None
              and getattr(old, "life_stages") != getattr(entity, "life_stages")):  # noqa: B009
            # the direction of its transitions in the life course may have turned
            scan["transitions"] = lambda s_, e, k=key: e.source == k or e.target == k
        for s in ALL_SECTIONS:
            if s in chosen:
                continue
            test = scan.get(s)
            if test is not None:
                chosen[s] = [e for e in getattr(new, s)
                             if test(s, e) or (s == section and e is entity)
                             or (s in ID_SECTIONS and e.id == key)]
                continue
            found: list[Any] = []
            if s == section and entity is not None:
                found.append(entity)
            elif s in ID_SECTIONS and section in ID_SECTIONS:  # the same id in another kind
                other = locate(new, s, key) if s in _INDEX else None
                if other is not None:
                    found.append(other)
            chosen[s] = found
        return chosen

    def _of(self, section: str) -> set[str]:
        if section in _INDEX:
            return cast(set[str], getattr(self.full, _INDEX[section]).keys())
        return {e.id for e in getattr(self.full, section)}

    def _all(self, section: str) -> Iterable[Any]:
        return cast(Iterable[Any], getattr(self.full, section))

    def _unique_ids(self) -> Iterator[Problem]:
        yield from super()._unique_ids()
        # the references look up the kind of any id in the network, not just the touched
        self.ids = cast(dict[str, str], _FirstKind(self.full))
