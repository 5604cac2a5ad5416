"""Pydantic validation errors as German problems that say what to fix.

>>> from pydantic import ValidationError
>>> from graph.model import Provider
>>> try:
...     Provider.model_validate({"id": "awo", "name": "", "kind": "welfare"})
... except ValidationError as exc:
...     for p in problems_from_validation_error(exc, "Träger", "awo"):
...         print(p)
Träger 'awo', Feld 'name': Pflichtfeld ist leer.
Träger 'awo', Feld 'kind': Wert 'welfare' ist nicht erlaubt; möglich sind: public, \
free_welfare, church, school, health, housing, association, volunteer, other.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from graph.errors import Problem

__all__ = ["german_message", "problems_from_validation_error"]


def problems_from_validation_error(exc: ValidationError, kind: str,
                                   entity_id: str) -> list[Problem]:
    """One problem per pydantic error, the field path written as ``a.0.b``."""
    return [Problem(kind, entity_id, ".".join(str(x) for x in err["loc"]), german_message(err))
            for err in exc.errors(include_url=False)]


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "…"


def german_message(err: ErrorDetails) -> str:
    """The German text for one pydantic error."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if kind in ("id_empty", "id_format", "date_format", "language_code", "control_character",
                "email_format", "url_format", "phone_format"):
        return err["msg"]  # our own custom errors are German already
    if kind == "missing":
        return "Pflichtfeld fehlt."
    if kind == "extra_forbidden":
        return "Unbekanntes Feld; bitte entfernen oder den Namen prüfen (siehe docs/format.md)."
    if kind == "string_too_short":
        return "Pflichtfeld ist leer."
    if kind == "string_too_long":
        return f"Der Text ist zu lang: höchstens {ctx.get('max_length')} Zeichen."
    if kind == "too_short":
        return "Die Liste ist leer; mindestens ein Eintrag ist nötig."
    if kind == "enum":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"Wert {_shown(value)} ist nicht erlaubt; möglich sind: {expected}."
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{_shown(value)} ist keine ganze Zahl."
    if kind in ("float_parsing", "float_type"):
        return f"{_shown(value)} ist keine Zahl (Dezimaltrennzeichen ist der Punkt: 0.4)."
    if kind in ("bool_parsing", "bool_type"):
        return f"{_shown(value)} ist kein Ja/Nein-Wert; erlaubt sind true oder false."
    if kind in ("string_type",):
        return f"{_shown(value)} ist kein Text."
    if kind in ("list_type",):
        return f"{_shown(value)} ist keine Liste; schreiben Sie z. B. [a, b] oder '- a' je Zeile."
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "Hier wird ein Eintrag mit Feldern erwartet (z. B. 'id: …', 'name: …')."
    if kind == "greater_than_equal":
        return f"{_shown(value)} ist zu klein; erlaubt ist mindestens {ctx.get('ge')}."
    if kind == "less_than_equal":
        return f"{_shown(value)} ist zu groß; erlaubt ist höchstens {ctx.get('le')}."
    if kind == "string_pattern_mismatch":
        return f"{_shown(value)} hat nicht die erwartete Form."
    if kind == "frozen_instance":
        return "Der Wert kann nicht geändert werden."
    return f"Ungültiger Wert {_shown(value)} ({err['msg']})."
