"""Master data in the Werkstatt (issue 27.4): Kommune, Stadtbezirk, Quartier and the
Sozialdaten of a quarter per year in forms, on a real SQLite store; the language fields
(Sprachmittlung, Sprachbrücke) in the forms; every multi-value field as check boxes."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph.backends.sqlite import SqliteRepository
from seeds import load_seed
from tests.werkstatt import csrf, form_of, log_in, werkstatt


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[SqliteRepository]:
    store = SqliteRepository(tmp_path / "speicher.sqlite")
    store.replace(load_seed("dortmund"), "test")
    yield store
    store.close()


def _client(repo: Any, tmp_path: Path, who: str = "koordination") -> TestClient:
    client = werkstatt(repo, tmp_path)
    assert log_in(client, who).status_code == 303
    return client


def _post(client: TestClient, url: str, data: dict[str, Any]) -> Any:
    page = client.get(url)
    assert page.status_code == 200, page.text
    version = re.search(r'name="version" value="(\d+)"', page.text)
    return client.post(url, data={"csrf": csrf(page.text),
                                  "version": version.group(1) if version else "0", **data})


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_kommune_quartier_and_sozialdaten_in_forms_bring_a_capacity_gap(
        repo: SqliteRepository, tmp_path: Path) -> None:
    client = _client(repo, tmp_path)
    overview = client.get("/").text
    assert 'href="/bearbeiten/kommunen/neu">Kommune anlegen' in overview
    assert 'href="/bearbeiten/quartiere/neu">Quartier anlegen' in overview
    assert 'href="/bearbeiten/stadtbezirke/neu">Stadtbezirk anlegen' in overview

    done = _post(client, "/bearbeiten/kommunen/neu", {
        "name": "Stadt Selm", "county": "Kreis Unna", "state": "Nordrhein-Westfalen"})
    assert done.status_code == 303, done.text
    selm = next(m for m in repo.load().municipalities if m.id == "stadt-selm")
    assert (selm.county, selm.state) == ("Kreis Unna", "Nordrhein-Westfalen")
    assert "Kreis Unna" in client.get("/").text  # a new Kreis with its first Kommune

    done = _post(client, "/bearbeiten/quartiere/neu", {
        "name": "Selm-Mitte", "municipality": "stadt-selm"})
    assert done.status_code == 303, done.text
    assert done.headers["location"] == "/quartiere/selm-mitte"
    quarter = client.get("/quartiere/selm-mitte").text
    assert 'href="/bearbeiten/quartiere/selm-mitte/sozialdaten">Sozialdaten bearbeiten' \
        in quarter

    # a Kita with 20 places for the Kita-Alter: no figures yet, so no gap is judged
    provider = repo.load().providers[0].id
    done = _post(client, "/bearbeiten/angebote/neu?quartier=selm-mitte", {
        "name": "Kita Selm-Mitte", "provider": provider, "quarters": ["selm-mitte"],
        "life_stages": ["preschool"], "fields": ["education"], "status": "active",
        "languages": ["de"], "capacity_per_year": "20", "capacity_unit": "places"})
    assert done.status_code == 303, done.text
    assert repo.load().service_index["kita-selm-mitte"].capacity_unit == "places"
    assert 'data-code="CAPACITY_GAP"' not in client.get("/quartiere/selm-mitte").text

    url = "/bearbeiten/quartiere/selm-mitte/sozialdaten"
    form = client.get(url).text
    assert "Kinder: Kita-Alter" in form and "Hauptsprachen im Quartier" in form
    assert " multiple" not in form  # the languages as check boxes
    done = _post(client, url, {"year": "2025", "inhabitants": "4.200",
                               "births_per_year": "40", "kinder_preschool": "200",
                               "sgb2_share": "38 %", "main_languages": ["de", "tr"]})
    assert done.status_code == 303, done.text
    assert done.headers["location"] == "/quartiere/selm-mitte"
    q = repo.load().quarter_index["selm-mitte"]
    sd = q.social_data_for(2025)
    assert sd is not None
    assert (sd.inhabitants, sd.children_by_stage, sd.sgb2_share, sd.main_languages) == (
        4200, {"preschool": 200}, 0.38, ["de", "tr"])
    page = client.get("/quartiere/selm-mitte").text
    assert 'data-code="CAPACITY_GAP"' in page and "Zu wenig Plätze für den Bedarf" in page
    # the year is listed and can be changed, the shares shown in percent
    listing = client.get(url).text
    assert "2025" in listing and "Kinder: Kita-Alter" in listing
    again = client.get(url + "?jahr=2025").text
    assert 'value="38"' in again and 'name="jahr_vorher" value="2025"' in again


def test_errors_name_the_field_in_german(repo: SqliteRepository, tmp_path: Path) -> None:
    client = _client(repo, tmp_path)
    bad = _post(client, "/bearbeiten/stadtbezirke/neu", {"name": "", "municipality": ""})
    assert bad.status_code == 422
    text = _text(bad.text)
    assert "Name: Pflichtfeld" in text and "Kommune:" in text
    q = repo.load().quarters[0].id
    url = f"/bearbeiten/quartiere/{q}/sozialdaten"
    before = repo.load().quarter_index[q]
    bad = _post(client, url, {"year": "20x5", "births_per_year": "viele",
                              "migrant_share": "140"})
    assert bad.status_code == 422
    text = _text(bad.text)
    assert "Jahr: " in text and "ist keine ganze Zahl" in text
    assert "Geburten im Jahr: " in text
    assert "Anteil mit Einwanderungsgeschichte (in Prozent): Ein Anteil liegt zwischen 0 " \
           "und 100 %" in text
    assert 'value="viele"' in bad.text  # what was typed stays in the form
    assert repo.load().quarter_index[q] == before


def test_quarter_needs_a_place_in_the_hierarchy(repo: SqliteRepository,
                                                tmp_path: Path) -> None:
    client = _client(repo, tmp_path)
    bad = _post(client, "/bearbeiten/quartiere/neu", {"name": "Irgendwo"})
    assert bad.status_code == 422
    assert "Irgendwo" not in {q.name for q in repo.load().quarters}
    assert "Stadtbezirk" in _text(bad.text)


def test_editing_a_quarter_keeps_its_social_data(repo: SqliteRepository,
                                                 tmp_path: Path) -> None:
    client = _client(repo, tmp_path)
    q = next(q for q in repo.load().quarters if q.social_data)
    url = f"/bearbeiten/quartiere/{q.id}"
    form = form_of(client.get(url).text)
    form["name"] = q.name + " (neu)"
    done = client.post(url, data=form)
    assert done.status_code == 303, done.text
    after = repo.load().quarter_index[q.id]
    assert after.name == q.name + " (neu)" and after.social_data == q.social_data


def test_language_fields_are_in_the_forms_and_saved(repo: SqliteRepository,
                                                    tmp_path: Path) -> None:
    client = _client(repo, tmp_path)
    net = repo.load()
    t = net.transitions[0]
    url = f"/bearbeiten/uebergaenge/{t.id}"
    page = client.get(url).text
    assert "Mit Sprachmittlung bei der Übergabe" in page
    form = form_of(page)
    form["language_mediation"] = "1"
    assert client.post(url, data=form).status_code == 303
    assert repo.load().transition_index[t.id].language_mediation is True
    s = net.services[0]
    url = f"/bearbeiten/angebote/{s.id}"
    page = client.get(url).text
    assert "Sprachbrücke" in page
    form = form_of(page)
    form["language_bridge"] = "1"
    assert client.post(url, data=form).status_code == 303
    assert repo.load().service_index[s.id].language_bridge is True


def test_every_multi_value_field_is_a_list_of_check_boxes(repo: SqliteRepository,
                                                          tmp_path: Path) -> None:
    client = _client(repo, tmp_path)
    net = repo.load()
    for url in ("/bearbeiten/angebote/neu", "/bearbeiten/uebergaenge/neu",
                "/bearbeiten/vereinbarungen/neu", f"/bearbeiten/angebote/{net.services[0].id}",
                f"/bearbeiten/quartiere/{net.quarters[0].id}/sozialdaten"):
        page = client.get(url).text
        assert " multiple" not in page and "Strg" not in page, url
    page = client.get(f"/bearbeiten/angebote/{net.services[0].id}").text
    boxes = re.findall(r'<input type="checkbox" name="quarters" value="([^"]+)"( checked)?',
                       page)
    assert len(boxes) == len(net.quarters)
    assert boxes[0] == (net.services[0].quarters[0], " checked")  # the chosen ones first


def test_editors_and_readers_get_no_master_data_controls(repo: SqliteRepository,
                                                         tmp_path: Path) -> None:
    client = _client(repo, tmp_path, "nord")
    assert "Kommune anlegen" not in client.get("/").text
    assert "Sozialdaten bearbeiten" not in client.get("/quartiere/brunnenstrasse").text
    url = "/bearbeiten/quartiere/brunnenstrasse/sozialdaten"
    page = client.get(url)
    assert page.status_code == 200 and "Nur lesen" in page.text
    forged = client.post(url, data={"csrf": csrf(page.text), "version": "0",
                                    "year": "2030", "births_per_year": "1"})
    assert forged.status_code == 403
    assert all(sd.year != 2030 for sd in repo.load().quarter_index["brunnenstrasse"].social_data)
