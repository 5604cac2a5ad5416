"""Sites (Standorte) in HSDS 3.0: a :class:`graph.site.Site` is an HSDS ``location``.

Export (:func:`location`): name, description, the address as an HSDS ``address`` (street,
postal code and city when the text reads "Straße 1, 12345 Ort", else the whole text as
``address_1``), web address as ``url``, phone as ``phones``, opening hours as the
``description`` of a ``schedule``, the e-mail as a ``contact`` without a name (the
institution's address; HSDS gives a location no e-mail of its own), our id as the
attribute ``lotsensystem:kennung`` and the quarter as the terms ``quartier``,
``stadtbezirk``, ``kommune`` – as on a service area. Import reads it back
(:func:`address_text` joins an address) and takes foreign locations as sites.

>>> address = address_object("Bornstraße 10, 44135 Dortmund", "loc-1", "s1")
>>> address["address_1"], address["postal_code"], address["city"]
('Bornstraße 10', '44135', 'Dortmund')
>>> address_text(address)
'Bornstraße 10, 44135 Dortmund'
>>> address_text(address_object("Im Hof hinter der Kirche", "loc-1", "s1"))
'Im Hof hinter der Kirche'
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from graph.formats.hsds_taxonomy import uid
from graph.site import Site

__all__ = ["address_object", "address_text", "location"]

_ADDRESS = re.compile(r"^(?P<street>.+), (?P<postal>\d{5}) (?P<city>\S.*)$")

Attributes = Callable[[str, str, str, int], list[dict[str, Any]]]
"""(table, link id, quarter id, first number) -> the quarter's attributes."""


def address_object(text: str, location_id: str, key: str) -> dict[str, Any]:
    """One HSDS address from our address text (read back unchanged by
    :func:`address_text`)."""
    found = _ADDRESS.match(text)
    street, postal, city = (found.group("street"), found.group("postal"),
                            found.group("city")) if found else (text, "", "")
    return {"id": uid("address", key), "location_id": location_id, "address_1": street,
            "city": city, "state_province": "", "postal_code": postal, "country": "DE",
            "address_type": "physical"}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def address_text(address: dict[str, Any]) -> str:
    """An address as one line: "Straße 1, Zusatz, 12345 Ort"."""
    parts = [_text(address.get(k)) for k in ("address_1", "address_2")]
    place = f"{_text(address.get('postal_code'))} {_text(address.get('city'))}".strip()
    return ", ".join(p for p in (*parts, place) if p)


def location(site: Site, value: Callable[[str, str, str, Any, int], dict[str, Any]],
             quarter_terms: Attributes) -> dict[str, Any]:
    """The site as an HSDS location (``value`` and ``quarter_terms`` make attributes)."""
    lid = uid("site", site.id)
    out: dict[str, Any] = {"id": lid, "location_type": "physical", "name": site.name}
    if site.description:
        out["description"] = site.description
    contact = site.contact
    if contact is not None and contact.url:
        out["url"] = contact.url
    if site.address:
        out["addresses"] = [address_object(site.address, lid, site.id)]
    if contact is not None and contact.email:
        out["contacts"] = [{"id": uid("contact", f"site:{site.id}"), "location_id": lid,
                            "email": contact.email}]
    if contact is not None and contact.phone:
        out["phones"] = [{"id": uid("phone", f"site:{site.id}"), "location_id": lid,
                          "number": contact.phone}]
    if contact is not None and contact.opening_hours:
        out["schedules"] = [{"id": uid("schedule", f"site:{site.id}"), "location_id": lid,
                             "description": contact.opening_hours}]
    attrs = [value("location", lid, "kennung", site.id, 0)]
    if site.quarter is not None:
        attrs += quarter_terms("location", lid, site.quarter, 1)
    out["attributes"] = attrs
    return out
