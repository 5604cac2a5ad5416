"""The chain map on the wall: laid out in real headless Chromium at projector sizes.

For the seeds and for generated quarters of 10, 30 and 60 services, at 1280×720,
1280×800 and 1920×1080, normal and meeting mode: every node, lane label and column
label lies inside the viewport after load, no two node boxes overlap, words break only
with a hyphen, and in meeting mode the node text is at least 20 CSS px (up to 30
services). The boxes come from the page itself (``window.lotseMap.layout()``), which
reads them from vis-network's drawn nodes.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.network import Network
from lotsen.ownership import responsibility_table
from seeds import load_seed
from seeds.synthetic import generate
from tests.browser import chromium, open_page
from tests.conftest import AS_OF
from visualisation import palette
from visualisation.city import several_quarters_scene
from visualisation.html_map import map_data, map_html
from visualisation.scene import quarter_scene
from visualisation.static import scene_image

SHY = "\u00ad"
VIEWPORTS = [(1280, 720), (1280, 800), (1920, 1080)]
QUARTERS = ["brunnenstrasse-seed", "brunnenstrasse", "libellenquartier", "hoerde",
            "synthetisch-10", "synthetisch-30", "synthetisch-60"]


def synthetic_quarter(services: int) -> Network:
    """A generated quarter with exactly ``services`` services (the generator makes at
    least 14; for fewer the first ones and the hand-offs between them are kept)."""
    net = generate(quarters=1, services_per_quarter=max(services, 14), seed=1).network
    keep = {s.id for s in net.services[:services]}
    return net.model_copy(update={
        "services": [s for s in net.services if s.id in keep],
        "transitions": [t for t in net.transitions if t.source in keep and t.target in keep]})


@functools.cache
def network_and_quarter(case: str) -> tuple[Network, str]:
    if case == "brunnenstrasse-seed":
        return load_seed("brunnenstrasse"), "brunnenstrasse"
    if case.startswith("synthetisch-"):
        return synthetic_quarter(int(case.split("-")[1])), "q0"
    return load_seed("dortmund"), case


@functools.cache
def page_html(case: str, meeting: bool) -> str:
    net, quarter = network_and_quarter(case)
    return map_html(quarter_scene(net, quarter, AS_OF), meeting)


def service_count(case: str) -> int:
    net, quarter = network_and_quarter(case)
    return sum(1 for s in net.services if quarter in s.quarters)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def inside(box: dict[str, float], width: int, height: int) -> bool:
    return (box["left"] >= -0.5 and box["top"] >= -0.5 and box["right"] <= width + 0.5
            and box["bottom"] <= height + 0.5)


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    dx = min(a["right"], b["right"]) - max(a["left"], b["left"])
    dy = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return dx > 0.5 and dy > 0.5


def bad_breaks(lines: list[str], shown: list[str]) -> list[str]:
    """Line breaks that are neither between words nor at a German hyphenation point
    (with a visible hyphen); ``shown`` are the label's paragraphs with soft hyphens."""
    text = "\n".join(shown)
    plain = text.replace(SHY, "")
    letters = "".join(lines).replace("-", "").replace(" ", "").replace("\u00a0", "")
    problems = []
    if letters != plain.replace("-", "").replace(" ", "").replace("\u00a0", "").replace(
            "\n", ""):
        problems.append(f"Text verändert: {lines!r} statt {plain!r}")
    for a, b in itertools.pairwise(lines):
        last, first = a.rsplit(" ", 1)[-1], b.split(" ", 1)[0]
        if first == b and b.endswith("-"):  # b itself breaks again: compare its start
            first = first[:-1]
        if a.endswith("-"):
            soft = "\u00ad?".join(map(re.escape, last[:-1])) + SHY + "\u00ad?".join(
                map(re.escape, first))
            ok = re.search(soft, text) is not None or (last + first) in plain
        else:
            ok = f"{last} {first}" in plain or f"{last}\n{first}" in plain
        if not ok:
            problems.append(f"{a!r} | {b!r}")
    return problems


@pytest.mark.parametrize("meeting", [False, True], ids=["normal", "besprechung"])
@pytest.mark.parametrize("width,height", VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
@pytest.mark.parametrize("case", QUARTERS)
def test_map_fits_the_wall(browser: Any, tmp_path: Path, case: str, width: int,
                           height: int, meeting: bool) -> None:
    page_file = tmp_path / "karte.html"
    page_file.write_text(page_html(case, meeting), encoding="utf-8")
    data = {n["id"]: n for n in map_data(quarter_scene(*network_and_quarter(case), AS_OF))[
        "nodes"]}
    with open_page(browser, page_file, width, height) as run:
        layout = run.page.evaluate("window.lotseMap.layout()")
        assert run.errors == [] and run.requests == []
    nodes, lanes = layout["nodes"], layout["lanes"]
    assert len(nodes) == len(data) > 0
    outside = [n["id"] for n in nodes if not inside(n, width, height)]
    assert outside == []
    assert [c["label"] for c in layout["columns"] if not inside(c, width, height)] == []
    assert layout["namesOnly"] or not meeting
    if meeting:  # the lanes merge into one band; the legend names the fields
        assert lanes == []
    else:
        assert len(lanes) >= 5
        assert [lane["label"] for lane in lanes if not inside(lane, width, height)] == []
        assert [(lane["label"], n["id"]) for lane in lanes for n in nodes
                if overlap(lane, n)] == []
    crowded = [(a["id"], b["id"]) for i, a in enumerate(nodes) for b in nodes[i + 1:]
               if overlap(a, b)]
    assert crowded == []
    breaks = {}
    for n in nodes:
        d = data[n["id"]]
        shown = [p for p in (d["name"], "" if layout["namesOnly"] else d["sub"], d["status"])
                 if p]
        if wrong := bad_breaks(n["lines"], shown):
            breaks[n["id"]] = wrong
    assert breaks == {}
    smallest = min(n["fontSize"] for n in nodes)
    if meeting and service_count(case) <= 30 and (width, height) == (1280, 720):
        assert smallest >= 20, f"Schrift {smallest:.1f} px im Besprechungsmodus"
    assert smallest >= 8


def test_a_spanning_service_spans_its_columns_on_the_page(browser: Any, tmp_path: Path) -> None:
    net, quarter = network_and_quarter("brunnenstrasse")
    scene = quarter_scene(net, quarter, AS_OF)
    page_file = tmp_path / "karte.html"
    page_file.write_text(map_html(scene), encoding="utf-8")
    with open_page(browser, page_file, 1280, 720) as run:
        layout = run.page.evaluate("window.lotseMap.layout()")
    columns = layout["columns"]
    boxes = {n["id"]: n for n in layout["nodes"]}
    for n in scene.nodes:
        box = boxes[n.id]
        first, last = columns[n.column], columns[n.end_column]
        assert first["left"] <= box["left"] < first["right"]
        assert last["left"] < box["right"] <= last["right"]


def test_meeting_mode_enlarges_the_chain_not_the_chrome(browser: Any, tmp_path: Path) -> None:
    page_file = tmp_path / "karte.html"
    page_file.write_text(page_html("brunnenstrasse", False), encoding="utf-8")
    with open_page(browser, page_file, 1280, 720) as run:
        page = run.page
        normal = min(n["fontSize"] for n in page.evaluate("window.lotseMap.layout()")["nodes"])
        page.click("#besprechung")
        layout = page.evaluate("window.lotseMap.layout()")
        meeting = min(n["fontSize"] for n in layout["nodes"])
        assert meeting >= 20 > normal
        legend = page.evaluate("""(() => { const e = document.getElementById('legende-zeile');
            const r = e.getBoundingClientRect();
            return {height: r.height, fits: e.scrollWidth <= e.clientWidth,
                    font: parseFloat(getComputedStyle(e).fontSize)}; })()""")
        assert legend["fits"] and legend["height"] < 2 * legend["font"]  # one line
        assert not page.is_visible("aside")  # the findings panel on demand
        page.click("#befunde-zeigen")
        assert page.is_visible("#befunde")
        # muted nodes are pale, not transparent: their text stays readable
        muted = [n for n in layout["nodes"] if n["muted"]]
        assert muted
        looks = page.evaluate("""window.lotseNetwork.body.data.nodes.get().map(n =>
            [n.id, n.opacity === undefined ? 1 : n.opacity, n.font.color, n.color.background])""")
        for _id, opacity, ink, fill in looks:
            assert opacity == 1
            assert palette.contrast_ratio(ink, fill) >= 4.5
        assert run.errors == []


def label_pairs() -> list[tuple[str, str, str]]:
    """(where, text colour, background) of every label the maps draw."""
    scenes = [quarter_scene(load_seed("dortmund"), q, AS_OF)
              for q in ("brunnenstrasse", "libellenquartier", "hoerde")]
    scenes.append(quarter_scene(synthetic_quarter(30), "q0", AS_OF))
    scenes.append(several_quarters_scene(load_seed("dortmund"), None, AS_OF, limit=10))
    pairs = []
    for scene in scenes:
        for n in map_data(scene)["nodes"]:
            pairs.append((n["id"], n["look"]["font"], n["look"]["background"]))
            pairs.append((n["id"] + " (gedämpft)", n["muted"]["font"], n["muted"]["background"]))
    for fill in (*palette.COLUMN_FILLS, palette.GAP_COLUMN_FILL):
        pairs.append(("Bahn/Spalte", palette.BACKGROUND_INK, fill))
    pairs.append(("Spalte mit Lücke", palette.PROBLEM, palette.GAP_COLUMN_FILL))
    pairs.append(("Verantwortliche am Übergang", palette.INK, "#FFFFFF"))
    return pairs


def test_every_label_colour_contrasts_with_its_background() -> None:
    low = [(where, ink, fill, round(palette.contrast_ratio(ink, fill), 2))
           for where, ink, fill in label_pairs() if palette.contrast_ratio(ink, fill) < 4.5]
    assert low == []


def test_hyphenation_data_reaches_the_page() -> None:
    data = map_data(quarter_scene(load_seed("unna"), "Königsborn", dt.date(2026, 11, 22)))
    assert any(SHY in n["name"] for n in data["nodes"])
    assert all("\u00ad" not in n["title"] for n in data["nodes"])


def test_owners_on_the_map_toggle_and_tooltip(browser: Any, tmp_path: Path) -> None:
    """The switch shows a number at every line and the list beside the map: number,
    from → to, owner · state of the agreement (issue 26.4: whole labels at the lines
    overlapped at 1280×720); the tooltip always names them."""
    net, quarter = network_and_quarter("brunnenstrasse")
    rows = {r.transition: r for r in responsibility_table(net, quarter, AS_OF)}
    page_file = tmp_path / "karte.html"
    page_file.write_text(page_html("brunnenstrasse", False), encoding="utf-8")
    with open_page(browser, page_file, 1280, 720) as run:
        page = run.page
        read = "window.lotseNetwork.body.data.edges.get().map(e => [e.id, e.label, e.title])"
        assert page.evaluate("window.lotseMap.layout().owners") == []
        assert not page.is_visible("#verantwortliche-liste")
        page.check("#verantwortliche")
        after = page.evaluate(read)
        owners = page.evaluate("window.lotseMap.layout().owners")
        items = page.locator("#verantwortliche-liste li").all_inner_texts()
        page.uncheck("#verantwortliche")
        assert page.evaluate("window.lotseMap.layout().owners") == []
        assert run.errors == []
    assert {i for i, *_ in after} == set(rows)
    numbers = {o["id"]: o["number"] for o in owners}
    assert set(numbers) == set(rows) and sorted(numbers.values()) == list(
        range(1, len(rows) + 1))
    listed = {int(text.split()[0]): " ".join(text.split()[1:]) for text in items}
    for tid, label, title in after:
        row = rows[tid]
        owner = row.owner_name or "niemand"
        assert label is None  # no sentence at the line: its number, the words in the list
        assert listed[numbers[tid]] == f"{row.label}: {owner} · {row.status}"
        assert f"verantwortlich: {owner}" in title and f"Vereinbarung: {row.status}" in title


OWNER_CASES = ["brunnenstrasse", "hoerde", "synthetisch-30"]


@pytest.mark.parametrize("meeting", [False, True], ids=["normal", "besprechung"])
@pytest.mark.parametrize("case", OWNER_CASES)
def test_the_owners_view_is_readable_at_1280x720(browser: Any, tmp_path: Path, case: str,
                                                 meeting: bool) -> None:
    """Issue 26.4: „Verantwortliche an den Übergängen“ was about 9 px at 1280×720, the
    labels overlapping and cut off. Now every line's number is at least 16 CSS px, no two
    overlap, all lie in the window, and the list beside the map (16 px and more) names
    each transition."""
    page_file = tmp_path / "karte.html"
    page_file.write_text(page_html(case, meeting), encoding="utf-8")
    transitions = len(quarter_scene(*network_and_quarter(case), AS_OF).edges)
    with open_page(browser, page_file, 1280, 720) as run:
        page = run.page
        if meeting:  # the switch is a button in the Besprechung
            page.click("#verantwortliche-zeigen")
        else:
            page.check("#verantwortliche")
        layout = page.evaluate("window.lotseMap.layout()")
        assert run.errors == []
    owners = layout["owners"]
    assert len(owners) == transitions > 0
    assert min(o["fontSize"] for o in owners) >= 16
    assert [o["number"] for o in owners if not inside(o, 1280, 720)] == []
    assert [(a["number"], b["number"]) for i, a in enumerate(owners) for b in owners[i + 1:]
            if overlap(a, b)] == []
    listing = layout["ownerList"]
    assert listing["visible"] and listing["items"] == transitions
    assert listing["fontSize"] >= 16
    # the map still fits: no node box left the window when the list came in
    assert [n["id"] for n in layout["nodes"] if not inside(n, 1280, 720)] == []


def test_owner_table_in_the_slide_picture() -> None:
    net, quarter = network_and_quarter("brunnenstrasse")
    svg = scene_image(quarter_scene(net, quarter, AS_OF), "svg").decode("utf-8")
    assert "Übergang (von → an)" in svg and "Vereinbarung" in svg
    # the text of the picture without tags and line breaks (long names wrap)
    text = re.sub(r"\s", "", html.unescape(re.sub(r"<[^>]+>", " ", svg)))
    for row in responsibility_table(net, quarter, AS_OF):
        assert re.sub(r"\s", "", row.owner_name or "niemand") in text
        assert re.sub(r"\s", "", row.status) in text


def test_the_map_lays_itself_out_again_when_the_window_changes(browser: Any,
                                                               tmp_path: Path) -> None:
    page_file = tmp_path / "karte.html"
    page_file.write_text(page_html("synthetisch-30", False), encoding="utf-8")
    with open_page(browser, page_file, 1920, 1080) as run:
        page = run.page
        big = min(n["fontSize"] for n in page.evaluate("window.lotseMap.layout()")["nodes"])
        page.set_viewport_size({"width": 1280, "height": 720})
        page.wait_for_function("window.lotseMap.layout().viewport.width === 1280 && "
                               "window.lotseLaidOut.view.h < 700")
        layout = page.evaluate("window.lotseMap.layout()")
        assert run.errors == []
    nodes = layout["nodes"]
    assert [n["id"] for n in nodes if not inside(n, 1280, 720)] == []
    assert [lane["label"] for lane in layout["lanes"] if not inside(lane, 1280, 720)] == []
    assert not any(overlap(a, b) for i, a in enumerate(nodes) for b in nodes[i + 1:])
    assert min(n["fontSize"] for n in nodes) <= big


@pytest.mark.parametrize("quarter", ["luenen-sued", "selm-mitte"])
def test_column_heads_fit_their_columns(browser: Any, tmp_path: Path, quarter: str) -> None:
    """Kreis Unna at 1280×720: „Schuleintritt“ ran into the next column (its head was
    wider than the column); a head that does not fit gets a smaller font."""
    page_file = tmp_path / "karte.html"
    page_file.write_text(map_html(quarter_scene(load_seed("kreis-unna"), quarter, AS_OF)),
                         encoding="utf-8")
    with open_page(browser, page_file, 1280, 720) as run:
        layout = run.page.evaluate("window.lotseMap.layout()")
        assert run.errors == [] and run.requests == []
    too_wide = [(c["label"], round(c["textWidth"]), round(c["right"] - c["left"]))
                for c in layout["columns"] if c["textWidth"] > c["right"] - c["left"] - 2]
    assert too_wide == []
    assert min(c["fontSize"] for c in layout["columns"]) >= 12
