"""The stage × field matrix of a quarter (the planning grid of a Präventionskette).

Rows are the fields of action, columns the life stages. A cell lists the services that
run on the date and serve that stage and field (a service counts in every cell it
serves) and how many hand-offs leave the cell (transitions whose source is in it).
An empty cell is a place where the quarter offers nothing; if the quarter's hand-offs
reach a service of another quarter there, the cell says so ("nur über ein anderes
Quartier") instead of plain "leer".

>>> import datetime as dt
>>> from seeds import load_seed
>>> m = stage_field_matrix(load_seed("brunnenstrasse"), "brunnenstrasse", dt.date(2026, 11, 22))
>>> cell = m.cell("health", "pregnancy")
>>> [s for s in cell.names], cell.handoffs, cell.headline
(['Babylotsendienst in den Geburtskliniken'], 2, '1 Angebot · 2 Übergaben von hier')
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

__all__ = ["Cell", "StageFieldMatrix", "matrix_image", "stage_field_matrix"]


@dataclass
class Cell:
    stage: str
    field: str
    services: list[str] = dc_field(default_factory=list)
    names: list[str] = dc_field(default_factory=list)
    handoffs: int = 0
    elsewhere: list[str] = dc_field(default_factory=list)
    """Names of services of other quarters that this quarter's hand-offs reach here."""

    @property
    def empty(self) -> bool:
        return not self.services

    @property
    def only_elsewhere(self) -> bool:
        """Nothing of the quarter here, but a hand-off leads to another quarter's service."""
        return self.empty and bool(self.elsewhere)

    @property
    def headline(self) -> str:
        """What the cell holds, in words (no bare arrows)."""
        if self.empty:
            return "nur über ein anderes Quartier" if self.elsewhere else "leer"
        n, h = len(self.services), self.handoffs
        return (f"{n} Angebot{'e' if n != 1 else ''} · {h} Übergabe{'n' if h != 1 else ''}"
                " von hier")


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

    @property
    def summary(self) -> str:
        """One sentence on the empty cells (for the page and the command line)."""
        elsewhere = sum(1 for c in self.empty_cells if c.only_elsewhere)
        text = f"{len(self.empty_cells)} von {len(self.cells)} Feldern sind leer"
        if elsewhere:
            text += f", davon {elsewhere} nur über ein anderes Quartier erreicht"
        return text + "."

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
    own = set(qi.services)
    reached = dict.fromkeys(
        end for tid in qi.transitions
        for end in (idx.transitions[tid].source, idx.transitions[tid].target) if end not in own)
    for sid in reached:
        service = idx.services[sid]
        for f in service.fields:
            for s in service.life_stages:
                cell = cells.get((f, s))
                if cell is not None and service.name not in cell.elsewhere:
                    cell.elsewhere.append(service.name)
    return StageFieldMatrix(q.id, q.name, day, stages, fields, cells)


LINE = 0.22  # inches per line of text in the matrix picture
_NAMES_SHOWN = 4


def _cell_lines(cell: Cell) -> list[str]:
    """The lines below a cell's headline: full names, wrapped between words."""
    import textwrap

    names = cell.names if not cell.empty else cell.elsewhere
    lines: list[str] = []
    for name in names[:_NAMES_SHOWN]:
        lines += textwrap.wrap(f"• {name}", 26, break_long_words=False,
                               subsequent_indent="  ")
    if len(names) > _NAMES_SHOWN:
        lines.append(f"und {len(names) - _NAMES_SHOWN} weitere")
    return lines


def matrix_image(matrix: StageFieldMatrix, fmt: str = "png") -> bytes:
    """The matrix as a picture (PNG, SVG or PDF) for slides: names in full (wrapped),
    counts in words, empty cells red, cells only reached in another quarter grey."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    n_cols = len(matrix.stages)
    label_w = 1.5  # the column of field names, in cell widths
    rows = matrix.rows()
    heights = [max(len(_cell_lines(c)) for c in cells) + 3.2 for _f, _n, cells in rows]
    total = 1.6 + sum(heights)  # in lines: the stage header, then the rows
    fig = Figure(figsize=(19.2, 1.0 + total * LINE))
    ax = fig.add_axes((0.005, 0.01, 0.99, total * LINE / (1.0 + total * LINE)))
    ax.set_xlim(-label_w, n_cols)
    ax.set_ylim(total, 0)
    ax.set_axis_off()
    fig.suptitle(matrix.title, fontsize=18, fontweight="bold", x=0.01, ha="left", y=0.99)
    fig.text(0.99, 0.995, "Je Feld: laufende Angebote und wie viele Übergaben von dort "
             "weitergehen", ha="right", va="top", fontsize=11, color="#455A64")
    for k, (_sid, label) in enumerate(matrix.stages):
        ax.text(k + 0.5, 0.8, label, ha="center", va="center", fontsize=14, fontweight="bold")
    top = 1.6
    for r, ((fid, name, cells), height) in enumerate(zip(rows, heights, strict=True)):
        colour = palette.field_colour(fid, r)
        ax.add_patch(Rectangle((-label_w + 0.02, top + 0.1), 0.08, height - 0.2, color=colour))
        ax.text(-label_w + 0.15, top + height / 2, name, ha="left", va="center", fontsize=13,
                color=palette.INK, wrap=True)
        for k, cell in enumerate(cells):
            if cell.empty:
                face, edge = ((palette.INACTIVE_FILL, "#757575") if cell.only_elsewhere
                              else (palette.GAP_FILL, palette.PROBLEM))
                ax.add_patch(Rectangle((k + 0.02, top + 0.1), 0.96, height - 0.2,
                                       facecolor=face, edgecolor=edge, linestyle="--"))
                ink = palette.INK if cell.only_elsewhere else palette.PROBLEM
            else:
                shade = 0.25 + min(len(cell.services), 4) * 0.15
                ax.add_patch(Rectangle((k + 0.02, top + 0.1), 0.96, height - 0.2,
                                       facecolor=colour, edgecolor="white", alpha=shade))
                ink = palette.INK
            ax.text(k + 0.5, top + 0.4, cell.headline.replace(" · ", "\n"), ha="center",
                    va="top", fontsize=10.5, fontweight="bold", color=ink, linespacing=1.2)
            lines = _cell_lines(cell)
            if lines:
                ax.text(k + 0.06, top + 2.6, "\n".join(lines), ha="left", va="top",
                        fontsize=10, color=palette.INK, linespacing=1.25)
        top += height
    from visualisation.static import save_figure  # matplotlib: only when drawn

    return save_figure(fig, fmt)
