"""The Transferbörse across municipalities and files (Kreis Unna, seed document 004, 7.2).

Two quarters are compared link by link (see :mod:`lotsen.compare`: a link is "stage ·
fields → stage · fields"), also when they lie in different municipalities or in separate
files (two networks). Next to each link one place has and the other lacks stand what the
place that has it can pass on: its Gelingensfaktoren, Stolpersteine, contact role (a
role, never a name), cooperation quality and whether it is bound.

>>> import datetime as dt
>>> from seeds import load_seed
>>> net = load_seed("kreis-unna")
>>> t = transfer(net, "selm-mitte", net, "luenen-sued", as_of=dt.date(2026, 11, 22))
>>> t.first, t.second
('Selm-Mitte (Stadt Selm)', 'Lünen-Süd (Stadt Lünen)')
>>> kita = next(x for x in t.shared if "Grundschulalter" in x.label)
>>> kita.second[0].success_factors[0]
'Stadtteileltern begleiten die Familien zur Schulanmeldung'
>>> kita.first[0].backed, kita.second[0].backed
(False, True)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from graph.cooperation import latest
from graph.errors import LotsenError
from graph.hierarchy import municipality_of
from graph.network import Network
from lotsen.compare import LinkKey, link_key, link_label
from lotsen.cooperation import cooperation_label
from lotsen.handoffs import backing
from lotsen.index import get_index
from lotsen.settings import AnalysisSettings

__all__ = ["Offer", "Transfer", "TransferLink", "offers", "transfer"]


@dataclass(frozen=True)
class Offer:
    """How one place has a link: one of its transitions and what others can learn."""

    transition: str
    example: str  # "A → B"
    backed: bool
    success_factors: tuple[str, ...] = ()
    pitfalls: tuple[str, ...] = ()
    contact_role: str | None = None
    cooperation: str | None = None

    @property
    def lessons(self) -> str:
        """Gelingensfaktoren, Stolpersteine and contact role in one German text."""
        parts = []
        if self.success_factors:
            parts.append("Gelingensfaktoren: " + "; ".join(self.success_factors))
        if self.pitfalls:
            parts.append("Stolpersteine: " + "; ".join(self.pitfalls))
        if self.contact_role:
            parts.append(f"Ansprechrolle: {self.contact_role}")
        if self.cooperation:
            parts.append(f"Kooperation: {self.cooperation}")
        return " · ".join(parts)


@dataclass(frozen=True)
class TransferLink:
    """A kind of link and how each place has it (empty: it lacks it)."""

    key: LinkKey
    label: str
    first: list[Offer] = field(default_factory=list)
    second: list[Offer] = field(default_factory=list)


@dataclass(frozen=True)
class Transfer:
    """Links of two places: only in the first, only in the second, in both."""

    first: str
    second: str
    only_in_first: list[TransferLink]
    only_in_second: list[TransferLink]
    shared: list[TransferLink]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _municipality(net: Network, quarter: str) -> str | None:
    m = next((m for m in net.municipalities if m.id == municipality_of(net, quarter)), None)
    return m.name if m is not None else None


def _places(first_net: Network, a: str, second_net: Network, b: str) -> tuple[str, str]:
    """The quarters' names, with their municipality when the two lie in different ones."""
    names = first_net.quarter_index[a].name, second_net.quarter_index[b].name
    towns = _municipality(first_net, a), _municipality(second_net, b)
    if towns[0] == towns[1] or None in towns:
        return names
    return f"{names[0]} ({towns[0]})", f"{names[1]} ({towns[1]})"


def _offers(net: Network, quarter: str, day: dt.date,
            cfg: AnalysisSettings) -> dict[LinkKey, list[Offer]]:
    idx = get_index(net)
    inactive = idx.quarter_inactive(quarter, idx.inactive_on(day))
    found: dict[LinkKey, list[Offer]] = {}
    for tid in idx.quarters[quarter].transitions:
        t = net.transition_index[tid]
        if t.source in inactive or t.target in inactive:
            continue
        state = backing(idx, tuple(t.agreements), t.owner, day, cfg)
        now = latest(t.cooperation, day)
        found.setdefault(link_key(idx, tid), []).append(Offer(
            tid, f"{idx.services[t.source].name} → {idx.services[t.target].name}",
            state.code in (None, "AGREEMENT_EXPIRING"), tuple(t.success_factors),
            tuple(t.pitfalls), t.contact_role,
            cooperation_label(now) if now is not None else None))
    return found


def offers(net: Network, quarter: str, as_of: dt.date | None = None,
           settings: AnalysisSettings | None = None) -> dict[LinkKey, list[Offer]]:
    """How one quarter has each of its links (running transitions only), with what it can
    pass on – the Transferbörse's material for comparing areas, not only two quarters.

    >>> import datetime as dt
    >>> from seeds import load_seed
    >>> found = offers(load_seed("kreis-unna"), "luenen-sued", dt.date(2026, 11, 22))
    >>> any("Stadtteileltern begleiten die Familien zur Schulanmeldung" in o.success_factors
    ...     for x in found.values() for o in x)
    True
    """
    return _offers(net, net.find_quarter(quarter).id, as_of or dt.date.today(),
                   settings or AnalysisSettings())


def transfer(first_net: Network, first: str, second_net: Network, second: str,
             as_of: dt.date | None = None,
             settings: AnalysisSettings | None = None) -> Transfer:
    """Compare a quarter of ``first_net`` with a quarter of ``second_net`` (the same
    network or another file). Both must use the same life stages; otherwise a LotsenError
    says so."""
    if [s.id for s in first_net.catalogue.life_stages] != [
            s.id for s in second_net.catalogue.life_stages]:
        raise LotsenError("Die beiden Netzwerke haben verschiedene Lebensphasen (Katalog); "
                          "ihre Kettenglieder lassen sich nicht vergleichen.")
    day, cfg = as_of or dt.date.today(), settings or AnalysisSettings()
    a, b = first_net.find_quarter(first).id, second_net.find_quarter(second).id
    mine, theirs = _offers(first_net, a, day, cfg), _offers(second_net, b, day, cfg)
    links = [TransferLink(key, link_label(first_net, key), mine.get(key, []),
                          theirs.get(key, []))
             for key in sorted(set(mine) | set(theirs))]
    return Transfer(
        *_places(first_net, a, second_net, b),
        only_in_first=[x for x in links if x.first and not x.second],
        only_in_second=[x for x in links if x.second and not x.first],
        shared=[x for x in links if x.first and x.second])
