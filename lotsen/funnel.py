"""The hand-off funnel of a quarter: families referred and arrived, transition by
transition along the chain (issue 26, point 5).

Only the aggregated referral figures of the network (:class:`graph.model.ReferralFlow`:
a count per transition and period, never a family) – the same figures the indicator
„Verlust bei Übergaben“ and the finding ``HANDOFF_LOSS`` read: per transition whose
source runs on the date, the newest period ending within ``flow_window_days`` before it.
The steps run along the life course: by the life stage where the hand-over starts, then
where it leads, then by name. A step is ``flagged`` when the quarter's open findings (the
list every surface shows, :mod:`lotsen.open_findings`) hold a ``HANDOFF_LOSS`` for it –
an accepted one is not.

>>> import datetime as dt
>>> from seeds import load_seed
>>> f = handoff_funnel(load_seed("brunnenstrasse"), "brunnenstrasse", dt.date(2026, 11, 22))
>>> len(f.steps) > 0, f.referred >= f.arrived
(True, True)
>>> step = f.steps[0]
>>> step.referred - step.arrived == step.lost, 0.0 <= step.loss_rate <= 1.0
(True, True)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from graph.network import Network
from lotsen.findings import Finding
from lotsen.index import get_index
from lotsen.open_findings import open_findings
from lotsen.settings import AnalysisSettings

__all__ = ["Funnel", "FunnelStep", "handoff_funnel"]


@dataclass(frozen=True)
class FunnelStep:
    """One hand-over with its newest referral figures."""

    transition: str
    source_name: str
    target_name: str
    stage: str  # the life stage where it starts (short label, e.g. "0–1 J.")
    referred: int
    arrived: int
    period_start: dt.date
    period_end: dt.date
    flagged: bool = False  # an open HANDOFF_LOSS finding of the quarter names it

    @property
    def label(self) -> str:
        return f"{self.source_name} → {self.target_name}"

    @property
    def lost(self) -> int:
        return max(self.referred - self.arrived, 0)

    @property
    def loss_rate(self) -> float:
        return self.lost / self.referred if self.referred else 0.0


@dataclass(frozen=True)
class Funnel:
    """The funnel of one quarter on a date."""

    quarter: str
    quarter_name: str
    as_of: dt.date
    steps: list[FunnelStep] = field(default_factory=list)
    without_figures: int = 0  # running hand-overs of the quarter with no figures in window

    @property
    def referred(self) -> int:
        return sum(s.referred for s in self.steps)

    @property
    def arrived(self) -> int:
        return sum(s.arrived for s in self.steps)

    @property
    def lost(self) -> int:
        return sum(s.lost for s in self.steps)


def handoff_funnel(net: Network, quarter: str, as_of: dt.date | None = None,
                   settings: AnalysisSettings | None = None,
                   findings: Sequence[Finding] | None = None) -> Funnel:
    """The funnel of one quarter (id or name); ``findings`` – the quarter's open findings
    when the caller has them (default: :func:`lotsen.open_findings.open_findings`)."""
    day, cfg = as_of or dt.date.today(), settings or AnalysisSettings()
    q = net.find_quarter(quarter)
    idx = get_index(net)
    qi = idx.quarters[q.id]
    inactive = idx.quarter_inactive(q.id, idx.inactive_on(day))
    if findings is None:
        findings = open_findings(net, q.id, day, cfg)
    lossy = {i for f in findings if f.code == "HANDOFF_LOSS" for i in f.ids}
    window_start = day - dt.timedelta(days=cfg.flow_window_days)
    stages = net.catalogue.life_stages
    rows: list[tuple[tuple[int, int, str, str], FunnelStep]] = []
    without = 0
    for tid in qi.transitions:
        t = idx.transitions[tid]
        if t.source in inactive:
            continue
        flows = [f for f in idx.flows.get(tid, ()) if window_start <= f.period_end <= day]
        if not flows:
            without += 1
            continue
        newest = max(flows, key=lambda f: f.period_end)
        src, tgt = idx.services[t.source], idx.services[t.target]
        first, goal = idx.orders[t.source][0], idx.orders[t.target][0]
        step = FunnelStep(tid, src.name, tgt.name, stages[first].label, newest.referred,
                          newest.arrived, newest.period_start, newest.period_end,
                          flagged=tid in lossy)
        rows.append(((first, goal, src.name.casefold(), tgt.name.casefold()), step))
    rows.sort(key=lambda r: r[0])
    return Funnel(q.id, q.name, day, [s for _k, s in rows], without)
