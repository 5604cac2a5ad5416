"""Real users have files: every older format version loads unchanged (issue 26 added
schema version 3 – Sitzungen and the ``meeting`` of measures and acceptances). The files
under tests/data were written by lotse before version 3 existed."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import yaml

from graph.backends.sqlite import SqliteRepository
from graph.formats import document
from graph.formats.tables import from_tables, to_tables
from graph.journal import Edit
from graph.meeting import AgendaItem, Decision, Meeting
from seeds import load_seed

DATA = Path(__file__).parent / "data"


def test_a_document_of_schema_version_2_loads_unchanged():
    text = (DATA / "netzwerk-schema-2.yaml").read_text(encoding="utf-8")
    old = yaml.safe_load(text)
    assert old["schema_version"] == 2 and old["measures"] and old["accepted_findings"]
    net = document.loads(text)
    assert net.meetings == [] and net.measures[0].meeting is None
    again = document.to_data(net)
    assert again.pop("schema_version") == 3
    old.pop("schema_version")
    assert json.loads(json.dumps(again, default=str)) == json.loads(json.dumps(old, default=str))


def test_a_sqlite_store_of_schema_version_2_loads_and_goes_on(tmp_path):
    shutil.copy(DATA / "speicher-schema-2.sqlite", tmp_path / "speicher.sqlite")
    with SqliteRepository(tmp_path / "speicher.sqlite") as repo:
        net = repo.load()
        assert net == document.load(DATA / "netzwerk-schema-2.yaml")
        assert [e.seq for e in repo.journal().entries] == [1, 2, 3]
        meeting = Meeting(id="sg-1", body="Steuerungsgruppe Nord", area="brunnenstrasse",
                          date=dt.date(2026, 12, 9))
        repo.apply(Edit("meetings", meeting.id, meeting, "koordination", create=True))
    with SqliteRepository(tmp_path / "speicher.sqlite") as repo:
        assert repo.load().meetings == [meeting]


def _with_meeting():
    net = load_seed("brunnenstrasse")
    m = Meeting(id="sg-nord-2026-12", body="Steuerungsgruppe Nord", area="brunnenstrasse",
                date=dt.date(2026, 12, 9), attending=["awo-do"], roles=["Jugendamt"],
                agenda=[AgendaItem(kind="finding", title="Kita → Grundschule",
                                   ref="AGREEMENT_EXPIRED/kita-bornstrasse-grundschule",
                                   quarter="brunnenstrasse", note="Vertrag verlängern"),
                        AgendaItem(title="Verschiedenes")],
                decisions=[Decision(text="Die nächste Sitzung ist im März.")])
    measure = net.measures[0].model_copy(update={"meeting": m.id}) if net.measures else None
    return net.with_sections(meetings=[m], **({"measures": [measure]} if measure else {}))


def test_meetings_round_trip_through_the_document_and_the_tables():
    net = _with_meeting()
    assert document.loads(document.dumps(net)) == net
    tables = to_tables(net)
    assert {"Sitzungen", "Tagesordnung", "Beschlüsse"} <= set(tables)
    assert tables["Tagesordnung"][0]["Art"] == "Befund"
    assert from_tables(tables).network == net


def test_a_workbook_without_the_meeting_sheets_still_loads():
    tables = to_tables(load_seed("brunnenstrasse"))
    for name in ("Sitzungen", "Tagesordnung", "Beschlüsse"):
        tables.pop(name)
    assert from_tables(tables).network == load_seed("brunnenstrasse")


def test_an_agenda_row_of_an_unknown_meeting_names_sheet_and_row():
    tables = to_tables(_with_meeting())
    tables["Tagesordnung"][1]["Sitzung"] = "sg-gibtsnicht"
    report = from_tables(tables)
    assert report.network is None
    assert any(p.sheet == "Tagesordnung" and p.row == 3 and "sg-gibtsnicht" in p.message
               for p in report.problems), report.problems
