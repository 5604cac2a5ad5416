"""Change one entry of the chain – create, update or delete a provider, service,
transition, agreement, quarter, … – checked for the whole network, journaled, with the
role check on the state it changes, and say what it did to the findings of the quarters
it touches. The Werkstatt's forms, ``lotse entry put/delete`` and the JSON routes
(``POST/PUT/DELETE /api/v1/…``) all come here.

>>> import datetime as dt
>>> from graph.backends.memory import MemoryRepository
>>> from api.usecases.roles import command_line
>>> from seeds import load_seed
>>> repo = MemoryRepository()
>>> repo.save(load_seed("brunnenstrasse"))
>>> t = repo.get("transitions", "babylotsen-familienhebammen")
>>> done = change_entry(repo, command_line(), "transitions", t.id,
...                     t.model_copy(update={"owner": None}), expected_version=1)
>>> done.entry.action, done.quarters
('update', ['brunnenstrasse'])
>>> resolved, new = done.findings(dt.date(2026, 11, 22))
>>> [f.code for f in new]
['NO_OWNER']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from api.usecases.roles import Principal, check_write
from graph.edit import entity_key, find
from graph.errors import NotFoundError
from graph.journal import AuditEntry, Edit
from graph.network import KIND_NAMES, Network
from graph.repository import Repository
from lotsen.changes import findings_change
from lotsen.check import check
from lotsen.findings import Finding

__all__ = ["Changed", "authorizer", "change_entry", "touched"]


@dataclass(frozen=True)
class Changed:
    """One change made: the network before and after, its journal entry and the
    quarters it touches."""

    before: Network
    after: Network
    entry: AuditEntry
    section: str
    key: str

    @property
    def quarters(self) -> list[str]:
        return touched(self.before, self.after, self.section, self.key)

    def findings(self, day: dt.date) -> tuple[list[Finding], list[Finding]]:
        """(resolved, new) findings of the touched quarters on ``day``."""
        wanted = self.quarters
        if not wanted:
            return [], []

        def of(net: Network) -> list[Finding]:
            known = [q for q in wanted if q in net.quarter_index]
            return check(net, day, quarters=known) if known else []

        return findings_change(of(self.before), of(self.after))


def authorizer(who: Principal, section: str, existing: str | None
               ) -> Callable[[Network, BaseModel | None, BaseModel | None], None]:
    """The role check of one change, run by the store on the state it changes; with
    ``existing`` (an update or delete) the entry of that id must be there."""
    def authorize(net: Network, old: BaseModel | None, new: BaseModel | None) -> None:
        if existing is not None and old is None:
            raise NotFoundError(KIND_NAMES[section], existing,
                                [entity_key(e) for e in getattr(net, section)])
        check_write(who, net, section, old, new)
    return authorize


def change_entry(repo: Repository, who: Principal, section: str, key: str | None,
                 entity: BaseModel | None, *, expected_version: int | None = None,
                 create: bool = False) -> Changed:
    """Create (``create``), update or – with ``entity`` None – delete one entry. An
    update or delete names the version it is based on (``expected_version``; None:
    whatever is stored); a stale one raises ConflictError and changes nothing."""
    if key is None:
        if entity is None:
            raise NotFoundError(KIND_NAMES[section], "", [])
        key = entity_key(entity)
    edit = Edit(section, key, entity, who.name,
                expected_version=None if create else expected_version, create=create,
                authorize=authorizer(who, section, None if create else key))
    before = repo.load()
    after, entry = repo.apply(edit)
    return Changed(before, after, entry, section, key)


def touched(before: Network, after: Network, section: str, key: str) -> list[str]:
    """The quarters a change of ``section``/``key`` touches, before or after."""
    from visualisation.audit_text import entry_quarters

    data: list[dict[str, Any] | None] = []
    for net in (before, after):
        try:
            data.append(find(net, section, key).model_dump(mode="json"))
        except NotFoundError:
            data.append(None)
    probe = AuditEntry(seq=1, at=dt.datetime.now(dt.UTC), actor="-", action="update",
                       section=section, entity_id=key, version=1, before=data[0],
                       after=data[1])
    quarters = entry_quarters(probe, before) | entry_quarters(probe, after)
    return sorted(q for q in quarters if q in after.quarter_index)
