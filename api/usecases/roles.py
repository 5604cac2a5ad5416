"""Who may do what – decided here, once, for the command line, the Werkstatt and the API.

Roles (000, section 4: each quarter network decides its own content):

* ``reader`` – reads everything, changes nothing (district teams, portals, dashboards);
* ``editor`` of named quarters – changes services, transitions and agreements that lie
  wholly in their quarters (a service: all its quarters, before and after; a
  transition: the quarters where the hand-off happens, and an agreement it attaches must
  already be shared with one of her quarters, and attaching or detaching must not add
  or drop any other quarter from the agreement's quarters; an agreement: the quarters it
  states (``quarters``) and those of every transition it backs – or, while it backs
  none, the quarters its parties' services serve; so stating or dropping another
  quarter is that quarter's change; one that lies in no quarter at all only the
  coordination changes); she accepts findings and decides measures of her quarters;
* ``coordinator`` – everything, including quarters, providers and whole imports. The
  command line acts as the coordination (:data:`COMMAND_LINE`), under the name ``--by``
  gives.

>>> editor = Principal("quartier-nord", Role.EDITOR, frozenset({"nord"}))
>>> editor.require_coordinator("Eine ganze Kette einlesen")  # doctest: +ELLIPSIS
Traceback (most recent call last):
api.usecases.roles.ForbiddenError: Eine ganze Kette einlesen darf nur die Koordination ...
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import BaseModel

from graph.edit import find
from graph.errors import LotsenError
from graph.network import Network
from graph.repository import TOOL_ACTOR

if TYPE_CHECKING:
    from graph.merge import MergePlan
    from lotsen.findings import Finding

__all__ = ["COMMAND_LINE", "EDITABLE", "ForbiddenError", "Principal", "Role",
           "UnauthorizedError", "check_write", "command_line", "may_accept", "may_change",
           "merge_authorizer", "touched_quarters"]

EDITABLE = ("services", "transitions", "agreements")


class UnauthorizedError(LotsenError):
    status = 401


class ForbiddenError(LotsenError):
    status = 403


class Role(StrEnum):
    READER = "reader"
    EDITOR = "editor"
    COORDINATOR = "coordinator"


@dataclass(frozen=True)
class Principal:
    """The caller: the token's name (a role such as 'quartier-nord', never a person)."""

    name: str
    role: Role
    quarters: frozenset[str] = frozenset()

    def require_read(self) -> None:
        return None

    def require_coordinator(self, what: str) -> None:
        if self.role is not Role.COORDINATOR:
            raise ForbiddenError(f"{what} darf nur die Koordination (Rolle 'coordinator'); "
                                 f"'{self.name}' hat die Rolle '{self.role.value}'.")


def _service_quarters(net: Network, service_id: str) -> set[str]:
    s = net.service_index.get(service_id)
    return set(s.quarters) if s is not None else set()


def _transition_quarters(net: Network, source: str, target: str) -> set[str]:
    a, b = _service_quarters(net, source), _service_quarters(net, target)
    return (a & b) or (a | b)


def touched_quarters(net: Network, section: str, entity: BaseModel | None) -> set[str]:
    """The quarters a service, transition or agreement lies in (see module docstring)."""
    if entity is None:
        return set()
    if section == "services":
        return set(getattr(entity, "quarters", []))
    if section == "transitions":
        return _transition_quarters(net, getattr(entity, "source", ""),
                                    getattr(entity, "target", ""))
    if section == "agreements":
        aid = getattr(entity, "id", "")
        backed = {q for t in net.transitions if aid in t.agreements
                  for q in _transition_quarters(net, t.source, t.target)}
        return _with_stated(net, entity, backed)
    if section == "sites":
        quarter = getattr(entity, "quarter", None)
        return {quarter} if quarter else set()
    return set()


def _with_stated(net: Network, agreement: BaseModel | None, backed: set[str]) -> set[str]:
    """An agreement's quarters: those it states, and those of the transitions it backs –
    or, backing none (yet), those where its parties' services serve."""
    if agreement is None:
        return set(backed)
    stated = set(getattr(agreement, "quarters", ()) or ())
    if backed:
        return stated | backed
    parties = set(getattr(agreement, "parties", ()) or ())
    return stated | {q for s in net.services if s.provider in parties for q in s.quarters}


def _agreement_scope(net: Network, aid: str, without: str | None,
                     new: BaseModel | None) -> set[str]:
    """The quarters of agreement ``aid`` with transition ``without`` replaced by ``new``."""
    backed = {q for t in net.transitions if t.id != without and aid in t.agreements
              for q in _transition_quarters(net, t.source, t.target)}
    if new is not None and aid in (getattr(new, "agreements", ()) or ()):
        backed |= touched_quarters(net, "transitions", new)
    return _with_stated(net, net.agreement_index.get(aid), backed)


def _agreement_shifts(p: Principal, net: Network, old: BaseModel | None,
                      new: BaseModel | None) -> set[str]:
    """The quarters outside ``p``'s whose hold on an agreement a transition change would
    shift: attaching or detaching an agreement changes the quarters it belongs to. It
    must already be shared with one of her quarters (an editor must not pull another
    quarter's agreement into her transition and so lock that quarter's editor out), and
    no other quarter may be added to or dropped from it (no widening or narrowing)."""
    before_ids = set(getattr(old, "agreements", ()) or ())
    after_ids = set(getattr(new, "agreements", ()) or ())
    tid = getattr(old, "id", None) or getattr(new, "id", None)
    shifted: set[str] = set()
    for aid in sorted(before_ids ^ after_ids):
        if aid not in net.agreement_index:
            continue  # an unknown id: the network check names it
        before = _agreement_scope(net, aid, tid, old)
        after = _agreement_scope(net, aid, tid, new)
        if aid in after_ids and not before & p.quarters:
            shifted |= before
        shifted |= before ^ after
    return shifted


def check_write(p: Principal, net: Network, section: str, old: BaseModel | None,
                new: BaseModel | None) -> None:
    """Raise ForbiddenError unless ``p`` may turn ``old`` into ``new`` in ``section``."""
    if p.role is Role.COORDINATOR:
        return
    if p.role is Role.READER:
        raise ForbiddenError(f"'{p.name}' darf nur lesen (Rolle 'reader').")
    if section not in EDITABLE:
        raise ForbiddenError(
            f"Quartiersredaktionen ändern nur Angebote, Übergänge und Vereinbarungen; "
            f"'{section}' ändert die Koordination.")
    touched = touched_quarters(net, section, old) | touched_quarters(net, section, new)
    if section == "agreements" and not touched:
        raise ForbiddenError(
            f"Diese Vereinbarung sichert keinen Übergang ab, nennt kein Quartier, und ihre "
            f"Partner haben kein Angebot in einem Quartier; sie ändert nur die Koordination "
            f"('{p.name}' ist Quartiersredaktion).")
    if section == "transitions":
        touched |= _agreement_shifts(p, net, old, new)
    outside = sorted(touched - p.quarters)
    if outside:
        def named(ids: Iterable[str]) -> str:
            return ", ".join(f"{net.quarter_index[q].name} ({q})" if q in net.quarter_index
                             else q for q in sorted(ids)) or "kein Quartier"

        raise ForbiddenError(
            f"'{p.name}' ist Redaktion für {named(p.quarters)}; diese Änderung betrifft auch "
            f"{named(outside)}. Das entscheidet das dortige Quartiersnetzwerk oder die "
            "Koordination.")


def command_line(by: str | None = None) -> Principal:
    """The command line: the coordination, named ``by`` in the journal (a role such as
    "Koordination", never a person; default ``lotse``)."""
    return Principal(by or TOOL_ACTOR, Role.COORDINATOR)


COMMAND_LINE = command_line()


def may_change(who: Principal, net: Network, section: str, entity: BaseModel | None) -> bool:
    """Whether ``who`` may change (or, with None, create in) ``section`` – for showing or
    hiding the edit controls. The store checks the same again when a change arrives."""
    if who.role is Role.COORDINATOR:
        return True
    if who.role is Role.READER:
        return False
    try:
        check_write(who, net, section, entity, entity)
    except ForbiddenError:
        return False
    return entity is not None or section in EDITABLE


def may_accept(who: Principal, finding: Finding) -> bool:
    """Whether ``who`` may mark ``finding`` as „geprüft, bewusst so“ or decide a measure on
    it: the coordination anywhere, an editor when it lies wholly in her quarters."""
    if who.role is Role.COORDINATOR:
        return True
    return (who.role is Role.EDITOR and bool(finding.quarters)
            and set(finding.quarters) <= who.quarters)


def merge_authorizer(who: Principal) -> Callable[[Network, MergePlan], None]:
    """The role check of a merge: every change it makes must be one ``who`` may make
    (:func:`check_write`, judged before and after)."""
    def check(current: Network, plan: MergePlan) -> None:
        if who.role is Role.READER:
            raise ForbiddenError(f"'{who.name}' darf nur lesen (Rolle 'reader').")
        for change in plan.changes:
            old = find(current, change.section, change.key) if change.action != "new" \
                else None
            new = find(plan.network, change.section, change.key) \
                if change.action != "removed" else None
            check_write(who, plan.network if new is not None else current, change.section,
                        old, new)
            if old is not None and new is not None:
                check_write(who, current, change.section, old, new)
    return check
