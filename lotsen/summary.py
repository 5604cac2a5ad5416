"""What is in a network: counts per quarter and life stage.

>>> from seeds import load_seed
>>> import datetime as dt
>>> s = summarize(load_seed("brunnenstrasse"), as_of=dt.date(2026, 11, 22))
>>> row = s.quarters[0]
>>> row.name, row.services, row.by_stage["primary_school"]
('Brunnenstraßen-/Hannibalviertel', 17, 5)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from graph.network import Network

__all__ = ["NetworkSummary", "QuarterSummary", "summarize"]


@dataclass(frozen=True)
class QuarterSummary:
    """Counts of one quarter on the as-of date."""

    id: str
    name: str
    district: str
    services: int
    inactive_services: int
    providers: int
    transitions: int
    agreements: int
    by_stage: dict[str, int] = field(default_factory=dict)

    @property
    def empty_stages(self) -> list[str]:
        return [stage for stage, n in self.by_stage.items() if n == 0]


@dataclass(frozen=True)
class NetworkSummary:
    """Totals and per-quarter counts of a network."""

    name: str
    as_of: dt.date
    stage_names: dict[str, str]
    quarters: list[QuarterSummary]
    totals: dict[str, int]


def summarize(net: Network, as_of: dt.date | None = None) -> NetworkSummary:
    """Counts per quarter (active services per life stage) on ``as_of`` (default today)."""
    day = as_of or dt.date.today()
    stages = [s.id for s in net.catalogue.life_stages]
    services_of: dict[str, list[str]] = {q.id: [] for q in net.quarters}
    for s in net.services:
        for q_id in s.quarters:
            services_of.setdefault(q_id, []).append(s.id)
    district_names = {d.id: d.name for d in net.districts}
    municipality_names = {m.id: m.name for m in net.municipalities}
    index = net.service_index
    transitions_of: dict[str, list[tuple[str, ...]]] = {}
    for t in net.transitions:
        touched = set(index[t.source].quarters) | set(index[t.target].quarters)
        for q_id in touched:
            transitions_of.setdefault(q_id, []).append(tuple(t.agreements))
    rows = []
    for quarter in net.quarters:
        q = quarter
        here = [index[sid] for sid in services_of.get(q.id, [])]
        active = [s for s in here if s.is_active_on(day)]
        transitions = transitions_of.get(q.id, [])
        by_stage = dict.fromkeys(stages, 0)
        for s in active:
            for stage in s.life_stages:
                by_stage[stage] += 1
        rows.append(QuarterSummary(
            id=q.id, name=q.name,
            district=district_names.get(q.district or "", q.district or "")
            or municipality_names.get(q.municipality or "", ""),
            services=len(active), inactive_services=len(here) - len(active),
            providers=len({s.provider for s in here}), transitions=len(transitions),
            agreements=len({a for agreements in transitions for a in agreements}),
            by_stage=by_stage))
    totals = {
        "quarters": len(net.quarters), "providers": len(net.providers),
        "services": len(net.services), "transitions": len(net.transitions),
        "agreements": len(net.agreements), "referral_flows": len(net.referral_flows),
    }
    return NetworkSummary(name=net.name, as_of=day,
                          stage_names={s.id: s.label for s in net.catalogue.life_stages},
                          quarters=rows, totals=totals)
