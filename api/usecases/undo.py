"""„Rückgängig machen“: undo one change of the Verlauf by a new change that brings the
entry back as it was before (a deleted one comes back, a new one goes again) – the
Verlauf goes on, nothing of it is lost. Only while nobody changed that entry since
(ConflictError otherwise: the person sees the newer state first); a whole import is
undone by bringing back the backup made before it (Sicherungen).

>>> from graph.backends.memory import MemoryRepository
>>> from api.usecases.roles import command_line
>>> from seeds import load_seed
>>> repo = MemoryRepository()
>>> repo.save(load_seed("brunnenstrasse"))
>>> flows = len(repo.load().referral_flows)
>>> gone = repo.delete("referral_flows", repo.load().referral_flows[0].key)
>>> undone = undo_change(repo, command_line(), 2)
>>> undone.action, len(repo.load().referral_flows) == flows
('create', True)
"""

from __future__ import annotations

import bisect

from pydantic import ValidationError

from api.usecases.edits import authorizer
from api.usecases.roles import Principal
from graph.errors import ConflictError, InvalidNetworkError, NotFoundError, Problem
from graph.incremental import locate
from graph.journal import AuditEntry, Edit, Journal, journal_key
from graph.network import ALL_SECTIONS, KIND_NAMES, Network
from graph.repository import Repository

__all__ = ["deleted", "entry_of", "undo_change", "undoable"]


def entry_of(repo: Repository, seq: int) -> AuditEntry:
    """The journal entry number ``seq`` (NotFoundError when there is none)."""
    entries = repo.journal().entries
    i = bisect.bisect_left([e.seq for e in entries], seq)
    if i < len(entries) and entries[i].seq == seq:
        return entries[i]
    raise NotFoundError("Änderung", f"Nr. {seq}", [])


def _current(journal: Journal, entry: AuditEntry) -> int:
    return journal.versions.get(journal_key(entry.section, entry.entity_id),
                                0 if entry.action == "delete" else 1)


def undoable(journal: Journal, entry: AuditEntry) -> bool:
    """Whether ``entry`` can be undone now: a change of one entry that nobody changed
    since (its version is still the one the entry wrote)."""
    return entry.action != "import" and entry.section in ALL_SECTIONS and \
        _current(journal, entry) == entry.version


def undo_change(repo: Repository, who: Principal, seq: int) -> AuditEntry:
    """Undo change number ``seq`` by a new change (returns its journal entry)."""
    entry = entry_of(repo, seq)
    if entry.action == "import" or entry.section not in ALL_SECTIONS:
        raise ConflictError(f"Änderung Nr. {seq} hat die ganze Kette ersetzt; das macht die "
                            "Sicherung von davor rückgängig (Seite „Sicherungen“).")
    kind = KIND_NAMES[entry.section]
    if not undoable(repo.journal(), entry):
        raise ConflictError(f"{kind} '{entry.entity_id}' wurde nach Änderung Nr. {seq} noch "
                            "einmal geändert; bitte den neueren Stand ansehen und dort "
                            "ändern.")
    try:
        before = None if entry.before is None else \
            ALL_SECTIONS[entry.section].model_validate(entry.before)
    except ValidationError:
        raise InvalidNetworkError([Problem(kind, entry.entity_id, "", (
            "Der frühere Stand passt nicht mehr zum heutigen Format und lässt sich nicht "
            "zurückholen."))]) from None
    create = entry.action == "delete"
    edit = Edit(entry.section, entry.entity_id, before, who.name,
                expected_version=None if create else entry.version, create=create,
                authorize=authorizer(who, entry.section, None if create else entry.entity_id))
    return repo.apply(edit)[1]


def deleted(journal: Journal, net: Network) -> list[AuditEntry]:
    """The „Gelöscht“ list: for every entry whose last change was its deletion (and that
    is not back by now, e.g. through an import), that deletion – newest first. Undoing
    it (:func:`undo_change`) brings the entry back as it was.

    >>> from graph.backends.memory import MemoryRepository
    >>> from api.usecases.roles import command_line
    >>> from seeds import load_seed
    >>> repo = MemoryRepository()
    >>> repo.save(load_seed("brunnenstrasse"))
    >>> flow = repo.load().referral_flows[0].key
    >>> _ = repo.delete("referral_flows", flow)
    >>> [(e.section, e.entity_id == flow) for e in deleted(repo.journal(), repo.load())]
    [('referral_flows', True)]
    >>> _ = undo_change(repo, command_line(), 2)
    >>> deleted(repo.journal(), repo.load())
    []
    """
    last: dict[tuple[str, str], AuditEntry] = {}
    for e in journal.entries:
        if e.action != "import" and e.section in ALL_SECTIONS:
            last[(e.section, e.entity_id)] = e
    gone = []
    for e in last.values():
        if e.action != "delete":
            continue
        if locate(net, e.section, e.entity_id) is None:
            gone.append(e)
    return sorted(gone, key=lambda e: -e.seq)
