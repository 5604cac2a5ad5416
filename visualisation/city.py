"""Maps of several quarters: all chains drawn one below the other, or – above a limit of
nodes – the city view with one node per quarter.

Up to ``limit`` nodes (3,000 by default, about 13 quarters of 200 services) every chain
is drawn in full, each in its own band; node ids get the quarter as prefix
(``quarter/service``), since a service serving two quarters appears in both. Above the
limit a browser would wait for seconds, so the city view aggregates: each quarter is
one node (coloured by its worst finding, sized by its services) and the hand-offs
between quarters are one edge per pair of quarters.

>>> import datetime as dt
>>> from seeds import load_seed
>>> net = load_seed("dortmund")
>>> full = several_quarters_scene(net, None, dt.date(2026, 11, 22))
>>> city = several_quarters_scene(net, None, dt.date(2026, 11, 22), limit=10)
>>> len(full.nodes) > len(city.nodes) == 3, city.aggregated
(True, True)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from graph.network import Network
from graph.vocabulary import count as plural
from lotsen.findings import Finding, Severity
from lotsen.index import get_index
from lotsen.open_findings import findings_triage
from lotsen.settings import AnalysisSettings
from visualisation import palette
from visualisation.scene import (
    COLUMN_WIDTH,
    Lane,
    Scene,
    SceneEdge,
    SceneNode,
    quarter_scene,
)

__all__ = ["DEFAULT_LIMIT", "several_quarters_scene"]

DEFAULT_LIMIT = 3000
BAND_GAP = 160.0
_SEVERITY_COLOUR = {None: "#2E7D32", Severity.LOW: "#9E9D24", Severity.MEDIUM: "#EF6C00",
                    Severity.HIGH: "#C62828", Severity.CRITICAL: "#7F0000"}


def _node_count(net: Network, quarters: Sequence[str]) -> int:
    idx = get_index(net)
    stages = len(idx.stage_ids)
    return sum(len(idx.quarters[q].services) for q in quarters) + stages * len(quarters)


def several_quarters_scene(net: Network, quarters: Sequence[str] | None,
                           as_of: dt.date | None = None,
                           settings: AnalysisSettings | None = None,
                           limit: int = DEFAULT_LIMIT) -> Scene:
    """The map of several quarters (all when ``quarters`` is None)."""
    day = as_of or dt.date.today()
    ids = [net.find_quarter(q).id for q in quarters] if quarters else [
        q.id for q in net.quarters]
    if _node_count(net, ids) > limit:
        return _city(net, ids, day, settings)
    nodes: list[SceneNode] = []
    edges: list[SceneEdge] = []
    lanes: list[Lane] = []
    findings: list[Finding] = []
    offset = 0.0
    scene = None
    scenes: list[Scene] = []
    for q in ids:
        scene = quarter_scene(net, q, day, settings)
        scenes.append(scene)
        for n in scene.nodes:
            n.id, n.y = f"{q}/{n.id}", n.y + offset
        for e in scene.edges:
            e.id, e.source, e.target = f"{q}/{e.id}", f"{q}/{e.source}", f"{q}/{e.target}"
        nodes += scene.nodes
        edges += scene.edges
        for lane in scene.lanes:
            label = f"{scene.quarter_name}: {lane.label}" if lane is scene.lanes[0] else lane.label
            lanes.append(Lane(lane.field, label, lane.top + offset, lane.bottom + offset,
                              lane.colour, name=lane.label))
        findings += [f for f in scene.findings if f not in findings]
        offset = lanes[-1].bottom + BAND_GAP if lanes else offset
    assert scene is not None
    title = f"Präventionsketten von {len(ids)} Quartieren – Stand {day:%d.%m.%Y}"
    accepted = list({f.stable_key: (f, a) for one in scenes for f, a in one.accepted}.values())
    return Scene(title, ",".join(ids), f"{len(ids)} Quartiere", day, nodes, edges,
                 scene.columns, lanes, findings, accepted=accepted)


def _city(net: Network, ids: list[str], day: dt.date,
          settings: AnalysisSettings | None) -> Scene:
    idx = get_index(net)
    sorted_out = findings_triage(net, day, settings, ids)  # accepted ones left out
    findings = sorted_out.open
    worst: dict[str, Severity] = {}
    count: dict[str, int] = {}
    for f in findings:
        for q in f.quarters:
            count[q] = count.get(q, 0) + 1
            worst[q] = max(worst.get(q, f.severity), f.severity)
    per_row = max(1, min(12, round(len(ids) ** 0.5 * 1.6)))
    nodes = []
    for i, q in enumerate(ids):
        quarter = net.quarter_index[q]
        services = len(idx.quarters[q].services)
        severity = worst.get(q)
        n_services = plural(services, "Angebot", "Angebote")
        n_findings = plural(count.get(q, 0), "Befund", "Befunde")
        node = SceneNode(
            id=q, label=f"{quarter.name}\n{n_services} · {n_findings}",
            kind="quarter", x=(i % per_row + 0.5) * COLUMN_WIDTH,
            y=(i // per_row + 0.5) * 140.0, colour=_SEVERITY_COLOUR[severity],
            column=i % per_row, lane="", findings=[])
        node.tooltip = (f"{quarter.name}: {n_services}, {n_findings}"
                        + (f", schwerster: {severity.label}" if severity else ""))
        nodes.append(node)
    chosen = set(ids)
    pairs: dict[tuple[str, str], int] = {}
    for tid, qs in idx.quarters_of_transition.items():
        t = idx.transitions[tid]
        a = next((q for q in idx.services[t.source].quarters if q in chosen), None)
        b = next((q for q in idx.services[t.target].quarters if q in chosen), None)
        if a and b and a != b and len(qs) > 1:
            pairs[(a, b)] = pairs.get((a, b), 0) + 1
    edges = [SceneEdge(f"{a}->{b}", a, b, "referral", "",
                       tooltip=plural(n, "Übergang", "Übergänge"))
             for (a, b), n in sorted(pairs.items())]
    rows = (len(ids) + per_row - 1) // per_row
    lanes = [Lane("_stadt", "Quartiere (Farbe: schwerster Befund)", 0.0, rows * 140.0,
                  palette.OK_EDGE)]
    return Scene(f"Stadtansicht: {len(ids)} Quartiere – Stand {day:%d.%m.%Y}", ",".join(ids),
                 f"{len(ids)} Quartiere", day, nodes, edges, [], lanes, findings,
                 aggregated=True, accepted=sorted_out.accepted)
