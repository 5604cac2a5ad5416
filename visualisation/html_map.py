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

import json
from functools import cache
from importlib import resources
from typing import Any

from markupsafe import Markup

from visualisation import palette
from visualisation.pages import render_template, template_text
from visualisation.scene import COLUMN_WIDTH, Scene, SceneEdge, SceneNode

__all__ = ["map_data", "map_html", "vis_network_js"]

PATH_COLOUR = "#1565C0"


@cache
def vis_network_js() -> str:
    """The standalone vis-network build shipped with pyvis (read once)."""
    lib = resources.files("pyvis") / "lib" / "vis-9.1.2" / "vis-network.min.js"
    return lib.read_text(encoding="utf-8")


def _node(n: SceneNode, on_path: bool) -> dict[str, Any]:
    label = ("⚓ " if n.anchor else "") + n.label
    if n.kind != "gap" and n.provider_name and n.provider_name.casefold() != n.label.casefold():
        label += f"\n({n.provider_name})"
    if not n.running:
        label += "\n– läuft nicht –"
    border = palette.PROBLEM if n.problem else "#37474F"
    data: dict[str, Any] = {
        "id": n.id, "label": label, "title": n.tooltip, "x": n.x, "y": n.y,
        "fixed": True, "provider": n.provider, "stages": list(n.stages),
        "problem": n.problem, "onPath": on_path, "kind": n.kind,
        "color": {"background": n.colour, "border": border,
                  "highlight": {"background": n.colour, "border": "#000000"},
                  "hover": {"background": n.colour, "border": "#000000"}},
        "borderWidth": 4 if n.problem else 1,
    }
    if n.kind == "gap":
        data["fontColor"] = palette.PROBLEM
        data["font"] = {"color": palette.PROBLEM, "size": 17, "bold": True}
        data["shapeProperties"] = {"borderDashes": [8, 5]}
        data["widthConstraint"] = {"minimum": 200, "maximum": 240}
        data["heightConstraint"] = {"minimum": 90}
    else:
        data["fontColor"] = palette.text_colour(n.colour)
        data["font"] = {"color": data["fontColor"]}
        if n.kind == "external" or not n.running:
            data["shapeProperties"] = {"borderDashes": [5, 4]}
    return data


def _edge(e: SceneEdge, on_path: bool) -> dict[str, Any]:
    _name, width, dashed = palette.EDGE_STYLE[e.kind]
    colour = PATH_COLOUR if on_path else palette.PROBLEM if e.broken else palette.OK_EDGE
    width = max(width, 6.0) if on_path else width + (1.0 if e.broken else 0.0)
    return {"id": e.id, "from": e.source, "to": e.target, "title": e.tooltip,
            "dashes": dashed, "width": width, "baseWidth": width, "baseColor": colour,
            "color": {"color": colour, "hover": colour, "highlight": colour},
            "broken": e.broken, "onPath": on_path}


def map_data(scene: Scene, meeting: bool = False) -> dict[str, Any]:
    """What the page's script draws, as plain JSON-ready data."""
    path_nodes, path_edges = set(scene.path), scene.path_edges()
    gap_stages = {n.stages[0] for n in scene.nodes if n.kind == "gap"}
    return {
        "nodes": [_node(n, n.id in path_nodes) for n in scene.nodes],
        "edges": [_edge(e, e.id in path_edges) for e in scene.edges],
        "columns": [{"stage": c.stage, "short": c.short, "x": c.x,
                     "gap": c.stage in gap_stages} for c in scene.columns],
        "lanes": [{"label": lane.label, "top": lane.top, "bottom": lane.bottom,
                   "colour": lane.colour} for lane in scene.lanes],
        "columnWidth": COLUMN_WIDTH, "meeting": meeting, "path": scene.path,
    }


def _json_for_script(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def map_html(scene: Scene, meeting: bool = False) -> str:
    """The chain map as one self-contained HTML page (works offline)."""
    lanes = [(lane.label, lane.colour) for lane in scene.lanes if lane.field != "_extern"]
    return render_template(
        "map.html", title=scene.title, meeting=meeting, providers=scene.providers,
        columns=scene.columns, findings=scene.findings, legend_fields=lanes,
        legend_edges=list(palette.EDGE_STYLE.values()), has_path=bool(scene.path),
        vis_js=Markup(vis_network_js()),
        app_js=Markup(template_text("map.js")),
        preview_js=Markup(template_text("preview.js")),
        data=Markup(_json_for_script(map_data(scene, meeting))))
