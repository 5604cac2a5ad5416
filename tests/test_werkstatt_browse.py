"""The network at hand (issue 27): search, lists, entry pages, findings linking to what
fixes them. Real SQLite stores, the real app over HTTP; the search also as a property
over generated networks (every entry is found by its name, a typo included, and the
index derived after a change finds the same as one built anew)."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.backends.sqlite import SqliteRepository
from graph.edit import remove, upsert
from graph.model import Municipality, Quarter
from graph.network import Network
from lotsen.search import SEARCHED, SearchIndex, words
from seeds import load_seed
from tests.strategies import networks
from tests.werkstatt import log_in, werkstatt
from visualisation.browse import PAGE_SIZE, list_table

TODAY = dt.date.today()


def _text(page: Any) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page.text)))


@pytest.fixture
def web(tmp_path: Path):
    repo = SqliteRepository(tmp_path / "speicher.sqlite")
    net = load_seed("kreis-unna")
    kommune = Municipality(id="froendenberg", name="Fröndenberg/Ruhr", county="Kreis Unna")
    quarter = Quarter(id="froendenberg-mitte", name="Fröndenberg-Mitte",
                      municipality="froendenberg")
    repo.replace(net.with_sections(municipalities=[*net.municipalities, kommune],
                                   quarters=[*net.quarters, quarter]), "test")
    with werkstatt(repo, tmp_path) as client:
        assert log_in(client, "koordination").status_code == 303
        yield client, repo
    repo.close()


@pytest.mark.parametrize("query", ["Froendenberg", "Fröndenbrg", "fröndenberg/ruhr",
                                   "FROENDENBERG"])
def test_search_finds_the_commune_however_it_is_typed(web, query):
    client, _ = web
    page = client.get("/suche", params={"q": query})
    assert page.status_code == 200
    text = _text(page)
    assert "Kommunen (1)" in text and "Fröndenberg/Ruhr" in text
    assert 'href="/jahre?gebiet=kommune:froendenberg"' in page.text
    if "ruhr" not in query:  # the quarter too, in its own group
        assert "Quartiere (1)" in text and "Fröndenberg-Mitte" in text


def test_search_is_in_the_header_of_every_page_and_says_when_nothing_is_found(web):
    client, _ = web
    for url in ("/", "/massnahmen", "/traeger"):
        assert 'action="/suche"' in client.get(url).text
    nothing = _text(client.get("/suche", params={"q": "xyzzy"}))
    assert "Nichts gefunden für „xyzzy“" in nothing


def test_the_lists_filter_sort_and_link_each_row(web):
    client, repo = web
    net = repo.load()
    for path in ("traeger", "angebote", "uebergaenge", "vereinbarungen", "standorte"):
        page = client.get(f"/{path}")
        assert page.status_code == 200, path
    page = client.get("/angebote")
    for s in net.services:
        assert f'href="/angebote/{s.id}"' in page.text
    quarter = net.quarters[0]
    only = client.get("/angebote", params={"gebiet": quarter.id})
    for s in net.services:
        assert (f'href="/angebote/{s.id}"' in only.text) is (quarter.id in s.quarters)
    stage = net.services[0].life_stages[0]
    staged = client.get("/angebote", params={"phase": stage})
    for s in net.services:
        assert (f'href="/angebote/{s.id}"' in staged.text) is (stage in s.life_stages)
    names = [p.name for p in net.providers]
    down = _text(client.get("/traeger", params={"sortierung": "-name"}))
    order = sorted(names, key=str.casefold, reverse=True)
    positions = [down.index(n) for n in order if n in down]
    assert positions == sorted(positions)
    assert 'aria-sort="descending"' in client.get("/traeger?sortierung=-name").text


def test_agreements_by_validity(web):
    client, repo = web
    net = repo.load()
    expired = [a for a in net.agreements if a.valid_until and a.valid_until < TODAY]
    page = client.get("/vereinbarungen", params={"gueltigkeit": "abgelaufen"})
    for a in net.agreements:
        assert (f'href="/vereinbarungen/{a.id}"' in page.text) is (a in expired)
    soon = client.get("/vereinbarungen", params={"gueltigkeit": "laeuft-aus"})
    for a in net.agreements:
        due = a.valid_until is not None and TODAY <= a.valid_until <= TODAY + dt.timedelta(
            days=180)
        assert (f'href="/vereinbarungen/{a.id}"' in soon.text) is due


def test_a_long_list_is_paged(tmp_path):
    from seeds.synthetic import generate

    net = generate(quarters=2, services_per_quarter=60).network
    table = list_table(net, "services", TODAY, {})
    assert table.total == len(net.services) and table.pages > 1
    assert len(table.rows) == PAGE_SIZE
    last = list_table(net, "services", TODAY, {"seite": str(table.pages)})
    assert len(last.rows) == table.total - PAGE_SIZE * (table.pages - 1)
    assert list_table(net, "services", TODAY, {"seite": "x"}).page == 1


def test_provider_and_agreement_pages(web):
    client, repo = web
    net = repo.load()
    a = next(a for a in net.agreements if any(a.id in t.agreements for t in net.transitions))
    page = client.get(f"/vereinbarungen/{a.id}")
    assert page.status_code == 200
    text = _text(page)
    assert a.name in text and "Übergänge, die sie trägt" in text
    for t in net.transitions:
        if a.id in t.agreements:
            assert f'href="/uebergaenge/{t.id}"' in page.text
    for p in a.parties:
        assert f'href="/traeger/{p}"' in page.text
    assert f'href="/bearbeiten/vereinbarungen/{a.id}"' in page.text  # edit is a button
    p = net.provider_index[a.parties[0]]
    own = client.get(f"/traeger/{p.id}")
    assert own.status_code == 200
    for s in net.services:
        if s.provider == p.id:
            assert f'href="/angebote/{s.id}"' in own.text
    assert f'href="/vereinbarungen/{a.id}"' in own.text
    service = net.services[0]
    assert client.get(f"/angebote/{service.id}").status_code == 200
    t = net.transitions[0]
    tpage = client.get(f"/uebergaenge/{t.id}")
    assert tpage.status_code == 200 and f'href="/angebote/{t.source}"' in tpage.text
    missing = client.get("/traeger/gibt-es-nicht")
    assert missing.status_code == 404 and "gibt-es-nicht" in html.unescape(missing.text)


def test_a_reader_sees_the_pages_without_edit_buttons(web):
    client, repo = web
    client.post("/abmelden", data={"csrf": re.search(
        r'name="csrf" value="([^"]+)"', client.get("/").text).group(1)})
    assert log_in(client, "lesen").status_code == 303
    a = repo.load().agreements[0]
    page = client.get(f"/vereinbarungen/{a.id}")
    assert page.status_code == 200 and "/bearbeiten/" not in page.text
    assert "Neu anlegen" not in client.get("/vereinbarungen").text


def test_findings_link_to_what_fixes_them(tmp_path):
    repo = SqliteRepository(tmp_path / "speicher.sqlite")
    repo.replace(load_seed("dortmund"), "test")
    with werkstatt(repo, tmp_path) as client:
        assert log_in(client, "koordination").status_code == 303
        page = client.get("/quartiere/brunnenstrasse")
        assert 'href="/vereinbarungen/' in page.text and "Vereinbarung öffnen" in page.text
        gap = client.get("/quartiere/libellenquartier").text
        link = re.search(r'href="(/bearbeiten/angebote/neu\?quartier=libellenquartier'
                         r'&amp;phase=[a-z_]+)"', gap)
        assert link is not None
        form = client.get(html.unescape(link.group(1)))
        stage = link.group(1).rsplit("=", 1)[1]
        assert form.status_code == 200
        assert re.search(rf'value="{stage}"[^>]*checked', form.text) or re.search(
            rf'checked[^>]*value="{stage}"', form.text)
    repo.close()


# --- the search as a property over generated networks ---------------------------------


def _name(section: str, e: Any) -> str:
    return str(e.title if section == "measures" else e.body if section == "meetings"
               else e.name)


def _typo(word: str) -> str:
    return word[:-1] + ("x" if word[-1] != "x" else "y")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(max_services=6), st.data())
def test_every_entry_is_found_by_its_name_and_its_id(net: Network, data: Any) -> None:
    index = SearchIndex(net)
    for section in SEARCHED:
        for e in getattr(net, section):
            name = _name(section, e)
            for query in (e.id, name):
                if not words(query):
                    continue
                hits = {(h.section, h.id) for h in index.search(query, limit=10**6).hits}
                assert (section, e.id) in hits, (section, query)
            long = [w for w in words(name) if len(w) >= 5]
            if long:
                typed = " ".join(_typo(w) if w == long[0] else w for w in words(name))
                hits = {(h.section, h.id) for h in index.search(typed, limit=10**6).hits}
                assert (section, e.id) in hits, (section, typed)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(max_services=6), st.data())
def test_the_index_after_a_change_finds_what_a_new_one_finds(net: Network, data: Any) -> None:
    before = SearchIndex(net)
    changed = net
    for _ in range(data.draw(st.integers(1, 4))):
        services = changed.services
        if not services:
            break
        s = data.draw(st.sampled_from(services))
        if data.draw(st.booleans()) and not any(t.source == s.id or t.target == s.id
                                                for t in changed.transitions):
            changed = remove(changed, "services", s.id)
        else:
            changed = upsert(changed, "services", s.model_copy(
                update={"name": data.draw(st.sampled_from(["Kita Sonnenschein",
                                                           "Familienbüro Süd",
                                                           s.name + " neu"]))}))
    derived, fresh = SearchIndex(changed, before), SearchIndex(changed)
    for query in ["Kita", "Sonnenschin", "Familienbuero", "neu",
                  *[s.name for s in changed.services], *[s.id for s in net.services]]:
        got = derived.search(query, limit=10**6)
        want = fresh.search(query, limit=10**6)
        assert sorted((h.section, h.id, h.score) for h in got.hits) == sorted(
            (h.section, h.id, h.score) for h in want.hits), query
