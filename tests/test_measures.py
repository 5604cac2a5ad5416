"""Maßnahmen (issue 13): a measure entity in the network, its state, overdue as a finding,
and ``lotse measures``."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.errors import InvalidNetworkError
from graph.formats import document
from graph.model import Measure
from lotsen.check import check
from lotsen.measures import measure_states
from seeds import load_seed
from tests.test_cli import lotse

AS_OF = dt.date(2026, 11, 22)
KEY = "AGREEMENT_EXPIRED/kita-bornstrasse-grundschule"


def measure(**fields) -> Measure:
    values = {"id": "m1", "title": "Übergabeprotokoll erneuern", "findings": [KEY],
              "responsible": "tek-bornstrasse", "due": "2027-03-31"}
    values.update(fields)
    return Measure(**values)


def test_measures_round_trip_through_the_document():
    net = load_seed("brunnenstrasse").with_sections(measures=[measure(note="mit Schule")])
    assert document.loads(document.dumps(net)) == net


def test_responsible_must_be_a_known_provider():
    with pytest.raises(InvalidNetworkError, match="Feld 'responsible'"):
        load_seed("brunnenstrasse").with_sections(measures=[measure(responsible="tek-bornstrase")])


def test_finding_gone_shows_resolved():
    net = load_seed("brunnenstrasse")
    found = check(net, AS_OF)
    (state,) = measure_states(net.with_sections(measures=[measure()]), found, AS_OF)
    assert not state.resolved and state.open_findings == (KEY,)
    gone = [f for f in found if f.stable_key != KEY]
    (state,) = measure_states(net.with_sections(measures=[measure()]), gone, AS_OF)
    assert state.resolved and state.status_label == "offen"


def test_an_overdue_measure_is_a_finding():
    net = load_seed("brunnenstrasse")
    late = net.with_sections(measures=[measure(due="2026-10-31")])
    (f,) = [f for f in check(late, AS_OF) if f.code == "MEASURE_OVERDUE"]
    assert f.ids == ("m1",) and "31.10.2026" in f.message and f.quarters == ("brunnenstrasse",)
    done = net.with_sections(measures=[measure(due="2026-10-31", status="done")])
    assert "MEASURE_OVERDUE" not in {f.code for f in check(done, AS_OF)}
    on_time = net.with_sections(measures=[measure()])
    assert "MEASURE_OVERDUE" not in {f.code for f in check(on_time, AS_OF)}


def test_cli_measures_add_list_status(tmp_path):
    assert lotse("load", "brunnenstrasse", cwd=tmp_path).returncode == 0
    added = lotse("measures", "add", "--title", "Übergabeprotokoll erneuern", "--finding", KEY,
                  "--responsible", "TEK Bornstraße 52", "--due", "2027-03-31", "--id", "m1",
                  cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    listed = lotse("measures", "list", "--as-of", "2026-11-22", cwd=tmp_path)
    assert "Übergabeprotokoll erneuern" in listed.stdout and "offen" in listed.stdout
    changed = lotse("measures", "status", "m1", "in Arbeit", cwd=tmp_path)
    assert changed.returncode == 0, changed.stderr
    assert "in Arbeit" in lotse("measures", "list", cwd=tmp_path).stdout
    bad = lotse("measures", "status", "m1", "fertig", cwd=tmp_path)
    assert bad.returncode == 1 and "offen" in bad.stderr and "Traceback" not in bad.stderr
    late = lotse("check", "--as-of", "2027-04-30", "--json", cwd=tmp_path)
    assert "MEASURE_OVERDUE" in late.stdout


def test_measures_round_trip_through_the_workbook(tmp_path):
    from openpyxl import load_workbook

    from graph.formats.workbook import read_workbook, write_workbook

    net = load_seed("brunnenstrasse").with_sections(measures=[measure(status="in_progress")])
    path = tmp_path / "kette.xlsx"
    write_workbook(net, path)
    assert read_workbook(path).network == net
    wb = load_workbook(path)
    assert wb["Maßnahmen"]["F2"].value == "in Arbeit"
    del wb["Maßnahmen"]  # a workbook from before issue 13
    wb.save(path)
    assert read_workbook(path).network == load_seed("brunnenstrasse")
