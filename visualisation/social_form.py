"""The Werkstatt form for a quarter's Sozialdaten of one year: inhabitants, births,
children per life stage (one field per stage of the network's catalogue), shares in
percent as Germans write them ("40 %", "40", "12,5"), the main languages as check boxes,
the source. German labels, German messages at the field; the form becomes one
:class:`graph.model.SocialData`, which replaces the quarter's entry of that year.

>>> from seeds import load_seed
>>> net = load_seed("brunnenstrasse")
>>> spec = social_form(net)
>>> [f.label for f in spec.fields][:3]
['Jahr', 'Einwohnerinnen und Einwohner', 'Geburten im Jahr']
>>> data, errors = social_from_form(spec, {"year": "2025", "births_per_year": "1.200",
...     "sgb2_share": "40 %", "kinder_infant": "80", "main_languages": ["de", "tr"]})
>>> errors, data["births_per_year"], data["sgb2_share"], data["children_by_stage"]
({}, '1.200', 0.4, {'infant': '80'})
>>> for name, message in social_from_form(spec, {"year": "", "migrant_share": "140"})[1].items():
...     print(name, message)
year Pflichtfeld fehlt: bitte das Jahr angeben, z. B. 2025.
migrant_share Ein Anteil liegt zwischen 0 und 100 %; „140“ ist zu groß.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from graph.formats.pydantic_problems import german_message
from graph.german_numbers import parse_number
from graph.model import SocialData
from graph.network import Network
from lotsen.texts import LANGUAGE_NAMES
from visualisation.forms import FieldSpec, FormSpec, form_values

__all__ = ["STAGE_PREFIX", "social_form", "social_from_form", "social_values"]

STAGE_PREFIX = "kinder_"
"""Form fields of the children per stage: ``kinder_<stage id>``."""

_SHARES = ("sgb2_share", "migrant_share")


def _languages(net: Network) -> list[tuple[str, str]]:
    used = {code for q in net.quarters for sd in q.social_data for code in sd.main_languages}
    known = dict(LANGUAGE_NAMES)
    known.update({c: c for c in used if c not in known})
    return sorted(known.items(), key=lambda x: (x[0] != "de", x[1]))


def social_form(net: Network) -> FormSpec:
    """The questions of the form, with one field per life stage of ``net``'s catalogue."""
    stages = tuple(
        FieldSpec(f"{STAGE_PREFIX}{s.id}", f"Kinder: {s.name}", "int",
                  hint="Zahl der Kinder in dieser Lebensphase im Quartier." if i == 0 else "")
        for i, s in enumerate(net.catalogue.life_stages))
    return FormSpec("social_data", "Sozialdaten", (
        FieldSpec("year", "Jahr", "int", required=True, hint="Das Jahr, für das die Zahlen "
                  "gelten, z. B. 2025. Gibt es das Jahr schon, werden seine Zahlen ersetzt."),
        FieldSpec("inhabitants", "Einwohnerinnen und Einwohner", "int"),
        FieldSpec("births_per_year", "Geburten im Jahr", "int", hint="Fehlen die Kinder je "
                  "Lebensphase, schätzt die Prüfung sie aus den Geburten."),
        *stages,
        FieldSpec("children_under_18", "Kinder unter 18", "int"),
        FieldSpec("sgb2_share", "Anteil mit SGB-II-Bezug (in Prozent)", hint="Z. B. 40 oder "
                  "40 % oder 12,5."),
        FieldSpec("migrant_share", "Anteil mit Einwanderungsgeschichte (in Prozent)",
                  hint="Z. B. 55 oder 55 %."),
        FieldSpec("nations", "Zahl der Nationen", "int"),
        FieldSpec("main_languages", "Hauptsprachen im Quartier", "multi", options=_languages,
                  many=True, hint="Die Sprachen, die viele Familien im Quartier sprechen; "
                  "die Prüfung vergleicht sie mit den Sprachen der Angebote."),
        FieldSpec("source", "Quelle", hint="Z. B. „Statistikstelle, Stand 31.12.2025“."),
    ))


def _percent(text: str) -> float:
    """A share written in percent ("40", "40 %", "12,5") as a fraction."""
    try:
        number = parse_number(text.replace("%", "").strip())
    except ValueError as exc:
        raise ValueError(f"„{text}“ ist keine Zahl; bitte den Anteil in Prozent schreiben, "
                         "z. B. 40 oder 12,5.") from exc
    if number < 0:
        raise ValueError(f"Ein Anteil ist nicht negativ; „{text}“ ist zu klein.")
    if number > 100:
        raise ValueError(f"Ein Anteil liegt zwischen 0 und 100 %; „{text}“ ist zu groß.")
    return round(float(number) / 100, 6)


_MISSING = {"year": "Pflichtfeld fehlt: bitte das Jahr angeben, z. B. 2025."}


def social_from_form(spec: FormSpec, form: Mapping[str, Any]
                     ) -> tuple[dict[str, Any], dict[str, str]]:
    """The social data of a posted form (JSON data as :class:`SocialData` reads it) and
    German errors by form field (empty when it is valid)."""
    data: dict[str, Any] = {}
    children: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in spec.fields:
        raw = form.get(f.name)
        if f.kind == "multi":
            items = raw if isinstance(raw, list) else ([raw] if raw else [])
            data[f.name] = [str(x).strip() for x in items if str(x).strip()]
            continue
        text = (raw[0] if isinstance(raw, list) and raw else raw or "")
        text = str(text).strip()
        if not text:
            if f.required:
                errors[f.name] = _MISSING.get(f.name, "Pflichtfeld fehlt.")
            continue
        if f.name in _SHARES:
            try:
                data[f.name] = _percent(text)
            except ValueError as exc:
                errors[f.name] = str(exc)
        elif f.name.startswith(STAGE_PREFIX):
            children[f.name.removeprefix(STAGE_PREFIX)] = text
        else:
            data[f.name] = text
    if children:
        data["children_by_stage"] = children
    try:
        SocialData.model_validate(data)
    except ValidationError as exc:
        labels = {f.name: f.label for f in spec.fields}
        for err in exc.errors(include_url=False):
            loc = [str(x) for x in err["loc"]]
            name = loc[0] if loc else ""
            if name == "children_by_stage" and len(loc) > 1:
                name = STAGE_PREFIX + loc[1]
            if name not in labels:
                name = spec.fields[0].name
            if err["type"] in ("greater_than_equal", "less_than_equal") and name == "year":
                message = "Das Jahr liegt zwischen 1900 und 2200."
            else:
                message = german_message(err)
            errors.setdefault(name, message)
    return data, errors


def social_values(spec: FormSpec, data: Mapping[str, Any]) -> dict[str, Any]:
    """What the form shows for social data ``data`` (shares in percent, German comma)."""
    flat = dict(data)
    for stage, n in (data.get("children_by_stage") or {}).items():
        flat[STAGE_PREFIX + stage] = n
    for name in _SHARES:
        value = flat.get(name)
        if isinstance(value, int | float):
            flat[name] = f"{value * 100:.6g}".replace(".", ",")
    return form_values(spec, flat)
