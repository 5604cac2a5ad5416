"""Import/Export: upload Excel, CSV (zip), HSDS or a network file; see what would change
(new / changed / removed) before anything is written; download every export format of
the CLI.

A preview is kept as a network file in the temporary folder (shared by the server's
workers) under a random name; taking it over checks that the store has not changed
since the preview, so nothing is overwritten silently."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import secrets
import stat
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from api.usecases.wording import hsds_replace_loses
from api.web.access import ForbiddenError, Role
from api.web.merge import merge_authorizer
from api.web.pages.common import MAX_UPLOAD, as_of, flash, page, person, posted_form, snapshot
from api.web.state import StoreState
from graph.edit import entity_key
from graph.errors import ConflictError, FormatError, InvalidNetworkError, LotsenError
from graph.formats import document
from graph.merge import plan_merge
from graph.network import KIND_NAMES, SECTIONS, Network
from graph.vocabulary import count
from lotsen.check import check
from lotsen.findings import Finding
from visualisation.audit_text import field_changes
from visualisation.change_text import findings_change

__all__ = ["DOWNLOADS", "network_diff", "router"]

router = APIRouter()
_SHOWN_PROBLEMS = 50
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,60}$")
_PREVIEW_HOURS = 24


def _previews() -> Path:
    """A folder only the server's user can read, shared by its workers; previews older
    than a day are removed."""
    folder = Path(tempfile.gettempdir()) / f"lotse-werkstatt-vorschau-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise LotsenError(f"Der Ordner für Import-Vorschauen ({folder}) gehört nicht dem "
                          "Server oder ist für andere lesbar; bitte entfernen.")
    old = time.time() - _PREVIEW_HOURS * 3600
    for leftover in folder.iterdir():
        with contextlib.suppress(OSError):
            if leftover.stat().st_mtime < old:
                leftover.unlink()
    return folder

DOWNLOADS = {
    "kette.xlsx": ("Excel-Arbeitsmappe (.xlsx)",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "kette-csv.zip": ("CSV-Dateien (ZIP)", "application/zip"),
    "kette.yaml": ("Netzwerk-Datei (YAML, lesbar)", "application/yaml"),
    "kette.json": ("Netzwerk-Datei (JSON)", "application/json"),
    "kette.hsds.json": ("Angebotsverzeichnis (Open Referral HSDS)", "application/json"),
    "kette-hsds-csv.zip": ("Angebotsverzeichnis als HSDS-Tabellenpaket (CSV, ZIP)",
                           "application/zip"),
    "kette.graphml": ("Graph für yEd/Gephi (GraphML)", "application/xml"),
    "kette.gexf": ("Graph für Gephi (GEXF)", "application/xml"),
    "vereinbarungen.ics": ("Fristen der Vereinbarungen (Kalender, .ics)", "text/calendar"),
}


def _label(section: str, entity: Any) -> str:
    name = getattr(entity, "name", "") or ""
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


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def network_diff(old: Network, new: Network) -> list[dict[str, Any]]:
    """Per section: what an import of ``new`` would add, change and remove.

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
    for section in SECTIONS:
        before = {entity_key(e): e for e in getattr(old, section)}
        after = {entity_key(e): e for e in getattr(new, section)}
        added = [_label(section, after[k]) for k in after if k not in before]
        removed = [_label(section, before[k]) for k in before if k not in after]
        changed = [_changed(section, before[k], after[k], old) for k in after
                   if k in before and after[k] != before[k]]
        same = sum(1 for k in after if k in before and after[k] == before[k])
        result.append({"section": section, "title": KIND_NAMES[section], "new": added,
                       "changed": changed, "removed": removed, "same": same})
    return result


MAX_UNPACKED = 60 * 1024 * 1024
MAX_ROWS = 300_000
MAX_ENTRIES = 200


def _check_archive(content: bytes, name: str) -> zipfile.ZipFile:
    """A zip (or xlsx) that unpacks to a sane size: a few kilobytes must not become
    gigabytes in memory."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise FormatError("Das ist kein lesbares ZIP-Archiv bzw. keine Excel-Datei.",
                          name) from None
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES or sum(i.file_size for i in entries) > MAX_UNPACKED:
        raise FormatError(f"Die Datei entpackt sich zu mehr als "
                          f"{MAX_UNPACKED // (1024 * 1024)} MB oder {MAX_ENTRIES} Teilen; so "
                          "groß ist keine Kette. Bitte die Datei prüfen.", name)
    return archive


def _read_upload(name: str, content: bytes, folder: Path,
                 found: dict[str, Any] | None = None) -> tuple[Network, list[str]]:
    """The network in an uploaded file and notes; problems raise with row messages. For
    tables, ``found`` receives the version column ("versions") and row places ("places");
    for HSDS, the fields it does not carry ("keep", kept from the store by a merge)."""
    from graph.formats.csvfolder import read_folder
    from graph.formats.hsds import NOT_CARRIED, read_hsds
    from graph.formats.workbook import read_workbook

    lower = name.lower()
    if lower.endswith(".xlsx"):
        _check_archive(content, name).close()
        path = folder / "upload.xlsx"
        path.write_bytes(content)
        report = read_workbook(path)
    elif lower.endswith(".zip"):
        target = folder / "csv"
        target.mkdir()
        rows = 0
        with _check_archive(content, name) as archive:
            for info in archive.infolist():
                base = Path(info.filename).name  # never outside the folder
                if base.lower().endswith(".csv") and not info.is_dir():
                    data = archive.read(info)
                    rows += data.count(b"\n")
                    if rows > MAX_ROWS:
                        raise FormatError(f"Die CSV-Dateien haben zusammen mehr als {MAX_ROWS} "
                                          "Zeilen; so groß ist keine Kette.", name)
                    (target / base).write_bytes(data)
        if (target / "services.csv").exists() or (target / "organizations.csv").exists():
            result = read_hsds(target)
            if found is not None:
                found.update(keep=NOT_CARRIED)
            return result.network, result.notes
        report = read_folder(target)
    elif lower.endswith((".json", ".yaml", ".yml")):
        text = content.decode("utf-8", errors="strict")
        is_hsds = lower.endswith(".hsds.json")
        if lower.endswith(".json") and not is_hsds:
            from graph.formats.detect import json_kind

            try:
                is_hsds = json_kind(json.loads(text)) == "hsds"
            except (ValueError, RecursionError):
                is_hsds = False
        if is_hsds:
            path = folder / "upload.hsds.json"
            path.write_bytes(content)
            result = read_hsds(path)
            if found is not None:
                found.update(keep=NOT_CARRIED)
            return result.network, result.notes
        return document.loads(text, source=name), []
    else:
        raise FormatError("Diese Dateiart kann die Werkstatt nicht lesen: bitte .xlsx, .zip "
                          "(CSV), .hsds.json, .json oder .yaml hochladen.", name)
    if report.network is None:
        raise _RowProblems([str(p) for p in report.problems])
    if found is not None:
        found.update(versions=report.versions, places=report.places)
    return report.network, []


class _RowProblems(LotsenError):
    status = 422

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} Fehler")
        self.problems = problems


def _exchange_page(request: Request, who: Any, status: int = 200, **values: Any) -> Response:
    return page(request, "exchange.html", who, "Import und Export", status=status,
                nav="austausch", can_import=who.role is Role.COORDINATOR,
                can_merge=who.role is not Role.READER,
                downloads=[(f"/austausch/export/{n}", label)
                           for n, (label, _) in DOWNLOADS.items()], **values)


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
    rows: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        try:
            network, notes = await run_in_threadpool(_read_upload, filename, content,
                                                     Path(tmp), rows)
        except _RowProblems as exc:
            return _exchange_page(request, who, 422, filename=filename,
                                  problems=exc.problems[:_SHOWN_PROBLEMS],
                                  problems_more=max(0, len(exc.problems) - _SHOWN_PROBLEMS))
        except InvalidNetworkError as exc:
            problems = [str(p) for p in exc.problems]
            return _exchange_page(request, who, 422, filename=filename,
                                  problems=problems[:_SHOWN_PROBLEMS],
                                  problems_more=max(0, len(problems) - _SHOWN_PROBLEMS))
        except (FormatError, UnicodeDecodeError) as exc:
            message = str(exc) if isinstance(exc, FormatError) else \
                "Die Datei ist nicht UTF-8-kodiert; bitte als UTF-8 speichern."
            return _exchange_page(request, who, 422, filename=filename, problems=[message])
    snap = snapshot(request)
    if merging:
        try:
            plan = await run_in_threadpool(
                plan_merge, snap.network, network, snap.journal, rows.get("versions"), prune,
                rows.get("places"), rows.get("keep"))
            merge_authorizer(who)(snap.network, plan)
        except (ConflictError, InvalidNetworkError, ForbiddenError) as exc:
            problems = [str(p) for p in exc.problems] if isinstance(
                exc, InvalidNetworkError) else [exc.message]
            return _exchange_page(request, who, exc.status, filename=filename,
                                  problems=problems[:_SHOWN_PROBLEMS],
                                  problems_more=max(0, len(problems) - _SHOWN_PROBLEMS))
        network = plan.network
    elif rows.get("keep"):  # replacing by HSDS loses what HSDS does not carry: say so
        loses = hsds_replace_loses(sum(len(q.social_data)
                                             for q in snap.network.quarters), "„Zusammenführen“")
        if loses:
            notes = [*notes, loses]
    token = secrets.token_urlsafe(24)
    folder = _previews()
    document.save(network, folder / f"{token}.json")
    (folder / f"{token}.stand").write_text(str(snap.version), encoding="utf-8")
    # the preview belongs to this session, and exactly this content is taken over
    request.session["vorschau"] = [token, _digest(folder / f"{token}.json"),
                                   "zusammenfuehren" if merging else "ersetzen"]
    sections = network_diff(snap.network, network)
    day = as_of(request)
    resolved, new = findings_change(check(snap.network, day), check(network, day))
    totals = {k: sum(len(s[k]) for s in sections) for k in ("new", "changed", "removed")}
    totals["same"] = sum(s["same"] for s in sections)
    return page(request, "preview.html", who, "Vorschau des Imports", nav="austausch",
                filename=filename, merging=merging,
                sections=[s for s in sections if s["new"] or s["changed"] or s["removed"]],
                totals=totals, token=token, notes=notes,
                resolved=_by_title(resolved), new_findings=_by_title(new))


_CHANGED = ("Seit der Vorschau hat jemand die Kette geändert; der Import wurde nicht "
            "übernommen. Bitte die Datei noch einmal hochladen und die neue Vorschau prüfen.")


@router.post("/austausch/uebernehmen", include_in_schema=False)
async def take_over(request: Request) -> Response:
    who = person(request)
    form = await posted_form(request)
    mine = request.session.get("vorschau")
    # a merge preview was checked against the caller's quarters on the state it is
    # taken over on (the version check below): editors may take it over
    merging = isinstance(mine, list) and len(mine) > 2 and mine[2] == "zusammenfuehren"
    if not merging or who.role is Role.READER:
        who.require_coordinator("Eine ganze Kette einlesen")
    token = str(form.get("vorschau", ""))
    folder = _previews()
    path = folder / f"{token}.json"
    if not _TOKEN.match(token) or not path.exists() or not isinstance(mine, list) \
            or mine[0] != token or mine[1] != _digest(path):
        flash(request, "fehler", "Diese Vorschau gibt es nicht mehr; bitte die Datei noch "
                                 "einmal hochladen.")
        return RedirectResponse("/austausch", status_code=303)
    store: StoreState = request.app.state.store
    stand = (folder / f"{token}.stand").read_text(encoding="utf-8")
    network = document.load(path)
    request.session.pop("vorschau", None)
    try:
        if not stand.isdigit():  # a preview of an older lotse (it kept a revision)
            raise ConflictError("Diese Vorschau stammt von einer älteren Version der "
                                "Werkstatt; bitte die Datei noch einmal hochladen.")
        await run_in_threadpool(store.replace, network, who.name, int(stand), _CHANGED)
    except ConflictError as exc:
        flash(request, "fehler", str(exc))
        return RedirectResponse("/austausch", status_code=303)
    finally:
        for leftover in (path, path.with_suffix(".stand")):
            leftover.unlink(missing_ok=True)
    flash(request, "ok", ("Zusammengeführt" if merging else "Import übernommen") + ": "
          f"{count(len(network.services), 'Angebot', 'Angebote')}, "
          f"{count(len(network.transitions), 'Übergang', 'Übergänge')}. "
          "Der Verlauf verzeichnet ihn.")
    return RedirectResponse("/", status_code=303)


def export_bytes(net: Network, name: str,
                 version: Callable[[str, str], int] | None = None) -> bytes:
    """The network in the format the download ``name`` stands for; Excel and CSV with
    each row's ``version`` (a store's journal) for a later merge."""
    if name == "kette.yaml":
        return document.dumps(net, "yaml").encode("utf-8")
    if name == "kette.json":
        return document.dumps(net, "json").encode("utf-8")
    if name == "vereinbarungen.ics":
        from graph.formats.calendar import agreements_ics

        return agreements_ics(net)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if name == "kette.xlsx":
            from graph.formats.workbook import write_workbook

            write_workbook(net, folder / name, version)
        elif name in ("kette-csv.zip", "kette-hsds-csv.zip"):
            if name == "kette-csv.zip":
                from graph.formats.csvfolder import write_folder

                write_folder(net, folder / "csv", version)
            else:
                from graph.formats.hsds import write_hsds

                write_hsds(net, folder / "csv", "hsds-csv")
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for csv_file in sorted((folder / "csv").glob("*.*")):
                    archive.write(csv_file, csv_file.name)
            return buffer.getvalue()
        elif name == "kette.hsds.json":
            from graph.formats.hsds import write_hsds

            write_hsds(net, folder / name)
        else:
            from graph.formats.graph_export import write_graph

            write_graph(net, folder / name)
        return (folder / name).read_bytes()


@router.get("/austausch/export/{name}", include_in_schema=False)
def download(request: Request, name: str) -> Response:
    person(request)  # readers too, but logged in
    if name not in DOWNLOADS:
        from graph.errors import NotFoundError

        raise NotFoundError("Download", name, list(DOWNLOADS))
    snap = snapshot(request)
    data = export_bytes(snap.network, name, snap.journal.version)
    return Response(data, media_type=DOWNLOADS[name][1],
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})
