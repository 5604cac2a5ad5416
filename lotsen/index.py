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
from dataclasses import dataclass, field
from typing import Any

from graph.model import ReferralFlow, Service, ServiceStatus
from graph.network import Network

__all__ = ["ChainIndex", "QuarterIndex", "get_index"]

_CACHE_KEY = "lotsen.index"


@dataclass
class QuarterIndex:
    """The chain of one quarter: its services and the transitions among them."""

    id: str
    services: list[str] = field(default_factory=list)
    transitions: list[str] = field(default_factory=list)  # touching the quarter
    out: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # s -> [(t, target)]
    inc: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # s -> [(t, source)]


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
        self.orders: dict[str, tuple[int, ...]] = {}
        self.first: dict[str, int] = {}
        self.last: dict[str, int] = {}
        for s in net.services:
            orders = tuple(sorted(cat.stage_order(x) for x in s.life_stages))
            self.orders[s.id] = orders
            self.first[s.id], self.last[s.id] = orders[0], orders[-1]
        # activity: most services run whatever the date; only these need a look
        self.dated = [s for s in net.services
                      if s.status is not ServiceStatus.ACTIVE or s.valid_from or s.valid_until]
        self.quarters: dict[str, QuarterIndex] = {q.id: QuarterIndex(q.id) for q in net.quarters}
        for s in net.services:
            for q in s.quarters:
                self.quarters[q].services.append(s.id)
        self.quarters_of_transition: dict[str, tuple[str, ...]] = {}
        self.incoming: dict[str, list[str]] = {}
        self.signatures: dict[tuple[tuple[str, ...], str | None], list[str]] = {}
        self.no_owner: list[str] = []
        self.person_dependent: list[str] = []
        self.language_breaks: dict[str, tuple[str, ...]] = {}
        services = self.services
        for t in net.transitions:
            src, tgt = services[t.source], services[t.target]
            shared = tuple(q for q in src.quarters if q in tgt.quarters) or tuple(
                dict.fromkeys((*src.quarters, *tgt.quarters)))
            self.quarters_of_transition[t.id] = shared
            for q in shared:
                qi = self.quarters[q]
                qi.transitions.append(t.id)  # a hand-off between quarters concerns both
                if q in src.quarters and q in tgt.quarters:
                    qi.out.setdefault(t.source, []).append((t.id, t.target))
                    qi.inc.setdefault(t.target, []).append((t.id, t.source))
            self.incoming.setdefault(t.target, []).append(t.id)
            self.signatures.setdefault((tuple(t.agreements), t.owner), []).append(t.id)
            if t.owner is None:
                self.no_owner.append(t.id)
            if t.person_dependent:
                self.person_dependent.append(t.id)
            if src.languages != tgt.languages:
                missing = tuple(x for x in src.languages if x not in tgt.languages)
                if missing:
                    self.language_breaks[t.id] = missing
        self.flows: dict[str, list[ReferralFlow]] = {}
        for f in net.referral_flows:
            self.flows.setdefault(f.transition, []).append(f)
        self._inactive: dict[dt.date, frozenset[str]] = {}
        self.memo: dict[Any, Any] = {}  # results of the analyses, by their arguments

    def inactive_on(self, day: dt.date) -> frozenset[str]:
        """Services that do not run on ``day``."""
        if day not in self._inactive:
            self._inactive[day] = frozenset(s.id for s in self.dated if not s.is_active_on(day))
        return self._inactive[day]

    def quarter_inactive(self, quarter: str, inactive: frozenset[str]) -> frozenset[str]:
        """The inactive services of one quarter (usually none)."""
        if not inactive:
            return inactive
        return frozenset(s for s in inactive if quarter in self.services[s].quarters)


def get_index(net: Network) -> ChainIndex:
    """The index of ``net`` (built on first use, then kept with the network)."""
    idx = net.cache.get(_CACHE_KEY)
    if idx is None:
        was_enabled = gc.isenabled()
        gc.disable()  # ~10^6 small objects at once: the cyclic GC would only cost time
        try:
            idx = ChainIndex(net)
        finally:
            if was_enabled:
                gc.enable()
        net.cache[_CACHE_KEY] = idx
    assert isinstance(idx, ChainIndex)
    return idx
