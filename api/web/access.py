"""Who may do what: API tokens with roles, stored hashed, compared in constant time.

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
  coordination changes);
* ``coordinator`` – everything, including quarters, providers and whole imports.

The token file holds names, roles, quarters and SHA-256 hashes – never a token::

    tokens:
      - name: quartier-brunnenstrasse
        role: editor
        quarters: [brunnenstrasse]
        sha256: 5e88…

>>> token, entry = new_token("bezirk-nord", "reader")
>>> entry.matches(token), entry.matches(token + "x"), len(token) >= 40
(True, False, True)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, Field

from api.web.yamlfile import read_model, write_model
from graph.errors import LotsenError
from graph.network import Network

__all__ = ["EDITABLE", "TOKEN_DAYS", "ForbiddenError", "Principal", "Role", "TokenEntry",
           "TokenFile", "UnauthorizedError", "check_write", "new_token"]

EDITABLE = ("services", "transitions", "agreements")


class UnauthorizedError(LotsenError):
    status = 401


class ForbiddenError(LotsenError):
    status = 403


class Role(StrEnum):
    READER = "reader"
    EDITOR = "editor"
    COORDINATOR = "coordinator"


class TokenEntry(BaseModel):
    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9._-]+$")
    role: Role
    quarters: list[str] = Field(default_factory=list)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    # the last day the token is valid; None (files written before tokens expired): no end
    expires: dt.date | None = None

    def expired(self, today: dt.date | None = None) -> bool:
        return self.expires is not None and (today or dt.date.today()) > self.expires

    def matches(self, token: str) -> bool:
        digest = hashlib.sha256(token.encode("utf-8")).hexdigest()
        return hmac.compare_digest(digest, self.sha256)


class TokenFile(BaseModel):
    tokens: list[TokenEntry] = Field(default_factory=list)

    @classmethod
    def read(cls, path: Path) -> TokenFile:
        return read_model(cls, path, "Die Token-Datei")

    def write(self, path: Path) -> None:
        write_model(self, path, "API-Tokens des lotsensystems: nur Hashes, nie die Tokens "
                                "selbst.")

    def find(self, token: str) -> TokenEntry | None:
        """The entry whose hash matches; every entry is compared (constant time each)."""
        found = None
        for entry in self.tokens:
            if entry.matches(token):
                found = entry
        return found


TOKEN_DAYS = 365
"""How long a new token is valid unless told otherwise (``lotse token add --expires``)."""


def new_token(name: str, role: str, quarters: Iterable[str] = (),
              expires: dt.date | None = None) -> tuple[str, TokenEntry]:
    """A fresh random token and its file entry (the token is shown once, never stored);
    valid until ``expires`` (default: :data:`TOKEN_DAYS` days from today)."""
    token = "lotse_" + secrets.token_urlsafe(32)
    entry = TokenEntry(name=name, role=Role(role), quarters=list(quarters),
                       sha256=hashlib.sha256(token.encode("utf-8")).hexdigest(),
                       expires=expires or dt.date.today() + dt.timedelta(days=TOKEN_DAYS))
    return token, entry


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
