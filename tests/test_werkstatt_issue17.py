"""The Werkstatt parts of issue 17's rest: the Familienwegweiser download on the quarter
page, the page „Wirkung nach einem Jahr“ and the cooperation assessment in the transition
form (file store; the forms work the same on every store, see test_werkstatt.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.backends.memory import MemoryRepository
from seeds import load_seed
from tests.werkstatt import form_of, log_in, werkstatt


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    store = MemoryRepository(tmp_path / "speicher.json")
    store.replace(load_seed("dortmund"), "test")
    client = werkstatt(store, tmp_path)
    assert log_in(client, "koordination").status_code == 303
    return client


def test_quarter_page_links_the_familienwegweiser_in_three_languages(client: TestClient) -> None:
    page = client.get("/quartiere/brunnenstrasse").text
    assert 'hreflang="de">Familienwegweiser</a>' in page
    for lang in ("de", "tr", "ar"):
        assert f'href="/quartiere/brunnenstrasse/wegweiser?sprache={lang}"' in page
    r = client.get("/quartiere/brunnenstrasse/wegweiser?sprache=ar&stichtag=2026-11-22")
    assert r.status_code == 200 and '<html lang="ar" dir="rtl">' in r.text
    assert "wegweiser-brunnenstrasse-ar.html" in r.headers["content-disposition"]
    bad = client.get("/quartiere/brunnenstrasse/wegweiser?sprache=ru")
    assert bad.status_code == 422 and "vorhanden: de, tr, ar" in bad.text


def test_wirkung_page_compares_the_year_before_and_after(tmp_path: Path) -> None:
    from tests.test_wirkung import KEY, _measure_network

    store = MemoryRepository(tmp_path / "speicher.json")
    store.replace(_measure_network(), "test")
    client = werkstatt(store, tmp_path)
    assert log_in(client, "koordination").status_code == 303
    quarter = client.get("/quartiere/brunnenstrasse").text
    assert 'href="/quartiere/brunnenstrasse/wirkung"' in quarter
    page = client.get("/quartiere/brunnenstrasse/wirkung?stichtag=2026-11-22").text
    assert "Maßnahme „Kooperationsvertrag Willkommensbesuch“, wirksam seit 01.06.2025" in page
    assert "<th scope=\"row\">Vermittelt (Familien)</th><td>40</td><td>132</td>" in page
    assert ("Befund der Maßnahme „Übergang ohne Vereinbarung – Willkommensbesuch → "
            "Dortmunder Kinderstube Brunnenstraße“: vorher da, jetzt behoben.") in page
    assert KEY not in page
    empty = client.get("/quartiere/brunnenstrasse/wirkung?stichtag=2025-01-01").text
    assert "keine Maßnahme mit Fälligkeitsdatum" in empty


T = "willkommensbesuch-kinderstube"  # brunnenstrasse (editor „nord“)


def _hoerde_transition(net: object) -> str:
    """A transition wholly in Hörde (not editable for „nord“)."""
    ids = {s.id for s in net.services_in("hoerde")}  # type: ignore[attr-defined]
    return next(t.id for t in net.transitions  # type: ignore[attr-defined]
                if t.source in ids and t.target in ids)


def test_a_coordinator_adds_a_cooperation_assessment(tmp_path: Path) -> None:
    store = MemoryRepository(tmp_path / "speicher.json")
    store.replace(load_seed("dortmund"), "test")
    client = werkstatt(store, tmp_path)
    assert log_in(client, "nord").status_code == 303
    edit = client.get(f"/bearbeiten/uebergaenge/{T}").text
    assert f'href="/bearbeiten/uebergaenge/{T}/kooperation"' in edit
    page = client.get(f"/bearbeiten/uebergaenge/{T}/kooperation").text
    for label in ("Stufe der Zusammenarbeit", "Eingeschätzt am", "Wer hat eingeschätzt?",
                  "3 – Vernetzt", "noch nicht eingeschätzt", "Was die Stufen bedeuten"):
        assert label in page
    form = form_of(page)
    form.update({"level": "4", "on": "18.06.2026", "by": "Netzwerkkoordination Nord",
                 "note": "Austausch jetzt monatlich"})
    r = client.post(f"/bearbeiten/uebergaenge/{T}/kooperation", data=form)
    assert r.status_code == 303
    saved = store.load().transition_index[T].cooperation
    assert [(a.level, a.on.isoformat(), a.by) for a in saved] == [
        (4, "2026-06-18", "Netzwerkkoordination Nord")]
    after = client.get(r.headers["location"]).text
    assert "Einschätzung gespeichert: Stufe 4 – Verbindlich am 18.06.2026" in after
    assert '<td class="datum">18.06.2026</td><td>4 – Verbindlich</td>' in after
    # a second, lower one: both stay, and the quarter shows the newest
    form = form_of(after)
    form.update({"level": "2", "on": "01.10.2026", "by": "Netzwerkkoordination Nord"})
    r = client.post(f"/bearbeiten/uebergaenge/{T}/kooperation", data=form)
    assert r.status_code == 303
    assert [a.level for a in store.load().transition_index[T].cooperation] == [4, 2]
    assert "Neu: Kooperationsqualität gesunken" in client.get(r.headers["location"]).text
    assert store.journal().entries[-1].actor == "nord"


def test_assessment_errors_are_german_at_the_field_and_nothing_is_written(
        tmp_path: Path) -> None:
    store = MemoryRepository(tmp_path / "speicher.json")
    store.replace(load_seed("dortmund"), "test")
    client = werkstatt(store, tmp_path)
    assert log_in(client, "koordination").status_code == 303
    form = form_of(client.get(f"/bearbeiten/uebergaenge/{T}/kooperation").text)
    before = store.revision()
    form.update({"level": "", "on": "31.02.2026", "by": ""})
    r = client.post(f"/bearbeiten/uebergaenge/{T}/kooperation", data=form)
    assert r.status_code == 422
    assert 'href="#f-level"' in r.text and "Bitte eine Stufe von 1 bis 5 wählen." in r.text
    assert 'id="f-on-fehler"' in r.text and "Den 31.02.2026 gibt es nicht" in r.text
    assert "Bitte die Rolle angeben, die eingeschätzt hat" in r.text
    form.update({"level": "7", "on": "01.01.2099", "by": "Koordination"})
    r = client.post(f"/bearbeiten/uebergaenge/{T}/kooperation", data=form)
    assert r.status_code == 422 and "Die Stufe ist eine Zahl von 1 bis 5." in r.text
    form["level"] = "3"
    r = client.post(f"/bearbeiten/uebergaenge/{T}/kooperation", data=form)
    assert r.status_code == 422 and "liegt in der Zukunft" in r.text
    assert store.revision() == before


def test_editor_of_another_quarter_may_not_assess(tmp_path: Path) -> None:
    store = MemoryRepository(tmp_path / "speicher.json")
    store.replace(load_seed("dortmund"), "test")
    client = werkstatt(store, tmp_path)
    assert log_in(client, "nord").status_code == 303
    other = _hoerde_transition(store.load())
    page = client.get(f"/bearbeiten/uebergaenge/{other}/kooperation").text
    assert "Nur lesen." in page and "Einschätzung speichern" not in page
    form = form_of(client.get(f"/bearbeiten/uebergaenge/{T}/kooperation").text)
    form.update({"level": "3", "on": "01.06.2026", "by": "Koordination"})
    r = client.post(f"/bearbeiten/uebergaenge/{other}/kooperation", data=form)
    assert r.status_code == 403
    assert store.load().transition_index[other].cooperation == []


def test_readme_and_docs_name_the_new_commands_and_pages() -> None:
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "lotse wegweiser" in readme and "lotse wirkung" in readme
    werkstatt_doc = (root / "docs" / "werkstatt.md").read_text(encoding="utf-8")
    for address in ("/wirkung", "/wegweiser?sprache=", "/kooperation"):
        assert address in werkstatt_doc


@pytest.mark.parametrize("path, tables", [
    ("/quartiere/selm-mitte", "#verantwortung ~ table th, #verantwortung ~ table td, "
                              "#angebote ~ table th, #angebote ~ table td"),
    ("/bearbeiten/uebergaenge/selm-kita-grundschule/kooperation",
     "#stufen ~ table th, #stufen ~ table td")])
def test_tables_break_words_only_at_hyphenation_points_at_1280(tmp_path: Path, path: str,
                                                               tables: str) -> None:
    """At 1280×720 (a projector) the Verantwortungstabelle with its issue-17 columns
    (Datenschutz, Kooperationsqualität), the offers and the cooperation levels cut no word
    in the middle, and nothing sticks out at the side."""
    from tests.browser import CUT_WORDS, chromium, open_page

    store = MemoryRepository(tmp_path / "speicher.json")
    store.replace(load_seed("kreis-unna"), "test")
    client = werkstatt(store, tmp_path, auth=False)
    css = client.get("/werkstatt/static/werkstatt.css").text
    html = client.get(path).text.replace(
        '<link rel="stylesheet" href="/werkstatt/static/werkstatt.css">', f"<style>{css}</style>")
    page_file = tmp_path / "seite.html"
    page_file.write_text(html, encoding="utf-8")
    with chromium() as browser, open_page(browser, page_file, 1280, 720, ready=None) as run:
        cut = run.page.evaluate(CUT_WORDS, tables)
        width = run.page.evaluate("document.documentElement.scrollWidth")
    assert cut == [] and width <= 1280
