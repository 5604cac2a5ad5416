"""„Geprüft, bewusst so“: accept a finding with a reason (and a day until which it stays
hidden), or lift the mark again („Markierung aufheben“) – journaled like every change.
The coordination accepts anywhere, an editor findings that lie wholly in her quarters
(:func:`api.usecases.roles.may_accept`). ``lotse accept``, the Werkstatt's button and
``POST /api/v1/findings/accept`` come here.

>>> import datetime as dt
>>> from graph.backends.memory import MemoryRepository
>>> from api.usecases.roles import command_line
>>> from seeds import load_seed
>>> repo = MemoryRepository()
>>> repo.save(load_seed("brunnenstrasse"))
>>> day = dt.date(2026, 11, 22)
>>> done = accept_finding(repo, command_line("Koordination"), "PEARL/sprachbilderbuecher",
...                       "Kampagne, kein Übergang nötig", day)
>>> done.entry.seq, done.accepted.by, done.finding.code
(2, 'Koordination', 'PEARL')
>>> lift_acceptance(repo, command_line(), "PEARL/sprachbilderbuecher", day).action
'delete'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import BaseModel

from api.usecases.roles import ForbiddenError, Principal, may_accept
from graph.errors import LotsenError, NotFoundError
from graph.journal import AuditEntry, Edit
from graph.model import AcceptedFinding
from graph.network import Network
from graph.repository import Repository
from lotsen.acceptance import acceptance
from lotsen.check import check
from lotsen.findings import Finding

__all__ = ["Accepted", "accept_finding", "lift_acceptance"]

_NO_REASON = ("Bitte einen Grund angeben, warum der Befund so bleiben darf (Feld „Grund“); "
              "er steht danach bei dem Befund.")


@dataclass(frozen=True)
class Accepted:
    accepted: AcceptedFinding
    finding: Finding
    entry: AuditEntry


def _refuse(who: Principal) -> ForbiddenError:
    return ForbiddenError(f"'{who.name}' darf diesen Befund nicht als geprüft markieren: er "
                          "betrifft ein Quartier, für das die Rolle nicht zuständig ist.")


def accept_finding(repo: Repository, who: Principal, key: str, reason: str, day: dt.date,
                   until: dt.date | None = None, meeting: str | None = None) -> Accepted:
    """Mark the finding ``key`` (present on ``day``) as „geprüft, bewusst so“ until
    ``until`` (None: without end), recorded under ``who``'s name; ``meeting``: the Sitzung
    that decides it."""
    if not reason.strip():
        raise LotsenError(_NO_REASON)
    net = repo.load()
    found = check(net, day)
    entity = acceptance(net, key, reason, who.name, day, until, findings=found)
    if meeting is not None:
        entity = entity.model_copy(update={"meeting": meeting})
    finding = next(f for f in found if f.stable_key == entity.key)

    def authorize(current: Network, old: BaseModel | None, new: BaseModel | None) -> None:
        if not may_accept(who, finding):
            raise _refuse(who)

    _, entry = repo.apply(Edit("accepted_findings", entity.key, entity, who.name,
                               authorize=authorize))
    return Accepted(entity, finding, entry)


def lift_acceptance(repo: Repository, who: Principal, key: str, day: dt.date) -> AuditEntry:
    """„Markierung aufheben“: the finding ``key`` counts as open again."""
    net = repo.load()
    if key not in {a.key for a in net.accepted_findings}:
        raise NotFoundError("Geprüfter Befund", key, [a.key for a in net.accepted_findings])
    finding = next((f for f in check(net, day) if f.stable_key == key), None)

    def authorize(current: Network, old: BaseModel | None, new: BaseModel | None) -> None:
        # a finding that is gone by now: only the coordination tidies its mark away
        if (finding is None and who.role.value != "coordinator") or \
                (finding is not None and not may_accept(who, finding)):
            raise _refuse(who)

    _, entry = repo.apply(Edit("accepted_findings", key, None, who.name, authorize=authorize))
    return entry
