"""One truth on every surface (issue 26, point 4): the chain map, the meeting map, the
slides, the quarter report, the city view and the JSON API show the findings list of the
Werkstatt's quarter page – accepted findings („geprüft, bewusst so“) hidden everywhere,
every count the same – and the Verantwortungstabelle of slides and report paints only
hand-overs red that need an agreement and lack one."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.text import Text

from api.web.pages.overview import quarter_triage as werkstatt_triage
from graph.backends.memory import MemoryRepository
from graph.model import AcceptedFinding
from graph.network import Network
from lotsen.acceptance import triage
from lotsen.check import check
from lotsen.findings import BROKEN_HANDOFF_CODES, Finding
from lotsen.ownership import responsibility_table
from seeds import list_seeds, load_seed
from tests.conftest import AS_OF
from tests.pdf_text import read_pdf
from tests.strategies import networks
from tests.werkstatt import werkstatt
from visualisation import palette
from visualisation.city import several_quarters_scene
from visualisation.html_map import map_data, map_html
from visualisation.report import quarter_report
from visualisation.scene import quarter_scene
from visualisation.slides import quarter_slides, slide_figures
from visualisation.static import scene_image

DAY = AS_OF.isoformat()
SEEDS = [info.name for info in list_seeds()]
CASES = [(name, q.id) for name in SEEDS for q in load_seed(name).quarters]


def _accepted(key: str, until: dt.date | None = None) -> AcceptedFinding:
    return AcceptedFinding(key=key, reason="geprüft, bewusst so", by="Koordination",
                           on=AS_OF, until=until)


def _pick(found: list[Finding]) -> Finding:
    """The finding a steering group would mark first: a pearl, else a hand-off."""
    for wanted in ({"PEARL"}, BROKEN_HANDOFF_CODES):
        hit = next((f for f in found if f.code in wanted), None)
        if hit is not None:
            return hit
    return found[0]


@cache
def accepted_seed(name: str) -> Network:
    """The seed with one finding of every quarter accepted (one accepted without end)."""
    net = load_seed(name)
    keys: list[str] = []
    for q in net.quarters:
        key = _pick(check(net, AS_OF, quarters=[q.id])).stable_key
        if key not in keys:
            keys.append(key)
    return net.with_sections(accepted_findings=[_accepted(k) for k in keys])


@pytest.fixture(scope="module")
def clients() -> Iterator[dict[str, TestClient]]:
    """A Werkstatt without sign-in (and its JSON API) per seed, on the accepted seed."""
    out: dict[str, TestClient] = {}
    folder = Path("/tmp")  # no users file without sign-in
    for name in SEEDS:
        repo = MemoryRepository()
        repo.replace(accepted_seed(name), "test")
        out[name] = werkstatt(repo, folder, auth=False)
    yield out
    for client in out.values():
        client.close()


def werkstatt_list(client: TestClient, quarter: str) -> list[Finding]:
    """The findings the Werkstatt's quarter page lists (its own function, its state)."""
    snap = client.app.state.store.snapshot()  # type: ignore[attr-defined]
    return werkstatt_triage(snap, quarter, AS_OF).open


def werkstatt_count(client: TestClient, quarter: str) -> int:
    page = client.get(f"/quartiere/{quarter}?stichtag={DAY}")
    assert page.status_code == 200
    found = re.search(r"Befunde \((\d+) von (\d+)", page.text)
    assert found, "keine Befundzahl auf der Quartiersseite"
    return int(found.group(2))


def count_in(text: str, pattern: str = r"(\d+) Befunde?\b") -> int:
    found = re.search(pattern, text)
    assert found, f"keine Befundzahl in {text[:200]!r}"
    return int(found.group(1))


def slide_title_count(net: Network, quarter: str) -> int:
    return count_in(read_pdf(quarter_slides(net, quarter, AS_OF)).texts[0])


def map_count(page: str) -> int:
    return count_in(page, r"<h2>Befunde \((\d+)\)</h2>")


def picture_count(svg: bytes) -> int:
    return count_in(html.unescape(svg.decode("utf-8")), r"Ankerstandort · (\d+) Befunde?")


def report_parts(page: str) -> tuple[int, int, list[str], int]:
    """Heading count, the indicator „Befunde“, the messages of the findings table and the
    count under the map, of a quarter report."""
    heading = count_in(page, r"<h2>Befunde \((\d+)")
    tile = count_in(page, r'<div class="wert">(\d+)</div><div class="name">Befunde</div>')
    table = page[page.index('<table class="befunde">'):] if '<table class="befunde">' in page \
        else ""
    table = table[:table.index("</table>")] if table else ""
    rows = [html.unescape(m) for m in re.findall(
        r"<tr><td>\d+</td><td[^>]*>[^<]*</td><td>[^<]*</td><td>([^<]*)</td>", table)]
    return heading, tile, rows, count_in(html.unescape(page), r"Ankerstandort · (\d+) Befunde?")


# --- the map: an accepted finding is not red -------------------------------------------

def test_an_accepted_pearl_and_hand_off_are_not_red_on_the_map() -> None:
    """Before: the scene took the findings of the check, so an accepted PEARL stayed red
    on the map, in the meeting map and in the static picture."""
    net = load_seed("brunnenstrasse").with_sections(accepted_findings=[
        _accepted("PEARL/sprachbilderbuecher"),
        _accepted("AGREEMENT_EXPIRED/kita-bornstrasse-grundschule")])
    scene = quarter_scene(net, "brunnenstrasse", AS_OF)
    pearl = next(n for n in scene.nodes if n.id == "sprachbilderbuecher")
    edge = next(e for e in scene.edges if e.id == "kita-bornstrasse-grundschule")
    assert pearl.findings == [] and not pearl.problem
    assert edge.findings == [] and not edge.broken
    keys = {f.stable_key for f in scene.findings}
    assert "PEARL/sprachbilderbuecher" not in keys
    assert [f.stable_key for f, _ in scene.accepted] == [
        "AGREEMENT_EXPIRED/kita-bornstrasse-grundschule", "PEARL/sprachbilderbuecher"]
    for meeting in (False, True):  # the map and the meeting map (Besprechung)
        data = map_data(scene, meeting)
        node = next(n for n in data["nodes"] if n["id"] == "sprachbilderbuecher")
        assert not node["problem"] and node["look"]["border"] != palette.PROBLEM
        line = next(e for e in data["edges"] if e["id"] == "kita-bornstrasse-grundschule")
        assert not line["broken"] and line["baseColor"] != palette.PROBLEM
    # the other findings stay red
    assert next(n for n in scene.nodes if n.id == "bewegungszwerge").problem
    assert next(e for e in scene.edges if e.id == "kita-familienzentrum-grundschule").broken


def test_an_acceptance_that_ran_out_is_red_again() -> None:
    net = load_seed("brunnenstrasse").with_sections(accepted_findings=[
        _accepted("PEARL/sprachbilderbuecher", until=AS_OF + dt.timedelta(days=30))])
    later = quarter_scene(net, "brunnenstrasse", AS_OF + dt.timedelta(days=31))
    assert next(n for n in later.nodes if n.id == "sprachbilderbuecher").problem
    assert later.accepted == []


def test_the_werkstatt_map_and_meeting_map_hide_the_accepted_pearl(
        clients: dict[str, TestClient]) -> None:
    client = clients["brunnenstrasse"]
    assert "PEARL/sprachbilderbuecher" in {a.key for a in accepted_seed(
        "brunnenstrasse").accepted_findings}
    for suffix in ("", "&besprechung=1"):
        page = client.get(f"/quartiere/brunnenstrasse/karte?stichtag={DAY}{suffix}").text
        data = page[page.index('id="lotse-daten">') + 17:]
        assert '"id":"sprachbilderbuecher"' in data
        node = data[data.index('"id":"sprachbilderbuecher"'):]
        assert '"problem":false' in node[:node.index('"onPath"')]


# --- every count is the list's count ----------------------------------------------------

@pytest.mark.parametrize("seed,quarter", CASES, ids=[f"{s}-{q}" for s, q in CASES])
def test_every_surface_counts_the_werkstatt_list(clients: dict[str, TestClient], seed: str,
                                                 quarter: str) -> None:
    """Before: the title slide, the map's list, the picture's footer and the report's map
    counted the accepted finding too; the report's tile „Befunde“ counted every
    SINGLE_POINT of a quarter as one; the API listed accepted ones unmarked."""
    client, net = clients[seed], accepted_seed(seed)
    listed = werkstatt_list(client, quarter)
    total = werkstatt_count(client, quarter)
    assert total == len(listed)
    assert slide_title_count(net, quarter) == total
    scene = quarter_scene(net, quarter, AS_OF)
    assert len(scene.findings) == total
    assert map_count(map_html(scene)) == map_count(map_html(scene, meeting=True)) == total
    werkstatt_map = client.get(f"/quartiere/{quarter}/karte?stichtag={DAY}").text
    assert map_count(werkstatt_map) == total
    assert picture_count(scene_image(scene, "svg")) == total
    heading, tile, rows, under_map = quarter_report_parts(net, quarter)
    assert heading == tile == under_map == total
    assert rows == [f.message for f in listed]
    answer = client.get(f"/api/v1/quarters/{quarter}/findings?as_of={DAY}").json()
    assert [f["key"] for f in answer if f.get("accepted") is None] == [
        f.stable_key for f in listed]
    meeting = client.get(f"/quartiere/{quarter}/besprechung?stichtag={DAY}").text
    assert count_in(meeting, r"Baustelle \d+ von (\d+)") == total


def quarter_report_parts(net: Network, quarter: str) -> tuple[int, int, list[str], int]:
    return report_parts(quarter_report(net, quarter, AS_OF))


@pytest.mark.parametrize("seed", SEEDS)
def test_the_city_view_counts_each_quarters_list(clients: dict[str, TestClient],
                                                 seed: str) -> None:
    net = accepted_seed(seed)
    city = several_quarters_scene(net, None, AS_OF, limit=1)  # one node per quarter
    assert city.aggregated
    for node in city.nodes:
        assert count_in(node.label) == len(werkstatt_list(clients[seed], node.id))


# --- the Verantwortungstabelle: red only where an agreement is needed and missing ----

def _brunnen_with_an_internal_hand_over_without_agreement() -> Network:
    """Brunnenstraße: „Vorschulische Betreuung“ → Grundschule (both the school's) without
    an agreement; „Sprachprojekt Hannibal“ → Familiengrundschulzentrum passes information
    only, informally agreed."""
    net = load_seed("brunnenstrasse")
    changed = [t.model_copy(update={"agreements": []}) if t.id == "vorschule-grundschule"
               else t for t in net.transitions]
    return net.model_copy(update={"transitions": changed})


FINE = ("vorschule-grundschule", "leg-sprachprojekt-familiengrundschulzentrum")
BROKEN = ("kita-bornstrasse-grundschule", "willkommensbesuch-kinderstube")


def test_the_cases_are_what_the_test_says() -> None:
    net = _brunnen_with_an_internal_hand_over_without_agreement()
    rows = {r.transition: r for r in responsibility_table(net, "brunnenstrasse", AS_OF)}
    assert rows["vorschule-grundschule"].status == "keine Vereinbarung"
    assert rows["leg-sprachprojekt-familiengrundschulzentrum"].status == "nur informell"
    assert rows["kita-bornstrasse-grundschule"].status == "abgelaufen"
    assert rows["willkommensbesuch-kinderstube"].status == "keine Vereinbarung"
    codes = {f.stable_key for f in check(net, AS_OF)}
    assert not any(k.endswith(("/vorschule-grundschule",
                               "/leg-sprachprojekt-familiengrundschulzentrum")) for k in codes)


def _label(net: Network, tid: str) -> str:
    t = net.transition_index[tid]
    return f"{net.service_index[t.source].name} → {net.service_index[t.target].name}"


def _slide_colours(net: Network) -> dict[str, str]:
    """The colour of the first line of each row of the slides' Verantwortungstabelle."""
    figures = slide_figures(net, quarter_scene(net, "brunnenstrasse", AS_OF))
    colours: dict[str, str] = {}
    for fig in figures:
        if not any(t.get_text().startswith("Verantwortungstabelle") for t in fig.texts):
            continue
        for ax in fig.axes:
            for text in ax.texts:
                assert isinstance(text, Text)
                first = text.get_text().split("\n")[0]
                colours.setdefault(first, str(text.get_color()))
    return colours


def test_information_only_and_internal_hand_overs_are_not_red_on_the_slides() -> None:
    net = _brunnen_with_an_internal_hand_over_without_agreement()
    colours = _slide_colours(net)
    for tid in FINE + BROKEN:
        first = next(k for k in colours if _label(net, tid).startswith(k) and len(k) > 8)
        want_red = tid in BROKEN
        assert (colours[first].upper() == palette.PROBLEM.upper()) is want_red, tid


def test_information_only_and_internal_hand_overs_are_not_red_in_the_report() -> None:
    net = _brunnen_with_an_internal_hand_over_without_agreement()
    page = quarter_report(net, "brunnenstrasse", AS_OF)
    table = page[page.index('<table class="verantwortung">'):]
    rows = dict((html.unescape(label), bool(unsafe)) for unsafe, label in re.findall(
        r'<tr( class="unsicher")?><td>([^<]*)</td>', table[:table.index("</table>")]))
    for tid in FINE:
        assert rows[_label(net, tid)] is False, tid
    for tid in BROKEN:
        assert rows[_label(net, tid)] is True, tid


# --- the API marks accepted findings ---------------------------------------------------

def test_the_api_marks_accepted_findings(clients: dict[str, TestClient]) -> None:
    client = clients["brunnenstrasse"]
    answer = client.get(f"/api/v1/quarters/brunnenstrasse/findings?as_of={DAY}").json()
    marked = [f for f in answer if f.get("accepted")]
    assert [f["key"] for f in marked] == ["PEARL/sprachbilderbuecher"]
    assert marked[0]["accepted"] == {"reason": "geprüft, bewusst so", "by": "Koordination",
                                     "on": DAY, "until": None}
    assert all(f["accepted"] is None for f in answer if f not in marked)
    worksites = client.get(f"/api/v1/quarters/brunnenstrasse/worksites?as_of={DAY}&n=50")
    assert "PEARL/sprachbilderbuecher" not in [f["key"] for f in worksites.json()]
    after = client.get("/api/v1/quarters/brunnenstrasse/findings?as_of=2040-01-01").json()
    assert all(f["accepted"] is None or f["accepted"]["until"] is None for f in after)
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    assert "accepted" in schema["FindingOut"]["properties"]


# --- property: generated networks, random acceptances ---------------------------------

# generated names may hold letters DejaVu Sans lacks: matplotlib warns, the count stays
@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(max_services=6), st.data())
def test_every_surface_counts_the_list_for_generated_networks(net: Network, data: Any) -> None:
    found = check(net, AS_OF)
    keys = sorted({f.stable_key for f in found})
    chosen = data.draw(st.lists(st.sampled_from(keys), unique=True, max_size=4)
                       if keys else st.just([]))
    ends = data.draw(st.lists(st.none() | st.dates(AS_OF - dt.timedelta(days=30),
                                                   AS_OF + dt.timedelta(days=30)),
                              min_size=len(chosen), max_size=len(chosen)))
    net = net.with_sections(accepted_findings=[
        AcceptedFinding(key=k, reason="bewusst so", by="Koordination",
                        on=AS_OF - dt.timedelta(days=60), until=u)
        for k, u in zip(chosen, ends, strict=True)])
    for q in net.quarters:
        listed = triage(net, check(net, AS_OF, quarters=[q.id]), AS_OF).open
        scene = quarter_scene(net, q.id, AS_OF)
        assert [f.stable_key for f in scene.findings] == [f.stable_key for f in listed]
        hidden = {f.stable_key for f, _ in scene.accepted}
        assert not hidden & {f.stable_key for n in scene.nodes for f in n.findings}
        assert not hidden & {f.stable_key for e in scene.edges for f in e.findings}
        assert map_count(map_html(scene)) == len(listed)
        title = next(t.get_text() for t in slide_figures(net, scene)[0].texts
                     if "Befund" in t.get_text())
        assert count_in(title) == len(listed)
        heading, tile, rows, under_map = report_parts(quarter_report(net, q.id, AS_OF))
        assert heading == tile == under_map == len(listed)
        assert rows == [f.message for f in listed]


def test_the_indicators_count_the_open_list() -> None:
    """The „Befunde“ figure of the indicators (overview, trend table, report) counts
    what the list shows: a finding „geprüft, bewusst so“ on that day is not counted,
    after its acceptance runs out it is again."""
    from lotsen.indicators import quarter_indicators

    net = load_seed("brunnenstrasse")
    before = quarter_indicators(net, "brunnenstrasse", AS_OF)
    from lotsen.open_findings import open_findings

    key = open_findings(net, "brunnenstrasse", AS_OF)[0].stable_key
    kept = net.with_sections(accepted_findings=[AcceptedFinding(
        key=key, reason="bewusst so", by="Koordination", on=AS_OF,
        until=AS_OF + dt.timedelta(days=10))])
    now = quarter_indicators(kept, "brunnenstrasse", AS_OF)
    assert sum(now.findings.values()) == sum(before.findings.values()) - 1
    later = AS_OF + dt.timedelta(days=11)
    assert quarter_indicators(kept, "brunnenstrasse", later).findings == \
        quarter_indicators(net, "brunnenstrasse", later).findings
