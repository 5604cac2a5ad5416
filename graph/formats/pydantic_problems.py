"""Pydantic validation errors as German problems that say what to fix.

>>> from pydantic import ValidationError
>>> from graph.model import Provider
>>> try:
...     Provider.model_validate({"id": "awo", "name": "", "kind": "welfare"})
... except ValidationError as exc:
...     for p in problems_from_validation_error(exc, "Träger", "awo"):
...         print(p)
Träger 'awo', Feld 'name': Pflichtfeld ist leer.
Träger 'awo', Feld 'kind': Wert 'welfare' ist nicht erlaubt; möglich sind: öffentlich \
(public), freie Wohlfahrtspflege (free_welfare), kirchlich (church), Schule (school), \
Gesundheitswesen (health), Wohnungswirtschaft (housing), Verein (association), Ehrenamt \
(volunteer), sonstige (other). Meinten Sie 'free_welfare'?
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
                "duplicate", "finding_key", "enum_german", "german_number",
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
    return _more(kind, ctx, value)


def _more(kind: str, ctx: dict[str, Any], value: Any) -> str:
    """The rarer pydantic errors; never pydantic's English text (it would stand inside a
    German message)."""
    if kind == "too_long":
        return (f"Die Liste ist zu lang: höchstens {ctx.get('max_length')} Einträge "
                "(Grenzen: docs/limits.md).")
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"Wert {_shown(value)} ist nicht erlaubt; möglich sind: {expected}."
    if kind == "json_invalid":
        return f"Kein gültiges JSON ({ctx.get('error', 'Syntaxfehler')})."
    if kind in ("json_type", "string_unicode"):
        return "Der Inhalt ist kein gültiger Text (UTF-8)."
    if kind in ("greater_than", "less_than"):
        bound = ctx.get("gt", ctx.get("lt"))
        return f"{_shown(value)} liegt außerhalb des erlaubten Bereichs (Grenze {bound})."
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing",
                "date_from_datetime_inexact"):
        return (f"{_shown(value)} ist kein Datum; erwartet wird JJJJ-MM-TT (z. B. 2025-12-31) "
                "oder TT.MM.JJJJ.")
    if kind in ("int_too_big", "finite_number"):
        return f"{_shown(value)} ist keine endliche Zahl im erlaubten Bereich."
    if kind in ("list_too_long", "too_many"):
        return "Zu viele Einträge."
    if kind in ("set_type", "tuple_type", "iterable_type"):
        return f"{_shown(value)} ist keine Liste."
    if kind in ("none_required", "is_instance_of", "model_type"):
        return f"Wert {_shown(value)} ist hier nicht erlaubt."
    if kind == "value_error":
        return f"Wert {_shown(value)} ist ungültig."
    if kind in ("uuid_type", "uuid_parsing", "url_type", "url_parsing"):
        return f"{_shown(value)} hat nicht die erwartete Form."
    if kind == "string_sub_type" or kind.startswith("string_"):
        return f"{_shown(value)} ist kein gültiger Text."
    return f"Ungültiger Wert {_shown(value)} (Fehlerart {kind})."
