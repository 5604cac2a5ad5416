"""Maßnahmen: decide one (on a finding, prefilled from it) and follow it up – status, note,
due date. The coordination decides anywhere; an editor on findings that lie wholly in
her quarters. ``lotse measures add/status``, the Werkstatt and
``POST /api/v1/findings/measures`` / ``PATCH /api/v1/measures/{id}`` come here.

>>> import datetime as dt
>>> from graph.backends.memory import MemoryRepository
>>> from api.usecases.roles import command_line
>>> from seeds import load_seed
>>> repo = MemoryRepository()
>>> repo.save(load_seed("brunnenstrasse"))
>>> day = dt.date(2026, 11, 22)
>>> m, entry = decide_measure(repo, command_line(), "Übergabeprotokoll erneuern",
...     "TEK Bornstraße 52", day, findings=["AGREEMENT_EXPIRED/kita-bornstrasse-grundschule"],
...     due=dt.date(2027, 3, 31))
>>> m.id, m.responsible, entry.seq
('massnahme-1', 'tek-bornstrasse', 2)
>>> update_measure(repo, command_line(), m.id, day, status="in Arbeit")[0].status.value
'in_progress'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel

from api.usecases.roles import ForbiddenError, Principal, Role, may_accept
from graph.edit import find
from graph.errors import InvalidNetworkError, NotFoundError, Problem
from graph.journal import AuditEntry, Edit
from graph.model import Measure, MeasureStatus
from graph.network import Network
from graph.repository import Repository
from lotsen.check import check
from lotsen.findings import Finding
from lotsen.measures import MEASURE_STATUS_LABELS

__all__ = ["Proposal", "decide_measure", "measure_status", "proposal", "provider_id",
           "update_measure"]

_UNSET: object = object()


@dataclass(frozen=True)
class Proposal:
    """What a new Maßnahme on a finding starts with (the person may change all of it)."""

    title: str
    responsible: str | None  # a provider's id
    findings: tuple[str, ...]


def proposal(net: Network, finding: Finding) -> Proposal:
    """A Maßnahme prefilled from ``finding``: its title and what it is about, and as the
    responsible provider the one that owns the transition (or offers the service, or
    signed the agreement) it names.

    >>> import datetime as dt
    >>> from seeds import load_seed
    >>> net = load_seed("brunnenstrasse")
    >>> f = next(f for f in check(net, dt.date(2026, 11, 22)) if f.code == "AGREEMENT_EXPIRED")
    >>> p = proposal(net, f)
    >>> p.responsible, p.findings == (f.stable_key,)
    ('tek-bornstrasse', True)
    """
    from visualisation.change_text import finding_subject

    subject = finding_subject(net, finding)
    responsible = None
    for i in finding.ids:
        t = net.transition_index.get(i)
        s = net.service_index.get(i)
        a = net.agreement_index.get(i)
        if t is not None:
            responsible = t.owner or (net.service_index[t.source].provider
                                      if t.source in net.service_index else None)
        elif s is not None:
            responsible = s.provider
        elif a is not None and a.parties:
            responsible = a.parties[0]
        elif i in net.provider_index:
            responsible = i
        if responsible is not None:
            break
    title = f"{finding.title}: {subject}" if subject else finding.title
    return Proposal(title[:300], responsible, (finding.stable_key,))


def provider_id(net: Network, wanted: str) -> str:
    """A provider by id or by name (any case)."""
    if wanted in net.provider_index:
        return wanted
    for p in net.providers:
        if p.name.casefold() == wanted.strip().casefold():
            return p.id
    raise NotFoundError("Träger", wanted, [p.name for p in net.providers] +
                        [p.id for p in net.providers])


def measure_status(measure_id: str, value: str | MeasureStatus) -> MeasureStatus:
    """A status by code or German name („in Arbeit“, „erledigt“ …)."""
    if isinstance(value, MeasureStatus):
        return value
    for code, label in MEASURE_STATUS_LABELS.items():
        if value.strip().casefold() in (code, label.casefold()):
            return MeasureStatus(code)
    raise InvalidNetworkError([Problem(
        "Maßnahme", measure_id, "status", f"'{value}' ist kein Status; erlaubt: "
        + ", ".join(MEASURE_STATUS_LABELS.values()) + ".")])


def _authorizer(who: Principal, day: dt.date):  # type: ignore[no-untyped-def]
    def authorize(net: Network, old: BaseModel | None, new: BaseModel | None) -> None:
        if who.role is Role.COORDINATOR:
            return
        keys = {k for m in (old, new) if isinstance(m, Measure) for k in m.findings}
        found = {f.stable_key: f for f in check(net, day)}
        if who.role is Role.READER or not keys or not all(
                k in found and may_accept(who, found[k]) for k in keys):
            raise ForbiddenError(f"'{who.name}' darf diese Maßnahme nicht beschließen oder "
                                 "ändern: sie gehört zu Befunden außerhalb ihrer Quartiere "
                                 "(oder zu keinem Befund); das entscheidet die Koordination.")
    return authorize


def decide_measure(repo: Repository, who: Principal, title: str, responsible: str,
                   day: dt.date, *, findings: Sequence[str] = (), due: dt.date | None = None,
                   note: str | None = None, measure_id: str | None = None,
                   meeting: str | None = None) -> tuple[Measure, AuditEntry]:
    """A new Maßnahme (``responsible``: a provider's id or name) on the findings
    ``findings`` (their keys), with a fresh id ``massnahme-N`` unless one is given;
    ``meeting``: the Sitzung that decides it."""
    net = repo.load()
    taken = {m.id for m in net.measures}
    new_id = measure_id or next(f"massnahme-{n}" for n in range(len(taken) + 1, 10**7)
                                if f"massnahme-{n}" not in taken)
    m = Measure(id=new_id, title=title, findings=list(findings),
                responsible=provider_id(net, responsible), due=due, note=note or None,
                meeting=meeting)
    _, entry = repo.apply(Edit("measures", m.id, m, who.name, create=True,
                               authorize=_authorizer(who, day)))
    return m, entry


def update_measure(repo: Repository, who: Principal, measure_id: str, day: dt.date, *,
                   status: str | MeasureStatus | None = None, note: object = _UNSET,
                   due: object = _UNSET, expected_version: int | None = None
                   ) -> tuple[Measure, AuditEntry]:
    """Change a Maßnahme's status, note or due date (what is not given stays)."""
    old = find(repo.load(), "measures", measure_id)
    assert isinstance(old, Measure)
    update: dict[str, object] = {}
    if status is not None:
        update["status"] = measure_status(measure_id, status)
    if note is not _UNSET:
        update["note"] = note or None
    if due is not _UNSET:
        update["due"] = due
    new = Measure.model_validate({**old.model_dump(), **update})
    _, entry = repo.apply(Edit("measures", measure_id, new, who.name,
                               expected_version=expected_version,
                               authorize=_authorizer(who, day)))
    return new, entry
