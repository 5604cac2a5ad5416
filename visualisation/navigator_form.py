"""The Werkstatt's form for the Lotse (:func:`lotsen.navigator.next_services`): a quarter,
the child's age (months, years or „Schwangerschaft“), the family's language by its German
name, needs as fields, the current offer – read from the address, with a German message
at the field for everything that cannot be used; and the answer as rows for the page.

>>> from seeds import load_seed
>>> import datetime as dt
>>> net, day = load_seed("brunnenstrasse"), dt.date(2026, 11, 22)
>>> values, errors, question = read_question(net, {
...     "quartier": "brunnenstrasse", "alter": "2", "einheit": "jahre", "sprache": "ar"}, day)
>>> errors, question.age_months, question.language
({}, 24, 'ar')
>>> read_question(net, {"quartier": "gibtsnicht", "alter": "x", "einheit": "monate"},
...               day)[1]["alter"]
'„x“ ist keine Zahl: bitte das Alter als Zahl angeben, z. B. 18 (Monate) oder 1,5 (Jahre).'
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph.errors import NotFoundError
from graph.german_numbers import parse_number
from graph.network import Network
from lotsen.index import get_index
from lotsen.navigator import NavigatorAnswer
from lotsen.texts import LANGUAGE_NAMES

__all__ = ["MAX_MONTHS", "UNITS", "NavigatorQuestion", "age_label", "age_months",
           "language_options", "read_question", "running_offers", "suggestion_rows"]

MAX_MONTHS = 240
UNITS = (("monate", "Monate"), ("jahre", "Jahre"),
         ("schwangerschaft", "Schwangerschaft (das Kind ist noch nicht geboren)"))
"""The units of the age field: value, German label."""

_PREGNANCY = -1  # a month before the birth: the stage „Schwangerschaft“ and the next
_AGE = re.compile(r"^\s*([0-9][0-9.,]*)\s*(jahre?|j\.?|monate?|mon\.?|m)?\s*$", re.I)


@dataclass(frozen=True)
class NavigatorQuestion:
    """What the form asks, read and checked."""

    quarter: str
    age_months: int
    language: str | None
    needs: tuple[str, ...]
    current: str | None


def age_months(text: str, unit: str) -> int:
    """The child's age in months from the field and its unit; a ValueError with a German
    message when it cannot be used. A unit written in the field („2 Jahre“) wins.

    >>> age_months("18", "monate"), age_months("1,5", "jahre"), age_months("", "schwangerschaft")
    (18, 18, -1)
    >>> age_months("3 Jahre", "monate")
    36
    >>> age_months("1,5", "monate")
    Traceback (most recent call last):
    ...
    ValueError: Monate bitte als ganze Zahl angeben, z. B. 18 – oder die Einheit „Jahre“ wählen.
    """
    if unit == "schwangerschaft" or "schwanger" in text.casefold():
        return _PREGNANCY
    if not text.strip():
        raise ValueError("Bitte das Alter des Kindes angeben (in Monaten oder Jahren) oder "
                         "bei der Einheit „Schwangerschaft“ wählen.")
    if text.strip().startswith("-"):
        raise ValueError("Das Alter kann nicht negativ sein. Vor der Geburt bitte bei der "
                         "Einheit „Schwangerschaft“ wählen.")
    m = _AGE.match(text)
    if m is None:
        raise ValueError(f"„{text.strip()}“ ist keine Zahl: bitte das Alter als Zahl angeben, "
                         "z. B. 18 (Monate) oder 1,5 (Jahre).")
    try:
        number = float(parse_number(m.group(1)))
    except ValueError:
        raise ValueError(f"„{text.strip()}“ ist keine Zahl: bitte das Alter als Zahl angeben, "
                         "z. B. 18 (Monate) oder 1,5 (Jahre).") from None
    word = (m.group(2) or "").casefold()
    years = word.startswith("j") if word else unit == "jahre"
    if not years and not word and unit not in ("monate", "jahre"):
        raise ValueError("Bitte eine Einheit wählen: Monate, Jahre oder Schwangerschaft.")
    if years:
        months = math.floor(number * 12 + 1e-9)
    elif number != int(number):
        raise ValueError("Monate bitte als ganze Zahl angeben, z. B. 18 – oder die Einheit "
                         "„Jahre“ wählen.")
    else:
        months = int(number)
    if months > MAX_MONTHS:
        raise ValueError(f"Höchstens {MAX_MONTHS // 12} Jahre ({MAX_MONTHS} Monate): die Kette "
                         "reicht von der Schwangerschaft bis zum Ende der Grundschule.")
    return months


def age_label(months: int) -> str:
    """The age in words for headings.

    >>> age_label(-1), age_label(1)
    ('vor der Geburt (Schwangerschaft)', '1 Monat')
    >>> age_label(18), age_label(24)
    ('18 Monate (1 Jahr und 6 Monate)', '24 Monate (2 Jahre)')
    """
    if months < 0:
        return "vor der Geburt (Schwangerschaft)"
    if months < 12:
        return "1 Monat" if months == 1 else f"{months} Monate"
    years, rest = divmod(months, 12)
    in_years = "1 Jahr" if years == 1 else f"{years} Jahre"
    if rest:
        in_years += " und 1 Monat" if rest == 1 else f" und {rest} Monate"
    return f"{months} Monate ({in_years})"


def language_options() -> list[tuple[str, str]]:
    """(code, German name) of the languages, Deutsch first, then by name."""
    return sorted(LANGUAGE_NAMES.items(), key=lambda x: (x[0] != "de", x[1]))


def running_offers(net: Network, quarter: str, day: dt.date) -> list[tuple[str, str]]:
    """(id, „Angebot (Träger)“) of the offers running in ``quarter`` on ``day``, by name:
    what the family can be in now."""
    idx = get_index(net)
    inactive = idx.quarter_inactive(quarter, idx.inactive_on(day))
    rows = []
    for sid in idx.quarters[quarter].services:
        if sid in inactive:
            continue
        s = net.service_index[sid]
        provider = net.provider_index[s.provider].name
        rows.append((sid, s.name if provider.casefold() == s.name.casefold()
                     else f"{s.name} ({provider})"))
    return sorted(rows, key=lambda x: x[1].casefold())


def _one(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name, "")
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip()


def _many(params: Mapping[str, Any], name: str) -> list[str]:
    value = params.get(name, [])
    items = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in items if str(v).strip()]


def read_question(net: Network, params: Mapping[str, Any], day: dt.date
                  ) -> tuple[dict[str, Any], dict[str, str], NavigatorQuestion | None]:
    """The form's values (to show again), the errors by field and – without errors – the
    question. ``params``: quartier, alter, einheit, sprache, bedarf (several), angebot."""
    values: dict[str, Any] = {name: _one(params, name)
                              for name in ("quartier", "alter", "einheit", "sprache",
                                           "angebot")}
    values["bedarf"] = _many(params, "bedarf")
    errors: dict[str, str] = {}
    quarter = None
    if not values["quartier"]:
        errors["quartier"] = "Bitte das Quartier der Familie wählen."
    else:
        try:
            quarter = net.find_quarter(values["quartier"]).id
            values["quartier"] = quarter
        except NotFoundError as exc:
            errors["quartier"] = str(exc)
    months = 0
    try:
        months = age_months(values["alter"], values["einheit"])
    except ValueError as exc:
        errors["alter"] = str(exc)
    language = values["sprache"] or None
    if language is not None and language not in LANGUAGE_NAMES:
        errors["sprache"] = (f"Die Sprache „{language}“ kenne ich nicht; bitte aus der Liste "
                             "wählen.")
    fields = {f.id for f in net.catalogue.fields}
    unknown = [n for n in values["bedarf"] if n not in fields]
    if unknown:
        errors["bedarf"] = (f"Unbekanntes Handlungsfeld „{unknown[0]}“; bitte aus der Liste "
                            "wählen.")
    current = values["angebot"] or None
    if current is not None and quarter is not None and current not in dict(
            running_offers(net, quarter, day)):
        known = net.service_index.get(current)
        name = f"„{known.name}“" if known is not None else f"„{current}“"
        errors["angebot"] = (f"Das Angebot {name} läuft am Stichtag nicht im Quartier "
                             f"{net.quarter_index[quarter].name}; bitte eines aus der Liste "
                             "wählen oder „kein Angebot“.")
    if errors or quarter is None:
        return values, errors, None
    return values, errors, NavigatorQuestion(quarter, months, language,
                                             tuple(values["bedarf"]), current)


def _languages(codes: Sequence[str]) -> str:
    return ", ".join(LANGUAGE_NAMES.get(c, c) for c in codes) or "keine angegeben"


def suggestion_rows(answer: NavigatorAnswer) -> list[dict[str, Any]]:
    """One dict per suggested offer: name, provider, stages, languages, whether it speaks
    the family's language, and its hand-off path step by step (owner, agreement, state) –
    ``path`` None: no organised way there; empty: an entry offer the family goes to
    directly."""
    rows = []
    for s in answer.suggestions:
        steps = None if s.path is None else [
            {"label": r.label, "owner": r.owner_name or "niemand", "has_owner": bool(r.owner),
             "agreements": ", ".join(r.agreement_names) or "keine", "status": r.status,
             "until": f"{r.valid_until:%d.%m.%Y}" if r.valid_until else "–"}
            for r in s.path]
        rows.append({"service": s.service, "name": s.name, "provider": s.provider_name,
                     "stages": ", ".join(s.stages), "languages": _languages(s.languages),
                     "speaks": s.speaks_family_language, "current_stage": s.current_stage,
                     "path": steps})
    return rows
