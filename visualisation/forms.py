"""The edit forms of the Werkstatt: which fields an entity has, how a person fills them
(German labels, choices by German name, never codes) and how the posted form becomes
the entity's data again.

Fields a form does not show are kept from the stored entity, so an edit in the browser
never drops what another tool wrote.

>>> from seeds import load_seed
>>> net = load_seed("brunnenstrasse")
>>> spec = FORMS["agreements"]
>>> [f.name for f in spec.fields][:3], spec.fields[-1].name
(['name', 'kind', 'parties'], 'id')
>>> dict(choices(net, spec.field("kind")))["kkg_3"]
'§ 3 KKG'
>>> data = form_data(spec, {"id": "a9", "name": "Neu", "kind": "kkg_3",
...                         "parties": ["awo"], "valid_until": "31.12.2027", "binding": "1"})
>>> data["parties"], data["valid_until"], data["binding"], data["signed"]
(['awo'], '31.12.2027', True, None)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Container, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from graph.cooperation import DataTransfer, LegalBasis
from graph.edit import entity_key
from graph.formats.tables import LABELS
from graph.model import (
    Access,
    AgreementKind,
    AnchorKind,
    CapacityUnit,
    ProviderKind,
    ServiceStatus,
    TransitionKind,
)
from graph.network import Network
from lotsen.texts import LANGUAGE_NAMES

__all__ = ["FORMS", "SECTION_PATHS", "FieldSpec", "FormSpec", "choices", "form_data",
           "form_values", "make_id"]

Choices = Callable[[Network], list[tuple[str, str]]]


@dataclass(frozen=True)
class FieldSpec:
    """One question of a form: ``kind`` is text, textarea, lines, int, date, bool, select
    (one of ``options``) or multi (several, as check boxes); a text field with
    ``options`` suggests them (a Kreis already named)."""

    name: str
    label: str
    kind: str = "text"
    hint: str = ""
    required: bool = False
    options: Choices | None = None
    # a long list: the check boxes in a box of their own that scrolls (never a
    # <select multiple>, which drops the other choices on a plain click)
    many: bool = False


@dataclass(frozen=True)
class FormSpec:
    section: str
    title: str  # "Angebot"
    fields: tuple[FieldSpec, ...]

    def field(self, name: str) -> FieldSpec:
        return next(f for f in self.fields if f.name == name)


def _enum(enum: type[Enum]) -> Choices:
    labels = LABELS[enum]
    return lambda net: [(e.value, labels.get(e.value, e.value)) for e in enum]


def _entities(section: str, label: Callable[[Network, Any], str] | None = None) -> Choices:
    def options(net: Network) -> list[tuple[str, str]]:
        items = [(entity_key(e), label(net, e) if label else getattr(e, "name", ""))
                 for e in getattr(net, section)]
        return sorted(items, key=lambda x: x[1].casefold())
    return options


def _stages(net: Network) -> list[tuple[str, str]]:
    return [(s.id, s.name) for s in net.catalogue.life_stages]


def _fields(net: Network) -> list[tuple[str, str]]:
    return [(f.id, f.name) for f in net.catalogue.fields]


def _languages(net: Network) -> list[tuple[str, str]]:
    used = {code for s in net.services for code in s.languages}
    known = dict(LANGUAGE_NAMES)
    known.update({c: c for c in used if c not in known})
    return sorted(known.items(), key=lambda x: (x[0] != "de", x[1]))


def _named(attribute: str) -> Choices:
    """The names already given to ``attribute`` of the municipalities (Kreis, Land)."""
    def options(net: Network) -> list[tuple[str, str]]:
        names = {getattr(m, attribute) for m in net.municipalities if getattr(m, attribute)}
        return [(n, n) for n in sorted(names, key=str.casefold)]
    return options


def _transition_label(net: Network, t: Any) -> str:
    names = [net.service_index[x].name if x in net.service_index else x
             for x in (t.source, t.target)]
    return f"{names[0]} → {names[1]}"


def _services_by_quarter(net: Network) -> list[tuple[str, str, str]]:
    """Services as (id, name, quarter name): the form groups them by quarter."""
    rows = []
    for s in net.services:
        quarter = net.quarter_index.get(s.quarters[0]) if s.quarters else None
        group = quarter.name if quarter is not None else ""
        if len(s.quarters) > 1:
            group = "mehrere Quartiere"
        rows.append((s.id, _service_label(net, s), group))
    return sorted(rows, key=lambda r: (r[2] == "mehrere Quartiere", r[2].casefold(),
                                       r[1].casefold()))


def _service_label(net: Network, s: Any) -> str:
    provider = net.provider_index.get(s.provider)
    if provider is None or provider.name.casefold() == s.name.casefold():
        return str(s.name)
    return f"{s.name} ({provider.name})"


_ID = FieldSpec("id", "Kennung", hint="Kurzname für Dateien und Verweise: Buchstaben, Ziffern, "
                "- _ . : ohne Leerzeichen, z. B. kita-bornstrasse. Leer lassen: wird aus dem "
                "Namen gebildet. Nach dem Anlegen nicht mehr änderbar.")
_NAME = FieldSpec("name", "Name", required=True)
_DATE_HINT = "Datum als TT.MM.JJJJ, z. B. 31.12.2027."
_DESC = FieldSpec("description", "Beschreibung", "textarea")

FORMS: dict[str, FormSpec] = {
    # master data (issue 27.4): Kreis and Land are names a Kommune carries, no entries
    "municipalities": FormSpec("municipalities", "Kommune", (
        _NAME,
        FieldSpec("county", "Kreis", options=_named("county"), hint="Der Kreis, zu dem die "
                  "Kommune gehört, z. B. Kreis Unna; bei einer kreisfreien Stadt leer lassen. "
                  "Ein neuer Name legt den Kreis an."),
        FieldSpec("state", "Land", options=_named("state"), hint="Das Bundesland, z. B. "
                  "Nordrhein-Westfalen."),
        _DESC, _ID)),
    "districts": FormSpec("districts", "Stadtbezirk", (
        _NAME,
        FieldSpec("municipality", "Kommune", "select", required=True,
                  options=_entities("municipalities")),
        _DESC, _ID)),
    "quarters": FormSpec("quarters", "Quartier", (
        _NAME,
        FieldSpec("district", "Stadtbezirk", "select", options=_entities("districts"),
                  hint="Der Stadtbezirk, in dem das Quartier liegt."),
        FieldSpec("municipality", "Kommune", "select", options=_entities("municipalities"),
                  hint="Nur wenn die Kommune keine Stadtbezirke hat (z. B. Selm): dann "
                       "liegt das Quartier direkt in der Kommune, und „Stadtbezirk“ bleibt "
                       "leer."),
        _DESC, _ID)),
    "providers": FormSpec("providers", "Träger", (
        _NAME,
        FieldSpec("kind", "Art des Trägers", "select", required=True,
                  options=_enum(ProviderKind)),
        FieldSpec("anchor", "Ankerstandort", "select", hint="Nur wenn der Träger einer der "
                  "Ankerstandorte des Quartiers ist.", options=_enum(AnchorKind)),
        # issue 15: the provider's own channels (no opening hours: those belong to a site)
        FieldSpec("contact_url", "Webseite", hint="Z. B. https://www.traeger.de."),
        FieldSpec("contact_email", "E-Mail", hint="Die zentrale Adresse des Trägers, keine "
                  "persönliche, z. B. info@traeger.de."),
        FieldSpec("contact_phone", "Telefon", hint="Z. B. 0231 50-12345."),
        _DESC, _ID)),
    "sites": FormSpec("sites", "Standort", (
        _NAME,
        FieldSpec("address", "Anschrift", hint="Straße, Hausnummer, Postleitzahl und Ort, "
                  "z. B. Bornstraße 10, 44135 Dortmund."),
        FieldSpec("quarter", "Quartier", "select", options=_entities("quarters"),
                  hint="Das Quartier, in dem der Standort liegt."),
        FieldSpec("contact_url", "Webseite", hint="Z. B. https://www.traeger.de/kita."),
        FieldSpec("contact_email", "E-Mail", hint="Die Adresse der Einrichtung, keine "
                  "persönliche, z. B. info@traeger.de."),
        FieldSpec("contact_phone", "Telefon", hint="Z. B. 0231 50-12345."),
        FieldSpec("contact_opening_hours", "Öffnungszeiten", hint="Z. B. „Mo–Fr 9–12 Uhr, "
                  "Do 14–18 Uhr“."),
        _DESC, _ID)),
    "services": FormSpec("services", "Angebot", (
        _NAME,
        FieldSpec("provider", "Träger", "select", required=True,
                  options=_entities("providers")),
        FieldSpec("quarters", "Quartiere", "multi", required=True,
                  options=_entities("quarters"), many=True),
        FieldSpec("life_stages", "Lebensphasen", "multi", required=True, options=_stages),
        FieldSpec("fields", "Handlungsfelder", "multi", required=True, options=_fields),
        FieldSpec("languages", "Sprachen", "multi", options=_languages, many=True,
                  hint="Sprachen, in denen das Angebot Familien erreicht."),
        FieldSpec("access", "Zugang", "multi", options=_enum(Access)),
        FieldSpec("target_groups", "Zielgruppen", "lines", hint="Eine Zielgruppe je Zeile."),
        FieldSpec("capacity_per_year", "Plätze bzw. Familien je Jahr", "int"),
        FieldSpec("capacity_unit", "Was die Zahl zählt", "select",
                  options=_enum(CapacityUnit), hint="Plätze gleichzeitig (z. B. Kita, "
                  "Grundschule) oder Aufnahmen je Jahr (z. B. Willkommensbesuche, Kurse). "
                  "Leer: Aufnahmen je Jahr."),
        FieldSpec("language_bridge", "Sprachbrücke: Familien können ohne Deutsch kommen",
                  "bool", hint="Ankreuzen, wenn das Angebot selbst Sprachmittlung bietet; "
                  "ein Übergang hierher ist dann kein Sprachbruch."),
        FieldSpec("status", "Stand", "select", required=True, options=_enum(ServiceStatus)),
        # "Läuft ab" read as "expires": say when the offer starts and when it ends
        FieldSpec("valid_from", "Beginnt am", "date", hint="Ab wann es das Angebot gibt; "
                  "leer lassen, wenn es schon läuft. " + _DATE_HINT),
        FieldSpec("valid_until", "Endet am", "date", hint="Bis wann es das Angebot gibt; "
                  "leer lassen, wenn kein Ende feststeht. " + _DATE_HINT),
        FieldSpec("contact_role", "Ansprechrolle", hint="Eine Rolle, keine Person, z. B. "
                  "„Leitung Familienbüro“."),
        FieldSpec("sites", "Standorte", "multi", options=_entities("sites"), many=True,
                  hint="Die Standorte, an denen das Angebot stattfindet (angelegt unter "
                       "„Standorte“)."),
        FieldSpec("site", "Standort (freier Text)", hint="Einrichtung und/oder Anschrift, "
                  "wenn der Standort nicht als Eintrag angelegt ist."),
        FieldSpec("contact_url", "Webseite", hint="Z. B. https://www.traeger.de/angebot."),
        FieldSpec("contact_email", "E-Mail", hint="Die Adresse der Einrichtung, keine "
                  "persönliche, z. B. info@traeger.de."),
        FieldSpec("contact_phone", "Telefon", hint="Z. B. 0231 50-12345."),
        FieldSpec("contact_opening_hours", "Öffnungszeiten", hint="Z. B. „Mo–Fr 9–12 Uhr, "
                  "Do 14–18 Uhr“."),
        _DESC, _ID)),
    "transitions": FormSpec("transitions", "Übergang", (
        FieldSpec("source", "Von Angebot", "select", required=True,
                  options=_services_by_quarter),  # type: ignore[arg-type]
        FieldSpec("target", "Zu Angebot", "select", required=True,
                  options=_services_by_quarter),  # type: ignore[arg-type]
        FieldSpec("kind", "Art der Übergabe", "select", required=True,
                  options=_enum(TransitionKind)),
        FieldSpec("owner", "Verantwortlicher Träger", "select",
                  options=_entities("providers")),
        FieldSpec("agreements", "Vereinbarungen", "multi", options=_entities("agreements"),
                  many=True, hint="Die Vereinbarungen, die diesen Übergang absichern."),
        FieldSpec("handover", "Was wird übergeben?", "lines", hint="Eine Angabe je Zeile, "
                  "z. B. Übergabebogen mit Einwilligung."),
        FieldSpec("person_dependent", "Hängt an einer einzelnen Person", "bool"),
        FieldSpec("backwards", "Führt zurück (frühere Lebensphase)", "bool"),
        FieldSpec("language_mediation", "Mit Sprachmittlung bei der Übergabe", "bool",
                  hint="Ankreuzen, wenn die Übergabe eine Dolmetscherin oder Sprachmittlerin "
                       "einschließt; dann ist der Übergang kein Sprachbruch."),
        # issue 17: data protection and what the Transferbörse shows
        FieldSpec("data_protection.passes", "Was geht bei der Übergabe weiter?", "select",
                  options=_enum(DataTransfer),
                  hint="Nichts, Kontaktdaten oder Unterlagen – nie Daten einer Familie hier "
                       "eintragen."),
        FieldSpec("data_protection.basis", "Auf welcher Grundlage?", "multi",
                  options=_enum(LegalBasis)),
        FieldSpec("success_factors", "Gelingensfaktoren", "lines",
                  hint="Was den Übergang tragen lässt; eine Angabe je Zeile."),
        FieldSpec("pitfalls", "Stolpersteine", "lines",
                  hint="Woran er hakt; eine Angabe je Zeile."),
        FieldSpec("contact_role", "Ansprechrolle", hint="Eine Rolle, kein Name."),
        FieldSpec("valid_from", "Besteht seit", "date", hint="Für ein neues Kettenglied: ab "
                  "wann es den Übergang gibt (für „Wirkung nach einem Jahr“). " + _DATE_HINT),
        _DESC, _ID)),
    "agreements": FormSpec("agreements", "Vereinbarung", (
        _NAME,
        FieldSpec("kind", "Art der Vereinbarung", "select", required=True,
                  options=_enum(AgreementKind)),
        FieldSpec("parties", "Unterzeichnende Träger", "multi", required=True,
                  options=_entities("providers"), many=True),
        FieldSpec("signed", "Unterschrieben am", "date", hint=_DATE_HINT),
        FieldSpec("valid_from", "Gültig ab", "date", hint=_DATE_HINT),
        FieldSpec("valid_until", "Gültig bis", "date", hint=_DATE_HINT),
        FieldSpec("review_date", "Überprüfen am", "date", hint=_DATE_HINT),
        FieldSpec("binding", "Verbindlich", "bool"),
        # issue 16: the quarters it belongs to, besides those of the transitions it backs
        FieldSpec("quarters", "Quartiere", "multi", options=_entities("quarters"), many=True,
                  hint="Die Quartiere, für die die Vereinbarung gilt; die Quartiere der "
                       "Übergänge, die sie absichert, gehören ohnehin dazu."),
        _DESC, _ID)),
    "referral_flows": FormSpec("referral_flows", "Vermittlungszahlen", (
        FieldSpec("transition", "Übergang", "select", required=True,
                  options=_entities("transitions", _transition_label)),
        FieldSpec("period_start", "Zeitraum von", "date", required=True, hint=_DATE_HINT),
        FieldSpec("period_end", "Zeitraum bis", "date", required=True, hint=_DATE_HINT),
        FieldSpec("referred", "Vermittelt (Familien)", "int", required=True),
        FieldSpec("arrived", "Angekommen (Familien)", "int", required=True))),
}
"""The forms of the sections a person edits in the browser."""

SECTION_PATHS = {"municipalities": "kommunen", "districts": "stadtbezirke",
                 "quarters": "quartiere", "providers": "traeger", "services": "angebote",
                 "transitions": "uebergaenge",
                 "agreements": "vereinbarungen", "referral_flows": "vermittlungszahlen",
                 "sites": "standorte"}
"""German URL parts of the editable sections."""


def choices(net: Network, spec: FieldSpec) -> list[tuple[str, str]]:
    return spec.options(net) if spec.options else []


def _one(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name)
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip() if value is not None else ""


def _many(form: Mapping[str, Any], name: str) -> list[str]:
    value = form.get(name, [])
    items = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in items if str(v).strip()]


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe",
                          "Ü": "Ue"})


def make_id(text: str, taken: Container[str]) -> str:
    """An id from a name: lower case, umlauts spelled out, '-' between words, unique.

    >>> make_id("Kita Sonnenschein – Nord", {"kita-sonnenschein-nord"})
    'kita-sonnenschein-nord-2'
    >>> make_id("Elterncafé Grünau", set())
    'elterncafe-gruenau'
    """
    plain = unicodedata.normalize("NFKD", text.translate(_UMLAUTS))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    base = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:80]
    base = base or "eintrag"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def form_data(spec: FormSpec, form: Mapping[str, Any],
              stored: Mapping[str, Any] | None = None,
              taken: Container[str] | None = None) -> dict[str, Any]:
    """The entity data of a posted form (values as text; the model checks them), on top
    of the stored entity's data (fields the form does not show stay as they were). With
    ``taken`` (the ids in use) a new entity without id gets one made from its name."""
    data: dict[str, Any] = dict(stored or {})
    for f in spec.fields:
        if f.kind == "multi":
            # the stored order stays (the form lists choices alphabetically)
            chosen = _many(form, f.name)
            before = [str(x) for x in (data.get(f.name) or []) if str(x) in chosen]
            data[f.name] = before + [x for x in chosen if x not in before]
        elif f.kind == "lines":
            data[f.name] = [x.strip() for x in _one(form, f.name).splitlines() if x.strip()]
        elif f.kind == "bool":
            data[f.name] = _one(form, f.name) in ("1", "on", "ja", "true")
        elif f.kind == "date":
            text = _one(form, f.name)
            short = _SHORT_YEAR.match(text)
            if short:  # 1.3.27 is 01.03.2027
                text = f"{short.group(1)}.{short.group(2)}.20{short.group(3)}"
            data[f.name] = text or None
        else:
            text = _one(form, f.name)
            data[f.name] = text if text else None
    _nest(data)
    if spec.section == "services" and not data.get("languages"):
        data["languages"] = ["de"]
    _fold_contact(data)
    if "id" in {f.name for f in spec.fields} and not data.get("id") and taken is not None:
        if spec.section == "transitions":
            seed = f"{data.get('source') or ''}-{data.get('target') or ''}"
        else:
            seed = str(data.get("name") or "")
        data["id"] = make_id(seed, taken) if seed.strip("-") else None
    return {k: v for k, v in data.items() if v is not None or k in
            {f.name for f in spec.fields if not f.required}}


def _nest(data: dict[str, Any]) -> None:
    """Fields of a nested part (``data_protection.passes``) into the part; a part left
    empty is None."""
    heads: set[str] = set()
    for name in [k for k in data if "." in k]:
        head, _, rest = name.partition(".")
        part = data.get(head)
        part = dict(part) if isinstance(part, Mapping) else {}
        value = data.pop(name)
        if value is None:
            part.pop(rest, None)  # the model's default
        else:
            part[rest] = value
        data[head] = part
        heads.add(head)
    for head in heads:
        if all(v in ([], "") or (k == "note" and v is None) for k, v in data[head].items()):
            data[head] = None


def _get(data: Mapping[str, Any], name: str) -> Any:
    head, _, rest = name.partition(".")
    value = data.get(head)
    return value.get(rest) if rest and isinstance(value, Mapping) else value


def form_values(spec: FormSpec, data: Mapping[str, Any]) -> dict[str, Any]:
    """What the form shows for entity ``data`` (lists stay lists, lines are joined)."""
    values: dict[str, Any] = {}
    for f in spec.fields:
        value = _get(data, f.name)
        if f.name in CONTACT_FIELDS:
            contact = data.get("contact")
            value = contact.get(CONTACT_FIELDS[f.name]) if isinstance(contact, dict) else None
        if f.kind == "multi":
            values[f.name] = [str(v) for v in (value or [])]
        elif f.kind == "lines":
            values[f.name] = "\n".join(value or [])
        elif f.kind == "bool":
            values[f.name] = bool(value)
        elif f.kind == "date" and isinstance(value, str) and _ISO.match(value):
            values[f.name] = f"{value[8:10]}.{value[5:7]}.{value[:4]}"
        else:
            values[f.name] = "" if value is None else str(value)
    return values


CONTACT_FIELDS = {"contact_url": "url", "contact_email": "email", "contact_phone": "phone",
                  "contact_opening_hours": "opening_hours"}
"""Form fields of the contact data of a service, site or provider -> fields of
:class:`graph.contact.Contact`."""


def _fold_contact(data: dict[str, Any]) -> None:
    """The contact fields of a posted form as the nested ``contact`` (None when empty)."""
    if not any(name in data for name in CONTACT_FIELDS):
        return
    stored = data.get("contact") if isinstance(data.get("contact"), dict) else {}
    contact = {**(stored or {}), **{inner: data.pop(name) for name, inner in
                                    CONTACT_FIELDS.items() if name in data}}
    contact = {k: v for k, v in contact.items() if v is not None}
    data["contact"] = contact or None


_SHORT_YEAR = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2})$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
