"""How many families a finding affects per year: the estimate the check adds to every
finding (``families``), from what the network knows, in this order:

* referral figures of a transition (the newest period, scaled to a year; for
  ``HANDOFF_LOSS`` the families lost);
* the yearly throughput a service states (starts per year, or places × 12 / months
  of its age span);
* the yearly cohort of the life stage concerned, from the quarter's social data
  (births per year where no child count is given, see :mod:`lotsen.demand`); for a
  capacity gap, the part of the cohort the capacity does not cover; for a language
  break, times the share of families with migrant roots where known.

A hand-over never affects more families than its target can take (its yearly throughput,
where stated): a target with 60 starts a year caps the estimate at 60 (issue 28.6).
``SINGLE_POINT`` (a planning note) has no estimate; ``LANGUAGE_NOT_COVERED`` takes the
yearly cohort entering the chain times the share with migrant roots, where known.

Unknown stays ``None``. :mod:`lotsen.priority` ranks the findings by it.

>>> import datetime as dt
>>> from lotsen.check import unweighed_check
>>> from lotsen.index import get_index
>>> from seeds import load_seed
>>> net, day = load_seed("brunnenstrasse"), dt.date(2026, 11, 22)
>>> found = estimate_families(get_index(net), unweighed_check(net, day), day)
>>> next(f.families for f in found if f.code == "NO_AGREEMENT")  # 10 Kita places for 2 years
5
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from graph.model import CapacityUnit
from lotsen.demand import stage_demand
from lotsen.findings import Finding
from lotsen.index import ChainIndex

__all__ = ["FAMILY_MEMO", "estimate_families"]

_SERVICE = frozenset({"PEARL", "DEAD_END", "UNREACHABLE"})
_STAGE = frozenset({"STAGE_GAP", "CHAIN_BREAK", "CAPACITY_GAP"})

FAMILY_MEMO = 8_000
"""Findings remembered per year (and date, where referral figures count) with their
estimate; :attr:`lotsen.index.ChainIndex.families` keeps a few such years or dates."""


def estimate_families(idx: ChainIndex, findings: Iterable[Finding],
                      as_of: dt.date) -> list[Finding]:
    """The findings with ``families`` set (where it can be estimated); remembered per
    finding and year, since the analysis hands out the same findings on every run."""
    key = (as_of.year, as_of if idx.flows else None)
    memo = idx.families.get(key)
    if memo is None or len(memo) > FAMILY_MEMO:
        # findings whose message names the date (days left, a service's end) are new on
        # every date: start afresh rather than grow with every date asked
        memo = idx.families[key] = {}
    out = []
    for f in findings:
        done = memo.get(f)
        if done is None:
            n = _families(idx, f, as_of)
            done = memo[f] = f if n is None else Finding(
                f.code, f.severity, f.ids, f.quarters, f.message, f.next_step, n, f.rank)
        out.append(done)
    return out


def _cohort(idx: ChainIndex, quarter: str, stage: str, year: int) -> float | None:
    d = stage_demand(idx.net, quarter, year).get(stage)
    return None if d is None else d.cohort


def _throughput(idx: ChainIndex, service: str) -> float | None:
    """Families a service serves per year in one of its quarters (None: not stated)."""
    share = idx.capacity_share(service)
    if share is None:
        return None
    s = idx.services[service]
    if s.capacity_unit is CapacityUnit.PLACES:
        stages = [idx.net.catalogue.life_stages[k] for k in idx.orders[service]]
        span = max(x.to_months for x in stages) - min(x.from_months for x in stages)
        return share * 12 / max(1, span)
    return share


def _flow_per_year(idx: ChainIndex, tid: str, as_of: dt.date,
                   lost: bool = False) -> float | None:
    flows = [f for f in idx.flows.get(tid, ()) if f.period_end <= as_of]
    if not flows:
        return None
    newest = max(flows, key=lambda f: f.period_end)
    days = max(1, (newest.period_end - newest.period_start).days + 1)
    count = newest.referred - newest.arrived if lost else newest.referred
    return count * 365 / days


def _families(idx: ChainIndex, f: Finding, as_of: dt.date) -> int | None:
    year = as_of.year
    value: float | None = None
    if f.code in _STAGE:
        q, stage = f.ids[0], f.ids[-1]
        value = _cohort(idx, q, stage, year)
        if f.code == "CAPACITY_GAP" and value is not None:
            # a gap leaves at least one family without a place (not „etwa 0“)
            value = max(1.0, value * _uncovered(idx, q, stage, year))
    elif f.code == "ANCHOR_MISSING":
        value = _cohort(idx, f.ids[0], idx.stage_ids[0], year)
    elif f.code == "LANGUAGE_NOT_COVERED":  # the yearly cohort × share with migrant roots
        value = _cohort(idx, f.ids[0], idx.stage_ids[0], year)
        data = idx.net.quarter_index[f.ids[0]].social_data_for(year)
        if value is not None and data is not None and data.migrant_share is not None:
            value *= data.migrant_share
    elif f.code in _SERVICE:
        s = f.ids[0]
        through = _throughput(idx, s)
        if through is not None:
            value = through * len(f.quarters)
        else:
            first = idx.stage_ids[idx.orders[s][0]]
            cohorts = [_cohort(idx, q, first, year) for q in f.quarters]
            value = sum(c for c in cohorts if c is not None) if any(
                c is not None for c in cohorts) else None
    elif f.code == "REDUNDANT":
        value = None  # a question of resources, not of families left without an offer
    elif f.ids and f.ids[0] in idx.transitions:
        value = _transition_families(idx, f, as_of)
    return None if value is None else round(value)


def _transition_families(idx: ChainIndex, f: Finding, as_of: dt.date) -> float | None:
    tid = f.ids[0]
    flow = _flow_per_year(idx, tid, as_of, lost=f.code == "HANDOFF_LOSS")
    if flow is not None:
        return flow
    t = idx.transitions[tid]
    stage = idx.stage_ids[idx.orders[t.target][0]]
    cohorts = [c for q in f.quarters
               if (c := _cohort(idx, q, stage, as_of.year)) is not None]
    through = _throughput(idx, t.source)
    if through is not None:
        value: float | None = through * len(f.quarters)
        if cohorts:
            value = min(value or 0.0, sum(cohorts))
    else:
        value = sum(cohorts) if cohorts else None
    taken = _throughput(idx, t.target)  # no more families than the target can take
    if value is not None and taken is not None:
        value = min(value, taken * len(f.quarters))
    if value is not None and f.code == "LANGUAGE_BREAK":
        shares = []
        for q in f.quarters:
            data = idx.net.quarter_index[q].social_data_for(as_of.year)
            if data is not None and data.migrant_share is not None:
                shares.append(data.migrant_share)
        if shares:
            value *= sum(shares) / len(shares)
    return value


def _uncovered(idx: ChainIndex, quarter: str, stage: str, year: int) -> float:
    """The share of the stage's demand its running capacity does not cover."""
    d = stage_demand(idx.net, quarter, year).get(stage)
    if d is None or not d.children:
        return 0.0
    k = idx.net.catalogue.stage_order(stage)
    held, starts, _ = idx.quarters[quarter].capacity[k]
    coverage = held / d.children + starts / d.cohort
    return max(0.0, 1.0 - coverage)
