"""What changed between two states of a chain: for "what changed since the last meeting".

The earlier state is either the network as it stood at a moment (the journal's changes
after it undone, see :func:`graph.journal.network_at`) or another store. Compared are the
findings (new and resolved, by their stable keys), the entities (from the journal: who,
when, what; or, between two stores, by content) and the indicators of every quarter.

>>> import datetime as dt
>>> from seeds import load_seed
>>> old = load_seed("brunnenstrasse")
>>> t = old.transitions[0]
>>> new = old.with_sections(transitions=[t.model_copy(update={"owner": None}),
...                                      *old.transitions[1:]])
>>> c = compare(old, new, dt.date(2026, 11, 22), dt.date(2026, 11, 22))
>>> [f.code for f in c.new], c.resolved, [(e.section, e.key, e.action) for e in c.entities]
(['NO_OWNER'], [], [('transitions', 'babylotsen-familienhebammen', 'update')])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from graph.edit import entity_key
from graph.journal import AuditEntry
from graph.network import ALL_SECTIONS, KIND_NAMES, Network
from lotsen.check import check
from lotsen.findings import Finding
from lotsen.indicators import Indicators, quarter_indicators
from lotsen.settings import AnalysisSettings

__all__ = ["INDICATOR_LABELS", "Changes", "EntityChange", "IndicatorDelta", "compare",
           "findings_change"]

INDICATOR_LABELS = {
    "stage_coverage": "Abdeckung der Lebensphasen",
    "binding_share": "Anteil verbindlich abgesicherter Übergänge",
    "continuity": "Kontinuität der Kette",
    "pearls": "Bildungsperlen",
    "expiring_agreements": "auslaufende Vereinbarungen",
    "loss_rate": "Verlustquote bei Übergaben",
}
"""The indicators compared, with their German names."""

ACTION_LABELS = {"create": "neu", "update": "geändert", "delete": "gelöscht",
                 "import": "Import"}


@dataclass(frozen=True)
class EntityChange:
    """One changed entity: section, key, action; who and when where the journal says."""

    section: str
    key: str
    action: str  # create, update, delete, import
    actor: str | None = None
    at: dt.datetime | None = None

    @property
    def kind(self) -> str:
        return KIND_NAMES.get(self.section, self.section)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


@dataclass(frozen=True)
class IndicatorDelta:
    """One indicator of one quarter, before and after (None: not computable)."""

    quarter: str
    quarter_name: str
    indicator: str
    before: float | None
    after: float | None

    @property
    def label(self) -> str:
        return INDICATOR_LABELS[self.indicator]


@dataclass
class Changes:
    """Everything that changed from ``since`` to ``as_of``."""

    since: dt.date
    as_of: dt.date
    new: list[Finding] = field(default_factory=list)
    resolved: list[Finding] = field(default_factory=list)
    entities: list[EntityChange] = field(default_factory=list)
    indicators: list[IndicatorDelta] = field(default_factory=list)
    complete: bool = True  # False: the earlier state could not be rebuilt fully


def compare(old: Network, new: Network, since: dt.date, as_of: dt.date,
            entries: Sequence[AuditEntry] | None = None,
            settings: AnalysisSettings | None = None, complete: bool = True,
            quarters: Sequence[str] | None = None) -> Changes:
    """The changes from ``old`` on ``since`` to ``new`` on ``as_of``. ``entries`` are the
    journal's changes in between (who, when); without them the entities are compared by
    content (e.g. two store files). With ``quarters`` only their findings and figures
    (a quarter not in ``old`` yet has no findings before)."""
    old_ids = {q.id for q in old.quarters}
    before = {f.stable_key: f for f in check(
        old, since, settings, None if quarters is None else
        [q for q in quarters if q in old_ids])} if quarters is None or any(
        q in old_ids for q in quarters) else {}
    after = {f.stable_key: f for f in check(new, as_of, settings, quarters)}
    result = Changes(since, as_of, complete=complete)
    result.new = [f for k, f in after.items() if k not in before]
    result.resolved = [f for k, f in before.items() if k not in after]
    if entries is not None:
        result.entities = [EntityChange(e.section, e.entity_id, e.action, e.actor, e.at)
                           for e in entries]
    else:
        result.entities = _content_diff(old, new)
    old_quarters = {q.id for q in old.quarters}
    for q in new.quarters:
        if q.id not in old_quarters or (quarters is not None and q.id not in quarters):
            continue
        a = quarter_indicators(old, q.id, since, settings)
        b = quarter_indicators(new, q.id, as_of, settings)
        result.indicators += _deltas(q.id, q.name, a, b)
    return result


def _deltas(quarter: str, name: str, a: Indicators, b: Indicators) -> list[IndicatorDelta]:
    out = []
    for key in INDICATOR_LABELS:
        x, y = getattr(a, key), getattr(b, key)
        if x != y:
            out.append(IndicatorDelta(quarter, name, key, x, y))
    return out


def _content_diff(old: Network, new: Network) -> list[EntityChange]:
    out = []
    for section in ALL_SECTIONS:
        was = {entity_key(e): e for e in getattr(old, section)}
        now = {entity_key(e): e for e in getattr(new, section)}
        for key, entity in now.items():
            if key not in was:
                out.append(EntityChange(section, key, "create"))
            elif was[key] != entity:
                out.append(EntityChange(section, key, "update"))
        out += [EntityChange(section, key, "delete") for key in was if key not in now]
    return out


def findings_change(before: Iterable[Finding], after: Iterable[Finding]
                    ) -> tuple[list[Finding], list[Finding]]:
    """(resolved, new) findings between two runs, by their stable key.

    >>> from lotsen.findings import Finding, Severity
    >>> a = Finding("NO_OWNER", Severity.HIGH, ("t1",), ("q",), "…", "…")
    >>> resolved, new = findings_change([a], [])
    >>> [f.code for f in resolved], new
    (['NO_OWNER'], [])
    """
    old = {f.key: f for f in before}
    new = {f.key: f for f in after}
    return ([f for k, f in old.items() if k not in new],
            [f for k, f in new.items() if k not in old])
