"""Bring a file's network into the store: plan it (what it adds, changes and removes;
what happens to the findings), then take it over – replacing the whole chain or merging
only what the file holds. The same for ``lotse import``, the Werkstatt's
„Import/Export“ and ``PUT /api/v1/network`` / ``POST /api/v1/network/merge``.

Replacing is the coordination's; merging is also an editor's, as far as every change
lies in her quarters (:func:`api.usecases.roles.merge_authorizer`). Before a replace the
stored state is kept as a backup; a replace or merge on a named version is decided in
the store's own write transaction (nothing another process confirmed meanwhile is
overwritten).

>>> import datetime as dt
>>> from graph.backends.memory import MemoryRepository
>>> from api.usecases.files import Incoming
>>> from api.usecases.roles import command_line
>>> from seeds import load_seed
>>> repo = MemoryRepository()
>>> plan = plan_import(repo, command_line(), Incoming(load_seed("brunnenstrasse"),
...                    "document", "kette.yaml"))
>>> plan.counts()["new"] > 0, plan.version
(True, 0)
>>> taken = take_over(repo, command_line(), plan.network, expected_version=plan.version)
>>> taken.entry.seq, repo.load().name == plan.network.name
(1, True)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from api.usecases.files import Incoming
from api.usecases.roles import Principal, Role, merge_authorizer
from api.usecases.store import backing, writing
from graph.backup import backup_before_replace
from graph.errors import LotsenError
from graph.journal import AuditEntry
from graph.merge import Change, MergePlan, merge_into, plan_merge, plan_replace
from graph.network import Network
from graph.repository import Repository, at_version
from lotsen.changes import findings_change
from lotsen.check import check
from lotsen.findings import Finding

__all__ = ["ImportPlan", "TakenOver", "merge_file", "plan_import", "take_over"]

PRUNE_NEEDS_MERGE = ("Entfernen, was die Datei nicht mehr aufführt (--prune), geht nur beim "
                     "Zusammenführen (--merge).")


@dataclass
class ImportPlan:
    """What taking over a file would do, planned on the stored state ``version``."""

    incoming: Incoming
    merging: bool
    before: Network | None  # the stored network (None: the store is empty)
    version: int  # the stored state's version (its last change number)
    network: Network  # the network after taking it over
    changes: list[Change] = field(default_factory=list)
    lost_social_years: int = 0  # replacing by HSDS loses the quarters' social data

    def counts(self) -> dict[str, int]:
        return MergePlan(self.network, self.changes).counts()

    def findings(self, day: dt.date) -> tuple[list[Finding], list[Finding]]:
        """(resolved, new) findings on ``day`` if the file is taken over."""
        before = check(self.before, day) if self.before is not None else []
        return findings_change(before, check(self.network, day))


def _may_import(who: Principal, merging: bool) -> None:
    if not merging or who.role is Role.READER:
        who.require_coordinator("Eine ganze Kette einlesen")


def plan_import(repo: Repository, who: Principal, incoming: Incoming, *,
                merge: bool = False, prune: bool = False) -> ImportPlan:
    """Plan taking ``incoming`` over (nothing is written): a merge is checked against the
    version column of its rows and against ``who``'s quarters."""
    if prune and not merge:
        raise LotsenError(PRUNE_NEEDS_MERGE)
    _may_import(who, merge)
    before = None if repo.is_empty() else repo.load()
    journal = repo.journal()
    version = journal.next_seq - 1
    if merge:
        current = before if before is not None else _empty_like(incoming.network)
        plan = plan_merge(current, incoming.network, journal, incoming.versions or None,
                          prune, incoming.places or None, incoming.keep)
        merge_authorizer(who)(current, plan)
        return ImportPlan(incoming, True, before, version, plan.network, plan.changes)
    lost = 0
    if incoming.keep is not None and before is not None:  # HSDS carries no social data
        lost = sum(len(q.social_data) for q in before.quarters)
    return ImportPlan(incoming, False, before, version, incoming.network,
                      plan_replace(before, incoming.network), lost)


def _empty_like(network: Network) -> Network:
    return Network(name=network.name, description=network.description,
                   catalogue=network.catalogue)


@dataclass(frozen=True)
class TakenOver:
    entry: AuditEntry
    backup: Path | None  # where the state before is kept (None: nothing was stored)


def take_over(repo: Repository, who: Principal, network: Network, *, merging: bool = False,
              expected_version: int | None = None, conflict: str | None = None
              ) -> TakenOver:
    """Write ``network`` as the new state of the store, one journal entry, after a backup
    of the state before. With ``expected_version`` (the state a preview was planned on,
    the ETag of ``/network``) only while the store is still at it (ConflictError,
    ``conflict`` as its message if given). ``merging``: the planned result of a merge
    (:func:`plan_import`), which editors may take over too."""
    _may_import(who, merging)
    check_version = at_version(expected_version, lambda current: conflict or (
        f"Das Netzwerk wurde inzwischen geändert (Version {current}, die Anfrage beruht auf "
        f"Version {expected_version}); der Import wurde nicht übernommen. Bitte neu lesen "
        "(GET /api/v1/network), die Änderungen zusammenführen und mit dem neuen ETag "
        "senden."))
    with writing(repo):
        if check_version is not None:  # refused before a backup is made (decided again)
            check_version(None, repo.journal())
        kept = backup_before_replace(backing(repo))
        entry = repo.replace(network, who.name, check=check_version,
                             note={"merged": True} if merging else None)
    return TakenOver(entry, kept)


def merge_file(repo: Repository, who: Principal, incoming: Incoming, *, prune: bool = False,
               dry_run: bool = False, expected_version: int | None = None) -> MergePlan:
    """Merge ``incoming`` into the store in one step (plan and write under the store's
    lock, :func:`graph.merge.merge_into`); ``dry_run`` only plans. With
    ``expected_version`` (the ETag the file was exported at) only while the store is
    still at it."""
    _may_import(who, True)
    with writing(repo):
        return merge_into(repo, incoming.network, who.name, versions=incoming.versions or None,
                          prune=prune, places=incoming.places or None, dry_run=dry_run,
                          authorize=merge_authorizer(who), keep=incoming.keep,
                          expected_version=expected_version)
