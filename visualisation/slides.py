"""Slides for the steering group: one 16:9 PDF per quarter, in large type.

The pages: a title page with the quarter's figures, the chain map, "Die wichtigsten
Baustellen" (the five most important open findings by :mod:`lotsen.priority`, with the
next step; findings accepted as intended are left out), the Verantwortungstabelle (as
many pages as it needs), the hand-off funnel (when there are referral figures), the
open Maßnahmen of the quarter (when the network records any) and, given ``changes``,
what changed since the last meeting.

>>> import datetime as dt
>>> from seeds import load_seed
>>> pdf = quarter_slides(load_seed("brunnenstrasse"), "brunnenstrasse", dt.date(2026, 11, 22))
>>> pdf[:5]
b'%PDF-'
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from collections.abc import Sequence

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from graph.network import Network
from graph.vocabulary import count as plural
from lotsen.findings import Finding
from lotsen.funnel import handoff_funnel
from lotsen.ownership import responsibility_table
from lotsen.priority import prioritise
from lotsen.settings import AnalysisSettings
from visualisation import palette
from visualisation.funnel import draw_funnel, funnel_summary
from visualisation.meeting_items import open_measures
from visualisation.scene import Scene, quarter_scene
from visualisation.static import (
    draw_map,
    draw_owner_table,
    legend_handles,
    owner_table_height,
    table_chars,
)

__all__ = ["SLIDE_SIZE", "TOP_FINDINGS", "quarter_slides", "slide_figures"]

SLIDE_SIZE = (13.333, 7.5)  # inches: 16:9, the size of a presentation slide
TOP_FINDINGS = 5
TITLE_SIZE = 30
BODY_SIZE = 18
TABLE_SIZE = 15
_TABLE_LINES = 13  # lines of the Verantwortungstabelle on one slide


def _slide(title: str, footer: str) -> Figure:
    fig = Figure(figsize=SLIDE_SIZE)
    fig.text(0.03, 0.94, title, fontsize=TITLE_SIZE, fontweight="bold", va="top",
             color=palette.INK)
    fig.text(0.97, 0.02, footer, fontsize=12, ha="right", va="bottom", color="#616161")
    return fig


def _title_page(out: list[Figure], scene: Scene, footer: str) -> None:
    fig = Figure(figsize=SLIDE_SIZE)
    fig.patches.append(Rectangle((0, 0.62), 1, 0.38, transform=fig.transFigure,
                                 color=palette.FIELD_COLOURS["health"], zorder=0))
    fig.text(0.05, 0.86, "Präventionskette", fontsize=28, color="#FFFFFF", va="top")
    fig.text(0.05, 0.76, "\n".join(textwrap.wrap(scene.quarter_name, 34)), fontsize=44,
             fontweight="bold", color="#FFFFFF", va="top")
    services = sum(1 for n in scene.nodes if n.kind == "service")
    gaps = sum(1 for n in scene.nodes if n.kind == "gap")
    lines = [f"Steuerungsgruppe · Stand {scene.as_of:%d.%m.%Y}", "",
             f"{plural(services, 'Angebot', 'Angebote')} · "
             f"{plural(len(scene.edges), 'Übergang', 'Übergänge')}, davon "
             f"{len(scene.problem_edges)} mit Befund",
             f"{plural(len(scene.findings), 'Befund', 'Befunde')} · "
             f"{plural(gaps, 'Lücke', 'Lücken')} in Lebensphasen"]
    fig.text(0.05, 0.52, "\n".join(lines), fontsize=24, va="top", color=palette.INK,
             linespacing=1.4)
    fig.text(0.97, 0.02, footer, fontsize=12, ha="right", va="bottom", color="#616161")
    out.append(fig)


def _map_page(out: list[Figure], scene: Scene, footer: str) -> None:
    fig = _slide("Die Kette im Quartier", footer)
    ax = fig.add_axes((0.01, 0.13, 0.98, 0.72))
    draw_map(ax, scene, meeting=True, node_font=10, names_only=True)
    shown = ("Lücke in einer Lebensphase", "Angebot mit Befund", "Übergang mit Befund",
             *(name for name, _colour in scene.legend_fields))
    handles = [h for h in legend_handles(scene) if h.get_label() in shown]
    fig.legend(handles=handles, loc="lower center", ncol=(len(handles) + 1) // 2,
               fontsize=13, frameon=False, bbox_to_anchor=(0.5, 0.04))
    out.append(fig)


def _finding_blocks(findings: list[Finding], size: float) -> list[tuple[str, list[str]]]:
    chars = int(SLIDE_SIZE[0] * 0.9 * 72 / (size * 0.56))
    blocks = []
    for k, f in enumerate(findings, start=1):
        body = textwrap.wrap(f.message, chars)
        if f.next_step:
            body += textwrap.wrap(f"Nächster Schritt: {f.next_step}", chars)
        blocks.append((f"{k}. {f.title} ({f.severity.label})", body))
    return blocks


def _findings_page(out: list[Figure], findings: list[Finding], footer: str) -> None:
    """The five most severe findings, whole (message and next step), as large as fits."""
    fig = _slide("Die wichtigsten Baustellen", footer)
    top = findings[:TOP_FINDINGS]  # already ranked (lotsen.priority)
    if not top:
        fig.text(0.05, 0.7, "Keine Befunde – die Kette hält an diesem Stichtag.",
                 fontsize=BODY_SIZE + 4, va="top")
    room = (0.84 - 0.09) * SLIDE_SIZE[1] * 72  # points between title and footer
    size = float(BODY_SIZE)
    while size > 12:
        need = sum((size + 2) * 1.45 + len(body) * size * 1.3 + size * 0.5
                   for _head, body in _finding_blocks(top, size))
        if need <= room:
            break
        size -= 0.5
    y = 0.84
    for head, body in _finding_blocks(top, size):
        fig.text(0.04, y, head, fontsize=size + 2, fontweight="bold", va="top",
                 color=palette.INK)
        y -= (size + 2) * 1.45 / 72 / SLIDE_SIZE[1]
        fig.text(0.06, y, "\n".join(body), fontsize=size, va="top", color=palette.INK,
                 linespacing=1.3)
        y -= (len(body) * size * 1.3 + size * 0.5) / 72 / SLIDE_SIZE[1]
    more = len(findings) - len(top)
    if more > 0:
        fig.text(0.03, 0.02, f"… und {more} weitere Befunde (alle: Quartiersseite der Werkstatt, "
                 "Quartiersbericht)",
                 fontsize=12, va="bottom", color="#616161")
    out.append(fig)


def _responsibility_pages(out: list[Figure], net: Network, scene: Scene,
                          settings: AnalysisSettings | None, footer: str) -> None:
    # red: only a hand-over that needs a binding agreement and lacks one; one that only
    # passes information or stays within one provider needs none
    rows = [(f"{r.source_name} → {r.target_name}", r.owner_name or "niemand",
             r.shown_status, r.needs_attention)
            for r in sorted(responsibility_table(net, scene.quarter, scene.as_of, settings),
                            key=lambda r: not r.needs_attention)]
    if not rows:
        fig = _slide("Verantwortungstabelle", footer)
        fig.text(0.05, 0.7, "Das Quartier hat keine Übergänge.", fontsize=BODY_SIZE + 4)
        out.append(fig)
        return
    chars = table_chars(SLIDE_SIZE[0] * 0.94, TABLE_SIZE)
    pages: list[list[tuple[str, str, str, bool]]] = [[]]
    for row in rows:  # fill a page up to its lines (long names take two)
        if pages[-1] and owner_table_height([*pages[-1], row], chars) > _TABLE_LINES + 1.5:
            pages.append([])
        pages[-1].append(row)
    for k, chunk in enumerate(pages, start=1):
        suffix = f" ({k}/{len(pages)})" if len(pages) > 1 else ""
        fig = _slide("Verantwortungstabelle" + suffix, footer)
        fig.text(0.03, 0.855, "Wer den Übergang verantwortet und wie er vereinbart ist – "
                 "rot: nicht verbindlich abgesichert, wo es nötig ist", fontsize=14,
                 color="#455A64", va="top")
        draw_owner_table(fig, chunk, (0.03, 0.08, 0.94, 0.72), fontsize=TABLE_SIZE)
        out.append(fig)


def _funnel_page(out: list[Figure], net: Network, scene: Scene,
                 settings: AnalysisSettings | None, footer: str) -> None:
    """„Vermittlungen entlang der Kette“: the hand-off funnel, when the quarter has
    referral figures in the window (no page without)."""
    funnel = handoff_funnel(net, scene.quarter, scene.as_of, settings, findings=scene.findings)
    if not funnel.steps:
        return
    fig = _slide("Vermittlungen entlang der Kette", footer)
    fig.text(0.03, 0.855, funnel_summary(funnel) + " – nur Zahlen, keine Personen",
             fontsize=14, color="#455A64", va="top")
    rows = len(funnel.steps)
    height = min(0.72, 0.17 * rows)
    ax = fig.add_axes((0.03, 0.80 - height, 0.94, height))
    draw_funnel(ax, funnel, fontsize=15 if rows <= 4 else 12 if rows <= 8 else 9)
    out.append(fig)


def _list_page(out: list[Figure], title: str, items: Sequence[str], footer: str) -> None:
    fig = _slide(title, footer)
    text = "\n".join(f"• {line}" for item in items for line in textwrap.wrap(item, 90)) or "–"
    fig.text(0.05, 0.82, text, fontsize=BODY_SIZE, va="top", linespacing=1.35)
    out.append(fig)


def quarter_slides(net: Network, quarter: str, as_of: dt.date | None = None,
                   settings: AnalysisSettings | None = None, *,
                   measures: Sequence[str] | None = None,
                   changes: Sequence[str] | None = None) -> bytes:
    """The slides of one quarter (id or name) as a 16:9 PDF.

    ``measures`` (open Maßnahmen) and ``changes`` (since the last meeting) get a page
    each once the tool records them; None – today's only value – draws no page.
    """
    scene = quarter_scene(net, quarter, as_of or dt.date.today(), settings)
    if measures is None:
        measures = open_measures(net, scene.quarter, scene.as_of)
    figures = slide_figures(net, scene, settings, measures=measures, changes=changes)
    buffer = io.BytesIO()
    metadata = {"Creator": "lotsensystem", "Title": f"Präventionskette {scene.quarter_name}"}
    with PdfPages(buffer, metadata=metadata) as pdf:
        for fig in figures:
            pdf.savefig(fig)
    return buffer.getvalue()


def slide_figures(net: Network, scene: Scene, settings: AnalysisSettings | None = None, *,
                  measures: Sequence[str] | None = None,
                  changes: Sequence[str] | None = None) -> list[Figure]:
    """The slides of a quarter's scene, one figure each (for the PDF or as pictures)."""
    footer = f"{scene.quarter_name} · Stand {scene.as_of:%d.%m.%Y} · lotsensystem"
    out: list[Figure] = []
    _title_page(out, scene, footer)
    _map_page(out, scene, footer)
    # „Die wichtigsten Baustellen“: ranked; the scene's findings are the open ones (those
    # accepted as intended are left out, as on every surface)
    ranked = prioritise(scene.findings)
    _findings_page(out, ranked, footer)
    _responsibility_pages(out, net, scene, settings, footer)
    if not scene.aggregated:
        _funnel_page(out, net, scene, settings, footer)
    if measures is not None:
        _list_page(out, "Offene Maßnahmen", measures, footer)
    if changes is not None:
        _list_page(out, "Änderungen seit der letzten Sitzung", changes, footer)
    return out
