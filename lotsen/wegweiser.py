"""The Familienwegweiser: a quarter's running offers for families, by the child's age.

What a family-facing guide shows (Selm's Familienberatungsführer, 004 §6.5.5): the life
stages in their order, and under each the offers running on the as-of date, with their
site, the institution's contact channels (web, e-mail, phone, opening hours, see
:mod:`graph.contact`), the languages spoken and how to get in (free, no appointment,
outreach). Offers that have ended, pause or have not yet started are left out. No
personal data: the contact is the institution's, a person appears only as a role.

An offer for several stages stands under each of them (a family looks up its child's
age). The texts of the offers stay as entered; the page's own texts are translated in
:mod:`visualisation.wegweiser`.

>>> import datetime as dt
>>> from seeds import load_seed
>>> g = guide(load_seed("brunnenstrasse"), "brunnenstrasse", dt.date(2026, 11, 22))
>>> g.quarter_name, [s.stage_id for s in g.sections][:3]
('Brunnenstraßen-/Hannibalviertel', ['pregnancy', 'birth', 'infant'])
>>> sum(len(s.entries) for s in g.sections) > 0
True
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from graph.contact import Contact
from graph.network import Network

__all__ = ["Guide", "GuideEntry", "GuideSection", "guide"]


@dataclass(frozen=True)
class GuideEntry:
    """One offer as a family reads it."""

    service_id: str
    name: str
    description: str | None
    provider: str
    site: str | None
    contact: Contact | None
    contact_role: str | None
    languages: tuple[str, ...]
    access: tuple[str, ...]


@dataclass(frozen=True)
class GuideSection:
    """The offers for one life stage (ages in months, ``to_months`` exclusive)."""

    stage_id: str
    stage_name: str
    from_months: int
    to_months: int
    entries: tuple[GuideEntry, ...]


@dataclass(frozen=True)
class Guide:
    """The whole guide of a quarter on a date."""

    quarter_id: str
    quarter_name: str
    as_of: dt.date
    sections: tuple[GuideSection, ...]

    @property
    def service_ids(self) -> set[str]:
        """Every offer the guide names."""
        return {e.service_id for s in self.sections for e in s.entries}


def _where(net: Network, service: Any) -> str | None:
    """Where families go: the service's sites (name and address), else its text site."""
    places = [", ".join(p for p in (site.name, site.address) if p)
              for site in (net.site_index.get(i) for i in service.sites) if site is not None]
    return "; ".join(places) or service.site or None


def _site_contact(net: Network, service: Any) -> Contact | None:
    """A service without its own contact data is reached at its (first) site's."""
    for i in service.sites:
        site = net.site_index.get(i)
        if site is not None and site.contact is not None:
            return site.contact
    return None


def guide(net: Network, quarter: str, as_of: dt.date) -> Guide:
    """The Familienwegweiser of ``quarter`` (id or name) on ``as_of``: the life stages in
    catalogue order, each with the offers running that day (sorted by name)."""
    q = net.find_quarter(quarter)
    running = [s for s in net.services_in(q.id) if s.is_active_on(as_of)]
    sections = []
    for stage in net.catalogue.life_stages:
        here = sorted((s for s in running if stage.id in s.life_stages),
                      key=lambda s: s.name.casefold())
        entries = tuple(GuideEntry(
            service_id=s.id, name=s.name, description=s.description,
            provider=net.provider_index[s.provider].name
            if s.provider in net.provider_index else s.provider,
            site=_where(net, s), contact=s.contact or _site_contact(net, s),
            contact_role=s.contact_role or None,
            languages=tuple(s.languages), access=tuple(a.value for a in s.access))
            for s in here)
        sections.append(GuideSection(stage.id, stage.name, stage.from_months,
                                     stage.to_months, entries))
    return Guide(q.id, q.name, as_of, tuple(sections))
