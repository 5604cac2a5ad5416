"""The table shape of a network: one sheet per kind, German column headers.

Shared by the Excel workbook (:mod:`graph.formats.workbook`) and the folder of CSV files
(:mod:`graph.formats.csvfolder`). Reading reports every problem with sheet, row and
column, and can import the valid rows only (``partial``), saying exactly what it left out.

Cells: lists are separated by ";", yes/no as "ja"/"nein", dates as dates or written
31.12.2026 / 2026-12-31, numbers as Germans write them ("2.000", "1.200,5", "40 %"; see
:mod:`graph.german_numbers`), kinds, life stages, fields and languages as German names (or
their codes; :mod:`graph.vocabulary`). Where a provider, quarter or service is referenced,
its id or its exact name may be written. Sheet names, headers and texts are read in
Unicode NFC (CSV files from macOS may carry decomposed umlauts).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pydantic import ValidationError

from graph.catalogue import default_catalogue
from graph.cooperation import DataTransfer, LegalBasis
from graph.edit import entity_key
from graph.errors import InvalidNetworkError, Problem, closest
from graph.formats.document import parse
from graph.formats.pydantic_problems import problems_from_validation_error
from graph.german_numbers import parse_number
from graph.meeting import AgendaKind
from graph.model import (
    Access,
    AgreementKind,
    AnchorKind,
    CapacityUnit,
    MeasureStatus,
    ProviderKind,
    Service,
    ServiceStatus,
    TransitionKind,
)
from graph.network import ALL_SECTIONS, KIND_NAMES, Network, check_network
from graph.vocabulary import ENUM_LABELS, code_for, nfc

__all__ = ["SHEETS", "VERSION", "Column", "ImportReport", "Sheet", "TableProblem",
           "columns_of", "from_tables", "to_tables"]

LABELS: dict[type[Enum], dict[str, str]] = {
    enum: ENUM_LABELS[enum.__name__]
    for enum in (ProviderKind, AnchorKind, Access, ServiceStatus, MeasureStatus, CapacityUnit,
                 TransitionKind, AgreementKind, DataTransfer, LegalBasis, AgendaKind)
}


@dataclass(frozen=True)
class Column:
    """One column: German header, model field, cell kind, enum or referenced section."""

    header: str
    field: str
    kind: str = "text"  # text, list, int, float, bool, date, enum, enums
    enum: type[Enum] | None = None
    ref: str | None = None  # section whose names may stand for ids
    required: bool = False


VERSION = Column("Version", "version", "int")
"""The last column of an export from a store: each row's version in the journal, so that
a merge (``lotse import --merge``) refuses rows changed in the store since the export."""


@dataclass(frozen=True)
class Sheet:
    name: str
    section: str | None  # None: the network itself; "social_data": quarters' social data
    columns: tuple[Column, ...]

    def column(self, field_name: str) -> Column | None:
        return next((c for c in self.columns if c.field == field_name), None)


def columns_of(sheet: Sheet, rows: list[dict[str, Any]]) -> tuple[Column, ...]:
    """The columns to write: the sheet's, and the version column when the rows carry it."""
    if any(VERSION.header in row for row in rows):
        return (*sheet.columns, VERSION)
    return sheet.columns


def _id() -> Column:
    return Column("Kennung", "id", required=True)


def _name() -> Column:
    return Column("Name", "name", required=True)


def _desc() -> Column:
    return Column("Beschreibung", "description")


CONTACT_COLUMNS = (
    Column("Webseite", "contact.url"), Column("E-Mail", "contact.email"),
    Column("Telefon", "contact.phone"), Column("Öffnungszeiten", "contact.opening_hours"))
"""The service's contact data (:class:`graph.contact.Contact`), one column per field."""

CONTACT_NOTES = {
    "Webseite": "Webseite des Angebots oder der Einrichtung, z. B. https://www.traeger.de/kita "
                "(www.… genügt).",
    "E-Mail": "Nur die Adresse der Einrichtung (z. B. info@traeger.de), keine persönliche.",
    "Telefon": "Telefon der Einrichtung, z. B. 0231 50-12345 oder +49 231 5012345.",
    "Öffnungszeiten": "Freier Text, z. B. Mo–Fr 9–12 Uhr, Do 14–18 Uhr.",
    "Anschrift": "Straße, Hausnummer, Postleitzahl und Ort der Einrichtung, z. B. "
                 "Bornstraße 10, 44135 Dortmund.",
    "Standorte": "Kennungen oder Namen der Standorte (Blatt „Standorte“), mit ; getrennt. "
                 "Die Spalte „Standort“ (freier Text) bleibt daneben gültig.",
    "Quartier": "Kennung oder Name des Quartiers.",
}
"""Notes on the contact columns for the template's headers."""


def _nested(data: dict[str, Any], dotted: str) -> Any:
    """``data["contact"]["url"]`` for ``contact.url`` (None where a level is missing)."""
    outer, _, inner = dotted.partition(".")
    value = data.get(outer)
    return value.get(inner) if isinstance(value, dict) else None


def _fold(values: dict[str, Any]) -> dict[str, Any]:
    """Dotted fields (``contact.url``) of a row as nested data (``contact: {url}``)."""
    for key in [k for k in values if k.startswith("contact.")]:
        values.setdefault("contact", {})[key.partition(".")[2]] = values.pop(key)
    return values


SHEETS: tuple[Sheet, ...] = (
    Sheet("Netzwerk", None, (_name(), _desc())),
    Sheet("Kommunen", "municipalities", (_id(), _name(), Column("Kreis", "county"), _desc(),
                                          Column("Land", "state"))),  # Land: issue 17
    Sheet("Stadtbezirke", "districts", (
        _id(), _name(), Column("Kommune", "municipality", ref="municipalities", required=True),
        _desc())),
    Sheet("Quartiere", "quarters", (
        _id(), _name(), Column("Stadtbezirk", "district", ref="districts"),
        _desc(),
        # issue 17: a town without Stadtbezirke names its Kommune instead
        Column("Kommune", "municipality", ref="municipalities"))),
    Sheet("Sozialdaten", "social_data", (
        Column("Quartier", "quarter", ref="quarters", required=True),
        Column("Jahr", "year", "int", required=True),
        Column("Einwohner", "inhabitants", "int"),
        Column("Geburten im Jahr", "births_per_year", "int"),
        Column("Kinder unter 18", "children_under_18", "int"),
        Column("Anteil SGB II", "sgb2_share", "float"),
        Column("Anteil Einwanderungsgeschichte", "migrant_share", "float"),
        Column("Nationen", "nations", "int"),
        Column("Hauptsprachen", "main_languages", "list"),
        Column("Quelle", "source"),
        *(Column(f"Kinder: {s.name}", f"children.{s.id}", "int")
          for s in default_catalogue().life_stages))),
    Sheet("Träger", "providers", (
        _id(), _name(), Column("Art", "kind", "enum", ProviderKind, required=True),
        Column("Ankerstandort", "anchor", "enum", AnchorKind), _desc(),
        # the provider's institutional contact data (issue 15): no opening hours
        *CONTACT_COLUMNS[:3])),
    # issue 15: sites as entries of their own; services name them in "Standorte"
    Sheet("Standorte", "sites", (
        _id(), _name(), Column("Anschrift", "address"),
        Column("Quartier", "quarter", ref="quarters"), _desc(), *CONTACT_COLUMNS)),
    Sheet("Angebote", "services", (
        _id(), _name(), Column("Träger", "provider", ref="providers", required=True),
        Column("Quartiere", "quarters", "list", ref="quarters", required=True),
        Column("Lebensphasen", "life_stages", "list", required=True),
        Column("Handlungsfelder", "fields", "list", required=True),
        Column("Zielgruppen", "target_groups", "list"),
        Column("Sprachen", "languages", "list"),
        Column("Zugang", "access", "enums", Access),
        Column("Kapazität pro Jahr", "capacity_per_year", "int"),
        Column("Status", "status", "enum", ServiceStatus),
        Column("gültig ab", "valid_from", "date"), Column("gültig bis", "valid_until", "date"),
        Column("Ansprechrolle", "contact_role"), Column("Standort", "site"), _desc(),
        # added later (issue 13): at the end, so that older sheets keep their columns
        Column("Einheit der Kapazität", "capacity_unit", "enum", CapacityUnit),
        Column("Sprachbrücke", "language_bridge", "bool"),
        # institutional contact data (issue 15), nested in the model as ``contact``
        *CONTACT_COLUMNS,
        Column("Standorte", "sites", "list", ref="sites"))),
    Sheet("Übergänge", "transitions", (
        _id(), Column("von Angebot", "source", ref="services", required=True),
        Column("zu Angebot", "target", ref="services", required=True),
        Column("Art", "kind", "enum", TransitionKind),
        Column("Verantwortlich", "owner", ref="providers"),
        Column("Vereinbarungen", "agreements", "list", ref="agreements"),
        Column("personenabhängig", "person_dependent", "bool"),
        Column("Übergabe", "handover", "list"),
        Column("rückwärts", "backwards", "bool"), _desc(),
        Column("mit Sprachmittlung", "language_mediation", "bool"),
        # issue 17: at the end, so that older sheets keep their columns
        Column("Datenschutz: was geht weiter", "data_protection.passes", "enum", DataTransfer),
        Column("Datenschutz: Grundlage", "data_protection.basis", "enums", LegalBasis),
        Column("Gelingensfaktoren", "success_factors", "list"),
        Column("Stolpersteine", "pitfalls", "list"),
        Column("Ansprechrolle", "contact_role"),
        Column("besteht seit", "valid_from", "date"),
        Column("Datenschutz: Bemerkung", "data_protection.note"))),
    Sheet("Kooperationsqualität", "cooperation", (
        Column("Übergang", "transition", required=True),
        Column("Stufe", "level", "int", required=True),
        Column("eingeschätzt am", "on", "date", required=True),
        Column("eingeschätzt von (Rolle)", "by", required=True),
        Column("Notiz", "note"))),
    Sheet("Vereinbarungen", "agreements", (
        _id(), _name(), Column("Art", "kind", "enum", AgreementKind, required=True),
        Column("Partner", "parties", "list", ref="providers", required=True),
        Column("unterschrieben", "signed", "date"), Column("gültig ab", "valid_from", "date"),
        Column("gültig bis", "valid_until", "date"),
        Column("Überprüfung", "review_date", "date"),
        Column("verbindlich", "binding", "bool"), _desc(),
        # issue 16: the quarters an agreement is stated to belong to
        Column("Quartiere", "quarters", "list", ref="quarters"))),
    Sheet("Vermittlungen", "referral_flows", (
        Column("Übergang", "transition", required=True),
        Column("von", "period_start", "date", required=True),
        Column("bis", "period_end", "date", required=True),
        Column("vermittelt", "referred", "int", required=True),
        Column("angekommen", "arrived", "int", required=True))),
    Sheet("Maßnahmen", "measures", (
        _id(), Column("Titel", "title", required=True),
        Column("Befunde", "findings", "list"),
        Column("Verantwortlich", "responsible", ref="providers", required=True),
        Column("fällig", "due", "date"),
        Column("Status", "status", "enum", MeasureStatus),
        Column("Notiz", "note"),
        # issue 26: the Sitzung that decided it, at the end
        Column("Sitzung", "meeting", ref="meetings"))),
    # issue 26: Sitzungen; their agenda and decisions as rows of their own
    Sheet("Sitzungen", "meetings", (
        _id(), Column("Gremium", "body", required=True),
        Column("Gebiet", "area", required=True),
        Column("Datum", "date", "date", required=True),
        Column("Teilnehmende Träger", "attending", "list", ref="providers"),
        Column("weitere Teilnehmende (Rollen)", "roles", "list"),
        Column("Notiz", "note"))),
    Sheet("Tagesordnung", "agenda", (
        Column("Sitzung", "meeting", required=True),
        Column("Art", "kind", "enum", AgendaKind),
        Column("Punkt", "title", required=True),
        Column("Bezug", "ref"), Column("Quartier", "quarter"),
        Column("Notiz", "note"))),
    Sheet("Beschlüsse", "decisions", (
        Column("Sitzung", "meeting", required=True),
        Column("Beschluss", "text", required=True))),
)
_PARTS = {"cooperation": ("transitions", "cooperation", "transition", "Übergang"),
          "agenda": ("meetings", "agenda", "meeting", "Sitzung"),
          "decisions": ("meetings", "decisions", "meeting", "Sitzung")}
"""Sheets whose rows are parts of another sheet's entities: sheet section -> (section of
the entity, its field, the column naming the entity, that column's kind name)."""


@dataclass(frozen=True, order=True)
class TableProblem:
    """A problem in a table: sheet, row (as the spreadsheet numbers it), column, text."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Blatt '{self.sheet}'"
        if self.row:
            where += f", Zeile {self.row}"
        if self.column:
            where += f", Spalte '{self.column}'"
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    """What an import found: the network (None if nothing could be imported), every
    problem, and with ``partial`` the rows left out and why."""

    network: Network | None
    problems: list[TableProblem] = field(default_factory=list)
    skipped: list[TableProblem] = field(default_factory=list)
    # from the version column of an export: journal key (section/id) -> version, and
    # where each keyed row is ("Blatt 'Angebote', Zeile 3") for messages
    versions: dict[str, int] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.network is not None


Rows = dict[str, list[dict[str, Any]]]  # sheet name -> rows (header -> cell value)


# -- writing --------------------------------------------------------------------------


def _cell_out(column: Column, value: Any) -> Any:
    if value is None or value == [] or value == "":
        return None
    if column.kind == "bool":
        return "ja" if value else "nein"
    if column.kind == "date":
        return dt.date.fromisoformat(value) if isinstance(value, str) else value
    if column.kind in ("enum", "enums") and column.enum is not None:
        labels = LABELS[column.enum]
        values = value if isinstance(value, list) else [value]
        return "; ".join(labels.get(str(v), str(v)) for v in values)
    if column.kind == "list":
        return "; ".join(str(v) for v in value)
    return value


def to_tables(net: Network, version: Callable[[str, str], int] | None = None) -> Rows:
    """The network as rows per sheet (header -> value), ready for Excel or CSV; with
    ``version`` (section, key -> version: a store's journal) each row gets its version."""
    if net.catalogue != default_catalogue():
        raise InvalidNetworkError([Problem(
            "Katalog", "", "catalogue", "Die Tabellenform kennt nur den Standard-Katalog der "
            "Lebensphasen; eigene Kataloge bitte im YAML-Format speichern.")])
    tables: Rows = {}
    for sheet in SHEETS:
        rows: list[dict[str, Any]] = []
        if sheet.section is None:
            rows.append({c.header: _cell_out(c, getattr(net, c.field)) for c in sheet.columns})
        elif sheet.section == "social_data":
            for q in net.quarters:
                for sd in q.social_data:
                    data = sd.model_dump(mode="json")
                    row = {}
                    for c in sheet.columns:
                        if c.field == "quarter":
                            row[c.header] = q.id
                        elif c.field.startswith("children."):
                            row[c.header] = data["children_by_stage"].get(c.field[9:])
                        else:
                            row[c.header] = _cell_out(c, data.get(c.field))
                    rows.append(row)
        elif sheet.section in _PARTS:
            owner_section, part, link, _ = _PARTS[sheet.section]
            for owner in getattr(net, owner_section):
                for a in getattr(owner, part):
                    data = {link: owner.id, **a.model_dump(mode="json")}
                    rows.append({c.header: _cell_out(c, data.get(c.field))
                                 for c in sheet.columns})
        else:
            for entity in getattr(net, sheet.section):
                data = entity.model_dump(mode="json")
                cells: dict[str, Any] = {
                    c.header: _cell_out(c, _nested(data, c.field) if "." in c.field
                                        else data.get(c.field))
                    for c in sheet.columns}
                if version is not None:
                    cells[VERSION.header] = version(sheet.section, entity_key(entity))
                rows.append(cells)
        tables[sheet.name] = rows
    return tables


# -- reading ---------------------------------------------------------------------------


class _Reader:
    def __init__(self, tables: Rows, source: str) -> None:
        self.tables, self.source = tables, source
        self.problems: list[TableProblem] = []
        self.where: dict[tuple[str, str], tuple[str, int]] = {}  # (section, key) -> place
        self.names: dict[str, dict[str, str]] = {}  # section -> name -> id
        self.versions: dict[str, int] = {}  # journal key -> version in the file
        self.places: dict[str, str] = {}  # journal key -> "Blatt 'X', Zeile n"

    def problem(self, sheet: str, row: int, column: str, message: str) -> None:
        self.problems.append(TableProblem(sheet, row, column, message))

    def read(self) -> dict[str, Any]:
        known = {s.name for s in SHEETS}
        for name in self.tables:
            if name not in known and name != "Listen":
                self.problem(name, 0, "", "Unbekanntes Blatt; erlaubt sind: " +
                             ", ".join(s.name for s in SHEETS) + ".")
        for sheet in SHEETS:  # names first, so that references may use them
            if sheet.section and sheet.section != "social_data" and sheet.section not in _PARTS:
                self.names[sheet.section] = {}
                for row in self.tables.get(sheet.name, []):
                    title, ident = row.get("Name"), row.get("Kennung")
                    if isinstance(title, str) and isinstance(ident, str) and title.strip():
                        self.names[sheet.section].setdefault(title.strip().casefold(),
                                                             ident.strip())
        data: dict[str, Any] = {}
        social: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        parts: dict[str, dict[str, list[tuple[int, dict[str, Any]]]]] = {p: {} for p in _PARTS}
        for sheet in SHEETS:
            rows = self.tables.get(sheet.name)
            if rows is None:
                if sheet.section is None:
                    self.problem(sheet.name, 0, "", "Das Blatt fehlt (es nennt den Namen des "
                                 "Netzwerks).")
                continue
            for number, row in enumerate(rows, start=2):  # row 1 holds the headers
                self._unknown_columns(sheet, row, number)
                values = self._row(sheet, row, number)
                if values is None:
                    continue
                if sheet.section is None:
                    data.update(values)
                elif sheet.section == "social_data":
                    quarter = values.pop("quarter", None)
                    if quarter is not None:  # a missing quarter is reported already
                        social.setdefault(str(quarter), []).append((number, values))
                elif sheet.section in _PARTS:
                    owner = values.pop(_PARTS[sheet.section][2], None)
                    if owner is not None:
                        parts[sheet.section].setdefault(str(owner), []).append((number, values))
                else:
                    key = values.get("id") or (
                        f"{values.get('transition')}@{values.get('period_start')}")
                    if sheet.section == "referral_flows" and isinstance(
                            values.get("period_start"), dt.date):
                        key = f"{values.get('transition')}@{values['period_start'].isoformat()}"
                    if self._duplicate(sheet, str(key), number, "id" in values):
                        self._check_alone(sheet, values, number)
                        continue  # reported at its own row; the first row is checked
                    self.where[(sheet.section, str(key))] = (sheet.name, number)
                    self._version(sheet, str(key), row, number)
                    data.setdefault(sheet.section, []).append(values)
        for quarter in data.get("quarters", []):
            entries = social.pop(str(quarter.get("id")), [])
            for i, (number, _values) in enumerate(entries):
                self.where[("social_data", f"{quarter.get('id')}#{i}")] = ("Sozialdaten", number)
            if entries:
                quarter["social_data"] = [v for _, v in entries]
        for part_sheet, (owner_section, part, _, kind) in _PARTS.items():
            name = next(s.name for s in SHEETS if s.section == part_sheet)
            found = parts[part_sheet]
            for owner in data.get(owner_section, []):
                entries = found.pop(str(owner.get("id")), [])
                if entries:
                    owner[part] = [v for _, v in entries]
            for owner_id, entries in found.items():
                for number, _ in entries:
                    self.problem(name, number, kind,
                                 f"{kind} '{owner_id}' ist unbekannt." + _hint(
                                     owner_id, [o.get("id", "") for o in
                                                data.get(owner_section, [])]))
        for quarter_id, entries in social.items():
            for number, _ in entries:
                self.problem("Sozialdaten", number, "Quartier",
                             f"Quartier '{quarter_id}' ist unbekannt." + _hint(
                                 quarter_id, [q.get("id", "") for q in data.get("quarters", [])]))
        return data

    def _duplicate(self, sheet: Sheet, key: str, number: int, has_id: bool) -> bool:
        """Whether the row repeats an id (or flow key) of an earlier row; if so, say so
        at this row, naming the first – so every other problem keeps its own row."""
        assert sheet.section is not None
        shared = has_id and sheet.section not in ("measures", "referral_flows", "meetings")
        first = next((self.where[(section, key)] for section in (
            ("municipalities", "districts", "quarters", "providers", "sites", "services",
             "transitions", "agreements") if shared else (sheet.section,))
            if (section, key) in self.where), None)
        if first is None:
            return False
        column = "Kennung" if has_id else sheet.columns[0].header
        self.problem(sheet.name, number, column,
                     f"Die Kennung '{key}' ist doppelt vergeben (schon in Blatt '{first[0]}', "
                     f"Zeile {first[1]}); Kennungen müssen im ganzen Netzwerk eindeutig sein."
                     if has_id else f"Für diesen Übergang und Zeitraum gibt es schon Zahlen "
                     f"(Blatt '{first[0]}', Zeile {first[1]}).")
        return True

    def _version(self, sheet: Sheet, key: str, row: dict[str, Any], number: int) -> None:
        jkey = f"{sheet.section}/{key}"
        self.places[jkey] = f"Blatt '{sheet.name}', Zeile {number}"
        raw = row.get(VERSION.header)
        if _empty(raw):
            return
        try:
            value = self._value(VERSION, raw)
        except ValueError as exc:
            self.problem(sheet.name, number, VERSION.header, str(exc))
            return
        if value < 1:
            self.problem(sheet.name, number, VERSION.header, "Die Version ist mindestens 1 "
                         "(sie stammt aus dem Export; bitte nicht ändern).")
            return
        self.versions[jkey] = value

    def _check_alone(self, sheet: Sheet, values: dict[str, Any], number: int) -> None:
        """The field problems of a row left out of the network (a duplicate), at its row."""
        model = ALL_SECTIONS.get(sheet.section or "")
        if model is None:
            return
        item = default_catalogue().with_ids(sheet.section or "", values)
        try:
            entity = model.model_validate(item)
        except ValidationError as exc:
            for p in problems_from_validation_error(exc, "", ""):
                column = sheet.column(p.field.split(".")[0])
                self.problem(sheet.name, number, column.header if column else p.field,
                             p.message)
            return
        if isinstance(entity, Service):  # its life stages and fields, as the check says
            alone = Network.model_construct(name="", catalogue=default_catalogue(),
                                            services=[entity])
            for p in check_network(alone):
                column = sheet.column(p.field)
                if p.field in ("life_stages", "fields") and column is not None:
                    self.problem(sheet.name, number, column.header, p.message)

    def _unknown_columns(self, sheet: Sheet, row: dict[str, Any], number: int) -> None:
        if number != 2:
            return
        headers = {c.header for c in sheet.columns}
        for header in row:
            if header not in headers and header and header != VERSION.header:
                self.problem(sheet.name, 1, str(header), "Unbekannte Spalte; sie wird nicht "
                             "gelesen. Erwartet: " + ", ".join(sorted(headers)) + ".")

    def _row(self, sheet: Sheet, row: dict[str, Any], number: int) -> dict[str, Any] | None:
        if all(_empty(v) for v in row.values()):
            return None
        values: dict[str, Any] = {}
        children: dict[str, Any] = {}
        for column in sheet.columns:
            raw = row.get(column.header)
            if _empty(raw):
                if column.required and column.field == "quarter":  # the model checks the rest
                    self.problem(sheet.name, number, column.header, "Pflichtfeld ist leer.")
                continue
            try:
                value = self._value(column, raw)
            except ValueError as exc:
                self.problem(sheet.name, number, column.header, str(exc))
                continue
            if column.field.startswith("children."):
                children[column.field[9:]] = value
            elif "." in column.field:  # a field of a nested part, e.g. data_protection.basis
                head, _, rest = column.field.partition(".")
                values.setdefault(head, {})[rest] = value
            else:
                values[column.field] = value
        if children:
            values["children_by_stage"] = children
        return _fold(values)

    def _value(self, column: Column, raw: Any) -> Any:
        kind = column.kind
        if kind in ("list", "enums"):
            items = [x.strip() for x in str(raw).replace("\n", ";").split(";") if x.strip()]
            if kind == "enums" and column.enum is not None:
                return [self._enum(column, x) for x in items]
            return [self._ref(column, x) for x in items]
        if kind == "enum" and column.enum is not None:
            return self._enum(column, str(raw).strip())
        if kind == "bool":
            text = str(raw).strip().casefold()
            if isinstance(raw, bool):
                return raw
            if text in ("ja", "j", "x", "true", "wahr", "1"):
                return True
            if text in ("nein", "n", "false", "falsch", "0"):
                return False
            raise ValueError(f"'{raw}' ist kein Ja/Nein-Wert; bitte 'ja' oder 'nein' schreiben.")
        if kind in ("int", "float"):
            if isinstance(raw, bool):
                raise ValueError(f"'{raw}' ist keine Zahl.")
            if isinstance(raw, int | float):
                number = raw
                # inf, nan: from a formula error; the text check below says so
                if number != number or number in (float("inf"), float("-inf")):
                    raise ValueError(f"'{raw}' ist keine endliche Zahl.")
            else:  # "2.000" is two thousand, "1.200,5" has a decimal comma
                number = parse_number(str(raw), integer=kind == "int")
            if kind == "int":
                if float(number) != int(number):
                    raise ValueError(f"'{raw}' ist keine ganze Zahl.")
                return int(number)
            return float(number)
        if kind == "date":
            if isinstance(raw, dt.datetime):
                return raw.date()
            if isinstance(raw, dt.date):
                return raw
            return str(raw).strip()  # the model checks the text and names the format
        text = str(raw).strip() if not isinstance(raw, str) else raw.strip()
        return self._ref(column, text)

    def _enum(self, column: Column, text: str) -> str:
        assert column.enum is not None
        return code_for(column.enum.__name__, text)

    def _ref(self, column: Column, text: str) -> str:
        if column.ref is None:
            return text
        return self.names.get(column.ref, {}).get(text.casefold(), text)

    def place(self, problem: Problem) -> TableProblem:
        """Where in the tables a problem of the network check is."""
        section = next((s for s, k in KIND_NAMES.items() if k == problem.kind), None)
        field_name = problem.field.split(".")[0]
        if section == "quarters" and field_name == "social_data" and "." in problem.field:
            index = problem.field.split(".")[1]
            sheet_name, row = self.where.get(("social_data", f"{problem.entity_id}#{index}"),
                                             ("Sozialdaten", 0))
            rest = problem.field.split(".")[2:] if problem.field.count(".") >= 2 else []
            column = next((s for s in SHEETS if s.name == "Sozialdaten"), None)
            header = ""
            if column is not None and rest:
                col = column.column(rest[0])
                header = col.header if col else rest[0]
            return TableProblem(sheet_name, row, header, problem.message)
        sheet = next((s for s in SHEETS if s.section == section), None)
        if sheet is None:
            return TableProblem("Netzwerk", 0, problem.field, problem.message)
        sheet_name, row = self.where.get((sheet.section or "", problem.entity_id),
                                         (sheet.name, 0))
        col = sheet.column(problem.field) or sheet.column(field_name)
        return TableProblem(sheet_name, row, col.header if col else field_name, problem.message)


def _in_nfc(tables: Rows) -> Rows:
    """Sheet names, headers and texts in Unicode NFC (macOS may write them decomposed)."""
    def normalised(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        texts = "\x00".join(str(x) for row in rows for x in (*row, *row.values())
                            if isinstance(x, str))
        if unicodedata.is_normalized("NFC", texts):  # one pass in C: the usual case
            return rows
        return [{nfc(str(k)): nfc(v) if isinstance(v, str) else v for k, v in row.items()}
                for row in rows]

    return {nfc(name): normalised(rows) for name, rows in tables.items()}


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _hint(wanted: str, known: Iterable[str]) -> str:
    hits = closest(wanted, list(known))
    return (" Meinten Sie " + " oder ".join(f"'{h}'" for h in hits) + "?") if hits else ""


def from_tables(tables: Rows, source: str = "<Tabelle>", partial: bool = False,
                max_rounds: int = 20) -> ImportReport:
    """Read a network from rows per sheet; with ``partial``, leave out the broken rows."""
    reader = _Reader(_in_nfc(tables), source)
    data = reader.read()
    report = ImportReport(None, list(reader.problems), versions=reader.versions,
                          places=reader.places)
    if reader.problems and not partial:
        # every problem at once: also check what the cells that could be read say, but do
        # not report a cell twice
        taken = {(p.sheet, p.row, p.column) for p in reader.problems}
        try:
            parse(data, source=source)
        except InvalidNetworkError as exc:
            report.problems += [p for p in (reader.place(x) for x in exc.problems)
                                if (p.sheet, p.row, p.column) not in taken]
        report.problems = sorted(set(report.problems))
        return report
    skipped_places: set[tuple[str, int]] = set()
    if partial:
        for p in reader.problems:
            if p.row > 1:
                skipped_places.add((p.sheet, p.row))
        report.skipped = sorted(p for p in reader.problems if p.row > 1)
        data = _without(data, reader, skipped_places)
    for _ in range(max_rounds):
        try:
            report.network = parse(data, source=source)
            if not partial:
                report.problems = []
            return report
        except InvalidNetworkError as exc:
            placed = sorted({reader.place(p) for p in exc.problems})
            if not partial:
                report.problems = sorted(set(report.problems) | set(placed))
                return report
            rows = {(p.sheet, p.row) for p in placed if p.row > 1}
            if not rows:
                report.problems = sorted(set(report.problems) | set(placed))
                return report
            report.skipped = sorted(set(report.skipped) | set(placed))
            if rows <= skipped_places:  # leaving out rows no longer helps: say what is wrong
                report.problems = sorted(set(report.problems) | set(placed))
                return report
            skipped_places |= rows
            data = _without(data, reader, skipped_places)
    if report.network is None and not report.problems:
        report.problems = sorted(set(report.skipped))
    return report


def _without(data: dict[str, Any], reader: _Reader,
             places: set[tuple[str, int]]) -> dict[str, Any]:
    out = dict(data)
    for section in ALL_SECTIONS:  # the notes too: a broken Maßnahme or Sitzung is left out
        if section not in data:
            continue
        kept = []
        for values in data.get(section, []):
            key = values.get("id") or (
                f"{values.get('transition')}@{values.get('period_start')}")
            if section == "referral_flows":
                start = values.get("period_start")
                start_text = start.isoformat() if isinstance(start, dt.date) else start
                key = f"{values.get('transition')}@{start_text}"
            if reader.where.get((section, str(key))) in places:
                continue
            if section == "quarters" and values.get("social_data"):
                entries = [sd for i, sd in enumerate(values["social_data"])
                           if reader.where.get(("social_data", f"{key}#{i}")) not in places]
                values = {**values, "social_data": entries}
            kept.append(values)
        out[section] = kept
    return out

