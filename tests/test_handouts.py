"""Handouts for the steering group: matrix, report and city view, read as text."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest

from graph.network import Network
from lotsen.ownership import responsibility_table
from seeds import load_seed
from seeds.synthetic import generate
from tests.conftest import AS_OF
from visualisation.city import several_quarters_scene
from visualisation.html_map import map_html
from visualisation.hyphenation import soft_hyphens
from visualisation.matrix import matrix_image, stage_field_matrix
from visualisation.report import matrix_html, quarter_report


@pytest.fixture(scope="module")
def dortmund() -> Any:
    return load_seed("dortmund")


def svg_text(svg: bytes) -> str:
    """The words of an SVG picture without tags and whitespace (wrapped lines join)."""
    return re.sub(r"\s", "", html.unescape(re.sub(r"<[^>]+>", " ", svg.decode("utf-8"))))


def across_quarters() -> tuple[Network, str, str]:
    """Two generated quarters; q0 hands a family over to a q1 service whose field q0
    lacks. Returns the network, the field and the stage of that cell."""
    net = generate(quarters=2, services_per_quarter=14, seed=1).network
    target = net.service_index["q1-s0"].model_copy(update={"fields": ["participation"]})
    bridge = net.transitions[0].model_copy(update={
        "id": "ueber-die-grenze", "source": "q0-s0", "target": "q1-s0"})
    net = net.model_copy(update={
        "services": [target if s.id == target.id else s for s in net.services],
        "transitions": [*net.transitions, bridge]})
    return net, "participation", target.life_stages[0]


def test_matrix_names_in_full_and_counts_in_words(dortmund: Any) -> None:
    matrix = stage_field_matrix(dortmund, "brunnenstrasse", AS_OF)
    text = svg_text(matrix_image(matrix, "svg"))
    assert "…" not in text and "→" not in text
    for cell in matrix.cells.values():
        if not cell.empty:
            assert re.sub(r"\s", "", cell.headline.replace(" · ", "")) in text
            n = len(cell.services)
            assert cell.headline.startswith(f"{n} Angebot")
            assert f"{cell.handoffs} Übergabe" in cell.headline
    shown = {name for c in matrix.cells.values() for name in c.names[:4]}
    for name in shown:
        assert re.sub(r"\s", "", name) in text, name
    page = matrix_html(matrix)
    assert "· →" not in page and "Übergaben von hier" in page


def test_matrix_tells_empty_from_reached_in_another_quarter() -> None:
    net, field, stage = across_quarters()
    matrix = stage_field_matrix(net, "q0", AS_OF)
    cell = matrix.cell(field, stage)
    assert cell.empty and cell.only_elsewhere
    assert cell.elsewhere == [net.service_index["q1-s0"].name]
    assert cell.headline == "nur über ein anderes Quartier"
    plain = [c for c in matrix.empty_cells if not c.only_elsewhere]
    assert plain and all(c.headline == "leer" for c in plain)
    assert "davon 1 nur über ein anderes Quartier" in matrix.summary
    page = matrix_html(matrix)
    assert page.count('data-anderswo="1"') == 1
    assert page.count('data-leer="1"') == len(matrix.empty_cells)
    assert "nurübereinanderesQuartier" in svg_text(matrix_image(matrix, "svg"))


def test_report_has_the_responsibility_table(dortmund: Any) -> None:
    page = quarter_report(dortmund, "brunnenstrasse", AS_OF)
    rows = responsibility_table(dortmund, "brunnenstrasse", AS_OF)
    section = page[page.index("<h2>Verantwortungstabelle"):page.index("Kettenkarte</h2>")]
    assert section.count("<tr") == len(rows) + 1  # the head row, then one per transition
    text = html.unescape(section)
    for r in rows:
        assert f"{r.source_name} → {r.target_name}" in text
        assert (r.owner_name or "niemand") in text and r.status in text
    # red where a binding agreement is needed and missing (information only and internal
    # hand-overs need none, issue 26.4) or information passes without a basis
    unsafe = sum(r.needs_attention or not r.data_protection_ok for r in rows)
    assert section.count('class="unsicher"') == unsafe > 0
    assert any(r.exempt and r.status != "verbindlich" for r in rows)


def test_city_view_has_one_legend(dortmund: Any) -> None:
    scene = several_quarters_scene(dortmund, None, AS_OF)
    fields = [f.name for f in dortmund.catalogue.fields]
    assert [name for name, _colour in scene.legend_fields] == fields
    page = map_html(scene)
    legend = page[page.index('<div class="legende">'):page.index("<h2>Befunde")]
    for name in fields:
        assert legend.count(f"</span>{name}</div>") == 1


def test_matrix_page_fits_a_projector_width(dortmund: Any, tmp_path: Any) -> None:
    """At 1280×720 the matrix page is as wide as the screen, its text at least 16 px;
    long names break at German hyphenation points (soft hyphens), not mid-syllable."""
    from tests.browser import chromium, open_page

    page_file = tmp_path / "matrix.html"
    page_file.write_text(matrix_html(stage_field_matrix(dortmund, "brunnenstrasse", AS_OF)),
                         encoding="utf-8")
    word = soft_hyphens("Babylotsendienst")
    assert "\u00ad" in word and word in page_file.read_text(encoding="utf-8")
    with chromium() as browser, open_page(browser, page_file, 1280, 720, ready=None) as run:
        size = run.page.evaluate("""(() => {
            const t = document.querySelector('table.matrix');
            return {width: t.getBoundingClientRect().right,
                    page: document.documentElement.scrollWidth,
                    font: parseFloat(getComputedStyle(t).fontSize)}; })()""")
        assert run.errors == []
    assert size["width"] <= 1280 and size["page"] <= 1280 and size["font"] >= 16


def test_report_leads_with_the_most_important_worksites_and_open_measures() -> None:
    from graph.model import Measure
    from lotsen.priority import top_findings

    net = load_seed("dortmund")
    day = dt.date(2026, 11, 22)
    first = top_findings(net, day, n=1, quarters=["brunnenstrasse"])[0]
    net = net.with_sections(measures=[Measure(
        id="m1", title="Übergabeprotokoll erneuern", findings=[first.stable_key],
        responsible="tek-bornstrasse", due=dt.date(2027, 3, 31))])
    page = quarter_report(net, "brunnenstrasse", day)
    assert "Die wichtigsten Baustellen" in page and "Offene Maßnahmen (1)" in page
    assert page.index("Die wichtigsten Baustellen") < page.index(first.message[:40])
    assert "Übergabeprotokoll erneuern" in page and "fällig 31.03.2027" in page
