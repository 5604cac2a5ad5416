"""Kooperationsqualität einschätzen: a form on its own page for one transition
(``/bearbeiten/uebergaenge/{t}/kooperation``). A new assessment (level 1–5, date, role,
note) is added to the transition's list as one change with a version check, like every
edit; the earlier assessments stay and are listed, newest first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from api.usecases.roles import Principal, check_write
from api.web.pages.common import flash, may_change, page, person, posted_form, snapshot
from api.web.state import StoreState
from graph.cooperation import LEVELS, CooperationAssessment
from graph.errors import ConflictError, InvalidNetworkError
from graph.journal import Edit
from graph.model import Transition
from graph.network import Network
from visualisation.change_text import findings_change_text
from visualisation.cooperation_form import (
    COOPERATION_FORM,
    assessment_from_form,
    assessment_rows,
)
from visualisation.forms import choices, form_values

__all__ = ["router"]

router = APIRouter()


def _names(net: Network, t: Transition) -> str:
    return " → ".join(net.service_index[x].name if x in net.service_index else x
                      for x in (t.source, t.target))


def _quarter(net: Network, t: Transition) -> str | None:
    s = net.service_index.get(t.source)
    return s.quarters[0] if s is not None and s.quarters else None


def _form(request: Request, who: Principal, net: Network, t: Transition, version: int,
          values: dict[str, Any], errors: dict[str, str] | None = None,
          status: int = 200, general: list[str] | None = None) -> Response:
    errors = errors or {}
    labels = {f.name: f.label for f in COOPERATION_FORM.fields}
    error_list = [(n, labels.get(n, n), m) for n, m in errors.items()] + \
                 [("", "", m) for m in (general or [])]
    q = _quarter(net, t)
    return page(request, "cooperation.html", who, f"Kooperationsqualität: {_names(net, t)}",
                status=status, heading=f"Kooperationsqualität {_names(net, t)}",
                spec=COOPERATION_FORM, values=values, errors=errors or (
                    {"": ""} if general else {}), error_list=error_list, version=version,
                options={f.name: choices(net, f) for f in COOPERATION_FORM.fields},
                action=f"/bearbeiten/uebergaenge/{t.id}/kooperation",
                edit_url=f"/bearbeiten/uebergaenge/{t.id}",
                quarter_url=f"/quartiere/{q}" if q else "/",
                read_only=not may_change(who, net, "transitions", t),
                assessments=assessment_rows(list(t.cooperation)),
                levels=list(LEVELS.values()))


@router.get("/bearbeiten/uebergaenge/{key}/kooperation", include_in_schema=False)
async def cooperation_form(request: Request, key: str) -> Response:
    who = person(request)
    snap = snapshot(request)
    net = snap.network
    t = _transition(net, key)
    values = form_values(COOPERATION_FORM, {"on": f"{dt.date.today():%d.%m.%Y}"})
    return _form(request, who, net, t, snap.journal.version("transitions", key), values)


def _transition(net: Network, key: str) -> Transition:
    from graph.edit import find

    found = find(net, "transitions", key)  # NotFoundError: a German 404 page
    assert isinstance(found, Transition)
    return found


def _authorize(who: Principal):  # type: ignore[no-untyped-def]
    def check_it(net: Network, old: BaseModel | None, new: BaseModel | None) -> None:
        check_write(who, net, "transitions", old, new)
    return check_it


@router.post("/bearbeiten/uebergaenge/{key}/kooperation", include_in_schema=False)
async def add_assessment(request: Request, key: str) -> Response:
    who = person(request)
    form = await posted_form(request)
    store: StoreState = request.app.state.store
    net = store.snapshot().network
    t = _transition(net, key)
    try:
        version = int(str(form.get("version", "0")) or 0)
    except ValueError:
        version = 0
    raw = {k: form.get(k) for k in form}
    data, errors = assessment_from_form(raw, dt.date.today())
    values = form_values(COOPERATION_FORM, {**data, "on": raw.get("on") or ""})
    if errors:
        return _form(request, who, net, t, version, values, errors, status=422)
    assessment = CooperationAssessment.model_validate(data)
    changed = t.model_copy(update={"cooperation": [*t.cooperation, assessment]})
    edit = Edit("transitions", key, changed, who.name, expected_version=version,
                authorize=_authorize(who))
    try:
        new_net, _entry = await run_in_threadpool(store.apply, edit)
    except ConflictError:
        snap = store.snapshot()
        return _form(request, who, snap.network, _transition(snap.network, key),
                     snap.journal.version("transitions", key), values, status=409, general=[
                         "Der Übergang wurde inzwischen von jemand anderem geändert. Ihre "
                         "Einschätzung ist noch nicht gespeichert; sie steht unten im "
                         "Formular – bitte prüfen und noch einmal speichern."])
    except InvalidNetworkError as exc:
        return _form(request, who, net, t, version, values, status=422,
                     general=[p.message for p in exc.problems])
    level = LEVELS[assessment.level]
    flash(request, "ok", f"Einschätzung gespeichert: Stufe {assessment.level} – {level.name} "
                         f"am {assessment.on:%d.%m.%Y} ({assessment.by}).")
    q = _quarter(new_net, changed)
    if q:
        flash(request, "info", findings_change_text(net, new_net, [q], dt.date.today()))
    return RedirectResponse(f"/bearbeiten/uebergaenge/{key}/kooperation", status_code=303)
