"""The Brunnenstraße seed with contact data for the Familienwegweiser (tests, pictures).

The contact data are invented examples (``.example`` addresses, no real numbers); an ended
and a not-yet-started offer show that the guide names only running ones.
"""

from __future__ import annotations

import datetime as dt

from graph.contact import Contact
from graph.model import Service, ServiceStatus
from graph.network import Network
from seeds import load_seed

__all__ = ["AS_OF", "ENDED", "LATER", "wegweiser_network"]

AS_OF = dt.date(2026, 11, 22)
ENDED = "Elterncafé am Nordmarkt"
LATER = "Sprachkurs für Eltern (ab März)"

_CONTACTS = {
    "babylotsen": Contact(phone="0231 000 11-20", email="babylotsen@klinik.example",
                          opening_hours="Mo–Fr 8–16 Uhr"),
    "griffbereit": Contact(opening_hours="Di und Do 9:30–11:30 Uhr",
                           url="https://www.familienzentrum.example/griffbereit"),
    "kita-bornstrasse": Contact(phone="0231 000 52-0", email="tek.bornstrasse@kita.example",
                                opening_hours="Mo–Fr 7–16:30 Uhr"),
    "kinderstube-brunnen": Contact(phone="0231 000 33-44",
                                   opening_hours="Mo–Do 9–12 Uhr, Mi auch 14–16 Uhr"),
    "familiengrundschulzentrum": Contact(
        email="fgz.kleine-kielstrasse@schule.example",
        url="https://www.grundschule-kleine-kielstrasse.example/familiengrundschulzentrum",
        opening_hours="Elterncafé Mi 8–10 Uhr"),
}


def wegweiser_network() -> Network:
    net = load_seed("brunnenstrasse")
    services = [s.model_copy(update={"contact": _CONTACTS[s.id]}) if s.id in _CONTACTS else s
                for s in net.services]
    provider = next(s.provider for s in net.services if s.id == "griffbereit")
    services += [
        Service(id="elterncafe-nordmarkt", name=ENDED, provider=provider,
                quarters=["brunnenstrasse"], life_stages=["infant", "toddler"],
                fields=["participation"], status=ServiceStatus.ACTIVE,
                valid_until=dt.date(2025, 12, 31)),
        Service(id="sprachkurs-eltern", name=LATER, provider=provider,
                quarters=["brunnenstrasse"], life_stages=["preschool"], fields=["education"],
                status=ServiceStatus.PLANNED, valid_from=dt.date(2027, 3, 1)),
    ]
    return net.with_sections(services=services)
