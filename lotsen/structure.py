"""Findings about the shape of a quarter's chain.

Stage gaps, chain breaks, pearls, dead ends, unreachable services, single points of
failure, missing anchor sites, uncoordinated parallel services and capacity gaps –
all computed on the services that run on the as-of date and the transitions among
them. Results are memoised per quarter and set of inactive services.

Rules (``L`` is the last life stage, "entry stages" are the first stage and every
stage that ends by the age of three months, i.e. pregnancy and birth):

* ``STAGE_GAP`` – a stage no active service of the quarter covers.
* ``CHAIN_BREAK`` – two consecutive covered stages with no path from a service of the
  first to a service of the second (a service covering both joins them).
* ``PEARL`` – an active service with no transition in or out (among active services).
* ``DEAD_END`` – a service (not a pearl, not reaching ``L``) from which no path leads to
  a service of a later stage.
* ``UNREACHABLE`` – a service (not a pearl) no path reaches from the entry services;
  only judged when the quarter has an active entry service.
* ``SINGLE_POINT`` – a service or provider whose loss would leave a stage empty or
  break the chain between two stages.
* ``ANCHOR_MISSING`` – an anchor kind (primary school, Kita, family office, youth
  welfare service) no active service's provider stands for.
* ``REDUNDANT`` – services of different providers for the same stage, field and target
  group that neither hand over to each other nor share a valid binding agreement.
* ``CAPACITY_GAP`` – the stated capacities of the stage's services (a service serving
  k quarters counts 1/k here; a service covering several stages counts in each) sum to
  less than ``capacity_ratio`` × the children of the stage in the newest social data
  of the as-of year or before. Services without a stated capacity count as none (the
  message says how many); a stage where no service states one is not judged.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable

from graph.model import AnchorKind
from lotsen import texts
from lotsen.findings import Finding
from lotsen.index import ChainIndex
from lotsen.labels import service_label
from lotsen.settings import AnalysisSettings

__all__ = ["quarter_structure"]


def quarter_structure(idx: ChainIndex, quarter: str, inactive: frozenset[str], as_of: dt.date,
                      settings: AnalysisSettings) -> list[Finding]:
    """Structural findings of one quarter (memoised)."""
    key = ("structure", quarter, inactive, as_of.year, settings.capacity_ratio,
           _valid_agreements_key(idx, as_of))
    cached = idx.memo.get(key)
    if cached is None:
        cached = _Quarter(idx, quarter, inactive, as_of, settings).findings()
        idx.memo[key] = cached
    result: list[Finding] = cached
    return result


def _valid_agreements_key(idx: ChainIndex, as_of: dt.date) -> frozenset[str]:
    """Coordination (REDUNDANT) depends on which agreements are valid on the date."""
    memo_key = ("valid-agreements", as_of)
    if memo_key not in idx.memo:
        idx.memo[memo_key] = frozenset(a.id for a in idx.net.agreements
                                       if a.binding and a.is_valid_on(as_of))
    valid: frozenset[str] = idx.memo[memo_key]
    return valid


class _Quarter:
    def __init__(self, idx: ChainIndex, quarter: str, inactive: frozenset[str],
                 as_of: dt.date, settings: AnalysisSettings) -> None:
        self.idx, self.q, self.as_of, self.settings = idx, quarter, as_of, settings
        self.net = idx.net
        qi = idx.quarters[quarter]
        self.active = [s for s in qi.services if s not in inactive]
        self.active_set = set(self.active)
        aset = self.active_set
        self.adj: dict[str, list[str]] = {
            s: [v for _, v in qi.out.get(s, ()) if v in aset] for s in self.active}
        self.radj: dict[str, list[str]] = {
            s: [u for _, u in qi.inc.get(s, ()) if u in aset] for s in self.active}
        self.covers: list[list[str]] = [[] for _ in idx.stage_ids]
        for s in self.active:
            for k in idx.orders[s]:
                self.covers[k].append(s)
        self.quarter_name = self.net.quarter_index[quarter].name
        self.out: list[Finding] = []

    # -- helpers
    def name(self, service: str) -> str:
        return service_label(self.net, service)

    def stage(self, k: int) -> str:
        return self.net.catalogue.life_stages[k].name

    def add(self, code: str, ids: tuple[str, ...], message: str, next_step: str) -> None:
        self.out.append(Finding.make(code, ids, (self.q,), message, next_step))

    def add_service(self, code: str, service: str, message: str, next_step: str) -> None:
        """A finding about one service as seen from this quarter."""
        prefix = texts.IN_QUARTER.format(quarter=self.quarter_name)
        self.add(code, (service, self.q), prefix + message, next_step)

    def reach(self, starts: Iterable[str], adj: dict[str, list[str]],
              without: frozenset[str] = frozenset()) -> set[str]:
        seen = {s for s in starts if s not in without}
        queue = deque(seen)
        while queue:
            u = queue.popleft()
            for v in adj[u]:
                if v not in seen and v not in without:
                    seen.add(v)
                    queue.append(v)
        return seen

    # -- rules
    def findings(self) -> list[Finding]:
        gaps = self.stage_gaps()
        pearls = self.pearls()
        self.unreachable(pearls)
        self.dead_ends(pearls)
        joined = self.chain_breaks(gaps)
        self.single_points(gaps, joined)
        self.anchors()
        self.redundant()
        self.capacity()
        return self.out

    def stage_gaps(self) -> set[int]:
        gaps = {k for k, services in enumerate(self.covers) if not services}
        for k in sorted(gaps):
            self.add("STAGE_GAP", (self.q, self.idx.stage_ids[k]),
                     texts.STAGE_GAP.format(quarter=self.quarter_name, stage=self.stage(k)),
                     texts.STAGE_GAP_NEXT.format(stage=self.stage(k)))
        return gaps

    def pearls(self) -> set[str]:
        pearls = {s for s in self.active if not self.adj[s] and not self.radj[s]}
        for s in sorted(pearls, key=self.active.index):
            self.add_service("PEARL", s, texts.PEARL.format(service=self.name(s)),
                             texts.PEARL_NEXT)
        return pearls

    def unreachable(self, pearls: set[str]) -> None:
        entries = [s for s in self.active
                   if self.idx.entry_orders.intersection(self.idx.orders[s])]
        if not entries:
            return
        reached = self.reach(entries, self.adj)
        for s in self.active:
            if s not in reached and s not in pearls:
                self.add_service("UNREACHABLE", s,
                                 texts.UNREACHABLE.format(service=self.name(s)),
                                 texts.UNREACHABLE_NEXT)

    def dead_ends(self, pearls: set[str]) -> None:
        last, idx = self.idx.last, self.idx
        for s in self.active:
            if s in pearls or last[s] == idx.last_order:
                continue
            if any(last[v] > last[s] for v in self.adj[s]):
                continue
            if any(last[v] > last[s] for v in self.reach([s], self.adj)):
                continue
            self.add_service("DEAD_END", s, texts.DEAD_END.format(service=self.name(s)),
                             texts.DEAD_END_NEXT)

    def _witnesses(self, k: int) -> list[frozenset[str]]:
        """Direct joins of stage k and k+1: a service covering both, or a transition."""
        nxt = set(self.covers[k + 1])
        found: list[frozenset[str]] = [frozenset((s,)) for s in self.covers[k] if s in nxt]
        for u in self.covers[k]:
            for v in self.adj[u]:
                if v in nxt:
                    found.append(frozenset((u, v)))
        return found

    def _joined(self, k: int, without: frozenset[str] = frozenset()) -> bool:
        targets = set(self.covers[k + 1]) - without
        if not targets:
            return False
        reached = self.reach(self.covers[k], self.adj, without)
        return not reached.isdisjoint(targets)

    def chain_breaks(self, gaps: set[int]) -> dict[int, list[frozenset[str]]]:
        """Joined pairs (k, k+1) with their direct witnesses ([] = joined by a longer path)."""
        joined: dict[int, list[frozenset[str]]] = {}
        for k in range(len(self.covers) - 1):
            if k in gaps or k + 1 in gaps:
                continue
            witnesses = self._witnesses(k)
            if witnesses or self._joined(k):
                joined[k] = witnesses
                continue
            a, b = self.idx.stage_ids[k], self.idx.stage_ids[k + 1]
            self.add("CHAIN_BREAK", (self.q, a, b),
                     texts.CHAIN_BREAK.format(quarter=self.quarter_name, a=self.stage(k),
                                              b=self.stage(k + 1)),
                     texts.CHAIN_BREAK_NEXT.format(a=self.stage(k), b=self.stage(k + 1)))
        return joined

    def single_points(self, gaps: set[int], joined: dict[int, list[frozenset[str]]]) -> None:
        provider_of = {s: self.idx.services[s].provider for s in self.active}
        reasons: dict[str, list[str]] = {}
        preasons: dict[str, list[str]] = {}
        for k, services in enumerate(self.covers):
            if len(services) == 1:
                reasons.setdefault(services[0], []).append(texts.SP_GAP.format(stage=self.stage(k)))
            providers = {provider_of[s] for s in services}
            if len(providers) == 1 and services:
                (p,) = providers
                preasons.setdefault(p, []).append(texts.SP_GAP.format(stage=self.stage(k)))
        for k, witnesses in joined.items():
            why = texts.SP_BREAK.format(a=self.stage(k), b=self.stage(k + 1))
            if witnesses:
                candidates = frozenset.intersection(*witnesses)
                pcandidates = set.intersection(*({provider_of[s] for s in w} for w in witnesses))
            else:  # joined only through a longer path: every service may matter
                candidates = frozenset(self.active)
                pcandidates = set(provider_of.values())
            for s in candidates:
                if not self._joined(k, frozenset((s,))) and why not in reasons.get(s, []):
                    reasons.setdefault(s, []).append(why)
            for p in pcandidates:
                own = frozenset(s for s in self.active if provider_of[s] == p)
                if not self._joined(k, own) and why not in preasons.get(p, []):
                    preasons.setdefault(p, []).append(why)
        for s in sorted(reasons, key=self.active.index):
            self.add_service("SINGLE_POINT", s, texts.SINGLE_POINT.format(
                what=self.name(s), reasons="; ".join(reasons[s])), texts.SINGLE_POINT_NEXT)
        for p in sorted(preasons):
            pname = self.net.provider_index[p].name
            only_one_service = sum(1 for s in self.active if provider_of[s] == p) == 1
            if only_one_service:
                continue  # already said of its one service
            self.add_service("SINGLE_POINT", p, texts.SINGLE_POINT.format(
                what=f"der Träger „{pname}“", reasons="; ".join(preasons[p])),
                texts.SINGLE_POINT_NEXT)

    def anchors(self) -> None:
        present = {self.net.provider_index[self.idx.services[s].provider].anchor
                   for s in self.active}
        for kind in AnchorKind:
            if kind not in present:
                label = texts.ANCHOR_LABELS[kind.value]
                self.add("ANCHOR_MISSING", (self.q, kind.value),
                         texts.ANCHOR_MISSING.format(quarter=self.quarter_name, anchor=label),
                         texts.ANCHOR_MISSING_NEXT.format(anchor=label))

    def redundant(self) -> None:
        groups: dict[tuple[int, str, str], list[str]] = {}
        for s in self.active:
            service = self.idx.services[s]
            for k in self.idx.orders[s]:
                for f in service.fields:
                    for g in service.target_groups:
                        groups.setdefault((k, f, g.casefold()), []).append(s)
        reported: set[frozenset[str]] = set()
        for (k, _f, _g), services in groups.items():
            if len({self.idx.services[s].provider for s in services}) < 2:
                continue
            loose = self._uncoordinated(services)
            if len(loose) < 2 or frozenset(loose) in reported:
                continue
            reported.add(frozenset(loose))
            names = ", ".join(self.name(s) for s in loose)
            group = self.idx.services[loose[0]].target_groups[0]
            self.add("REDUNDANT", tuple(loose), texts.REDUNDANT.format(
                services=names, stage=self.stage(k), group=group), texts.REDUNDANT_NEXT)

    def _uncoordinated(self, services: list[str]) -> list[str]:
        valid = _valid_agreements_key(self.idx, self.as_of)
        agreements = self.net.agreement_index
        loose: list[str] = []
        for i, a in enumerate(services):
            for b in services[i + 1:]:
                pa, pb = self.idx.services[a].provider, self.idx.services[b].provider
                if pa == pb or b in self.adj[a] or a in self.adj[b]:
                    continue
                if any(pa in agreements[x].parties and pb in agreements[x].parties
                       for x in valid):
                    continue
                loose += [x for x in (a, b) if x not in loose]
        return loose

    def capacity(self) -> None:
        quarter = self.net.quarter_index[self.q]
        data = quarter.social_data_for(self.as_of.year)
        if data is None or not data.children_by_stage:
            return
        for k, services in enumerate(self.covers):
            demand = data.children_by_stage.get(self.idx.stage_ids[k])
            stated = [s for s in services if self.idx.services[s].capacity_per_year is not None]
            if not demand or not stated:
                continue
            total = sum((self.idx.services[s].capacity_per_year or 0)
                        / len(self.idx.services[s].quarters) for s in stated)
            if total < self.settings.capacity_ratio * demand:
                unknown = len(services) - len(stated)
                self.add("CAPACITY_GAP", (self.q, self.idx.stage_ids[k]),
                         texts.CAPACITY_GAP.format(
                             quarter=self.quarter_name, stage=self.stage(k),
                             capacity=round(total), demand=demand, year=data.year,
                             services=", ".join(self.name(s) for s in stated))
                         + (texts.CAPACITY_UNKNOWN.format(n=unknown) if unknown else ""),
                         texts.CAPACITY_GAP_NEXT)
