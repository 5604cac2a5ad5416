"""The documents of a Sitzung: the Protokoll (minutes: who attended as roles, the agenda
with what was said, what was decided, the measures with responsible and due date), the
slides (16:9) and the report (A4) of its area, with "seit der letzten Sitzung".

>>> import datetime as dt
>>> from graph.journal import Journal
>>> from graph.meeting import Meeting
>>> from seeds import load_seed
>>> net = load_seed("brunnenstrasse")
>>> m = Meeting(id="sg-1", body="Steuerungsgruppe Nord", area="brunnenstrasse",
...             date="2026-11-22", roles=["Jugendamt"])
>>> html = minutes_html(net, Journal(), m)
>>> "Protokoll: Steuerungsgruppe Nord" in html and "size: A4" in html
True
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from typing import Any

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from graph.journal import Journal
from graph.meeting import Meeting
from graph.network import Network
from lotsen.labels import finding_subject, finding_words
from lotsen.measures import MEASURE_STATUS_LABELS
from lotsen.meetings import SinceLast, area_name, area_quarters, since_last
from visualisation import palette
from visualisation.meeting_items import change_lines, open_measures
from visualisation.pages import render_template

__all__ = ["Decided", "decided", "meeting_report_pdf", "meeting_slides", "minutes_html",
           "minutes_pdf"]

SLIDE_SIZE = (13.333, 7.5)
A4_STYLE = "@page { size: A4; margin: 16mm 15mm; }"


@dataclass(frozen=True)
class Decided:
    """What a meeting decided: measures and acceptances naming it, decisions in words."""

    measures: list[dict[str, str]]
    accepted: list[dict[str, str]]
    words: list[str]


def decided(net: Network, meeting: Meeting) -> Decided:
    """The decisions of ``meeting`` as lines for people (names, not ids)."""
    measures = []
    for m in net.measures:
        if m.meeting != meeting.id:
            continue
        responsible = net.provider_index[m.responsible].name \
            if m.responsible in net.provider_index else m.responsible
        measures.append({"title": m.title, "responsible": responsible,
                         "due": f"{m.due:%d.%m.%Y}" if m.due else "ohne Termin",
                         "status": MEASURE_STATUS_LABELS[m.status.value]})
    accepted = [{"key": finding_words(net, a.key), "reason": a.reason,
                 "until": f"{a.until:%d.%m.%Y}" if a.until else "ohne Ende"}
                for a in net.accepted_findings if a.meeting == meeting.id]
    return Decided(measures, accepted, [d.text for d in meeting.decisions])


def _attending(net: Network, meeting: Meeting) -> list[str]:
    names = [net.provider_index[p].name if p in net.provider_index else p
             for p in meeting.attending]
    return [*names, *meeting.roles]


def _context(net: Network, journal: Journal, meeting: Meeting,
             since: SinceLast | None = None) -> dict[str, Any]:
    since = since or since_last(net, journal, meeting)
    lines: list[str] = []
    for q in area_quarters(net, meeting.area):
        if q in net.quarter_index:
            lines += [f"{net.quarter_index[q].name}: {line}"
                      for line in change_lines(net, q, since.changes)]
    found = {f.stable_key: f for f in since.changes.new + since.changes.resolved}
    return {"meeting": meeting, "area": area_name(net, meeting.area),
            "date": f"{meeting.date:%d.%m.%Y}", "attending": _attending(net, meeting),
            "agenda": [{"kind": a.kind.label, "title": a.title, "note": a.note or ""}
                       for a in meeting.agenda],
            "decided": decided(net, meeting), "since": since, "since_lines": lines,
            "done": [m.title for m in since.done], "overdue": [m.title for m in since.overdue],
            "subjects": {k: finding_subject(net, f) for k, f in found.items()}}


def minutes_html(net: Network, journal: Journal, meeting: Meeting,
                 since: SinceLast | None = None, standalone: bool = True) -> str:
    """The Protokoll as HTML: a whole A4 page to print (``standalone``) or the part the
    Werkstatt shows."""
    return render_template("minutes.html", standalone=standalone, a4=A4_STYLE,
                           **_context(net, journal, meeting, since))


def minutes_pdf(net: Network, journal: Journal, meeting: Meeting) -> bytes:
    """The Protokoll as an A4 PDF (printed by the system's Chromium)."""
    from visualisation.print_pdf import html_to_pdf

    return html_to_pdf(minutes_html(net, journal, meeting))


def _cover(meeting: Meeting, area: str, agenda: list[str]) -> Figure:
    fig = Figure(figsize=SLIDE_SIZE)
    fig.patch.set_facecolor("white")
    fig.text(0.05, 0.88, meeting.body, fontsize=34, weight="bold", color=palette.INK)
    fig.text(0.05, 0.80, f"{area} · Sitzung am {meeting.date:%d.%m.%Y}", fontsize=20,
             color=palette.INK)
    text = "\n".join(f"{i}. {line}" for i, item in enumerate(agenda, start=1)
                     for line in textwrap.wrap(item, 95)[:1]) or "Keine Tagesordnung."
    fig.text(0.05, 0.70, "Tagesordnung", fontsize=22, weight="bold", color=palette.INK)
    fig.text(0.05, 0.64, text, fontsize=17, va="top", linespacing=1.35, color=palette.INK)
    fig.text(0.05, 0.04, "lotsensystem · Menschen erscheinen nur als Rollen", fontsize=12,
             color=palette.INK)
    return fig


def meeting_slides(net: Network, journal: Journal, meeting: Meeting) -> bytes:
    """The slides for the meeting (16:9 PDF): its agenda, then for every quarter of its
    area the quarter's slides with the open measures and what changed since the last
    meeting."""
    from visualisation.scene import quarter_scene
    from visualisation.slides import slide_figures

    since = since_last(net, journal, meeting)
    figures = [_cover(meeting, area_name(net, meeting.area),
                      [a.title for a in meeting.agenda])]
    for q in area_quarters(net, meeting.area):
        scene = quarter_scene(net, q, meeting.date)
        figures += slide_figures(net, scene, measures=open_measures(net, q, meeting.date),
                                 changes=change_lines(net, q, since.changes))
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"Creator": "lotsensystem",
                                    "Title": f"{meeting.body} {meeting.date:%d.%m.%Y}"}) as pdf:
        for fig in figures:
            pdf.savefig(fig)
    return buffer.getvalue()


def _body(html: str) -> str:
    start = html.index(">", html.index("<body")) + 1
    return html[start:html.rindex("</body>")]


def meeting_report_html(net: Network, journal: Journal, meeting: Meeting) -> str:
    """The quarter reports of the meeting's area as one A4 document, each quarter on new
    pages, with „Änderungen seit der letzten Sitzung“."""
    from visualisation.report import quarter_report

    since = since_last(net, journal, meeting)
    parts = []
    head = ""
    for q in area_quarters(net, meeting.area):
        html = quarter_report(net, q, meeting.date, changes=change_lines(net, q, since.changes))
        head = head or html[:html.index("<body")]
        parts.append(f'<section class="bericht-teil">{_body(html)}</section>')
    style = (f"<style>{A4_STYLE} .bericht-teil + .bericht-teil {{ break-before: page; }}"
             "</style>")
    return head.replace("</head>", style + "</head>") + "<body>" + "".join(parts) + \
        "</body></html>"


def meeting_report_pdf(net: Network, journal: Journal, meeting: Meeting) -> bytes:
    """:func:`meeting_report_html` as an A4 PDF."""
    from visualisation.print_pdf import html_to_pdf

    return html_to_pdf(meeting_report_html(net, journal, meeting))
