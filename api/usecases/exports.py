"""Write the network in any export format – the one place that decides which writer a
target needs, for ``lotse export`` and the Werkstatt's downloads alike.

>>> import pathlib, tempfile
>>> from seeds import load_seed
>>> target = pathlib.Path(tempfile.mkdtemp()) / "kette.yaml"
>>> write_export(load_seed("brunnenstrasse"), target).path.name
'kette.yaml'
>>> DOWNLOADS["kette.xlsx"][0]
'Excel-Arbeitsmappe (.xlsx)'
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import LotsenError, NotFoundError
from graph.formats import document
from graph.network import Network

__all__ = ["DOWNLOADS", "TEMPLATE_NAME", "Written", "blank_template", "download",
           "write_export"]

Versions = Callable[[str, str], int]
"""Each entry's version in the store's journal (``journal.version``): Excel and CSV
carry it as a column, so that a later merge refuses rows changed since."""


@dataclass
class Written:
    path: Path
    notes: list[str] = field(default_factory=list)  # what the format could not carry
    events: int | None = None  # a calendar: how many dates it holds


_SUFFIXES = ("Unbekannte Endung '{suffix}': möglich sind .yaml, .json (Netzwerk-Dokument), "
             ".xlsx (Excel), .graphml, .gexf (Gephi, yEd), .ics (Kalender) oder ohne Endung "
             "ein Ordner für CSV-Dateien.")


def write_export(net: Network, target: Path, versions: Versions | None = None,
                 shape: str | None = None) -> Written:
    """Write ``net`` to ``target`` in the format its ending names (``shape`` chooses an
    HSDS form: ``hsds``, ``hsds-seiten``, ``hsds-csv``)."""
    suffix = target.suffix.lower()
    if shape is not None or target.name.lower().endswith(".hsds.json"):
        from graph.formats.hsds import SHAPES, write_hsds

        if (shape or "hsds") not in SHAPES:
            raise LotsenError(f"Unbekanntes Format '{shape}': möglich sind "
                              f"{', '.join(SHAPES)}.")
        return Written(target, notes=write_hsds(net, target, shape or "hsds"))
    if suffix in (".graphml", ".gexf"):
        from graph.formats.graph_export import write_graph

        write_graph(net, target)
    elif suffix == ".ics":
        from graph.formats.calendar import write_ics

        return Written(target, events=write_ics(net, target))
    elif suffix == ".xlsx":
        from graph.formats.workbook import write_workbook

        write_workbook(net, target, versions)
    elif suffix == "":  # a folder of CSV files
        from graph.formats.csvfolder import write_folder

        write_folder(net, target, versions)
    elif suffix in (".yaml", ".yml", ".json"):
        document.save(net, target)
    else:
        raise LotsenError(_SUFFIXES.format(suffix=suffix))
    return Written(target)


DOWNLOADS: dict[str, tuple[str, str]] = {
    "kette.xlsx": ("Excel-Arbeitsmappe (.xlsx)",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "kette-csv.zip": ("CSV-Dateien (ZIP)", "application/zip"),
    "kette.yaml": ("Netzwerk-Datei (YAML, lesbar)", "application/yaml"),
    "kette.json": ("Netzwerk-Datei (JSON)", "application/json"),
    "kette.hsds.json": ("Angebotsverzeichnis (Open Referral HSDS)", "application/json"),
    "kette-hsds-csv.zip": ("Angebotsverzeichnis als HSDS-Tabellenpaket (CSV, ZIP)",
                           "application/zip"),
    "kette.graphml": ("Graph für yEd/Gephi (GraphML)", "application/xml"),
    "kette.gexf": ("Graph für Gephi (GEXF)", "application/xml"),
    "vereinbarungen.ics": ("Fristen der Vereinbarungen (Kalender, .ics)", "text/calendar"),
}
"""The downloads of the Werkstatt: file name -> (label, media type)."""

_ZIPPED = {"kette-csv.zip": ("csv", None), "kette-hsds-csv.zip": ("csv", "hsds-csv")}


def download(net: Network, name: str, versions: Versions | None = None) -> bytes:
    """The bytes of the download ``name`` (one of :data:`DOWNLOADS`); a folder of CSV
    files comes as one zip."""
    if name not in DOWNLOADS:
        raise NotFoundError("Download", name, list(DOWNLOADS))
    if name == "kette.yaml":
        return document.dumps(net, "yaml").encode("utf-8")
    if name == "kette.json":
        return document.dumps(net, "json").encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if name in _ZIPPED:
            sub, shape = _ZIPPED[name]
            write_export(net, folder / sub, versions, shape)
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for csv_file in sorted((folder / sub).glob("*.*")):
                    archive.write(csv_file, csv_file.name)
            return buffer.getvalue()
        return write_export(net, folder / name, versions).path.read_bytes()


TEMPLATE_NAME = "vorlage-praeventionskette.xlsx"
"""The file name of the blank template."""


def blank_template() -> bytes:
    """The blank Excel template: one example row per sheet in German names, drop-downs,
    and the sheet „Hilfe“ explaining every column; filled in, it is imported again."""
    from graph.formats.workbook import template_tables, workbook_bytes

    return workbook_bytes(template_tables(), template=True)
