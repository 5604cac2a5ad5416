"""A Standort (site): a building or place where services take place – a Kita, a
Familienzentrum, a Familienbüro – with its address, the quarter it lies in and its
institutional contact data (:class:`graph.contact.Contact`; never a person's).

Services name their sites by id (``Service.sites``); the older free text
``Service.site`` stays valid beside it. HSDS calls a site a ``location``.

>>> site = Site(id="fz-nord", name="Familienzentrum Nord", address="Bornstraße 10, 44135 Dortmund",
...             quarter="nordstadt", contact={"phone": "0231 12345"})
>>> site.contact.phone, site.quarter
('0231 12345', 'nordstadt')
"""

from __future__ import annotations

from graph.contact import OptionalContact
from graph.model import Entity
from graph.values import Ref, ShortText

__all__ = ["Site"]


class Site(Entity):
    """A site (Standort) of one or more services: where families go."""

    address: ShortText | None = None  # Anschrift, z. B. "Bornstraße 10, 44135 Dortmund"
    quarter: Ref | None = None  # the quarter it lies in, if it lies in one of ours
    contact: OptionalContact = None  # Web, E-Mail, Telefon, Öffnungszeiten
