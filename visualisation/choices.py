"""Choices for the Werkstatt's question forms: quarters, areas of every level, providers
and services by their German names (never ids), and reading a chosen area back.

An area travels in a form as ``ebene:kennung`` (``kommune:selm``, ``kreis:Kreis Unna``),
so that two areas of one name stay apart; the person only ever sees names. A name that
two areas share gets the next larger area in brackets.

>>> from seeds import load_seed
>>> net = load_seed("kreis-unna")
>>> for option in area_options(net)[:2]:
...     print(option)
('land:Nordrhein-Westfalen', 'Nordrhein-Westfalen', 'Land')
('kreis:Kreis Unna', 'Kreis Unna', 'Kreis')
>>> area, quarters = find_area(net, "kommune:selm")
>>> area.name, quarters
('Stadt Selm', ['selm-mitte'])
>>> quarter_options(net)
[('luenen-sued', 'Lünen-Süd'), ('selm-mitte', 'Selm-Mitte')]
"""

from __future__ import annotations

from graph.errors import NotFoundError
from graph.hierarchy import LEVEL_NAMES, LEVELS, Area, area_of, areas
from graph.network import Network

__all__ = ["LEVEL_KEYS", "area_options", "area_value", "find_area", "level_of",
           "provider_options", "quarter_options", "service_options"]

LEVEL_KEYS = {"quarter": "quartier", "district": "bezirk", "municipality": "kommune",
              "county": "kreis", "state": "land"}
"""The German word of each level, as a form and an address carry it."""

_LEVEL_BY_KEY = {v: k for k, v in LEVEL_KEYS.items()}


def level_of(key: str) -> str:
    """The level of a German (``kommune``) or English (``municipality``) word; a
    NotFoundError names the German levels otherwise.

    >>> level_of("Kommune"), level_of("county")
    ('municipality', 'county')
    """
    word = key.strip().casefold()
    if word in _LEVEL_BY_KEY:
        return _LEVEL_BY_KEY[word]
    if word in LEVELS:
        return word
    raise NotFoundError("Ebene", key, [LEVEL_NAMES[x] for x in LEVELS])


def area_value(area: Area) -> str:
    """How a form carries an area: ``ebene:kennung``."""
    return f"{LEVEL_KEYS[area.level]}:{area.id}"


def _labels(net: Network, found: dict[Area, list[str]]) -> dict[Area, str]:
    """Names, with the next larger area in brackets where one level has a name twice
    (and the id where even that is the same)."""
    count: dict[tuple[str, str], int] = {}
    for a in found:
        count[(a.level, a.name)] = count.get((a.level, a.name), 0) + 1
    labels = {}
    for a, quarters in found.items():
        if count[(a.level, a.name)] == 1:
            labels[a] = a.name
            continue
        larger = LEVELS[LEVELS.index(a.level) + 1:] if a.level != "state" else ()
        parent = next((p for level in larger
                       if (p := area_of(net, quarters[0], level)) is not None
                       and p.level != a.level), None)
        labels[a] = f"{a.name} ({parent.name})" if parent is not None else a.name
    seen: dict[tuple[str, str], int] = {}
    for a, label in labels.items():
        seen[(a.level, label)] = seen.get((a.level, label), 0) + 1
    return {a: (label if seen[(a.level, label)] == 1 else f"{label} ({a.id})")
            for a, label in labels.items()}


def area_options(net: Network, levels: tuple[str, ...] = LEVELS
                 ) -> list[tuple[str, str, str]]:
    """(value, label, German level) of every area of ``levels``, largest level first,
    by name within a level (the form groups them by level)."""
    found = areas(net)
    labels = _labels(net, found)
    rows = [(area_value(a), labels[a], LEVEL_NAMES[a.level]) for a in found
            if a.level in levels]
    order = {LEVEL_NAMES[x]: -i for i, x in enumerate(LEVELS)}
    return sorted(rows, key=lambda r: (order[r[2]], r[1].casefold()))


def find_area(net: Network, value: str) -> tuple[Area, list[str]]:
    """The area a form chose (``ebene:kennung``) and its quarters; a NotFoundError with
    the closest names when there is none."""
    key, _, wanted = value.partition(":")
    found = areas(net)
    try:
        level = level_of(key)
    except NotFoundError:
        level = ""
    for a, quarters in found.items():
        if a.level == level and a.id == wanted:
            return a, quarters
    raise NotFoundError("Gebiet", wanted or value, list(dict.fromkeys(_labels(net, found)
                                                                      .values())))


def quarter_options(net: Network) -> list[tuple[str, str]]:
    """(id, name) of every quarter by name; a name two quarters share gets its Kommune
    (or its id) in brackets."""
    found = {a: q for a, q in areas(net).items() if a.level == "quarter"}
    labels = _labels(net, found)
    return sorted(((a.id, labels[a]) for a in found), key=lambda x: x[1].casefold())


def provider_options(net: Network) -> list[tuple[str, str]]:
    """(id, name) of every provider by name (a twin name gets its id)."""
    twice = {p.name for p in net.providers
             if sum(x.name == p.name for x in net.providers) > 1}
    return sorted(((p.id, f"{p.name} ({p.id})" if p.name in twice else p.name)
                   for p in net.providers), key=lambda x: x[1].casefold())


def service_options(net: Network, quarter: str | None = None
                    ) -> list[tuple[str, str, str]]:
    """(id, „Angebot (Träger)“, quarter name) of the services (of one quarter, or all),
    grouped by quarter and by name within it."""
    rows = []
    for s in net.services:
        if quarter is not None and quarter not in s.quarters:
            continue
        provider = net.provider_index.get(s.provider)
        label = s.name if provider is None or provider.name.casefold() == s.name.casefold() \
            else f"{s.name} ({provider.name})"
        first = net.quarter_index.get(s.quarters[0]) if s.quarters else None
        group = "mehrere Quartiere" if len(s.quarters) > 1 else (first.name if first else "")
        rows.append((s.id, label, group))
    return sorted(rows, key=lambda r: (r[2] == "mehrere Quartiere", r[2].casefold(),
                                       r[1].casefold()))
