"""The chain map of a quarter as a drawable scene: positioned nodes and styled edges.

One scene feeds every drawing – the interactive HTML map (vis-network), the PNG/SVG/PDF
for slides (matplotlib) and the report – so all of them show the same picture.

Layout: life stages are columns from left to right (pregnancy → primary school), fields
of action are lanes from top to bottom. A service spans the columns from its first to
its last life stage (a Kita for 1–6 years covers both the 1–3 and the 3–6 column) and
sits in the lane of its first field; inside a lane the services are packed into rows so
that no two share a column in the same row. The edges are the transitions of the
quarter: those between services that both serve it, and hand-offs to or from a service
that serves none of the same quarters; the services of other quarters these reach sit
in a lane of their own at the bottom. A life stage without a running service gets a red
placeholder ("Lücke: …") in its column, in a lane "Lücken in der Kette" at the top.

The positions here are a first draft in drawing units (the static pictures use them);
the HTML map lays the same rows and columns out again in the browser, with the real
text sizes, so that the map fills the screen and no boxes overlap.

>>> import datetime as dt
>>> from seeds import load_seed
>>> scene = quarter_scene(load_seed("brunnenstrasse"), "brunnenstrasse", dt.date(2026, 11, 22))
>>> scene.title
'Präventionskette Brunnenstraßen-/Hannibalviertel – Stand 22.11.2026'
>>> len(scene.nodes), len(scene.edges), len(scene.problem_edges) > 0
(17, 19, True)
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from graph.cooperation import latest
from graph.errors import LotsenError, NotFoundError
from graph.model import AcceptedFinding
from graph.network import Network
from lotsen.findings import BROKEN_HANDOFF_CODES, Finding
from lotsen.index import get_index
from lotsen.open_findings import quarter_triage
from lotsen.ownership import responsibility_table
from lotsen.settings import AnalysisSettings
from visualisation import palette

__all__ = ["Column", "Lane", "Scene", "SceneEdge", "SceneNode", "quarter_scene"]

COLUMN_WIDTH = 300.0
ROW_HEIGHT = 110.0
EMPTY_LANE = 70.0
LANE_GAP = 50.0
EXTERNAL_LANE = "_extern"
GAP_LANE = "_luecken"


@dataclass
class SceneNode:
    """A service (or a gap placeholder) with its position and look."""

    id: str
    label: str
    kind: str  # service | external | gap
    x: float
    y: float
    colour: str
    column: int
    lane: str
    provider: str = ""
    provider_name: str = ""
    stages: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    anchor: bool = False
    running: bool = True
    findings: list[Finding] = field(default_factory=list)
    tooltip: str = ""
    last_column: int = -1  # the last column it spans (-1: only ``column``)
    row: int = 0  # its row inside its lane

    @property
    def problem(self) -> bool:
        return self.kind == "gap" or bool(self.findings)

    @property
    def end_column(self) -> int:
        """The last column the node spans (itself when it spans one)."""
        return max(self.column, self.last_column)


@dataclass
class SceneEdge:
    """A transition between two drawn services."""

    id: str
    source: str
    target: str
    kind: str
    owner_name: str
    findings: list[Finding] = field(default_factory=list)
    tooltip: str = ""
    agreement: str = ""  # the state of its backing: verbindlich, keine Vereinbarung, …
    cooperation: int | None = None  # newest cooperation quality 1–5 on the date (issue 17)

    @property
    def owner_label(self) -> str:
        """Who owns the hand-off and how it is backed, for the map ("AWO · verbindlich")."""
        return " · ".join(part for part in (self.owner_name, self.agreement) if part)

    @property
    def broken(self) -> bool:
        return bool(self.findings)


@dataclass(frozen=True)
class Column:
    stage: str
    label: str
    short: str
    x: float


@dataclass(frozen=True)
class Lane:
    field: str
    label: str
    top: float
    bottom: float
    colour: str
    name: str = ""  # the field's own name where ``label`` adds more (a quarter's name)


@dataclass
class Scene:
    """Everything a drawing needs; positions are in drawing units (pixels at 100 %)."""

    title: str
    quarter: str
    quarter_name: str
    as_of: dt.date
    nodes: list[SceneNode]
    edges: list[SceneEdge]
    columns: list[Column]
    lanes: list[Lane]
    findings: list[Finding]  # the open ones: accepted findings are left out (one truth)
    focus: str | None = None
    path: list[str] = field(default_factory=list)  # node ids along a highlighted path
    aggregated: bool = False  # the city view: one node per quarter
    # findings accepted as intended („geprüft, bewusst so“) on the date: not drawn red
    accepted: list[tuple[Finding, AcceptedFinding]] = field(default_factory=list)

    @property
    def problem_edges(self) -> list[SceneEdge]:
        return [e for e in self.edges if e.broken]

    @property
    def providers(self) -> list[tuple[str, str]]:
        """(id, name) of the providers on the map, by name."""
        seen = {n.provider: n.provider_name for n in self.nodes if n.provider}
        return sorted(seen.items(), key=lambda kv: kv[1].casefold())

    @property
    def width(self) -> float:
        return COLUMN_WIDTH * max(len(self.columns), 1)

    @property
    def height(self) -> float:
        return max((lane.bottom for lane in self.lanes), default=ROW_HEIGHT)

    @property
    def legend_fields(self) -> list[tuple[str, str]]:
        """(name, colour) of each field on the map, once: a map of several quarters has
        the lanes of every quarter but one legend."""
        seen: dict[str, tuple[str, str]] = {}
        for lane in self.lanes:
            if not lane.field.startswith("_"):
                seen.setdefault(lane.field, (lane.name or lane.label, lane.colour))
        return list(seen.values())

    def path_edges(self) -> set[str]:
        """The edges along the highlighted path."""
        pairs = set(zip(self.path, self.path[1:], strict=False))
        return {e.id for e in self.edges if (e.source, e.target) in pairs}


def quarter_scene(net: Network, quarter: str, as_of: dt.date | None = None,
                  settings: AnalysisSettings | None = None, *, focus: str | None = None,
                  hops: int = 1, path: tuple[str, str] | None = None) -> Scene:
    """The chain map of one quarter (id or name) on a date, with the open findings of
    :func:`lotsen.open_findings.quarter_triage` – the list of the Werkstatt's quarter
    page: a finding accepted on that day is neither red nor counted.

    ``focus`` (a service or provider, id or name) keeps only what lies within ``hops``
    hand-offs of it; ``path`` (two services) highlights the way a family takes from the
    first to the second.
    """
    day = as_of or dt.date.today()
    q = net.find_quarter(quarter)
    sorted_out = quarter_triage(net, q.id, day, settings)
    scene = _Builder(net, q.id, day, sorted_out.open, settings).build()
    scene.accepted = sorted_out.accepted
    if focus is not None:
        scene = _focused(scene, focus, hops)
    if path is not None:
        scene.path = _path(scene, *path)
    return scene


class _Builder:
    def __init__(self, net: Network, quarter: str, day: dt.date,
                 findings: list[Finding], settings: AnalysisSettings | None) -> None:
        self.net, self.q, self.day, self.findings = net, quarter, day, findings
        self.settings = settings
        self.idx = get_index(net)
        self.cat = net.catalogue

    def build(self) -> Scene:
        net, idx, cat = self.net, self.idx, self.cat
        qi = idx.quarters[self.q]
        inactive = idx.quarter_inactive(self.q, idx.inactive_on(self.day))
        own = list(qi.by_first)
        own_set = set(own)
        external = list(dict.fromkeys(
            end for tid in qi.transitions
            for end in (idx.transitions[tid].source, idx.transitions[tid].target)
            if end not in own_set))
        field_pos = {f.id: i for i, f in enumerate(cat.fields)}
        transition_ids = set(qi.transitions)
        node_findings, edge_findings = self._findings(transition_ids, own_set, set(external))
        gap_stages = [k for k, stage in enumerate(cat.life_stages)
                      if f"gap:{stage.id}" in node_findings]
        # lane -> (service, first column, last column), in life-course order
        in_lane: dict[str, list[tuple[str, int, int]]] = {}
        for s in own:
            service = idx.services[s]
            lane = min(service.fields, key=lambda f: field_pos.get(f, len(field_pos)))
            in_lane.setdefault(lane, []).append((s, idx.orders[s][0], idx.orders[s][-1]))
        for s in external:
            in_lane.setdefault(EXTERNAL_LANE, []).append((s, idx.orders[s][0], idx.orders[s][-1]))
        in_lane[GAP_LANE] = [(f"gap:{cat.life_stages[k].id}", k, k) for k in gap_stages]
        lanes: list[Lane] = []
        slot_of: dict[str, tuple[str, int, int, int]] = {}
        top = 0.0
        lane_ids = ([GAP_LANE] + [f.id for f in cat.fields] + [EXTERNAL_LANE])
        for lane_id in lane_ids:
            rows = _pack_rows(in_lane.get(lane_id, []))
            if lane_id in (GAP_LANE, EXTERNAL_LANE) and not rows:
                continue
            n_rows = max(rows.values(), default=-1) + 1
            height = n_rows * ROW_HEIGHT + LANE_GAP if n_rows else EMPTY_LANE
            if lane_id == EXTERNAL_LANE:
                label, colour = "Andere Quartiere", "#BDBDBD"
            elif lane_id == GAP_LANE:
                label, colour = "Lücken in der Kette", palette.PROBLEM
            else:
                label = cat.field_names[lane_id]
                colour = palette.field_colour(lane_id, field_pos[lane_id])
            lanes.append(Lane(lane_id, label, top, top + height, colour))
            for s, first, last in in_lane.get(lane_id, []):
                slot_of[s] = (lane_id, first, last, rows[s])
            top += height
        lane_top = {lane.field: lane.top for lane in lanes}
        columns = [Column(s.id, s.name, s.label, (k + 0.5) * COLUMN_WIDTH)
                   for k, s in enumerate(cat.life_stages)]

        def position(first: int, last: int, lane: str, row: int) -> tuple[float, float]:
            return ((first + last + 1) / 2 * COLUMN_WIDTH,
                    lane_top[lane] + (row + 0.5) * ROW_HEIGHT + LANE_GAP / 2)

        nodes: list[SceneNode] = []
        for s in own + external:
            lane, column, last, row = slot_of[s]
            service = idx.services[s]
            provider = net.provider_index[service.provider]
            is_external = lane == EXTERNAL_LANE
            running = s not in inactive and (not is_external or service.is_active_on(self.day))
            colour = (palette.INACTIVE_FILL if not running or is_external
                      else palette.field_colour(lane, field_pos.get(lane)))
            x, y = position(column, last, lane, row)
            node = SceneNode(
                id=s, label=service.name, kind="external" if is_external else "service",
                x=x, y=y, colour=colour, column=column, lane=lane, provider=provider.id,
                provider_name=provider.name, stages=tuple(service.life_stages),
                fields=tuple(service.fields), anchor=provider.anchor is not None,
                running=running, findings=node_findings.get(s, []), last_column=last,
                row=row)
            node.tooltip = self._service_tooltip(node, is_external)
            nodes.append(node)
        for k in gap_stages:
            stage = cat.life_stages[k]
            gap_id = f"gap:{stage.id}"
            x, y = position(k, k, GAP_LANE, slot_of[gap_id][3])
            gap = SceneNode(id=gap_id, label=f"Lücke: {stage.label}", kind="gap", x=x, y=y,
                            colour=palette.GAP_FILL, column=k, lane=GAP_LANE,
                            stages=(stage.id,), findings=node_findings[gap_id])
            gap.tooltip = _finding_lines(f"Lücke: {stage.name}", gap.findings)
            nodes.append(gap)
        edges: list[SceneEdge] = []
        backing = {row.transition: row for row in responsibility_table(
            net, self.q, self.day, self.settings)}
        for tid in qi.transitions:
            t = idx.transitions[tid]
            owner = net.provider_index[t.owner].name if t.owner else "niemand"
            backed = backing[tid]
            now = latest(t.cooperation, self.day)
            edge = SceneEdge(tid, t.source, t.target, t.kind.value, owner,
                             edge_findings.get(tid, []), agreement=backed.status,
                             cooperation=now.level if now else None)
            kind_name = palette.EDGE_STYLE[edge.kind][0]
            until = ("" if not backed.valid_until else
                     f" am {backed.valid_until:%d.%m.%Y}" if backed.status == "abgelaufen"
                     else f", gültig bis {backed.valid_until:%d.%m.%Y}")
            head = (f"{idx.services[t.source].name} → {idx.services[t.target].name}\n"
                    f"{kind_name} · verantwortlich: {owner}\n"
                    f"Vereinbarung: {backed.status}{until}")
            if now is not None:
                head += f"\nKooperationsqualität: {backed.cooperation}"
            if t.data_protection is not None:
                head += f"\nDatenschutz: {backed.data_protection}"
            edge.tooltip = _finding_lines(head, edge.findings)
            edges.append(edge)
        quarter = net.quarter_index[self.q]
        title = f"Präventionskette {quarter.name} – Stand {self.day:%d.%m.%Y}"
        return Scene(title, self.q, quarter.name, self.day, nodes, edges, columns, lanes,
                     self.findings)

    def _findings(self, transition_ids: set[str], own: set[str], external: set[str],
                  ) -> tuple[dict[str, list[Finding]], dict[str, list[Finding]]]:
        """The findings per node (gaps as ``gap:<stage>``) and per transition."""
        node_findings: dict[str, list[Finding]] = {}
        edge_findings: dict[str, list[Finding]] = {}
        for f in self.findings:
            if f.code in BROKEN_HANDOFF_CODES:
                for i in f.ids:
                    if i in transition_ids:
                        edge_findings.setdefault(i, []).append(f)
            elif f.code == "STAGE_GAP":
                node_findings.setdefault(f"gap:{f.ids[1]}", []).append(f)
            else:
                for i in f.ids:
                    if i in own or i in external:
                        node_findings.setdefault(i, []).append(f)
        return node_findings, edge_findings

    def _service_tooltip(self, node: SceneNode, external: bool) -> str:
        stages = ", ".join(self.cat.stages[s].name for s in node.stages if s in self.cat.stages)
        fields = ", ".join(self.cat.field_names.get(f, f) for f in node.fields)
        lines = [node.label, f"Träger: {node.provider_name}"
                 + (" (Ankerstandort)" if node.anchor else ""),
                 f"Lebensphasen: {stages}", f"Handlungsfelder: {fields}"]
        if external:
            service = self.idx.services[node.id]
            names = ", ".join(self.net.quarter_index[q].name for q in service.quarters)
            lines.append(f"Quartier: {names}")
        if not node.running:
            lines.append("Läuft an diesem Stichtag nicht.")
        return _finding_lines("\n".join(lines), node.findings)


def _pack_rows(items: list[tuple[str, int, int]]) -> dict[str, int]:
    """Rows for (id, first column, last column) so that no two in a row share a column.

    >>> _pack_rows([("kita", 3, 4), ("krippe", 3, 3), ("fz", 4, 5)])
    {'kita': 0, 'krippe': 1, 'fz': 1}
    """
    taken: list[set[int]] = []
    rows: dict[str, int] = {}
    for item, first, last in items:
        span = set(range(first, last + 1))
        row = next((r for r, used in enumerate(taken) if not used & span), len(taken))
        if row == len(taken):
            taken.append(set())
        taken[row] |= span
        rows[item] = row
    return rows


def _finding_lines(head: str, findings: Iterable[Finding]) -> str:
    lines = [head]
    for f in findings:
        lines.append(f"⚠ {f.title} ({f.severity.label}): {f.message}")
    return "\n".join(lines)


def _resolve_services(scene: Scene, wanted: str) -> list[str]:
    """Service ids on the map named by ``wanted``: a service or a provider (id or name)."""
    on_map = {n.id: n for n in scene.nodes if n.kind != "gap"}
    key = wanted.casefold()
    hits = [n.id for n in on_map.values()
            if key in (n.id.casefold(), n.label.casefold())]
    if not hits:
        hits = [n.id for n in on_map.values()
                if key in (n.provider.casefold(), n.provider_name.casefold())]
    if not hits:  # a unique part of a name is enough ("Willkommensbesuch")
        parts = {n.id for n in on_map.values()
                 if key in n.label.casefold() or key in n.provider_name.casefold()}
        one_service = len({on_map[i].label for i in parts}) == 1
        one_provider = len({on_map[i].provider for i in parts}) == 1
        if parts and (one_service or one_provider):
            hits = sorted(parts)
    if not hits:
        names = [n.label for n in on_map.values()] + [n.provider_name for n in on_map.values()]
        raise NotFoundError("Angebot oder Träger auf der Karte", wanted, names)
    return hits


def _focused(scene: Scene, focus: str, hops: int) -> Scene:
    if hops < 0:
        raise LotsenError("--hops muss 0 oder größer sein.")
    starts = _resolve_services(scene, focus)
    around: dict[str, set[str]] = {}
    for e in scene.edges:
        around.setdefault(e.source, set()).add(e.target)
        around.setdefault(e.target, set()).add(e.source)
    dist = {s: 0 for s in starts}
    todo = deque(starts)
    while todo:
        s = todo.popleft()
        if dist[s] == hops:
            continue
        for v in around.get(s, ()):
            if v not in dist:
                dist[v] = dist[s] + 1
                todo.append(v)
    scene.nodes = [n for n in scene.nodes if n.id in dist]
    scene.edges = [e for e in scene.edges if e.source in dist and e.target in dist]
    names = sorted({n.label for n in scene.nodes if n.id in starts})
    scene.focus = ", ".join(names)
    scene.title += f" – Fokus: {scene.focus} ({hops} Übergabe{'n' if hops != 1 else ''})"
    return scene


def _path(scene: Scene, start: str, goal: str) -> list[str]:
    """The shortest hand-off path between two services on the map (node ids)."""
    sources, targets = _resolve_services(scene, start), _resolve_services(scene, goal)
    succ: dict[str, list[str]] = {}
    for e in scene.edges:
        succ.setdefault(e.source, []).append(e.target)
    before: dict[str, str | None] = {s: None for s in sources}
    todo = deque(sources)
    goals = set(targets)
    while todo:
        s = todo.popleft()
        if s in goals:
            way = [s]
            while (prev := before[way[-1]]) is not None:
                way.append(prev)
            return way[::-1]
        for v in succ.get(s, ()):
            if v not in before:
                before[v] = s
                todo.append(v)
    names = (", ".join(sorted({n.label for n in scene.nodes if n.id in sources})),
             ", ".join(sorted({n.label for n in scene.nodes if n.id in goals})))
    raise LotsenError(f"Auf der Karte führt kein Weg von „{names[0]}“ zu „{names[1]}“. "
                      "Ein Übergang fehlt – genau das ist eine Lücke der Kette.")
