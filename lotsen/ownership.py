"""Who owns a transition: by id or by the two services' names, per provider, per quarter.

>>> import datetime as dt
>>> from seeds import load_seed
>>> net = load_seed("brunnenstrasse")
>>> row = owner_of(net, "babylotsen-familienhebammen", as_of=dt.date(2026, 11, 22))
>>> row.owner_name
'Dortmunder Geburtskliniken (Babylotsendienst)'
>>> row = find_transition(net, "Babylotsendienst in den Geburtskliniken",
...                       "Familienhebammen (Frühe Hilfen)", quarter="brunnenstrasse")
>>> row.id
'babylotsen-familienhebammen'
>>> [r.transition for r in unowned(net, as_of=dt.date(2026, 11, 22))]
['kita-familienzentrum-grundschule']
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from graph.cooperation import latest
from graph.errors import NotFoundError
from graph.model import Service, Transition, TransitionKind
from graph.network import Network
from lotsen.cooperation import cooperation_label, data_protection_label
from lotsen.handoffs import backing, is_internal
from lotsen.index import get_index
from lotsen.settings import AnalysisSettings

__all__ = ["ResponsibilityRow", "find_transition", "owned_by", "owner_of",
           "responsibility_table", "unowned"]

_STATUS = {
    None: "verbindlich",
    "NO_AGREEMENT": "keine Vereinbarung",
    "INFORMAL_ONLY": "nur informell",
    "AGREEMENT_EXPIRED": "abgelaufen",
    "AGREEMENT_EXPIRING": "läuft bald aus",
}


@dataclass(frozen=True)
class ResponsibilityRow:
    """One line of a responsibility table: a transition, its owner and its backing."""

    transition: str
    source: str
    target: str
    source_name: str
    target_name: str
    kind: str
    owner: str | None
    owner_name: str | None
    agreements: tuple[str, ...]
    agreement_names: tuple[str, ...]
    status: str
    valid_until: dt.date | None
    owner_signed: bool
    # issue 17: what passes and on what basis; the newest cooperation quality
    data_protection: str = "nicht angegeben"
    data_protection_ok: bool = True  # False: information passes without a basis
    cooperation: str = "nicht eingeschätzt"
    # why no binding agreement is needed: "nur Information", "intern" (one provider), ""
    exempt: str = ""

    @property
    def label(self) -> str:
        return f"{self.source_name} → {self.target_name}"

    @property
    def needs_attention(self) -> bool:
        """Whether the hand-over lacks the backing it needs: not binding, unless it only
        passes information or stays within one provider and simply has no (or only an
        informal) agreement – those need none (see :mod:`lotsen.handoffs`), so the
        tables paint them as fine, not red."""
        if self.status == "verbindlich":
            return False
        return not (self.exempt and self.status in _NOT_NEEDED)

    @property
    def shown_status(self) -> str:
        """The status for a table: „keine Vereinbarung (nicht nötig: intern)“ where none
        is needed."""
        if self.exempt and self.status in _NOT_NEEDED:
            return f"{self.status} (nicht nötig: {self.exempt})"
        return self.status


_NOT_NEEDED = frozenset({"keine Vereinbarung", "nur informell"})


def _row(net: Network, t: Transition, as_of: dt.date,
         settings: AnalysisSettings) -> ResponsibilityRow:
    idx = get_index(net)
    state = backing(idx, tuple(t.agreements), t.owner, as_of, settings)
    src, tgt = net.service_index[t.source], net.service_index[t.target]
    shown = state.agreements or tuple(t.agreements)
    return ResponsibilityRow(
        transition=t.id, source=t.source, target=t.target, source_name=src.name,
        target_name=tgt.name, kind=t.kind.value, owner=t.owner,
        owner_name=net.provider_index[t.owner].name if t.owner else None,
        agreements=shown, agreement_names=tuple(net.agreement_index[a].name for a in shown),
        status=_STATUS[state.code], valid_until=state.valid_until,
        owner_signed=t.owner is not None
        and any(t.owner in net.agreement_index[a].parties for a in shown),
        exempt=("nur Information" if t.kind is TransitionKind.INFORMATION
                else "intern" if is_internal(idx, t.id) else ""),
        **_quality(t, as_of))


def _quality(t: Transition, as_of: dt.date) -> dict[str, Any]:
    """The data-protection and cooperation cells of a row (see lotsen.cooperation)."""
    cells: dict[str, Any] = {}
    dp = t.data_protection
    if dp is not None:
        cells["data_protection"] = data_protection_label(dp.passes, dp.basis)
        cells["data_protection_ok"] = dp.has_basis
    now = latest(t.cooperation, as_of)
    if now is not None:
        cells["cooperation"] = cooperation_label(now)
    return cells


def owner_of(net: Network, transition_id: str, as_of: dt.date | None = None,
             settings: AnalysisSettings | None = None) -> ResponsibilityRow:
    """Owner and backing of one transition (NotFoundError names close ids)."""
    t = net.transition_index.get(transition_id)
    if t is None:
        raise NotFoundError("Übergang", transition_id, net.transition_index)
    return _row(net, t, as_of or dt.date.today(), settings or AnalysisSettings())


def _service(net: Network, wanted: str, quarter: str | None) -> list[Service]:
    pool = net.services_in(net.find_quarter(quarter).id) if quarter else net.services
    hits = [s for s in pool if s.id == wanted or s.name.casefold() == wanted.casefold()]
    if not hits:
        raise NotFoundError("Angebot", wanted, [s.name for s in pool])
    return hits


def find_transition(net: Network, source: str, target: str, quarter: str | None = None,
                    as_of: dt.date | None = None,
                    settings: AnalysisSettings | None = None) -> Transition:
    """The transition from one service to another, named by id or name (in a quarter)."""
    sources = {s.id for s in _service(net, source, quarter)}
    targets = {s.id for s in _service(net, target, quarter)}
    for t in net.transitions:
        if t.source in sources and t.target in targets:
            return t
    names = [f"{net.service_index[t.source].name} → {net.service_index[t.target].name}"
             for t in net.transitions if t.source in sources or t.target in targets]
    raise NotFoundError("Übergang", f"{source} → {target}", names)


def owned_by(net: Network, provider: str, as_of: dt.date | None = None,
             settings: AnalysisSettings | None = None) -> list[ResponsibilityRow]:
    """Every transition a provider (id or name) owns.

    >>> import datetime as dt
    >>> from seeds import load_seed
    >>> rows = owned_by(load_seed("unna"), "Katharinen-Hospital Unna (Geburtsklinik)",
    ...                 as_of=dt.date(2026, 11, 22))
    >>> [r.transition for r in rows]
    ['geburtsklinik-familienhebamme', 'geburtsklinik-willkommensbesuch', 'geburtsklinik-spz']
    """
    match = [p for p in net.providers
             if p.id == provider or p.name.casefold() == provider.casefold()]
    if not match:
        raise NotFoundError("Träger", provider, [p.name for p in net.providers])
    pid = match[0].id
    day, cfg = as_of or dt.date.today(), settings or AnalysisSettings()
    return [_row(net, t, day, cfg) for t in net.transitions if t.owner == pid]


def unowned(net: Network, quarter: str | None = None, as_of: dt.date | None = None,
            settings: AnalysisSettings | None = None) -> list[ResponsibilityRow]:
    """Transitions nobody owns (in a quarter, or everywhere)."""
    return [r for r in responsibility_table(net, quarter, as_of, settings) if r.owner is None]


def responsibility_table(net: Network, quarter: str | None = None, as_of: dt.date | None = None,
                         settings: AnalysisSettings | None = None) -> list[ResponsibilityRow]:
    """Transition, owner, agreement and validity for every transition of a quarter.

    >>> import datetime as dt
    >>> from seeds import load_seed
    >>> row = responsibility_table(load_seed("unna"), "Königsborn", dt.date(2026, 11, 22))[0]
    >>> row.source, row.target, row.owner, row.status
    ('schwangerschaftsberatung', 'kinderzukunft-koordination', 'kreis-unna-gesundheit', \
'verbindlich')
    """
    day, cfg = as_of or dt.date.today(), settings or AnalysisSettings()
    if quarter is None:
        transitions = net.transitions
    else:
        ids = set(get_index(net).quarters[net.find_quarter(quarter).id].transitions)
        transitions = [t for t in net.transitions if t.id in ids]
    return [_row(net, t, day, cfg) for t in transitions]
