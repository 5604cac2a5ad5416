"""Static pictures for slides: the chain map and the matrix as PNG, SVG or PDF.

Drawn with matplotlib (no browser on the server) from the same scene as the HTML map,
so positions, colours and the red of broken hand-offs are the same. Sized for a
projector: 1920 pixels wide at 100 dpi for PNG.

>>> import datetime as dt
>>> from seeds import load_seed
>>> from visualisation.scene import quarter_scene
>>> png = scene_image(quarter_scene(load_seed("brunnenstrasse"), "brunnenstrasse",
...                                 dt.date(2026, 11, 22)), "png")
>>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
True
"""

from __future__ import annotations

import bisect
import io
import textwrap

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch, Rectangle

from graph.errors import LotsenError
from graph.vocabulary import count as plural
from visualisation import palette
from visualisation.scene import COLUMN_WIDTH, Scene, SceneNode

__all__ = ["FORMATS", "draw_map", "draw_owner_table", "legend_handles", "owner_rows",
           "owner_table_height", "save_figure", "scene_image", "table_chars"]

FORMATS = ("png", "svg", "pdf")
NODE_WIDTH = 250.0
LANE_HEAD = 30.0  # drawing units at the top of a lane for its label
BOX_GAP = 14.0  # drawing units between boxes stacked in a column
TABLE_ROW = 0.3  # inches per line of the Verantwortungstabelle


def save_figure(fig: Figure, fmt: str) -> bytes:
    """The figure as bytes in ``fmt`` (png, svg or pdf)."""
    if fmt not in FORMATS:
        raise LotsenError(f"Unbekanntes Bildformat „{fmt}“. Möglich sind: {', '.join(FORMATS)}.")
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    metadata = {"Creator": "lotsensystem"} if fmt != "png" else {"Software": "lotsensystem"}
    # SVG keeps its text as text: searchable, editable in slides, and much smaller
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "lotse"}):
        fig.savefig(buffer, format=fmt, dpi=100, metadata=metadata)
    return buffer.getvalue()


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` characters, broken between words only."""
    return textwrap.wrap(text, width, break_long_words=False)


def _lines(label: str, provider: str, anchor: bool, running: bool,
           chars: int = 30) -> list[str]:
    lines = _wrap(("⚓ " if anchor else "") + label, chars)
    if provider and provider.casefold() != label.casefold():
        lines += _wrap(f"({provider})", chars + 6)
    if not running:
        lines.append("– läuft nicht –")
    return lines


def owner_rows(scene: Scene, limit: int = 40) -> list[tuple[str, str, str, bool]]:
    """(transition, owner, agreement state, has a finding) for the legend table: those
    with a finding first; beyond ``limit`` the rest is counted in a last row."""
    names = {n.id: n.label for n in scene.nodes}
    edges = sorted(scene.edges, key=lambda e: not e.broken)
    rows = [(f"{names.get(e.source, e.source)} → {names.get(e.target, e.target)}",
             e.owner_name, e.agreement or "–", e.broken) for e in edges[:limit]]
    if len(edges) > limit:
        rows.append((f"… und {len(edges) - limit} weitere Übergänge "
                     "(alle: Verantwortungstabelle der Quartiersseite)", "", "", False))
    return rows


_TABLE_COLUMNS = (0.0, 0.55, 0.84)  # where the three columns start (fractions of the width)


def table_chars(width_in: float, fontsize: float) -> tuple[int, int]:
    """Characters per line of the first two columns for a table ``width_in`` inches wide."""
    per_char = fontsize * 0.58 / 72

    def chars(share: float) -> int:
        return max(12, int(width_in * share / per_char))

    return (chars(_TABLE_COLUMNS[1] - _TABLE_COLUMNS[0] - 0.02),
            chars(_TABLE_COLUMNS[2] - _TABLE_COLUMNS[1] - 0.02))


def _table_lines(rows: list[tuple[str, str, str, bool]],
                 chars: tuple[int, int]) -> list[tuple[list[str], ...]]:
    return [(_wrap(label, chars[0]) or [""], _wrap(owner, chars[1]) or [""], [state])
            for label, owner, state, _broken in rows]


def owner_table_height(rows: list[tuple[str, str, str, bool]],
                       chars: tuple[int, int] = (78, 46)) -> float:
    """The lines the table needs (a header, then each row as many as its longest cell)."""
    return 1.5 + sum(max(len(c) for c in cells) for cells in _table_lines(rows, chars))


def draw_owner_table(fig: Figure, rows: list[tuple[str, str, str, bool]],
                     rect: tuple[float, float, float, float], fontsize: float = 11) -> None:
    """The Verantwortungstabelle in ``rect`` of the figure (fractions); long names wrap."""
    ax = fig.add_axes(rect)
    ax.set_axis_off()
    chars = table_chars(rect[2] * fig.get_size_inches()[0], fontsize)
    ax.set_xlim(0, 1)
    ax.set_ylim(owner_table_height(rows, chars), 0)
    heads = ("Übergang (von → an)", "verantwortlich", "Vereinbarung")
    for x, head in zip(_TABLE_COLUMNS, heads, strict=True):
        ax.text(x, 0.5, head, fontsize=fontsize + 1, fontweight="bold", va="center")
    ax.plot([0, 1], [1.1, 1.1], color="#37474F", lw=1)
    y = 1.5
    for (_l, _o, _s, broken), cells in zip(rows, _table_lines(rows, chars), strict=True):
        colour = palette.PROBLEM if broken else palette.INK
        for x, lines in zip(_TABLE_COLUMNS, cells, strict=True):
            ax.text(x, y, "\n".join(lines), fontsize=fontsize, va="top", color=colour,
                    linespacing=1.2)
        y += max(len(c) for c in cells)


def legend_handles(scene: Scene) -> list[Patch | Line2D]:
    """The legend of a map: fields once, then problems and the kinds of hand-off."""
    handles: list[Patch | Line2D] = [
        Patch(facecolor=colour, edgecolor="#37474F", label=name)
        for name, colour in scene.legend_fields]
    handles.append(Patch(facecolor=palette.GAP_FILL, edgecolor=palette.PROBLEM, linestyle="--",
                         label="Lücke in einer Lebensphase"))
    handles.append(Patch(facecolor="white", edgecolor=palette.PROBLEM, linewidth=2.5,
                         label="Angebot mit Befund"))
    handles += [Line2D([], [], color=palette.OK_EDGE, lw=lw, ls="--" if dashed else "-",
                       label=name) for name, lw, dashed in palette.EDGE_STYLE.values()]
    handles.append(Line2D([], [], color=palette.PROBLEM, lw=3,
                          label="Übergang mit Befund"))
    if scene.path:
        handles.append(Line2D([], [], color="#1565C0", lw=5, label="Weg der Familie"))
    if any(e.cooperation for e in scene.edges):
        handles += [Line2D([], [], color=palette.OK_EDGE, lw=lw,
                           label=f"Kooperation Stufe {level}")
                    for level, lw in palette.COOPERATION_WIDTH.items()]
    return handles


def _pack(scene: Scene, heights: dict[str, float], head: float = 30.0,
          ) -> tuple[dict[str, float], list[tuple[float, float]], float]:
    """Centres (y) of the boxes, top and bottom of each lane, and the total height: each
    box as high as its columns allow below the boxes before it in its lane, so that
    boxes of any height never overlap."""
    tops = [lane.top for lane in scene.lanes]
    members: list[list[SceneNode]] = [[] for _ in scene.lanes]
    for n in scene.nodes:
        members[max(bisect.bisect_right(tops, n.y) - 1, 0)].append(n)
    centre: dict[str, float] = {}
    bands: list[tuple[float, float]] = []
    y = 0.0
    columns = max(len(scene.columns), max((n.end_column + 1 for n in scene.nodes), default=1))
    for nodes in members:
        floor = [y + head] * columns
        for n in sorted(nodes, key=lambda n: (n.row, n.column)):
            top = max(floor[n.column:n.end_column + 1])
            centre[n.id] = top + heights[n.id] / 2
            for c in range(n.column, n.end_column + 1):
                floor[c] = top + heights[n.id] + BOX_GAP
        bottom = max([*floor, y + head + 30])
        bands.append((y, bottom))
        y = bottom
    return centre, bands, y


def _border(centre: tuple[float, float], width: float, height: float,
            towards: tuple[float, float], per_x: float, per_y: float) -> tuple[float, float]:
    """Where the line from a box's centre towards a point leaves the box (drawing units;
    the slope is taken on paper, where a unit across and a unit down differ)."""
    dx, dy = (towards[0] - centre[0]) * per_x, (towards[1] - centre[1]) * per_y
    half_w, half_h = width / 2 * per_x, height / 2 * per_y
    t = min(half_w / abs(dx) if dx else float("inf"), half_h / abs(dy) if dy else float("inf"),
            1.0)
    return centre[0] + dx * t / per_x, centre[1] + dy * t / per_y


def draw_map(ax: Axes, scene: Scene, meeting: bool = False, node_font: float = 8.5,
             names_only: bool = False) -> None:
    """Columns, lanes, boxes and arrows of ``scene`` into ``ax`` (drawing units); the
    text wraps to the boxes' size on paper and the lanes grow with their boxes. Out of
    focus (meeting mode, a family's path) boxes are pale but keep readable text."""
    width = scene.width
    fig = ax.get_figure()
    assert isinstance(fig, Figure)
    frame = ax.get_position()
    fig_w, fig_h = fig.get_size_inches()
    per_x = frame.width * fig_w / (width + 60)  # inches per drawing unit
    texts: dict[str, list[str]] = {}
    widths: dict[str, float] = {}
    for n in scene.nodes:
        widths[n.id] = NODE_WIDTH + (n.end_column - n.column) * COLUMN_WIDTH
        chars = max(8, int(widths[n.id] * per_x * 72 / (node_font * 0.6)))
        texts[n.id] = [n.label] if n.kind == "gap" else _lines(
            n.label, "" if names_only else n.provider_name, n.anchor, n.running, chars)
    total = scene.height
    for _ in range(4):  # the height in drawing units and the text size in them agree
        per_y = frame.height * fig_h / (total + 90)
        line_h = node_font * 1.25 / 72 / per_y
        heights = {n.id: line_h * len(texts[n.id]) + 12 for n in scene.nodes}
        head = max(LANE_HEAD, 10 * 1.5 / 72 / per_y)  # room for the lane's label (10 pt)
        centre, bands, total = _pack(scene, heights, head)
    ax.set_xlim(-30, width + 30)
    ax.set_ylim(total + 10, -80)
    ax.set_axis_off()
    gap_stages = {n.stages[0] for n in scene.nodes if n.kind == "gap"}
    for k, column in enumerate(scene.columns):
        left = k * COLUMN_WIDTH
        tint = (palette.GAP_COLUMN_FILL if column.stage in gap_stages
                else palette.COLUMN_FILLS[k % 2])
        ax.add_patch(Rectangle((left, -75), COLUMN_WIDTH, total + 75, color=tint, zorder=0))
        ax.text(column.x, -45, column.short, ha="center", va="center", fontsize=15,
                fontweight="bold",
                color=palette.PROBLEM if column.stage in gap_stages else palette.BACKGROUND_INK)
    for lane, (top, bottom) in zip(scene.lanes, bands, strict=True):
        ax.plot([0, width], [bottom, bottom], color="#CFD8DC", lw=1, zorder=1)
        ax.add_patch(Rectangle((-22, top + 4), 8, bottom - top - 8, color=lane.colour,
                               zorder=1))
        ax.text(4, top + 4, lane.label, fontsize=10, style="italic",
                color=palette.BACKGROUND_INK, va="top", zorder=1)
    path_nodes, path_edges = set(scene.path), scene.path_edges()
    highlight = meeting or bool(scene.path)
    boxes: dict[str, FancyBboxPatch] = {}
    centres: dict[str, tuple[float, float]] = {}
    for n in scene.nodes:
        strong = not highlight or (n.id in path_nodes if scene.path else n.problem)
        box_w, box_h, y = widths[n.id], heights[n.id], centre[n.id]
        dashed = n.kind != "service" or not n.running
        box = FancyBboxPatch(
            (n.x - box_w / 2, y - box_h / 2), box_w, box_h,
            boxstyle="round,pad=0,rounding_size=6",
            facecolor=n.colour if strong else palette.MUTED_FILL,
            edgecolor=(palette.PROBLEM if n.problem else "#37474F") if strong
            else palette.MUTED_BORDER,
            linewidth=3.0 if n.problem else 0.8, linestyle="--" if dashed else "-", zorder=3)
        ax.add_patch(box)
        boxes[n.id] = box
        centres[n.id] = (n.x, y)
        colour = (palette.PROBLEM if n.kind == "gap" else palette.text_colour(n.colour)
                  if strong else palette.MUTED_INK)
        ax.text(n.x, y, "\n".join(texts[n.id]), ha="center", va="center", color=colour,
                fontsize=node_font, fontweight="bold" if n.kind == "gap" else "normal",
                zorder=4, linespacing=1.15)
    for e in scene.edges:
        if e.source not in boxes or e.target not in boxes:
            continue
        _name, _lw, dashed = palette.EDGE_STYLE[e.kind]
        lw = palette.edge_width(e.kind, e.cooperation)
        on_path = e.id in path_edges
        strong = on_path if scene.path else e.broken
        colour = "#1565C0" if on_path else palette.PROBLEM if e.broken else palette.OK_EDGE
        # from border to border (computed here: matplotlib's clipping at the boxes is slow)
        a = _border(centres[e.source], widths[e.source], heights[e.source],
                    centres[e.target], per_x, per_y)
        b = _border(centres[e.target], widths[e.target], heights[e.target],
                    centres[e.source], per_x, per_y)
        arrow = FancyArrowPatch(
            posA=a, posB=b, shrinkA=0, shrinkB=0,
            arrowstyle="-|>", mutation_scale=16, connectionstyle="arc3,rad=-0.12",
            color=colour if not highlight or strong else palette.MUTED_BORDER,
            linewidth=(max(lw, 5) if on_path else lw + (1 if e.broken else 0)),
            linestyle="--" if dashed else "-", zorder=2)
        ax.add_artist(arrow)


def scene_image(scene: Scene, fmt: str = "png", meeting: bool = False,
                owners: bool = True) -> bytes:
    """The chain map as PNG, SVG or PDF; below it, for a quarter, the
    Verantwortungstabelle: each transition with its owner and the state of its agreement."""
    width, height = scene.width, scene.height + 80
    fig_w = 19.2
    fig_h = max(6.0, fig_w * (height + 220) / (width + 60))
    rows = owner_rows(scene) if owners and not scene.aggregated else []
    table_h = ((owner_table_height(rows, table_chars(fig_w * 0.98, 11)) + 1) * TABLE_ROW
               if rows else 0.0)
    total = fig_h + table_h
    fig = Figure(figsize=(fig_w, total))
    ax = fig.add_axes((0.01, (table_h + 0.10 * fig_h) / total, 0.98, 0.82 * fig_h / total))
    ax.set_xlim(-30, width + 30)
    ax.set_ylim(scene.height + 10, -80)
    ax.set_axis_off()
    fig.suptitle(scene.title, fontsize=22 if meeting else 18, fontweight="bold", x=0.01,
                 ha="left", y=1 - 0.015 * fig_h / total)
    if rows:
        draw_owner_table(fig, rows, (0.01, 0.25 / total, 0.98, (table_h - 0.35) / total))
    draw_map(ax, scene, meeting)
    handles = legend_handles(scene)
    fig.legend(handles=handles, loc="lower center", ncol=min(len(handles), 6), fontsize=11,
               frameon=False, bbox_to_anchor=(0.5, table_h / total))
    findings = plural(len(scene.findings), "Befund", "Befunde")
    fig.text(0.99, 0.005, f"⚓ Ankerstandort · {findings} · lotsensystem",
             ha="right", va="bottom", fontsize=9, color="#616161")
    return save_figure(fig, fmt)
