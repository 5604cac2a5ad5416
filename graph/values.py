"""The values the entities are made of: ids, names and texts, dates, counts, language
codes, and how a value is given by its code or German label.

Each is an annotated type (pydantic v2) whose errors are German and say what was meant.
:mod:`graph.model` builds the entities from them, :mod:`graph.cooperation` the parts of a
transition (both re-use them; this module imports neither).

>>> from pydantic import TypeAdapter, ValidationError
>>> TypeAdapter(Date).validate_python("31.12.2025"), TypeAdapter(Count).validate_python("2.000")
(datetime.date(2025, 12, 31), 2000)
>>> try:
...     TypeAdapter(UniqueRefs).validate_python(["kita-1", "kita-1"])
... except ValidationError as exc:
...     print(exc.errors()[0]["msg"])
'kita-1' steht mehrfach in der Liste; jeden Eintrag bitte nur einmal nennen.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from graph.german_numbers import parse_number
from graph.vocabulary import code_for, id_suggestion, language_for, nfc

__all__ = [
    "ID_PATTERN",
    "MAX_COUNT",
    "UNIQUE_SCHEMA",
    "Count",
    "Date",
    "Id",
    "Language",
    "LongText",
    "Ref",
    "Share",
    "ShortText",
    "Text",
    "UniqueRefs",
    "UniqueTexts",
    "labelled",
    "shown",
    "unique",
]

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def shown(value: Any) -> str:
    """A value quoted in a message: at most 100 characters, and a lone surrogate (no
    character, cannot be encoded) shown as '?' – the message must always be writable."""
    text = str(value)
    text = text if len(text) <= 100 else text[:99] + "…"
    return text.encode("utf-8", "replace").decode("utf-8")


def _writable(text: str) -> str:
    """A whole message that can always be encoded (a lone surrogate becomes '?')."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _check_id(value: Any) -> Any:
    if isinstance(value, str) and not ID_PATTERN.match(value):
        if not value.strip():
            raise PydanticCustomError("id_empty", "Die Kennung (id) ist leer.")
        suggestion = id_suggestion(value)
        hint = (f" Vorschlag: {suggestion}" if suggestion and ID_PATTERN.match(suggestion)
                else "")
        raise PydanticCustomError(
            "id_format",
            "Kennung '{value}' ist ungültig: erlaubt sind Buchstaben a–z, Ziffern und "
            "'-', '_', '.', ':' (ohne Umlaute und Leerzeichen, höchstens 100 Zeichen), "
            "z. B. 'kita-bornstrasse'.{hint}",
            {"value": shown(value), "hint": hint},
        )
    return value


def _parse_date(value: Any) -> Any:
    """Dates as ISO (2025-12-31) or German (31.12.2025); nothing else."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if _GERMAN_DATE.match(text):
                day, month, year = (int(g) for g in _GERMAN_DATE.match(text).groups())  # type: ignore[union-attr]
                return dt.date(year, month, day)
            if re.match(r"^\d{4}-\d{2}-\d{2}$", text):
                return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise PydanticCustomError(
        "date_format",
        "Datum '{value}' hat das falsche Format oder existiert nicht; erwartet wird "
        "JJJJ-MM-TT (z. B. 2025-12-31) oder TT.MM.JJJJ (z. B. 31.12.2025).",
        {"value": shown(value)},
    )


Id = Annotated[str, BeforeValidator(_check_id),
               Field(json_schema_extra={"pattern": ID_PATTERN.pattern})]
"""An id: letters, digits and ``- _ . :``; unique across the whole network."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# in names also the bidi overrides and isolates: they make a name read differently from
# what it is (a spoofed provider name); descriptions may need them for Arabic or Hebrew
_NAME_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _no_control(value: Any) -> Any:
    """Control characters (NUL, ESC …) break exports (Excel, XML) and are never meant;
    a lone surrogate (\\ud800) is no character at all and cannot be stored."""
    if isinstance(value, str) and _CONTROL.search(value):
        raise PydanticCustomError(
            "control_character",
            "Der Text enthält ein unsichtbares Steuerzeichen (z. B. aus einer kopierten "
            "Datei); bitte den Text neu eintippen.")
    return value


def _plain_name(value: Any) -> Any:
    """Names: no control characters, no tabs or line breaks, no bidi overrides."""
    if isinstance(value, str) and _NAME_CONTROL.search(value):
        raise PydanticCustomError(
            "control_character",
            "Der Name enthält ein unsichtbares Steuer- oder Richtungszeichen (z. B. U+202E "
            "aus einer kopierten Datei); bitte den Namen neu eintippen.")
    return value


def unique(value: Any) -> Any:
    """A list of ids or codes names each entry once (a repeat is always a mistake and
    would multiply findings and pictures)."""
    if isinstance(value, list):
        seen: set[Any] = set()
        for item in value:
            if item in seen:
                raise PydanticCustomError(
                    "duplicate",
                    "'{value}' steht mehrfach in der Liste; jeden Eintrag bitte nur einmal "
                    "nennen.", {"value": shown(item)})
            seen.add(item)
    return value


# what the validators below enforce, stated in the JSON schema (the OpenAPI document) as a
# pattern: no forbidden character, and in a required text at least one that is no space
_BAD_NAME = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069"
_BAD_TEXT = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
_NAME_SCHEMA = {"pattern": rf"^[^{_BAD_NAME}]*[^\s{_BAD_NAME}][^{_BAD_NAME}]*$"}

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
                 AfterValidator(_no_control), AfterValidator(_plain_name), AfterValidator(nfc),
                 Field(json_schema_extra=_NAME_SCHEMA)]
"""A required text (a name), at most 300 characters; empty is an error."""

LongText = Annotated[str, StringConstraints(max_length=20_000), AfterValidator(_no_control),
                     AfterValidator(nfc),
                     Field(json_schema_extra={"pattern": rf"^[^{_BAD_TEXT}]*$"})]
"""A free text (a description), at most 20,000 characters."""

Ref = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
                AfterValidator(_no_control), AfterValidator(_plain_name),
                Field(json_schema_extra=_NAME_SCHEMA)]
"""A reference to an id; the network check says when it does not resolve (and which
id or name was probably meant)."""

Date = Annotated[dt.date, BeforeValidator(_parse_date)]
"""A calendar date, written 2025-12-31 or 31.12.2025."""

ShortText = Annotated[str, StringConstraints(max_length=300), AfterValidator(_no_control),
                      AfterValidator(_plain_name),
                      Field(json_schema_extra={"pattern": rf"^[^{_BAD_NAME}]*$"})]
"""An optional short text (a role, a site, a source), at most 300 characters."""

MAX_COUNT = 10_000_000
"""The largest count anywhere (inhabitants, children, places): more than any German city."""

UNIQUE_SCHEMA = Field(json_schema_extra={"uniqueItems": True})
"""What :func:`unique` enforces, as the JSON schema (the OpenAPI document) states it."""
UniqueRefs = Annotated[list[Ref], AfterValidator(unique), UNIQUE_SCHEMA]
"""References, each named once (the caps per field: docs/limits.md)."""
UniqueTexts = Annotated[list[Text], AfterValidator(unique), UNIQUE_SCHEMA]


def _check_language(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return language_for(value)
    except ValueError as exc:
        raise PydanticCustomError("language_code", "{message}",
                                  {"message": _writable(str(exc))}) from None


Language = Annotated[str, BeforeValidator(_check_language)]
"""An ISO 639 language code: ``de``, ``ar``, ``tr``, ``bg`` ... (German names such as
"Türkisch" and upper-case codes are read as their code)."""


def _german_count(value: Any) -> Any:
    """Counts written as German text: "2.000" is 2000 (not 2)."""
    if isinstance(value, str):
        try:
            return parse_number(value, integer=True)
        except ValueError as exc:
            raise PydanticCustomError("german_number", "{message}",
                                      {"message": _writable(str(exc))}) from None
    return value


Count = Annotated[int, BeforeValidator(_german_count), Field(ge=0, le=MAX_COUNT)]
Share = Annotated[float, Field(ge=0.0, le=1.0)]


def labelled(enum: type[StrEnum]) -> BeforeValidator:
    """Accept an enumeration value by its code or German label (any case)."""
    def to_code(value: Any) -> Any:
        if not isinstance(value, str) or isinstance(value, enum):
            return value
        try:
            return code_for(enum.__name__, value, with_codes=True)
        except ValueError as exc:
            raise PydanticCustomError("enum_german", "Wert {message}",
                                      {"message": str(exc)}) from None
    return BeforeValidator(to_code)
