"""The flexible hierarchy: Land → Kreis → Kommune → (Stadtbezirk) → Quartier.

A quarter lies in a Stadtbezirk (``district``) or, where a town has none (Selm, Lünen in
Kreis Unna), directly in a municipality (``municipality``); a municipality names its Kreis
(``county``) and its Land (``state``). Kreis and Land are names, not entities: they only
group municipalities. That every quarter has a place in it is part of the network's own
check (:func:`graph.network.hierarchy_problems`); this module reads a valid network.

Roll-ups need one area per quarter and level; where a level is missing the next smaller
area stands in, as in German administration:

* district – a town without Stadtbezirke is its own area;
* county – a kreisfreie Stadt (Dortmund) is its own area;
* state – municipalities without a Land form the area "Land nicht angegeben".

>>> from graph.model import Municipality, Quarter
>>> from graph.network import Network
>>> net = Network(name="Kreis", municipalities=[
...     Municipality(id="selm", name="Stadt Selm", county="Kreis Unna", state="NRW")],
...     quarters=[Quarter(id="selm-mitte", name="Selm-Mitte", municipality="selm")])
>>> [area_of(net, "selm-mitte", level).name for level in LEVELS]
['Selm-Mitte', 'Stadt Selm', 'Stadt Selm', 'Kreis Unna', 'NRW']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph.errors import NotFoundError
from graph.network import Network, hierarchy_problems

__all__ = ["LEVELS", "LEVEL_NAMES", "Area", "area_of", "areas", "hierarchy_problems",
           "municipality_of", "quarters_in"]

LEVELS = ("quarter", "district", "municipality", "county", "state")
"""The levels from the smallest to the largest."""

LEVEL_NAMES = {"quarter": "Quartier", "district": "Stadtbezirk", "municipality": "Kommune",
               "county": "Kreis", "state": "Land"}
"""German names of the levels."""

NO_STATE = "Land nicht angegeben"


@dataclass(frozen=True)
class Area:
    """An area of one level: its level (the one it really is), id and name; Kreis and
    Land use their name as id."""

    level: str
    id: str
    name: str


def _by_id(net: Network, section: str) -> dict[str, Any]:
    """The districts or municipalities of ``net`` by id (the first of an id, as a search
    from the front finds it), made once per network state."""
    key = f"hierarchy-{section}"
    found: dict[str, Any] | None = net.cache.get(key)
    if found is None:
        found = {}
        for e in getattr(net, section):
            found.setdefault(e.id, e)
        net.cache[key] = found
    return found


def municipality_of(net: Network, quarter: str) -> str | None:
    """The id of the municipality a quarter lies in (via its district or directly)."""
    q = net.quarter_index[quarter]
    if q.municipality is not None:
        return q.municipality
    district = _by_id(net, "districts").get(q.district) if q.district is not None else None
    return district.municipality if district is not None else None


def area_of(net: Network, quarter: str, level: str) -> Area | None:
    """The area of ``level`` the quarter belongs to (see the module docstring for
    missing levels); None when the quarter's municipality is unknown. A ValueError
    names the levels when ``level`` is not one of :data:`LEVELS`."""
    if level not in LEVELS:
        raise ValueError(f"Unbekannte Ebene '{level}'; möglich sind: {', '.join(LEVELS)}.")
    q = net.quarter_index[quarter]
    if level == "quarter":
        return Area("quarter", q.id, q.name)
    if level == "district" and q.district is not None:
        district = _by_id(net, "districts").get(q.district)
        if district is not None:
            return Area("district", district.id, district.name)
    m_id = municipality_of(net, quarter)
    m = _by_id(net, "municipalities").get(m_id) if m_id is not None else None
    if m is None:
        return None
    if level == "county" and m.county:
        return Area("county", m.county, m.county)
    if level == "state":
        return Area("state", m.state, m.state) if m.state else Area("state", NO_STATE,
                                                                    NO_STATE)
    return Area("municipality", m.id, m.name)


def quarters_in(net: Network, area: str) -> list[str]:
    """The quarters of an area of any level, named by id or name (case-insensitive):
    a Land, a Kreis, a municipality, a district or one quarter. A NotFoundError lists
    the areas there are.

    >>> from seeds import load_seed
    >>> quarters_in(load_seed("kreis-unna"), "kreis unna")
    ['selm-mitte', 'luenen-sued']
    """
    wanted = area.strip().casefold()
    known: list[str] = []
    for level in reversed(LEVELS):
        found = []
        for q in net.quarters:
            a = area_of(net, q.id, level)
            if a is None or a.level != level:
                continue
            known.append(a.name)
            if wanted in (a.id.casefold(), a.name.casefold()):
                found.append(q.id)
        if found:
            return found
    raise NotFoundError("Gebiet", area, list(dict.fromkeys(known)))


def areas(net: Network) -> dict[Area, list[str]]:
    """Every area of every level with its quarters: the largest level first (Land, Kreis,
    Kommune, Stadtbezirk, Quartier), each area once at the level it really is (a
    kreisfreie Stadt is a Kommune, not a Kreis). Two areas of one name stay apart (their
    ids differ).

    >>> from seeds import load_seed
    >>> found = areas(load_seed("kreis-unna"))
    >>> [(a.level, a.name, q) for a, q in found.items()][:3]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('state', 'Nordrhein-Westfalen', ['selm-mitte', 'luenen-sued']),
     ('county', 'Kreis Unna', ['selm-mitte', 'luenen-sued']),
     ('municipality', 'Stadt Selm', ['selm-mitte'])]
    """
    found: dict[Area, list[str]] = {}
    for level in reversed(LEVELS):
        for q in net.quarters:
            a = area_of(net, q.id, level)
            if a is not None and a.level == level:
                found.setdefault(a, []).append(q.id)
    return found
