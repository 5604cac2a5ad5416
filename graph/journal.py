"""Versions and the audit trail: every change is recorded, no update is lost.

Every entity carries a version (1 when it was loaded or created; each change adds one).
A change names the version it was based on; if the stored one is newer, it is refused
with :class:`ConflictError` and nothing changes. Each change is an :class:`AuditEntry`
(who – a token's name, which is a role, never a person –, when, what before, what
after), kept in the same store as the network and written in the same atomic step.

These functions are pure; the backends persist network and journal together.

>>> import datetime as dt
>>> from graph.model import Municipality
>>> from graph.network import Network
>>> now = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
>>> net, journal = Network(name="N"), Journal()
>>> edit = Edit("municipalities", "do", Municipality(id="do", name="Dortmund"), "koordination",
...             create=True)
>>> net, journal, entry = apply_edit(net, journal, edit, now)
>>> entry.action, entry.version, journal.version("municipalities", "do")
('create', 1, 1)
>>> stale = Edit("municipalities", "do", Municipality(id="do", name="Do"), "quartier",
...              expected_version=0)
>>> try:
...     apply_edit(net, journal, stale, now)
... except ConflictError as exc:
...     print(exc.status, str(exc)[:47])
409 Kommune 'do' wurde inzwischen geändert (Version
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from graph.edit import entity_key, find, remove, upsert
from graph.errors import ConflictError, InvalidNetworkError, NotFoundError, Problem
from graph.network import ALL_SECTIONS, KIND_NAMES, Network

__all__ = ["AuditEntry", "Edit", "Journal", "apply_edit", "apply_import", "baseline",
           "journal_key", "network_at", "networks_at"]

Action = Literal["create", "update", "delete", "import"]
_CHANGED_KEYS_KEPT = 500  # an import lists at most this many changed entities


def journal_key(section: str, key: str) -> str:
    return f"{section}/{key}"


class AuditEntry(BaseModel):
    """One recorded change."""

    seq: int = Field(ge=1, description="Laufende Nummer der Änderung im Speicher")
    at: dt.datetime = Field(description="Zeitpunkt (UTC)")
    actor: str = Field(description="Wer: Name des API-Tokens oder 'lotse' (eine Rolle, "
                                   "keine Person)")
    action: Action
    section: str
    entity_id: str
    version: int = Field(ge=0, description="Version nach der Änderung")
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


class Journal(BaseModel):
    """Versions of changed entities and the audit trail."""

    versions: dict[str, int] = Field(default_factory=dict)  # absent: version 1
    entries: list[AuditEntry] = Field(default_factory=list)
    last_seq: int = 0  # when ``entries`` holds only part of the trail (a database)

    def version(self, section: str, key: str) -> int:
        return self.versions.get(journal_key(section, key), 1)

    def history(self, section: str, key: str) -> list[AuditEntry]:
        """Every recorded change of one entity, oldest first."""
        return [e for e in self.entries if e.section == section and e.entity_id == key]

    @property
    def next_seq(self) -> int:
        return (self.entries[-1].seq if self.entries else self.last_seq) + 1


@dataclass(frozen=True)
class Edit:
    """A change of one entity: ``entity`` None deletes it."""

    section: str
    key: str
    entity: BaseModel | None
    actor: str
    expected_version: int | None = None
    create: bool = False  # refuse when the id is taken (POST)
    # who may: called with the stored network, the entity as stored (None: new) and as
    # wanted (None: delete) before anything is checked or changed – inside the backend's
    # lock or transaction, so it judges exactly the state being changed
    authorize: Callable[[Network, BaseModel | None, BaseModel | None], None] | None = None


def _dump(entity: BaseModel) -> dict[str, Any]:
    return entity.model_dump(mode="json", exclude_defaults=True)


def apply_edit(net: Network, journal: Journal, edit: Edit,
               now: dt.datetime | None = None) -> tuple[Network, Journal, AuditEntry]:
    """The network and journal after ``edit``, and its audit entry (pure).

    Raises NotFoundError (unknown section or entity), ConflictError (stale version, id
    taken) or InvalidNetworkError (the result breaks the network's rules).
    """
    if edit.section not in ALL_SECTIONS:
        raise NotFoundError("Abschnitt", edit.section, ALL_SECTIONS)
    kind = KIND_NAMES[edit.section]
    try:
        old: BaseModel | None = find(net, edit.section, edit.key)
    except NotFoundError:
        old = None
    if edit.authorize is not None:
        edit.authorize(net, None if edit.create else old, edit.entity)
    jkey = journal_key(edit.section, edit.key)
    current = journal.versions.get(jkey, 1) if old is not None else journal.versions.get(jkey, 0)
    if edit.create and old is not None:
        raise ConflictError(f"{kind} '{edit.key}' gibt es schon (Version {current}). Zum "
                            "Ändern bitte PUT mit der Version verwenden.")
    if old is None and edit.entity is None:
        find(net, edit.section, edit.key)  # raises NotFoundError with suggestions
    if old is None and not edit.create and edit.expected_version not in (None, 0):
        raise ConflictError(f"{kind} '{edit.key}' gibt es nicht mehr; Ihre Änderung beruht "
                            f"auf Version {edit.expected_version}.")
    if old is not None and edit.expected_version is not None and \
            edit.expected_version != current:
        raise ConflictError(
            f"{kind} '{edit.key}' wurde inzwischen geändert (Version {current}, Ihre Änderung "
            f"beruht auf Version {edit.expected_version}). Bitte neu laden und die Änderung "
            "auf dem aktuellen Stand wiederholen.")
    if edit.entity is None:
        new_net = remove(net, edit.section, edit.key)
        action: Action = "delete"
    else:
        if entity_key(edit.entity) != edit.key:
            raise InvalidNetworkError([Problem(
                kind, edit.key, "id", f"Die Kennung im Inhalt ('{entity_key(edit.entity)}') "
                f"passt nicht zur Adresse ('{edit.key}').")])
        new_net = upsert(net, edit.section, edit.entity)
        action = "update" if old is not None else "create"
    version = current + 1 if old is not None or current > 0 else 1
    entry = AuditEntry(seq=journal.next_seq, at=now or dt.datetime.now(dt.UTC),
                       actor=edit.actor, action=action, section=edit.section,
                       entity_id=edit.key, version=version,
                       before=_dump(old) if old is not None else None,
                       after=_dump(edit.entity) if edit.entity is not None else None)
    versions = dict(journal.versions)
    versions[jkey] = version
    return new_net, Journal(versions=versions, entries=[*journal.entries, entry],
                            last_seq=entry.seq), entry


def apply_import(old: Network | None, new: Network, journal: Journal, actor: str,
                 now: dt.datetime | None = None, note: dict[str, Any] | None = None
                 ) -> tuple[Journal, AuditEntry]:
    """The journal after replacing ``old`` with ``new`` as a whole (one audit entry).

    Every entity whose content changed, appeared again or disappeared gets a new version,
    so a client holding an older version gets 409 afterwards.
    """
    versions = dict(journal.versions)
    changed: list[str] = []
    for section in ALL_SECTIONS:
        if old is None:  # into an empty store: everything is new (a Land network: 550,000)
            for key in dict.fromkeys(entity_key(e) for e in getattr(new, section)):
                jkey = journal_key(section, key)
                if jkey in versions:
                    versions[jkey] += 1
                changed.append(jkey)
            continue
        was = {entity_key(e): e for e in getattr(old, section)}
        now_ = {entity_key(e): e for e in getattr(new, section)}
        for key in was.keys() | now_.keys():
            a, b = was.get(key), now_.get(key)
            if a is not None and b is not None and a == b:
                continue
            jkey = journal_key(section, key)
            if a is not None or jkey in versions:
                versions[jkey] = versions.get(jkey, 1) + 1
            changed.append(jkey)
    kept = heapq.nsmallest(_CHANGED_KEYS_KEPT, changed)  # = sorted(changed)[:…], faster

    def counts(net: Network | None) -> dict[str, Any] | None:
        return None if net is None else {"name": net.name, **{
            s: len(getattr(net, s)) for s in ALL_SECTIONS}}

    summary = counts(new)
    assert summary is not None
    summary["changed"] = len(changed)
    summary["changed_entities"] = kept
    summary.update(note or {})  # e.g. ``restored_from``: the backup a restore brought back
    entry = AuditEntry(seq=journal.next_seq, at=now or dt.datetime.now(dt.UTC), actor=actor,
                       action="import", section="network", entity_id=new.name, version=0,
                       before=counts(old), after=summary)
    return Journal(versions=versions, entries=[*journal.entries, entry],
                   last_seq=entry.seq), entry


def network_at(net: Network, journal: Journal,
               moment: dt.datetime) -> tuple[Network, list[AuditEntry], bool]:
    """The network as it stood at ``moment``: the journal's changes after it undone,
    newest first. Returns that network, the undone entries (oldest first) and whether it
    is complete – an import, or an entry the journal no longer holds, cannot be undone;
    the network then stands at the last change that could be. The store's first load
    (an import into the empty store) is the baseline: a moment before it gives the state
    it loaded, complete (:func:`baseline` says when that was).

    >>> from graph.model import Municipality
    >>> t0 = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    >>> edit = Edit("municipalities", "do", Municipality(id="do", name="Dortmund"), "k",
    ...             create=True)
    >>> net, journal, _ = apply_edit(Network(name="N"), Journal(), edit,
    ...                              t0 + dt.timedelta(days=3))
    >>> old, undone, complete = network_at(net, journal, t0)
    >>> old.municipalities, [e.entity_id for e in undone], complete
    ([], ['do'], True)
    """
    return networks_at(net, journal, [moment])[0]


def networks_at(net: Network, journal: Journal, moments: Sequence[dt.datetime]
                ) -> list[tuple[Network, list[AuditEntry], bool]]:
    """:func:`network_at` for each of ``moments`` (in their order), walking the journal
    back once: the cost is that of the earliest moment alone, however many there are.

    >>> from graph.model import Municipality
    >>> t0 = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    >>> net, journal = Network(name="N"), Journal()
    >>> for i, name in enumerate(["do", "un"]):
    ...     edit = Edit("municipalities", name, Municipality(id=name, name=name), "k",
    ...                 create=True)
    ...     net, journal, _ = apply_edit(net, journal, edit, t0 + dt.timedelta(days=i + 1))
    >>> [[m.id for m in n.municipalities] for n, _, _ in networks_at(
    ...     net, journal, [t0 + dt.timedelta(days=5), t0, t0 + dt.timedelta(days=2)])]
    [['do', 'un'], [], ['do']]
    """
    entries = journal.entries
    order = sorted(range(len(moments)), key=lambda i: moments[i], reverse=True)
    found: dict[int, tuple[Network, list[AuditEntry], bool]] = {}
    undone: list[AuditEntry] = []  # newest first
    index = len(entries)  # entries[index:] are undone (or the walk stopped there)
    stopped: bool | None = None  # the walk hit an import or an entry it cannot undo
    for i in order:
        moment = moments[i]
        while stopped is None and index > 0 and entries[index - 1].at >= moment:
            e = entries[index - 1]
            if e.action == "import":
                stopped = e.before is None  # the first load: the baseline
                break
            try:
                if e.before is None:
                    net = remove(net, e.section, e.entity_id)
                else:
                    net = upsert(net, e.section,
                                 ALL_SECTIONS[e.section].model_validate(e.before))
            except (NotFoundError, InvalidNetworkError, ValidationError):
                # ValidationError: an entry written under an older model that no longer
                # reads
                stopped = False
                break
            undone.append(e)
            index -= 1
        complete = not (journal.last_seq and entries and entries[0].seq > 1
                        and entries[0].at >= moment)
        if stopped is not None and index > 0 and entries[index - 1].at >= moment:
            complete = complete and stopped  # this moment's walk stops there too
        found[i] = (net, undone[::-1], complete)
    return [found[i] for i in range(len(moments))]


def baseline(journal: Journal) -> dt.datetime | None:
    """When the store was first loaded (its first entry, an import into the empty store),
    the earliest state :func:`network_at` rebuilds; None when the journal does not start
    with one (an older store whose trail begins later, or one built change by change).

    >>> j = Journal(entries=[AuditEntry(seq=1, at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC),
    ...     actor="lotse", action="import", section="network", entity_id="N", version=0)])
    >>> baseline(j).date()
    datetime.date(2026, 9, 1)
    """
    first = journal.entries[0] if journal.entries else None
    if first is None or first.seq != 1 or first.action != "import" or first.before is not None:
        return None
    return first.at
