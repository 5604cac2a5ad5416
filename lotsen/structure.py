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
* ``SINGLE_POINT`` – one low note per quarter naming the stages and links of the chain
  (its linked services; pearls do not count) that rest on one service or provider.
* ``LANGUAGE_NOT_COVERED`` – a main language of the quarter's families that no running
  offer of a stage they need speaks, mediates at the hand-over or bridges.
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
from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise

from graph.model import AgreementKind, AnchorKind
from lotsen import texts
from lotsen.demand import StageDemand, stage_demand
from lotsen.findings import Finding
from lotsen.index import ChainIndex
from lotsen.labels import service_label
from lotsen.settings import AnalysisSettings

__all__ = ["quarter_structure"]


def quarter_structure(idx: ChainIndex, quarter: str, inactive: frozenset[str], as_of: dt.date,
                      settings: AnalysisSettings) -> list[Finding]:
    """Structural findings of one quarter (memoised)."""
    # coordination (REDUNDANT) depends on the agreements in force that day, and only
    # quarters with parallel offers have any to judge
    day_key = as_of if idx.quarters[quarter].groups else as_of.year
    key = ("structure", quarter, inactive, day_key, settings.capacity_ratio,
           settings.setting_max_parties)
    cached = idx.memo.get(key)
    if cached is None:
        cached = _Quarter(idx, quarter, inactive, as_of, settings).findings()
        idx.memo[key] = cached
    result: list[Finding] = cached
    return result


def _coordinating_agreement(idx: ChainIndex, a: str, b: str, as_of: dt.date,
                            settings: AnalysisSettings) -> bool:
    """Whether providers ``a`` and ``b`` share a binding agreement in force that
    coordinates them as a setting: a cooperation of few parties, not a many-party
    framework such as a §3 KKG network agreement every member signs."""
    by_provider = idx.memo.get("agreements-of-provider")
    if by_provider is None:
        by_provider = {}
        for agreement in idx.net.agreements:
            for party in agreement.parties:
                by_provider.setdefault(party, []).append(agreement)
        idx.memo["agreements-of-provider"] = by_provider
    return any(b in x.parties and x.binding and x.kind is not AgreementKind.KKG_3
               and len(x.parties) <= settings.setting_max_parties and x.is_valid_on(as_of)
               for x in by_provider.get(a, ()))



def _sources(services: Sequence[str], adj: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Each service's sources among ``services`` (the reverse of ``adj``; made per check
    rather than kept in the index: 200,000 lists of a Land network cost 25 MB)."""
    radj: dict[str, list[str]] = {s: [] for s in services}
    for u in services:
        for v in adj[u]:
            radj[v].append(u)
    return radj

class _Quarter:
    def __init__(self, idx: ChainIndex, quarter: str, inactive: frozenset[str],
                 as_of: dt.date, settings: AnalysisSettings) -> None:
        self.idx, self.q, self.as_of, self.settings = idx, quarter, as_of, settings
        self.net = idx.net
        qi = idx.quarters[quarter]
        self.qi = qi
        self.all_running = not inactive
        if not inactive:  # the usual case: the quarter's shape as indexed
            self.active = qi.services
            self.active_set = set(qi.services)
            self.adj, self.covers = qi.succ, qi.covers
            self.radj = _sources(qi.services, qi.succ)
        else:
            self.active = [s for s in qi.services if s not in inactive]
            aset = self.active_set = set(self.active)
            self.adj = {s: [v for v in qi.succ[s] if v in aset] for s in self.active}
            self.radj = _sources(self.active, self.adj)
            self.covers = [[s for s in services if s in aset] for services in qi.covers]
        self.groups = [(k, f, [s for s in members if s in self.active_set])
                       for k, f, members in qi.groups]
        self.quarter_name = self.net.quarter_index[quarter].name
        self.demand: dict[str, StageDemand] | None = None
        self.out: list[Finding] = []

    # -- helpers
    def name(self, service: str) -> str:
        return service_label(self.net, service)

    def stage(self, k: int) -> str:
        return self.net.catalogue.life_stages[k].name

    def add(self, code: str, ids: tuple[str, ...], message: str, next_step: str) -> None:
        self.out.append(Finding.make(code, ids, (self.q,), message, next_step))

    def add_service(self, code: str, service: str, message: str, next_step: str) -> None:
        """A finding about one service as seen from this quarter (the check joins the
        same finding of a service in several quarters into one)."""
        prefix = texts.IN_QUARTER.format(quarter=self.quarter_name)
        self.add(code, (service,), prefix + message, next_step)

    def reach(self, starts: Iterable[str], adj: Mapping[str, Sequence[str]],
              without: frozenset[str] = frozenset()) -> set[str]:
        seen = {s for s in starts if s not in without}
        stack = list(seen)
        push, add = stack.append, seen.add
        while stack:
            for v in adj[stack.pop()]:
                if v not in seen and v not in without:
                    add(v)
                    push(v)
        return seen

    # -- rules
    def findings(self) -> list[Finding]:
        gaps = self.stage_gaps()
        pearls = self.pearls()
        self.unreachable(pearls)
        self.dead_ends(pearls)
        joined = self.chain_breaks(gaps)
        self.single_points(pearls, joined)
        self.anchors()
        self.languages_not_covered()
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
        adj, radj = self.adj, self.radj
        pearls = {s for s in self.active if not adj[s] and not radj[s]}
        for s in (x for x in self.active if x in pearls):
            self.add_service("PEARL", s, texts.PEARL.format(service=self.name(s)),
                             texts.PEARL_NEXT)
        return pearls

    def unreachable(self, pearls: set[str]) -> None:
        entries = list(dict.fromkeys(s for k in sorted(self.idx.entry_orders)
                                     for s in self.covers[k]))
        if not entries:
            return
        reached = self._reached_in_stage_order(entries)
        if reached is None:  # something needs more than one step back: walk the graph
            reached = self.reach(entries, self.adj)
        for s in self.active:
            if s not in reached and s not in pearls:
                self.add_service("UNREACHABLE", s,
                                 texts.UNREACHABLE.format(service=self.name(s)),
                                 texts.UNREACHABLE_NEXT)

    def _reached_in_stage_order(self, entries: list[str]) -> set[str] | None:
        """Quick path: services in life-course order, each reached from one already reached.

        Returns None as soon as a service has no reached predecessor yet (it may still be
        reachable through a later one; the caller then does the full search)."""
        reached = set(entries)
        radj, active = self.radj, self.active_set
        for s in self.qi.by_first:
            if s in reached or s not in active:
                continue
            for p in radj[s]:
                if p in reached:
                    reached.add(s)
                    break
            else:
                return None
        return reached

    def dead_ends(self, pearls: set[str]) -> None:
        orders, final, adj = self.idx.orders, self.idx.last_order, self.adj
        progress = self.qi.progress if self.all_running else set()
        for s in self.active:
            mine = orders[s][-1]
            if mine == final or s in pearls or s in progress:
                continue
            for v in adj[s]:
                if orders[v][-1] > mine:
                    break
            else:
                if any(orders[v][-1] > mine for v in self.reach([s], adj)):
                    continue
                self.add_service("DEAD_END", s, texts.DEAD_END.format(service=self.name(s)),
                                 texts.DEAD_END_NEXT)

    def _witnesses(self, k: int, k2: int) -> tuple[bool, set[str], set[str]]:
        """Direct joins of stages k and k2 (a service covering both, or a transition):
        whether there is one, and the services and providers that every one of them
        needs (the only candidates for a single point; usually none)."""
        nxt = set(self.covers[k2])
        services = self.idx.services
        found = False
        common: set[str] = set()
        pcommon: set[str] = set()
        for u in self.covers[k]:
            for v in (u, *self.adj[u]) if u in nxt else self.adj[u]:
                if v not in nxt:
                    continue
                nodes = {u, v}
                providers = {services[u].provider, services[v].provider}
                if not found:
                    found, common, pcommon = True, nodes, providers
                else:
                    common &= nodes
                    pcommon &= providers
                    if not common and not pcommon:
                        return True, common, pcommon
        return found, common, pcommon

    def _joined(self, k: int, k2: int, without: frozenset[str] = frozenset()) -> bool:
        targets = set(self.covers[k2]) - without
        if not targets:
            return False
        reached = self.reach(self.covers[k], self.adj, without)
        return not reached.isdisjoint(targets)

    def links(self, gaps: set[int]) -> list[tuple[int, int]]:
        """Each stage with services and the next later stage with services."""
        covered = [k for k in range(len(self.covers)) if k not in gaps]
        return list(pairwise(covered))

    def chain_breaks(self, gaps: set[int]
                     ) -> dict[tuple[int, int], tuple[set[str], set[str]] | None]:
        """Joined links (k, k2): the candidate single points of their direct joins
        (None when only a longer path joins them). An empty stage between two stages
        with services does not excuse a missing path."""
        joined: dict[tuple[int, int], tuple[set[str], set[str]] | None] = {}
        for k, k2 in self.links(gaps):
            direct, common, pcommon = self._witnesses(k, k2)
            if direct:
                joined[k, k2] = (common, pcommon)
                continue
            if self._joined(k, k2):
                joined[k, k2] = None
                continue
            a, b = self.idx.stage_ids[k], self.idx.stage_ids[k2]
            between = ", ".join(f"„{self.stage(x)}“" for x in range(k + 1, k2))
            self.add("CHAIN_BREAK", (self.q, a, b),
                     texts.CHAIN_BREAK.format(quarter=self.quarter_name, a=self.stage(k),
                                              b=self.stage(k2))
                     + (texts.CHAIN_BREAK_OVER_GAP.format(stages=between) if between else ""),
                     texts.CHAIN_BREAK_NEXT.format(a=self.stage(k), b=self.stage(k2)))
        return joined

    def needed(self, k: int) -> bool:
        """Whether families of the quarter need stage k (not when the social data count
        no child in it)."""
        if self.demand is None:
            self.demand = stage_demand(self.net, self.q, self.as_of.year)
        d = self.demand.get(self.idx.stage_ids[k])
        return d is None or d.children > 0

    def carriers(self, services: Iterable[str]) -> str:
        return ", ".join(self.name(s) for s in sorted(services, key=self.active.index))

    def single_points(self, pearls: set[str],
                      joined: dict[tuple[int, int], tuple[set[str], set[str]] | None]) -> None:
        """At most one note per quarter (``SINGLE_POINT``, low): the stages and links of
        the chain that rest on one service or provider, where families need them.

        The chain is its linked services: an offer without any transition (a pearl, which
        ``PEARL`` names) neither carries nor relieves a stage, so adding or removing an
        unconnected offer leaves the note as it is. What ``STAGE_GAP`` or
        ``CHAIN_BREAK`` say is not repeated, nor a link that fails only with a stage
        already named."""
        by_id = self.idx.services
        pname = self.net.provider_index
        covers = [[s for s in services if s not in pearls] for services in self.covers]
        stages: list[str] = []  # "„Phase“ (Angebot)"
        alone: dict[int, set[str]] = {}  # stage -> the services it rests on
        alone_p: dict[int, str] = {}
        for k, services in enumerate(covers):
            if not services or not self.needed(k):
                continue
            providers = {by_id[s].provider for s in services}
            if len(services) == 1:
                alone[k] = set(services)
                stages.append(texts.SP_STAGE.format(stage=self.stage(k),
                                                    what=self.carriers(services)))
            elif len(providers) == 1:
                (p,) = providers
                alone[k], alone_p[k] = set(services), p
                stages.append(texts.SP_STAGE_PROVIDER.format(
                    stage=self.stage(k), provider=pname[p].name,
                    services=self.carriers(services)))
        links: list[str] = []
        chain = [s for s in self.active if s not in pearls]
        covered = [k for k, services in enumerate(covers) if services]
        for k, k2 in pairwise(covered):
            if not (self.needed(k) and self.needed(k2)):
                continue
            if (k, k2) in joined and joined[k, k2] is not None:
                direct = joined[k, k2]
                assert direct is not None
                candidates, pcandidates = direct
            elif self._joined(k, k2):  # joined through a longer path: any may matter
                candidates = set(chain)
                pcandidates = {by_id[s].provider for s in chain}
            else:  # CHAIN_BREAK says it (or only a pearl stood between)
                continue
            said = alone.get(k, set()) | alone.get(k2, set())
            said_p = {alone_p.get(k), alone_p.get(k2)}
            losing = {s for s in candidates - said - pearls
                      if not self._joined(k, k2, frozenset((s,)))}
            providers = set()
            for p in pcandidates - said_p:
                own = frozenset(s for s in chain if by_id[s].provider == p)  # rare
                if len(own) > 1 and not own <= said and not self._joined(k, k2, own):
                    providers.add(p)
            if not losing and not providers:
                continue
            what = [self.carriers(losing)] if losing else []
            what += [f"den Träger „{pname[p].name}“" for p in sorted(providers)]
            links.append(texts.SP_LINK.format(a=self.stage(k), b=self.stage(k2),
                                              what=" und ".join(what)))
        if not stages and not links:
            return
        parts = []
        if stages:
            parts.append(texts.SP_STAGES.format(items="; ".join(stages)))
        if links:
            parts.append(texts.SP_LINKS.format(items="; ".join(links)))
        self.add("SINGLE_POINT", (self.q,),
                 texts.SINGLE_POINT.format(quarter=self.quarter_name, parts=" ".join(parts)),
                 texts.SINGLE_POINT_NEXT)

    def languages_not_covered(self) -> None:
        """``LANGUAGE_NOT_COVERED``: a main language of the quarter's families (newest
        social data of the year) that no running offer of a stage they need speaks – no
        offer of the stage speaks it, none is a language bridge, and no transition into
        one of its offers brings language mediation. One finding per language, naming
        those stages; stages without offers are ``STAGE_GAP``."""
        data = self.net.quarter_index[self.q].social_data_for(self.as_of.year)
        if data is None or not data.main_languages:
            return
        mediated = self.idx.memo.get("mediated-handovers")
        if mediated is None:  # target -> sources whose hand-over brings mediation
            mediated = {}
            for t in self.net.transitions:
                if t.language_mediation:
                    mediated.setdefault(t.target, set()).add(t.source)
            self.idx.memo["mediated-handovers"] = mediated
        by_id = self.idx.services
        for language in data.main_languages:
            missing = [k for k, services in enumerate(self.covers)
                       if services and self.needed(k) and not any(
                           language in by_id[s].languages or by_id[s].language_bridge
                           or not mediated.get(s, set()).isdisjoint(self.active_set)
                           for s in services)]
            if not missing:
                continue
            name = texts.LANGUAGE_NAMES.get(language, language)
            stages = ", ".join(f"„{self.stage(k)}“" for k in missing)
            self.add("LANGUAGE_NOT_COVERED", (self.q, language),
                     texts.LANGUAGE_NOT_COVERED.format(quarter=self.quarter_name,
                                                       language=name, stages=stages,
                                                       year=data.year),
                     texts.LANGUAGE_NOT_COVERED_NEXT.format(language=name))

    def anchors(self) -> None:
        anchor, services = self.idx.provider_anchor, self.idx.services
        present = self.qi.anchors if self.all_running else {
            anchor[services[s].provider] for s in self.active}
        for kind in AnchorKind:
            if kind not in present:
                label = texts.ANCHOR_LABELS[kind.value]
                self.add("ANCHOR_MISSING", (self.q, kind.value),
                         texts.ANCHOR_MISSING.format(quarter=self.quarter_name, anchor=label),
                         texts.ANCHOR_MISSING_NEXT.format(anchor=label))

    def redundant(self) -> None:
        reported: set[frozenset[str]] = set()
        by_id = self.idx.services
        for k, _f, services in self.groups:
            if len({by_id[s].provider for s in services}) < 2:
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
        loose: list[str] = []
        for i, a in enumerate(services):
            for b in services[i + 1:]:
                pa, pb = self.idx.services[a].provider, self.idx.services[b].provider
                if pa == pb or self._handover_between(a, b):
                    continue
                if _coordinating_agreement(self.idx, pa, pb, self.as_of, self.settings):
                    continue
                loose += [x for x in (a, b) if x not in loose]
        return loose

    def _handover_between(self, a: str, b: str) -> bool:
        """A transition between the two services (in any quarter)."""
        idx = self.idx
        return any(idx.transitions[t].source == a for t in idx.incoming.get(b, ())) or any(
            idx.transitions[t].source == b for t in idx.incoming.get(a, ()))

    def capacity(self) -> None:
        demand = stage_demand(self.net, self.q, self.as_of.year)
        if not demand:
            return
        share, places = self.idx.capacity_share, self.idx.in_places
        for k, services in enumerate(self.covers):
            d = demand.get(self.idx.stage_ids[k])
            if d is None or not d.children:
                continue
            if self.all_running:
                held, starts, n_stated = self.qi.capacity[k]
            else:
                held, starts, n_stated = self.idx.stage_capacity(services, k)
            if not n_stated:
                continue
            coverage = held / d.children + starts / d.cohort
            if coverage >= self.settings.capacity_ratio:
                continue
            stated = [s for s in services if share(s) is not None]
            unknown = len(services) - len(stated)
            supply = []
            if any(s in places for s in stated):
                supply.append(texts.CAPACITY_PLACES.format(n=round(held),
                                                           demand=round(d.children)))
            if not all(s in places for s in stated):
                supply.append(texts.CAPACITY_STARTS.format(n=round(starts),
                                                           demand=round(d.cohort)))
            source = (texts.CAPACITY_DERIVED.format(births=d.births, year=d.year) if d.derived
                      else texts.CAPACITY_COUNTED.format(year=d.year))
            self.add("CAPACITY_GAP", (self.q, self.idx.stage_ids[k]),
                     texts.CAPACITY_GAP.format(
                         quarter=self.quarter_name, stage=self.stage(k),
                         # „Plätze“ only for places held at once: starts are „Aufnahmen“
                         what=texts.CAPACITY_WHAT_MIXED if len(supply) > 1
                         else texts.CAPACITY_WHAT[not any(s in places for s in stated)],
                         # rounded down: a gap never reads „deckt 100%“
                         supply="; ".join(supply), share=f"{_percent_below(coverage)}%",
                         source=source,
                         services=", ".join(self.name(s) for s in stated))
                     + (texts.CAPACITY_UNKNOWN.format(n=unknown) if unknown else ""),
                     texts.CAPACITY_GAP_NEXT)


def _percent_below(share: float) -> int:
    """A share below 1 in whole percent, never 100 (a gap never reads „deckt 100%“), and
    not one too low where the float lies just under the percent (29 of 100 is 29 %).

    >>> _percent_below(29 / 100), _percent_below(0.995), _percent_below(0.5)
    (29, 99, 50)
    """
    pct = round(share * 100)
    return 99 if pct >= 100 and share < 1 else pct
