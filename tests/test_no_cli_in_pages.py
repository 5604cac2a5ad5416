"""Issue 26's rule: everything a coordinator does is a page or a button, so no Werkstatt
page tells its reader to type ``lotse <command>``. The test crawls every Werkstatt page
of every seed from / (every same-origin GET link, logged in as the coordinator, who sees
every edit form), with a prepared Sitzung, a decided Maßnahme and an accepted finding,
so the Sitzung, each Besprechung point and the Protokoll are among the pages."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urldefrag, urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient

from graph.backends.sqlite import SqliteRepository
from graph.edit import entity_key
from graph.network import Network
from lotsen.meetings import area_choices
from seeds import list_seeds, load_seed
from tests.pdf_text import read_pdf
from tests.werkstatt import csrf, log_in, werkstatt
from visualisation.forms import SECTION_PATHS

CLI = re.compile(r"\blotse\s+[a-z]")
HREF = re.compile(r"""<a\s[^>]*?href\s*=\s*["']([^"']+)["']""", re.I)
SKIP = (".pdf", ".xlsx", ".zip", ".json", ".yaml", ".csv", ".png", ".svg")
LIMIT = 3000  # pages per seed: a crawl that runs away fails instead of hanging


@pytest.fixture(params=[s.name for s in list_seeds()])
def web(request: pytest.FixtureRequest, tmp_path: Path
        ) -> Iterator[tuple[TestClient, str, SqliteRepository]]:
    repo = SqliteRepository(tmp_path / "speicher.sqlite")
    repo.replace(load_seed(request.param), "test")
    with werkstatt(repo, tmp_path) as client:
        assert log_in(client, "koordination").status_code == 303
        yield client, request.param, repo
    repo.close()


def _prepare(client: TestClient, area: str) -> str:
    """A Sitzung for ``area`` with a Maßnahme on its first finding and the second one
    accepted, the way the Besprechung's forms record them."""
    form = client.get("/sitzungen/neu")
    done = client.post("/sitzungen/neu", data={
        "csrf": csrf(form.text), "gremium": "Steuerungsgruppe", "gebiet": area,
        "datum": f"{dt.date.today():%d.%m.%Y}"})
    assert done.status_code == 303, done.text
    url = str(done.headers["location"])
    page = client.get(url).text
    points = re.findall(r'/besprechung\?punkt=(\d+)', page)
    befunde = []
    for n in dict.fromkeys(points):
        text = client.get(f"{url}/besprechung?punkt={n}").text
        key = re.search(r'action="[^"]*/massnahme".*?name="befund" value="([^"]+)"', text,
                        re.S)
        if key:
            befunde.append((n, html.unescape(key.group(1)), text))
    if befunde:
        n, key, text = befunde[0]
        provider = re.search(r'<select id="traeger" name="traeger">.*?<option value="([^"]+)"',
                             text, re.S)
        assert provider is not None
        client.post(f"{url}/massnahme", data={
            "csrf": csrf(text), "punkt": n, "befund": key, "titel": "Übergabe absprechen",
            "traeger": html.unescape(provider.group(1)), "faellig": ""})
    if len(befunde) > 1:
        n, key, text = befunde[1]
        client.post(f"{url}/geprueft", data={"csrf": csrf(text), "punkt": n, "befund": key,
                                             "grund": "bewusst so"})
    return url


def _edit_pages(net: Network) -> list[str]:
    """Every entity's edit form, linked from somewhere or not (and each transition's
    Kooperation page): the crawl starts from these too."""
    pages = []
    for section, part in SECTION_PATHS.items():
        for entity in getattr(net, section):
            pages.append(f"/bearbeiten/{part}/{quote(entity_key(entity), safe='')}")
            if section == "transitions":
                pages.append(f"/bearbeiten/{part}/{quote(entity_key(entity), safe='')}/kooperation")
    return pages


def _links(page: str, here: str) -> Iterator[str]:
    for href in HREF.findall(page):
        target, _ = urldefrag(urljoin(here, html.unescape(href)))
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https") or parts.netloc != "127.0.0.1":
            continue
        if parts.path.endswith(SKIP):
            continue
        yield parts.path + (f"?{parts.query}" if parts.query else "")


def _shown(page: str) -> str:
    """The text a reader sees or hears: without scripts and styles, once with the tags'
    attributes (title, placeholder, aria-label) and once as text without tags, so that
    ``lotse <code>check</code>`` is caught too."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return html.unescape(page) + "\n" + html.unescape(re.sub(r"<[^>]+>", "", page))


def test_no_page_tells_the_reader_to_type_a_lotse_command(
        web: tuple[TestClient, str, SqliteRepository]) -> None:
    client, seed, repo = web
    meeting = _prepare(client, area_choices(load_seed(seed))[-1][0])  # the smallest area
    net = load_seed(seed)
    todo = ["/", "/sitzungen", meeting, f"{meeting}/protokoll", "/massnahmen",
            "/sicherungen", *_edit_pages(net)][::-1]
    seen: set[str] = set(todo)
    found: dict[str, list[str]] = {}
    visited = 0
    while todo:
        url = todo.pop()
        answer = client.get(url)
        visited += 1
        assert visited <= LIMIT, f"mehr als {LIMIT} Seiten – läuft die Suche im Kreis?"
        if answer.status_code in (301, 302, 303, 307, 308):
            target = answer.headers["location"]
            if urlsplit(target).path not in ("/anmelden", "/abmelden") and target not in seen:
                seen.add(target)
                todo.append(target)
            continue
        if "text/html" not in answer.headers.get("content-type", ""):
            continue
        hits = [m.group(0) + _shown(answer.text)[m.end():m.end() + 40]
                for m in CLI.finditer(_shown(answer.text))]
        if hits:
            found[url] = hits[:3]
        for link in _links(answer.text, "http://127.0.0.1" + url):
            if link not in seen and not link.startswith(("/abmelden", "/anmelden")):
                seen.add(link)
                todo.append(link)
    assert visited > 20, visited
    assert "/sitzungen" in seen and f"{meeting}/besprechung?punkt=1" in seen
    # the documents of the Sitzung a reader takes away: the slides (matplotlib, their
    # text reads) and the HTML the report is printed from (the Protokoll PDF prints the
    # Protokoll page checked above)
    from visualisation.meeting_documents import meeting_report_html

    got = client.get(f"{meeting}/folien.pdf")
    assert got.status_code == 200
    texts = {"folien.pdf": "\n".join(read_pdf(got.content).texts)}
    assert "Steuerungsgruppe" in texts["folien.pdf"]
    net, journal = repo.load(), repo.journal()
    one = next(m for m in net.meetings if meeting.endswith(m.id))
    texts["bericht.pdf"] = _shown(meeting_report_html(net, journal, one))
    for name, text in texts.items():
        hits = [m.group(0) + text[m.end():m.end() + 40] for m in CLI.finditer(text)]
        if hits:
            found[f"{meeting}/{name}"] = hits[:3]
    assert not found, found


def test_texts_shown_only_beyond_a_limit_name_no_command() -> None:
    """What a small seed never shows: the legend's last row beyond its limit and the
    message for a wrong finding key (a flash on the page)."""
    from lotsen.findings import parse_key
    from visualisation.scene import quarter_scene
    from visualisation.static import owner_rows

    rows = owner_rows(quarter_scene(load_seed("brunnenstrasse"), "brunnenstrasse",
                                    dt.date.today()), limit=1)
    assert "weitere Übergänge" in rows[-1][0]
    assert not CLI.search(rows[-1][0]), rows[-1][0]
    with pytest.raises(ValueError) as wrong:
        parse_key("KEIN_CODE/x")
    assert not CLI.search(str(wrong.value)), wrong.value
