"""Accepted findings: "geprüft, bewusst so" – hidden from the open findings until their
date, counted and listable, and back as soon as the acceptance runs out.

An acceptance names a finding by its stable key (``CODE/id/…``, see
:attr:`lotsen.findings.Finding.stable_key`) and lives in the network's section
``accepted_findings``; writing it through a repository journals who and when.

>>> import datetime as dt
>>> from seeds import load_seed
>>> from lotsen.check import check
>>> net = load_seed("brunnenstrasse")
>>> day = dt.date(2026, 11, 22)
>>> found = check(net, day)
>>> a = acceptance(net, "PEARL/sprachbilderbuecher", "Kampagne, kein Übergang nötig",
...                by="Koordination", on=day, until=dt.date(2027, 6, 30), findings=found)
>>> t = triage(net.with_sections(accepted_findings=[a]), found, day)
>>> len(found), len(t.open), [f.code for f, _ in t.accepted]
(17, 16, ['PEARL'])
>>> len(triage(net.with_sections(accepted_findings=[a]), found, dt.date(2027, 7, 1)).open)
17
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from graph.errors import InvalidNetworkError, NotFoundError, Problem
from graph.model import AcceptedFinding
from graph.network import Network
from lotsen.findings import Finding, parse_key

__all__ = ["Triage", "acceptance", "triage"]

_KIND = "Akzeptierter Befund"


@dataclass(frozen=True)
class Triage:
    """Findings split by their acceptances on a date."""

    open: list[Finding]  # to show (not accepted, or the acceptance ran out)
    accepted: list[tuple[Finding, AcceptedFinding]] = field(default_factory=list)
    expired: list[tuple[Finding, AcceptedFinding]] = field(default_factory=list)  # back
    resolved: list[AcceptedFinding] = field(default_factory=list)  # finding gone

    @property
    def accepted_count(self) -> int:
        return len(self.accepted)


def triage(net: Network, findings: Sequence[Finding], as_of: dt.date) -> Triage:
    """Split ``findings`` by the network's acceptances on ``as_of``. Accepting never
    adds a finding: ``open`` is always a part of ``findings``, in the same order."""
    by_key = {a.key: a for a in net.accepted_findings}
    open_: list[Finding] = []
    accepted: list[tuple[Finding, AcceptedFinding]] = []
    expired: list[tuple[Finding, AcceptedFinding]] = []
    seen: set[str] = set()
    for f in findings:
        a = by_key.get(f.stable_key)
        if a is None:
            open_.append(f)
            continue
        seen.add(a.key)
        if a.is_active_on(as_of):
            accepted.append((f, a))
        else:
            expired.append((f, a))
            open_.append(f)
    resolved = [a for a in net.accepted_findings if a.key not in seen]
    return Triage(open_, accepted, expired, resolved)


def acceptance(net: Network, key: str, reason: str, by: str, on: dt.date,
               until: dt.date | None = None,
               findings: Sequence[Finding] | None = None) -> AcceptedFinding:
    """A new acceptance of the finding ``key`` (checked against ``findings``, default:
    the network's findings on ``on``); NotFoundError with close keys when there is no
    such finding, InvalidNetworkError for a malformed key or an end before ``on``."""
    try:
        parse_key(key)
    except ValueError as exc:
        raise InvalidNetworkError([Problem(_KIND, key, "key", str(exc))]) from None
    if findings is None:
        from lotsen.check import check

        findings = check(net, on)
    keys = [f.stable_key for f in findings]
    if key.strip() not in keys:
        raise NotFoundError("Befund", key, keys)
    if until is not None and until < on:
        raise InvalidNetworkError([Problem(
            _KIND, key, "until", f"„bis“ ({until:%d.%m.%Y}) liegt vor dem Tag der Annahme "
            f"({on:%d.%m.%Y}).")])
    return AcceptedFinding(key=key, reason=reason, by=by, on=on, until=until)
