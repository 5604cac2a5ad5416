"""Issue 26's evidence: the Steuerungsgruppe's whole cycle in the real headless Chromium
against a real ``lotse serve`` process, without a single CLI call by the person: log
in, prepare a Sitzung for a quarter and see the proposed agenda, step through it in
the Besprechung by keyboard (→, and the „Maßnahme beschließen“ form by Tab, typing and
Enter), accept another finding („Geprüft, bewusst so“), download Protokoll, slides and
report (A4 / 16:9), fix the finding with the Werkstatt's edit form (the expired
agreement extended), mark the measure done and see the next Sitzung report the finding
as resolved and the measure as done. axe-core checks every Sitzung page on the way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.backends.sqlite import SqliteRepository
from seeds import load_seed
from tests.browser import chromium
from tests.pdf_text import read_pdf
from tests.werkstatt import PASSWORD, served, users_file

ROOT = Path(__file__).resolve().parents[1]
A4 = (595.0, 842.0)
EXPIRED = "AGREEMENT_EXPIRED/kita-bornstrasse-grundschule"  # brunnenstrasse, expired
AGREEMENT = "uebergabe-kita-gs-nord"  # the agreement behind it
PEARL = "PEARL/sprachbilderbuecher"
MEASURE = "Übergabeprotokoll Kita und Grundschule erneuern"
OVERLAP = """() => {
  const edge = document.querySelector('iframe.sitzungskarte').getBoundingClientRect().left;
  return [...document.querySelectorAll('article.baustelle *')]
    .filter(e => e.getBoundingClientRect().right > edge + 1)
    .map(e => e.tagName + ': ' + e.textContent.trim().slice(0, 40));
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """``lotse serve`` on the Dortmund seed in a SQLite store, with the users of
    tests.werkstatt; runs this worktree's code (PYTHONPATH), not an installed copy."""
    store = tmp_path / "lotse-speicher.sqlite"
    repo = SqliteRepository(store)
    repo.replace(load_seed("dortmund"), "test")
    repo.close()
    users_file(tmp_path)
    with served(tmp_path, "--users", "benutzer.yaml", "--store", str(store),
                env={"LOTSE_API_LOGIN_DELAY": "0.2", "PYTHONPATH": str(ROOT)}) as url:
        yield url, store


def _page(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="de-DE",
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    return page


def _serious(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page).response
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def _tab_to(page: Any, test: str, limit: int = 120) -> None:
    """Press Tab until the JavaScript expression ``test`` on document.activeElement holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(e => {test})(document.activeElement)"):
            return
    raise AssertionError(f"Tab erreicht {test!r} nicht")


def _status(page: Any) -> str:
    return " ".join(page.get_by_role("status").all_inner_texts())


def _step_to(page: Any, wanted: str, limit: int = 20) -> None:
    """ArrowRight through the Besprechung until the point's heading contains ``wanted``."""
    for _ in range(limit):
        if wanted in page.locator("h1").inner_text():
            return
        before = page.url
        page.locator("body").focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_url(lambda u, before=before: u != before)
    raise AssertionError(f"Punkt {wanted!r} nicht gefunden")


def _download(page: Any, link: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link).click()
    return Path(info.value.path()).read_bytes()


def test_a_meeting_cycle_without_a_terminal(browser: Any, server: tuple[str, Path]) -> None:
    url, store = server
    today = dt.date.today()
    axe: dict[str, list[str]] = {}
    page = _page(browser)

    # log in
    page.goto(url + "/")
    assert "/anmelden" in page.url
    page.get_by_label("Benutzername").fill("koordination")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(url + "/")

    # prepare a Sitzung for the quarter
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Sitzungen").click()
    page.wait_for_url(url + "/sitzungen")
    assert "Noch keine Sitzung" in page.locator("main").inner_text()
    axe["Sitzungen (leer)"] = _serious(page)
    page.get_by_role("link", name="Sitzung vorbereiten").click()
    page.wait_for_url(url + "/sitzungen/neu")
    axe["Sitzung vorbereiten"] = _serious(page)
    page.get_by_label("Gremium").fill("Steuerungsgruppe Nordstadt")
    page.get_by_label("Gebiet").select_option(value="brunnenstrasse")
    page.get_by_label("Datum").fill(f"{today:%d.%m.%Y}")
    page.get_by_role("button", name="Vorbereiten").click()
    page.wait_for_url(url + "/sitzungen/*")
    meeting = page.url
    assert "Sitzung vorbereitet" in _status(page)
    assert f"Steuerungsgruppe Nordstadt am {today:%d.%m.%Y}" in page.locator("h1").inner_text()
    agenda = page.locator("ol.tagesordnung").inner_text()
    for text in ("Seit dem ersten Laden", "Vereinbarung abgelaufen",
                 "Bildungsperle", "Übergabeprotokoll Kita → Grundschule"):
        assert text in agenda, text
    axe["Sitzung"] = _serious(page)

    # the Besprechung, by keyboard: → to the expired agreement
    page.get_by_role("link", name="Besprechung beginnen").click()
    page.wait_for_url("**/besprechung?punkt=1")
    assert "Punkt 1 von" in page.locator(".kopfzeile").inner_text()
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**/besprechung?punkt=2")
    _step_to(page, "Vereinbarung abgelaufen")
    point = page.url
    assert page.locator("iframe.sitzungskarte").count() == 1  # the map of the quarter
    assert "Wer den Übergang verantwortet" in page.locator("main").inner_text()
    axe["Besprechung: Befund"] = _serious(page)

    # „Maßnahme beschließen“ by keyboard only: Tab to the summary, Enter opens it, Tab
    # through title, responsible and due date, Enter sends
    due = today + dt.timedelta(days=90)
    _tab_to(page, "e.tagName === 'SUMMARY' && e.textContent.trim() === 'Maßnahme beschließen'")
    page.keyboard.press("Enter")
    _tab_to(page, "e.id === 'titel'", limit=5)
    page.keyboard.press("Control+A")
    page.keyboard.type(MEASURE)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "traeger"
    responsible = page.evaluate("document.activeElement.value")
    assert responsible  # prefilled from the finding
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "faellig"
    page.keyboard.type(f"{due:%d.%m.%Y}")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == point
    assert f"Maßnahme beschlossen: „{MEASURE}“, fällig am {due:%d.%m.%Y}" in _status(page)
    repo = SqliteRepository(store)
    try:
        measure = next(m for m in repo.load().measures if m.title == MEASURE)
        assert measure.findings == [EXPIRED] and measure.due == due
        assert measure.responsible == responsible
    finally:
        repo.close()

    # accept another: the pearl, „Geprüft, bewusst so“
    _step_to(page, "Bildungsperle")
    page.get_by_text("Geprüft, bewusst so", exact=True).click()
    page.get_by_label("Begründung").fill("Die Lesekampagne ist bewusst offen für alle.")
    with page.expect_navigation():
        page.get_by_role("button", name="Als „geprüft, bewusst so“ festhalten").click()
    assert "geprüft, bewusst so" in _status(page)
    assert "Die Lesekampagne ist bewusst offen für alle." in page.locator("main").inner_text()

    # on to the end, then the Protokoll
    for _ in range(20):
        if page.get_by_role("link", name="Zum Protokoll →").count():
            break
        before = page.url
        page.keyboard.press("ArrowRight")
        page.wait_for_url(lambda u, before=before: u != before)
    page.get_by_role("link", name="Zum Protokoll →").click()
    page.wait_for_url(meeting + "/protokoll")
    minutes = page.locator("main").inner_text()
    assert MEASURE in minutes and "Die Lesekampagne ist bewusst offen" in minutes
    axe["Protokoll"] = _serious(page)

    # the documents
    for link, wide in (("Protokoll herunterladen (PDF, A4)", False),
                       ("Folien (PDF, 16:9)", True), ("Bericht (PDF, A4)", False)):
        pdf = read_pdf(_download(page, link))
        assert pdf.sizes, link
        for w, h in pdf.sizes:
            if wide:
                assert abs(w / h - 16 / 9) < 0.01, (link, w, h)
            else:
                assert abs(w - A4[0]) < 2 and abs(h - A4[1]) < 2, (link, w, h)
    slides = read_pdf(_download(page, "Folien (PDF, 16:9)"))  # matplotlib: its text reads
    assert any("Steuerungsgruppe Nordstadt" in t for t in slides.texts)

    # fix the finding: the agenda's agreement point opens the Werkstatt's edit form
    page.goto(meeting)
    page.locator("ol.tagesordnung a", has_text="Vereinbarung „Übergabeprotokoll Kita").click()
    page.wait_for_url(f"**/bearbeiten/vereinbarungen/{AGREEMENT}")
    page.get_by_label("Gültig bis").fill(f"31.07.{today.year + 2}")
    with page.expect_navigation():
        page.get_by_role("button", name="Speichern").click()
    assert "/bearbeiten/" not in page.url, page.locator("main").inner_text()[:500]

    # the measure is done (page Maßnahmen, its row's status and „Ändern“)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Maßnahmen").click()
    page.wait_for_url(url + "/massnahmen")
    row = page.locator("tr", has_text=MEASURE)
    assert "Befund behoben" in row.inner_text()
    row.get_by_label(f"Stand von „{MEASURE}“").select_option(label="erledigt")
    with page.expect_navigation():
        row.locator("button", has_text="Ändern").click()
    assert "erledigt" in page.locator("tr", has_text=MEASURE).inner_text()

    # the next Sitzung: the finding resolved since the last one, the measure done
    page.goto(url + "/sitzungen/neu")
    page.get_by_label("Gremium").fill("Steuerungsgruppe Nordstadt")
    page.get_by_label("Gebiet").select_option(value="brunnenstrasse")
    later = today + dt.timedelta(days=14)
    page.get_by_label("Datum").fill(f"{later:%d.%m.%Y}")
    page.get_by_role("button", name="Vorbereiten").click()
    page.wait_for_url(url + "/sitzungen/*")
    assert page.url != meeting
    since = page.locator("section", has=page.locator("#seit"))
    assert f"Seit der letzten Sitzung am {today:%d.%m.%Y}" in since.inner_text()
    resolved = since.locator(".kasten", has_text="Behobene Befunde").inner_text()
    assert "Vereinbarung abgelaufen" in resolved, resolved
    assert "1 erledigt" in since.inner_text()
    assert "Vorige Sitzung dieses Gebiets" in page.locator("main").inner_text()
    page.get_by_role("link", name="Sitzungen", exact=True).first.click()
    page.wait_for_url(url + "/sitzungen")
    assert page.locator("tbody tr").count() == 2
    axe["Sitzungen (zwei)"] = _serious(page)

    assert not any(axe.values()), axe
    assert not page.errors, page.errors
    page.context.close()


def test_axe_on_every_sitzung_page(browser: Any, server: tuple[str, Path]) -> None:
    """axe-core: no serious or critical violation on the Sitzung pages, including the
    form with errors, every Besprechung point (with the map) and the empty agenda."""
    url, _ = server
    page = _page(browser)
    page.goto(url + "/sitzungen/neu")
    page.get_by_label("Benutzername").fill("koordination")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(url + "/sitzungen/neu")
    found: dict[str, list[str]] = {}
    page.get_by_label("Datum").fill("31.02.2027")
    page.get_by_role("button", name="Vorbereiten").click()
    page.wait_for_selector(".feld-fehler")
    found["Vorbereiten mit Fehlern"] = _serious(page)
    page.get_by_label("Gremium").fill("Netzwerktreffen Hörde")
    page.get_by_label("Gebiet").select_option(value="hoerde")
    page.get_by_label("Datum").fill(f"{dt.date.today():%d.%m.%Y}")
    page.get_by_role("button", name="Vorbereiten").click()
    page.wait_for_url(url + "/sitzungen/*")
    meeting = page.url
    count = int(page.locator("ol.tagesordnung > li").count())
    for n in range(1, count + 1):
        page.goto(f"{meeting}/besprechung?punkt={n}")
        if page.locator("iframe.sitzungskarte").count():
            page.frame_locator("iframe.sitzungskarte").locator("body").wait_for()
            wider = page.evaluate(OVERLAP)  # the text column never runs under the map
            assert not wider, (n, wider)
        found[f"Besprechung {n}: {page.locator('h1').inner_text()[:40]}"] = _serious(page)
    # an empty agenda: every point struck
    page.goto(meeting)
    for box in page.locator('input[name="behalten"]').all():
        box.uncheck()
    page.get_by_role("button", name="Tagesordnung speichern").click()
    page.wait_for_selector("text=Die Tagesordnung ist leer.")
    found["Sitzung ohne Punkte"] = _serious(page)
    page.goto(f"{meeting}/besprechung")
    found["Besprechung ohne Punkte"] = _serious(page)
    page.goto(f"{meeting}/protokoll")
    found["Protokoll"] = _serious(page)
    assert len(found) >= count + 4
    assert not any(found.values()), found
    assert not page.errors, page.errors
    page.context.close()
