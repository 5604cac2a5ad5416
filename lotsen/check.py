"""All findings of a network, or of some quarters, on an as-of date.

>>> import datetime as dt
>>> from graph.model import *
>>> from graph.network import Network
>>> net = Network(
...     name="Mini", municipalities=[Municipality(id="do", name="Dortmund")],
...     districts=[District(id="nord", name="Nord", municipality="do")],
...     quarters=[Quarter(id="q", name="Musterviertel", district="nord")],
...     providers=[Provider(id="klinik", name="Geburtsklinik", kind="health"),
...                Provider(id="awo", name="AWO", kind="free_welfare", anchor="kita")],
...     services=[Service(id="lotsen", name="Babylotsen", provider="klinik", quarters=["q"],
...                       life_stages=["pregnancy", "birth"], fields=["health"]),
...               Service(id="kita", name="Kita", provider="awo", quarters=["q"],
...                       life_stages=["toddler", "preschool", "school_entry"],
...                       fields=["education"])],
...     transitions=[Transition(id="t", source="lotsen", target="kita", owner="klinik")])
>>> findings = check(net, as_of=dt.date(2026, 11, 22))
>>> [f.code for f in findings if f.code in ("NO_AGREEMENT", "STAGE_GAP")]
['STAGE_GAP', 'STAGE_GAP', 'NO_AGREEMENT']
>>> print(next(f for f in findings if f.code == "NO_AGREEMENT").message)
Der Übergang „Babylotsen“ (Geburtsklinik) → „Kita“ (AWO) ist durch keine Vereinbarung abgesichert.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from graph.network import Network
from lotsen import texts
from lotsen.cooperation import assessed, quality_findings
from lotsen.families import estimate_families
from lotsen.findings import Finding
from lotsen.handoffs import handoff_findings
from lotsen.index import ChainIndex, get_index, without_gc
from lotsen.measures import overdue_findings
from lotsen.settings import AnalysisSettings
from lotsen.structure import quarter_structure

__all__ = ["SERVICE_CODES", "check", "sort_findings", "unweighed_check"]


def check(net: Network, as_of: dt.date | None = None,
          settings: AnalysisSettings | None = None,
          quarters: Iterable[str] | None = None) -> list[Finding]:
    """Every finding on ``as_of`` (default today), sorted by severity; optionally only
    for some quarters (ids or names; unknown ones raise NotFoundError with suggestions).
    Each carries an estimate of the families affected per year (``families``, see
    :mod:`lotsen.families`); rank them with :func:`lotsen.priority.prioritise` or
    :func:`lotsen.priority.top_findings`.
    """
    day = as_of or dt.date.today()
    return estimate_families(get_index(net), unweighed_check(net, day, settings, quarters),
                             day)


def unweighed_check(net: Network, day: dt.date, settings: AnalysisSettings | None = None,
                    quarters: Iterable[str] | None = None) -> list[Finding]:
    """:func:`check` without the estimate of the families affected (``families`` stays
    None): for counts and indicators, which never read it (it is two fifths of the
    work on a quarter)."""
    cfg = settings or AnalysisSettings()
    idx = get_index(net)
    with without_gc():
        found = _check(net, idx, day, cfg, quarters)
    if assessed(net):
        found = sort_findings([*found, *quality_findings(net, day, quarters)])
    if net.measures:
        overdue = overdue_findings(net, day)
        if quarters is not None:
            wanted = {net.find_quarter(q).id for q in quarters}
            overdue = [f for f in overdue if wanted.intersection(f.quarters)]
        found = sort_findings([*found, *overdue])
    return found


def _check(net: Network, idx: ChainIndex, day: dt.date, cfg: AnalysisSettings,
           quarters: Iterable[str] | None) -> list[Finding]:
    inactive = idx.inactive_on(day)
    found: list[Finding] = []
    if quarters is None:
        for q in idx.quarters:
            found.extend(quarter_structure(idx, q, idx.quarter_inactive(q, inactive), day, cfg))
        found = _join_quarters(idx, found)
        found.extend(handoff_findings(idx, day, cfg, inactive))
        return sort_findings(found)
    wanted = list(dict.fromkeys(net.find_quarter(q).id for q in quarters))
    for q in wanted:
        found.extend(quarter_structure(idx, q, idx.quarter_inactive(q, inactive), day, cfg))
    # a finding about a service that serves other quarters too names all of them
    others = {q for f in found if f.code in SERVICE_CODES
              for q in idx.services[f.ids[0]].quarters} - set(wanted)
    for q in sorted(others):
        found.extend(f for f in quarter_structure(idx, q, idx.quarter_inactive(q, inactive),
                                                  day, cfg) if f.code in SERVICE_CODES)
    found = _join_quarters(idx, found)
    if others:
        found = [f for f in found if not others.issuperset(f.quarters)]
    found.extend(handoff_findings(idx, day, cfg, inactive, wanted))
    return sort_findings(found)


SERVICE_CODES = frozenset({"PEARL", "DEAD_END", "UNREACHABLE"})
"""Codes of findings about one service as seen from a quarter."""


def _join_quarters(idx: ChainIndex, found: list[Finding]) -> list[Finding]:
    """One finding per service and code, listing every quarter it holds in."""
    groups: dict[tuple[str, tuple[str, ...]], list[Finding]] = {}
    out: list[Finding] = []
    for f in found:
        if f.code in SERVICE_CODES:
            groups.setdefault(f.key, []).append(f)
        else:
            out.append(f)
    for group in groups.values():
        if len(group) == 1:
            out.append(group[0])
            continue
        order = idx.services[group[0].ids[0]].quarters
        group.sort(key=lambda f: order.index(f.quarters[0]))
        quarters = tuple(f.quarters[0] for f in group)
        names = [idx.net.quarter_index[q].name for q in quarters]
        first = group[0]
        body = first.message.removeprefix(texts.IN_QUARTER.format(quarter=names[0]))
        prefix = texts.IN_QUARTERS.format(quarters=", ".join(names[:-1]) + " und " + names[-1])
        out.append(replace(first, quarters=quarters, message=prefix + body))
    return out


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first, then by code, quarter and ids (a stable order for reports)."""
    return sorted(findings, key=lambda f: (-f.severity, f.code, f.quarters, f.ids))
