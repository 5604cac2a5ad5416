"""The Sitzung cycle in the Werkstatt (issue 26) over HTTP on a real SQLite store:
prepare a meeting (the agenda is proposed), hold it point by point (decide a Maßnahme,
„geprüft, bewusst so“), follow it up (the Protokoll as a page and as an A4 PDF, slides
16:9, the report A4) and see the next meeting report what changed since."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from graph.backends.sqlite import SqliteRepository
from seeds import load_seed
from tests.pdf_text import read_pdf
from tests.werkstatt import csrf, log_in, werkstatt

TODAY = dt.date.today()
A4 = (595.0, 842.0)


@pytest.fixture
def web(tmp_path: Path):
    repo = SqliteRepository(tmp_path / "speicher.sqlite")
    repo.replace(load_seed("brunnenstrasse"), "test")
    with werkstatt(repo, tmp_path) as client:
        assert log_in(client, "koordination").status_code == 303
        yield client, repo
    repo.close()


def _prepare(client, day: dt.date, body: str = "Steuerungsgruppe Nord") -> str:
    form = client.get("/sitzungen/neu")
    assert form.status_code == 200
    assert "brunnenstrasse" in form.text
    done = client.post("/sitzungen/neu", data={
        "csrf": csrf(form.text), "gremium": body, "gebiet": "brunnenstrasse",
        "datum": f"{day:%d.%m.%Y}"})
    assert done.status_code == 303, done.text
    return str(done.headers["location"])


def test_a_meeting_is_prepared_held_and_followed_up(web):
    client, repo = web
    assert "Noch keine Sitzung" in client.get("/sitzungen").text
    url = _prepare(client, TODAY)
    page = client.get(url)
    assert page.status_code == 200
    assert "Steuerungsgruppe Nord am" in page.text
    assert "Seit dem ersten Laden" in page.text  # the first load is the baseline
    meeting = repo.load().meetings[0]
    kinds = [a.kind.value for a in meeting.agenda]
    assert "since" in kinds and "finding" in kinds
    findings = [i for i, a in enumerate(meeting.agenda, start=1) if a.kind.value == "finding"]

    # hold it: every point opens, the arrows lead on, the first finding gets a measure
    for n in range(1, len(meeting.agenda) + 1):
        point = client.get(f"{url}/besprechung?punkt={n}")
        assert point.status_code == 200, n
        assert f"Punkt {n} von {len(meeting.agenda)}" in point.text
    first = client.get(f"{url}/besprechung?punkt={findings[0]}")
    assert 'data-taste="ArrowRight"' in first.text or findings[0] == len(meeting.agenda)
    assert "Wer den Übergang verantwortet" in first.text or "Maßnahme beschließen" in first.text
    assert 'class="karte sitzungskarte"' in first.text
    title = re.search(r'name="titel" value="([^"]*)"', first.text)
    assert title is not None
    responsible = re.search(r'<option value="([^"]+)" selected>', first.text)
    provider = responsible.group(1) if responsible else repo.load().providers[0].id
    due = TODAY + dt.timedelta(days=60)
    done = client.post(f"{url}/massnahme", data={
        "csrf": csrf(first.text), "punkt": str(findings[0]),
        "befund": meeting.agenda[findings[0] - 1].ref, "titel": "Übergabe absprechen",
        "traeger": provider, "faellig": f"{due:%d.%m.%Y}"})
    assert done.status_code == 303
    assert unquote(done.headers["location"]).endswith(f"punkt={findings[0]}")
    net = repo.load()
    measure = next(m for m in net.measures if m.title == "Übergabe absprechen")
    assert measure.meeting == meeting.id and measure.due == due
    assert measure.findings == [meeting.agenda[findings[0] - 1].ref]

    if len(findings) > 1:
        second = client.get(f"{url}/besprechung?punkt={findings[1]}")
        key = meeting.agenda[findings[1] - 1].ref
        done = client.post(f"{url}/geprueft", data={
            "csrf": csrf(second.text), "punkt": str(findings[1]), "befund": key,
            "grund": "Bewusst im Nachbarquartier"})
        assert done.status_code == 303
        accepted = next(a for a in repo.load().accepted_findings if a.key == key)
        assert accepted.meeting == meeting.id
        again = client.get(f"{url}/besprechung?punkt={findings[1]}")
        assert "Bewusst im Nachbarquartier" in again.text  # no longer open, says why

    # a note and a decision in words go into the Protokoll
    point = client.get(f"{url}/besprechung?punkt=1")
    client.post(f"{url}/punkt-notiz", data={"csrf": csrf(point.text), "punkt": "1",
                                           "notiz": "Kurz berichtet"})
    client.post(f"{url}/beschluss", data={"csrf": csrf(point.text),
                                         "beschluss": "Kitas zur nächsten Sitzung einladen",
                                         "zurueck": f"{url}/besprechung?punkt=1"})
    minutes = client.get(f"{url}/protokoll")
    assert minutes.status_code == 200
    for text in ("Übergabe absprechen", "Kurz berichtet", "Kitas zur nächsten Sitzung"):
        assert text in minutes.text
    assert re.search(r"lotse \w", minutes.text) is None

    # the documents: A4 and 16:9
    for name, wide in (("protokoll.pdf", False), ("folien.pdf", True),
                       ("bericht.pdf", False)):
        got = client.get(f"{url}/{name}")
        assert got.status_code == 200, name
        assert got.headers["content-type"] == "application/pdf"
        pdf = read_pdf(got.content)
        assert pdf.sizes, name
        for w, h in pdf.sizes:
            if wide:
                assert abs(w / h - 16 / 9) < 0.01, (name, w, h)
            else:
                assert abs(w - A4[0]) < 2 and abs(h - A4[1]) < 2, (name, w, h)


def test_the_next_meeting_reports_what_changed_since(web):
    client, repo = web
    url = _prepare(client, TODAY - dt.timedelta(days=30))
    first = repo.load().meetings[0]
    key = next(a.ref for a in first.agenda if a.kind.value == "finding")
    page = client.get(f"{url}/besprechung?punkt=1")
    client.post(f"{url}/massnahme", data={
        "csrf": csrf(page.text), "punkt": "1", "befund": key, "titel": "Etwas tun",
        "traeger": repo.load().providers[0].id, "faellig": ""})
    measure = next(m for m in repo.load().measures if m.title == "Etwas tun")
    # the measure is finished and the finding goes away (accepted in another way here)
    measures = client.get("/massnahmen")
    version = re.search(
        rf'/massnahmen/{re.escape(measure.id)}/nachhalten".*?name="version" value="(\d+)"',
        measures.text, re.S)
    assert version is not None
    client.post(f"/massnahmen/{measure.id}/nachhalten", data={
        "csrf": csrf(measures.text), "version": version.group(1), "status": "done"})
    from api.usecases.acceptances import accept_finding
    from api.usecases.roles import Principal, Role

    accept_finding(repo, Principal("koordination", Role.COORDINATOR), key, "erledigt",
                   TODAY)
    second = _prepare(client, TODAY)
    text = client.get(second).text
    assert "Seit der letzten Sitzung am" in text
    assert "1 erledigt" in text


def test_a_reader_sees_meetings_but_cannot_prepare_one(web):
    client, _repo = web
    _prepare(client, TODAY)
    client.post("/abmelden", data={"csrf": csrf(client.get("/").text)})
    assert log_in(client, "lesen").status_code == 303
    listing = client.get("/sitzungen")
    assert "Sitzung vorbereiten" not in listing.text
    url = re.search(r'href="(/sitzungen/[^"/]+)"', listing.text)
    assert url is not None
    page = client.get(url.group(1))
    assert page.status_code == 200 and "Tagesordnung speichern" not in page.text
    refused = client.post("/sitzungen/neu", data={
        "csrf": csrf(page.text), "gremium": "X", "gebiet": "brunnenstrasse",
        "datum": f"{TODAY:%d.%m.%Y}"})
    assert refused.status_code == 403


def test_a_wrong_date_and_missing_fields_are_named(web):
    client, _ = web
    form = client.get("/sitzungen/neu")
    bad = client.post("/sitzungen/neu", data={"csrf": csrf(form.text), "gremium": "",
                                             "gebiet": "", "datum": "31.02.2027"})
    assert bad.status_code == 422
    assert "Bitte das Gremium nennen" in bad.text
    assert "Bitte das Gebiet wählen" in bad.text
    assert "31.02.2027" in bad.text and "TT.MM.JJJJ" in bad.text


def test_an_unknown_meeting_is_a_clear_404(web):
    client, _ = web
    missing = client.get("/sitzungen/gibt-es-nicht")
    assert missing.status_code == 404
    assert "gibt-es-nicht" in missing.text


def test_the_api_prepares_a_meeting_and_says_what_changed_since(tmp_path: Path):
    from api.web.access import TokenFile, new_token

    repo = SqliteRepository(tmp_path / "speicher.sqlite")
    repo.replace(load_seed("brunnenstrasse"), "test")
    token, entry = new_token("koordination", "coordinator")
    reader, reader_entry = new_token("lesen", "reader")
    TokenFile(tokens=[entry, reader_entry]).write(tmp_path / "tokens.yaml")
    with werkstatt(repo, tmp_path, tokens_file=tmp_path / "tokens.yaml") as client:
        auth = {"Authorization": f"Bearer {token}"}
        body = {"body": "Steuerungsgruppe Nord", "date": TODAY.isoformat(),
                "roles": ["Jugendamt"]}
        prepare = "/api/v1/areas/brunnenstrasse/meetings"
        made = client.post(prepare, json=body, headers=auth)
        assert made.status_code == 201, made.text
        data = made.json()["data"]
        assert data["roles"] == ["Jugendamt"] and data["agenda"]
        assert made.headers["location"] == f"/api/v1/meetings/{data['id']}"
        got = client.get(f"/api/v1/meetings/{data['id']}", headers=auth)
        assert got.status_code == 200 and got.json()["data"]["body"] == body["body"]
        since = client.get(f"/api/v1/meetings/{data['id']}/since", headers=auth)
        assert since.status_code == 200 and since.json()["first"] is True
        refused = client.post(prepare, json=body,
                              headers={"Authorization": f"Bearer {reader}"})
        assert refused.status_code == 403
        unknown = client.post("/api/v1/areas/atlantis/meetings", headers=auth, json=body)
        assert unknown.status_code == 404 and "atlantis" in unknown.text
        wrong = client.post(prepare, headers=auth,
                            json={**body, "date": "31.02.2027"})
        assert wrong.status_code == 422 and "date" in wrong.text
    repo.close()
