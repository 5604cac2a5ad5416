"""The interactive chain map: one self-contained HTML file (vis-network inlined).

The file needs no internet: the vis-network build that pyvis ships is copied into it,
the positions come from :mod:`visualisation.scene` and physics is off, so the map
appears at once and looks the same every time. The node and edge data are written
directly (pyvis's ``add_edge`` scans every node and is the bottleneck on big maps).

>>> import datetime as dt
>>> from seeds import load_seed
>>> from visualisation.scene import quarter_scene
>>> page = map_html(quarter_scene(load_seed("brunnenstrasse"), "brunnenstrasse",
...                               dt.date(2026, 11, 22)))
>>> page.startswith("<!DOCTYPE html>"), "vis.Network" in page, "https://" in page.split(
...     "<script>")[0]
(True, True, False)
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

from markupsafe import Markup

from graph.cooperation import LEVELS
from visualisation import palette
from visualisation.hyphenation import soft_hyphens
from visualisation.pages import render_template, template_text
from visualisation.scene import Scene, SceneEdge, SceneNode

__all__ = ["map_data", "map_html", "owner_list", "vis_network_js"]

PATH_COLOUR = "#1565C0"


@cache
def vis_network_js() -> str:
    """The standalone vis-network build shipped with pyvis (read once)."""
    lib = resources.files("pyvis") / "lib" / "vis-9.1.2" / "vis-network.min.js"
    return lib.read_text(encoding="utf-8")


def _node(n: SceneNode, on_path: bool, lane: int) -> dict[str, Any]:
    name = ("⚓\u00a0" if n.anchor else "") + n.label  # the anchor stays with the first word
    sub = ""
    if n.kind != "gap" and n.provider_name and n.provider_name.casefold() != n.label.casefold():
        sub = f"({n.provider_name})"
    font = palette.PROBLEM if n.kind == "gap" else palette.text_colour(n.colour)
    border = palette.PROBLEM if n.problem else "#37474F"
    return {
        "id": n.id, "name": soft_hyphens(name), "sub": soft_hyphens(sub),
        "status": "–\u00a0läuft nicht\u00a0–" if not n.running else "", "title": n.tooltip,
        "kind": n.kind, "provider": n.provider, "stages": list(n.stages),
        "problem": n.problem, "onPath": on_path,
        "lane": lane, "row": n.row, "col0": n.column, "col1": n.end_column,
        "look": {"background": n.colour, "border": border, "font": font},
        "muted": {"background": palette.MUTED_FILL, "border": palette.MUTED_BORDER,
                  "font": palette.MUTED_INK},
        "borderWidth": 4 if n.problem else 1,
        "dashes": n.kind in ("gap", "external") or not n.running,
    }


def owner_list(scene: Scene) -> list[dict[str, Any]]:
    """The transitions of the map numbered as the view „Verantwortliche an den Übergängen“
    shows them: on the map a number at the line, beside it the list (number, from → to,
    owner · state of the agreement) – readable at 1280×720, where whole labels at the
    lines overlapped. Numbered by where the hand-over starts: column, then top to bottom.

    >>> import datetime as dt
    >>> from seeds import load_seed
    >>> from visualisation.scene import quarter_scene
    >>> first = owner_list(quarter_scene(load_seed("brunnenstrasse"), "brunnenstrasse",
    ...                                  dt.date(2026, 11, 22)))[0]
    >>> first["number"], first["between"], first["owner"]
    (1, 'Babylotsendienst in den Geburtskliniken → Familienhebammen (Frühe Hilfen)', \
'Dortmunder Geburtskliniken (Babylotsendienst) · verbindlich')
    """
    nodes = {n.id: n for n in scene.nodes}

    def where(e: SceneEdge) -> tuple[float, ...]:
        a, b = nodes.get(e.source), nodes.get(e.target)
        return (a.column if a else 0, a.y if a else 0.0, b.column if b else 0,
                b.y if b else 0.0)

    return [{"id": e.id, "number": k,
             "between": f"{nodes[e.source].label if e.source in nodes else e.source} → "
                        f"{nodes[e.target].label if e.target in nodes else e.target}",
             "owner": e.owner_label, "broken": e.broken}
            for k, e in enumerate(sorted(scene.edges, key=where), start=1)]


def _edge(e: SceneEdge, on_path: bool) -> dict[str, Any]:
    _name, _width, dashed = palette.EDGE_STYLE[e.kind]
    width = palette.edge_width(e.kind, e.cooperation)
    colour = PATH_COLOUR if on_path else palette.PROBLEM if e.broken else palette.OK_EDGE
    width = max(width, 6.0) if on_path else width + (1.0 if e.broken else 0.0)
    return {"id": e.id, "from": e.source, "to": e.target, "title": e.tooltip,
            "dashes": dashed, "baseWidth": width, "baseColor": colour,
            "broken": e.broken, "onPath": on_path, "ownerLabel": e.owner_label}


def _lane_of(scene: Scene) -> Callable[[SceneNode], int]:
    """The index of the lane a node lies in (by its drafted position)."""
    tops = [lane.top for lane in scene.lanes]

    def lane(n: SceneNode) -> int:
        return max(bisect.bisect_right(tops, n.y) - 1, 0)

    return lane


def map_data(scene: Scene, meeting: bool = False) -> dict[str, Any]:
    """What the page's script lays out and draws, as plain JSON-ready data."""
    path_nodes, path_edges = set(scene.path), scene.path_edges()
    gap_stages = {n.stages[0] for n in scene.nodes if n.kind == "gap"}
    lane_of = _lane_of(scene)
    numbers = {o["id"]: o["number"] for o in owner_list(scene)}
    return {
        "nodes": [_node(n, n.id in path_nodes, lane_of(n)) for n in scene.nodes],
        "edges": [_edge(e, e.id in path_edges) | {"number": numbers[e.id]}
                  for e in scene.edges],
        "columns": [{"stage": c.stage, "short": c.short, "gap": c.stage in gap_stages}
                    for c in scene.columns],
        "lanes": [{"label": soft_hyphens(lane.label), "colour": lane.colour}
                  for lane in scene.lanes],
        "meeting": meeting, "path": scene.path,
        "palette": {"problem": palette.PROBLEM, "backgroundInk": palette.BACKGROUND_INK,
                    "columns": list(palette.COLUMN_FILLS), "gapColumn": palette.GAP_COLUMN_FILL,
                    "mutedEdge": palette.MUTED_BORDER, "ink": palette.INK},
    }


def _json_for_script(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def _cooperation_legend(scene: Scene) -> list[tuple[str, float]]:
    """(label, width) per cooperation level, when some transition of the map is assessed."""
    if not any(e.cooperation for e in scene.edges):
        return []
    return [(f"Stufe {level} „{LEVELS[level].name}“", width)
            for level, width in palette.COOPERATION_WIDTH.items()]


def map_html(scene: Scene, meeting: bool = False) -> str:
    """The chain map as one self-contained HTML page (works offline)."""
    lanes = scene.legend_fields
    return render_template(
        "map.html", title=scene.title, meeting=meeting, providers=scene.providers,
        columns=scene.columns, findings=scene.findings, legend_fields=lanes,
        legend_edges=list(palette.EDGE_STYLE.values()), has_path=bool(scene.path),
        legend_cooperation=_cooperation_legend(scene), owners=owner_list(scene),
        vis_js=Markup(vis_network_js()),
        app_js=Markup(template_text("map.js")),
        preview_js=Markup(template_text("preview.js")),
        data=Markup(_json_for_script(map_data(scene, meeting))))
