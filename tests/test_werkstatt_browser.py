"""Whole journeys through the Werkstatt in the real headless Chromium, against a real
``lotse serve`` process on the dortmund chain, with users made by ``lotse user add``:
log in, add an agreement and see the finding go, two browsers and the conflict page,
an editor kept out of another quarter, a workbook with errors then a good one, a
keyboard-only edit, and axe-core on every page."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from graph.backends.sqlite import SqliteRepository
from graph.formats.tables import to_tables
from graph.formats.workbook import workbook_bytes
from seeds import load_seed
from tests.browser import chromium
from tests.test_cli import lotse
from tests.werkstatt import served

PASSWORD = "ein-langes-test-passwort"
T = "willkommensbesuch-kinderstube"  # brunnenstrasse, no agreement yet


@dataclass
class Server:
    url: str
    folder: Path
    location: str = ""
    _repo: Any = None

    @property
    def store(self) -> Any:
        """The store the server writes to, read by the test through its own connection."""
        if self._repo is None:
            if self.location.startswith("neo4j://"):
                from graph.backends.neo4j import Neo4jRepository

                self._repo = Neo4jRepository.from_uri(self.location)
            else:
                self._repo = SqliteRepository(self.folder / "lotse-speicher.sqlite")
        return self._repo

    def close(self) -> None:
        if self._repo is not None and hasattr(self._repo, "close"):
            self._repo.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.fixture
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    """``lotse serve`` on the file store, or on the real Neo4j server (indirect param)."""
    location = ""
    if getattr(request, "param", "file") == "neo4j":
        location = request.getfixturevalue("neo4j_uri")
    store_args = ["--store", location] if location else []
    loaded = lotse("load", "dortmund", *store_args, cwd=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    for name, role, quarters in (("koordination", "coordinator", []),
                                 ("nord", "editor", ["brunnenstrasse"])):
        args = ["user", "add", name, "--role", role, "--password-stdin", *store_args]
        for q in quarters:
            args += ["--quarter", q]
        done = subprocess.run([str(Path(sys.executable).parent / "lotse"), *args],
                              cwd=tmp_path, input=PASSWORD + "\n", capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, done.stderr
    with served(tmp_path, "--users", "benutzer.yaml", *store_args,
                env={"LOTSE_API_LOGIN_DELAY": "0.2"}) as url:
        running = Server(url, tmp_path, location)
        yield running
        running.close()


def _page(browser: Any, width: int = 1280, height: int = 720) -> Any:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="de-DE")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    return page


def _log_in(page: Any, server: Server, name: str) -> None:
    page.goto(server.url + "/")
    assert "/anmelden" in page.url
    page.get_by_label("Benutzername").fill(name)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(server.url + "/")


def _choose_agreement(page: Any, agreement_name: str) -> None:
    # a list of check boxes (issue 27: no Ctrl-click multi-select)
    page.get_by_role("group", name="Vereinbarungen").get_by_label(agreement_name).check()


@pytest.mark.parametrize("server", ["file", "neo4j"], indirect=True)
def test_login_add_agreement_and_the_finding_disappears(browser: Any, server: Server) -> None:
    page = _page(browser)
    _log_in(page, server, "nord")
    page.get_by_role("link", name="Brunnenstraßen-/Hannibalviertel").click()
    findings = page.locator('#befunde ~ details li[data-code="NO_AGREEMENT"]')
    assert findings.count() == 1
    findings.locator("a").click()  # „Übergang bearbeiten“ at the finding
    assert "Übergang" in page.locator("h1").inner_text()
    _choose_agreement(page, "Netzwerk Frühe Hilfen Dortmund (§ 3 KKG)")
    started = time.perf_counter()
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(server.url + "/quartiere/brunnenstrasse")
    assert time.perf_counter() - started < 5
    status = page.get_by_role("status").all_inner_texts()
    assert any("Behoben: Übergang ohne Vereinbarung" in s for s in status), status
    assert page.locator('li[data-code="NO_AGREEMENT"]').count() == 0
    assert server.store.load().transition_index[T].agreements == ["kkg3-fruehe-hilfen"]
    assert not page.errors
    page.context.close()


@pytest.mark.parametrize("server", ["file", "neo4j"], indirect=True)
def test_two_browsers_edit_the_same_transition(browser: Any, server: Server) -> None:
    first, second = _page(browser), _page(browser)
    _log_in(first, server, "koordination")
    _log_in(second, server, "nord")
    for p in (first, second):
        p.goto(f"{server.url}/bearbeiten/uebergaenge/{T}")
    _choose_agreement(first, "Netzwerk Frühe Hilfen Dortmund (§ 3 KKG)")
    first.get_by_role("button", name="Speichern").click()
    first.wait_for_url(server.url + "/quartiere/brunnenstrasse")
    second.get_by_label("Art der Übergabe").select_option(label="warme Übergabe")
    second.get_by_role("button", name="Speichern").click()
    assert "inzwischen geändert" in second.locator("h1").inner_text()
    assert second.locator("tr.anders").count() >= 2  # agreements and kind differ
    assert server.store.load().transition_index[T].kind.value == "referral"
    second.get_by_role("button", name="Meine Fassung speichern", exact=False).click()
    second.wait_for_url(server.url + "/quartiere/brunnenstrasse")
    stored = server.store.load().transition_index[T]
    assert stored.kind.value == "warm_handoff"  # the person chose her version
    for p in (first, second):
        p.context.close()


def test_editor_of_one_quarter_cannot_change_another(browser: Any, server: Server) -> None:
    page = _page(browser)
    _log_in(page, server, "nord")
    page.goto(server.url + "/quartiere/hoerde")
    assert page.locator('a[href^="/bearbeiten/"]').count() == 0
    net = server.store.load()
    ids = {s.id for s in net.services_in("hoerde")}
    hoerde = next(t for t in net.transitions if t.source in ids and t.target in ids)
    page.goto(f"{server.url}/bearbeiten/uebergaenge/{hoerde.id}")
    assert page.locator("button:has-text(\"Speichern\")").count() == 0  # read only
    assert "Nur lesen" in page.locator("main").inner_text()
    token = page.locator('input[name="csrf"]').first.get_attribute("value")
    before = server.store.revision()
    answer = page.request.post(f"{server.url}/bearbeiten/uebergaenge/{hoerde.id}", form={
        "csrf": token, "version": "1", "id": hoerde.id, "source": hoerde.source,
        "target": hoerde.target, "kind": "warm_handoff"})
    assert answer.status == 403
    assert "Das darf Ihre Rolle nicht" in answer.text()
    assert server.store.revision() == before
    page.context.close()


def test_upload_a_workbook_with_errors_then_a_good_one(browser: Any, server: Server,
                                                       tmp_path: Path) -> None:
    tables = to_tables(load_seed("unna"))
    tables["Angebote"][1]["Träger"] = "AWO Dortmnd"
    bad = tmp_path / "fehler.xlsx"
    bad.write_bytes(workbook_bytes(tables))
    good = tmp_path / "unna.xlsx"
    good.write_bytes(workbook_bytes(to_tables(load_seed("unna"))))
    page = _page(browser)
    _log_in(page, server, "koordination")
    page.get_by_role("link", name="Import/Export").click()
    before = server.store.revision()
    page.get_by_label("Datei").set_input_files(str(bad))
    page.get_by_role("button", name="Vorschau zeigen").click()
    alert = page.get_by_role("alert").inner_text()
    assert "nichts wurde gespeichert" in alert and "Zeile 3" in alert and "AWO Dortmnd" in alert
    assert server.store.revision() == before
    page.get_by_label("Datei").set_input_files(str(good))
    page.get_by_role("button", name="Vorschau zeigen").click()
    assert "Vorschau" in page.locator("h1").inner_text()
    assert "Entfernt" in page.content() and server.store.revision() == before
    page.get_by_role("button", name="Import übernehmen").click()
    page.wait_for_url(server.url + "/")
    assert "Import übernommen" in page.get_by_role("status").first.inner_text()
    assert {q.id for q in server.store.load().quarters} == {q.id for q in
                                                            load_seed("unna").quarters}
    page.context.close()


def test_keyboard_only_from_login_to_a_saved_edit(browser: Any, server: Server) -> None:
    page = _page(browser)
    page.goto(server.url + "/bearbeiten/vereinbarungen/koop-babylotsen")
    # the login page: name has the focus, Tab to the password, Enter sends
    page.keyboard.type("koordination")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(server.url + "/bearbeiten/vereinbarungen/koop-babylotsen")
    for _ in range(60):  # Tab to the field „Gültig bis“
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "f-valid_until":
            break
    assert page.evaluate("document.activeElement.id") == "f-valid_until"
    page.keyboard.press("Control+A")
    page.keyboard.type("31.12.2027")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Speichern":
            break
    page.keyboard.press("Enter")
    page.wait_for_url(server.url + "/quartiere/**")
    agreement = server.store.load().agreement_index["koop-babylotsen"]
    assert agreement.valid_until is not None and agreement.valid_until.isoformat() == \
        "2027-12-31"
    page.context.close()


def test_axe_finds_no_serious_violations_on_any_page(browser: Any, server: Server,
                                                    tmp_path: Path) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = _page(browser)
    urls = ["/anmelden"]
    page.goto(server.url + "/anmelden")
    found: dict[str, list[str]] = {}

    def check(url: str) -> None:
        page.goto(server.url + url)
        result = axe.run(page).response
        bad = [f"{v['id']} ({v['impact']})" for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
        found[url] = bad

    check("/anmelden")
    _log_in(page, server, "koordination")
    urls = ["/", "/quartiere/brunnenstrasse", "/quartiere/hoerde?schwere=high",
            "/quartiere/brunnenstrasse/besprechung", f"/bearbeiten/uebergaenge/{T}",
            "/bearbeiten/angebote/neu", "/bearbeiten/vereinbarungen/koop-babylotsen",
            "/bearbeiten/traeger/neu", "/bearbeiten/vermittlungszahlen/neu", "/verlauf",
            "/austausch", "/quartiere/gibtsnicht",
            # issue 17's pages and the map alone (its legend scrolls at 1280×720)
            "/quartiere/brunnenstrasse/karte", "/quartiere/brunnenstrasse/jahre",
            "/quartiere/brunnenstrasse/wirkung", f"/bearbeiten/uebergaenge/{T}/kooperation",
            "/quartiere/brunnenstrasse/wegweiser?sprache=ar"]
    for url in urls:
        check(url)
    # pages after an action: a form with errors, the conflict page, the import preview
    page.goto(server.url + "/bearbeiten/vereinbarungen/koop-babylotsen")
    page.get_by_label("Gültig bis").fill("")
    page.locator("#f-name").fill("")
    page.get_by_role("button", name="Speichern").click()
    assert page.locator(".fehlerliste").count() == 1
    check_here = lambda label: found.update(  # noqa: E731
        {label: [v["id"] for v in axe.run(page).response["violations"]
                 if v["impact"] in ("serious", "critical")]})
    check_here("Formular mit Fehlern")
    # the conflict page: the transition changes behind the form's back
    page.goto(f"{server.url}/bearbeiten/uebergaenge/{T}")
    token = page.locator('input[name="csrf"]').first.get_attribute("value")
    t = server.store.load().transition_index[T]
    assert page.request.post(f"{server.url}/bearbeiten/uebergaenge/{T}", form={
        "csrf": token, "version": "1", "id": T, "source": t.source, "target": t.target,
        "kind": "warm_handoff", "owner": t.owner or ""}).ok
    page.get_by_role("button", name="Speichern").click()
    assert "inzwischen geändert" in page.locator("h1").inner_text()
    check_here("Konfliktseite")
    # the import preview
    workbook = tmp_path / "kette.xlsx"
    workbook.write_bytes(workbook_bytes(to_tables(load_seed("unna"))))
    page.goto(server.url + "/austausch")
    page.get_by_label("Datei").set_input_files(str(workbook))
    page.get_by_role("button", name="Vorschau zeigen").click()
    check_here("Import-Vorschau")
    assert not any(found.values()), found
    page.context.close()
