"""Bearbeiten: forms for providers, services, transitions, agreements and referral
numbers. Errors appear at the field; after a save the next page says what changed in
the findings; a stale edit gets the conflict page (both versions, the person chooses)."""

from __future__ import annotations

import logging
from collections.abc import Container
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from api.usecases.edits import change_entry, touched
from api.usecases.roles import Principal
from api.web.pages.common import as_of, flash, may_change, page, person, posted_form, snapshot
from api.web.state import StoreState
from graph.edit import entity_key, find
from graph.errors import ConflictError, InvalidNetworkError, NotFoundError
from graph.formats.pydantic_problems import german_message
from graph.network import SECTIONS, Network
from visualisation.audit_text import _word, sentence
from visualisation.change_text import findings_change_text
from visualisation.forms import FORMS, SECTION_PATHS, FormSpec, choices, form_data, form_values

__all__ = ["router"]

router = APIRouter()
log = logging.getLogger("lotse.werkstatt")
_SECTION_OF = {v: k for k, v in SECTION_PATHS.items()}
_SHOWN_CHANGES = 6


def _section(art: str) -> str:
    if art not in _SECTION_OF:
        raise NotFoundError("Bereich", art, list(_SECTION_OF))
    return _SECTION_OF[art]


def _title(section: str, entity: BaseModel | None, net: Network) -> str:
    spec = FORMS[section]
    if entity is None:
        return f"{spec.title} anlegen"
    if section == "transitions":
        src = _word("source", getattr(entity, "source", ""), net)
        tgt = _word("target", getattr(entity, "target", ""), net)
        return f"Übergang {src} → {tgt} bearbeiten"
    if section == "referral_flows":
        return f"Vermittlungszahlen {entity_key(entity)} bearbeiten"
    return f"{spec.title} „{getattr(entity, 'name', entity_key(entity))}“ bearbeiten"


def _form_page(request: Request, who: Principal, net: Network, section: str,
               values: dict[str, Any], version: int, creating: bool, action: str,
               errors: dict[str, str] | None = None, entity: BaseModel | None = None,
               history: list[str] | None = None, status: int = 200,
               general: list[str] | None = None) -> Response:
    spec = FORMS[section]
    errors = errors or {}
    labels = {f.name: f.label for f in spec.fields}
    error_list = [(n, labels.get(n, n), m) for n, m in errors.items()] + \
                 [("", "", m) for m in (general or [])]
    back, back_label = _back(request, net, entity)
    allowed = may_change(who, net, section, None if creating else entity)
    return page(request, "edit.html", who, _title(section, entity if not creating else None,
                                                   net),
                status=status, heading=_title(section, entity if not creating else None, net),
                spec=spec, values=values, errors=errors or ({"": ""} if general else {}),
                error_list=error_list, version=version, creating=creating, action=action,
                options={f.name: choices(net, f) for f in spec.fields}, history=history or [],
                can_delete=not creating and entity is not None and allowed,
                read_only=not allowed, back=back, back_label=back_label)


def _back(request: Request, net: Network, entity: BaseModel | None) -> tuple[str, str]:
    wanted = request.query_params.get("quartier") or ""
    if wanted not in net.quarter_index and entity is not None:
        section = next((s for s, m in SECTIONS.items() if isinstance(entity, m)), "")
        quarters = touched(net, net, section, entity_key(entity))
        wanted = quarters[0] if quarters else ""
    if wanted in net.quarter_index:
        return f"/quartiere/{wanted}", f"Quartier {net.quarter_index[wanted].name}"
    return "/", "Übersicht"


@router.get("/bearbeiten/{art}/neu", include_in_schema=False)
async def new_form(request: Request, art: str) -> Response:
    who = person(request)
    section = _section(art)
    net = snapshot(request).network
    values = form_values(FORMS[section], {})
    quarter = request.query_params.get("quartier")
    if section == "services":
        values["status"] = "active"
        values["languages"] = ["de"]
        if quarter in net.quarter_index:
            values["quarters"] = [quarter]
        stage = request.query_params.get("phase")
        if stage in net.catalogue.stages:  # „Angebot anlegen“ at a stage gap
            values["life_stages"] = [stage]
    if section == "agreements":
        values["binding"] = True
    if section == "transitions":
        values["kind"] = "referral"
    return _form_page(request, who, net, section, values, 0, True,
                      f"/bearbeiten/{art}/neu" + (f"?{urlencode({'quartier': quarter})}"
                                                  if quarter else ""))


@router.get("/bearbeiten/{art}/{key}", include_in_schema=False)
async def edit_form(request: Request, art: str, key: str) -> Response:
    who = person(request)
    section = _section(art)
    snap = snapshot(request)
    entity = find(snap.network, section, key)
    history = [sentence(e, snap.network) for e in snap.journal.history(section, key)][::-1]
    return _form_page(request, who, snap.network, section,
                      form_values(FORMS[section], entity.model_dump(mode="json")),
                      snap.journal.version(section, key), False,
                      f"/bearbeiten/{art}/{key}", entity=entity, history=history)


def _field_errors(spec: FormSpec, exc: ValidationError, data: dict[str, Any]
                  ) -> tuple[dict[str, str], list[str]]:
    fields = {f.name: f for f in spec.fields}
    errors: dict[str, str] = {}
    general: list[str] = []
    for err in exc.errors(include_url=False):
        loc = [str(x) for x in err["loc"]]
        name = loc[0] if loc else ""
        if "_".join(loc[:2]) in fields:  # contact.email is the form's contact_email
            name = "_".join(loc[:2])
        if name == "id" and not data.get("id"):
            continue  # made from the name: the missing name is the error to show
        if err["type"] == "date_format" and name in fields:
            message = (f"Den {err['input']} gibt es nicht, oder das Datum ist anders "
                       "geschrieben: bitte TT.MM.JJJJ, z. B. 31.12.2027.")
        else:
            message = _labelled(spec, german_message(err))
        if name in fields:
            errors.setdefault(name, message)
        else:
            general.append(f"{'.'.join(loc)}: {message}")
    return errors, general


def _labelled(spec: FormSpec, message: str) -> str:
    """Field names in a message written as the form's labels („Gültig ab“)."""
    for f in spec.fields:
        message = message.replace(f"'{f.name}'", f"„{f.label}“")
    return message


def _problem_errors(spec: FormSpec, exc: InvalidNetworkError
                    ) -> tuple[dict[str, str], list[str]]:
    fields = {f.name for f in spec.fields}
    errors: dict[str, str] = {}
    general: list[str] = []
    for p in exc.problems:
        name = (p.field or "").split(".")[0]
        if (p.field or "").replace(".", "_") in fields:  # contact.email -> contact_email
            name = (p.field or "").replace(".", "_")
        if name in fields and name not in errors:
            errors[name] = _labelled(spec, p.message)
        else:
            general.append(_labelled(spec, p.message))
    return errors, general


def _still_referred(net: Network, exc: InvalidNetworkError) -> list[str]:
    """Why a delete was refused, in words: which entries still point here."""
    lines: list[str] = []
    for p in exc.problems:
        entity = net.entity(p.entity_id)
        name = getattr(entity, "name", "") or p.entity_id
        line = (f"{p.kind} „{name}“ verweist noch hierauf; bitte zuerst dort ändern oder "
                f"löschen. ({p.message})")
        if line not in lines:
            lines.append(line)
    return lines


async def _save(request: Request, art: str, key: str | None, delete: bool = False
                ) -> Response:
    who = person(request)
    section = _section(art)
    form = await posted_form(request)
    spec = FORMS[section]
    store: StoreState = request.app.state.store
    snap = store.snapshot()
    net = snap.network
    try:
        version = int(str(form.get("version", "0")) or 0)
    except ValueError:
        version = 0
    creating = key is None
    stored: BaseModel | None = None
    if not creating:
        assert key is not None
        stored = find(net, section, key)
    action = f"/bearbeiten/{art}/{key}" if key else f"/bearbeiten/{art}/neu"
    multi = {f.name for f in spec.fields if f.kind == "multi"}
    raw = {k: form.getlist(k) if k in multi else form.get(k) for k in form}
    entity: BaseModel | None = None
    if not delete:
        data = form_data(spec, raw, stored.model_dump(mode="json") if stored else None,
                         taken=_Ids(net) if creating else None)
        try:
            entity = SECTIONS[section].model_validate(data)
        except ValidationError as exc:
            errors, general = _field_errors(spec, exc, data)
            return _form_page(request, who, net, section, form_values(spec, data), version,
                              creating, action, errors, stored, status=422, general=general)
        key = key or entity_key(entity)
    assert key is not None
    try:
        done = await run_in_threadpool(lambda: change_entry(
            store, who, section, key, entity, expected_version=version, create=creating))
    except ConflictError as exc:
        if creating:
            return _form_page(request, who, net, section, form_values(
                spec, entity.model_dump(mode="json") if entity else {}), 0, True, action,
                {"id": str(exc)}, status=409)
        return _conflict(request, who, section, art, key, version, entity, store)
    except InvalidNetworkError as exc:
        errors, general = _problem_errors(spec, exc) if not delete else (
            {}, _still_referred(net, exc))
        shown = entity.model_dump(mode="json") if entity is not None else (
            stored.model_dump(mode="json") if stored else {})
        return _form_page(request, who, net, section, form_values(spec, shown), version,
                          creating, action, errors, stored, status=422, general=general)
    quarters = done.quarters
    day = as_of(request)
    verb = {"create": "angelegt", "update": "gespeichert",
            "delete": "gelöscht"}[done.entry.action]
    flash(request, "ok", f"{spec.title} {verb}.")
    try:
        delta = await run_in_threadpool(done.findings, day)
        flash(request, "info", findings_change_text(done.before, done.after, quarters, day,
                                                    delta))
    except Exception:  # the change is saved; a failed comparison must not say otherwise
        log.exception("Befundvergleich nach %s %s fehlgeschlagen", section, key)
        flash(request, "info", "Gespeichert. Welche Befunde sich geändert haben, ließ sich "
                               "nicht ermitteln; die Quartiersseite zeigt den neuen Stand.")
    wanted = request.query_params.get("quartier")
    target = wanted if wanted in quarters else (quarters[0] if quarters else None)
    target = quote(target, safe="") if target else None
    if target:
        return RedirectResponse(f"/quartiere/{target}", status_code=303)
    if delete:
        return RedirectResponse("/", status_code=303)
    return RedirectResponse(f"/bearbeiten/{art}/{key}", status_code=303)


def _conflict(request: Request, who: Principal, section: str, art: str, key: str,
              your_version: int, yours: BaseModel | None, store: StoreState) -> Response:
    snap = store.snapshot()
    net = snap.network
    spec = FORMS[section]
    try:
        stored = find(net, section, key)
    except NotFoundError:
        flash(request, "fehler", f"{spec.title} '{key}' wurde inzwischen gelöscht; Ihre "
                                 "Änderung wurde nicht gespeichert.")
        return RedirectResponse("/", status_code=303)
    stored_data = stored.model_dump(mode="json")
    your_data = yours.model_dump(mode="json") if yours is not None else {}
    rows = []
    for f in spec.fields:
        a, b = stored_data.get(f.name), your_data.get(f.name)
        rows.append((f.label, _word(f.name, a, net), _word(f.name, b, net), a != b))
    hidden: list[tuple[str, str]] = []
    for name, value in form_values(spec, your_data).items():
        if isinstance(value, list):
            hidden.extend((name, v) for v in value)
        elif isinstance(value, bool):
            if value:
                hidden.append((name, "1"))
        else:
            hidden.append((name, value))
    what = _title(section, stored, net).removesuffix(" bearbeiten")
    return page(request, "conflict.html", who, "Konflikt: inzwischen geändert", status=409,
                what=what, your_version=your_version,
                stored_version=snap.journal.version(section, key), rows=rows, hidden=hidden,
                action=f"/bearbeiten/{art}/{key}", edit_url=f"/bearbeiten/{art}/{key}")


@router.post("/bearbeiten/{art}/neu", include_in_schema=False)
async def create(request: Request, art: str) -> Response:
    return await _save(request, art, None)


@router.post("/bearbeiten/{art}/{key}", include_in_schema=False)
async def update(request: Request, art: str, key: str) -> Response:
    return await _save(request, art, key)


@router.post("/bearbeiten/{art}/{key}/loeschen", include_in_schema=False)
async def delete(request: Request, art: str, key: str) -> Response:
    return await _save(request, art, key, delete=True)


class _Ids(Container[str]):
    """The ids in use in a network (asked one by one, no set of all of them made)."""

    def __init__(self, net: Network) -> None:
        self.net = net

    def __contains__(self, entity_id: object) -> bool:
        return self.net.has_id(entity_id)
