"""German input everywhere: names instead of codes, German numbers, NFC, id suggestions –
in Excel, CSV, YAML and the JSON API (issue 15, item 3)."""

from __future__ import annotations

import copy
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from api.web.access import TokenFile, new_token
from api.web.app import create_app
from api.web.settings import ApiSettings
from graph.backends.memory import MemoryRepository
from graph.errors import InvalidNetworkError
from graph.formats.csvfolder import read_folder, write_folder
from graph.formats.document import loads
from graph.formats.tables import from_tables, to_tables
from graph.formats.workbook import read_workbook, template_network, workbook_bytes, write_template
from graph.german_numbers import parse_number
from graph.vocabulary import ENUM_LABELS, LANGUAGE_NAMES, code_for, language_for
from seeds import load_seed
from tests.test_cli import lotse


def tables() -> dict[str, list[dict[str, Any]]]:
    return copy.deepcopy(to_tables(template_network()))


def messages(report: Any) -> list[str]:
    return [str(p) for p in report.problems]


def test_german_names_in_a_workbook_are_read_as_codes(tmp_path: Path) -> None:
    data = tables()
    kita = data["Angebote"][1]
    kita.update({"Lebensphasen": "Säuglingsalter; Kleinkindalter (1–3 Jahre, U3); 3-6 J.",
                 "Handlungsfelder": "Teilhabe; BILDUNG", "Sprachen": "Deutsch; Türkisch; AR",
                 "Zugang": "Kostenlos; aufsuchend", "Status": "AKTIV",
                 "Einheit der Kapazität": "plätze gleichzeitig"})
    data["Träger"][0]["Art"] = "Öffentlich"
    data["Übergänge"][0]["Art"] = "Warme Übergabe"
    data["Vereinbarungen"][0]["Art"] = "cooperation_contract"
    path = tmp_path / "k.xlsx"
    path.write_bytes(workbook_bytes(data))
    report = read_workbook(path)
    assert report.network is not None, messages(report)
    service = report.network.service_index["kita"]
    assert service.life_stages == ["infant", "toddler", "preschool"]
    assert service.fields == ["participation", "education"]
    assert service.languages == ["de", "tr", "ar"]
    assert [a.value for a in service.access] == ["free", "outreach"]
    assert service.capacity_unit is not None and service.capacity_unit.value == "places"


def test_german_numbers_in_tables() -> None:
    data = tables()
    social = data["Sozialdaten"][0]
    social.update({"Einwohner": "4.017", "Geburten im Jahr": "1 200", "Anteil SGB II": "40 %",
                   "Anteil Einwanderungsgeschichte": "0,65"})
    data["Angebote"][0]["Kapazität pro Jahr"] = "2.000"
    report = from_tables(data)
    assert report.network is not None, messages(report)
    sd = report.network.quarters[0].social_data[0]
    assert (sd.inhabitants, sd.births_per_year, sd.sgb2_share, sd.migrant_share) == (
        4017, 1200, 0.4, 0.65)
    assert report.network.services[0].capacity_per_year == 2000


@pytest.mark.parametrize(("column", "value", "expected"), [
    ("Einwohner", "2,000", "'2,000' ist mehrdeutig"),
    ("Anteil SGB II", "1.200", "'1.200' ist mehrdeutig"),
    ("Einwohner", "1,200.5", "englischer Schreibweise"),
    ("Einwohner", "2,5", "'2,5' ist keine ganze Zahl"),
])
def test_ambiguous_numbers_are_refused_with_the_cell(column: str, value: str,
                                                     expected: str) -> None:
    data = tables()
    data["Sozialdaten"][0][column] = value
    report = from_tables(data)
    assert report.network is None
    assert any(m.startswith(f"Blatt 'Sozialdaten', Zeile 2, Spalte '{column}': ")
               and expected in m for m in messages(report)), messages(report)


def test_decimals_where_they_make_sense() -> None:
    data = tables()
    data["Sozialdaten"][0]["Anteil SGB II"] = "0,5"
    data["Sozialdaten"][0]["Anteil Einwanderungsgeschichte"] = "0.400"
    report = from_tables(data)
    assert report.network is not None, messages(report)
    sd = report.network.quarters[0].social_data[0]
    assert (sd.sgb2_share, sd.migrant_share) == (0.5, 0.4)


@pytest.mark.parametrize("enum_name", sorted(ENUM_LABELS))
def test_every_enumeration_says_meinten_sie(enum_name: str) -> None:
    label = next(iter(ENUM_LABELS[enum_name].values()))
    typo = label[:-1] + ("x" if not label.endswith("x") else "y")
    with pytest.raises(ValueError, match=f"Meinten Sie '{label}'"):
        code_for(enum_name, typo)


def test_unknown_values_get_german_suggestions_in_tables() -> None:
    data = tables()
    data["Angebote"][0]["Lebensphasen"] = "Säuglingsalte"
    data["Angebote"][0]["Handlungsfelder"] = "Teilhab"
    data["Angebote"][0]["Sprachen"] = "Türkish"
    data["Träger"][0]["Art"] = "öffentlch"
    found = messages(from_tables(data))
    assert any("Spalte 'Lebensphasen': Lebensphase 'Säuglingsalte' ist unbekannt. Meinten Sie "
               "'Säuglingsalter'?" in m for m in found), found
    assert any("Spalte 'Handlungsfelder': Handlungsfeld 'Teilhab' ist unbekannt. Meinten Sie "
               "'Teilhabe'?" in m for m in found), found
    assert any("Spalte 'Sprachen'" in m and "Meinten Sie 'Türkisch'?" in m for m in found), found
    assert any("Spalte 'Art': 'öffentlch' ist nicht erlaubt; möglich sind: öffentlich" in m
               and "Meinten Sie 'öffentlich'?" in m for m in found), found


def test_umlaut_id_gets_a_transliterated_suggestion() -> None:
    data = tables()
    data["Quartiere"][0]["Kennung"] = "grüne-aue"
    found = messages(from_tables(data))
    assert any(m.startswith("Blatt 'Quartiere', Zeile 2, Spalte 'Kennung': Kennung 'grüne-aue' "
                            "ist ungültig") and m.endswith("Vorschlag: gruene-aue")
               for m in found), found


def test_duplicate_id_and_another_error_report_their_own_rows() -> None:
    data = tables()
    copy_row = dict(data["Angebote"][0])
    data["Angebote"][0]["Träger"] = "gibt-es-nicht"   # row 2: a wrong provider
    copy_row["Zugang"] = "umsonst"                     # row 4: the duplicate, also broken
    data["Angebote"].append(copy_row)
    found = messages(from_tables(data))
    assert "Blatt 'Angebote', Zeile 2, Spalte 'Träger': Träger 'gibt-es-nicht' ist unbekannt." \
        in found
    assert ("Blatt 'Angebote', Zeile 4, Spalte 'Kennung': Die Kennung 'willkommensbesuch' ist "
            "doppelt vergeben (schon in Blatt 'Angebote', Zeile 2); Kennungen müssen im ganzen "
            "Netzwerk eindeutig sein.") in found
    assert any(m.startswith("Blatt 'Angebote', Zeile 4, Spalte 'Zugang': 'umsonst'")
               for m in found)
    assert not any("Zeile 4, Spalte 'Träger'" in m for m in found)
    partial = from_tables(data, partial=True)
    assert partial.network is not None
    assert ("Angebote", 4) in {(p.sheet, p.row) for p in partial.skipped}


def test_a_row_with_a_bad_id_still_reports_its_other_problems() -> None:
    """All problems at once: the row with 'müttercafé' also says its life stage and field
    are unknown (they came only after the id was fixed before), and a duplicate row its
    unknown field."""
    data = tables()
    bad = dict(data["Angebote"][0])
    bad.update({"Kennung": "müttercafé", "Lebensphasen": "Säuglingsalte",
                "Handlungsfelder": "Bildng", "Zugang": "umsonst"})
    twin = dict(data["Angebote"][0])
    twin["Handlungsfelder"] = "Teilhab"
    data["Angebote"] += [bad, twin]
    found = messages(from_tables(data))
    row = len(data["Angebote"])  # the bad row, then the duplicate
    assert any(m.startswith(f"Blatt 'Angebote', Zeile {row}, Spalte 'Kennung': Kennung "
                            "'müttercafé' ist ungültig") for m in found), found
    assert f"Blatt 'Angebote', Zeile {row}, Spalte 'Lebensphasen': Lebensphase " \
           "'Säuglingsalte' ist unbekannt. Meinten Sie 'Säuglingsalter'?" in found, found
    assert any(m.startswith(f"Blatt 'Angebote', Zeile {row}, Spalte 'Handlungsfelder': "
                            "Handlungsfeld 'Bildng' ist unbekannt. Meinten Sie 'Bildung'?")
               for m in found), found
    assert any(m.startswith(f"Blatt 'Angebote', Zeile {row}, Spalte 'Zugang'") for m in found)
    assert any(m.startswith(f"Blatt 'Angebote', Zeile {row + 1}, Spalte 'Handlungsfelder': "
                            "Handlungsfeld 'Teilhab' ist unbekannt") for m in found), found


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_csv_folder_with_decomposed_names_from_macos_loads(tmp_path: Path) -> None:
    net = load_seed("brunnenstrasse")
    plain, decomposed = tmp_path / "kette", tmp_path / "mac"
    write_folder(net, plain)
    decomposed.mkdir()
    for path in plain.iterdir():
        (decomposed / nfd(path.name)).write_bytes(nfd(path.read_text("utf-8-sig"))
                                                   .encode("utf-8-sig"))
    assert any(p.name != unicodedata.normalize("NFC", p.name) for p in decomposed.iterdir())
    report = read_folder(decomposed)
    assert report.problems == [] and report.network == net


def test_yaml_document_with_german_names() -> None:
    text = """\
name: Deutsch geschrieben
municipalities: [{id: do, name: Dortmund}]
districts: [{id: nord, name: Nord, municipality: do}]
quarters:
- id: q
  name: Quartier
  district: nord
  social_data: [{year: 2025, inhabitants: 2.000, children_by_stage: {Säuglingsalter: 40}}]
providers: [{id: awo, name: AWO, kind: freie Wohlfahrtspflege, anchor: Kita}]
services:
- {id: s, name: Babylotsen, provider: awo, quarters: [q], life_stages: [Geburt],
   fields: [Gesundheit, Teilhabe], languages: [Deutsch, Türkisch], access: [aufsuchend],
   status: geplant, valid_from: 01.01.2026}
- {id: t, name: Kita, provider: awo, quarters: [q], life_stages: [Kita-Alter], fields: [Bildung]}
transitions: [{id: s-t, source: s, target: t, kind: Warme Übergabe}]
agreements: [{id: a, name: Vertrag, kind: § 3 KKG, parties: [awo]}]
"""
    net = loads(text)
    service = net.service_index["s"]
    assert (service.life_stages, service.fields, service.languages) == (
        ["birth"], ["health", "participation"], ["de", "tr"])
    assert net.quarters[0].social_data[0].inhabitants == 2000
    assert net.quarters[0].social_data[0].children_by_stage == {"infant": 40}
    assert net.providers[0].kind.value == "free_welfare"
    assert net.transitions[0].kind.value == "warm_handoff"
    assert net.agreements[0].kind.value == "kkg_3"
    with pytest.raises(InvalidNetworkError, match="Meinten Sie 'Gesundheit'"):
        loads(text.replace("fields: [Gesundheit, Teilhabe]", "fields: [Gesundheid]"))


def test_template_drop_downs_show_german_names(tmp_path: Path) -> None:
    path = tmp_path / "vorlage.xlsx"
    write_template(path)
    lists = load_workbook(path)["Listen"]
    columns = {col[0].value: [c.value for c in col[1:] if c.value] for col in
               lists.iter_cols()}
    assert "Säuglingsalter (0–1 Jahr)" in columns["Lebensphasen"]
    assert "Teilhabe" in columns["Handlungsfelder"]
    assert "freie Wohlfahrtspflege" in columns["ProviderKind"]
    assert not any("_" in v for values in columns.values() for v in values)
    note = load_workbook(path)["Angebote"]["H1"].comment
    assert note is not None and "Deutsch; Türkisch" in note.text


def test_template_example_rows_are_written_in_german(tmp_path: Path) -> None:
    """The example a coordinator copies shows names, not codes ('infant', 'youth_welfare',
    'de; tr' before), and reads back as the example network."""
    path = tmp_path / "vorlage.xlsx"
    write_template(path)
    wb = load_workbook(path)
    ws = wb["Angebote"]
    headers = [c.value for c in ws[1]]
    row = dict(zip(headers, [c.value for c in ws[2]], strict=True))
    assert row["Lebensphasen"] == "Säuglingsalter (0–1 Jahr)"
    assert row["Handlungsfelder"] == "Kinder- und Jugendhilfe"
    assert row["Sprachen"] == "Deutsch; Türkisch"
    kita = dict(zip(headers, [c.value for c in ws[3]], strict=True))
    assert kita["Lebensphasen"] == "Kleinkindalter (1–3 Jahre, U3); Kita-Alter (3–6 Jahre)"
    report = read_workbook(path)
    assert report.problems == [] and report.network == template_network()
    folder = lotse("template", "vorlage", cwd=tmp_path)
    assert folder.returncode == 0, folder.stderr
    text = (tmp_path / "vorlage" / "Angebote.csv").read_text("utf-8-sig")
    assert "Säuglingsalter (0–1 Jahr)" in text and "Deutsch; Türkisch" in text
    assert ";infant;" not in text
    report = read_folder(tmp_path / "vorlage")
    assert report.problems == [] and report.network == template_network()


def test_export_of_existing_files_keeps_its_codes(tmp_path: Path) -> None:
    """Cells keep what they held (round trips and diffs of exports stay stable)."""
    write_folder(load_seed("brunnenstrasse"), tmp_path / "k")
    text = (tmp_path / "k" / "Angebote.csv").read_text("utf-8-sig")
    assert "infant" in text and ";de" not in text.split("\n")[0]


def test_json_api_accepts_german_names(tmp_path: Path) -> None:
    token, entry = new_token("koordination", "coordinator")
    TokenFile(tokens=[entry]).write(tmp_path / "tokens.yaml")
    repo = MemoryRepository()
    repo.replace(load_seed("brunnenstrasse"), "test")
    app = create_app(ApiSettings(store="unbenutzt.json", tokens_file=tmp_path / "tokens.yaml"),
                     repo=repo)
    body = {"id": "lesepaten", "name": "Lesepaten", "provider": "awo-do",
            "quarters": ["brunnenstrasse"], "life_stages": ["Grundschulalter"],
            "fields": ["Bildung"], "languages": ["Deutsch", "Arabisch"],
            "access": ["kostenlos"], "status": "aktiv", "capacity_per_year": "1.000"}
    with TestClient(app, raise_server_exceptions=False) as client:
        auth = {"Authorization": f"Bearer {token}"}
        r = client.post("/api/v1/services", json=body, headers=auth)
        assert r.status_code == 201, r.text
        data = r.json()["data"]
        assert (data["life_stages"], data["fields"], data["languages"], data["access"],
                data["capacity_per_year"]) == (["primary_school"], ["education"],
                                               ["de", "ar"], ["free"], 1000)
        r = client.post("/api/v1/services", json={**body, "id": "x", "access": ["umsonst"]},
                        headers=auth)
        assert r.status_code == 422 and "möglich sind: kostenlos (free)" in r.text
    stored = repo.load().service_index["lesepaten"]
    assert stored.life_stages == ["primary_school"]


def test_language_names_have_one_source() -> None:
    from lotsen.texts import LANGUAGE_NAMES as analysis_names

    assert analysis_names is LANGUAGE_NAMES


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.,% -'e\u00a0+", max_size=14) | st.text(max_size=10),
       st.booleans())
def test_number_parser_refuses_with_a_message_never_crashes(text: str, integer: bool) -> None:
    try:
        value = parse_number(text, integer)
    except ValueError as exc:
        assert str(exc)
    else:
        assert isinstance(value, int if integer else float)


@given(st.integers(0, 10**9))
def test_german_thousands_are_read_as_written(n: int) -> None:
    written = f"{n:,}".replace(",", ".")
    assert parse_number(written, integer=True) == n
    assert parse_number(f"{n:,}.5".replace(",", "#").replace(".", ",").replace("#", "."),
                        ) == n + 0.5


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30), st.sampled_from(sorted(ENUM_LABELS)))
def test_vocabulary_refuses_with_a_message_never_crashes(text: str, enum_name: str) -> None:
    for resolve in (lambda t: code_for(enum_name, t), language_for):
        try:
            resolve(text)
        except ValueError as exc:
            assert "nicht erlaubt" in str(exc) or "Sprache" in str(exc)
