"""Import/Export: upload Excel, CSV (zip), HSDS or a network file; see what would change
(new / changed / removed, and what happens to the findings) before anything is written;
download every export format.

The page only parses and renders: reading the file, planning and taking over the import
are the use cases of :mod:`api.usecases.files` and :mod:`api.usecases.imports`, the
same as for ``lotse import`` and the JSON API. A preview is kept by
:mod:`api.usecases.previews` under a random name bound to the person's session; taking
it over checks, in the store's write transaction, that nobody changed the chain since."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from api.usecases.exports import DOWNLOADS, TEMPLATE_NAME, blank_template, download
from api.usecases.files import FileProblems, read_upload
from api.usecases.imports import plan_import, take_over
from api.usecases.previews import default_previews
from api.usecases.roles import ForbiddenError, Principal, Role
from api.usecases.wording import hsds_replace_loses
from api.web.pages.common import MAX_UPLOAD, as_of, flash, page, person, posted_form, snapshot
from api.web.state import StoreState
from graph.budget import OverBudgetError, time_budget
from graph.budget import check as budget_check
from graph.edit import entity_key
from graph.errors import ConflictError, FormatError, InvalidNetworkError, LotsenError
from graph.network import ALL_SECTIONS, KIND_NAMES, Network
from graph.vocabulary import count
from lotsen.findings import Finding
from visualisation.audit_text import field_changes

__all__ = ["DOWNLOADS", "network_diff", "router"]

router = APIRouter()
_SHOWN_PROBLEMS = 50


def _label(section: str, entity: Any) -> str:
    name = next((str(v) for v in (getattr(entity, a, None) for a in ("name", "title", "body"))
                 if v), "")
    key = entity_key(entity)
    return f"{name} ({key})" if name else key


def _changed(section: str, old: Any, new: Any, net: Network) -> str:
    details = field_changes(section, old.model_dump(mode="json", exclude_defaults=True),
                            new.model_dump(mode="json", exclude_defaults=True), net)
    shown = "; ".join(details[:6]) + ("; …" if len(details) > 6 else "")
    return f"{_label(section, new)}: {shown}" if shown else _label(section, new)


def _by_title(findings: list[Finding]) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.title] = counts.get(f.title, 0) + 1
    return sorted(counts.items(), key=lambda x: -x[1])


def network_diff(old: Network, new: Network) -> list[dict[str, Any]]:
    """Per section (the notes too: measures, acceptances, Sitzungen): what an import of
    ``new`` would add, change and remove.

    >>> from seeds import load_seed
    >>> net = load_seed("unna")
    >>> first = net.providers[0].model_copy(update={"name": "Gesundheitsamt"})
    >>> renamed = net.with_sections(providers=[first, *net.providers[1:]])
    >>> [(s["title"], s["changed"]) for s in network_diff(net, renamed) if s["changed"]]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('Träger', ['Gesundheitsamt (kreis-unna-gesundheit): Name: Kreis Unna – Fachbereich
      Gesundheit (Schwangerschaftskonfliktberatung) → Gesundheitsamt'])]
    """
    result = []
    for section in ALL_SECTIONS:
        before = {entity_key(e): e for e in getattr(old, section)}
        after = {entity_key(e): e for e in getattr(new, section)}
        added = [_label(section, after[k]) for k in after if k not in before]
        removed = [_label(section, before[k]) for k in before if k not in after]
        changed = []
        for i, k in enumerate(after):
            if not i % 1000:
                budget_check()
            if k in before and after[k] != before[k]:
                changed.append(_changed(section, before[k], after[k], old))
        same = sum(1 for k in after if k in before and after[k] == before[k])
        result.append({"section": section, "title": KIND_NAMES[section], "new": added,
                       "changed": changed, "removed": removed, "same": same})
    return result


def _exchange_page(request: Request, who: Principal, status: int = 200,
                   **values: Any) -> Response:
    return page(request, "exchange.html", who, "Import und Export", status=status,
                nav="austausch", can_import=who.role is Role.COORDINATOR,
                can_merge=who.role is not Role.READER,
                downloads=[(f"/austausch/export/{n}", label)
                           for n, (label, _) in DOWNLOADS.items()],
                template_url=f"/austausch/{TEMPLATE_NAME}",
                quarters=sorted(((q.id, q.name) for q in snapshot(request).network.quarters),
                                key=lambda x: x[1].casefold()), **values)


def _problems_page(request: Request, who: Principal, status: int, filename: str,
                   problems: list[str]) -> Response:
    return _exchange_page(request, who, status, filename=filename,
                          problems=problems[:_SHOWN_PROBLEMS],
                          problems_more=max(0, len(problems) - _SHOWN_PROBLEMS))


@router.get("/austausch", include_in_schema=False)
async def exchange(request: Request) -> Response:
    who = person(request)
    return _exchange_page(request, who)


@router.post("/austausch/vorschau", include_in_schema=False)
async def preview(request: Request) -> Response:
    who = person(request)
    form = await posted_form(request)
    # merging ("Zusammenführen"): editors too, for changes within their quarters
    merging, prune = form.get("art") == "zusammenfuehren", form.get("entfernen") == "ja"
    if not merging or who.role is Role.READER:
        who.require_coordinator("Eine ganze Kette einlesen")
    del form
    upload = request.state.uploads.get("datei")
    if upload is None or not upload[0]:
        return _exchange_page(request, who, 422, filename="", problems=[
            "Bitte zuerst eine Datei auswählen (Feld „Datei“)."])
    filename, content = Path(upload[0]).name, upload[1]
    if len(content) > MAX_UPLOAD:
        return _exchange_page(request, who, 413, filename=filename, problems=[
            f"Die Datei ist größer als {MAX_UPLOAD // (1024 * 1024)} MB."])
    store: StoreState = request.app.state.store
    if not _RUNNING.acquire(blocking=False):
        return _exchange_page(request, who, 503, filename=filename, problems=[
            f"{filename}: Gerade werden schon {MAX_PREVIEWS} Vorschauen berechnet; bitte in "
            "einer Minute noch einmal hochladen."])
    try:
        mine = request.session.get("vorschau")
        done = await run_in_threadpool(_preview_work, store, who, filename, content,
                                       merging, prune, as_of(request),
                                       mine[0] if isinstance(mine, list) and mine else None)
    except FileProblems as exc:
        return _problems_page(request, who, 422, filename, exc.problems)
    except InvalidNetworkError as exc:
        return _problems_page(request, who, 422, filename, [str(p) for p in exc.problems])
    except (FormatError, UnicodeDecodeError) as exc:
        message = str(exc) if isinstance(exc, FormatError) else \
            f"{filename}: Die Datei ist nicht UTF-8-kodiert; bitte als UTF-8 speichern."
        return _problems_page(request, who, 422, filename, [message])
    except OverBudgetError as exc:
        return _problems_page(request, who, exc.status, filename, [str(exc)])
    except (ConflictError, ForbiddenError) as exc:
        return _problems_page(request, who, exc.status, filename, [exc.message])
    finally:
        _RUNNING.release()
    incoming, plan, sections, resolved, new, token, digest = done
    notes = list(incoming.notes)
    if loses := hsds_replace_loses(plan.lost_social_years, "„Zusammenführen“"):
        notes.append(loses)
    # the preview belongs to this session, and exactly this content is taken over
    request.session["vorschau"] = [token, digest,
                                   "zusammenfuehren" if merging else "ersetzen"]
    totals = {k: sum(len(s[k]) for s in sections) for k in ("new", "changed", "removed")}
    totals["same"] = sum(s["same"] for s in sections)
    return page(request, "preview.html", who, "Vorschau des Imports", nav="austausch",
                filename=filename, merging=merging,
                sections=[s for s in sections if s["new"] or s["changed"] or s["removed"]],
                totals=totals, token=token, notes=notes,
                resolved=_by_title(resolved), new_findings=_by_title(new))


PREVIEW_SECONDS = 60.0
"""How long reading, planning and comparing an upload may take; then it is refused."""
MAX_PREVIEWS = 2
"""Previews computed at the same time by one server process; one more is refused (503)
until one of them is done."""
_RUNNING = threading.BoundedSemaphore(MAX_PREVIEWS)


def _preview_work(store: StoreState, who: Principal, filename: str, content: bytes,
                  merging: bool, prune: bool, day: Any, previous: str | None) -> tuple[Any, ...]:
    """Everything a preview computes (off the event loop, within
    :data:`PREVIEW_SECONDS`): the file read, the plan, the diff, the findings; kept
    under a new token (the session's previous preview is dropped)."""
    slow = (f"{filename}: Die Vorschau dauert zu lange (mehr als {PREVIEW_SECONDS:g} "
            "Sekunden) und wurde abgebrochen; nichts wurde gespeichert. Bitte eine kleinere "
            "Datei hochladen, z. B. einzelne Quartiere zum Zusammenführen.")
    with tempfile.TemporaryDirectory() as tmp, time_budget(PREVIEW_SECONDS, slow):
        incoming = read_upload(filename, content, Path(tmp))
        budget_check()
        plan = plan_import(store, who, incoming, merge=merging, prune=prune)
        budget_check()
        before = plan.before if plan.before is not None else Network(name=plan.network.name)
        sections = network_diff(before, plan.network)
        budget_check()
        resolved, new = plan.findings(day)
        budget_check()
    previews = default_previews()
    if previous:
        previews.drop(previous)
    token, digest = previews.keep(plan.network, plan.version)
    return incoming, plan, sections, resolved, new, token, digest


_CHANGED = ("Seit der Vorschau hat jemand die Kette geändert; der Import wurde nicht "
            "übernommen. Bitte die Datei noch einmal hochladen und die neue Vorschau prüfen.")


@router.post("/austausch/uebernehmen", include_in_schema=False)
async def take_over_preview(request: Request) -> Response:
    who = person(request)
    form = await posted_form(request)
    mine = request.session.get("vorschau")
    merging = isinstance(mine, list) and len(mine) > 2 and mine[2] == "zusammenfuehren"
    if not merging or who.role is Role.READER:  # before the preview is used up
        who.require_coordinator("Eine ganze Kette einlesen")
    token = str(form.get("vorschau", ""))
    store: StoreState = request.app.state.store
    try:
        if not isinstance(mine, list) or len(mine) < 2 or mine[0] != token:
            raise LotsenError("Diese Vorschau gibt es nicht mehr; bitte die Datei noch "
                              "einmal hochladen.")
        request.session.pop("vorschau", None)
        network, version = default_previews().take(token, str(mine[1]))
        # a merge preview was checked against the person's quarters on exactly the state
        # it is taken over on (the version): editors may take it over
        await run_in_threadpool(lambda: take_over(store, who, network, merging=merging,
                                                  expected_version=version,
                                                  conflict=_CHANGED))
    except ForbiddenError:
        raise
    except LotsenError as exc:
        flash(request, "fehler", str(exc))
        return RedirectResponse("/austausch", status_code=303)
    flash(request, "ok", ("Zusammengeführt" if merging else "Import übernommen") + ": "
          f"{count(len(network.services), 'Angebot', 'Angebote')}, "
          f"{count(len(network.transitions), 'Übergang', 'Übergänge')}. "
          "Der Verlauf verzeichnet ihn.")
    return RedirectResponse("/", status_code=303)


_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(f"/austausch/{TEMPLATE_NAME}", include_in_schema=False)
def template_file(request: Request) -> Response:
    """The blank template to fill in (the same for everybody; readers too)."""
    person(request)
    return Response(blank_template(), media_type=_XLSX, headers={
        "Content-Disposition": f'attachment; filename="{TEMPLATE_NAME}"',
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


@router.get("/austausch/gremium.xlsx", include_in_schema=False)
def committee_file(request: Request) -> Response:
    """The chain in plain German for a committee (providers, agreements with validity,
    owner table): the whole network or, with ``?quartier=``, one quarter alone."""
    from visualisation.committee import committee_workbook

    person(request)
    net = snapshot(request).network
    wanted = request.query_params.get("quartier") or None
    quarter = net.find_quarter(wanted).id if wanted else None  # unknown: a German 404
    name = f"gremium-{quarter}.xlsx" if quarter else "gremium.xlsx"
    return Response(committee_workbook(net, as_of(request), quarter), media_type=_XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


@router.get("/austausch/export/{name}", include_in_schema=False)
def download_file(request: Request, name: str) -> Response:
    person(request)  # readers too, but logged in
    snap = snapshot(request)
    data = download(snap.network, name, snap.journal.version)
    return Response(data, media_type=DOWNLOADS[name][1],
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})
