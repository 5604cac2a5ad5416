"""Following measures up in the Werkstatt (issue 26.2): the list per area and
responsible provider with due date and note to change, the Wirkung page linking each
measure, the merge preview counting a new Maßnahmen row, the Verlauf calling a merge a
merge. Real SQLite store, the real app over HTTP."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from pathlib import Path

import pytest

from graph.backends.sqlite import SqliteRepository
from graph.formats.tables import to_tables
from graph.formats.workbook import workbook_bytes
from graph.model import Measure
from lotsen.check import check
from seeds import load_seed
from tests.werkstatt import csrf, log_in, werkstatt

TODAY = dt.date.today()


@pytest.fixture
def web(tmp_path: Path):
    repo = SqliteRepository(tmp_path / "speicher.sqlite")
    net = load_seed("dortmund")
    provider = next(s.provider for s in net.services if "hoerde" in s.quarters)
    key = next(f.stable_key for f in check(net, TODAY) if tuple(f.quarters) == ("hoerde",))
    measure = Measure(id="m-hoerde", title="Übergang Kita–Schule klären", findings=[key],
                      responsible=provider, due=TODAY - dt.timedelta(days=40))
    repo.replace(net.with_sections(measures=[measure]), "test")
    with werkstatt(repo, tmp_path) as client:
        assert log_in(client, "koordination").status_code == 303
        yield client, repo
    repo.close()


def test_the_list_filters_by_area_and_changes_due_date_and_note(web):
    client, repo = web
    page = client.get("/massnahmen")
    assert "Übergang Kita–Schule klären" in html.unescape(page.text)
    assert "überfällig" in page.text
    areas = dict(re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>',
                            page.text[page.text.index('name="gebiet"'):]))
    assert "hoerde" in areas and any(v.startswith("Stadt") or v.startswith("Kommune")
                                     or v.startswith("Stadtbezirk") for v in areas.values())
    other = next(a for a in areas if a in repo.load().quarter_index and a != "hoerde")
    assert "Kita–Schule" not in html.unescape(client.get(f"/massnahmen?gebiet={other}").text)
    assert "Kita–Schule" in html.unescape(client.get("/massnahmen?gebiet=hoerde").text)
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version is not None
    due = TODAY + dt.timedelta(days=90)
    done = client.post("/massnahmen/m-hoerde/nachhalten", data={
        "csrf": csrf(page.text), "version": version.group(1), "faellig": f"{due:%d.%m.%Y}",
        "notiz": "Termin mit der Schulleitung steht", "zurueck": "/massnahmen"})
    assert done.status_code == 303
    m = repo.load().measures[0]
    assert m.due == due and m.note == "Termin mit der Schulleitung steht"
    after = client.get("/massnahmen")
    assert "Termin mit der Schulleitung steht" in after.text
    assert "überfällig</strong>" not in after.text
    bad = client.post("/massnahmen/m-hoerde/nachhalten", data={
        "csrf": csrf(after.text), "version": str(int(version.group(1)) + 1),
        "faellig": "32.13.2027", "zurueck": "/massnahmen"})
    assert bad.status_code == 303
    assert "32.13.2027" in html.unescape(client.get("/massnahmen").text)  # the error says


def test_the_wirkung_page_links_each_measure(web):
    client, _ = web
    page = client.get("/quartiere/hoerde/wirkung")
    assert page.status_code == 200
    assert 'href="/massnahmen?gebiet=hoerde#massnahme-m-hoerde"' in page.text
    assert 'id="massnahme-m-hoerde"' in client.get("/massnahmen?gebiet=hoerde").text


def test_a_merge_preview_counts_a_new_measure_and_the_verlauf_calls_it_a_merge(web):
    client, repo = web
    net = repo.load()
    provider = net.measures[0].responsible
    extra = Measure(id="m-neu", title="Neue Maßnahme aus der Liste", responsible=provider)
    sheet = net.with_sections(measures=[*net.measures, extra])
    content = workbook_bytes(to_tables(sheet, repo.journal().version))
    page = client.get("/austausch").text
    preview = client.post("/austausch/vorschau", data={"csrf": csrf(page),
                                                       "art": "zusammenfuehren"},
                          files={"datei": ("liste.xlsx", io.BytesIO(content))})
    assert preview.status_code == 200, preview.text
    text = html.unescape(preview.text)
    assert "1 neu" in text and "Neue Maßnahme aus der Liste" in text
    form = preview.text[preview.text.index('action="/austausch/uebernehmen"'):]
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">',
                             form[:form.index("</form>")]))
    assert client.post("/austausch/uebernehmen", data=hidden).status_code == 303
    assert [m.id for m in repo.load().measures] == ["m-hoerde", "m-neu"]
    history = html.unescape(client.get("/verlauf").text)
    assert "eine Datei ins Netzwerk zusammengeführt (ein Eintrag neu oder geändert)" in history
