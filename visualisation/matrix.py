"""The stage × field matrix of a quarter (the planning grid of a Präventionskette).

Rows are the fields of action, columns the life stages. A cell lists the services that
run on the date and serve that stage and field (a service counts in every cell it
serves) and how many hand-offs leave the cell (transitions whose source is in it).
An empty cell is a place where the quarter offers nothing.

>>> import datetime as dt
>>> from seeds import load_seed
>>> m = stage_field_matrix(load_seed("brunnenstrasse"), "brunnenstrasse", dt.date(2026, 11, 22))
>>> cell = m.cell("health", "pregnancy")
>>> [s for s in cell.names], cell.handoffs
(['Babylotsendienst in den Geburtskliniken'], 2)
>>> len(m.empty_cells) > 0
True
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from dataclasses import field as dc_field

from graph.network import Network
from lotsen.index import get_index
from visualisation import palette
from visualisation.static import save_figure

__all__ = ["Cell", "StageFieldMatrix", "matrix_image", "stage_field_matrix"]


@dataclass
class Cell:
    stage: str
    field: str
    services: list[str] = dc_field(default_factory=list)
    names: list[str] = dc_field(default_factory=list)
    handoffs: int = 0

    @property
    def empty(self) -> bool:
        return not self.services


@dataclass
class StageFieldMatrix:
    quarter: str
    quarter_name: str
    as_of: dt.date
    stages: list[tuple[str, str]]  # (id, short label)
    fields: list[tuple[str, str]]  # (id, name)
    cells: dict[tuple[str, str], Cell]

    @property
    def title(self) -> str:
        return f"Lebensphasen × Handlungsfelder – {self.quarter_name}, Stand {self.as_of:%d.%m.%Y}"

    def cell(self, field_id: str, stage_id: str) -> Cell:
        return self.cells[(field_id, stage_id)]

    @property
    def empty_cells(self) -> list[Cell]:
        return [c for c in self.cells.values() if c.empty]

    def rows(self) -> list[tuple[str, str, list[Cell]]]:
        """(field id, field name, cells in stage order) for drawing."""
        return [(f, name, [self.cells[(f, s)] for s, _ in self.stages])
                for f, name in self.fields]


def stage_field_matrix(net: Network, quarter: str,
                       as_of: dt.date | None = None) -> StageFieldMatrix:
    """The matrix of one quarter (id or name) on a date (today when not given)."""
    day = as_of or dt.date.today()
    q = net.find_quarter(quarter)
    idx = get_index(net)
    qi = idx.quarters[q.id]
    inactive = idx.quarter_inactive(q.id, idx.inactive_on(day))
    cat = net.catalogue
    stages = [(s.id, s.label) for s in cat.life_stages]
    fields = [(f.id, f.name) for f in cat.fields]
    cells = {(f, s): Cell(s, f) for f, _ in fields for s, _ in stages}
    leaving: dict[str, int] = {}
    for tid in qi.transitions:
        source = idx.transitions[tid].source
        leaving[source] = leaving.get(source, 0) + 1
    for sid in qi.by_first:
        if sid in inactive:
            continue
        service = idx.services[sid]
        for f in service.fields:
            for s in service.life_stages:
                cell = cells.get((f, s))
                if cell is not None:
                    cell.services.append(sid)
                    cell.names.append(service.name)
                    cell.handoffs += leaving.get(sid, 0)
    return StageFieldMatrix(q.id, q.name, day, stages, fields, cells)


def matrix_image(matrix: StageFieldMatrix, fmt: str = "png") -> bytes:
    """The matrix as a picture (PNG, SVG or PDF) for slides."""
    import textwrap

    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    n_cols, n_rows = len(matrix.stages), len(matrix.fields)
    fig = Figure(figsize=(19.2, 2.2 + 1.6 * n_rows))
    ax = fig.add_axes((0.13, 0.04, 0.86, 0.82))
    ax.set_xlim(0, n_cols)
    ax.set_ylim(n_rows, -0.35)
    ax.set_axis_off()
    fig.suptitle(matrix.title, fontsize=18, fontweight="bold", x=0.01, ha="left", y=0.98)
    for k, (_sid, label) in enumerate(matrix.stages):
        ax.text(k + 0.5, -0.18, label, ha="center", va="center", fontsize=14, fontweight="bold")
    for r, (fid, name, cells) in enumerate(matrix.rows()):
        colour = palette.field_colour(fid, r)
        fig.text(0.125, 0.04 + 0.82 * (1 - (r + 0.5 + 0.35) / (n_rows + 0.35)), name,
                 ha="right", va="center", fontsize=12, color="#212121")
        for k, cell in enumerate(cells):
            face = palette.GAP_FILL if cell.empty else colour
            shade = 0.25 + min(len(cell.services), 4) * 0.15
            ax.add_patch(Rectangle((k + 0.02, r + 0.04), 0.96, 0.92, facecolor=face,
                                   edgecolor=palette.PROBLEM if cell.empty else "white",
                                   linestyle="--" if cell.empty else "-",
                                   alpha=1.0 if cell.empty else shade))
            if cell.empty:
                ax.text(k + 0.5, r + 0.5, "leer", ha="center", va="center", fontsize=13,
                        color=palette.PROBLEM, fontweight="bold")
                continue
            names = [textwrap.shorten(n, 30, placeholder="…") for n in cell.names[:3]]
            if len(cell.names) > 3:
                names.append(f"+ {len(cell.names) - 3} weitere")
            ax.text(k + 0.5, r + 0.12, f"{len(cell.services)} Angebot"
                    f"{'e' if len(cell.services) != 1 else ''} · → {cell.handoffs}",
                    ha="center", va="top", fontsize=11, fontweight="bold")
            ax.text(k + 0.5, r + 0.36, "\n".join(names), ha="center", va="top", fontsize=8.5)
    return save_figure(fig, fmt)
