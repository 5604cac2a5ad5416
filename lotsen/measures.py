"""Maßnahmen: what the network decided to do about findings, and how it stands.

A measure names the findings it addresses (their stable keys), a responsible provider
(a role, never a person), a due date and a status (offen, in Arbeit, erledigt,
verworfen). On a date, a measure whose findings are all gone shows "Befund behoben";
an open or running measure past its due date is itself a finding, ``MEASURE_OVERDUE``.

>>> import datetime as dt
>>> from graph.model import Measure
>>> from seeds import load_seed
>>> from lotsen.check import check
>>> net = load_seed("brunnenstrasse")
>>> m = Measure(id="m1", title="Übergang Kita → Grundschule neu vereinbaren",
...             findings=["AGREEMENT_EXPIRED/kita-bornstrasse-grundschule"],
...             responsible="tek-bornstrasse", due="2026-09-30")
>>> net = net.with_sections(measures=[m])
>>> day = dt.date(2026, 11, 22)
>>> [(s.measure.id, s.resolved, s.overdue) for s in measure_states(net, check(net, day), day)]
[('m1', False, True)]
>>> [f.code for f in check(net, day) if f.code == "MEASURE_OVERDUE"]
['MEASURE_OVERDUE']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from graph.model import Measure, MeasureStatus
from graph.network import Network
from lotsen import texts
from lotsen.findings import Finding

__all__ = ["MEASURE_STATUS_LABELS", "MeasureState", "measure_states", "overdue_findings"]

MEASURE_STATUS_LABELS = {"open": "offen", "in_progress": "in Arbeit", "done": "erledigt",
                         "dropped": "verworfen"}
_RUNNING = (MeasureStatus.OPEN, MeasureStatus.IN_PROGRESS)


@dataclass(frozen=True)
class MeasureState:
    """How a measure stands on a date."""

    measure: Measure
    open_findings: tuple[str, ...]  # its findings still present
    resolved: bool  # every finding it names is gone: "Befund behoben"
    overdue: bool  # open or in Arbeit, and past its due date

    @property
    def status_label(self) -> str:
        return MEASURE_STATUS_LABELS[self.measure.status.value]


def measure_states(net: Network, findings: Sequence[Finding],
                   as_of: dt.date) -> list[MeasureState]:
    """Every measure of the network on ``as_of``, given that day's findings."""
    present = {f.stable_key for f in findings}
    states = []
    for m in net.measures:
        still = tuple(k for k in m.findings if k in present)
        states.append(MeasureState(m, still, bool(m.findings) and not still,
                                   _is_overdue(m, as_of)))
    return states


def _is_overdue(m: Measure, as_of: dt.date) -> bool:
    return m.status in _RUNNING and m.due is not None and m.due < as_of


def overdue_findings(net: Network, as_of: dt.date) -> list[Finding]:
    """A ``MEASURE_OVERDUE`` finding for every open or running measure past its date;
    its quarters are those where the responsible provider runs services (all quarters
    when it runs none)."""
    out = []
    for m in net.measures:
        if not _is_overdue(m, as_of):
            continue
        assert m.due is not None
        provider = net.provider_index[m.responsible]
        quarters = tuple(q.id for q in net.quarters
                         if any(s.provider == m.responsible for s in net.services_in(q.id)))
        quarters = quarters or tuple(q.id for q in net.quarters)  # a provider without offers
        out.append(Finding.make(
            "MEASURE_OVERDUE", (m.id,), quarters,
            texts.MEASURE_OVERDUE.format(title=m.title, provider=provider.name,
                                         due=f"{m.due:%d.%m.%Y}",
                                         status=MEASURE_STATUS_LABELS[m.status.value]),
            texts.MEASURE_OVERDUE_NEXT))
    return out
