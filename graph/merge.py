"""Merging a file into the store: update and add only what the file holds.

A Quartiersnetzwerk keeps its own sheet (its quarter's offers, transitions, agreements)
and brings it back into the city's store without touching the other quarters. With
``prune``, what a quarter's file no longer lists is removed – only within the quarters
the file covers. Rows changed in the store since the file was exported (the file's
version column, see :data:`graph.formats.tables.VERSION`) are refused, naming the row.

A full replace (an import without merging) is described by the same change list, so
that it can say what it replaces before it does.

The network-level name, description and catalogue stay those of the store.

>>> from seeds import load_seed
>>> city = load_seed("dortmund")
>>> quarter = city.restricted_to(["hoerde"])
>>> plan = plan_merge(city, quarter)
>>> plan.changes, plan.network == city
([], True)
>>> print(count_line(plan_replace(city, quarter)))
neu: 0 · geändert: 2 · entfernt: 65
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from graph.edit import entity_key
from graph.errors import ConflictError
from graph.journal import Journal, journal_key
from graph.network import ALL_SECTIONS, KIND_NAMES, Network
from graph.repository import Repository

__all__ = ["Change", "MergePlan", "count_line", "merge_into", "plan_merge", "plan_replace"]

Action = Literal["new", "changed", "removed"]
_WORDS: dict[str, str] = {"new": "neu", "changed": "geändert", "removed": "entfernt"}


@dataclass(frozen=True)
class Change:
    """One entity the merge adds, changes or removes."""

    action: Action
    section: str
    key: str
    name: str = ""

    def __str__(self) -> str:
        """German, one line: ``neu: Angebot „Lesepaten“ (lesepaten)``."""
        kind = KIND_NAMES[self.section]
        named = f"„{self.name}“ ({self.key})" if self.name and self.name != self.key \
            else f"'{self.key}'"
        return f"{_WORDS[self.action]}: {kind} {named}"


@dataclass
class MergePlan:
    """The network after the merge and what changes on the way there."""

    network: Network
    changes: list[Change] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return _counts(self.changes)


def _counts(changes: Iterable[Change]) -> dict[str, int]:
    counts = {"new": 0, "changed": 0, "removed": 0}
    for c in changes:
        counts[c.action] += 1
    return counts


def count_line(changes: Iterable[Change]) -> str:
    """``neu: 2 · geändert: 1 · entfernt: 0``"""
    return " · ".join(f"{_WORDS[a]}: {n}" for a, n in _counts(changes).items())


def _name(entity: BaseModel) -> str:
    return str(getattr(entity, "name", "") or getattr(entity, "title", "") or "")


def plan_replace(current: Network | None, incoming: Network) -> list[Change]:
    """What replacing ``current`` with ``incoming`` as a whole adds, changes, removes."""
    changes: list[Change] = []
    for section in ALL_SECTIONS:
        was = {entity_key(e): e for e in getattr(current, section)} if current else {}
        now = {entity_key(e): e for e in getattr(incoming, section)}
        for key, entity in now.items():
            if key not in was:
                changes.append(Change("new", section, key, _name(entity)))
            elif was[key] != entity:
                changes.append(Change("changed", section, key, _name(entity)))
        changes += [Change("removed", section, key, _name(e)) for key, e in was.items()
                    if key not in now]
    return changes


def plan_merge(current: Network, incoming: Network, journal: Journal | None = None,
               versions: Mapping[str, int] | None = None, prune: bool = False,
               places: Mapping[str, str] | None = None,
               keep: Mapping[str, Sequence[str]] | None = None) -> MergePlan:
    """The store ``current`` with the file ``incoming`` merged in (see module docstring).

    ``keep`` (section -> field names) are fields the file's format does not carry (e.g.
    :data:`graph.formats.hsds.NOT_CARRIED`): an entity already in the store keeps them.

    ``versions`` (journal key -> version, from the file's version column) are checked
    against ``journal``: a row the file would change but that was changed in the store
    since the export raises ConflictError naming the row (``places``) and nothing is
    merged. The result is checked as a whole (InvalidNetworkError lists every problem).
    """
    journal = journal or Journal()
    versions, places, keep = versions or {}, places or {}, keep or {}
    changes: list[Change] = []
    conflicts: list[str] = []
    merged: dict[str, list[BaseModel]] = {}
    covered = {q.id for q in incoming.quarters}
    for section in ALL_SECTIONS:
        items: list[BaseModel] = list(getattr(current, section))
        position = {entity_key(e): i for i, e in enumerate(items)}
        for entity in getattr(incoming, section):
            key = entity_key(entity)
            jkey = journal_key(section, key)
            if key in position:
                old = items[position[key]]
                entity = _keep_other_quarters(section, old, entity, covered)
                if keep.get(section):
                    entity = entity.model_copy(update={f: getattr(old, f)
                                                       for f in keep[section]})
                if old == entity:
                    continue
                expected = versions.get(jkey)
                stored = journal.version(section, key)
                if expected is not None and expected != stored:
                    conflicts.append(_conflict(section, key, places.get(jkey), expected,
                                               stored))
                items[position[key]] = entity
                changes.append(Change("changed", section, key, _name(entity)))
            else:  # new here (a version from another store's export means nothing here)
                position[key] = len(items)
                items.append(entity)
                changes.append(Change("new", section, key, _name(entity)))
        merged[section] = items
    if conflicts:
        raise ConflictError(
            f"{len(conflicts)} Zeile(n) wurden im Speicher geändert, seit die Datei "
            "exportiert wurde; nichts wurde zusammengeführt. Bitte neu exportieren und die "
            "Änderungen dort eintragen:\n" + "\n".join(f"  • {c}" for c in conflicts))
    if prune:
        listed = {section: {entity_key(e) for e in getattr(incoming, section)}
                  for section in ALL_SECTIONS}
        removed = _pruned(merged, listed, {q.id for q in incoming.quarters})
        for section, keys in removed.items():
            for entity in merged[section]:
                if entity_key(entity) in keys:
                    changes.append(Change("removed", section, entity_key(entity),
                                          _name(entity)))
            merged[section] = [e for e in merged[section] if entity_key(e) not in keys]
    fields: dict[str, Any] = {"name": current.name, "description": current.description,
                              "catalogue": current.catalogue, **merged}
    network = Network(**fields) if changes else current
    return MergePlan(network, changes)


def _keep_other_quarters(section: str, old: BaseModel, new: BaseModel,
                         covered: set[str]) -> BaseModel:
    """A service also serving quarters the file does not cover keeps them (a quarter's
    export lists only its own quarters)."""
    if section != "services" or not covered:
        return new
    listed = list(getattr(new, "quarters"))  # noqa: B009
    before = list(getattr(old, "quarters"))  # noqa: B009
    if all(q in covered or q in listed for q in before):
        return new
    kept = [q for q in before if q not in covered or q in listed]  # in the stored order
    return new.model_copy(update={"quarters": kept + [q for q in listed if q not in kept]})


def _conflict(section: str, key: str, place: str | None, expected: int, stored: int) -> str:
    where = f"{place}: " if place else ""
    kind = KIND_NAMES[section]
    return (f"{where}{kind} '{key}' wurde im Speicher geändert (Version in der Datei "
            f"{expected}, im Speicher {stored}).")


def _pruned(merged: dict[str, list[BaseModel]], listed: dict[str, set[str]],
            covered: set[str]) -> dict[str, set[str]]:
    """What the file's quarters no longer list: services wholly in those quarters, the
    transitions, agreements and referral numbers that lived only there, and the sites
    in those quarters that no remaining service names."""
    if not covered:
        return {}
    services = {getattr(s, "id"): s for s in merged["services"]}  # noqa: B009
    # (services still serving another quarter were given back those quarters above)

    def quarters_of(service_id: str) -> set[str]:
        s = services.get(service_id)
        return set(getattr(s, "quarters", ())) if s is not None else set()

    gone_services = {sid for sid, s in services.items() if sid not in listed["services"]
                     and quarters_of(sid) <= covered}
    gone_transitions: set[str] = set()
    for t in merged["transitions"]:
        tid, source, target = (getattr(t, "id"), getattr(t, "source"),  # noqa: B009
                               getattr(t, "target"))  # noqa: B009
        if source in gone_services or target in gone_services or (
                tid not in listed["transitions"]
                and quarters_of(source) | quarters_of(target) <= covered):
            gone_transitions.add(tid)
    kept_transitions = [t for t in merged["transitions"]
                        if getattr(t, "id") not in gone_transitions]  # noqa: B009
    still_backing = {a for t in kept_transitions for a in getattr(t, "agreements", ())}
    backed_in_covered = {a for t in merged["transitions"]
                         if getattr(t, "id") in gone_transitions  # noqa: B009
                         for a in getattr(t, "agreements", ())}
    gone_agreements = {a for a in backed_in_covered
                       if a not in still_backing and a not in listed["agreements"]}
    gone_flows = {entity_key(f) for f in merged["referral_flows"]
                  if getattr(f, "transition") in gone_transitions}  # noqa: B009
    # sites in the file's quarters it no longer lists, named by no service that stays
    named = {x for sid, sv in services.items() if sid not in gone_services
             for x in getattr(sv, "sites", ())}
    gone_sites = {getattr(x, "id") for x in merged.get("sites", [])  # noqa: B009
                  if getattr(x, "quarter", None) in covered
                  and getattr(x, "id") not in listed.get("sites", set())  # noqa: B009
                  and getattr(x, "id") not in named}  # noqa: B009
    return {"services": gone_services, "transitions": gone_transitions,
            "agreements": gone_agreements, "referral_flows": gone_flows,
            "sites": gone_sites}


_SINCE_EXPORT = ("Seit dem Export hat jemand die Kette geändert; nichts wurde "
                 "zusammengeführt. Bitte neu exportieren (ETag) und die Datei auf dem neuen "
                 "Stand zusammenführen.")


def merge_into(repo: Repository, incoming: Network, actor: str,
               versions: Mapping[str, int] | None = None, prune: bool = False,
               places: Mapping[str, str] | None = None, dry_run: bool = False,
               authorize: Callable[[Network, MergePlan], None] | None = None,
               keep: Mapping[str, Sequence[str]] | None = None,
               expected_version: int | None = None) -> MergePlan:
    """Plan the merge on the stored state and, unless ``dry_run``, write it as one
    journaled change (one audit entry) – only if the store is still in the state the
    plan was made on (checked under the store's lock; ConflictError otherwise).
    ``authorize`` sees the stored network and the plan before anything is written.
    With ``expected_version`` (the ETag the file was exported at) the plan is made only
    on that state, and the write happens only while the store is still at it."""
    empty = repo.is_empty()
    current = Network(name=incoming.name, description=incoming.description,
                      catalogue=incoming.catalogue) if empty else repo.load()
    journal = repo.journal()
    if expected_version is not None and journal.next_seq - 1 != expected_version:
        raise ConflictError(_SINCE_EXPORT)
    plan = plan_merge(current, incoming, journal, versions, prune, places, keep)
    if authorize is not None:
        authorize(current, plan)
    if dry_run or not plan.changes:
        return plan

    def unchanged(stored: Network | None, stored_journal: Journal) -> None:
        if expected_version is not None and stored_journal.next_seq - 1 != expected_version:
            raise ConflictError(_SINCE_EXPORT)
        if (stored is None) != empty or (stored is not None and stored is not current and (
                stored != current or stored_journal.versions != journal.versions)):
            raise ConflictError("Während des Zusammenführens hat jemand die Kette geändert; "
                                "nichts wurde übernommen. Bitte noch einmal versuchen.")

    repo.replace(plan.network, actor, note={"merged": True}, check=unchanged)
    return plan
