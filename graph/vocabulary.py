"""German names of every enumeration: the one place that maps them to codes.

Coordinators write German ("Säuglingsalter", "freie Wohlfahrtspflege", "Türkisch");
files and the store keep the codes ("infant", "free_welfare", "tr"). Every input – Excel,
CSV, YAML, the JSON API, the Werkstatt forms – accepts both, case-insensitively, and an
unknown value gets "Meinten Sie …?" with the German names.

This module imports nothing of the project (the model's validators use it); life stages
and fields come from the network's catalogue, passed in.

>>> code_for("ProviderKind", "Freie Wohlfahrtspflege"), code_for("Access", "OUTREACH")
('free_welfare', 'outreach')
>>> language_for("Türkisch"), language_for("AR")
('tr', 'ar')
>>> code_for("TransitionKind", "warme Übergabe")
'warm_handoff'
>>> code_for("TransitionKind", "warme Übergab")
Traceback (most recent call last):
...
ValueError: 'warme Übergab' ist nicht erlaubt; möglich sind: warme Übergabe, Vermittlung, \
nur Information. Meinten Sie 'warme Übergabe'?
>>> id_suggestion("Grüne Aue")
'gruene-aue'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, Protocol

from graph.errors import closest

__all__ = ["ENUM_LABELS", "LANGUAGE_NAMES", "NamedItem", "code_for", "count", "did_you_mean",
           "id_suggestion", "language_for", "name_index", "nfc", "resolve_name"]

ENUM_LABELS: dict[str, dict[str, str]] = {
    "ProviderKind": {"public": "öffentlich", "free_welfare": "freie Wohlfahrtspflege",
                     "church": "kirchlich", "school": "Schule", "health": "Gesundheitswesen",
                     "housing": "Wohnungswirtschaft", "association": "Verein",
                     "volunteer": "Ehrenamt", "other": "sonstige"},
    "AnchorKind": {"primary_school": "Grundschule", "kita": "Kita",
                   "family_office": "Familienbüro",
                   "youth_welfare_service": "Jugendhilfedienst"},
    "Access": {"free": "kostenlos", "no_appointment": "ohne Termin", "outreach": "aufsuchend"},
    "ServiceStatus": {"planned": "geplant", "active": "aktiv", "paused": "pausiert",
                      "ended": "beendet"},
    "MeasureStatus": {"open": "offen", "in_progress": "in Arbeit", "done": "erledigt",
                      "dropped": "verworfen"},
    "AgendaKind": {"finding": "Befund", "measure": "Maßnahme", "agreement": "Vereinbarung",
                   "since": "Seit der letzten Sitzung", "other": "Sonstiges"},
    "CapacityUnit": {"places": "Plätze gleichzeitig", "starts_per_year": "Aufnahmen pro Jahr"},
    "TransitionKind": {"warm_handoff": "warme Übergabe", "referral": "Vermittlung",
                       "information": "nur Information"},
    "AgreementKind": {"cooperation_contract": "Kooperationsvertrag", "sgb8_8a": "§ 8a SGB VIII",
                      "kkg_3": "§ 3 KKG", "handover_protocol": "Übergabeprotokoll",
                      "informal": "informelle Absprache"},
    "DataTransfer": {"nothing": "nichts", "contact": "Kontaktdaten", "documents": "Unterlagen"},
    "LegalBasis": {"written_consent": "schriftliche Einwilligung",
                   "confidentiality_waiver": "Schweigepflichtentbindung", "kkg_4": "§ 4 KKG",
                   "sgb8_8a": "§ 8a SGB VIII", "other_law": "andere gesetzliche Grundlage"},
}
"""German labels of the model's enumerations, by enum class name (code -> label)."""

LANGUAGE_NAMES: dict[str, str] = {
    "de": "Deutsch", "tr": "Türkisch", "ar": "Arabisch", "bg": "Bulgarisch",
    "ro": "Rumänisch", "pl": "Polnisch", "ru": "Russisch", "uk": "Ukrainisch",
    "en": "Englisch", "fr": "Französisch", "es": "Spanisch", "it": "Italienisch",
    "el": "Griechisch", "fa": "Persisch", "ku": "Kurdisch", "sq": "Albanisch",
    "sr": "Serbisch", "hr": "Kroatisch", "bs": "Bosnisch", "ti": "Tigrinya",
    "so": "Somali", "prs": "Dari", "ps": "Paschtu", "ur": "Urdu", "vi": "Vietnamesisch",
}
"""German names of the languages families speak (ISO 639 code -> name)."""

_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-", "\u00a0": " "})
_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
                           "ß": "ss", "ẞ": "SS"})


def count(n: int, one: str, many: str) -> str:
    """A number with its noun in the right number (for every layer's German texts).

    >>> count(1, "Angebot", "Angebote"), count(0, "Befund", "Befunde")
    ('1 Angebot', '0 Befunde')
    """
    return f"{n} {one if n == 1 else many}"


def nfc(text: str) -> str:
    """Text in Unicode NFC (macOS writes file names and some texts decomposed, NFD).

    >>> nfc("Tra\\u0308ger") == "Träger"
    True
    """
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def _key(text: str) -> str:
    """How names are compared: NFC, case-insensitive, any dash as '-', spaces folded."""
    return " ".join(nfc(text).translate(_DASHES).casefold().split())


def did_you_mean(wanted: str, known: Iterable[str]) -> str:
    """' Meinten Sie 'x'?' for the closest known names, or ''."""
    hits = closest(wanted, list(known))
    return (" Meinten Sie " + " oder ".join(f"'{h}'" for h in hits) + "?") if hits else ""


@cache
def _enum_index(enum_name: str) -> dict[str, str]:
    labels = ENUM_LABELS[enum_name]
    index = {_key(code): code for code in labels}
    index.update({_key(label): code for code, label in labels.items()})
    return index


def code_for(enum_name: str, text: str, with_codes: bool = False) -> str:
    """The code of an enumeration value written as code or German label (any case);
    ValueError with the German names (``with_codes``: each followed by its code) and
    "Meinten Sie …?" otherwise."""
    labels = ENUM_LABELS[enum_name]
    if text in labels:  # the code itself: the common case, kept fast
        return text
    found = _enum_index(enum_name).get(_key(text))
    if found is not None:
        return found
    shown = [f"{label} ({code})" if with_codes else label for code, label in labels.items()]
    known = [*labels.values(), *labels] if with_codes else labels.values()
    raise ValueError(f"'{text}' ist nicht erlaubt; möglich sind: " + ", ".join(shown)
                     + "." + did_you_mean(text, known))


@cache
def _language_index() -> dict[str, str]:
    index = {code: code for code in LANGUAGE_NAMES}
    index.update({_key(name): code for code, name in LANGUAGE_NAMES.items()})
    return index


def language_for(text: str) -> str:
    """An ISO 639 code from a code (any case) or a German language name; other two- or
    three-letter codes pass (lower-cased); ValueError with "Meinten Sie …?" otherwise."""
    if text in LANGUAGE_NAMES:
        return text
    key = _key(text)
    found = _language_index().get(key)
    if found is not None:
        return found
    if re.fullmatch(r"[a-z]{2,3}", key):
        return key
    raise ValueError(f"Sprache '{text}' ist weder ein Sprachcode nach ISO 639 (zwei oder drei "
                     "Buchstaben, z. B. 'de', 'ar', 'tr') noch ein bekannter Sprachname (z. B. "
                     "'Deutsch', 'Arabisch', 'Türkisch')."
                     + did_you_mean(text, LANGUAGE_NAMES.values()))


class NamedItem(Protocol):
    """A life stage or field of the catalogue (id, name, optionally a short name)."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...


def name_index(items: Iterable[NamedItem]) -> dict[str, str]:
    """Every way to write a catalogue entry -> its id: the id, the name, the name without
    its bracket ("Säuglingsalter" for "Säuglingsalter (0–1 Jahr)") and the short name."""
    index: dict[str, str] = {}
    items = list(items)
    for item in items:  # ids first: they win over a name that happens to equal another id
        index.setdefault(_key(item.id), item.id)
    for item in items:
        names = [item.name, item.name.split(" (")[0]]
        short = getattr(item, "short", None)
        if isinstance(short, str):
            names.append(short)
        for name in names:
            index.setdefault(_key(name), item.id)
    return index


def resolve_name(index: Mapping[str, str], value: Any) -> Any:
    """The id that ``value`` names in ``index`` (see :func:`name_index`), else ``value``
    unchanged (the network check reports it, with suggestions)."""
    if not isinstance(value, str):
        return value
    return index.get(_key(value), value)


def id_suggestion(text: str) -> str | None:
    """A valid id for a text that is not one: umlauts transliterated, spaces as '-'
    ("grüne aue" -> "gruene-aue"); None when nothing sensible remains."""
    ascii_text = unicodedata.normalize("NFKD", nfc(text).translate(_TRANSLIT))
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii").strip().lower()
    ascii_text = re.sub(r"[^a-z0-9_.:-]+", "-", ascii_text).strip("-_.:")
    ascii_text = re.sub(r"-{2,}", "-", ascii_text)[:100]
    return ascii_text or None
