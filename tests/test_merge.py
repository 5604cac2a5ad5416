"""Merging a quarter network's sheet into the store (issue 15, item 4): --merge, --prune,
--dry-run, the version column, one audit entry, roles in the API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from api.web.access import TokenFile, new_token
from api.web.app import create_app
from api.web.settings import ApiSettings
from graph.backends.memory import MemoryRepository
from graph.errors import ConflictError, InvalidNetworkError
from graph.formats.document import to_data
from graph.formats.tables import to_tables
from graph.formats.workbook import read_workbook, workbook_bytes
from graph.merge import merge_into, plan_merge, plan_replace
from graph.model import Provider
from seeds import load_seed
from tests.test_cli import lotse

QUARTERS = ("brunnenstrasse", "hoerde")


@pytest.fixture(scope="module")
def sheets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two quarter networks' Excel files, exported from the city's store (with versions)."""
    folder = tmp_path_factory.mktemp("blaetter")
    assert lotse("load", "dortmund", "--store", "stadt.json", cwd=folder).returncode == 0
    for quarter in QUARTERS:
        result = lotse("export", f"{quarter}.xlsx", "--quarter", quarter, "--store",
                       "stadt.json", cwd=folder)
        assert result.returncode == 0, result.stderr
    return folder


def test_export_from_a_store_carries_a_version_column(sheets: Path) -> None:
    ws = load_workbook(sheets / "hoerde.xlsx")["Angebote"]
    headers = [c.value for c in ws[1]]
    assert headers[-1] == "Version" and ws.cell(2, len(headers)).value == 1
    report = read_workbook(sheets / "hoerde.xlsx")
    assert report.problems == [] and report.versions["services/kita-hoerde"] == 1
    assert report.places["services/kita-hoerde"].startswith("Blatt 'Angebote', Zeile ")


def test_two_quarter_sheets_merge_into_one_store_then_a_changed_row_refuses(
        sheets: Path, tmp_path: Path) -> None:
    for quarter in QUARTERS:
        result = lotse("import", str(sheets / f"{quarter}.xlsx"), "--merge", "--store",
                       "neu.json", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "zusammengeführt" in result.stdout and "ein Eintrag im Verlauf" in result.stdout
    repo = MemoryRepository(tmp_path / "neu.json")
    city = load_seed("dortmund")
    expected = city.restricted_to(list(QUARTERS))
    merged = repo.load()
    for section in ("quarters", "providers", "services", "transitions", "agreements",
                    "referral_flows"):
        assert sorted(getattr(merged, section), key=repr) == \
            sorted(getattr(expected, section), key=repr), section
    assert [e.action for e in repo.journal().entries] == ["import", "import"]
    # the merged store equals the two sheets: merging again changes nothing
    again = lotse("import", str(sheets / "hoerde.xlsx"), "--merge", "--store", "neu.json",
                  cwd=tmp_path)
    assert again.returncode == 0 and "nichts Neues" in again.stdout
    # someone changes a Hörde service in the store; the old sheet may not undo that
    kita = merged.service_index["kita-hoerde"]
    repo.put("services", kita.model_copy(update={"capacity_per_year": 99}))
    before = (tmp_path / "neu.json").read_bytes()
    refused = lotse("import", str(sheets / "hoerde.xlsx"), "--merge", "--store", "neu.json",
                    cwd=tmp_path)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    row = read_workbook(sheets / "hoerde.xlsx").places["services/kita-hoerde"]
    assert f"{row}: Angebot 'kita-hoerde' wurde im Speicher geändert (Version in der Datei " \
           "1, im Speicher 2)" in refused.stderr
    assert "nichts wurde zusammengeführt" in refused.stderr
    assert (tmp_path / "neu.json").read_bytes() == before


def test_dry_run_prints_the_change_list_and_writes_nothing(sheets: Path,
                                                           tmp_path: Path) -> None:
    assert lotse("load", "brunnenstrasse", "--store", "s.json", cwd=tmp_path).returncode == 0
    before = (tmp_path / "s.json").read_bytes()
    result = lotse("import", str(sheets / "hoerde.xlsx"), "--merge", "--dry-run", "--store",
                   "s.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Probelauf" in result.stdout and "neu: Quartier „Hörde“ (hoerde)" in result.stdout
    assert (tmp_path / "s.json").read_bytes() == before
    replace = lotse("import", str(sheets / "hoerde.xlsx"), "--dry-run", "--store", "s.json",
                    cwd=tmp_path)
    assert replace.returncode == 0 and "den ganzen Speicher ersetzen" in replace.stdout
    assert "entfernt: Quartier „Brunnenstraßen-/Hannibalviertel“" in replace.stdout
    assert (tmp_path / "s.json").read_bytes() == before
    alone = lotse("import", str(sheets / "hoerde.xlsx"), "--prune", "--store", "s.json",
                  cwd=tmp_path)
    assert alone.returncode == 1 and "--prune gilt nur zusammen mit --merge" in alone.stderr


def test_full_replace_says_what_it_replaces(sheets: Path, tmp_path: Path) -> None:
    assert lotse("load", "dortmund", "--store", "s.json", cwd=tmp_path).returncode == 0
    result = lotse("import", str(sheets / "hoerde.xlsx"), "--store", "s.json", cwd=tmp_path)
    assert result.returncode == 0
    counts = plan_replace(load_seed("dortmund"), MemoryRepository(tmp_path / "s.json").load())
    removed = sum(1 for c in counts if c.action == "removed")
    assert "Der ganze Speicher ('Netzwerk INFamilie Dortmund (Beispiel)') wird ersetzt: neu: " \
        in result.stderr and f"entfernt: {removed}" in result.stderr


def test_prune_removes_only_what_the_quarters_file_no_longer_lists() -> None:
    city = load_seed("dortmund")
    sheet = city.restricted_to(["hoerde"])
    gone = "kita-hoerde"
    sheet = sheet.model_copy(update={
        "services": [s for s in sheet.services if s.id != gone],
        "transitions": [t for t in sheet.transitions if gone not in (t.source, t.target)]})
    kept = plan_merge(city, sheet)
    assert kept.changes == [] and kept.network == city  # without --prune nothing goes
    plan = plan_merge(city, sheet, prune=True)
    removed = {(c.section, c.key) for c in plan.changes if c.action == "removed"}
    assert ("services", gone) in removed
    assert {c.action for c in plan.changes} == {"removed"}
    assert all(t.source != gone and t.target != gone for t in plan.network.transitions)
    # other quarters are untouched
    assert plan.network.restricted_to(["brunnenstrasse"]) == city.restricted_to(
        ["brunnenstrasse"])
    # services that also serve other quarters stay, with those quarters
    assert plan.network.service_index["babylotsen"] == city.service_index["babylotsen"]


def test_a_merge_is_all_or_nothing_and_one_audit_entry() -> None:
    repo = MemoryRepository()
    repo.replace(load_seed("dortmund"), "test")
    city = repo.load()
    clash = city.restricted_to(["hoerde"]).model_copy(update={"providers": [
        *city.restricted_to(["hoerde"]).providers,
        Provider(id="kita-hoerde", name="Träger mit der Kennung eines Angebots", kind="other")]})
    with pytest.raises(InvalidNetworkError, match="doppelt vergeben"):
        merge_into(repo, clash, "test")
    assert repo.load() is city and len(repo.journal().entries) == 1
    changed = city.restricted_to(["hoerde"])
    changed = changed.model_copy(update={"services": [
        s.model_copy(update={"capacity_per_year": 5}) for s in changed.services]})
    plan = merge_into(repo, changed, "quartier-hoerde")
    assert plan.counts()["changed"] == len(changed.services)
    entries = repo.journal().entries
    assert len(entries) == 2 and entries[-1].actor == "quartier-hoerde"


def test_the_store_is_checked_again_under_its_lock(tmp_path: Path) -> None:
    repo = MemoryRepository(tmp_path / "s.json")
    repo.replace(load_seed("brunnenstrasse"), "test")
    before = (tmp_path / "s.json").read_bytes()

    def refuse(stored: Any, journal: Any) -> None:
        raise ConflictError("geändert")

    with pytest.raises(ConflictError):
        repo.replace(load_seed("unna"), "test", check=refuse)
    assert (tmp_path / "s.json").read_bytes() == before


@pytest.fixture
def api(tmp_path: Path) -> Any:
    plain, entries = {}, []
    for name, role, quarters in (("koordination", "coordinator", []),
                                 ("quartier-hoerde", "editor", ["hoerde"]),
                                 ("bezirk", "reader", [])):
        plain[name], entry = new_token(name, role, quarters)
        entries.append(entry)
    TokenFile(tokens=entries).write(tmp_path / "tokens.yaml")
    repo = MemoryRepository(tmp_path / "speicher.json")
    repo.replace(load_seed("dortmund"), "test")
    app = create_app(ApiSettings(store="unbenutzt.json", tokens_file=tmp_path / "tokens.yaml"),
                     repo=repo)
    with TestClient(app, raise_server_exceptions=False) as client:
        def call(who: str, method: str, url: str, **kw: Any) -> Any:
            headers = {"Authorization": f"Bearer {plain[who]}", **kw.pop("headers", {})}
            return client.request(method, url, headers=headers, **kw)
        yield call, repo


def test_api_merge_is_role_scoped_and_needs_if_match(api: Any) -> None:
    call, repo = api
    export = call("bezirk", "GET", "/api/v1/network")
    etag = export.headers["etag"]
    city = load_seed("dortmund")
    hoerde = city.restricted_to(["hoerde"])
    doc = to_data(hoerde.model_copy(update={"services": [
        s.model_copy(update={"capacity_per_year": 77}) if s.id == "kita-hoerde" else s
        for s in hoerde.services]}))
    url = "/api/v1/network/merge"
    assert call("quartier-hoerde", "POST", url, json=doc).status_code == 428
    assert call("bezirk", "POST", url, json=doc, headers={"If-Match": etag}).status_code == 403
    preview = call("quartier-hoerde", "POST", url, json=doc, params={"dry_run": True},
                   headers={"If-Match": etag})
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert body["written"] is False and body["summary"] == "neu: 0 · geändert: 1 · entfernt: 0"
    assert body["changes"][0]["text"].startswith("geändert: Angebot")
    done = call("quartier-hoerde", "POST", url, json=doc, headers={"If-Match": etag})
    assert done.status_code == 200 and done.json()["written"] is True
    assert repo.load().service_index["kita-hoerde"].capacity_per_year == 77
    assert repo.journal().entries[-1].actor == "quartier-hoerde"
    # the same file again on the old ETag: the store changed since, nothing happens
    stale = call("quartier-hoerde", "POST", url, json=doc, headers={"If-Match": etag})
    assert stale.status_code == 409
    # an editor of Hörde may not merge changes to another quarter
    brunnen = to_data(city.restricted_to(["brunnenstrasse"]).model_copy(update={
        "services": [s.model_copy(update={"capacity_per_year": 1})
                     for s in city.restricted_to(["brunnenstrasse"]).services]}))
    forbidden = call("quartier-hoerde", "POST", url, json=brunnen, headers={"If-Match": "*"})
    assert forbidden.status_code == 403 and "Brunnenstraßen" in forbidden.text
    assert repo.load().service_index["kita-bornstrasse"].capacity_per_year != 1
    coordinator = call("koordination", "POST", url, json=brunnen, headers={"If-Match": "*"})
    assert coordinator.status_code == 200 and coordinator.json()["written"] is True


def test_werkstatt_merge_for_an_editor_of_the_quarter(tmp_path: Path) -> None:
    import html
    import io
    import re

    from tests.werkstatt import csrf, log_in, werkstatt

    repo = MemoryRepository(tmp_path / "speicher.json")
    repo.replace(load_seed("dortmund"), "test")
    hoerde = repo.load().restricted_to(["hoerde"])
    sheet = hoerde.model_copy(update={"services": [
        s.model_copy(update={"capacity_per_year": 66}) if s.id == "kita-hoerde" else s
        for s in hoerde.services]})
    content = workbook_bytes(to_tables(sheet, repo.journal().version))

    def upload(client: TestClient) -> Any:
        page = client.get("/austausch").text
        return client.post("/austausch/vorschau", files={"datei": ("hoerde.xlsx",
                                                                   io.BytesIO(content))},
                           data={"csrf": csrf(page), "art": "zusammenfuehren"})

    with werkstatt(repo, tmp_path) as other:
        assert log_in(other, "nord").status_code == 303
        refused = upload(other)
        assert refused.status_code == 403 and "Hörde" in html.unescape(refused.text)
    with werkstatt(repo, tmp_path) as client:
        assert log_in(client, "hoerde").status_code == 303
        preview = upload(client)
        assert preview.status_code == 200, preview.text
        text = html.unescape(preview.text)
        assert "was das Zusammenführen ändern würde" in text and "1 geändert" in text
        assert "0 entfernt" in text  # the other quarters stay
        form = text[text.index('action="/austausch/uebernehmen"'):]
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">',
                                 form[:form.index("</form>")]))
        done = client.post("/austausch/uebernehmen", data=fields)
        assert done.status_code == 303
    stored = repo.load()
    assert stored.service_index["kita-hoerde"].capacity_per_year == 66
    assert "brunnenstrasse" in stored.quarter_index
    assert repo.journal().entries[-1].actor == "hoerde"


@pytest.fixture(params=["memory", "file", "neo4j"])
def any_repo(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "memory":
        yield MemoryRepository()
    elif request.param == "file":
        yield MemoryRepository(tmp_path / "speicher.json")
    else:
        from graph.backends.neo4j import Neo4jRepository

        with Neo4jRepository.from_uri(request.getfixturevalue("neo4j_uri")) as neo:
            neo.clear()
            yield neo


def test_every_backend_checks_the_stored_state_under_its_lock(any_repo: Any) -> None:
    """A merge writes only if the store is still in the state it was planned on."""
    repo = any_repo
    repo.save(load_seed("dortmund"))
    seen = []

    def refuse(stored: Any, journal: Any) -> None:
        seen.append(stored is not None and "hoerde" in stored.quarter_index)
        raise ConflictError("inzwischen geändert")

    with pytest.raises(ConflictError):
        repo.replace(load_seed("unna"), "test", check=refuse)
    assert seen == [True] and "hoerde" in repo.load().quarter_index
    hoerde = repo.load().restricted_to(["hoerde"])
    changed = hoerde.model_copy(update={"services": [
        s.model_copy(update={"capacity_per_year": 3}) for s in hoerde.services]})
    before = len(repo.journal().entries)
    plan = merge_into(repo, changed, "quartier-hoerde")
    assert plan.counts() == {"new": 0, "changed": len(hoerde.services), "removed": 0}
    stored = repo.load()
    assert all(stored.service_index[s.id].capacity_per_year == 3 for s in hoerde.services)
    assert "brunnenstrasse" in stored.quarter_index
    assert len(repo.journal().entries) == before + 1


@pytest.mark.parametrize("name", ["unna", "dortmund", "brunnenstrasse"])
def test_merging_an_hsds_file_keeps_what_hsds_does_not_carry(name: str,
                                                              tmp_path: Path) -> None:
    """HSDS has no social data, quarter descriptions or Kreis: a merge of the store's own
    HSDS export changes nothing (it wiped them as 'geändert: Quartier …' before)."""
    assert lotse("load", name, "--store", "s.json", cwd=tmp_path).returncode == 0
    assert lotse("export", "kette.hsds.json", "--store", "s.json",
                 cwd=tmp_path).returncode == 0
    before = (tmp_path / "s.json").read_bytes()
    result = lotse("import", "kette.hsds.json", "--merge", "--store", "s.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "nichts Neues" in result.stdout, result.stdout
    assert (tmp_path / "s.json").read_bytes() == before
    # a changed service still comes in, the quarter keeps its social data
    from graph.formats.hsds import NOT_CARRIED, read_hsds

    net = load_seed(name)
    incoming = read_hsds(tmp_path / "kette.hsds.json").network
    service = incoming.services[0]
    incoming = incoming.with_sections(services=[
        service.model_copy(update={"name": service.name + " (neu)"}), *incoming.services[1:]])
    plan = plan_merge(net, incoming, keep=NOT_CARRIED)
    assert [(c.action, c.key) for c in plan.changes] == [("changed", service.id)]
    assert plan.network.quarters == net.quarters
    assert plan.network.municipalities == net.municipalities
    # a full replace says first that the social data go (and how to keep them)
    replace = lotse("import", "kette.hsds.json", "--dry-run", "--store", "s.json",
                    cwd=tmp_path)
    years = sum(len(q.social_data) for q in net.quarters)
    said = "geht 1 Jahrgang" if years == 1 else f"gehen {years} Jahrgänge"
    assert f"beim Ersetzen {said} Sozialraumdaten" in replace.stderr, replace.stderr
    assert "Mit --merge bleiben sie erhalten" in replace.stderr


def test_werkstatt_merge_of_an_hsds_file_keeps_the_social_data(tmp_path: Path) -> None:
    import html
    import io
    import json

    from graph.formats.hsds import to_hsds
    from tests.werkstatt import csrf, log_in, werkstatt

    repo = MemoryRepository(tmp_path / "speicher.json")
    repo.replace(load_seed("unna"), "test")
    content = json.dumps(to_hsds(repo.load()).document).encode()
    with werkstatt(repo, tmp_path) as client:
        assert log_in(client, "koordination").status_code == 303
        page = client.get("/austausch").text
        preview = client.post("/austausch/vorschau", files={"datei": (
            "verzeichnis.json", io.BytesIO(content))}, data={"csrf": csrf(page),
                                                              "art": "zusammenfuehren"})
        assert preview.status_code == 200, preview.text[:500]
        text = html.unescape(preview.text)
        assert "0 geändert" in text and "0 entfernt" in text, text
        assert "Sozialraumdaten verloren" not in text
        # replacing instead says first that the social data go, and how to keep them
        page = client.get("/austausch").text
        replace = html.unescape(client.post("/austausch/vorschau", files={"datei": (
            "verzeichnis.json", io.BytesIO(content))}, data={"csrf": csrf(page),
                                                              "art": "ersetzen"}).text)
        years = sum(len(q.social_data) for q in repo.load().quarters)
        assert years > 0
        said = "geht 1 Jahrgang" if years == 1 else f"gehen {years} Jahrgänge"
        assert f"beim Ersetzen {said} Sozialraumdaten des Speichers verloren" in replace, \
            replace[:3000]
        assert "Mit „Zusammenführen“ bleiben sie erhalten" in replace
        # the changed quarters read in words, not as Python dicts with English keys
        assert "Sozialdaten: Jahr " in replace and "{'" not in replace, replace[:3000]


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_merge_and_dry_run_hold_for_network_documents(suffix: str, tmp_path: Path) -> None:
    """'lotse import hoerde.yaml --merge --dry-run' replaced the whole store before (65
    entries removed) – the flags were ignored for YAML/JSON network documents."""
    assert lotse("load", "dortmund", "--store", "s.json", cwd=tmp_path).returncode == 0
    name = f"hoerde{suffix}"
    assert lotse("export", name, "--quarter", "hoerde", "--store", "s.json",
                 cwd=tmp_path).returncode == 0
    before = (tmp_path / "s.json").read_bytes()
    dry = lotse("import", name, "--merge", "--dry-run", "--store", "s.json", cwd=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert "nichts Neues" in dry.stdout and "ersetzt" not in dry.stdout + dry.stderr
    assert (tmp_path / "s.json").read_bytes() == before
    preview = lotse("import", name, "--dry-run", "--store", "s.json", cwd=tmp_path)
    assert "Probelauf" in preview.stdout and "entfernt: Quartier" in preview.stdout
    assert (tmp_path / "s.json").read_bytes() == before
    # a changed service in the document is merged, the other quarters stay
    text = (tmp_path / name).read_text(encoding="utf-8")
    assert "Kita Hörde" in text or "kita-hoerde" in text
    from graph.formats.document import load, save

    sheet = load(tmp_path / name)
    sheet = sheet.with_sections(services=[
        s.model_copy(update={"capacity_per_year": 77}) if s.id == "kita-hoerde" else s
        for s in sheet.services])
    save(sheet, tmp_path / name)
    merged = lotse("import", name, "--merge", "--store", "s.json", cwd=tmp_path)
    assert merged.returncode == 0, merged.stderr
    assert "geändert: Angebot" in merged.stdout and "kita-hoerde" in merged.stdout
    stored = MemoryRepository(tmp_path / "s.json").load()
    assert stored.service_index["kita-hoerde"].capacity_per_year == 77
    assert "brunnenstrasse" in stored.quarter_index
    refused = lotse("import", name, "--partial", "--store", "s.json", cwd=tmp_path)
    assert refused.returncode == 1 and "--partial gilt nur für Excel" in refused.stderr
