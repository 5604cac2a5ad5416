"""Quartier: the chain map, the findings (grouped, filtered by severity, stage and
provider), who owns each transition, the stage × field matrix and the indicators; and
the Besprechung view that steps through the findings in large type."""

from __future__ import annotations

import base64
import hashlib
import re
from itertools import groupby
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from api.usecases.measures import proposal
from api.usecases.roles import Principal, Role, may_accept
from api.web.pages.common import as_of, kept, may_change, page, person, quarter_view, snapshot
from api.web.pages.overview import quarter_findings, quarter_triage
from graph.formats.tables import LABELS
from graph.hierarchy import municipality_of
from graph.model import TransitionKind
from graph.network import Network
from lotsen.findings import Finding, Severity
from lotsen.funnel import handoff_funnel
from lotsen.indicators import quarter_indicators
from lotsen.ownership import responsibility_table
from lotsen.priority import families_phrase, prioritise, top_findings
from lotsen.texts import LANGUAGE_NAMES
from visualisation.change_text import finding_subject
from visualisation.fixes import fix_target
from visualisation.forms import SECTION_PATHS
from visualisation.funnel import funnel_summary
from visualisation.werkstatt import matrix_fragment

__all__ = ["router"]

router = APIRouter()

TOP = 3  # the most pressing findings, first on the page


def _families(f: Finding) -> str:
    """„betrifft etwa 40 Familien im Jahr“, or nothing when no estimate is possible."""
    return families_phrase(f)

def _touches_stage(net: Network, f: Finding, stage: str) -> bool:
    for i in f.ids:
        if i == stage:
            return True
        s = net.service_index.get(i)
        if s is not None and stage in s.life_stages:
            return True
        t = net.transition_index.get(i)
        if t is not None and any(stage in net.service_index[x].life_stages
                                 for x in (t.source, t.target) if x in net.service_index):
            return True
    return False


def _touches_provider(net: Network, f: Finding, provider: str) -> bool:
    for i in f.ids:
        if i == provider:
            return True
        s = net.service_index.get(i)
        if s is not None and s.provider == provider:
            return True
        t = net.transition_index.get(i)
        if t is not None and (t.owner == provider or any(
                net.service_index[x].provider == provider
                for x in (t.source, t.target) if x in net.service_index)):
            return True
        a = net.agreement_index.get(i)
        if a is not None and provider in a.parties:
            return True
    return False


def _edit_target(net: Network, who: Principal, f: Finding) -> tuple[str, str] | None:
    """Where the person fixes ``f`` (:func:`visualisation.fixes.fix_target`): only what
    her role may change; an agreement's page everyone may open."""
    quarters = [q for q in f.quarters if may_change(who, net, "services", None) and (
        who.role is Role.COORDINATOR or q in who.quarters)]
    ids = [i for i in f.ids if net.has_id(i)]

    def changeable(section: str, index: dict[str, Any]) -> list[str]:
        return [i for i in ids if i in index and may_change(who, net, section, index[i])]

    return fix_target(net, f, quarters, changeable("transitions", net.transition_index),
                      changeable("services", net.service_index))


def _proposed(net: Network, f: Finding, known: set[str]) -> dict[str, Any]:
    """The prefilled „Maßnahme beschließen“ form of ``f`` (a responsible provider only
    when the list of the page offers it)."""
    p = proposal(net, f)
    return {"title": p.title, "responsible": p.responsible if p.responsible in known else None}


def _quarter_providers(net: Network, quarter: str) -> list[tuple[str, str]]:
    """(id, name) of the providers with offers in ``quarter`` or owning one of its
    transitions, by name."""
    ids = {s.provider for s in net.services_in(quarter)}
    ids |= {t.owner for t in net.transitions if t.owner and (
        t.source in net.service_index and quarter in net.service_index[t.source].quarters)}
    return sorted(((i, net.provider_index[i].name) for i in ids if i in net.provider_index),
                  key=lambda x: x[1].casefold())


@router.get("/quartiere/{quarter}", include_in_schema=False)
async def quarter_page(request: Request, quarter: str) -> Response:
    who, snap, net, day, q = quarter_view(request, quarter)
    district = next((d for d in net.districts if d.id == q.district), None)
    municipality = next((m for m in net.municipalities
                         if m.id == municipality_of(net, q.id)), None)
    sorted_out = quarter_triage(snap, q.id, day)
    found = sorted_out.open
    params = request.query_params
    filters: dict[str, Any] = {k: params.get(k, "") for k in ("schwere", "phase", "traeger")}
    filters["any"] = any(filters.values())
    shown = [f for f in found
             if (not filters["schwere"] or f.severity.name.lower() == filters["schwere"])
             and (not filters["phase"] or _touches_stage(net, f, filters["phase"]))
             and (not filters["traeger"] or _touches_provider(net, f, filters["traeger"]))]
    groups = []
    known = {i for i, _ in _quarter_providers(net, q.id)}
    for (severity, title), items in groupby(shown, key=lambda f: (f.severity, f.title)):
        rows = []
        for f in items:
            target = _edit_target(net, who, f)
            allowed = may_accept(who, f)
            rows.append({"code": f.code, "message": f.message, "next_step": f.next_step,
                         "edit": target[0] if target else None,
                         "edit_label": target[1] if target else "", "key": f.stable_key,
                         "families": _families(f),
                         "may_accept": allowed,
                         "measure": _proposed(net, f, known) if allowed else None})
        groups.append({"severity": severity.name.lower(), "severity_label": severity.label,
                       "title": title, "rows": rows})
    top = []
    for f in top_findings(net, day, n=TOP, findings=found):
        target = _edit_target(net, who, f)
        top.append({"severity_label": f.severity.label, "title": f.title,
                    "subject": finding_subject(net, f), "families": _families(f),
                    "edit": target[0] if target else None,
                    "edit_label": target[1] if target else ""})
    accepted = [{"title": f.title, "subject": finding_subject(net, f), "reason": a.reason,
                 "by": a.by, "on": f"{a.on:%d.%m.%Y}",
                 "until": f"{a.until:%d.%m.%Y}" if a.until else "ohne Ende",
                 "key": a.key, "may_lift": may_accept(who, f)}
                for f, a in sorted_out.accepted]
    responsibility = []
    for r in responsibility_table(net, q.id, day):
        t = net.transition_index[r.transition]
        responsibility.append({
            "label": r.label, "kind": LABELS[TransitionKind].get(r.kind, r.kind),
            "owner": r.owner_name or "niemand", "agreements": ", ".join(r.agreement_names)
            or "keine", "status": r.shown_status,
            "until": f"{r.valid_until:%d.%m.%Y}" if r.valid_until else "–",
            "data_protection": r.data_protection, "data_protection_ok": r.data_protection_ok,
            "cooperation": r.cooperation,
            "edit": f"/bearbeiten/uebergaenge/{t.id}"
            if may_change(who, net, "transitions", t) else None})
    services = []
    for s in sorted(net.services_in(q.id), key=lambda s: s.name.casefold()):
        services.append({
            "name": s.name, "provider": net.provider_index[s.provider].name,
            "stages": ", ".join(net.catalogue.stages[x].label for x in s.life_stages
                                if x in net.catalogue.stages),
            "languages": ", ".join(LANGUAGE_NAMES.get(x, x) for x in s.languages),
            "edit": f"/bearbeiten/angebote/{s.id}"
            if may_change(who, net, "services", s) else None})
    from visualisation.report import indicator_rows

    funnel = handoff_funnel(net, q.id, day, findings=found)

    new_links = [(f"/bearbeiten/{SECTION_PATHS[s]}/neu?quartier={q.id}", label)
                 for s, label in (("services", "Angebot anlegen"),
                                  ("transitions", "Übergang anlegen"),
                                  ("agreements", "Vereinbarung anlegen"))
                 if may_change(who, net, s, None)
                 and (who.role is Role.COORDINATOR or q.id in who.quarters)]
    master_links = [(f"/bearbeiten/quartiere/{q.id}/sozialdaten", "Sozialdaten bearbeiten"),
                    (f"/bearbeiten/quartiere/{q.id}", "Quartier bearbeiten")] \
        if may_change(who, net, "quarters", q) else []
    return page(
        request, "quarter.html", who, f"Quartier {q.name}", master_links=master_links, as_of=day,
        quarter_id=q.id,
        quarter_name=q.name, district_name=district.name if district else "",
        municipality_name=municipality.name if municipality else "",
        indicators=indicator_rows(quarter_indicators(net, q.id, day), findings=len(found)),
        finding_groups=groups, top=top, accepted=accepted, shown=len(shown),
        total=len(found), filters=filters,
        severities=[(s.name.lower(), s.label) for s in sorted(Severity, reverse=True)],
        stages=[(s.id, s.name) for s in net.catalogue.life_stages],
        providers=_quarter_providers(net, q.id),
        responsibility=responsibility, services=services,
        matrix=Markup(matrix_fragment(net, q.id, day)), new_links=new_links,
        funnel=funnel, funnel_summary=funnel_summary(funnel),
        funnel_src=f"/quartiere/{quote(q.id, safe='')}/vermittlungen.svg?stichtag={day}")


@router.get("/quartiere/{quarter}/karte", include_in_schema=False)
def quarter_map(request: Request, quarter: str) -> Response:
    person(request)
    from visualisation.html_map import map_html
    from visualisation.scene import quarter_scene

    snap = snapshot(request)
    day = as_of(request)
    meeting = request.query_params.get("besprechung") == "1"
    maps = kept(snap, "werkstatt-karte", keep=30)
    q = snap.network.find_quarter(quarter)
    key = (q.id, day, meeting)
    if key not in maps:
        page = map_html(quarter_scene(snap.network, q.id, day), meeting)
        maps[key] = (page, _map_policy(page))
    page, policy = maps[key]
    return HTMLResponse(page, headers={"Cache-Control": "no-store",
                                       "X-Frame-Options": "SAMEORIGIN",
                                       "X-Content-Type-Options": "nosniff",
                                       "Content-Security-Policy": policy})


_SCRIPT = re.compile(r'<script(?: type="text/plain"[^>]*)?>(.*?)</script>', re.S)


def _map_policy(page: str) -> str:
    """The map's Content-Security-Policy: its own inline scripts by their hashes (and the
    vis-network source it runs after the first picture), nothing loaded from elsewhere."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in _SCRIPT.findall(page))
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; "
            "img-src 'self' data: blob:; font-src 'self'; frame-ancestors 'self'; "
            "form-action 'self'; base-uri 'none'")


@router.get("/quartiere/{quarter}/vermittlungen.svg", include_in_schema=False)
def quarter_funnel(request: Request, quarter: str) -> Response:
    """The hand-off funnel of the quarter as SVG (issue 26.5), once per stored state."""
    person(request)
    from visualisation.funnel import funnel_image

    snap = snapshot(request)
    day = as_of(request)
    q = snap.network.find_quarter(quarter)
    pictures = kept(snap, "werkstatt-vermittlungen", keep=30)
    if (q.id, day) not in pictures:
        found = quarter_findings(snap, q.id, day)
        pictures[(q.id, day)] = funnel_image(handoff_funnel(snap.network, q.id, day,
                                                            findings=found))
    return Response(pictures[(q.id, day)], media_type="image/svg+xml",
                    headers={"Cache-Control": "no-store"})


@router.get("/quartiere/{quarter}/besprechung", include_in_schema=False)
async def meeting(request: Request, quarter: str) -> Response:
    who = person(request)
    snap = snapshot(request)
    day = as_of(request)
    q = snap.network.find_quarter(quarter)
    found = prioritise(quarter_findings(snap, q.id, day))
    try:
        step = max(1, min(int(request.query_params.get("schritt", "1")), max(len(found), 1)))
    except ValueError:
        step = 1
    base = f"/quartiere/{q.id}/besprechung?schritt="
    finding = None
    if found:
        f = found[step - 1]
        finding = {"severity": f.severity.name.lower(), "severity_label": f.severity.label,
                   "title": f.title, "message": f.message, "next_step": f.next_step,
                   "families": _families(f)}
    return page(request, "meeting.html", who, f"Besprechung {q.name}", as_of=day,
                body_class="besprechung-seite", bare=True, quarter_id=q.id,
                quarter_name=q.name, step=step if found else 0, count=len(found),
                finding=finding, prev=f"{base}{step - 1}" if step > 1 else None,
                next=f"{base}{step + 1}" if step < len(found) else None)
