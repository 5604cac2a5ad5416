"""Which importer reads a file: decided by its content, not by its name.

``lotse import`` and the Werkstatt's upload share :func:`import_kind`, so that an
official HSDS example named ``service_full.json`` is read as HSDS (and never gets
"Keine lesbare Excel-Datei"), and a workbook without the ``.xlsx`` ending still opens.

>>> import json, pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "angebote.json").write_text(json.dumps({"id": "x", "name": "Beratung",
...                                                       "status": "active"}))
>>> import_kind(folder / "angebote.json")
'hsds'
>>> _ = (folder / "kette.json").write_text('{"format": "lotsensystem-netzwerk", "name": "N"}')
>>> import_kind(folder / "kette.json")
'document'
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

__all__ = ["ImportKind", "import_kind", "json_kind"]

ImportKind = Literal["hsds", "document", "workbook", "tables"]
_OURS = ("format", "schema_version", "municipalities", "districts", "quarters", "providers",
         "transitions", "agreements", "referral_flows")
_HSDS_TABLES = ("services.csv", "organizations.csv")


def json_kind(data: Any) -> ImportKind:
    """``document`` for a lotsensystem network document, else ``hsds``."""
    if isinstance(data, dict) and any(k in data for k in _OURS):
        return "document"
    return "hsds"


def import_kind(path: Path) -> ImportKind:
    """How to read ``path``: ``hsds`` (JSON or CSV package), ``document`` (our YAML/JSON),
    ``workbook`` (Excel) or ``tables`` (our folder of CSV files)."""
    if path.is_dir():
        if any((path / name).exists() for name in _HSDS_TABLES):
            return "hsds"
        return "tables"
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "document"
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
    except OSError:  # the reader names the problem (missing file …)
        return "hsds" if suffix == ".json" else "workbook"
    if head.startswith(b"PK"):
        return "workbook"
    if suffix == ".json" or head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            return "hsds" if suffix == ".json" else "document"
        return json_kind(data)
    return "workbook"
