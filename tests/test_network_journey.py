"""Issue 27's evidence: the network at hand in the real headless Chromium at 1280×720
against a real ``lotse serve`` process, as a coordinator would use it: from the finding
„Vereinbarung abgelaufen“ to the agreement in one click, extend it and see the finding
gone; search „Froendenberg“ in the header and find Fröndenberg/Ruhr; create a Kommune,
a Quartier and its Sozialdaten in forms and see a CAPACITY_GAP appear; delete a service
and bring it back from the Verlauf and from the Gelöscht list; download the blank
template, fill it with German names and import it. axe-core checks every new page."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from graph.backends.sqlite import SqliteRepository
from graph.model import Municipality, Quarter
from seeds import load_seed
from tests.browser import CUT_WORDS, chromium
from tests.werkstatt import PASSWORD, served, users_file

ROOT = Path(__file__).resolve().parents[1]
AGREEMENT = "uebergabe-kita-gs-nord"  # expired, backs a transition in brunnenstrasse
NAME = "Übergabeprotokoll Kita → Grundschule Kleine Kielstraße"
EXPIRED = "AGREEMENT_EXPIRED"
SERVICE = "sprachbilderbuecher"  # no transition refers to it: it can be deleted


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """``lotse serve`` on the Dortmund seed plus Fröndenberg/Ruhr with a quarter, in a
    SQLite store, with the users of tests.werkstatt; runs this worktree's code."""
    store = tmp_path / "lotse-speicher.sqlite"
    net = load_seed("dortmund")
    kommune = Municipality(id="froendenberg", name="Fröndenberg/Ruhr", county="Kreis Unna")
    quarter = Quarter(id="froendenberg-mitte", name="Fröndenberg-Mitte",
                      municipality="froendenberg")
    repo = SqliteRepository(store)
    repo.replace(net.with_sections(municipalities=[*net.municipalities, kommune],
                                   quarters=[*net.quarters, quarter]), "test")
    repo.close()
    users_file(tmp_path)
    with served(tmp_path, "--users", "benutzer.yaml", "--store", str(store),
                env={"LOTSE_API_LOGIN_DELAY": "0.2", "PYTHONPATH": str(ROOT)}) as url:
        yield url, store


def _page(browser: Any, url: str) -> Any:
    """A new 1280×720 page, logged in as the coordination, on the Übersicht."""
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="de-DE",
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    page.goto(url + "/")
    page.get_by_label("Benutzername").fill("koordination")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(url + "/")
    return page


def _serious(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page).response
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def _status(page: Any) -> str:
    return " ".join(page.get_by_role("status").all_inner_texts())


def _main(page: Any) -> str:
    return str(page.locator("main").inner_text())


def _load(store: Path) -> Any:
    repo = SqliteRepository(store)
    try:
        return repo.load()
    finally:
        repo.close()


def _submit(page: Any, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def test_from_the_expired_agreement_finding_to_the_agreement_and_fixed(
        browser: Any, server: tuple[str, Path]) -> None:
    url, store = server
    page = _page(browser, url)
    page.goto(url + "/quartiere/brunnenstrasse")
    finding = page.locator(f'li[data-code="{EXPIRED}"]').filter(
        has=page.locator("p", has_text="„TEK Bornstraße 52“ →"))
    assert finding.count() == 1
    backed = page.locator(f'li[data-code="{EXPIRED}"]', has_text=NAME).count()
    assert backed == 2  # the agreement backs two transitions of the quarter
    before = page.locator(f'li[data-code="{EXPIRED}"]').count()

    # one click from the finding to the agreement's page
    finding.get_by_role("link", name="Vereinbarung öffnen").click()
    page.wait_for_url(f"{url}/vereinbarungen/{AGREEMENT}")
    assert "Übergabeprotokoll" in page.locator("h1").inner_text()
    assert "Übergänge, die sie trägt" in _main(page)
    assert "abgelaufen" in _main(page).lower()

    # Bearbeiten is a button on the page; extend „Gültig bis“
    page.get_by_role("link", name="Bearbeiten", exact=True).click()
    page.wait_for_url(f"{url}/bearbeiten/vereinbarungen/{AGREEMENT}")
    until = dt.date(dt.date.today().year + 2, 7, 31)
    page.get_by_label("Gültig bis").fill(f"{until:%d.%m.%Y}")
    _submit(page, "Speichern")
    assert "/bearbeiten/" not in page.url, _main(page)[:500]
    assert _load(store).agreement_index[AGREEMENT].valid_until == until

    # the finding is gone from the quarter page
    page.goto(url + "/quartiere/brunnenstrasse")
    assert page.locator(f'li[data-code="{EXPIRED}"]', has_text=NAME).count() == 0
    assert page.locator(f'li[data-code="{EXPIRED}"]').count() == before - backed
    page.goto(f"{url}/vereinbarungen/{AGREEMENT}")
    assert f"{until:%d.%m.%Y}" in _main(page)
    assert not page.errors, page.errors
    page.context.close()


def test_search_in_the_header_finds_froendenberg(browser: Any,
                                                 server: tuple[str, Path]) -> None:
    url, _ = server
    page = _page(browser, url)
    page.goto(url + "/traeger")  # the search box is in every page's header
    box = page.get_by_role("search").get_by_label("Im Netzwerk suchen")
    box.fill("Froendenberg")
    with page.expect_navigation():
        box.press("Enter")
    assert "/suche?q=Froendenberg" in page.url
    text = _main(page)
    assert "Kommunen (1)" in text and "Fröndenberg/Ruhr" in text
    assert "Quartiere (1)" in text and "Fröndenberg-Mitte" in text
    page.get_by_role("link", name="Fröndenberg-Mitte").first.click()
    page.wait_for_url(lambda u: "froendenberg-mitte" in u)
    # a typo finds it too
    box = page.get_by_role("search").get_by_label("Im Netzwerk suchen")
    box.fill("Fröndenbrg")
    with page.expect_navigation():
        box.press("Enter")
    assert "Fröndenberg/Ruhr" in _main(page)
    assert not page.errors, page.errors
    page.context.close()


def test_kommune_quartier_and_sozialdaten_in_forms_bring_a_capacity_gap(
        browser: Any, server: tuple[str, Path]) -> None:
    url, store = server
    page = _page(browser, url)
    page.get_by_role("link", name="Kommune anlegen").click()
    page.wait_for_url(url + "/bearbeiten/kommunen/neu")
    page.get_by_label("Name", exact=True).fill("Stadt Selm")
    page.get_by_label("Kreis").fill("Kreis Unna")
    page.get_by_label("Land").fill("Nordrhein-Westfalen")
    _submit(page, "Anlegen")
    assert "/neu" not in page.url, _main(page)[:500]
    selm = next(m for m in _load(store).municipalities if m.name == "Stadt Selm")
    assert selm.county == "Kreis Unna"

    page.goto(url + "/")
    page.get_by_role("link", name="Quartier anlegen").click()
    page.wait_for_url(url + "/bearbeiten/quartiere/neu")
    page.get_by_label("Name", exact=True).fill("Selm-Mitte")
    page.get_by_label("Kommune").select_option(label="Stadt Selm")
    _submit(page, "Anlegen")
    page.wait_for_url(url + "/quartiere/selm-mitte")
    assert 'data-code="CAPACITY_GAP"' not in page.content()

    # a Kita with 20 places for the Kita-Alter, from the quarter page
    page.get_by_role("link", name="Angebot anlegen").first.click()
    page.wait_for_url("**/bearbeiten/angebote/neu?quartier=selm-mitte*")
    page.get_by_label("Name", exact=True).fill("Kita Selm-Mitte")
    page.get_by_label("Träger").select_option(index=1)
    assert page.get_by_role("group", name="Quartiere").get_by_label("Selm-Mitte").is_checked()
    page.get_by_role("group", name="Lebensphasen").get_by_label(
        "Kita-Alter (3–6 Jahre)").check()
    page.get_by_role("group", name="Handlungsfelder").get_by_label("Bildung").check()
    page.get_by_role("group", name="Sprachen").get_by_label("Deutsch").check()
    page.get_by_label("Plätze bzw. Familien je Jahr").fill("20")
    page.get_by_label("Was die Zahl zählt").select_option(value="places")
    page.get_by_label("Stand", exact=True).select_option(value="active")
    _submit(page, "Anlegen")
    assert "/bearbeiten/" not in page.url, _main(page)[:800]
    page.goto(url + "/quartiere/selm-mitte")
    assert 'data-code="CAPACITY_GAP"' not in page.content()  # no figures yet

    # the Sozialdaten of 2025: 200 children in the Kita-Alter
    page.get_by_role("link", name="Sozialdaten bearbeiten").click()
    page.wait_for_url(url + "/bearbeiten/quartiere/selm-mitte/sozialdaten*")
    page.get_by_label("Jahr", exact=True).fill("2025")
    page.get_by_label("Einwohnerinnen und Einwohner").fill("4.200")
    page.get_by_label("Geburten im Jahr").fill("40")
    page.get_by_label("Kinder: Kita-Alter (3–6 Jahre)").fill("200")
    page.get_by_label("Anteil mit SGB-II-Bezug (in Prozent)").fill("38")
    page.get_by_label("Türkisch").check()
    _submit(page, "Sozialdaten speichern")
    page.wait_for_url(url + "/quartiere/selm-mitte")
    gap = page.locator('li[data-code="CAPACITY_GAP"]')
    assert gap.count() >= 1
    assert "Zu wenig Plätze für den Bedarf" in _main(page)
    sd = _load(store).quarter_index["selm-mitte"].social_data_for(2025)
    assert sd is not None and sd.children_by_stage == {"preschool": 200}
    assert sd.inhabitants == 4200 and "tr" in sd.main_languages
    assert not page.errors, page.errors
    page.context.close()


def test_a_deleted_service_comes_back_from_the_verlauf_and_the_geloescht_list(
        browser: Any, server: tuple[str, Path]) -> None:
    url, store = server
    page = _page(browser, url)
    name = _load(store).service_index[SERVICE].name

    def delete() -> None:
        page.goto(f"{url}/angebote/{SERVICE}")
        assert name in page.locator("h1").inner_text()
        page.get_by_role("link", name="Bearbeiten", exact=True).click()
        page.wait_for_url(f"{url}/bearbeiten/angebote/{SERVICE}")
        assert "rückgängig machen" in _main(page)
        page.once("dialog", lambda d: d.accept())  # „Wirklich löschen?“
        _submit(page, "Angebot löschen")
        assert SERVICE not in _load(store).service_index, _main(page)[:500]

    # undo from the Verlauf: the newest change is the deletion
    delete()
    page.goto(url + "/verlauf")
    newest = page.locator("ol.verlauf > li").first
    assert name in newest.inner_text() or "gelöscht" in newest.inner_text().lower()
    with page.expect_navigation():
        newest.get_by_role("button", name="Rückgängig machen").click()
    assert "rückgängig gemacht" in _status(page), _main(page)[:500]
    assert _load(store).service_index[SERVICE].name == name
    page.goto(f"{url}/angebote/{SERVICE}")
    assert name in page.locator("h1").inner_text()

    # delete again, restore from the Gelöscht list
    delete()
    page.goto(url + "/verlauf")
    page.get_by_role("link", name="Gelöscht").first.click()
    page.wait_for_url(url + "/verlauf/geloescht")
    row = page.locator("main li, main tr", has_text=name).first
    with page.expect_navigation():
        row.get_by_role("button", name="Wiederherstellen").click()
    assert page.url.startswith(url + "/verlauf/geloescht")
    assert _load(store).service_index[SERVICE].name == name
    assert page.locator("main li, main tr", has_text=name).count() == 0
    assert not page.errors, page.errors
    page.context.close()


def _set(ws: Any, n: int, values: dict[str, Any]) -> None:
    headers = [c.value for c in ws[1]]
    for header, value in values.items():
        ws.cell(n, headers.index(header) + 1, value)


def test_blank_template_filled_with_german_names_is_imported(
        browser: Any, server: tuple[str, Path], tmp_path: Path) -> None:
    url, store = server
    page = _page(browser, url)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Import/Export").click()
    page.wait_for_url(url + "/austausch")
    with page.expect_download() as info:
        page.get_by_role("link", name="Leere Vorlage herunterladen (Excel)").click()
    assert info.value.suggested_filename == "vorlage-praeventionskette.xlsx"
    wb = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert wb.sheetnames[0] == "Hilfe"

    # filled in as a coordinator would in Excel: German names, no codes
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
    filled = tmp_path / "vorlage-selm.xlsx"
    wb.save(filled)

    page.get_by_label("Datei").set_input_files(str(filled))
    page.get_by_label("Ganze Kette ersetzen").check()
    _submit(page, "Vorschau zeigen")
    assert "Vorschau" in _main(page), _main(page)[:1500]
    assert "brunnenstrasse" in _load(store).quarter_index  # a preview writes nothing
    _submit(page, "Import übernehmen")
    net = _load(store)
    assert net.name == "Frühe Hilfen Selm"
    assert [q.id for q in net.quarters] == ["selm-mitte"]
    hebamme = net.service_index["hebamme"]
    assert hebamme.life_stages == ["pregnancy", "birth"] and hebamme.languages == ["de", "tr"]
    assert hebamme.provider == "familienbuero" and hebamme.language_bridge
    sd = net.quarter_index["selm-mitte"].social_data[0]
    assert sd.main_languages == ["de", "tr", "pl"] and sd.sgb2_share == 0.25
    page.goto(url + "/")
    assert "Selm-Mitte" in _main(page)
    assert not page.errors, page.errors
    page.context.close()


LISTS = ("/traeger", "/angebote", "/uebergaenge", "/vereinbarungen", "/standorte")


def test_lists_at_1280_break_no_word_outside_a_hyphenation_point(
        browser: Any, server: tuple[str, Path]) -> None:
    """On a projector (1280×720) the lists cut no word in the middle and stick out
    nowhere; the columns of short labels (Art, Status, Stand) and the dates keep their
    words whole instead of being squeezed to a syllable a line ("Kooperati-|onsver-|trag",
    "Endda-|tum"), while the names break at German hyphenation points."""
    url, _ = server
    page = _page(browser, url)
    for path in LISTS:
        page.goto(url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280, path
        assert page.evaluate(CUT_WORDS, "main table th, main table td") == [], path
        labels = page.locator("main table td.wort, main table td.datum")
        if path != "/standorte":
            assert labels.count() > 0, path
        texts = labels.all_inner_texts()
        assert not [t for t in texts if "\u00ad" in t], path
        assert page.evaluate(CUT_WORDS.replace("\\u00ad", ""),
                             "main table td.wort, main table td.datum") == [], path
    page.goto(url + "/vereinbarungen")
    art = page.locator("main table td.wort", has_text="Kooperationsvertrag").first
    lines = art.evaluate("""e => { const r = document.createRange(); r.selectNodeContents(e);
        return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; }""")
    assert lines == 1  # „Kooperationsvertrag“ on one line
    page.context.close()


def test_axe_on_every_new_page(browser: Any, server: tuple[str, Path]) -> None:
    """axe-core: no serious or critical violation on the search results, each list, each
    kind of entry page, the master data forms (also with errors) and the Gelöscht list
    (empty and with an entry)."""
    url, store = server
    net = _load(store)
    page = _page(browser, url)
    transition = net.transitions[0].id
    provider = net.agreement_index[AGREEMENT].parties[0]
    pages = {
        "Suche mit Treffern": "/suche?q=Kita",
        "Suche Fröndenberg": "/suche?q=Froendenberg",
        "Suche ohne Treffer": "/suche?q=xyzzy",
        "Träger": "/traeger", "Angebote": "/angebote", "Übergänge": "/uebergaenge",
        "Vereinbarungen": "/vereinbarungen", "Standorte": "/standorte",
        "Vereinbarungen abgelaufen": "/vereinbarungen?gueltigkeit=abgelaufen",
        "Träger absteigend": "/traeger?sortierung=-name",
        "Träger-Seite": f"/traeger/{provider}",
        "Vereinbarung-Seite": f"/vereinbarungen/{AGREEMENT}",
        "Angebot-Seite": f"/angebote/{SERVICE}",
        "Übergang-Seite": f"/uebergaenge/{transition}",
        "Kommune anlegen": "/bearbeiten/kommunen/neu",
        "Stadtbezirk anlegen": "/bearbeiten/stadtbezirke/neu",
        "Quartier anlegen": "/bearbeiten/quartiere/neu",
        "Sozialdaten": "/bearbeiten/quartiere/brunnenstrasse/sozialdaten",
        "Gelöscht (leer)": "/verlauf/geloescht",
        "Import/Export": "/austausch",
    }
    found: dict[str, list[str]] = {}
    for label, path in pages.items():
        page.goto(url + path)
        assert page.locator("h1").count() == 1, label
        found[label] = _serious(page)
    # forms with errors
    page.goto(url + "/bearbeiten/quartiere/neu")
    _submit(page, "Anlegen")
    page.wait_for_selector(".fehlerliste")
    found["Quartier anlegen mit Fehlern"] = _serious(page)
    page.goto(url + "/bearbeiten/quartiere/brunnenstrasse/sozialdaten")
    page.get_by_label("Jahr", exact=True).fill("")
    page.get_by_label("Anteil mit Einwanderungsgeschichte (in Prozent)").fill("140")
    _submit(page, "Sozialdaten speichern")
    page.wait_for_selector(".fehlerliste, .feld-fehler")
    found["Sozialdaten mit Fehlern"] = _serious(page)
    # the Gelöscht list with an entry, and the Verlauf with „Rückgängig machen“
    page.goto(f"{url}/bearbeiten/angebote/{SERVICE}")
    page.once("dialog", lambda d: d.accept())
    _submit(page, "Angebot löschen")
    page.goto(url + "/verlauf/geloescht")
    assert page.get_by_role("button", name="Wiederherstellen").count() == 1
    found["Gelöscht (ein Eintrag)"] = _serious(page)
    page.goto(url + "/verlauf")
    found["Verlauf"] = _serious(page)
    assert not any(found.values()), {k: v for k, v in found.items() if v}
    assert not page.errors, page.errors
    page.context.close()
