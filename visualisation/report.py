"""The quarter report: indicators, findings, Verantwortungstabelle, chain map and matrix on
one printable page.

The handout for the steering-group meeting. The map is an inline SVG (drawn without a
browser), so the page prints to PDF as it looks and needs no script or internet.

>>> import datetime as dt
>>> from seeds import load_seed
>>> page = quarter_report(load_seed("brunnenstrasse"), "brunnenstrasse", dt.date(2026, 11, 22))
>>> "<svg" in page, "Kennzahlen" in page, "Verantwortungstabelle" in page, "<script" in page
(True, True, True, False)
"""

from __future__ import annotations

import datetime as dt
import re

from markupsafe import Markup

from graph.network import Network
from lotsen.funnel import handoff_funnel
from lotsen.indicators import Indicators, quarter_indicators
from lotsen.ownership import ResponsibilityRow, responsibility_table
from lotsen.priority import prioritise
from lotsen.settings import AnalysisSettings
from lotsen.years import yearly
from visualisation import palette
from visualisation.funnel import funnel_image, funnel_summary
from visualisation.matrix import StageFieldMatrix, stage_field_matrix
from visualisation.meeting_items import open_measures
from visualisation.pages import render_template
from visualisation.scene import quarter_scene
from visualisation.trend import trend_chart, trend_rows
from visualisation.wirkung_text import effect_items

__all__ = ["indicator_rows", "matrix_html", "quarter_report", "responsibility_rows"]


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.0%}"


def indicator_rows(ind: Indicators, findings: int | None = None) -> list[tuple[str, str, str]]:
    """(German name, value, explanation) of the indicators for tables and tiles;
    ``findings`` – the number of the open findings the page lists – stands in for the
    indicators' count (which counts a service once and an accepted finding too), so the
    tile „Befunde“ and the list agree."""
    covered, total = ind.stages_covered, ind.stages_total
    return [
        ("Abdeckung der Lebensphasen", _pct(ind.stage_coverage),
         f"{covered} von {total} Lebensphasen haben ein laufendes Angebot"),
        ("Verbindlich abgesicherte Übergänge", _pct(ind.binding_share),
         f"{ind.transitions_binding} von {ind.transitions_total} Übergängen"),
        ("Kontinuität der Kette", _pct(ind.continuity),
         "Anteil der verbundenen Lebensphasen-Paare"),
        ("Bildungsperlen", str(ind.pearls), "Angebote ohne jeden Übergang"),
        ("Vereinbarungen laufen bald aus", str(ind.expiring_agreements), ""),
        ("Verlust bei Übergaben", _pct(ind.loss_rate),
         f"{ind.referred - ind.arrived} von {ind.referred} vermittelten Familien kamen nicht an"
         if ind.referred else "keine Vermittlungszahlen im Zeitfenster"),
        ("Befunde", str(sum(ind.findings.values()) if findings is None else findings), ""),
    ]


def responsibility_rows(rows: list[ResponsibilityRow]) -> list[dict[str, str | bool]]:
    """The Verantwortungstabelle as plain German cells, the unsafe ones first."""
    kinds = {k: name for k, (name, _w, _d) in palette.EDGE_STYLE.items()}
    out: list[dict[str, str | bool]] = []
    for r in sorted(rows, key=lambda r: not r.needs_attention):
        out.append({
            "transition": f"{r.source_name} → {r.target_name}",
            "kind": kinds.get(r.kind, r.kind), "owner": r.owner_name or "niemand",
            "agreements": ", ".join(r.agreement_names) or "keine", "status": r.shown_status,
            "until": f"{r.valid_until:%d.%m.%Y}" if r.valid_until else "–",
            "signed": "ja" if r.owner_signed else "nein",
            "data_protection": r.data_protection,
            # fine: backed as it needs to be (information only and internal hand-overs
            # need no binding agreement) and no information passing without a basis
            "safe": not r.needs_attention and r.data_protection_ok})
    return out


def _colours(matrix: StageFieldMatrix) -> dict[str, str]:
    return {fid: palette.field_colour(fid, i) for i, (fid, _) in enumerate(matrix.fields)}


def matrix_html(matrix: StageFieldMatrix) -> str:
    """The matrix as a page of its own."""
    return render_template("matrix.html", matrix=matrix, colours=_colours(matrix))


def _inline_svg(svg: bytes) -> Markup:
    text = svg.decode("utf-8")
    text = text[text.index("<svg"):]  # drop the XML prolog and doctype
    text = re.sub(r'\swidth="[^"]*pt"\s+height="[^"]*pt"', "", text, count=1)
    return Markup(text)


def quarter_report(net: Network, quarter: str, as_of: dt.date | None = None,
                   settings: AnalysisSettings | None = None,
                   changes: list[str] | None = None) -> str:
    """The report of one quarter (id or name) as one HTML page; ``changes`` (lines from
    :func:`visualisation.meeting_items.change_lines`) adds „Änderungen seit …“."""
    day = as_of or dt.date.today()
    scene = quarter_scene(net, quarter, day, settings)
    ind = quarter_indicators(net, scene.quarter, day, settings)
    years = list(range(day.year - 2, day.year + 1))
    series = yearly(net, years, "quarter", [scene.quarter], day, settings)
    from visualisation.static import scene_image  # matplotlib: only when a report is made

    trend = trend_rows(series)
    matrix = stage_field_matrix(net, scene.quarter, day)
    found = scene.findings  # the open ones (accepted left out), as the Werkstatt lists them
    funnel = handoff_funnel(net, scene.quarter, day, settings, findings=found)
    return render_template(
        "report.html", title=f"Quartiersbericht {scene.quarter_name}",
        as_of=f"{day:%d.%m.%Y}", indicators=indicator_rows(ind, len(found)), findings=found,
        trend_years=years, trend=trend, trend_svg=_inline_svg(trend_chart(series)),
        accepted=len(scene.accepted), top=prioritise(found)[:5],
        measures=open_measures(net, scene.quarter, day), changes=changes,
        effects=effect_items(net, scene.quarter, day, settings),
        map_svg=_inline_svg(scene_image(scene, "svg", owners=False)), matrix=matrix,
        funnel_svg=_inline_svg(funnel_image(funnel)) if funnel.steps else None,
        funnel_summary=funnel_summary(funnel),
        colours=_colours(matrix), responsibility=responsibility_rows(
            responsibility_table(net, scene.quarter, day, settings)))
