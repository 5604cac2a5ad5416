"""Benchmark of the chain maps: building the HTML and the first paint in real Chromium.

Prints, for synthetic networks (200 services per quarter):

* building the HTML of one quarter (scene + page), against a baseline in the same run:
  the same nodes and edges put through pyvis's ``add_node``/``add_edge`` and its
  ``generate_html`` (what a straightforward pyvis map does);
* first paint in headless Chromium: ``performance.now()`` one frame after the page's
  preview drew the whole map on its canvas (and, printed beside it, when vis-network's
  interactive map replaced it), median of several loads, network cut off – of one quarter, of 13
  quarters together (≈3,000 nodes) and of the city view of 1,000 quarters; baseline in
  the same run: the quarter's page with vis-network's physics switched on (pyvis's
  default), which must stabilise before it settles.

Usage::

    python benchmarks/visual.py              # 13 quarters + city view of 1,000
    python benchmarks/visual.py --city 200   # a smaller city view

Targets (issue 5): quarter first paint ≤ 300 ms, 13 quarters ≤ 1 s, HTML of a quarter
≤ 100 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from seeds.synthetic import generate  # noqa: E402
from tests.browser import chromium, open_page  # noqa: E402
from visualisation.city import several_quarters_scene  # noqa: E402
from visualisation.html_map import map_html  # noqa: E402
from visualisation.scene import Scene, quarter_scene  # noqa: E402

AS_OF = dt.date(2026, 11, 22)


def median_ms(fn: Any, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def pyvis_baseline(scene: Scene) -> str:
    from pyvis.network import Network as PyvisNetwork

    net = PyvisNetwork(height="900px", width="100%", directed=True, cdn_resources="in_line")
    for n in scene.nodes:
        net.add_node(n.id, label=n.label, title=n.tooltip, x=n.x, y=n.y, color=n.colour)
    for e in scene.edges:
        net.add_edge(e.source, e.target, title=e.tooltip)
    html: str = net.generate_html()
    return html


def first_paint(browser: Any, page: Path, runs: int) -> tuple[float, float]:
    """Median ms from navigation start to the first picture of the map on screen (the
    preview, a frame after it was drawn), and to the interactive map (vis-network's
    first drawing)."""
    values, starts = [], []
    for _ in range(runs):
        with open_page(browser, page, timeout=120_000, watch_requests=False) as run:
            values.append(float(run.page.evaluate("window.lotseFirstPaint")))
            starts.append(float(run.page.evaluate(
                "window.lotseInteractiveAt || window.lotseFirstPaint")))
            if run.errors:
                raise SystemExit(f"JavaScript-Fehler: {run.errors[:3]}")
    return statistics.median(values), statistics.median(starts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--city", type=int, default=1000, help="Quartiere der Stadtansicht")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print("Erzeuge synthetische Netze …", flush=True)
    thirteen = generate(quarters=13, services_per_quarter=200, seed=5, as_of=AS_OF).network
    city = generate(quarters=args.city, services_per_quarter=200, seed=6, as_of=AS_OF).network
    q = thirteen.quarters[0].id
    scene = quarter_scene(thirteen, q, AS_OF)
    print(f"Ein Quartier: {len(scene.nodes)} Knoten, {len(scene.edges)} Übergänge")
    quarter_scene(thirteen, q, AS_OF)  # warm: analysis index built
    build = median_ms(lambda: map_html(quarter_scene(thirteen, q, AS_OF)), 20)
    scene_only = median_ms(lambda: quarter_scene(thirteen, q, AS_OF), 20)
    baseline = median_ms(lambda: pyvis_baseline(scene), 5)
    print(f"HTML eines Quartiers bauen: {build:.1f} ms (davon Szene {scene_only:.1f} ms; "
          f"Ziel ≤ 100 ms) – Vergleich pyvis add_node/add_edge: {baseline:.1f} ms "
          f"({baseline / build:.1f}×)")
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        folder = Path(tmp)
        pages = {}
        pages["quarter"] = folder / "quartier.html"
        pages["quarter"].write_text(map_html(scene), encoding="utf-8")
        all13 = several_quarters_scene(thirteen, None, AS_OF)
        pages["13"] = folder / "dreizehn.html"
        start = time.perf_counter()
        pages["13"].write_text(map_html(all13), encoding="utf-8")
        build13 = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        city_scene = several_quarters_scene(city, None, AS_OF)
        pages["city"] = folder / "stadt.html"
        pages["city"].write_text(map_html(city_scene), encoding="utf-8")
        build_city = (time.perf_counter() - start) * 1000
        # pyvis's default: no positions, physics on – vis-network stabilises first (and
        # no preview: the first picture is vis-network's)
        physics = map_html(scene).replace("physics: false", "physics: { enabled: true }")
        physics = physics.replace("window.lotseFirstPaint = performance.now();", "").replace(
            "window.lotseInteractiveAt = performance.now();",
            "window.lotseInteractiveAt = window.lotseFirstPaint = performance.now();")
        physics = physics.replace('"fixed":true', '"fixed":false').replace(
            "var nodes = new vis.DataSet(D.nodes);",
            "D.nodes.forEach(function (n) { delete n.x; delete n.y; });\n"
            "  var nodes = new vis.DataSet(D.nodes);")
        pages["physics"] = folder / "physik.html"
        pages["physics"].write_text(physics, encoding="utf-8")
        rows = [
            ("Ein Quartier", "quarter", len(scene.nodes), 300, ""),
            ("13 Quartiere zusammen", "13", len(all13.nodes), 1000,
             f"HTML in {build13:.0f} ms"),
            (f"Stadtansicht {args.city} Quartiere", "city", len(city_scene.nodes), None,
             f"aggregiert: {city_scene.aggregated}, HTML in {build_city:.0f} ms"),
            ("Vergleich: ein Quartier mit Physik", "physics", len(scene.nodes), None, ""),
        ]
        empty = folder / "leer.html"
        empty.write_text("<!DOCTYPE html><html><body><script>window.lotseStart = "
                         "window.lotseFirstPaint = performance.now(); document.body."
                         "setAttribute('data-bereit', '1')</script></body></html>")
        floor, _ = first_paint(browser, empty, args.runs)
        print(f"\nLeere Seite bis zum ersten Skript (Untergrenze dieser Maschine): {floor:.0f} ms")
        print("Erstes Bild der Karte in Headless-Chromium (Median, ab Navigationsbeginn):")
        results = {}
        for label, key, nodes, target, note in rows:
            ms, start = first_paint(browser, pages[key], args.runs)
            results[key] = ms
            goal = f"Ziel ≤ {target} ms, {'erreicht' if ms <= target else 'VERFEHLT'}" \
                if target else ""
            print(f"  {label:<36} {nodes:>5} Knoten  {ms:7.0f} ms  (interaktiv nach "
                  f"{start:.0f} ms)  {goal}  {note}")
        ratio = results["physics"] / results["quarter"]
        print(f"\nVorschau mit unseren Positionen statt vis-network mit Physik: erstes Bild "
              f"{ratio:.1f}× schneller")


if __name__ == "__main__":
    main()
