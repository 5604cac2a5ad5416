"""Sozialdaten bearbeiten: the figures of one quarter per year
(``/bearbeiten/quartiere/{q}/sozialdaten``). The page lists the years on record; the form
adds a year or, with ``?jahr=``, changes one. Saving replaces that year's entry of the
quarter as one change of the quarter (version check, journal, role check: the
coordination), through the same use case as every edit; afterwards the quarter page
says what it did to the findings (a CAPACITY_GAP, for instance)."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from api.usecases.edits import change_entry
from api.usecases.roles import Principal
from api.web.pages.common import as_of, flash, may_change, page, person, posted_form, snapshot
from api.web.state import StoreState
from graph.errors import ConflictError, InvalidNetworkError
from graph.model import Quarter, SocialData
from graph.network import Network
from lotsen.texts import LANGUAGE_NAMES
from visualisation.change_text import findings_change_text
from visualisation.forms import choices, form_values
from visualisation.social_form import social_form, social_from_form, social_values

__all__ = ["router"]

router = APIRouter()
log = logging.getLogger("lotse.werkstatt")


def _quarter(net: Network, key: str) -> Quarter:
    return net.find_quarter(key)  # NotFoundError: a German 404 page with suggestions


def _years(net: Network, q: Quarter) -> list[dict[str, Any]]:
    rows = []
    stages = {s.id: s.name for s in net.catalogue.life_stages}
    for sd in sorted(q.social_data, key=lambda s: -s.year):
        children = "; ".join(f"{stages.get(k, k)}: {n}" for k, n in sd.children_by_stage.items())
        rows.append({"year": sd.year, "inhabitants": _n(sd.inhabitants),
                     "births": _n(sd.births_per_year), "children": children or "–",
                     "languages": ", ".join(LANGUAGE_NAMES.get(c, c)
                                            for c in sd.main_languages) or "–",
                     "edit": f"/bearbeiten/quartiere/{q.id}/sozialdaten?jahr={sd.year}"})
    return rows


def _n(value: int | None) -> str:
    return "–" if value is None else f"{value:,}".replace(",", ".")


def _form(request: Request, who: Principal, net: Network, q: Quarter, version: int,
          values: dict[str, Any], year: int | None, errors: dict[str, str] | None = None,
          status: int = 200, general: list[str] | None = None) -> Response:
    spec = social_form(net)
    errors = errors or {}
    labels = {f.name: f.label for f in spec.fields}
    error_list = [(n, labels.get(n, n), m) for n, m in errors.items()] + \
                 [("", "", m) for m in (general or [])]
    heading = (f"Sozialdaten {year} für {q.name}" if year is not None
               else f"Sozialdaten für {q.name}")
    return page(request, "social.html", who, heading, status=status, heading=heading,
                spec=spec, values=values, errors=errors or ({"": ""} if general else {}),
                error_list=error_list, version=version, year=year,
                options={f.name: choices(net, f) for f in spec.fields},
                action=f"/bearbeiten/quartiere/{q.id}/sozialdaten",
                quarter_url=f"/quartiere/{q.id}", quarter_name=q.name,
                edit_url=f"/bearbeiten/quartiere/{q.id}", years=_years(net, q),
                read_only=not may_change(who, net, "quarters", q))


@router.get("/bearbeiten/quartiere/{key}/sozialdaten", include_in_schema=False)
async def social_page(request: Request, key: str) -> Response:
    who = person(request)
    snap = snapshot(request)
    net = snap.network
    q = _quarter(net, key)
    spec = social_form(net)
    wanted = request.query_params.get("jahr", "")
    entry = next((sd for sd in q.social_data if str(sd.year) == wanted), None)
    if entry is not None:
        values = social_values(spec, entry.model_dump(mode="json"))
    else:  # a new year: the one after the newest, the languages carried over
        newest = max(q.social_data, key=lambda s: s.year, default=None)
        values = social_values(spec, {
            "year": newest.year + 1 if newest else as_of(request).year,
            "main_languages": list(newest.main_languages) if newest else []})
    return _form(request, who, net, q, snap.journal.version("quarters", q.id), values,
                 entry.year if entry else None)


def _version(form: Any) -> int:
    try:
        return int(str(form.get("version", "0")) or 0)
    except ValueError:
        return 0


async def _store(request: Request, who: Principal, q: Quarter, entries: list[SocialData],
                 version: int) -> Any:
    store: StoreState = request.app.state.store
    changed = Quarter.model_validate({**q.model_dump(mode="json"), "social_data": [
        e.model_dump(mode="json") for e in sorted(entries, key=lambda s: s.year)]})
    return await run_in_threadpool(lambda: change_entry(
        store, who, "quarters", q.id, changed, expected_version=version))


def _after(request: Request, done: Any, text: str, q: Quarter) -> Response:
    flash(request, "ok", text)
    try:
        delta = done.findings(as_of(request))
        flash(request, "info", findings_change_text(done.before, done.after, [q.id],
                                                    as_of(request), delta))
    except Exception:  # the change is saved; a failed comparison must not say otherwise
        log.exception("Befundvergleich nach Sozialdaten %s fehlgeschlagen", q.id)
    return RedirectResponse(f"/quartiere/{quote(q.id, safe='')}", status_code=303)


_CHANGED = ("Das Quartier wurde inzwischen von jemand anderem geändert. Ihre Zahlen sind "
            "noch nicht gespeichert; sie stehen unten im Formular – bitte prüfen und noch "
            "einmal speichern.")


@router.post("/bearbeiten/quartiere/{key}/sozialdaten", include_in_schema=False)
async def save_social(request: Request, key: str) -> Response:
    who = person(request)
    form = await posted_form(request)
    store: StoreState = request.app.state.store
    snap = store.snapshot()
    net = snap.network
    q = _quarter(net, key)
    spec = social_form(net)
    version = _version(form)
    multi = {f.name for f in spec.fields if f.kind == "multi"}
    raw = {k: form.getlist(k) if k in multi else form.get(k) for k in form}
    shown = form_values(spec, raw)
    try:
        before_year: int | None = int(str(form.get("jahr_vorher") or ""))
    except ValueError:
        before_year = None
    data, errors = social_from_form(spec, raw)
    if errors:
        return _form(request, who, net, q, version, shown, before_year, errors, status=422)
    entry = SocialData.model_validate(data)
    kept = [sd for sd in q.social_data if sd.year not in (entry.year, before_year)]
    try:
        done = await _store(request, who, q, [*kept, entry], version)
    except ConflictError:
        fresh = store.snapshot()
        return _form(request, who, fresh.network, _quarter(fresh.network, key),
                     fresh.journal.version("quarters", q.id), shown, before_year,
                     status=409, general=[_CHANGED])
    except InvalidNetworkError as exc:
        return _form(request, who, net, q, version, shown, before_year, status=422,
                     general=[p.message for p in exc.problems])
    replaced = any(sd.year == entry.year for sd in q.social_data)
    return _after(request, done, f"Sozialdaten {entry.year} für {q.name} "
                                 f"{'geändert' if replaced else 'angelegt'}.", q)


@router.post("/bearbeiten/quartiere/{key}/sozialdaten/{year}/loeschen",
             include_in_schema=False)
async def delete_social(request: Request, key: str, year: int) -> Response:
    who = person(request)
    form = await posted_form(request)
    store: StoreState = request.app.state.store
    net = store.snapshot().network
    q = _quarter(net, key)
    kept = [sd for sd in q.social_data if sd.year != year]
    if len(kept) == len(q.social_data):
        flash(request, "fehler", f"Für {q.name} gibt es keine Sozialdaten {year}.")
        return RedirectResponse(f"/bearbeiten/quartiere/{quote(q.id, safe='')}/sozialdaten",
                                status_code=303)
    try:
        done = await _store(request, who, q, kept, _version(form))
    except ConflictError:
        flash(request, "fehler", _CHANGED.split(";")[0] + "; nichts wurde gelöscht. Bitte "
                                 "die Seite neu laden und noch einmal löschen.")
        return RedirectResponse(f"/bearbeiten/quartiere/{quote(q.id, safe='')}/sozialdaten",
                                status_code=303)
    return _after(request, done, f"Sozialdaten {year} für {q.name} gelöscht.", q)
