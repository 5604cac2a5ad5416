"""The print style of the Werkstatt (issue 27.7), in real Chromium with print media: no
navigation, forms or buttons on paper, the tables with their header on every page, the
chain map over the width of an A4 page and most of its height."""

from __future__ import annotations

from pathlib import Path

from graph.backends.sqlite import SqliteRepository
from seeds import load_seed
from tests.werkstatt import log_in, werkstatt

_HIDDEN = """() => ['.kopf', '.seitennav', 'form', 'button', '.knoepfe'].map(s =>
  [...document.querySelectorAll(s)].filter(e => getComputedStyle(e).display !== 'none')
  .map(e => s)).flat()"""


def test_quarter_page_prints_without_controls_and_with_a_large_map(tmp_path: Path) -> None:
    from tests.browser import chromium, open_page

    store = SqliteRepository(tmp_path / "speicher.sqlite")
    store.replace(load_seed("dortmund"), "test")
    client = werkstatt(store, tmp_path)
    assert log_in(client, "koordination").status_code == 303
    css = client.get("/werkstatt/static/werkstatt.css").text
    assert "@media print" in css
    html = client.get("/quartiere/brunnenstrasse").text
    assert "<form" in html and 'class="kopf"' in html  # on screen: controls are there
    page_file = tmp_path / "seite.html"
    page_file.write_text(html.replace(
        '<link rel="stylesheet" href="/werkstatt/static/werkstatt.css">',
        f"<style>{css}</style>"), encoding="utf-8")
    store.close()
    with chromium() as browser, open_page(browser, page_file, 794, 1123, ready=None) as run:
        run.page.emulate_media(media="print")
        assert run.page.evaluate(_HIDDEN) == []
        box = run.page.locator("iframe.karte").bounding_box()
        main = run.page.locator("main").bounding_box()
        assert box is not None and main is not None
        assert box["width"] >= main["width"] - 2  # the full width of the page
        assert box["height"] >= 800  # 235 mm of the 297 mm of an A4 page
        thead = run.page.evaluate(
            "getComputedStyle(document.querySelector('thead')).display")
        assert thead == "table-header-group"
        pdf = run.page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
