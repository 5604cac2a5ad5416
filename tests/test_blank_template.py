"""The blank German template of the Werkstatt (issue 27.7): downloaded on the Import/Export
page, filled in with German names (openpyxl, as a coordinator would in Excel) and imported
again through the preview, on a real SQLite store."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from graph.backends.sqlite import SqliteRepository
from graph.formats.tables import SHEETS
from seeds import load_seed
from tests.werkstatt import csrf, log_in, werkstatt

URL = "/austausch/vorlage-praeventionskette.xlsx"


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[SqliteRepository]:
    store = SqliteRepository(tmp_path / "speicher.sqlite")
    store.replace(load_seed("brunnenstrasse"), "test")
    yield store
    store.close()


def _client(repo: Any, tmp_path: Path, who: str = "koordination") -> TestClient:
    client = werkstatt(repo, tmp_path)
    assert log_in(client, who).status_code == 303
    return client


def _row(ws: Any, n: int = 2) -> dict[str, Any]:
    headers = [c.value for c in ws[1]]
    return dict(zip(headers, [c.value for c in ws[n]], strict=False))


def _set(ws: Any, n: int, values: dict[str, Any]) -> None:
    headers = [c.value for c in ws[1]]
    for header, value in values.items():
        ws.cell(n, headers.index(header) + 1, value)


def test_the_exchange_page_offers_the_blank_template(repo: SqliteRepository,
                                                     tmp_path: Path) -> None:
    client = _client(repo, tmp_path, "lesen")
    page = client.get("/austausch").text
    assert f'href="{URL}"' in page and "Leere Vorlage herunterladen" in page
    assert "lotse " not in re.sub(r"<[^>]+>", " ", page).replace("lotsensystem", "")
    r = client.get(URL)
    assert r.status_code == 200
    assert "spreadsheetml" in r.headers["content-type"]
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames[0] == "Hilfe" and wb.active.title == "Hilfe"
    for sheet in SHEETS:  # one example row on every sheet
        ws = wb[sheet.name]
        assert ws.max_row >= 2 and any(c.value is not None for c in ws[2]), sheet.name
    services = _row(wb["Angebote"])
    assert services["Lebensphasen"] == "Säuglingsalter (0–1 Jahr)"
    assert services["Sprachen"] == "Deutsch; Türkisch"
    assert services["Quartiere"] == "Musterviertel" and services["Träger"] == "Familienbüro Mitte"
    assert _row(wb["Sozialdaten"])["Hauptsprachen"] == "Deutsch; Türkisch; Arabisch"
    assert _row(wb["Vereinbarungen"])["Partner"] == "Familienbüro Mitte; AWO Kita Sonnenschein"
    codes = {"pregnancy", "birth", "infant", "youth_welfare", "de", "tr", "free_welfare"}
    for sheet in SHEETS:
        for cell in wb[sheet.name][2]:
            if isinstance(cell.value, str):
                assert not set(re.split(r";\s*", cell.value)) & codes, (sheet.name, cell.value)
    # the help sheet explains every column of every sheet
    help_rows = [r for r in wb["Hilfe"].iter_rows(values_only=True) if r[0]]
    explained = {r[0] for r in help_rows if r[1]}
    for sheet in SHEETS:
        assert f"Blatt „{sheet.name}“" in explained
        for column in sheet.columns:
            assert column.header in explained, (sheet.name, column.header)


def test_filled_template_with_german_names_is_imported(repo: SqliteRepository,
                                                       tmp_path: Path) -> None:
    client = _client(repo, tmp_path)
    wb = load_workbook(io.BytesIO(client.get(URL).content))
    _set(wb["Netzwerk"], 2, {"Name": "Frühe Hilfen Selm", "Beschreibung": None})
    _set(wb["Kommunen"], 2, {"Kennung": "selm", "Name": "Stadt Selm", "Kreis": "Kreis Unna",
                             "Land": "Nordrhein-Westfalen"})
    _set(wb["Stadtbezirke"], 2, {"Kennung": "selm-bezirk", "Name": "Selm",
                                 "Kommune": "Stadt Selm"})
    _set(wb["Quartiere"], 2, {"Kennung": "selm-mitte", "Name": "Selm-Mitte",
                              "Stadtbezirk": "Selm"})
    _set(wb["Sozialdaten"], 2, {"Quartier": "Selm-Mitte", "Jahr": 2025,
                                "Hauptsprachen": "Deutsch; Türkisch; Polnisch",
                                "Anteil SGB II": "25 %"})
    for sheet in ("Standorte", "Sitzungen", "Tagesordnung"):
        headers = [c.value for c in wb[sheet][1]]
        if "Quartier" in headers:
            _set(wb[sheet], 2, {"Quartier": "selm-mitte"})
        if "Gebiet" in headers:
            _set(wb[sheet], 2, {"Gebiet": "selm-mitte"})
    services = wb["Angebote"]
    _set(services, 2, {"Quartiere": "Selm-Mitte"})
    _set(services, 3, {"Quartiere": "Selm-Mitte"})
    _set(services, 4, {"Kennung": "hebamme", "Name": "Familienhebamme Selm",
                       "Träger": "Familienbüro Mitte", "Quartiere": "Selm-Mitte",
                       "Lebensphasen": "Schwangerschaft; Geburt und erste Wochen",
                       "Handlungsfelder": "Gesundheit", "Sprachen": "Deutsch; Türkisch",
                       "Zugang": "kostenlos; aufsuchend", "Status": "aktiv",
                       "Sprachbrücke": "ja"})
    _set(wb["Vereinbarungen"], 2, {"Partner": "Familienbüro Mitte; AWO Kita Sonnenschein"})
    out = io.BytesIO()
    wb.save(out)

    page = client.get("/austausch").text
    r = client.post("/austausch/vorschau", data={"csrf": csrf(page), "art": "ersetzen"},
                    files={"datei": ("vorlage.xlsx", io.BytesIO(out.getvalue()))})
    assert r.status_code == 200, re.sub(r"<[^>]+>", " ", r.text)[-3000:]
    assert "Vorschau" in r.text
    assert "brunnenstrasse" in repo.load().quarter_index  # a preview writes nothing
    form = r.text[r.text.index('action="/austausch/uebernehmen"'):]
    token = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">',
                            form[:form.index("</form>")]))
    done = client.post("/austausch/uebernehmen", data=token)
    assert done.status_code == 303
    net = repo.load()
    assert net.name == "Frühe Hilfen Selm"
    assert [q.id for q in net.quarters] == ["selm-mitte"]
    assert net.municipalities[0].county == "Kreis Unna"
    sd = net.quarter_index["selm-mitte"].social_data[0]
    assert sd.main_languages == ["de", "tr", "pl"] and sd.sgb2_share == 0.25
    hebamme = net.service_index["hebamme"]
    assert hebamme.life_stages == ["pregnancy", "birth"]
    assert hebamme.fields == ["health"] and hebamme.languages == ["de", "tr"]
    assert hebamme.provider == "familienbuero" and hebamme.language_bridge
    assert [a.value for a in hebamme.access] == ["free", "outreach"]
    assert net.agreements[0].parties == ["familienbuero", "awo"]
    assert net.transitions[0].language_mediation
    assert "Selm-Mitte" in client.get("/").text


def test_committee_workbook_in_plain_german_for_the_network_and_one_quarter(
        repo: SqliteRepository, tmp_path: Path) -> None:
    repo.replace(load_seed("dortmund"), "test")
    client = _client(repo, tmp_path, "lesen")
    assert 'href="/austausch/gremium.xlsx"' in client.get("/austausch").text
    assert 'href="/austausch/gremium.xlsx?quartier=hoerde"' in \
        client.get("/quartiere/hoerde").text
    net = repo.load()
    whole = load_workbook(io.BytesIO(client.get("/austausch/gremium.xlsx").content))
    assert whole.sheetnames == ["Überblick", "Träger", "Vereinbarungen", "Verantwortung"]
    agreements = [_row(whole["Vereinbarungen"], n)
                  for n in range(2, whole["Vereinbarungen"].max_row + 1)]
    assert len(agreements) == len(net.agreements)
    assert all(re.match(r"(gilt|abgelaufen am|noch nicht in Kraft)", a["Stand"])
               for a in agreements)
    ids = {e.id for section in ("providers", "services", "agreements") for e in
           getattr(net, section)} - {e.name for e in net.providers}
    codes = {"cooperation_contract", "kkg_3", "free_welfare", "warm_handoff", "referral"}
    for ws in whole.worksheets:
        for row in ws.iter_rows(min_row=2, values_only=True):
            for value in row:
                if isinstance(value, str):
                    assert value not in ids | codes, (ws.title, value)
    r = client.get("/austausch/gremium.xlsx?quartier=hoerde")
    assert r.status_code == 200 and "gremium-hoerde.xlsx" in r.headers["content-disposition"]
    alone = load_workbook(io.BytesIO(r.content))
    assert "Quartier Hörde" in str(alone["Überblick"]["A2"].value)
    owners = [_row(alone["Verantwortung"], n)
              for n in range(2, alone["Verantwortung"].max_row + 1)]
    assert owners and {o["Quartier"] for o in owners} == {"Hörde"}
    assert len(owners) < len(net.transitions)
    names = {_row(alone["Träger"], n)["Träger"] for n in range(2, alone["Träger"].max_row + 1)}
    assert names and names < {p.name for p in net.providers}
    assert client.get("/austausch/gremium.xlsx?quartier=nirgendwo").status_code == 404
