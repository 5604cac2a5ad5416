"""The Transferbörse as page rows: two quarters link by link with what the place that has
a link can pass on (:func:`lotsen.transfer.transfer`), and the links per area of a level
(:func:`lotsen.compare.area_link_matrix`) as a matrix – or, with more areas than fit on a
projector, as one line per link naming where it is bound, open or missing.

>>> import datetime as dt
>>> from seeds import load_seed
>>> from lotsen.transfer import transfer
>>> net = load_seed("kreis-unna")
>>> view = pair_view(transfer(net, "selm-mitte", net, "luenen-sued",
...                           as_of=dt.date(2026, 11, 22)))
>>> for section in view["sections"]:
...     print(section["title"])
Nur in Selm-Mitte (Stadt Selm), fehlt in Lünen-Süd (Stadt Lünen)
Nur in Lünen-Süd (Stadt Lünen), fehlt in Selm-Mitte (Stadt Selm)
>>> head, items = view["uneven"][0]["lessons"][0]
>>> head, items[0]
('Gelingensfaktoren', 'Stadtteileltern begleiten die Familien zur Schulanmeldung')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from graph.network import Network
from lotsen.compare import Link, LinkKey
from lotsen.transfer import Offer, Transfer, TransferLink, offers

__all__ = ["MARKS", "MAX_COLUMNS", "bound_offers", "lessons", "matrix_view", "pair_view"]

MAX_COLUMNS = 6
"""More areas than this do not fit side by side at 1280 px: one line per link instead."""
MAX_NAMES = 12  # names listed per cell of the line form, then „und N weitere“

MARKS = {"bound": ("✓", "abgesichert"), "open": ("○", "nicht abgesichert"),
         "missing": ("–", "fehlt")}
"""Mark and word of a matrix cell: bound by a valid agreement, there but not bound, missing."""


def lessons(offers: Sequence[Offer]) -> list[tuple[str, list[str]]]:
    """(heading, items) of what the places' transitions can pass on: Gelingensfaktoren,
    Stolpersteine, Ansprechrolle (a role), Kooperation – each item once."""
    found: dict[str, list[str]] = {}
    for o in offers:
        for head, items in (("Gelingensfaktoren", o.success_factors),
                            ("Stolpersteine", o.pitfalls),
                            ("Ansprechrolle", (o.contact_role,) if o.contact_role else ()),
                            ("Kooperation", (o.cooperation,) if o.cooperation else ())):
            for item in items:
                if item not in found.setdefault(head, []):
                    found[head].append(item)
    return [(head, items) for head, items in found.items() if items]


def _row(link: TransferLink, offers: list[Offer]) -> dict[str, Any]:
    return {"label": link.label, "examples": [o.example for o in offers],
            "backed": any(o.backed for o in offers), "lessons": lessons(offers)}


def pair_view(result: Transfer) -> dict[str, Any]:
    """Sections „only here“ and „only there“ (with examples, bound or not, and what the
    place can pass on), the links both have but only one has bound, and those both have."""
    a, b = result.first, result.second
    sections = [
        {"title": f"Nur in {a}, fehlt in {b}", "place": a, "other": b,
         "rows": [_row(x, x.first) for x in result.only_in_first]},
        {"title": f"Nur in {b}, fehlt in {a}", "place": b, "other": a,
         "rows": [_row(x, x.second) for x in result.only_in_second]}]
    uneven = []
    for x in result.shared:
        first, second = any(o.backed for o in x.first), any(o.backed for o in x.second)
        if first != second:
            bound = x.first if first else x.second
            uneven.append({"label": x.label, "first": first, "second": second,
                           "bound_place": a if first else b, "lessons": lessons(bound)})
    shared = [{"label": x.label, "first": [o.example for o in x.first],
               "second": [o.example for o in x.second]} for x in result.shared]
    return {"first": a, "second": b, "sections": sections, "uneven": uneven,
            "shared": shared}


def bound_offers(net: Network, columns: Mapping[str, str], day: dt.date
                 ) -> dict[LinkKey, dict[str, list[Offer]]]:
    """The bound offers of each link per column: ``columns`` maps each quarter to the
    column (area) it counts for – what an area that has a link bound can pass on."""
    found: dict[LinkKey, dict[str, list[Offer]]] = {}
    for quarter, column in columns.items():
        for key, have in offers(net, quarter, day).items():
            bound = [o for o in have if o.backed]
            if bound:
                found.setdefault(key, {}).setdefault(column, []).extend(bound)
    return found


def _state(link: Link, area: str) -> str:
    if area not in link.examples:
        return "missing"
    return "bound" if link.backed.get(area) else "open"


def _names(names: list[str]) -> str:
    if not names:
        return "–"
    shown = ", ".join(names[:MAX_NAMES])
    return shown + (f" und {len(names) - MAX_NAMES} weitere" if len(names) > MAX_NAMES
                    else "")


def matrix_view(links: Sequence[Link], columns: Sequence[str],
                heads: dict[str, str] | None = None,
                bound: Mapping[LinkKey, Mapping[str, list[Offer]]] | None = None
                ) -> dict[str, Any]:
    """The links of ``columns`` (the keys of the links' ``examples``; ``heads`` their
    names when they differ): up to :data:`MAX_COLUMNS` a matrix (one cell per area with
    mark, word and examples), beyond that one line per link with the areas where it is
    bound, open and missing. With ``bound`` (:func:`bound_offers`), a link that is
    bound somewhere and open or missing elsewhere carries ``passes_on``: (area name,
    :func:`lessons`) of the areas that have it bound.

    >>> import datetime as dt
    >>> from seeds import load_seed
    >>> from lotsen.compare import link_matrix
    >>> links = link_matrix(load_seed("unna"), as_of=dt.date(2026, 11, 22))
    >>> view = matrix_view(links, ["unna-mitte", "koenigsborn"],
    ...                    {"unna-mitte": "Unna-Mitte", "koenigsborn": "Königsborn"})
    >>> view["wide"], view["heads"], view["rows"][0]["cells"][0]["word"]
    (False, ['Unna-Mitte', 'Königsborn'], 'abgesichert')
    """
    heads = heads or {}
    names = [heads.get(c, c) for c in columns]
    wide = len(columns) > MAX_COLUMNS
    rows = []
    for link in links:
        states = [_state(link, c) for c in columns]
        if not any(s != "missing" for s in states):
            continue  # a link of areas outside the columns
        row: dict[str, Any] = {"label": link.label}
        if wide:
            for kind in MARKS:
                row[kind] = _names([n for n, s in zip(names, states, strict=True) if s == kind])
            row["counts"] = {k: states.count(k) for k in MARKS}
        else:
            row["cells"] = [{"state": s, "mark": MARKS[s][0], "word": MARKS[s][1],
                             "examples": link.examples.get(c, [])}
                            for c, s in zip(columns, states, strict=True)]
        if bound is not None and "bound" in states and any(x != "bound" for x in states):
            have = bound.get(link.key, {})
            row["passes_on"] = [(n, lessons(have.get(c, []))) for c, n, st
                                in zip(columns, names, states, strict=True)
                                if st == "bound" and lessons(have.get(c, []))]
        rows.append(row)
    return {"wide": wide, "heads": names, "rows": rows, "count": len(columns)}
