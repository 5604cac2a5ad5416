"""„Wirkung nach einem Jahr“: did a measure or a new link change anything?

Kreis Unna checks the effect of a change after a year (004, 6.6.7). For a Maßnahme or a
new Übergang (one with ``valid_from``, „besteht seit“) this compares the affected
quarters in the year before its start with the year after it (or up to the as-of date,
when the year is not over yet):

* **Vermittlungszahlen** – families referred and arrived over the quarters' transitions
  (a referral period counts in the year that holds its middle), and the loss rate;
* **Befunde** – the open findings of the quarters one year before the start and one
  year after it (or on the as-of date): how many, which are gone, which are new. For a
  measure, whether the findings it names were present before and are still present.

The start of a measure is the date given (``since``) or else its due date; the start of a
new link is its ``valid_from``. Before its start a new link did not exist: the chain of
the year before is checked without it. Affected quarters: those of the ids its findings
name (for a measure) or of the link's two offers; a measure whose findings name nothing
of a quarter counts the quarters where its responsible provider runs offers.

>>> from seeds import load_seed
>>> net = load_seed("brunnenstrasse")
>>> t = net.transition_index["willkommensbesuch-kinderstube"]
>>> net = net.with_sections(transitions=[
...     x.model_copy(update={"valid_from": dt.date(2025, 6, 1)}) if x.id == t.id else x
...     for x in net.transitions])
>>> e = effect(net, "willkommensbesuch-kinderstube", as_of=dt.date(2026, 11, 22))
>>> e.kind, e.quarters, f"{e.before.day} / {e.start} / {e.after.day}"
('transition', ('brunnenstrasse',), '2024-06-01 / 2025-06-01 / 2026-06-01')
>>> sorted(f.code for f in e.appeared if "willkommensbesuch-kinderstube" in f.ids)
['NO_AGREEMENT', 'PERSON_DEPENDENT']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from graph.errors import LotsenError, NotFoundError
from graph.model import Measure, ReferralFlow, Transition
from graph.network import Network
from lotsen.check import check
from lotsen.findings import Finding
from lotsen.settings import AnalysisSettings

__all__ = ["Effect", "Period", "WirkungError", "effect", "effects_in", "network_on"]

YEAR = dt.timedelta(days=365)


class WirkungError(LotsenError, ValueError):
    """Nothing to compare (no start date, a start in the future): HTTP 422."""

    status = 422


@dataclass(frozen=True)
class Period:
    """One side of the comparison: a year of referral figures and the findings on a day."""

    start: dt.date  # first day of the year
    end: dt.date  # last day (the as-of date, when the year is not over)
    day: dt.date  # the day the findings are taken
    referred: int
    arrived: int
    flows: int  # referral figures counted
    findings: tuple[Finding, ...]
    complete: bool = True  # a whole year (False: the after-year is not over)

    @property
    def loss_rate(self) -> float | None:
        return (self.referred - self.arrived) / self.referred if self.referred else None


@dataclass(frozen=True)
class Effect:
    """The year before and the year after a measure or a new link."""

    kind: str  # "measure" or "transition"
    id: str
    title: str
    start: dt.date
    quarters: tuple[str, ...]
    before: Period
    after: Period
    named: tuple[str, ...] = field(default=())  # the finding keys a measure names

    @property
    def resolved(self) -> list[Finding]:
        """Findings of the year before that are gone a year after."""
        after = {f.stable_key for f in self.after.findings}
        return [f for f in self.before.findings if f.stable_key not in after]

    @property
    def appeared(self) -> list[Finding]:
        """Findings a year after that were not there a year before."""
        before = {f.stable_key for f in self.before.findings}
        return [f for f in self.after.findings if f.stable_key not in before]

    def named_state(self) -> list[tuple[str, bool, bool]]:
        """For each finding key the measure names: (key, present before, present after)."""
        before = {f.stable_key for f in self.before.findings}
        after = {f.stable_key for f in self.after.findings}
        return [(k, k in before, k in after) for k in self.named]


def network_on(net: Network, day: dt.date) -> Network:
    """The chain as it stood on ``day``: without the links that began later."""
    later = [t for t in net.transitions if t.valid_from is not None and t.valid_from > day]
    if not later:
        return net
    gone = {t.id for t in later}
    return net.with_sections(
        transitions=[t for t in net.transitions if t.id not in gone],
        referral_flows=[f for f in net.referral_flows if f.transition not in gone])


def _quarters_of_ids(net: Network, ids: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for i in ids:
        if i in net.quarter_index:
            found.add(i)
        if i in net.service_index:
            found.update(net.service_index[i].quarters)
        t = net.transition_index.get(i)
        if t is not None:
            found |= _quarters_of_ids(net, (t.source, t.target))
        if i in net.agreement_index:
            found |= _quarters_of_ids(net, [t.id for t in net.transitions if i in t.agreements])
    return found


def _measure_quarters(net: Network, m: Measure) -> set[str]:
    ids = [part for key in m.findings for part in key.split("/")[1:]]
    found = _quarters_of_ids(net, ids)
    if not found:
        found = {q for s in net.services if s.provider == m.responsible for q in s.quarters}
    return found or {q.id for q in net.quarters}


def _in_quarters(net: Network, flows: Sequence[ReferralFlow], quarters: set[str]
                 ) -> list[ReferralFlow]:
    def touches(f: ReferralFlow) -> bool:
        t = net.transition_index.get(f.transition)
        return t is not None and bool(_quarters_of_ids(net, (t.source, t.target)) & quarters)
    return [f for f in flows if touches(f)]


def _period(net: Network, quarters: set[str], start: dt.date, end: dt.date, day: dt.date,
            settings: AnalysisSettings | None, complete: bool) -> Period:
    state = network_on(net, day)
    flows = [f for f in _in_quarters(net, net.referral_flows, quarters)
             if start <= f.period_start + (f.period_end - f.period_start) / 2 <= end]
    found = tuple(f for f in check(state, day, settings) if set(f.quarters) & quarters)
    return Period(start, end, day, sum(f.referred for f in flows),
                  sum(f.arrived for f in flows), len(flows), found, complete)


def _find(net: Network, wanted: str) -> Measure | Transition:
    for m in net.measures:
        if m.id == wanted or m.title.casefold() == wanted.casefold():
            return m
    if wanted in net.transition_index:
        return net.transition_index[wanted]
    known = [m.id for m in net.measures] + [t.id for t in net.transitions
                                            if t.valid_from is not None]
    raise NotFoundError("Maßnahme oder Übergang", wanted, known)


def effect(net: Network, wanted: str, since: dt.date | None = None,
           as_of: dt.date | None = None, settings: AnalysisSettings | None = None) -> Effect:
    """The effect of the measure or transition ``wanted`` (id, or a measure's title)."""
    today = as_of or dt.date.today()
    thing = _find(net, wanted)
    if isinstance(thing, Measure):
        start = since or thing.due
        if start is None:
            raise WirkungError(f"Die Maßnahme „{thing.title}“ hat kein Fälligkeitsdatum; bitte "
                               "mit --seit angeben, seit wann sie wirkt.")
        quarters, kind, title = _measure_quarters(net, thing), "measure", thing.title
        named = tuple(thing.findings)
    else:
        start = since or thing.valid_from
        if start is None:
            raise WirkungError(f"Der Übergang '{thing.id}' hat kein Datum „besteht seit“ "
                               "(valid_from); bitte eintragen oder mit --seit angeben.")
        quarters = _quarters_of_ids(net, (thing.source, thing.target))
        kind, named = "transition", ()
        title = " → ".join(net.service_index[x].name if x in net.service_index else x
                           for x in (thing.source, thing.target))
    if start > today:
        raise WirkungError(f"„{title}“ beginnt erst am {start:%d.%m.%Y}; eine Wirkung lässt "
                           "sich frühestens danach zeigen.")
    one_year = start + YEAR
    after_end = min(one_year - dt.timedelta(days=1), today)
    before = _period(net, quarters, start - YEAR, start - dt.timedelta(days=1), start - YEAR,
                     settings, True)
    after = _period(net, quarters, start, after_end, min(one_year, today), settings,
                    one_year <= today)
    return Effect(kind, thing.id, title, start, tuple(sorted(quarters)), before, after, named)


def effects_in(net: Network, quarter: str, as_of: dt.date | None = None,
               settings: AnalysisSettings | None = None) -> list[Effect]:
    """The effect of every measure with a due date and every dated link of ``quarter``
    that has started by ``as_of``, newest first."""
    today = as_of or dt.date.today()
    q = net.find_quarter(quarter).id
    found = []
    for m in net.measures:
        if m.due is not None and m.due <= today and q in _measure_quarters(net, m):
            found.append(effect(net, m.id, as_of=today, settings=settings))
    for t in net.transitions:
        if t.valid_from is not None and t.valid_from <= today and q in _quarters_of_ids(
                net, (t.source, t.target)):
            found.append(effect(net, t.id, as_of=today, settings=settings))
    return sorted(found, key=lambda e: e.start, reverse=True)
