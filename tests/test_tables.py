"""Excel workbook and CSV folder: round trips, the import report, --partial, fuzzing."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from graph.backends.sqlite import SqliteRepository
from graph.formats.csvfolder import read_folder, write_folder
from graph.formats.tables import SHEETS, from_tables, to_tables
from graph.formats.workbook import (
    read_workbook,
    template_network,
    workbook_bytes,
    write_template,
    write_workbook,
)
from seeds import list_seeds, load_seed
from tests.test_cli import lotse


@pytest.mark.parametrize("name", [s.name for s in list_seeds()])
def test_workbook_and_csv_round_trips_change_nothing(tmp_path, name):
    net = load_seed(name)
    write_workbook(net, tmp_path / "k.xlsx")
    assert read_workbook(tmp_path / "k.xlsx").network == net
    write_folder(net, tmp_path / "csv")
    assert read_folder(tmp_path / "csv").network == net


def test_template_has_example_rows_and_dropdowns(tmp_path):
    path = tmp_path / "vorlage.xlsx"
    write_template(path)
    wb = load_workbook(path)
    # the help sheet first (issue 27.7), then the hidden lists, then one sheet per kind
    assert [ws.title for ws in wb.worksheets][:2] == ["Hilfe", "Listen"]
    assert [ws.title for ws in wb.worksheets][2:] == [s.name for s in SHEETS]
    providers = wb["Träger"]
    assert [c.value for c in providers[1]][:4] == ["Kennung", "Name", "Art", "Ankerstandort"]
    assert providers["C2"].value == "öffentlich"
    formulas = [dv.formula1 for dv in providers.data_validations.dataValidation]
    assert any(f.startswith("Listen!") for f in formulas)
    assert wb["Angebote"]["E1"].comment is not None  # allowed life stages named
    services = wb["Angebote"].data_validations.dataValidation
    stage_lists = [dv for dv in services if "E2" in str(dv.sqref)]
    assert stage_lists and not stage_lists[0].showErrorMessage  # pick one, or write several
    assert read_workbook(path).network == template_network()


def tables() -> dict[str, list[dict[str, Any]]]:
    return copy.deepcopy(to_tables(template_network()))


def report_of(tmp_path: Path, data: dict[str, list[dict[str, Any]]], partial: bool = False):
    path = tmp_path / "k.xlsx"
    path.write_bytes(workbook_bytes(data))
    return read_workbook(path, partial=partial)


def test_import_report_names_sheet_row_column_and_suggests(tmp_path):
    data = tables()
    data["Angebote"][1]["Träger"] = "AWO Kita Sonnenschain"
    data["Vereinbarungen"][0]["gültig bis"] = "31.02.2027"
    data["Träger"][0]["Art"] = "Behörde"
    data["Übergänge"][0]["personenabhängig"] = "vielleicht"
    report = report_of(tmp_path, data)
    assert report.network is None
    messages = [str(p) for p in report.problems]
    assert ("Blatt 'Angebote', Zeile 3, Spalte 'Träger': Träger 'AWO Kita Sonnenschain' ist "
            "unbekannt. Meinten Sie 'awo' (AWO Kita Sonnenschein)?") in messages
    assert any(m.startswith("Blatt 'Vereinbarungen', Zeile 2, Spalte 'gültig bis': Datum "
                            "'31.02.2027'") for m in messages)
    assert any(m.startswith("Blatt 'Träger', Zeile 2, Spalte 'Art': 'Behörde' ist nicht "
                            "erlaubt; möglich sind: öffentlich") for m in messages)
    assert any("Spalte 'personenabhängig': 'vielleicht' ist kein Ja/Nein-Wert" in m
               for m in messages)


def test_names_may_stand_for_ids(tmp_path):
    data = tables()
    data["Angebote"][1]["Träger"] = "AWO Kita Sonnenschein"
    data["Vereinbarungen"][0]["Partner"] = "Familienbüro Mitte; AWO Kita Sonnenschein"
    report = report_of(tmp_path, data)
    assert report.network == template_network()


def test_partial_import_lists_exactly_what_was_skipped(tmp_path):
    data = tables()
    data["Träger"][1]["Art"] = "unbekannt"  # the AWO row breaks …
    report = report_of(tmp_path, data, partial=True)
    assert report.network is not None
    skipped = {(p.sheet, p.row) for p in report.skipped}
    # … and with it the Kita (its provider), the transition to it and its flow
    assert skipped == {("Träger", 3), ("Angebote", 3), ("Übergänge", 2), ("Vermittlungen", 2),
                       ("Vereinbarungen", 2)}
    assert [s.id for s in report.network.services] == ["willkommensbesuch"]


def test_rejected_import_leaves_the_store_unchanged(tmp_path):
    assert lotse("load", "unna", cwd=tmp_path).returncode == 0
    before = (tmp_path / "lotse-speicher.sqlite").read_bytes()
    data = tables()
    data["Angebote"][0]["Lebensphasen"] = "baby"
    (tmp_path / "k.xlsx").write_bytes(workbook_bytes(data))
    result = lotse("import", "k.xlsx", cwd=tmp_path)
    assert result.returncode == 1
    assert "Blatt 'Angebote', Zeile 2, Spalte 'Lebensphasen': Lebensphase 'baby'" in result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "lotse-speicher.sqlite").read_bytes() == before
    partial = lotse("import", "k.xlsx", "--partial", cwd=tmp_path)
    assert partial.returncode == 0 and "ausgelassen" in partial.stderr
    assert SqliteRepository(tmp_path / "lotse-speicher.sqlite").load().name == \
        template_network().name


def test_cli_template_import_export(tmp_path):
    assert lotse("template", "vorlage.xlsx", cwd=tmp_path).returncode == 0
    assert lotse("import", "vorlage.xlsx", cwd=tmp_path).returncode == 0
    assert lotse("export", "kette.xlsx", cwd=tmp_path).returncode == 0
    assert lotse("export", "kette-csv", cwd=tmp_path).returncode == 0
    assert (tmp_path / "kette-csv" / "Angebote.csv").exists()
    assert lotse("import", "kette-csv", "--store", "b.json", cwd=tmp_path).returncode == 0
    broken = tmp_path / "kaputt.xlsx"
    broken.write_text("kein Excel", encoding="utf-8")
    result = lotse("import", "kaputt.xlsx", cwd=tmp_path)
    assert result.returncode == 1 and "Keine lesbare Excel-Datei" in result.stderr


def test_csv_written_by_excel_with_commas_and_latin1(tmp_path):
    folder = tmp_path / "csv"
    write_folder(template_network(), folder)
    for path in folder.glob("*.csv"):
        text = path.read_text(encoding="utf-8-sig")
        if "Sozialdaten" in path.name:
            continue  # its headers contain commas; keep semicolons there
        path.write_bytes(text.replace(";", ",").encode("cp1252", errors="replace"))
    report = read_folder(folder)
    assert report.problems == [] or all("Zeile" in str(p) for p in report.problems)


CELL = st.one_of(
    st.none(), st.text(max_size=20), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
    st.booleans(), st.dates(min_value=dt.date(1, 1, 1)), st.just("31.12.2026"),
    st.just("2026-13-45"), st.just("ja"), st.just("öffentlich"), st.just("; ;"),
    st.text(alphabet="äöüß€😀\u202e\x00", max_size=5))


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_fuzzed_tables_never_crash(data):
    base = tables()
    for sheet in list(base):
        for row in base[sheet]:
            for header in list(row):
                if data.draw(st.booleans()):
                    row[header] = data.draw(CELL)
        if data.draw(st.booleans()):
            base[sheet].append({data.draw(st.text(max_size=8)): data.draw(CELL)})
        if data.draw(st.integers(0, 9)) == 0:
            base[sheet] = []
    if data.draw(st.booleans()):
        base.pop(data.draw(st.sampled_from(sorted(base))))
    for partial in (False, True):
        report = from_tables(base, partial=partial)
        assert report.network is not None or report.problems
        for problem in report.problems:
            assert problem.sheet and problem.message


def test_merged_cells_and_text_dates_from_a_real_workbook(tmp_path):
    path = tmp_path / "k.xlsx"
    path.write_bytes(workbook_bytes(tables()))
    wb = load_workbook(path)
    ws = wb["Angebote"]
    ws["L2"] = "01.02.2025"  # a date typed as text
    ws.merge_cells("N2:O2")  # merged contact role and description
    wb.save(path)
    report = read_workbook(path)
    assert report.network is not None, [str(p) for p in report.problems]
    service = report.network.services[0]
    assert service.valid_from == dt.date(2025, 2, 1)


@pytest.mark.parametrize("value", [float("inf"), float("nan"), "unendlich", 1e400])
def test_infinite_numbers_are_reported_not_crashed(value):
    """Found by the fuzzer in CI: an infinite float in a number column crashed the import."""
    data = tables()
    data["Angebote"][0]["Kapazität pro Jahr"] = value
    report = from_tables(data)
    assert not report.ok
    assert any(p.column == "Kapazität pro Jahr" for p in report.problems)


def _model_fields() -> dict[str, list[str]]:
    """Every field a network entry can carry, per section, nested parts as ``part.field``
    (the issue-17 fields among them: cooperation, data protection, lessons, roles)."""
    from graph import model
    from graph.contact import Contact, ProviderContact
    from graph.cooperation import CooperationAssessment, DataProtection
    from graph.site import Site

    nested = {"data_protection": DataProtection, "contact": Contact}
    sections = {"municipalities": model.Municipality, "districts": model.District,
                "quarters": model.Quarter, "providers": model.Provider, "sites": Site,
                "services": model.Service, "transitions": model.Transition,
                "agreements": model.Agreement, "referral_flows": model.ReferralFlow,
                "measures": model.Measure, "cooperation": CooperationAssessment,
                "social_data": model.SocialData}
    fields: dict[str, list[str]] = {}
    for section, cls in sections.items():
        for name in cls.model_fields:
            part = ProviderContact if (section, name) == ("providers", "contact") else (
                nested.get(name))
            fields.setdefault(section, []).extend(
                [f"{name}.{sub}" for sub in part.model_fields] if part else [name])
    return fields


# fields with a sheet of their own, or not in the table form on purpose
_ELSEWHERE = {("quarters", "social_data"), ("transitions", "cooperation"),
              ("social_data", "children_by_stage"), ("transitions", "name")}


def test_every_model_field_has_a_column_and_is_documented():
    """The Excel workbook and docs/format.md cover every field, so a workbook round trip
    loses nothing someone entered (the data-protection note was missing)."""
    columns = {s.section: {c.field for c in s.columns} for s in SHEETS}
    doc = (Path(__file__).parents[1] / "docs" / "format.md").read_text("utf-8")
    no_column = [f"{section}.{name}" for section, names in _model_fields().items()
                 for name in names
                 if (section, name) not in _ELSEWHERE and name not in columns[section]]
    assert no_column == []
    def documented(name: str) -> bool:  # as `name` in a table, or `{name: …}` in a row
        return f"`{name}`" in doc or f"{{{name}:" in doc or f", {name}:" in doc

    undocumented = [f"{section}.{name}" for section, names in _model_fields().items()
                    for name in names if not all(documented(n) for n in name.split("."))]
    assert undocumented == []
    transition = "selm-kita-grundschule"
    net = load_seed("kreis-unna")
    t = net.transition_index[transition]
    noted = t.model_copy(update={"data_protection": t.data_protection.model_copy(
        update={"note": "Übergabebogen nur mit Einwilligung der Eltern"})})
    net = net.with_sections(transitions=[noted if x is t else x for x in net.transitions])
    data = to_tables(net)
    assert from_tables(data).network == net


def test_a_broken_sitzung_row_is_left_out_of_a_partial_import():
    """A Sitzung (or Maßnahme) row the network refuses is skipped like any other row
    (found by the fuzz test: the import ended with neither a network nor a problem)."""
    from graph.meeting import Meeting

    net = load_seed("brunnenstrasse").with_sections(meetings=[Meeting(
        id="sg-1", body="Steuerungsgruppe", area="brunnenstrasse", date="2027-01-14",
        attending=["awo-do"])])  # attending providers are soft references
    rows = to_tables(net)
    meeting_sheet = next(name for name in rows if name == "Sitzungen")
    for row in rows[meeting_sheet]:
        row["Gremium"] = ""  # a Sitzung needs its body
    whole = from_tables(rows)
    assert whole.network is None and whole.problems
    partial = from_tables(rows, partial=True)
    assert partial.network is not None, partial.problems
    assert partial.network.meetings == [] and partial.skipped
    assert partial.network.services == net.services
