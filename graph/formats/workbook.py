"""The Excel workbook (.xlsx, openpyxl): template, import and export in one shape.

The template has one sheet per kind with German headers, a filled example row, drop-down
lists for kinds, status and yes/no, and a note on every list column naming the allowed
values. Export writes a network into the same shape, so that a round trip changes nothing.
A text that Excel would run as a formula (``=…``, ``+``, ``-``, ``@``) is written with a
leading ``'`` as a text cell and read back without it (:mod:`graph.formats.cells`).

>>> import tempfile, pathlib
>>> from seeds import load_seed
>>> path = pathlib.Path(tempfile.mkdtemp()) / "kette.xlsx"
>>> write_workbook(load_seed("unna"), path)
>>> read_workbook(path).network == load_seed("unna")
True
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from graph.catalogue import default_catalogue
from graph.errors import FormatError
from graph.formats.cells import neutralise, restore_value
from graph.formats.tables import (
    LABELS,
    SHEETS,
    ImportReport,
    Rows,
    columns_of,
    from_tables,
    to_tables,
)
from graph.network import Network
from graph.vocabulary import LANGUAGE_NAMES

__all__ = ["HELP_SHEET", "read_workbook", "template_network", "template_tables", "workbook_bytes",
           "write_template", "write_workbook"]

_HEADER = Font(bold=True, color="FFFFFF")
_FILL = PatternFill("solid", fgColor="1F4E79")


def _notes() -> dict[str, str]:
    from graph.formats.tables import CONTACT_NOTES  # issue 15: notes on contact columns

    cat = default_catalogue()
    return {**CONTACT_NOTES,
        "Lebensphasen": "Mehrere mit ; trennen. Erlaubt: " +
                        "; ".join(s.name for s in cat.life_stages) + " (auch kurz, z. B. "
                        "Säuglingsalter, oder als Kennung: " +
                        ", ".join(s.id for s in cat.life_stages) + ")",
        "Handlungsfelder": "Mehrere mit ; trennen. Erlaubt: " +
                           "; ".join(f.name for f in cat.fields) + " (oder als Kennung: " +
                           ", ".join(f.id for f in cat.fields) + ")",
        "Quartiere": "Kennungen oder Namen der Quartiere, mit ; getrennt.",
        "Sprachen": "Sprachen mit ; getrennt, als Name oder Code, z. B. Deutsch; Türkisch; "
                    "Arabisch (oder de; tr; ar)",
        "Zugang": "Mit ; trennen: kostenlos; ohne Termin; aufsuchend",
        "Partner": "Kennungen oder Namen der Träger, mit ; getrennt.",
        "Vereinbarungen": "Kennungen der Vereinbarungen, mit ; getrennt.",
        "Träger": "Kennung oder Name des Trägers.",
        "Verantwortlich": "Kennung oder Name des verantwortlichen Trägers.",
        "Kapazität pro Jahr": "Eine Zahl; was sie zählt, sagt die Spalte „Einheit der "
                              "Kapazität“.",
        "Einheit der Kapazität": "Plätze gleichzeitig (z. B. Kita, Grundschule: verglichen "
                                 "mit den Kindern der Lebensphase) oder Aufnahmen pro Jahr "
                                 "(z. B. Willkommensbesuche, Kurse: verglichen mit dem "
                                 "Jahrgang, der jährlich in die Phase kommt). Leer: Aufnahmen "
                                 "pro Jahr. Ein Angebot über mehrere Lebensphasen teilt seine "
                                 "Kapazität auf sie auf.",
        "Sprachbrücke": "ja, wenn das Angebot selbst eine Sprachbrücke ist (Familien kommen "
                        "ohne Deutsch an): dann ist ein Übergang dorthin kein Sprachbruch.",
        "mit Sprachmittlung": "ja, wenn die Übergabe Sprachmittlung einschließt: dann ist sie "
                              "kein Sprachbruch.",
        "Datenschutz: was geht weiter": "nichts, Kontaktdaten oder Unterlagen – nie Daten "
                                        "einzelner Familien in diese Tabelle schreiben.",
        "Datenschutz: Grundlage": "schriftliche Einwilligung, Schweigepflichtentbindung, "
                                  "§ 4 KKG, § 8a SGB VIII oder andere gesetzliche Grundlage; "
                                  "mehrere mit ';' trennen.",
        "Datenschutz: Bemerkung": "Freier Text zur Übergabe, z. B. welcher Bogen mitgeht – "
                                  "keine Angaben zu einzelnen Familien.",
        "Gelingensfaktoren": "Was den Übergang tragen lässt (für die Transferbörse); mehrere "
                             "mit ';' trennen.",
        "Stolpersteine": "Woran der Übergang hakt (für die Transferbörse); mehrere mit ';' "
                         "trennen.",
        "Stufe": "Kooperationsqualität 1 (Nebeneinander) bis 5 (gemeinsam gestaltet), siehe "
                 "docs/cooperation.md.",
        "eingeschätzt von (Rolle)": "Eine Rolle, z. B. Netzwerkkoordination – kein Name.",
    }


def workbook_bytes(tables: Rows, template: bool = False) -> bytes:
    """An .xlsx file with the given rows (and drop-downs, notes, widths)."""
    wb = Workbook()
    wb.remove(wb.active)
    lists = wb.create_sheet("Listen")
    lists.sheet_state = "hidden"
    list_ranges: dict[str, str] = {}
    col = 1
    for enum, labels in LABELS.items():
        letter = get_column_letter(col)
        lists.cell(1, col, enum.__name__)
        for i, label in enumerate(labels.values(), start=2):
            lists.cell(i, col, label)
        list_ranges[enum.__name__] = f"Listen!${letter}$2:${letter}${len(labels) + 1}"
        col += 1
    cat = default_catalogue()
    # drop-downs show the German names; the import reads names and ids alike
    for title, ids in (("Lebensphasen", [s.name for s in cat.life_stages]),
                       ("Handlungsfelder", [f.name for f in cat.fields])):
        letter = get_column_letter(col)
        lists.cell(1, col, title)
        for i, item in enumerate(ids, start=2):
            lists.cell(i, col, item)
        list_ranges[title] = f"Listen!${letter}$2:${letter}${len(ids) + 1}"
        col += 1
    yes_no = '"ja,nein"'
    notes = _notes()
    for sheet in SHEETS:
        ws = wb.create_sheet(sheet.name)
        columns = columns_of(sheet, tables.get(sheet.name, []))
        for i, column in enumerate(columns, start=1):
            cell = ws.cell(1, i, column.header)
            cell.font, cell.fill = _HEADER, _FILL
            note = notes.get(column.header)
            if column.required:
                note = ("Pflichtfeld. " + note) if note else "Pflichtfeld."
            if note:
                cell.comment = Comment(note, "lotsensystem")
            ws.column_dimensions[get_column_letter(i)].width = max(14, len(column.header) + 4)
            rows = max(200, len(tables.get(sheet.name, [])) + 50)
            target = f"{get_column_letter(i)}2:{get_column_letter(i)}{rows}"
            if column.kind == "enum" and column.enum is not None:
                dv = DataValidation(type="list", formula1=list_ranges[column.enum.__name__],
                                    allow_blank=True, showErrorMessage=True,
                                    errorTitle="Wert nicht erlaubt",
                                    error="Bitte einen Wert aus der Liste wählen.")
                ws.add_data_validation(dv)
                dv.add(target)
            elif column.header in ("Lebensphasen", "Handlungsfelder"):
                # a drop-down to pick from; several values separated by ";" stay allowed
                dv = DataValidation(type="list", formula1=list_ranges[column.header],
                                    allow_blank=True, showErrorMessage=False)
                ws.add_data_validation(dv)
                dv.add(target)
            elif column.kind == "bool":
                dv = DataValidation(type="list", formula1=yes_no, allow_blank=True)
                ws.add_data_validation(dv)
                dv.add(target)
            elif column.kind == "date":
                for r in range(2, rows + 1):
                    ws.cell(r, i).number_format = "DD.MM.YYYY"
        ws.freeze_panes = "A2"
        for r, row in enumerate(tables.get(sheet.name, []), start=2):
            for i, column in enumerate(columns, start=1):
                value = row.get(column.header)
                if isinstance(value, str):  # a text cell that Excel never runs (32.7)
                    cell = ws.cell(r, i)
                    cell.value = neutralise(value)
                    cell.data_type = "s"
                elif value is not None:
                    ws.cell(r, i, value)
    if template:
        _help_sheet(wb, tables, notes)
        wb.active = wb.sheetnames.index(HELP_SHEET)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


HELP_SHEET = "Hilfe"
"""The template's sheet that explains every column (the import skips it)."""

_SHEET_HELP = {
    "Netzwerk": "Der Name des Netzwerks (eine Zeile).",
    "Kommunen": "Städte und Gemeinden; der Kreis und das Land stehen als Name dabei (ein neuer "
                "Kreisname legt den Kreis an).",
    "Stadtbezirke": "Die Stadtbezirke einer Kommune. Hat eine Kommune keine, bleibt das Blatt "
                    "für sie leer.",
    "Quartiere": "Die Quartiere (Sozialräume): jedes in einem Stadtbezirk oder, ohne "
                 "Stadtbezirke, direkt in einer Kommune.",
    "Sozialdaten": "Zahlen je Quartier und Jahr (eine Zeile je Quartier und Jahr): Einwohner, "
                   "Geburten, Kinder je Lebensphase, Sprachen. Nie Angaben zu einzelnen "
                   "Familien.",
    "Träger": "Die Einrichtungen und Organisationen, die Angebote machen.",
    "Standorte": "Orte, an denen Angebote stattfinden (freiwillig).",
    "Angebote": "Was Familien angeboten wird: je Angebot Träger, Quartiere, Lebensphasen und "
                "Handlungsfelder.",
    "Übergänge": "Wie Familien von einem Angebot zum nächsten kommen; wer verantwortlich ist "
                 "und welche Vereinbarung den Übergang absichert.",
    "Kooperationsqualität": "Einschätzungen der Zusammenarbeit an einem Übergang, Stufe 1 bis "
                            "5 (eine Zeile je Einschätzung).",
    "Vereinbarungen": "Kooperationsverträge und andere Vereinbarungen zwischen Trägern, mit "
                      "Laufzeit.",
    "Vermittlungen": "Wie viele Familien über einen Übergang vermittelt wurden und ankamen – "
                     "nur Summen je Zeitraum.",
    "Maßnahmen": "Was das Netzwerk beschlossen hat, mit verantwortlichem Träger und Frist.",
    "Sitzungen": "Sitzungen der Steuerungsgruppe oder des Quartiersnetzwerks.",
    "Tagesordnung": "Die Punkte einer Sitzung (eine Zeile je Punkt).",
    "Beschlüsse": "Die Beschlüsse einer Sitzung (eine Zeile je Beschluss).",
}

_COLUMN_HELP = {
    "Kennung": "Kurzname für Verweise: Buchstaben, Ziffern, - _ . : ohne Leerzeichen, z. B. "
               "kita-sonnenschein. Im ganzen Netzwerk eindeutig.",
    "Name": "Der Name, wie er in Berichten und im Wegweiser erscheinen soll.",
    "Beschreibung": "Freier Text.",
    "Kreis": "Name des Kreises; bei einer kreisfreien Stadt leer.",
    "Land": "Name des Bundeslands, z. B. Nordrhein-Westfalen.",
    "Kommune": "Kennung oder Name der Kommune (Blatt „Kommunen“).",
    "Stadtbezirk": "Kennung oder Name des Stadtbezirks (Blatt „Stadtbezirke“).",
    "Jahr": "Das Jahr, für das die Zahlen gelten, z. B. 2025.",
    "Einwohner": "Zahl der Einwohnerinnen und Einwohner.",
    "Geburten im Jahr": "Geburten im Quartier in diesem Jahr.",
    "Kinder unter 18": "Zahl der Kinder und Jugendlichen unter 18.",
    "Anteil SGB II": "Anteil mit SGB-II-Bezug, z. B. 40 % oder 0,4.",
    "Anteil Einwanderungsgeschichte": "Anteil mit Einwanderungsgeschichte, z. B. 55 %.",
    "Nationen": "Zahl der Nationen im Quartier.",
    "Hauptsprachen": "Sprachen vieler Familien im Quartier, als Namen mit ; getrennt, z. B. "
                     "Deutsch; Türkisch; Arabisch.",
    "Quelle": "Woher die Zahlen stammen, z. B. Statistikstelle, Stand 31.12.2025.",
    "Art": "Ein Wert aus der Auswahlliste der Zelle.",
    "Ankerstandort": "Nur wenn der Träger ein Ankerstandort des Quartiers ist: Wert aus der "
                     "Auswahlliste.",
    "Zielgruppen": "Freier Text, mehrere mit ; getrennt, z. B. Alleinerziehende; "
                   "Neuzugewanderte.",
    "Status": "Ein Wert aus der Auswahlliste der Zelle.",
    "gültig ab": "Datum als TT.MM.JJJJ.", "gültig bis": "Datum als TT.MM.JJJJ.",
    "Ansprechrolle": "Eine Rolle, keine Person, z. B. Leitung Familienbüro.",
    "Standort": "Freier Text: Einrichtung und/oder Anschrift.",
    "von Angebot": "Kennung oder Name des Angebots, von dem die Familie kommt.",
    "zu Angebot": "Kennung oder Name des Angebots, zu dem sie geht.",
    "personenabhängig": "ja, wenn der Übergang an einer einzelnen Person hängt.",
    "Übergabe": "Was übergeben wird, mehrere mit ; getrennt, z. B. Übergabebogen mit "
                "Einwilligung.",
    "rückwärts": "ja, wenn der Übergang in eine frühere Lebensphase führt.",
    "besteht seit": "Datum, seit dem es den Übergang gibt (TT.MM.JJJJ).",
    "Übergang": "Kennung des Übergangs (Blatt „Übergänge“, Spalte „Kennung“).",
    "eingeschätzt am": "Datum als TT.MM.JJJJ.", "Notiz": "Freier Text.",
    "unterschrieben": "Datum als TT.MM.JJJJ.", "Überprüfung": "Datum der nächsten Überprüfung.",
    "verbindlich": "ja oder nein.",
    "von": "Beginn des Zeitraums (TT.MM.JJJJ).", "bis": "Ende des Zeitraums (TT.MM.JJJJ).",
    "vermittelt": "Zahl der vermittelten Familien im Zeitraum.",
    "angekommen": "Zahl der Familien, die im Zielangebot angekommen sind.",
    "Titel": "Was getan werden soll.",
    "Befunde": "Schlüssel der Befunde, mit ; getrennt (freiwillig; die Werkstatt trägt sie "
               "ein).",
    "fällig": "Datum als TT.MM.JJJJ.",
    "Sitzung": "Kennung der Sitzung (Blatt „Sitzungen“).",
    "Gremium": "Wer tagt, z. B. Steuerungsgruppe Musterviertel.",
    "Gebiet": "Kennung des Quartiers, Stadtbezirks oder der Kommune, oder der Name eines "
              "Kreises.",
    "Datum": "Datum als TT.MM.JJJJ.",
    "Teilnehmende Träger": "Kennungen oder Namen der Träger, mit ; getrennt.",
    "weitere Teilnehmende (Rollen)": "Rollen, keine Namen, mit ; getrennt, z. B. Jugendamt.",
    "Punkt": "Der Tagesordnungspunkt.", "Bezug": "Kennung der Vereinbarung, Maßnahme oder "
                                                 "der Schlüssel eines Befunds (freiwillig).",
    "Beschluss": "Der Wortlaut des Beschlusses.",
}


def _column_help(header: str, kind: str, notes: dict[str, str]) -> str:
    text = notes.get(header) or _COLUMN_HELP.get(header, "")
    if not text and header.startswith("Kinder: "):
        text = f"Zahl der Kinder in der Lebensphase „{header[8:]}“."
    if not text:
        text = {"bool": "ja oder nein.", "date": "Datum als TT.MM.JJJJ.",
                "int": "Eine ganze Zahl.", "list": "Mehrere Werte mit ; trennen."}.get(kind, "")
    return text


def _help_sheet(wb: Workbook, tables: Rows, notes: dict[str, str]) -> None:
    """The sheet „Hilfe“: how to fill the template, and per sheet each column with what
    belongs in it, whether it is required, and the example's value."""
    ws = wb.create_sheet(HELP_SHEET, 0)
    lines = [
        ("So füllen Sie die Vorlage aus", "", "", ""),
        ("Jedes Blatt hat eine Beispielzeile: überschreiben oder löschen. Eine Zeile je "
         "Eintrag. Pflichtspalten sind unten als Pflicht markiert.", "", "", ""),
        ("Mehrere Werte in einer Zelle mit ; trennen. Lebensphasen, Handlungsfelder, Sprachen "
         "und Auswahlwerte als deutsche Namen (z. B. „Schwangerschaft; Geburt und erste "
         "Wochen“, „Deutsch; Türkisch“). Verweise auf Träger, Quartiere, Angebote als Name "
         "oder Kennung.", "", "", ""),
        ("Datum als TT.MM.JJJJ, ja/nein als ja oder nein, Anteile als Prozent (40 %). Keine "
         "Namen oder Daten einzelner Familien eintragen.", "", "", ""),
        ("Danach in der Werkstatt unter „Import und Export“ hochladen: zuerst kommt eine "
         "Vorschau, gespeichert wird erst nach Bestätigung. Dieses Blatt wird nicht "
         "eingelesen.", "", "", ""),
        ("", "", "", ""),
    ]
    for row in lines:
        ws.append(list(row))
    ws["A1"].font = Font(bold=True, size=14)
    for sheet in SHEETS:
        ws.append([])
        ws.append([f"Blatt „{sheet.name}“", _SHEET_HELP.get(sheet.name, ""), "", ""])
        ws.cell(ws.max_row, 1).font = Font(bold=True, size=12)
        ws.append(["Spalte", "Was gehört hinein", "Pflicht", "Beispiel"])
        for i in range(1, 5):
            cell = ws.cell(ws.max_row, i)
            cell.font, cell.fill = _HEADER, _FILL
        example = (tables.get(sheet.name) or [{}])[0]
        for column in sheet.columns:
            value = example.get(column.header)
            shown = f"{value:%d.%m.%Y}" if hasattr(value, "strftime") else value
            ws.append([column.header, _column_help(column.header, column.kind, notes),
                       "Pflicht" if column.required else "", shown])
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 90
    ws.column_dimensions["C"].width = 10
    ws.column_dimensions["D"].width = 40
    for row in ws.iter_rows(min_col=2, max_col=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def write_workbook(net: Network, path: str | Path,
                   version: Callable[[str, str], int] | None = None) -> None:
    """Export a network as a workbook (atomically); with ``version`` (a store's journal)
    every row carries its version for a later merge."""
    from graph.atomic import atomic_write_bytes

    atomic_write_bytes(Path(path), workbook_bytes(to_tables(net, version)))


def template_network() -> Network:
    """The example filled into the template (one row per sheet)."""
    from graph.formats.document import loads

    return loads(_EXAMPLE, source="Vorlage")


def template_tables() -> Rows:
    """The example rows of the template (Excel and CSV) with life stages, fields and
    languages as German names (what the drop-downs offer); exports keep the cells'
    codes."""
    tables = to_tables(template_network())
    cat = default_catalogue()
    names = {"Lebensphasen": {s.id: s.name for s in cat.life_stages},
             "Handlungsfelder": cat.field_names, "Sprachen": LANGUAGE_NAMES,
             "Hauptsprachen": LANGUAGE_NAMES}

    def german(header: str, value: Any) -> Any:
        if header not in names or not isinstance(value, str):
            return value
        return "; ".join(names[header].get(v.strip(), v.strip()) for v in value.split(";"))

    # references by name where the example has one (the import reads names and ids)
    net = template_network()
    named = {section: {e.id: e.name for e in getattr(net, section)}
             for section in ("municipalities", "districts", "quarters", "providers", "sites",
                             "services", "agreements")}
    refs = {(sheet.name, c.header): named[c.ref] for sheet in SHEETS for c in sheet.columns
            if c.ref in named}
    shares = {(sheet.name, c.header) for sheet in SHEETS for c in sheet.columns
              if c.field.endswith("_share")}

    def cell(sheet: str, header: str, value: Any) -> Any:
        if (sheet, header) in refs and isinstance(value, str):
            return "; ".join(refs[(sheet, header)].get(v.strip(), v.strip())
                             for v in value.split(";"))
        if (sheet, header) in shares and isinstance(value, float):
            return f"{value * 100:g} %".replace(".", ",")  # 40 %, read back as 0.4
        return german(header, value)

    return {sheet: [{h: cell(sheet, h, v) for h, v in row.items()} for row in rows]
            for sheet, rows in tables.items()}


def write_template(path: str | Path) -> None:
    """The empty template with one filled example row per sheet, in German names."""
    from graph.atomic import atomic_write_bytes

    atomic_write_bytes(Path(path), workbook_bytes(template_tables(), True))


def read_workbook(path: str | Path, partial: bool = False) -> ImportReport:
    """Import a filled workbook; every problem with sheet, row and column."""
    source = str(path)
    try:
        wb = load_workbook(Path(path), data_only=True, read_only=True)
    except FileNotFoundError:
        raise FormatError("Die Datei gibt es nicht.", source) from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, InvalidFileException) as exc:
        raise FormatError(f"Keine lesbare Excel-Datei (.xlsx): {type(exc).__name__}. Bitte in "
                          "Excel oder LibreOffice als .xlsx speichern.", source) from None
    tables: Rows = {}
    for ws in wb.worksheets:
        if ws.title == HELP_SHEET:
            continue  # the template's explanations
        rows = _sheet_rows(ws, source)
        if not rows:
            tables[ws.title] = []
            continue
        headers = [str(h).strip() if h is not None else "" for h in rows[0]]
        body: list[dict[str, Any]] = []
        for values in rows[1:]:
            body.append({h: restore_value(v) for h, v in zip(headers, values, strict=False)
                         if h})
        tables[ws.title] = body
    wb.close()
    return from_tables(tables, source=source, partial=partial)


MAX_SHEET_ROWS = 300_000
"""The last row a sheet may fill (all sheets together hold fewer)."""
MAX_SHEET_COLUMNS = 500
"""The last column a sheet may fill (the widest sheet has some 40)."""
MAX_CELLS = 3_000_000
"""Filled cells of a workbook, all sheets together."""


def _sheet_rows(ws: Any, source: str) -> list[tuple[Any, ...]]:
    """The filled rows of a read-only sheet, from its first filled row to its last, as
    wide as its widest. The size the file states (its "dimension", e.g.
    A1:XFD1048576) is not trusted: only cells with a value count, and a value beyond
    :data:`MAX_SHEET_ROWS` or :data:`MAX_SHEET_COLUMNS` refuses the file."""
    from openpyxl.worksheet._reader import WorkSheetParser

    from graph.budget import check

    found: dict[int, dict[int, Any]] = {}
    cells = 0
    workbook = ws.parent
    with ws._get_source() as xml:
        parser = WorkSheetParser(xml, ws._shared_strings, data_only=workbook.data_only,
                                 epoch=workbook.epoch, date_formats=workbook._date_formats,
                                 timedelta_formats=workbook._timedelta_formats)
        for index, (number, row) in enumerate(parser.parse()):
            if not index % 1000:
                check()
            values = {c["column"]: c["value"] for c in row
                      if c["value"] is not None and c["value"] != ""}
            if not values:
                continue  # formatted, but empty
            if number > MAX_SHEET_ROWS or max(values) > MAX_SHEET_COLUMNS:
                raise FormatError(
                    f"Das Blatt „{ws.title}“ hat Werte in Zeile {number}, Spalte "
                    f"{get_column_letter(max(values))}; eine Kette füllt höchstens "
                    f"{MAX_SHEET_ROWS:_} Zeilen und {MAX_SHEET_COLUMNS} Spalten. Bitte die "
                    "Werte außerhalb der Tabelle löschen.".replace("_", "."), source)
            cells += len(values)
            if cells > MAX_CELLS:
                raise FormatError(f"Die Datei hat mehr als {MAX_CELLS:_} gefüllte Zellen; "
                                  "so groß ist keine Kette.".replace("_", "."), source)
            found.setdefault(number, {}).update(values)
    if not found:
        return []
    width = max(max(values) for values in found.values())
    return [tuple(found.get(number, {}).get(column) for column in range(1, width + 1))
            for number in range(min(found), max(found) + 1)]


_EXAMPLE = """\
name: Mein Quartiersnetzwerk
description: Beispielzeile – bitte überschreiben
municipalities:
- {id: musterstadt, name: Musterstadt, county: Musterkreis}
districts:
- {id: mitte, name: Stadtbezirk Mitte, municipality: musterstadt}
quarters:
- id: musterviertel
  name: Musterviertel
  district: mitte
  social_data:
  - {year: 2025, inhabitants: 4000, births_per_year: 50, sgb2_share: 0.4,
     children_by_stage: {infant: 50, toddler: 100}, main_languages: [de, tr, ar],
     source: Statistikstelle Musterstadt}
providers:
- {id: familienbuero, name: Familienbüro Mitte, kind: public, anchor: family_office}
- {id: awo, name: AWO Kita Sonnenschein, kind: free_welfare, anchor: kita,
   contact: {url: "https://www.awo-musterstadt.de", email: info@awo-musterstadt.de}}
sites:
- {id: kita-sonnenschein, name: Kita Sonnenschein, address: "Musterweg 1, 12345 Musterstadt",
   quarter: musterviertel, contact: {phone: 01234 56780, opening_hours: Mo–Fr 7–16 Uhr}}
services:
- {id: willkommensbesuch, name: Willkommensbesuch, provider: familienbuero,
   quarters: [musterviertel], life_stages: [infant], fields: [youth_welfare],
   languages: [de, tr], access: [free, outreach], capacity_per_year: 50,
   contact_role: Mitarbeiterin Familienbüro}
- {id: kita, name: Kita Sonnenschein, provider: awo, quarters: [musterviertel],
   life_stages: [toddler, preschool], fields: [education], capacity_per_year: 60,
   capacity_unit: places, sites: [kita-sonnenschein]}
transitions:
- {id: willkommensbesuch-kita, source: willkommensbesuch, target: kita, kind: warm_handoff,
   owner: familienbuero, agreements: [kooperation], handover: [Kontaktdaten mit Einwilligung],
   language_mediation: true,
   cooperation: [{level: 3, on: 2025-06-01, by: Netzwerkkoordination}]}
agreements:
- {id: kooperation, name: Kooperationsvertrag Familienbüro – Kita, kind: cooperation_contract,
   parties: [familienbuero, awo], signed: 2024-01-15, valid_from: 2024-02-01,
   valid_until: 2027-01-31}
referral_flows:
- {transition: willkommensbesuch-kita, period_start: 2025-01-01, period_end: 2025-12-31,
   referred: 30, arrived: 26}
measures:
- {id: vertrag-verlaengern, title: Kooperationsvertrag verlängern, responsible: familienbuero,
   due: 2026-12-31, status: open, meeting: steuerungsgruppe-2026-03}
meetings:
- id: steuerungsgruppe-2026-03
  body: Steuerungsgruppe Musterviertel
  area: musterviertel
  date: 2026-03-10
  attending: [familienbuero, awo]
  roles: [Jugendamt]
  agenda:
  - {kind: agreement, title: Kooperationsvertrag läuft aus, ref: kooperation,
     quarter: musterviertel}
  decisions:
  - {text: Der Kooperationsvertrag wird um zwei Jahre verlängert.}
"""
