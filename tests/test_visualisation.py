"""Chain maps, matrix, report: the scene against the model, and the pages in real
headless Chromium with the network cut off."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.errors import LotsenError, NotFoundError
from lotsen.check import check
from lotsen.findings import BROKEN_HANDOFF_CODES
from lotsen.index import get_index
from seeds import load_seed
from seeds.synthetic import generate
from tests.browser import chromium, open_page
from tests.conftest import AS_OF
from visualisation import palette
from visualisation.city import several_quarters_scene
from visualisation.html_map import map_html
from visualisation.matrix import matrix_image, stage_field_matrix
from visualisation.report import matrix_html, quarter_report
from visualisation.scene import quarter_scene
from visualisation.static import scene_image


@pytest.fixture(scope="module")
def dortmund() -> Any:
    return load_seed("dortmund")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def expected_counts(net: Any, quarter: str) -> tuple[int, int, int]:
    """Nodes, edges and gaps a map of ``quarter`` must show, counted from the model."""
    own = [s.id for s in net.services if quarter in s.quarters]

    def concerns(t: Any) -> bool:
        # a hand-off happens in the quarters both services serve; with none in common,
        # in the quarters of either side
        a = net.service_index[t.source].quarters
        b = net.service_index[t.target].quarters
        shared = [q for q in a if q in b]
        return quarter in (shared or a + b)

    touching = [t for t in net.transitions if concerns(t)]
    ends = {e for t in touching for e in (t.source, t.target)} - set(own)
    gaps = [f for f in check(net, AS_OF, quarters=[quarter]) if f.code == "STAGE_GAP"]
    return len(own) + len(ends) + len(gaps), len(touching), len(gaps)


# -- the scene against the model ------------------------------------------------------------

@pytest.mark.parametrize("quarter", ["brunnenstrasse", "libellenquartier", "hoerde"])
def test_scene_draws_every_service_and_transition(dortmund: Any, quarter: str) -> None:
    scene = quarter_scene(dortmund, quarter, AS_OF)
    nodes, edges, gaps = expected_counts(dortmund, quarter)
    assert (len(scene.nodes), len(scene.edges)) == (nodes, edges)
    assert sum(n.kind == "gap" for n in scene.nodes) == gaps
    ids = {n.id for n in scene.nodes}
    assert all(e.source in ids and e.target in ids for e in scene.edges)


def test_columns_follow_the_life_course_and_services_span_their_stages(
        dortmund: Any) -> None:
    scene = quarter_scene(dortmund, "brunnenstrasse", AS_OF)
    cat = dortmund.catalogue
    assert [c.stage for c in scene.columns] == [s.id for s in cat.life_stages]
    xs = [c.x for c in scene.columns]
    assert xs == sorted(xs)
    spanning = 0
    for n in scene.nodes:
        service = dortmund.service_index[n.id]
        orders = [cat.stage_order(s) for s in service.life_stages]
        assert (n.column, n.end_column) == (min(orders), max(orders))
        assert n.x == (scene.columns[n.column].x + scene.columns[n.end_column].x) / 2
        spanning += n.end_column > n.column
        lane = next(lane for lane in scene.lanes if lane.field == n.lane)
        assert lane.top < n.y < lane.bottom
    assert spanning > 0
    # in one row of a lane no two services share a column
    cells = [(n.lane, n.row, c) for n in scene.nodes
             for c in range(n.column, n.end_column + 1)]
    assert len(cells) == len(set(cells))


def test_a_kita_for_1_to_6_years_spans_both_columns(dortmund: Any) -> None:
    scene = quarter_scene(dortmund, "brunnenstrasse", AS_OF)
    stage_col = {c.stage: k for k, c in enumerate(scene.columns)}
    kitas = [n for n in scene.nodes if {"toddler", "preschool"} <= set(n.stages)]
    assert kitas
    for n in kitas:
        assert n.column <= stage_col["toddler"] and n.end_column >= stage_col["preschool"]


def test_positions_are_stable(dortmund: Any) -> None:
    a = quarter_scene(dortmund, "brunnenstrasse", AS_OF)
    b = quarter_scene(dortmund, "brunnenstrasse", AS_OF)
    assert [(n.id, n.x, n.y) for n in a.nodes] == [(n.id, n.x, n.y) for n in b.nodes]
    assert map_html(a) == map_html(b)


def test_broken_handoffs_are_exactly_the_flagged_transitions(dortmund: Any) -> None:
    scene = quarter_scene(dortmund, "brunnenstrasse", AS_OF)
    flagged = {i for f in check(dortmund, AS_OF, quarters=["brunnenstrasse"])
               if f.code in BROKEN_HANDOFF_CODES for i in f.ids}
    assert {e.id for e in scene.problem_edges} == flagged & {e.id for e in scene.edges}
    expired = next(e for e in scene.edges if e.id == "kita-bornstrasse-grundschule")
    assert "Vereinbarung abgelaufen" in expired.tooltip


def test_stage_gap_is_a_red_placeholder_in_its_empty_column(dortmund: Any) -> None:
    scene = quarter_scene(dortmund, "libellenquartier", AS_OF)
    gap = next(n for n in scene.nodes if n.kind == "gap")
    assert gap.label == "Lücke: 1–3 J."
    assert gap.x == next(c.x for c in scene.columns if c.stage == "toddler")
    assert scene.lanes[0].label == "Lücken in der Kette" and gap.lane == scene.lanes[0].field
    assert "kein laufendes Angebot" in gap.tooltip


def test_inactive_and_other_quarter_services_are_marked(dortmund: Any) -> None:
    scene = quarter_scene(dortmund, "libellenquartier", AS_OF)
    kinds = {n.id: (n.kind, n.running) for n in scene.nodes}
    assert ("service", False) in kinds.values()  # the paused Kinderstube
    html = map_html(scene)
    assert "läuft nicht" in html


def test_focus_keeps_the_neighbourhood(dortmund: Any) -> None:
    full = quarter_scene(dortmund, "brunnenstrasse", AS_OF)
    only = quarter_scene(dortmund, "brunnenstrasse", AS_OF, focus="Willkommensbesuch", hops=0)
    assert [n.id for n in only.nodes] == ["willkommensbesuch-nord"] and only.edges == []
    near = quarter_scene(dortmund, "brunnenstrasse", AS_OF, focus="willkommensbesuch-nord", hops=1)
    neighbours = {e.target for e in full.edges if e.source == "willkommensbesuch-nord"} | {
        e.source for e in full.edges if e.target == "willkommensbesuch-nord"}
    assert {n.id for n in near.nodes} == neighbours | {"willkommensbesuch-nord"}
    assert "Fokus: Willkommensbesuch" in near.title
    provider = quarter_scene(dortmund, "brunnenstrasse", AS_OF, focus="AWO Unterbezirk Dortmund",
                             hops=0)
    assert {n.provider for n in provider.nodes} == {"awo-do"}


def test_unknown_focus_suggests_a_name(dortmund: Any) -> None:
    with pytest.raises(NotFoundError, match="Meinten Sie 'Willkommensbesuch'"):
        quarter_scene(dortmund, "brunnenstrasse", AS_OF, focus="Wilkommensbesuch")


def test_path_of_a_family_is_a_chain_of_transitions(dortmund: Any) -> None:
    scene = quarter_scene(dortmund, "brunnenstrasse", AS_OF,
                          path=("Babylotsen", "Grundschule Kleine Kielstraße"))
    assert scene.path[0] == "babylotsen" and scene.path[-1] == "grundschule-kleine-kielstrasse"
    pairs = {(e.source, e.target) for e in scene.edges}
    assert all((a, b) in pairs for a, b in zip(scene.path, scene.path[1:], strict=False))
    assert len(scene.path_edges()) == len(scene.path) - 1
    with pytest.raises(LotsenError, match="kein Weg"):
        quarter_scene(dortmund, "brunnenstrasse", AS_OF, path=("Griffbereit", "Babylotsen"))


def test_several_quarters_in_full_or_as_city_view(dortmund: Any) -> None:
    full = several_quarters_scene(dortmund, None, AS_OF)
    assert len(full.nodes) == sum(expected_counts(dortmund, q.id)[0] for q in dortmund.quarters)
    assert len({n.id for n in full.nodes}) == len(full.nodes)
    city = several_quarters_scene(dortmund, None, AS_OF, limit=10)
    assert city.aggregated and [n.id for n in city.nodes] == [q.id for q in dortmund.quarters]
    assert "Stadtansicht" in city.title


def test_matrix_counts_cells_and_handoffs(dortmund: Any) -> None:
    m = stage_field_matrix(dortmund, "brunnenstrasse", AS_OF)
    idx = get_index(dortmund)
    for (field, stage), cell in m.cells.items():
        expected = [s for s in idx.quarters["brunnenstrasse"].by_first
                    if field in idx.services[s].fields and stage in idx.services[s].life_stages]
        assert cell.services == expected
        assert cell.handoffs == sum(1 for t in dortmund.transitions if t.source in expected
                                    and t.id in idx.quarters["brunnenstrasse"].transitions)
    assert m.cell("social_security", "infant").empty
    page = matrix_html(m)
    assert page.count('data-leer="1"') == len(m.empty_cells)


# -- static pictures ------------------------------------------------------------------------

def test_static_exports_for_slides(dortmund: Any) -> None:
    scene = quarter_scene(dortmund, "libellenquartier", AS_OF)
    png = scene_image(scene, "png")
    assert png.startswith(b"\x89PNG")
    svg = scene_image(scene, "svg")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert "Libellenquartier" in svg.decode() and "Lücke: 1–3 J." in svg.decode()
    assert scene_image(scene, "pdf").startswith(b"%PDF")
    assert matrix_image(stage_field_matrix(dortmund, "hoerde", AS_OF), "png").startswith(
        b"\x89PNG")
    with pytest.raises(LotsenError, match="Bildformat"):
        scene_image(scene, "gif")


# -- real headless Chromium, offline --------------------------------------------------------

@pytest.mark.parametrize("quarter", ["brunnenstrasse", "libellenquartier"])
def test_map_in_chromium_offline(browser: Any, dortmund: Any, tmp_path: Path,
                                 quarter: str) -> None:
    page_file = tmp_path / "karte.html"
    page_file.write_text(map_html(quarter_scene(dortmund, quarter, AS_OF)), encoding="utf-8")
    html = page_file.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", html) and "<link" not in html
    nodes, edges, _ = expected_counts(dortmund, quarter)
    with open_page(browser, page_file) as run:
        page = run.page
        assert page.evaluate("typeof vis.Network") == "function"
        counts = page.evaluate("window.lotseCounts()")
        assert counts == {"nodes": nodes, "edges": edges, "drawnNodes": nodes,
                          "drawnEdges": edges}
        # the preview drew the same map first, then vis-network took over
        assert page.evaluate("window.lotsePreview") == {"nodes": nodes, "edges": edges}
        assert page.evaluate("window.lotseFirstPaint <= window.lotseInteractiveAt")
        assert page.evaluate("document.getElementById('vorschau').style.display") == "none"
        assert not run.screenshot_is_blank()
        assert run.errors == [] and run.requests == []


def test_preview_alone_shows_the_map(browser: Any, dortmund: Any, tmp_path: Path) -> None:
    """The first picture needs no vis-network: with it removed the map is still there."""
    html = map_html(quarter_scene(dortmund, "brunnenstrasse", AS_OF))
    start = html.index('<script type="text/plain" id="vis-quelle">')
    end = html.index("</script>", start)
    html = (html[:start] + '<script type="text/plain" id="vis-quelle">'
            "window.lotseInteractive = function () {};" + html[end:])
    page_file = tmp_path / "vorschau.html"
    page_file.write_text(html.replace("window.lotseInteractive = function () {",
                                      "window.lotseUnused = function () {", 1),
                         encoding="utf-8")
    with open_page(browser, page_file, ready=None) as run:
        run.page.wait_for_function("window.lotseFirstPaint !== undefined")
        assert run.page.evaluate("typeof vis") == "undefined"
        assert run.page.evaluate("window.lotsePreview.nodes") == 17
        assert not run.screenshot_is_blank("#vorschau")
        assert run.errors == [] and run.requests == []


def test_map_filters_and_meeting_mode(browser: Any, dortmund: Any, tmp_path: Path) -> None:
    scene = quarter_scene(dortmund, "brunnenstrasse", AS_OF)
    page_file = tmp_path / "karte.html"
    page_file.write_text(map_html(scene), encoding="utf-8")
    with open_page(browser, page_file) as run:
        page = run.page
        page.check("#nur-probleme")
        counts = page.evaluate("window.lotseCounts()")
        broken_ends = {x for e in scene.problem_edges for x in (e.source, e.target)}
        problem_nodes = {n.id for n in scene.nodes if n.problem} | broken_ends
        assert counts["nodes"] == len(problem_nodes)
        assert counts["edges"] == len(scene.problem_edges)
        page.uncheck("#nur-probleme")
        page.select_option("#filter-phase", "pregnancy")
        shown = page.evaluate("window.lotseCounts()")["nodes"]
        assert shown == sum("pregnancy" in n.stages for n in scene.nodes)
        page.select_option("#filter-phase", "")
        page.click("#besprechung")
        assert "besprechung" in page.evaluate("document.body.className")
        # the nodes without a problem are muted (pale fill, dark grey text), not transparent
        muted = page.evaluate("window.lotseMap.layout().nodes.filter(n => n.muted).length")
        assert muted == sum(not n.problem for n in scene.nodes)
        inks = page.evaluate("window.lotseNetwork.body.data.nodes.get().map(n => n.font.color)")
        assert inks.count(palette.MUTED_INK) == muted
        assert not run.screenshot_is_blank()
        assert run.errors == [] and run.requests == []


def test_meeting_mode_page_and_city_view(browser: Any, dortmund: Any, tmp_path: Path) -> None:
    page_file = tmp_path / "stadt.html"
    city = several_quarters_scene(dortmund, None, AS_OF, limit=10)
    page_file.write_text(map_html(city, meeting=True), encoding="utf-8")
    with open_page(browser, page_file) as run:
        assert run.page.evaluate("window.lotseCounts()")["nodes"] == 3
        assert run.errors == [] and run.requests == []


def test_report_in_chromium(browser: Any, dortmund: Any, tmp_path: Path) -> None:
    page_file = tmp_path / "bericht.html"
    page_file.write_text(quarter_report(dortmund, "brunnenstrasse", AS_OF), encoding="utf-8")
    findings = check(dortmund, AS_OF, quarters=["brunnenstrasse"])
    with open_page(browser, page_file, ready=None) as run:
        page = run.page
        assert page.locator("table.befunde tbody tr").count() == len(findings)
        assert page.locator(".karte svg").count() == 1
        assert page.locator("table.matrix td[data-leer]").count() == len(
            stage_field_matrix(dortmund, "brunnenstrasse", AS_OF).empty_cells)
        assert page.pdf()[:4] == b"%PDF"  # printable
        assert not run.screenshot_is_blank()
        assert run.errors == [] and run.requests == []


def test_a_big_quarter_draws_in_chromium(browser: Any, tmp_path: Path) -> None:
    net = generate(quarters=2, services_per_quarter=200, seed=3).network
    q = net.quarters[0].id
    scene = quarter_scene(net, q, AS_OF)
    page_file = tmp_path / "gross.html"
    page_file.write_text(map_html(scene), encoding="utf-8")
    with open_page(browser, page_file) as run:
        counts = run.page.evaluate("window.lotseCounts()")
        assert counts["drawnNodes"] == len(scene.nodes) >= 200
        assert counts["drawnEdges"] == len(scene.edges)
        assert run.errors == []
