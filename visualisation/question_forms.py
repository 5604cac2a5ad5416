"""The Werkstatt's question forms besides the Lotse: the Transferbörse (two quarters, or
the links per area of a level), Kennzahlen je Jahr of any area, and „Was wäre, wenn ein
Träger aussteigt?“ – read from the address (GET forms, no JavaScript), with a German
message at the field for everything that cannot be used.

Every reader returns ``(values, errors, question)``: the values to show again, the
errors by field name and – without errors – the checked question.

>>> from seeds import load_seed
>>> net = load_seed("kreis-unna")
>>> read_pair(net, {"erstes": "selm-mitte", "zweites": "selm-mitte"})[1]
{'zweites': 'Bitte ein anderes Quartier als das erste wählen.'}
>>> read_matrix(net, {"ebene": "kommune", "gebiet": "kreis:Kreis Unna"})[2]
MatrixQuestion(level='municipality', area='Kreis Unna', quarters=('selm-mitte', 'luenen-sued'))
>>> read_years(net, {"gebiet": "kommune:selm", "jahre": "bald"}, 2026)[1]["jahre"]
"Jahre 'bald' verstehe ich nicht; erwartet wird z. B. 2024..2026 oder 2025."
>>> read_impact(net, {})[1]
{'traeger': 'Bitte einen Träger oder ein Angebot wählen.'}
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graph.errors import NotFoundError
from graph.hierarchy import LEVEL_NAMES, LEVELS
from graph.network import Network
from lotsen.years import YearsError, parse_years
from visualisation.choices import LEVEL_KEYS, find_area, level_of

__all__ = ["ImpactQuestion", "MatrixQuestion", "PairQuestion", "YearsQuestion",
           "level_options", "read_impact", "read_matrix", "read_pair", "read_years"]

MATRIX_LEVELS = ("quarter", "district", "municipality", "county")
"""The levels whose areas the Transferbörse sets side by side (a Land is one column)."""


@dataclass(frozen=True)
class PairQuestion:
    first: str
    second: str


@dataclass(frozen=True)
class MatrixQuestion:
    level: str
    area: str | None  # the name of the area the columns lie in (None: all quarters)
    quarters: tuple[str, ...] | None


@dataclass(frozen=True)
class YearsQuestion:
    level: str
    area_id: str
    area_name: str
    quarters: tuple[str, ...]
    years: tuple[int, ...]
    text: str


@dataclass(frozen=True)
class ImpactQuestion:
    provider: str | None
    service: str | None


def _one(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name, "")
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip()


def _unknown(exc: NotFoundError) -> str:
    """The store's „… ist unbekannt.“ (with the closest names), and what to do."""
    return f"{exc} Bitte aus der Liste wählen."


def level_options(levels: tuple[str, ...] = MATRIX_LEVELS) -> list[tuple[str, str]]:
    """(German key, German name) of the levels, smallest first."""
    return [(LEVEL_KEYS[x], LEVEL_NAMES[x]) for x in LEVELS if x in levels]


def _quarter(net: Network, value: str, errors: dict[str, str], name: str,
             missing: str) -> str | None:
    if not value:
        errors[name] = missing
        return None
    try:
        return net.find_quarter(value).id
    except NotFoundError as exc:
        errors[name] = _unknown(exc)
        return None


def read_pair(net: Network, params: Mapping[str, Any]
              ) -> tuple[dict[str, str], dict[str, str], PairQuestion | None]:
    """Two quarters (``erstes``, ``zweites``), different ones."""
    values = {n: _one(params, n) for n in ("erstes", "zweites")}
    errors: dict[str, str] = {}
    first = _quarter(net, values["erstes"], errors, "erstes",
                     "Bitte das erste Quartier wählen.")
    second = _quarter(net, values["zweites"], errors, "zweites",
                      "Bitte das zweite Quartier wählen.")
    if first is not None and first == second:
        errors["zweites"] = "Bitte ein anderes Quartier als das erste wählen."
    if errors or first is None or second is None:
        return values, errors, None
    values.update(erstes=first, zweites=second)
    return values, errors, PairQuestion(first, second)


def read_matrix(net: Network, params: Mapping[str, Any]
                ) -> tuple[dict[str, str], dict[str, str], MatrixQuestion | None]:
    """A level (``ebene``: quartier, bezirk, kommune, kreis) and perhaps the area whose
    quarters count (``gebiet``, ``ebene:kennung``; empty: all)."""
    values = {n: _one(params, n) for n in ("ebene", "gebiet")}
    errors: dict[str, str] = {}
    level = None
    try:
        level = level_of(values["ebene"] or "kommune")
        if level not in MATRIX_LEVELS:
            raise NotFoundError("Ebene", values["ebene"],
                                [LEVEL_NAMES[x] for x in MATRIX_LEVELS])
        values["ebene"] = LEVEL_KEYS[level]
    except NotFoundError as exc:
        errors["ebene"] = _unknown(exc)
    area = quarters = None
    if values["gebiet"]:
        try:
            found, in_area = find_area(net, values["gebiet"])
            area, quarters = found.name, tuple(in_area)
        except NotFoundError as exc:
            errors["gebiet"] = _unknown(exc)
    if errors or level is None:
        return values, errors, None
    return values, errors, MatrixQuestion(level, area, quarters)


def read_years(net: Network, params: Mapping[str, Any], this_year: int
               ) -> tuple[dict[str, str], dict[str, str], YearsQuestion | None]:
    """An area of any level (``gebiet``) and the years (``jahre``, default the last
    five up to ``this_year``)."""
    values = {n: _one(params, n) for n in ("gebiet", "jahre")}
    values["jahre"] = values["jahre"] or f"{this_year - 4}..{this_year}"
    errors: dict[str, str] = {}
    area = None
    quarters: list[str] = []
    if not values["gebiet"]:
        errors["gebiet"] = "Bitte ein Gebiet wählen (Quartier, Kommune, Kreis …)."
    else:
        try:
            area, quarters = find_area(net, values["gebiet"])
        except NotFoundError as exc:
            errors["gebiet"] = _unknown(exc)
    years: list[int] = []
    try:
        years = parse_years(values["jahre"])
    except YearsError as exc:
        errors["jahre"] = str(exc)
    if errors or area is None:
        return values, errors, None
    return values, errors, YearsQuestion(area.level, area.id, area.name, tuple(quarters),
                                         tuple(years), values["jahre"])


def read_impact(net: Network, params: Mapping[str, Any]
                ) -> tuple[dict[str, str], dict[str, str], ImpactQuestion | None]:
    """Exactly one of a provider (``traeger``) or a service (``angebot``), by id."""
    values = {n: _one(params, n) for n in ("traeger", "angebot")}
    errors: dict[str, str] = {}
    provider, service = values["traeger"] or None, values["angebot"] or None
    if provider is None and service is None:
        errors["traeger"] = "Bitte einen Träger oder ein Angebot wählen."
    elif provider is not None and service is not None:
        errors["angebot"] = ("Bitte entweder einen Träger oder ein Angebot wählen, nicht "
                             "beides.")
    if provider is not None and provider not in net.provider_index:
        errors["traeger"] = _unknown(NotFoundError("Träger", provider,
                                                   [p.name for p in net.providers]))
    if service is not None and service not in net.service_index:
        errors["angebot"] = _unknown(NotFoundError("Angebot", service,
                                                   [s.name for s in net.services]))
    if errors:
        return values, errors, None
    return values, errors, ImpactQuestion(provider, service)
