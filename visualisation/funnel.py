"""The hand-off funnel of a quarter as a picture (issue 26, point 5): one row per
hand-over along the chain, the families referred as a wide pale bar, those who arrived
as the dark bar inside it, both centred – so the picture narrows where families are
lost. Referral figures only (counts per transition and period), never a person.

For the Werkstatt's quarter page (SVG), the quarter report (inline SVG) and the slides
(one page, drawn into the slide's figure).

>>> import datetime as dt
>>> from seeds import load_seed
>>> from lotsen.funnel import handoff_funnel
>>> funnel = handoff_funnel(load_seed("dortmund"), "hoerde", dt.date(2026, 11, 22))
>>> svg = funnel_image(funnel).decode("utf-8")
>>> "<svg" in svg, "42 vermittelt" in svg, "17 angekommen" in svg
(True, True, True)
>>> funnel_summary(funnel)
'106 Familien vermittelt, 72 angekommen, 34 nicht angekommen (2 Übergänge mit Zahlen)'
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from graph.vocabulary import count as plural
from lotsen.funnel import Funnel
from visualisation import palette

if TYPE_CHECKING:  # matplotlib only when a picture is drawn (the Werkstatt starts fast)
    from matplotlib.axes import Axes

__all__ = ["draw_funnel", "funnel_image", "funnel_summary", "step_line"]

REFERRED_FILL = "#CFD8DC"  # the families referred: pale
ARRIVED_FILL = "#1565C0"  # the families who arrived: dark (white text contrasts)


def step_line(referred: int, arrived: int) -> str:
    """The figures of one step in words, two lines.

    >>> print(step_line(42, 17))
    42 vermittelt · 17 angekommen
    25 nicht angekommen (60 %)
    """
    lost = max(referred - arrived, 0)
    share = f"{lost / referred:.0%}".replace("%", " %") if referred else "–"
    return f"{referred} vermittelt · {arrived} angekommen\n{lost} nicht angekommen ({share})"


def funnel_summary(funnel: Funnel) -> str:
    """One sentence for the picture's alternative text and the page."""
    if not funnel.steps:
        return "Keine Vermittlungszahlen im Zeitfenster."
    return (f"{funnel.referred} Familien vermittelt, {funnel.arrived} angekommen, "
            f"{funnel.lost} nicht angekommen "
            f"({plural(len(funnel.steps), 'Übergang', 'Übergänge')} mit Zahlen)")


def draw_funnel(ax: Axes, funnel: Funnel, fontsize: float = 12) -> None:
    """The funnel into ``ax`` (axes units: the names left, the bars in the middle, the
    figures right)."""
    from matplotlib.patches import Rectangle

    ax.set_axis_off()
    n = max(len(funnel.steps), 1)
    ax.set_xlim(0, 1)
    ax.set_ylim(n, -0.2)
    if not funnel.steps:
        ax.text(0.5, 0.5, "Keine Vermittlungszahlen im Zeitfenster – die Träger tragen sie "
                "je Übergang ein (vermittelt, angekommen).", ha="center", va="center",
                fontsize=fontsize, color=palette.INK, wrap=True)
        return
    widest = max(s.referred for s in funnel.steps) or 1
    left, middle, span = 0.0, 0.53, 0.14  # bars centred at ``middle``, at most 2·span wide
    for k, step in enumerate(funnel.steps):
        y = k + 0.4
        name = "\n".join(textwrap.wrap(step.label, 44)[:3])
        ax.text(left, y, f"{step.stage}\n{name}", ha="left", va="center", fontsize=fontsize,
                color=palette.INK, linespacing=1.15)
        outer = 2 * span * step.referred / widest
        inner = 2 * span * step.arrived / widest
        ax.add_patch(Rectangle((middle - outer / 2, y - 0.3), outer, 0.6,
                               facecolor=REFERRED_FILL, edgecolor="#90A4AE", lw=0.8))
        ax.add_patch(Rectangle((middle - inner / 2, y - 0.22), inner, 0.44,
                               facecolor=palette.PROBLEM if step.flagged else ARRIVED_FILL,
                               edgecolor="none"))
        colour = palette.PROBLEM if step.flagged else palette.INK
        ax.text(middle + span + 0.015, y, step_line(step.referred, step.arrived)
                + ("\nBefund „Verlust“" if step.flagged else ""), ha="left",
                va="center", fontsize=fontsize, color=colour, linespacing=1.15)


def funnel_image(funnel: Funnel, fmt: str = "svg") -> bytes:
    """The funnel as a picture of its own (SVG by default; PNG and PDF too)."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    from visualisation.static import save_figure

    rows = max(len(funnel.steps), 1)
    height = 1.1 + 0.75 * rows  # inches: the title and the legend, then the rows
    fig = Figure(figsize=(11.0, height))
    ax = fig.add_axes((0.01, 0.15 / height, 0.98, 0.75 * rows / height))
    fig.text(0.01, 0.985, f"Vermittlungen entlang der Kette – {funnel.quarter_name}, Stand "
             f"{funnel.as_of:%d.%m.%Y}", fontsize=13, fontweight="bold", va="top",
             color=palette.INK)
    draw_funnel(ax, funnel)
    legend = [Rectangle((0, 0), 1, 1, facecolor=REFERRED_FILL, edgecolor="#90A4AE",
                        label="vermittelt"),
              Rectangle((0, 0), 1, 1, facecolor=ARRIVED_FILL, label="angekommen")]
    if any(s.flagged for s in funnel.steps):
        legend.append(Rectangle((0, 0), 1, 1, facecolor=palette.PROBLEM,
                                label="angekommen, Übergang mit Befund „Verlust“"))
    fig.legend(handles=legend, loc="upper left", ncol=len(legend), fontsize=11,
               frameon=False, bbox_to_anchor=(0.005, 1 - 0.4 / height))
    return save_figure(fig, fmt)
