"""The analysis index of a network: built once, reused by every analysis.

It holds, per quarter, the services and the transitions among them (adjacency
lists), and, network-wide, the transitions grouped by what backs them (their
agreements and owner), so that an analysis on a date evaluates each distinct backing
once instead of once per transition. Networks are immutable, so the index is kept in
the network's cache and never goes stale.

>>> from seeds import load_seed
>>> idx = get_index(load_seed("brunnenstrasse"))
>>> len(idx.quarters["brunnenstrasse"].services), len(idx.quarters["brunnenstrasse"].transitions)
(17, 19)
>>> get_index(load_seed("brunnenstrasse")) is not idx   # a new network, a new index
True
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from graph.model import CapacityUnit, ReferralFlow, Service, ServiceStatus, Transition
from graph.network import Network
from graph.snapshot import register
from lotsen.memo import BoundedMemo

__all__ = ["ChainIndex", "QuarterIndex", "get_index", "without_gc"]

_CACHE_KEY = "lotsen.index"
MEMO_FLOOR = 20_000
"""Entries the analysis memo holds at least (plus four per service and transition)."""


@dataclass
class QuarterIndex:
    """The chain of one quarter: its services and the transitions among them."""

    id: str
    services: list[str] = field(default_factory=list)
    transitions: list[str] = field(default_factory=list)  # touching the quarter
    # after the build: tuples (the empty one shared), a Land network has 400,000 of them
    succ: dict[str, Sequence[str]] = field(default_factory=dict)  # s -> targets (all services)
    covers: list[list[str]] = field(default_factory=list)  # stage order -> services
    groups: list[tuple[int, str, list[str]]] = field(default_factory=list)  # parallel offers
    # facts of the quarter while all its services run (reused on every date they do)
    signatures: dict[tuple[tuple[str, ...], str | None], list[str]] = field(
        default_factory=dict)  # (agreements, owner) -> transitions touching the quarter
    flagged: list[str] = field(default_factory=list)  # no owner, one person, language, flows
    by_first: list[str] = field(default_factory=list)  # services in life-course order
    progress: set[str] = field(default_factory=set)  # services handing over to a later stage
    stage_providers: list[set[str]] = field(default_factory=list)
    anchors: set[Any] = field(default_factory=set)
    # stage -> (places, starts per year, services stating a capacity)
    capacity: list[tuple[float, float, int]] = field(default_factory=list)


class ChainIndex:
    """Everything about a network that does not depend on the as-of date."""

    def __init__(self, net: Network) -> None:
        self.net = net
        cat = net.catalogue
        self.stage_ids = [s.id for s in cat.life_stages]
        self.last_order = len(self.stage_ids) - 1
        self.entry_orders = frozenset(
            i for i, s in enumerate(cat.life_stages) if i == 0 or s.to_months <= 3)
        self.services: dict[str, Service] = net.service_index
        self.transitions: dict[str, Transition] = net.transition_index
        self.orders: dict[str, tuple[int, ...]] = {}
        # activity: most services run whatever the date; only these need a look
        self.dated: list[Service] = []
        self.quarters: dict[str, QuarterIndex] = {q.id: QuarterIndex(q.id) for q in net.quarters}
        # a service shares its capacity among its quarters and among its life stages:
        # places pro rata by the months of each stage in its age span (overlapping stages
        # each count the months they overlap), starts per year in equal parts (a family
        # starts once, in one of the stages)
        # (stage orders, counts places) -> stage -> fraction: a handful of combinations
        self.fractions: dict[tuple[tuple[int, ...], bool], dict[int, float]] = {}
        self.in_places: set[str] = set()  # services whose capacity counts places
        self.provider_anchor: dict[str, Any] = {p.id: p.anchor for p in net.providers}
        where: dict[str, list[str]] = {}
        speaks: dict[str, list[str]] = {}
        bridge: dict[str, bool] = {}
        self._services_pass(net, where, speaks, bridge)
        for qi in self.quarters.values():
            qi.succ = {s: [] for s in qi.services}
        self.quarters_of_transition: dict[str, tuple[str, ...]] = {}
        self.incoming: dict[str, Sequence[str]] = {}
        self.signatures: dict[tuple[tuple[str, ...], str | None], list[str]] = {}
        self.no_owner: list[str] = []
        self.person_dependent: list[str] = []
        self.language_breaks: dict[str, tuple[str, ...]] = {}
        self.assessed: list[str] = []  # with cooperation quality or data protection
        quarters, qot, incoming = self.quarters, self.quarters_of_transition, self.incoming
        signatures = self.signatures
        no_owner, person_dependent = self.no_owner, self.person_dependent
        assessed, language_breaks = self.assessed, self.language_breaks
        as_tuple: dict[tuple[str, ...], tuple[str, ...]] = {}  # each combination once
        for t in net.transitions:
            tid, a, b = t.id, t.source, t.target
            qa, qb = where[a], where[b]
            if qa == qb:
                inside: list[str] = qa
                shared = qa
            else:
                inside = [q for q in qa if q in qb]
                shared = inside or list(dict.fromkeys(qa + qb))
            combination = tuple(shared)
            qot[tid] = as_tuple.setdefault(combination, combination)
            owner = t.owner
            key = (tuple(t.agreements), owner)
            for q in shared:
                qi = quarters[q]
                qi.transitions.append(tid)  # a hand-off between quarters concerns both
                group = qi.signatures.get(key)
                if group is None:
                    qi.signatures[key] = [tid]
                else:
                    group.append(tid)
            for q in inside:
                qi = quarters[q]
                qi.succ[a].append(b)  # type: ignore[attr-defined]
            into = incoming.get(b)
            if into is None:
                incoming[b] = [tid]
            else:
                into.append(tid)  # type: ignore[attr-defined]
            group = signatures.get(key)
            if group is None:
                signatures[key] = [tid]
            else:
                group.append(tid)
            if owner is None:
                no_owner.append(tid)
            if t.person_dependent:
                person_dependent.append(tid)
            if t.cooperation or t.data_protection is not None:
                assessed.append(tid)
            la, lb = speaks[a], speaks[b]
            if la != lb and not t.language_mediation and not bridge[b]:
                missing = tuple(x for x in la if x not in lb)
                if missing:
                    language_breaks[tid] = missing
        self.flows = self._flows_of(net)
        for tid in {*self.no_owner, *self.person_dependent, *self.language_breaks,
                    *self.flows}:
            for q in qot.get(tid, ()):
                quarters[q].flagged.append(tid)
        for b, into in incoming.items():
            incoming[b] = tuple(into)
        for qi in self.quarters.values():
            qi.succ = {a: tuple(vs) for a, vs in qi.succ.items()}
            self._quarter_shape(qi)
        self.fresh_memos()

    def fresh_memos(self) -> None:
        """Empty tables for the results kept with the index (a new or carried index)."""
        net = self.net
        self._inactive = BoundedMemo(1_000)
        # results of the analyses, by their arguments (date among them): a ceiling that
        # holds several full runs over the whole network, and not one date more
        self.memo = BoundedMemo(MEMO_FLOOR + 4 * (len(net.services) + len(net.transitions)))
        # lotsen.families: findings with their estimate, one table per year or date
        self.families = BoundedMemo(8)

    @staticmethod
    def _flows_of(net: Network) -> dict[str, list[ReferralFlow]]:
        flows: dict[str, list[ReferralFlow]] = {}
        for f in net.referral_flows:
            flows.setdefault(f.transition, []).append(f)
        return flows

    def __getstate__(self) -> dict[str, Any]:
        """What a quick-start file keeps (:mod:`graph.snapshot`): not the results kept for
        answers, nor what points at the network's own entities (made again from it)."""
        state = dict(self.__dict__)
        for name in ("services", "transitions", "_inactive", "memo", "families", "dated",
                     "flows"):
            state.pop(name, None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        net = self.net
        self.services = net.service_index
        self.transitions = net.transition_index
        active = ServiceStatus.ACTIVE
        self.dated = [s for s in net.services
                      if s.status is not active or s.valid_from or s.valid_until]
        self.flows = self._flows_of(net)
        self.fresh_memos()

    def _services_pass(self, net: Network, where: dict[str, list[str]],
                       speaks: dict[str, list[str]], bridge: dict[str, bool]) -> None:
        """Everything the index keeps per service, in one pass over the services.

        Services share a handful of life-stage combinations: their stage orders and stage
        fractions are worked out once per combination and shared (read-only)."""
        cat = net.catalogue
        months = [max(1, x.to_months - x.from_months) for x in cat.life_stages]
        quarters = self.quarters
        orders_of: dict[tuple[str, ...], tuple[int, ...]] = {}
        fractions = self.fractions
        all_orders = self.orders
        in_places, dated = self.in_places, self.dated
        active, places_unit = ServiceStatus.ACTIVE, CapacityUnit.PLACES
        for s in net.services:
            sid, stages, qs = s.id, tuple(s.life_stages), s.quarters
            orders = orders_of.get(stages)
            if orders is None:
                orders = orders_of[stages] = tuple(sorted(cat.stage_order(x) for x in stages))
            all_orders[sid] = orders
            if s.status is not active or s.valid_from or s.valid_until:
                dated.append(s)
            for q in qs:
                quarters[q].services.append(sid)
            places = s.capacity_unit is places_unit
            if (orders, places) not in fractions:
                if len(orders) == 1 or not places:
                    fraction = dict.fromkeys(orders, 1 / len(orders))
                else:
                    span = max(1, max(cat.life_stages[k].to_months for k in orders)
                               - min(cat.life_stages[k].from_months for k in orders))
                    fraction = {k: min(1.0, months[k] / span) for k in orders}
                fractions[(orders, places)] = fraction
            if places:
                in_places.add(sid)
            where[sid] = qs
            speaks[sid] = s.languages
            bridge[sid] = s.language_bridge

    def _quarter_shape(self, qi: QuarterIndex) -> None:
        """Adjacency, stage coverage and candidate parallel offers of one quarter."""
        covers: list[list[str]] = [[] for _ in self.stage_ids]
        qi.covers = covers
        groups: dict[tuple[int, str, str], list[str]] = {}
        services, orders = self.services, self.orders
        for s in qi.services:
            service = services[s]
            pairs = [(f, g.casefold()) for g in service.target_groups for f in service.fields]
            for k in orders[s]:
                covers[k].append(s)
                for f, g in pairs:
                    members = groups.get((k, f, g))
                    if members is None:
                        groups[(k, f, g)] = [s]
                    else:
                        members.append(s)
        qi.groups = [(k, f, members) for (k, f, _), members in groups.items()
                     if len({services[s].provider for s in members}) > 1]
        qi.by_first = sorted(qi.services, key=lambda s: orders[s][0])
        qi.progress = {s for s, targets in qi.succ.items()
                       if any(orders[v][-1] > orders[s][-1] for v in targets)}
        qi.stage_providers = [{services[s].provider for s in covering}
                               for covering in qi.covers]
        anchor = self.provider_anchor
        qi.anchors = {anchor[services[s].provider] for s in qi.services}
        qi.capacity = [self.stage_capacity(services, k) for k, services in enumerate(qi.covers)]

    def stage_capacity(self, services: list[str], k: int) -> tuple[float, float, int]:
        """Places, starts per year, and how many of ``services`` state a capacity, in
        stage ``k`` (a service over several stages shares its capacity pro rata by the
        months of each stage in its age span)."""
        share, places, fraction = self.capacity_share, self.in_places, self.stage_fraction
        held = starts = 0.0
        stated = 0
        for s in services:
            x = share(s)
            if x is None:
                continue
            stated += 1
            x *= fraction(s)[k]
            if s in places:
                held += x
            else:
                starts += x
        return held, starts, stated

    def capacity_share(self, service: str) -> float | None:
        """The capacity per year of ``service`` in each of its quarters (None: not stated)."""
        s = self.services[service]
        capacity = s.capacity_per_year
        return None if capacity is None else capacity / len(s.quarters)

    def stage_fraction(self, service: str) -> dict[int, float]:
        """Stage order -> the part of the capacity of ``service`` in that stage."""
        return self.fractions[(self.orders[service], service in self.in_places)]

    def inactive_on(self, day: dt.date) -> frozenset[str]:
        """Services that do not run on ``day``."""
        found: frozenset[str] | None = self._inactive.get(day)
        if found is None:
            found = frozenset(s.id for s in self.dated if not s.is_active_on(day))
            self._inactive[day] = found
        return found

    def quarter_inactive(self, quarter: str, inactive: frozenset[str]) -> frozenset[str]:
        """The inactive services of one quarter (usually none)."""
        if not inactive:
            return inactive
        return frozenset(s for s in inactive if quarter in self.services[s].quarters)


@contextmanager
def without_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while many small objects are made at once.

    Nothing made here forms reference cycles that need collecting; with a million live
    objects each automatic collection would only walk them all again.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def get_index(net: Network) -> ChainIndex:
    """The index of ``net`` (built on first use, then kept with the network)."""
    idx = net.cache.get(_CACHE_KEY)
    if idx is None:
        with without_gc():
            idx = ChainIndex(net)
        net.cache[_CACHE_KEY] = idx
    assert isinstance(idx, ChainIndex)
    return idx


register(_CACHE_KEY, ChainIndex, QuarterIndex)  # kept in the quick-start file of a store
