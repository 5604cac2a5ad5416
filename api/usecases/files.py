"""Read any file a person or a program brings: a network document (YAML/JSON), an Excel
workbook, a folder or zip of CSV tables, or an Open Referral HSDS directory (document,
page or CSV package). The only place in ``api`` that calls the file readers
(``read_workbook``, ``read_folder``, ``read_hsds``, ``document.load/loads/parse``) –
the command line, the Werkstatt's upload and the JSON routes all come here, and which
reader reads a file is decided by its content (:func:`graph.formats.detect.import_kind`),
never by the door it came through.

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> text = 'format: lotsensystem-netzwerk\\nschema_version: 1\\nname: Meine Kette\\n'
>>> incoming = read_upload("kette.yaml", text.encode(), folder)
>>> incoming.kind, incoming.network.name, incoming.notes
('document', 'Meine Kette', [])
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from graph.errors import FormatError, LotsenError, NotFoundError
from graph.formats import document
from graph.formats.detect import ImportKind, import_kind
from graph.network import ALL_SECTIONS, Network
from seeds import list_seeds, load_seed

__all__ = ["MAX_ENTRIES", "MAX_ROWS", "MAX_UNPACKED", "FileProblems", "Incoming",
           "PartialTablesOnly", "load_document", "read_body", "read_entry", "read_file",
           "read_source", "read_upload", "save_document"]

MAX_UNPACKED = 60 * 1024 * 1024
"""Bytes an uploaded zip or workbook may unpack to."""
MAX_ROWS = 300_000
"""CSV lines an uploaded zip may hold, all files together."""
MAX_ENTRIES = 200
"""Members an uploaded zip or workbook may have."""


@dataclass
class Incoming:
    """What a file holds, ready to preview or take over."""

    network: Network
    kind: ImportKind
    source: str
    notes: list[str] = field(default_factory=list)  # what was not taken over, and why
    skipped: list[str] = field(default_factory=list)  # rows left out (``partial``)
    # tables exported with their version column: journal key -> version, and where each
    # keyed row stands ("Blatt 'Angebote', Zeile 3") – a merge refuses rows changed since
    versions: dict[str, int] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)
    # HSDS: the fields it does not carry, which a merge keeps from the store
    keep: Mapping[str, Sequence[str]] | None = None


class FileProblems(LotsenError):
    """A table file with problems in its rows: nothing is taken over; ``problems`` names
    sheet, row and column of each."""

    status = 422

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        n = len(problems)
        super().__init__(f"{source}: {n} {'Problem' if n == 1 else 'Probleme'}, nichts wurde "
                         "gespeichert. Bitte korrigieren oder nur die fehlerfreien Zeilen "
                         "übernehmen.")
        self.problems = list(problems)


class PartialTablesOnly(LotsenError):
    """Only the rows without errors were asked for, of a file that has no rows."""


MAX_NETWORK_ENTRIES = 100_000
"""Entries (services, transitions, …, all sections together) an uploaded network may
have: a city of 60 quarters has some 20,000."""


def unreadable(exc: BaseException) -> str | None:
    """The German reason a reader stopped with ``exc`` (a broken, hostile or huge file),
    or None for an error that is not the file's fault.

    >>> unreadable(RecursionError())
    'Die Datei ist zu tief verschachtelt; so sieht keine Kette aus.'
    >>> unreadable(ValueError("x")) is None
    True
    """
    if isinstance(exc, RecursionError):
        return "Die Datei ist zu tief verschachtelt; so sieht keine Kette aus."
    if isinstance(exc, MemoryError):
        return ("Die Datei ist zu groß, um sie zu lesen (der Arbeitsspeicher reicht nicht). "
                "Bitte eine kleinere Datei hochladen, z. B. einzelne Quartiere.")
    if isinstance(exc, zipfile.BadZipFile | zlib.error | EOFError):
        detail = str(exc)
        if "CRC" in detail:
            return ("Das ZIP-Archiv ist beschädigt: die Prüfsumme einer Datei darin stimmt "
                    "nicht. Bitte das Archiv neu packen.")
        return ("Das ZIP-Archiv bzw. die Excel-Datei ist beschädigt und lässt sich nicht "
                "entpacken. Bitte neu packen bzw. in Excel neu speichern.")
    if isinstance(exc, RuntimeError) and ("encrypted" in str(exc) or "password" in str(exc)):
        return ("Eine Datei im ZIP-Archiv ist verschlüsselt (mit Passwort). Bitte ohne "
                "Passwort packen.")
    if isinstance(exc, NotImplementedError) and "compression" in str(exc):
        return ("Das ZIP-Archiv ist mit einem Verfahren gepackt, das sich hier nicht "
                "entpacken lässt. Bitte als gewöhnliches ZIP (Deflate) packen.")
    if isinstance(exc, csv.Error):
        return f"Eine CSV-Datei lässt sich nicht lesen ({exc})."
    return None


def read_file(path: Path, partial: bool = False, name: str | None = None) -> Incoming:
    """The network in the file or folder ``path``; with ``partial`` (tables only) the
    rows without errors, the others in ``skipped``. ``name``: what messages call the
    file (an upload's own name rather than the temporary copy's). A file that breaks a
    reader (too deep, encrypted, damaged …) is a :class:`FormatError` naming it."""
    source = name or str(path)
    try:
        return _read_file(path, partial, name)
    except FormatError as exc:
        if name is not None and exc.source != name:  # the temporary copy's path
            raise FormatError(exc.detail, name, exc.line) from None
        raise
    except (RecursionError, MemoryError, zipfile.BadZipFile, zlib.error, EOFError,
            RuntimeError, NotImplementedError, csv.Error) as exc:
        reason = unreadable(exc)
        if reason is None:
            raise
        raise FormatError(reason, source) from None


def _read_file(path: Path, partial: bool, name: str | None) -> Incoming:
    kind = import_kind(path)
    source = name or str(path)
    if partial and kind in ("document", "hsds"):
        raise PartialTablesOnly("Nur die fehlerfreien Zeilen zu übernehmen geht nur bei "
                                "Excel- und CSV-Tabellen; eine Netzwerk- oder HSDS-Datei "
                                "wird ganz oder gar nicht übernommen. Nichts wurde "
                                "gespeichert.")
    if kind == "document":
        return Incoming(_document(path, name), kind, source)
    if kind == "hsds":
        from graph.formats.hsds import NOT_CARRIED, read_hsds

        result = read_hsds(path)
        return Incoming(result.network, kind, source, notes=list(result.notes),
                        keep=NOT_CARRIED)
    from graph.formats.csvfolder import read_folder
    from graph.formats.workbook import read_workbook

    report = read_folder(path, partial) if path.is_dir() else read_workbook(path, partial)
    if report.network is None:
        raise FileProblems(source, [str(p) for p in report.problems])
    return Incoming(report.network, kind, source, skipped=[str(p) for p in report.skipped],
                    versions=dict(report.versions), places=dict(report.places))


def _document(path: Path, name: str | None) -> Network:
    if name is None:
        return document.load(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(f"Die Datei ist nicht UTF-8-kodiert (Byte {exc.start}). Bitte als "
                          "UTF-8 speichern.", name) from None
    return document.loads(text, source=name)


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def read_upload(name: str, content: bytes, folder: Path) -> Incoming:
    """The network in an uploaded file (``name`` as the person's computer called it),
    unpacked in ``folder`` (the caller's temporary folder). A zip is a folder of CSV
    tables (ours or an HSDS package), checked for its unpacked size first; everything
    else is read as :func:`read_file` reads it."""
    incoming = _named(name, content, folder)
    entries = sum(len(getattr(incoming.network, s)) for s in ALL_SECTIONS)
    if entries > MAX_NETWORK_ENTRIES:
        raise FormatError(f"Die Datei enthält {entries:_} Einträge, höchstens "
                          f"{MAX_NETWORK_ENTRIES:_} sind möglich; so groß ist keine Kette. "
                          "Bitte in Teilen (z. B. je Quartier) zusammenführen."
                          .replace("_", "."), name)
    return incoming


def _named(name: str, content: bytes, folder: Path) -> Incoming:
    """:func:`_read_upload`, every problem naming the file as the person called it."""
    try:
        return _read_upload(name, content, folder)
    except FormatError as exc:
        if exc.source != name:  # the temporary copy's path
            raise FormatError(exc.detail, name, exc.line) from None
        raise
    except (RecursionError, MemoryError, zipfile.BadZipFile, zlib.error, EOFError,
            RuntimeError, NotImplementedError, csv.Error) as exc:
        reason = unreadable(exc)
        if reason is None:
            raise
        raise FormatError(reason, name) from None


def _read_upload(name: str, content: bytes, folder: Path) -> Incoming:
    base = _SAFE_NAME.sub("-", Path(name).name).strip(".-") or "upload"
    if content.startswith(b"PK"):
        with _archive(content, name) as archive:
            if not _is_workbook(archive):
                return _csv_zip(archive, name, folder)
        if not base.lower().endswith(".xlsx"):
            base += ".xlsx"
    elif not base.lower().endswith((".json", ".yaml", ".yml")):
        raise FormatError("Diese Dateiart lässt sich nicht lesen: bitte eine Excel-Datei "
                          "(.xlsx), CSV-Dateien als ZIP, eine HSDS-Datei (.json) oder eine "
                          "Netzwerk-Datei (.yaml, .json) hochladen.", name)
    path = folder / base
    path.write_bytes(content)
    return read_file(path, name=name)


def _archive(content: bytes, name: str) -> zipfile.ZipFile:
    """A zip (or xlsx) that unpacks to a sane size: a few kilobytes must not become
    gigabytes."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise FormatError("Das ist kein lesbares ZIP-Archiv bzw. keine Excel-Datei.",
                          name) from None
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES or sum(i.file_size for i in entries) > MAX_UNPACKED:
        archive.close()
        raise FormatError(f"Die Datei entpackt sich zu mehr als "
                          f"{MAX_UNPACKED // (1024 * 1024)} MB oder {MAX_ENTRIES} Teilen; so "
                          "groß ist keine Kette. Bitte die Datei prüfen.", name)
    return archive


def _is_workbook(archive: zipfile.ZipFile) -> bool:
    return "[Content_Types].xml" in archive.namelist()


def _csv_zip(archive: zipfile.ZipFile, name: str, folder: Path) -> Incoming:
    target = folder / "csv"
    target.mkdir()
    rows = 0
    left = MAX_UNPACKED  # the sizes the archive states may lie: count what it unpacks
    for info in archive.infolist():
        base = Path(info.filename).name  # never outside the folder
        if base.lower().endswith(".csv") and not info.is_dir():
            data = _unpacked(archive, info, left, name)
            left -= len(data)
            rows += max(data.count(b"\n"), data.count(b"\r"))
            if rows > MAX_ROWS:
                raise FormatError(f"Die CSV-Dateien haben zusammen mehr als {MAX_ROWS} "
                                  "Zeilen; so groß ist keine Kette.", name)
            (target / base).write_bytes(data)
    if not any(target.iterdir()):
        raise FormatError("Das ZIP-Archiv enthält keine CSV-Dateien.", name)
    return read_file(target, name=name)


def _unpacked(archive: zipfile.ZipFile, info: zipfile.ZipInfo, left: int, name: str
              ) -> bytes:
    """One member of ``archive``, read in pieces: more than ``left`` bytes are refused
    however small the archive says the member is."""
    parts: list[bytes] = []
    seen = 0
    with archive.open(info) as member:
        while piece := member.read(1024 * 1024):
            seen += len(piece)
            if seen > left:
                raise FormatError(f"Die Datei entpackt sich zu mehr als "
                                  f"{MAX_UNPACKED // (1024 * 1024)} MB; so groß ist keine "
                                  "Kette. Bitte die Datei prüfen.", name)
            parts.append(piece)
    return b"".join(parts)


def read_body(data: Any, source: str = "Anfrage") -> Network:
    """A network document sent as JSON (the body of ``PUT /api/v1/network``)."""
    try:
        return document.parse(data, source=source)
    except (RecursionError, MemoryError) as exc:
        raise FormatError(unreadable(exc) or "", source) from None


def read_source(source: str, quarters: Sequence[str] | None = None) -> Network:
    """A seed by name or a network document by path, optionally cut down to some
    quarters (``lotse load``)."""
    path = Path(source)
    seed_names = [s.name for s in list_seeds()]
    if source in seed_names:
        net = load_seed(source)
    elif path.exists() or path.suffix.lower() in (".yaml", ".yml", ".json"):
        net = document.load(path)
    else:
        raise NotFoundError("Datei oder Beispielnetz", source, seed_names)
    if quarters:
        net = net.restricted_to([net.find_quarter(q).id for q in quarters])
    return net


MAX_ENTRY_BYTES = 2 * 1024 * 1024
"""How large the file of one entry may be."""


def read_entry(section: str, text: str, source: str = "Eingabe") -> BaseModel:
    """One entry of ``section`` from YAML or JSON text (``lotse entry put``), checked
    like a row of a network document: every problem names its field."""
    import yaml
    from pydantic import ValidationError

    from graph.errors import InvalidNetworkError
    from graph.formats.pydantic_problems import problems_from_validation_error
    from graph.network import ALL_SECTIONS, KIND_NAMES

    if len(text.encode("utf-8")) > MAX_ENTRY_BYTES:
        raise FormatError(f"Ein einzelner Eintrag ist höchstens "
                          f"{MAX_ENTRY_BYTES // (1024 * 1024)} MB groß.", source)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise FormatError(f"YAML-Syntaxfehler: {exc}", source) from None
    except RecursionError:
        raise FormatError("Die Datei ist zu tief verschachtelt.", source) from None
    if not isinstance(data, dict):
        raise FormatError("Erwartet wird ein Eintrag mit Feldern (Feld: Wert), z. B. "
                          "'id: kita-nord' und 'name: Kita Nord'.", source)
    try:
        return ALL_SECTIONS[section].model_validate(data)
    except ValidationError as exc:
        raise InvalidNetworkError(problems_from_validation_error(
            exc, KIND_NAMES[section], str(data.get("id") or data.get("key") or ""))) from None


def load_document(path: Path) -> Network:
    """A network document (a file ``lotse validate`` checks, a kept import preview)."""
    return document.load(path)


def save_document(network: Network, path: Path) -> None:
    """Write ``network`` as a network document (atomic)."""
    document.save(network, path)
