"""The table shape as a folder of CSV files: one file per sheet (``Angebote.csv`` …).

Semicolon-separated, UTF-8 with byte-order mark (Excel opens it with umlauts intact);
reading also accepts commas and files without the mark. A text a spreadsheet would run
(``=…``, ``+``, ``-``, ``@``) gets a leading ``'``, taken off again when read
(:mod:`graph.formats.cells`).

>>> import tempfile, pathlib
>>> from seeds import load_seed
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "kette"
>>> write_folder(load_seed("brunnenstrasse"), folder)
>>> sorted(p.name for p in folder.iterdir())[:3]
['Angebote.csv', 'Beschlüsse.csv', 'Kommunen.csv']
>>> read_folder(folder).network == load_seed("brunnenstrasse")
True
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph.atomic import atomic_write_bytes
from graph.budget import check as budget_check
from graph.errors import FormatError
from graph.formats.cells import neutralise, restore
from graph.formats.tables import SHEETS, ImportReport, Rows, columns_of, from_tables, to_tables
from graph.network import Network

__all__ = ["read_folder", "write_folder", "write_tables"]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def _cell(value: Any) -> str:
    """The cell's text; a text a spreadsheet would run (``=…``) with a leading ``'``."""
    return neutralise(value) if isinstance(value, str) else _text(value)


def write_folder(net: Network, folder: str | Path,
                 version: Callable[[str, str], int] | None = None) -> None:
    """One CSV file per sheet into ``folder`` (each written atomically); with ``version``
    (a store's journal) every row carries its version for a later merge."""
    write_tables(to_tables(net, version), folder)


def write_tables(tables: Rows, folder: str | Path) -> None:
    """The rows of :func:`graph.formats.tables.to_tables` as one CSV file per sheet."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    for sheet in SHEETS:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        columns = columns_of(sheet, tables.get(sheet.name, []))
        writer.writerow([c.header for c in columns])
        for row in tables.get(sheet.name, []):
            writer.writerow([_cell(row.get(c.header)) for c in columns])
        atomic_write_bytes(target / f"{sheet.name}.csv", buffer.getvalue().encode("utf-8-sig"))


def read_folder(folder: str | Path, partial: bool = False) -> ImportReport:
    """Import a folder of CSV files written like :func:`write_folder` (or by Excel)."""
    source = Path(folder)
    if not source.is_dir():
        raise FormatError("Der Ordner mit den CSV-Dateien fehlt.", str(source))
    tables: Rows = {}
    for path in sorted(source.glob("*.csv")):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")  # Excel on Windows without UTF-8
        first = text.splitlines()[0] if text else ""
        delimiter = ";" if ";" in first else ("\t" if "\t" in first else
                                              ("," if "," in first else ";"))
        # newline="": line ends of every kind (CR alone too), and line breaks in quotes
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            rows = []
            for row in reader:
                rows.append(row)
                if not reader.line_num % 1000:
                    budget_check()
        except csv.Error as exc:
            reason = (f"ein Feld ist länger als {csv.field_size_limit():_} Zeichen"
                      .replace("_", ".") if "field limit" in str(exc) else str(exc))
            raise FormatError(f"Die CSV-Datei {path.name} lässt sich nicht lesen: {reason}.",
                              str(path), reader.line_num) from None
        if not rows:
            tables[path.stem] = []
            continue
        headers = [h.strip() for h in rows[0]]
        tables[path.stem] = [{h: restore(v) for h, v in zip(headers, values, strict=False)
                              if h} for values in rows[1:]]
    if not tables:
        raise FormatError("Im Ordner liegen keine CSV-Dateien (z. B. Angebote.csv).",
                          str(source))
    return from_tables(tables, source=str(source), partial=partial)
