"""Sitzungen: prepare one (its agenda proposed from the area's state), change it
(attending organisations, agenda, notes, decisions in words), and record what it decides
live – a Maßnahme or „geprüft, bewusst so“ on a finding, each naming the meeting. The
coordination prepares meetings of any area; an editor those of areas wholly within her
quarters. The Werkstatt's „Sitzungen“ and ``POST /api/v1/meetings/prepare`` come here.

>>> import datetime as dt
>>> from graph.backends.memory import MemoryRepository
>>> from api.usecases.roles import command_line
>>> from seeds import load_seed
>>> repo = MemoryRepository()
>>> repo.save(load_seed("brunnenstrasse"))
>>> m, entry = prepare_meeting(repo, command_line(), "Steuerungsgruppe Nord",
...                            "Brunnenstraße", dt.date(2026, 12, 9))
>>> m.id, m.area, m.agenda[0].kind.value, entry.seq
('steuerungsgruppe-nord-2026-12-09', 'brunnenstrasse', 'since', 2)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from api.usecases.roles import ForbiddenError, Principal, Role
from graph.edit import find
from graph.errors import NotFoundError
from graph.journal import AuditEntry, Edit
from graph.meeting import AgendaItem, Decision, Meeting
from graph.network import Network
from graph.repository import Repository
from graph.vocabulary import id_suggestion
from lotsen.meetings import area_quarters, propose_agenda

__all__ = ["add_decision", "change_meeting", "meeting_of", "prepare_meeting",
           "propose_again"]

_UNSET: Any = object()


def _area_id(net: Network, area: str) -> str:
    """The area as stored: a quarter's, district's or municipality's id, or the Kreis's or
    Land's name (NotFoundError naming the areas there are)."""
    quarters = area_quarters(net, area)
    wanted = area.strip().casefold()
    for q in net.quarters:
        if wanted in (q.id.casefold(), q.name.casefold()):
            return q.id
    for d in net.districts:
        if wanted in (d.id.casefold(), d.name.casefold()):
            return d.id
    for m in net.municipalities:
        if wanted in (m.id.casefold(), m.name.casefold()):
            return m.id
    for m in net.municipalities:
        for name in (m.county, m.state):
            if name and name.casefold() == wanted:
                return name
    return quarters[0] if len(quarters) == 1 else area.strip()


def _authorizer(who: Principal):  # type: ignore[no-untyped-def]
    def authorize(net: Network, old: BaseModel | None, new: BaseModel | None) -> None:
        if who.role is Role.COORDINATOR:
            return
        areas = [m.area for m in (old, new) if isinstance(m, Meeting)]
        if who.role is Role.READER or not all(
                set(area_quarters(net, a)) <= who.quarters for a in areas):
            raise ForbiddenError(f"'{who.name}' darf diese Sitzung nicht vorbereiten oder "
                                 "ändern: ihr Gebiet reicht über die eigenen Quartiere "
                                 "hinaus; das macht die Koordination.")
    return authorize


def _new_id(net: Network, body: str, day: dt.date) -> str:
    base = (id_suggestion(body) or "sitzung").lower()
    base = re.sub(r"[^a-z0-9-]+", "-", base).strip("-")[:60] or "sitzung"
    taken = {m.id for m in net.meetings}
    candidate = f"{base}-{day.isoformat()}"
    n = 2
    while candidate in taken:
        candidate = f"{base}-{day.isoformat()}-{n}"
        n += 1
    return candidate


def _providers(net: Network, attending: Sequence[str]) -> list[str]:
    out = []
    for wanted in attending:
        if wanted in net.provider_index:
            out.append(wanted)
            continue
        found = next((p.id for p in net.providers
                      if p.name.casefold() == wanted.strip().casefold()), None)
        if found is None:
            raise NotFoundError("Träger", wanted, [p.name for p in net.providers])
        out.append(found)
    return list(dict.fromkeys(out))


def prepare_meeting(repo: Repository, who: Principal, body: str, area: str, day: dt.date, *,
                    attending: Sequence[str] = (), roles: Sequence[str] = (),
                    note: str | None = None, meeting_id: str | None = None
                    ) -> tuple[Meeting, AuditEntry]:
    """A new Sitzung of ``body`` for ``area`` on ``day`` with its proposed agenda
    (:func:`lotsen.meetings.propose_agenda`)."""
    net = repo.load()
    draft = Meeting(id=meeting_id or _new_id(net, body, day), body=body,
                    area=_area_id(net, area), date=day,
                    attending=_providers(net, attending),
                    roles=[r.strip() for r in roles if r.strip()], note=note or None)
    meeting = draft.model_copy(update={"agenda": propose_agenda(net, repo.journal(), draft)})
    meeting = Meeting.model_validate(meeting.model_dump())
    _, entry = repo.apply(Edit("meetings", meeting.id, meeting, who.name, create=True,
                               authorize=_authorizer(who)))
    return meeting, entry


def meeting_of(repo: Repository, meeting_id: str) -> Meeting:
    m = find(repo.load(), "meetings", meeting_id)
    assert isinstance(m, Meeting)
    return m


def change_meeting(repo: Repository, who: Principal, meeting_id: str, *,
                   expected_version: int | None = None, body: str | None = None,
                   day: dt.date | None = None, attending: Sequence[str] | None = None,
                   roles: Sequence[str] | None = None, note: Any = _UNSET,
                   agenda: Sequence[AgendaItem] | None = None,
                   decisions: Sequence[Decision] | None = None) -> tuple[Meeting, AuditEntry]:
    """Change what is given of a Sitzung (the rest stays)."""
    net = repo.load()
    old = meeting_of(repo, meeting_id)
    update: dict[str, Any] = {}
    if body is not None:
        update["body"] = body
    if day is not None:
        update["date"] = day
    if attending is not None:
        update["attending"] = _providers(net, attending)
    if roles is not None:
        update["roles"] = [r.strip() for r in roles if r.strip()]
    if note is not _UNSET:
        update["note"] = note or None
    if agenda is not None:
        update["agenda"] = [a.model_dump() for a in agenda]
    if decisions is not None:
        update["decisions"] = [d.model_dump() for d in decisions]
    new = Meeting.model_validate({**old.model_dump(), **update})
    _, entry = repo.apply(Edit("meetings", meeting_id, new, who.name,
                               expected_version=expected_version,
                               authorize=_authorizer(who)))
    return new, entry


def propose_again(repo: Repository, who: Principal, meeting_id: str
                  ) -> tuple[Meeting, AuditEntry]:
    """The agenda proposed anew from today's state of the area (the notes on points that
    stay are kept)."""
    old = meeting_of(repo, meeting_id)
    notes = {(a.kind, a.ref, a.title): a.note for a in old.agenda if a.note}
    fresh = [a.model_copy(update={"note": notes.get((a.kind, a.ref, a.title))})
             for a in propose_agenda(repo.load(), repo.journal(), old)]
    kept = [a for a in old.agenda if a.kind.value == "other"]  # points added by hand
    return change_meeting(repo, who, meeting_id, agenda=[*fresh, *kept])


def add_decision(repo: Repository, who: Principal, meeting_id: str, text: str
                 ) -> tuple[Meeting, AuditEntry]:
    """A decision in words („Die nächste Sitzung ist im März.“)."""
    old = meeting_of(repo, meeting_id)
    return change_meeting(repo, who, meeting_id,
                          decisions=[*old.decisions, Decision(text=text)])
