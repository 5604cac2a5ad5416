"""Indicators (Kennzahlen) per quarter, rolled up to district, municipality, Kreis, Land.

Every indicator keeps its counts, so that a roll-up adds counts and divides once
(never an average of ratios), and quarters stay comparable with each other and over
time (the chain as it stood on the as-of date).

* stage coverage – stages with a running service / all stages
* binding share – transitions with a valid binding agreement / transitions
* continuity – consecutive stage pairs the chain joins / all consecutive pairs; a pair
  counts as joined only when both stages have services, no CHAIN_BREAK separates them and
  no service ending in the first stage is a dead end (so it agrees with the findings)
* pearls, expiring agreements (binding, in force, ending within the horizon)
* loss rate – families lost / families referred (referral figures in the window)
* capacity per 100 children of each stage

>>> import datetime as dt
>>> from seeds import load_seed
>>> ind = quarter_indicators(load_seed("brunnenstrasse"), "brunnenstrasse",
...                          as_of=dt.date(2026, 11, 22))
>>> ind.stage_coverage, ind.pearls, ind.expiring_agreements
(1.0, 1, 1)
>>> round(ind.binding_share, 2), ind.continuity
(0.79, 1.0)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from graph.hierarchy import LEVELS, area_of
from graph.network import Network
from lotsen.check import unweighed_check
from lotsen.handoffs import backing, is_exempt
from lotsen.index import get_index
from lotsen.settings import AnalysisSettings

__all__ = ["Indicators", "quarter_indicators", "rollup"]


_PER_SERVICE = frozenset({"PEARL", "DEAD_END", "UNREACHABLE", "SINGLE_POINT"})


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


@dataclass
class Indicators:
    """Indicators of one area (quarter, district, municipality) on a date."""

    level: str
    id: str
    name: str
    as_of: dt.date
    quarters: list[str] = field(default_factory=list)
    stages_total: int = 0
    stages_covered: int = 0
    pairs_total: int = 0
    pairs_joined: int = 0
    capacity: dict[str, float] = field(default_factory=dict)
    children: dict[str, int] = field(default_factory=dict)
    # by id, so that a transition or service shared by quarters counts once in a roll-up
    binding: dict[str, bool] = field(default_factory=dict)  # transition -> validly bound
    flows: dict[str, tuple[int, int]] = field(default_factory=dict)  # transition -> figures
    expiring: set[str] = field(default_factory=set)  # agreement ids
    pearl_services: set[str] = field(default_factory=set)
    finding_keys: dict[tuple[str, tuple[str, ...]], str] = field(default_factory=dict)

    @property
    def transitions_total(self) -> int:
        return len(self.binding)

    @property
    def transitions_binding(self) -> int:
        return sum(self.binding.values())

    @property
    def pearls(self) -> int:
        return len(self.pearl_services)

    @property
    def expiring_agreements(self) -> int:
        return len(self.expiring)

    @property
    def referred(self) -> int:
        return sum(r for r, _ in self.flows.values())

    @property
    def arrived(self) -> int:
        return sum(a for _, a in self.flows.values())

    @property
    def findings(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for code in self.finding_keys.values():
            counts[code] = counts.get(code, 0) + 1
        return counts

    @property
    def stage_coverage(self) -> float | None:
        return _ratio(self.stages_covered, self.stages_total)

    @property
    def binding_share(self) -> float | None:
        return _ratio(self.transitions_binding, self.transitions_total)

    @property
    def continuity(self) -> float | None:
        return _ratio(self.pairs_joined, self.pairs_total)

    @property
    def loss_rate(self) -> float | None:
        return _ratio(self.referred - self.arrived, self.referred)

    def capacity_per_100(self) -> dict[str, float | None]:
        """Capacity per 100 children, per life stage with known children."""
        return {stage: (100 * self.capacity.get(stage, 0.0) / n if n else None)
                for stage, n in self.children.items()}

    def add(self, other: Indicators) -> None:
        """Add the counts of ``other`` (for roll-ups)."""
        self.quarters += other.quarters
        for name in ("stages_total", "stages_covered", "pairs_total", "pairs_joined"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for stage, value in other.capacity.items():
            self.capacity[stage] = self.capacity.get(stage, 0.0) + value
        for stage, n in other.children.items():
            self.children[stage] = self.children.get(stage, 0) + n
        self.binding.update(other.binding)
        self.flows.update(other.flows)
        self.expiring |= other.expiring
        self.pearl_services |= other.pearl_services
        self.finding_keys.update(other.finding_keys)

    def to_dict(self) -> dict[str, object]:
        return {
            "level": self.level, "id": self.id, "name": self.name,
            "as_of": self.as_of.isoformat(), "quarters": self.quarters,
            "stage_coverage": self.stage_coverage, "binding_share": self.binding_share,
            "continuity": self.continuity, "pearls": self.pearls,
            "expiring_agreements": self.expiring_agreements, "loss_rate": self.loss_rate,
            "capacity_per_100": self.capacity_per_100(), "findings": self.findings,
            "counts": {"stages": [self.stages_covered, self.stages_total],
                       "transitions": [self.transitions_binding, self.transitions_total],
                       "pairs": [self.pairs_joined, self.pairs_total],
                       "referred": self.referred, "arrived": self.arrived},
        }


def quarter_indicators(net: Network, quarter: str, as_of: dt.date | None = None,
                       settings: AnalysisSettings | None = None) -> Indicators:
    """The indicators of one quarter (id or name)."""
    day, cfg = as_of or dt.date.today(), settings or AnalysisSettings()
    q = net.find_quarter(quarter)
    idx = get_index(net)
    qi = idx.quarters[q.id]
    inactive = idx.quarter_inactive(q.id, idx.inactive_on(day))
    active = [s for s in qi.services if s not in inactive]
    stages = len(idx.stage_ids)
    ind = Indicators("quarter", q.id, q.name, day, [q.id], stages_total=stages,
                     pairs_total=stages - 1)
    covered = {k for s in active for k in idx.orders[s]}
    ind.stages_covered = len(covered)
    findings = unweighed_check(net, day, cfg, quarters=[q.id])
    broken: set[int] = set()  # k: the pair (k, k+1) is not joined
    # the count is the open list's: „geprüft, bewusst so“ on that day is not counted (the
    # chain's continuity and the pearls below still see every finding)
    hidden = {a.key for a in net.accepted_findings if a.is_active_on(day)}
    for f in findings:
        # service-level findings are per service; count the service once in roll-ups
        if f.stable_key not in hidden:
            ind.finding_keys[(f.code, f.ids[:1] if f.code in _PER_SERVICE else f.ids)] = f.code
        if f.code == "CHAIN_BREAK":
            broken.update(range(idx.net.catalogue.stage_order(f.ids[1]),
                                idx.net.catalogue.stage_order(f.ids[2])))
        elif f.code == "DEAD_END":
            broken.add(idx.orders[f.ids[0]][-1])
        if f.code == "PEARL":
            ind.pearl_services.add(f.ids[0])
    ind.pairs_joined = sum(1 for k in range(stages - 1)
                           if k in covered and k + 1 in covered and k not in broken)
    window_start = day - dt.timedelta(days=cfg.flow_window_days)
    for tid in qi.transitions:
        t = net.transition_index[tid]
        if t.source in inactive:
            continue
        state = backing(idx, tuple(t.agreements), t.owner, day, cfg)
        # information only or within one provider: no contract needed, counts as bound
        ind.binding[tid] = state.code in (None, "AGREEMENT_EXPIRING") or (
            is_exempt(idx, tid) and state.code in ("NO_AGREEMENT", "INFORMAL_ONLY"))
        if state.code == "AGREEMENT_EXPIRING":
            ind.expiring.update(state.agreements)
        flows = [f for f in idx.flows.get(tid, ()) if window_start <= f.period_end <= day]
        if flows:
            newest = max(flows, key=lambda f: f.period_end)
            ind.flows[tid] = (newest.referred, newest.arrived)
    data = q.social_data_for(day.year)
    if data is not None:
        for stage, n in data.children_by_stage.items():
            ind.children[stage] = n
    for s in active:
        share = idx.capacity_share(s)
        if share is None:
            continue
        for k, fraction in idx.stage_fraction(s).items():
            stage = idx.stage_ids[k]
            ind.capacity[stage] = ind.capacity.get(stage, 0.0) + share * fraction
    return ind


def rollup(net: Network, level: str = "district", as_of: dt.date | None = None,
           settings: AnalysisSettings | None = None,
           quarters: Iterable[str] | None = None) -> list[Indicators]:
    """Indicators of every area of ``level``: ``district``, ``municipality``, ``county``
    (Kreis) or ``state`` (Land); where a level is missing the next smaller area stands in
    (a town without Stadtbezirke, a kreisfreie Stadt; see :mod:`graph.hierarchy`), and
    the area's ``level`` says which it is.

    >>> import datetime as dt
    >>> from seeds import load_seed
    >>> [(a.name, a.quarters) for a in rollup(load_seed("dortmund"), "district",
    ...                                       as_of=dt.date(2026, 11, 22))]
    [('Innenstadt-Nord (Nordstadt)', ['brunnenstrasse', 'libellenquartier']), ('Hörde', ['hoerde'])]
    """
    day = as_of or dt.date.today()
    if level not in LEVELS or level == "quarter":
        raise ValueError(f"Unbekannte Ebene '{level}' (district, municipality, county oder "
                         "state).")
    wanted = {net.find_quarter(q).id for q in quarters} if quarters else None
    areas: dict[tuple[str, str], Indicators] = {}
    for q in net.quarters:
        if wanted is not None and q.id not in wanted:
            continue
        area = area_of(net, q.id, level)
        if area is None:
            continue
        total = areas.setdefault((area.level, area.id),
                                 Indicators(area.level, area.id, area.name, day))
        total.add(quarter_indicators(net, q.id, day, settings))
    return list(areas.values())
