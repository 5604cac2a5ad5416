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

from graph.network import Network
from lotsen.findings import Finding
from lotsen.handoffs import handoff_findings
from lotsen.index import ChainIndex, get_index, without_gc
from lotsen.settings import AnalysisSettings
from lotsen.structure import quarter_structure

__all__ = ["check", "sort_findings"]


def check(net: Network, as_of: dt.date | None = None,
          settings: AnalysisSettings | None = None,
          quarters: Iterable[str] | None = None) -> list[Finding]:
    """Every finding on ``as_of`` (default today), sorted by severity; optionally only
    for some quarters (ids or names; unknown ones raise NotFoundError with suggestions).
    """
    day = as_of or dt.date.today()
    cfg = settings or AnalysisSettings()
    idx = get_index(net)
    with without_gc():
        return _check(net, idx, day, cfg, quarters)


def _check(net: Network, idx: ChainIndex, day: dt.date, cfg: AnalysisSettings,
           quarters: Iterable[str] | None) -> list[Finding]:
    inactive = idx.inactive_on(day)
    found: list[Finding] = []
    if quarters is None:
        for q in idx.quarters:
            found.extend(quarter_structure(idx, q, idx.quarter_inactive(q, inactive), day, cfg))
        found.extend(handoff_findings(idx, day, cfg, inactive))
        return sort_findings(found)
    wanted = list(dict.fromkeys(net.find_quarter(q).id for q in quarters))
    for q in wanted:
        found.extend(quarter_structure(idx, q, idx.quarter_inactive(q, inactive), day, cfg))
    found.extend(handoff_findings(idx, day, cfg, inactive, wanted))
    return sort_findings(found)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first, then by code, quarter and ids (a stable order for reports)."""
    return sorted(findings, key=lambda f: (-f.severity, f.code, f.quarters, f.ids))
