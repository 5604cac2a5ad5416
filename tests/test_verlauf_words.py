"""The Verlauf in words (issue 27.8): no codes, no field names, one change per change,
local time – and deleted entries restorable from the „Gelöscht“ list (issue 27.6)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Any

import pytest

from graph.edit import entity_key
from graph.journal import AuditEntry
from graph.network import ALL_SECTIONS, Network
from graph.vocabulary import ENUM_LABELS
from lotsen.check import check
from seeds import load_seed
from visualisation.audit_text import field_changes, sentence, when

AT = dt.datetime(2026, 11, 24, 9, 5, tzinfo=dt.UTC)
CODES = {code for labels in ENUM_LABELS.values() for code in labels}
FIELDS = {f for model in ALL_SECTIONS.values() for f in model.model_fields} | {
    f for model in ALL_SECTIONS.values() for info in model.model_fields.values()
    for f in getattr(info.annotation, "model_fields", {})}


def _extra(net: Network) -> dict[str, list[dict[str, Any]]]:
    """Entries of the sections the seeds leave empty (sites, acceptances, measures,
    Sitzungen) and nested values they do not use (assessments, data protection)."""
    keys = [f.stable_key for f in check(net, AT.date())]
    providers = [p.id for p in net.providers]
    quarters = [q.id for q in net.quarters]
    t = net.transitions[0].model_dump(mode="json")
    q = net.quarters[0].model_dump(mode="json")
    years = q["social_data"]
    return {
        "sites": [
            {"id": "haus-a", "name": "Haus A", "address": "Bornstraße 1", "quarter": quarters[0],
             "contact": {"url": "https://a.example.org", "phone": "0231 1"}},
            {"id": "haus-b", "name": "Haus B", "quarter": quarters[1], "description": "B",
             "contact": {"email": "info@b.example.org", "opening_hours": "Mo 9–12 Uhr"}}],
        "accepted_findings": [
            {"key": keys[0], "reason": "gewollt", "by": "Koordination", "on": "2026-01-02"},
            {"key": keys[3], "reason": "so", "by": "Steuerungsgruppe", "on": "2026-02-02",
             "until": "2026-12-31", "meeting": "sg-2026-12"}],
        "measures": [
            {"id": "m-vereinbarung", "title": "Vereinbarung erneuern", "findings": [keys[0]],
             "responsible": providers[0], "status": "open"},
            {"id": "m-angebot", "title": "Angebot anlegen", "findings": [keys[1], keys[2]],
             "responsible": providers[1], "due": "2027-01-31", "status": "in_progress",
             "note": "läuft", "meeting": "sg-2026-12"}],
        "meetings": [
            {"id": "sg-2026-12", "body": "Steuerungsgruppe", "area": quarters[0],
             "date": "2026-12-09", "attending": providers[:2], "roles": ["Jugendamt"],
             "agenda": [{"kind": "finding", "title": "Übergang ohne Vereinbarung",
                         "ref": keys[0]}], "decisions": [{"text": "Wir erneuern sie."}]},
            {"id": "qn-2027-01", "body": "Quartiersnetz", "area": "Kreis Unna",
             "date": "2027-01-09", "attending": providers[1:5],
             "agenda": [{"kind": "finding", "title": "Übergang ohne Vereinbarung",
                         "ref": keys[0], "note": "besprochen"},
                        {"kind": "other", "title": "Verschiedenes"}], "note": "kurz"}],
        "transitions": [{**t, "cooperation": [{"level": 4, "on": "2026-05-12",
                                               "by": "Netzwerkkoordination"}],
                         "data_protection": {"passes": "documents",
                                             "basis": ["written_consent"]},
                         "language_mediation": True, "kind": "warm_handoff"}],
        "services": [{**net.services[0].model_dump(mode="json"), "capacity_unit": "places",
                      "access": ["free", "outreach"], "status": "paused",
                      "language_bridge": True, "languages": ["de", "tr"],
                      "contact": {"url": "https://s.example.org"}}],
        "quarters": [{**q, "social_data": [*years[:-1], {
            **years[-1], "inhabitants": 99999, "children_by_stage": {"infant": 3}},
            {"year": 2030, "births_per_year": 5}]}],
    }


def _raw(text: str, ids: set[str]) -> set[str]:
    """Codes, field names and ids a sentence shows instead of words."""
    words = set(re.findall(r"[\w-]+", text))
    plain = set(re.findall(r"\w+", text))
    return ((plain & CODES) | {w for w in plain & FIELDS if "_" in w or w.islower()}
            | (words & ids) | set(re.findall(r"[A-Z][A-Z_]{3,}/\S+", text))
            | ({"{"} if "{" in text or "'" in text else set()))


@pytest.mark.parametrize("seed", ["dortmund", "kreis-unna"])
def test_every_field_of_every_section_changes_in_words(seed: str) -> None:
    """Property over the seeds: change each field of an entry to the value another entry
    of its section has (None ↔ value, one list for another, one enum value for another)
    – the sentence names no code, no field name and no id."""
    net = load_seed(seed)
    extra = _extra(net)
    net = net.with_sections(**{s: [ALL_SECTIONS[s].model_validate(e) for e in extra[s]]
                               for s in ("sites", "accepted_findings", "measures",
                                         "meetings")})
    ids = {entity_key(e) for s in ALL_SECTIONS for e in getattr(net, s)}
    ids |= {str(e.get("id")) for items in extra.values() for e in items if e.get("id")}
    ids = {i for i in ids if "-" in i or "_" in i}  # a plain word may be an id and a name
    checked = 0
    for section, model in ALL_SECTIONS.items():
        items = [e.model_dump(mode="json") for e in getattr(net, section)][:5]
        items += extra.get(section, [])
        for a, b in itertools.permutations(items, 2):
            key = entity_key(model.model_validate(a))
            for field in model.model_fields:
                if field == "id" or a.get(field) == b.get(field):
                    continue
                entry = AuditEntry(seq=1, at=AT, actor="k.meier", action="update",
                                   section=section, entity_id=key, version=2, before=a,
                                   after={**a, field: b.get(field)})
                text = sentence(entry, net)
                assert not _raw(text, ids), (section, field, text)
                assert text.endswith(".") and not text.endswith("..")
                checked += 1
        for a in items:
            for action in ("create", "delete"):
                entry = AuditEntry(
                    seq=1, at=AT, actor="k.meier", action=action, section=section,
                    entity_id=entity_key(model.model_validate(a)), version=1,
                    before=a if action == "delete" else None,
                    after=a if action == "create" else None)
                text = sentence(entry, net)
                assert not _raw(text, ids), (section, action, text)
    assert checked > 500


def test_the_words_of_the_issue() -> None:
    """The examples of issue 27.8, one by one."""
    net = load_seed("unna")
    keys = [f.stable_key for f in check(net, AT.date())]
    pearl = next(k for k in keys if k.startswith("PEARL/"))
    created = AuditEntry(seq=1, at=AT, actor="k.meier", action="create",
                         section="accepted_findings", entity_id=pearl, version=1,
                         after={"key": pearl, "reason": "gewollt", "on": "2026-11-24"})
    text = sentence(created, net)
    assert "PEARL" not in text and "Bildungsperle: " in text
    t = net.transitions[0].model_dump(mode="json")
    assert field_changes("transitions", t, {**t, "cooperation": [
        {"level": 4, "on": "2026-05-12", "by": "Koordination"}]}, net) == [
        "Kooperationsstufe: – → Stufe 4 am 12.05.2026 (Koordination)"]
    assert field_changes("measures", {"status": "open"}, {"status": "in_progress"}, net) \
        == ["Stand: offen → in Arbeit"]
    s = net.services[0].model_dump(mode="json")
    assert field_changes("services", s, {**s, "capacity_unit": "starts_per_year"}, net) == [
        "Was die Zahl zählt: – → Aufnahmen pro Jahr"]


def test_adding_one_partner_names_only_that_partner() -> None:
    net = load_seed("dortmund")
    providers = [p for p in net.providers]
    a = net.agreements[0].model_dump(mode="json")
    old = {**a, "parties": [p.id for p in providers[:12]]}
    new = {**a, "parties": [p.id for p in providers[:13]]}
    changes = field_changes("agreements", old, new, net)
    assert changes == [f"Unterzeichnende Träger: {providers[12].name} hinzugefügt"]
    fewer = field_changes("agreements", new, {**a, "parties": [
        p.id for p in providers[1:13]]}, net)
    assert fewer == [f"Unterzeichnende Träger: {providers[0].name} entfernt"]
    q = net.quarters[0].model_dump(mode="json")
    year = q["social_data"][0]
    changed = field_changes("quarters", q, {**q, "social_data": [
        {**year, "inhabitants": 5000}, *q["social_data"][1:]]}, net)
    assert changed == [f"Sozialdaten: Jahr {year['year']} geändert (Einwohner: "
                       f"{year['inhabitants']} → 5000)"]


def test_times_are_local_time_in_berlin() -> None:
    summer = dt.datetime(2026, 7, 1, 22, 30, tzinfo=dt.UTC)
    winter = dt.datetime(2026, 12, 31, 23, 15, tzinfo=dt.UTC)
    assert when(summer) == "02.07.2026 um 00:30 Uhr"
    assert when(winter) == "01.01.2027 um 00:15 Uhr"
    assert when(summer.replace(tzinfo=None)) == "02.07.2026 um 00:30 Uhr"  # stored as UTC


# -- „Gelöscht“: a deleted service comes back (issue 27.6) ------------------------------

SERVICE = "sprachbilderbuecher"  # in no transition: deleting it breaks nothing


def _sqlite_werkstatt(tmp_path: Any, who: str = "koordination") -> tuple[Any, Any]:
    from graph.backends.sqlite import SqliteRepository
    from tests.werkstatt import log_in, werkstatt

    repo = SqliteRepository(tmp_path / "speicher.sqlite")
    repo.replace(load_seed("dortmund"), "test")
    client = werkstatt(repo, tmp_path)
    assert log_in(client, who).status_code == 303
    return repo, client


def test_a_deleted_service_comes_back_from_the_deleted_list(tmp_path: Any) -> None:
    import html

    from tests.werkstatt import csrf

    repo, client = _sqlite_werkstatt(tmp_path)
    before = repo.load().service_index[SERVICE]
    name = before.name
    edit = client.get(f"/bearbeiten/angebote/{SERVICE}").text
    r = client.post(f"/bearbeiten/angebote/{SERVICE}/loeschen",
                    data={"csrf": csrf(edit), "version": "1"})
    assert r.status_code == 303 and SERVICE not in repo.load().service_index
    history = html.unescape(client.get("/verlauf").text)
    assert f"das Angebot „{name}“ gelöscht" in history
    assert 'href="/verlauf/geloescht"' in history
    page = client.get("/verlauf/geloescht")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "1 gelöschter Eintrag" in text and f"<td>„{name}“</td>" in text
    assert "Wiederherstellen" in text
    seq = re.search(r'name="nr" value="(\d+)"', page.text)
    assert seq
    r = client.post("/verlauf/rueckgaengig", data={
        "csrf": csrf(page.text), "nr": seq.group(1), "weiter": "/verlauf/geloescht"})
    assert r.status_code == 303 and r.headers["location"] == "/verlauf/geloescht"
    done = html.unescape(client.get(r.headers["location"]).text)
    assert f"Angebot „{name}“ ist wiederhergestellt" in done
    assert "Zurzeit ist nichts gelöscht" in done
    assert repo.load().service_index[SERVICE] == before
    last = repo.journal().entries[-1]
    assert last.action == "create" and last.actor == "koordination"
    # a second try of the same restore is the usual conflict, nothing changes
    again = client.post("/verlauf/rueckgaengig", data={
        "csrf": csrf(page.text), "nr": seq.group(1), "weiter": "/verlauf/geloescht"})
    assert again.status_code == 303
    assert "noch einmal geändert" in html.unescape(client.get("/verlauf/geloescht").text)
    assert repo.journal().entries[-1] == last


def test_readers_see_the_deleted_list_without_buttons(tmp_path: Any) -> None:
    from graph.journal import Edit

    repo, client = _sqlite_werkstatt(tmp_path, who="lesen")
    repo.apply(Edit("services", SERVICE, None, "koordination"))
    page = client.get("/verlauf/geloescht").text
    assert "1 gelöschter Eintrag" in page and "Wiederherstellen</button>" not in page
    assert "Ihre Rolle" in page


def test_undo_covers_create_update_and_delete(tmp_path: Any) -> None:
    """„Rückgängig machen“ in the Verlauf: a new entry goes again, a change goes back, a
    deleted one comes back – each as a new change."""
    from api.usecases.roles import command_line
    from api.usecases.undo import undo_change
    from graph.journal import Edit

    repo, _ = _sqlite_werkstatt(tmp_path)
    s = repo.load().service_index[SERVICE]
    repo.apply(Edit("services", SERVICE, s.model_copy(update={"name": "Neu"}), "k"))
    assert undo_change(repo, command_line(), 2).action == "update"
    assert repo.load().service_index[SERVICE].name == s.name
    repo.apply(Edit("services", SERVICE, None, "k"))
    assert undo_change(repo, command_line(), 4).action == "create"
    new = s.model_copy(update={"id": "neu"})
    repo.apply(Edit("services", "neu", new, "k", create=True))
    assert undo_change(repo, command_line(), 6).action == "delete"
    assert "neu" not in repo.load().service_index


def test_the_history_shows_berlin_time(tmp_path: Any) -> None:
    import html
    from zoneinfo import ZoneInfo

    from graph.journal import Edit

    repo, client = _sqlite_werkstatt(tmp_path)
    s = repo.load().service_index[SERVICE]
    repo.apply(Edit("services", SERVICE, s.model_copy(update={"name": "Neu"}), "k"))
    at = repo.journal().entries[-1].at
    assert at.utcoffset() == dt.timedelta(0)  # stored in UTC
    berlin = at.astimezone(ZoneInfo("Europe/Berlin"))
    page = html.unescape(client.get("/verlauf").text)
    assert f"Am {berlin:%d.%m.%Y} um {berlin:%H:%M} Uhr hat k das Angebot" in page


def test_backups_are_listed_in_berlin_time_in_the_werkstatt_and_the_cli(tmp_path: Any
                                                                        ) -> None:
    """A backup written at 22:30 UTC on 1 July is one of 2 July, 00:30 in Unna – on the
    page „Sicherungen“ and in ``lotse backups``, whatever the machine's time zone."""
    import html
    import os
    from pathlib import Path

    from graph.backup import make_backup
    from tests.test_cli import lotse

    repo, client = _sqlite_werkstatt(tmp_path)
    made = make_backup(repo)
    moment = dt.datetime(2026, 7, 1, 22, 30, tzinfo=dt.UTC).timestamp()
    os.utime(made, (moment, moment))
    page = html.unescape(client.get("/sicherungen").text)
    assert "02.07.2026 um 00:30 Uhr" in page and "01.07.2026" not in page
    root = Path(__file__).resolve().parents[1]  # this checkout, not another one installed
    listed = lotse("backups", "--store", str(tmp_path / "speicher.sqlite"), cwd=tmp_path,
                   env={"TZ": "UTC", "PYTHONPATH": str(root)})
    assert listed.returncode == 0, listed.stderr
    assert "02.07.2026 00:30:00" in listed.stdout


# -- no word broken without a hyphen in a table at 1280 px (real Chromium) ---------------

_BROKEN_WORDS = """() => {
  const bad = [];
  for (const cell of document.querySelectorAll('table td, table th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      if (node.parentElement.closest('.sr')) continue;
      const re = /[^\\s\\u00ad\\-\\u2013\\u2011\\/]+/g;
      let m;
      while ((m = re.exec(node.data))) {
        const top = (i) => {  // where one character of the piece stands
          const r = document.createRange();
          r.setStart(node, i);
          r.setEnd(node, i + 1);
          // after a break at a soft hyphen the next character also owns the hyphen
          // drawn at the end of the line before: its own place is its lowest box
          const tops = [...r.getClientRects()].filter(x => x.width > 0).map(x => x.top);
          return tops.length ? Math.round(Math.max(...tops)) : null;
        };
        const first = top(m.index), last = top(m.index + m[0].length - 1);
        if (first !== null && last !== null && first !== last) bad.push(m[0]);
      }
    }
  }
  return bad;
}"""


def test_no_word_in_a_table_breaks_without_a_hyphen_at_1280_px(tmp_path: Any) -> None:
    """Every table of the main pages at 1280×720 in Chromium: each piece of a word between
    hyphens (soft ones included) stays on one line – no "Kooperat|ionsvertrag", no
    "31.01.20|27". The pages come from this checkout's Werkstatt, routed into the
    browser."""
    from graph.journal import Edit
    from tests.browser import chromium

    repo, client = _sqlite_werkstatt(tmp_path)
    s = repo.load().service_index[SERVICE]
    repo.apply(Edit("services", SERVICE, s.model_copy(update={"name": "Neu"}), "k"))
    repo.apply(Edit("services", SERVICE, None, "k"))
    base = "http://127.0.0.1"

    def answer(route: Any) -> None:
        r = client.get(route.request.url.removeprefix(base))
        route.fulfill(status=r.status_code, body=r.content,
                      headers={"content-type": r.headers.get("content-type", "text/html")})

    pages = ["/", "/quartiere/brunnenstrasse", "/quartiere/hoerde", "/verlauf",
             "/verlauf/geloescht", "/sicherungen", "/massnahmen", "/sitzungen",
             f"/bearbeiten/uebergaenge/{repo.load().transitions[0].id}/kooperation"]
    found: dict[str, list[str]] = {}
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 720},
                                      locale="de-DE")
        page = context.new_page()
        page.route(f"{base}/**", answer)
        for url in pages:
            assert page.goto(base + url).status == 200, url
            broken = page.evaluate(_BROKEN_WORDS)
            if broken:
                found[url] = broken
        context.close()
    assert not found, found
