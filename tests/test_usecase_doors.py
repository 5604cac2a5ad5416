"""One use case, three doors (issue 25): every use case run through the command line,
a Werkstatt form and the JSON API, each on a store of its own that starts from the same
state, leaves the same stored network, the same kind of journal entry and the same
finding delta. Real SQLite stores, the real app over HTTP (TestClient), the real typer
command tree.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.cli import app as cli_app
from api.usecases.acceptances import accept_finding
from api.usecases.backups import new_backup
from api.usecases.roles import Principal, Role
from api.web.access import TokenFile, new_token
from graph.backends.sqlite import SqliteRepository
from graph.formats.document import dumps, to_data
from graph.journal import Edit
from graph.network import Network
from lotsen.changes import findings_change
from lotsen.check import check
from seeds import load_seed
from tests.test_cli import lotse
from tests.werkstatt import csrf, form_of, log_in, werkstatt

WHO = "koordination"  # the same name through every door: token, user, --by
TODAY = dt.date.today()
KEY = "PEARL/sprachbilderbuecher"  # brunnenstrasse: a finding to accept
T = "babylotsen-familienhebammen"
EXPIRED = "AGREEMENT_EXPIRED/kita-bornstrasse-grundschule"


@dataclass
class Door:
    """A door onto its own store: ``cli(...)`` runs a command, ``web`` is the logged-in
    Werkstatt, ``api(method, url, ...)`` a request with the coordination's token."""

    repo: SqliteRepository
    folder: Path
    web: TestClient
    token: str

    def cli(self, *args: str, stdin: str | None = None) -> str:
        result = CliRunner().invoke(cli_app, [*args, "--store", str(self.repo.path)],
                                    input=stdin, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    def api(self, method: str, url: str, **kw: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token}", **kw.pop("headers", {})}
        return self.web.request(method, url, headers=headers, **kw)

    def etag(self) -> str:
        return str(self.api("GET", "/api/v1/network").headers["etag"])


@pytest.fixture
def doors(tmp_path: Path) -> Iterator[Callable[[Callable[[SqliteRepository], None] | None],
                                              dict[str, Door]]]:
    made: list[Door] = []

    def make(setup: Callable[[SqliteRepository], None] | None = None) -> dict[str, Door]:
        result = {}
        for name in ("cli", "werkstatt", "api"):
            folder = tmp_path / name
            folder.mkdir()
            repo = SqliteRepository(folder / "speicher.sqlite")
            repo.replace(load_seed("brunnenstrasse"), "test")
            if setup is not None:
                setup(repo)
            token, entry = new_token(WHO, "coordinator")
            TokenFile(tokens=[entry]).write(folder / "tokens.yaml")
            client = werkstatt(repo, folder, tokens_file=folder / "tokens.yaml")
            client.__enter__()
            assert log_in(client, WHO).status_code == 303
            door = Door(repo, folder, client, token)
            made.append(door)
            result[name] = door
        return result

    yield make
    for door in made:
        door.web.__exit__(None, None, None)
        door.repo.close()


def _same_everywhere(doors: dict[str, Door], before: Network) -> None:
    """The same network, the same last journal entry (kind), the same finding delta."""
    states = {name: SqliteRepository(d.repo.path) for name, d in doors.items()}
    try:
        nets = {name: to_data(r.load()) for name, r in states.items()}
        last = {name: (e.action, e.section, e.entity_id) for name, r in states.items()
                for e in [r.journal().entries[-1]]}
        deltas = {}
        for name, r in states.items():
            resolved, new = findings_change(check(before, TODAY), check(r.load(), TODAY))
            deltas[name] = (sorted(f.stable_key for f in resolved),
                            sorted(f.stable_key for f in new))
    finally:
        for r in states.values():
            r.close()
    assert nets["cli"] == nets["werkstatt"] == nets["api"]
    assert last["cli"] == last["werkstatt"] == last["api"], last
    assert deltas["cli"] == deltas["werkstatt"] == deltas["api"], deltas
    assert nets["cli"] != to_data(before) or last["cli"][0] == "import"


def _changed_network() -> Network:
    net = load_seed("brunnenstrasse")
    return net.with_sections(services=[
        s.model_copy(update={"name": s.name + " (neu)"}) if i == 0 else s
        for i, s in enumerate(net.services)])


def _preview_and_take_over(door: Door, name: str, content: bytes, merge: bool = False) -> None:
    page = door.web.get("/austausch").text
    data = {"csrf": csrf(page), **({"art": "zusammenfuehren"} if merge else {})}
    r = door.web.post("/austausch/vorschau", data=data,
                      files={"datei": (name, io.BytesIO(content))})
    assert r.status_code == 200, r.text
    form = r.text[r.text.index('action="/austausch/uebernehmen"'):]
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">',
                             form[:form.index("</form>")]))
    assert door.web.post("/austausch/uebernehmen", data=hidden).status_code == 303


def test_replacing_the_network_from_a_file(doors, tmp_path):
    d = doors(None)
    before = d["cli"].repo.load()
    text = dumps(_changed_network())
    (tmp_path / "kette.yaml").write_text(text, encoding="utf-8")
    d["cli"].cli("import", str(tmp_path / "kette.yaml"))
    _preview_and_take_over(d["werkstatt"], "kette.yaml", text.encode())
    r = d["api"].api("PUT", "/api/v1/network", json=to_data(_changed_network()),
                     headers={"If-Match": d["api"].etag()})
    assert r.status_code == 200, r.text
    _same_everywhere(d, before)
    for door in d.values():  # each door kept the state before as a backup
        assert any((door.folder / "sicherungen").glob("*-vor-import.sqlite"))


def test_merging_a_file(doors, tmp_path):
    d = doors(None)
    before = d["cli"].repo.load()
    part = _changed_network()
    part = part.with_sections(services=part.services[:1], transitions=[], agreements=[],
                              referral_flows=[], sites=[])
    text = dumps(part)
    (tmp_path / "teil.yaml").write_text(text, encoding="utf-8")
    d["cli"].cli("import", str(tmp_path / "teil.yaml"), "--merge")
    _preview_and_take_over(d["werkstatt"], "teil.yaml", text.encode(), merge=True)
    r = d["api"].api("POST", "/api/v1/network/merge", json=to_data(part),
                     headers={"If-Match": d["api"].etag()})
    assert r.status_code == 200 and r.json()["written"], r.text
    _same_everywhere(d, before)
    assert SqliteRepository(d["cli"].repo.path).load().services[0].name.endswith("(neu)")


def test_changing_one_entry(doors, tmp_path):
    d = doors(None)
    before = d["cli"].repo.load()
    t = before.transition_index[T]
    changed = t.model_copy(update={"owner": None})
    (tmp_path / "t.yaml").write_text(dumps_entry(changed), encoding="utf-8")
    out = d["cli"].cli("entry", "put", "Übergänge", str(tmp_path / "t.yaml"), "--version", "1")
    assert "Neu: Übergang ohne Verantwortlichen" in out
    web = d["werkstatt"].web
    form = form_of(web.get(f"/bearbeiten/uebergaenge/{T}").text)
    form["owner"] = ""
    assert web.post(f"/bearbeiten/uebergaenge/{T}", data=form).status_code == 303
    assert "Neu: Übergang ohne Verantwortlichen" in web.get("/").text
    r = d["api"].api("PUT", f"/api/v1/transitions/{T}", json=changed.model_dump(mode="json"),
                     headers={"If-Match": '"1"'})
    assert r.status_code == 200, r.text
    _same_everywhere(d, before)


def dumps_entry(entity: Any) -> str:
    import yaml

    return yaml.safe_dump(entity.model_dump(mode="json", exclude_defaults=True),
                          allow_unicode=True)


def test_accepting_a_finding(doors):
    d = doors(None)
    before = d["cli"].repo.load()
    d["cli"].cli("accept", KEY, "--reason", "Kampagne", "--by", WHO)
    web = d["werkstatt"].web
    page = web.get("/quartiere/brunnenstrasse").text
    r = web.post("/befunde/akzeptieren", data={"csrf": csrf(page), "befund": KEY,
                                               "quartier": "brunnenstrasse",
                                               "grund": "Kampagne"})
    assert r.status_code == 303
    r = d["api"].api("POST", "/api/v1/findings/accept",
                     json={"finding": KEY, "reason": "Kampagne"})
    assert r.status_code == 201, r.text
    _same_everywhere(d, before)


def _accepted(repo: SqliteRepository) -> None:
    accept_finding(repo, Principal(WHO, Role.COORDINATOR), KEY, "Kampagne", TODAY)


def test_lifting_an_acceptance(doors):
    d = doors(_accepted)
    before = d["cli"].repo.load()
    d["cli"].cli("unaccept", KEY, "--by", WHO)
    web = d["werkstatt"].web
    page = web.get("/quartiere/brunnenstrasse").text
    assert "Markierung aufheben" in page
    r = web.post("/befunde/markierung-aufheben", data={
        "csrf": csrf(page), "befund": KEY, "quartier": "brunnenstrasse"})
    assert r.status_code == 303
    r = d["api"].api("POST", "/api/v1/findings/unaccept", json={"finding": KEY})
    assert r.status_code == 200, r.text
    _same_everywhere(d, before)


def test_deciding_a_measure_on_a_finding(doors):
    d = doors(None)
    before = d["cli"].repo.load()
    d["cli"].cli("measures", "add", "--title", "Übergabeprotokoll erneuern", "--responsible",
                 "TEK Bornstraße 52", "--finding", EXPIRED, "--due", "2027-03-31",
                 "--by", WHO)
    web = d["werkstatt"].web
    page = web.get("/quartiere/brunnenstrasse").text
    assert "Maßnahme beschließen" in page
    r = web.post("/massnahmen/beschliessen", data={
        "csrf": csrf(page), "befund": EXPIRED, "quartier": "brunnenstrasse",
        "titel": "Übergabeprotokoll erneuern", "traeger": "tek-bornstrasse",
        "faellig": "31.03.2027"})
    assert r.status_code == 303
    r = d["api"].api("POST", "/api/v1/findings/measures", json={
        "title": "Übergabeprotokoll erneuern", "responsible": "tek-bornstrasse",
        "findings": [EXPIRED], "due": "2027-03-31"})
    assert r.status_code == 201, r.text
    _same_everywhere(d, before)


def _measure(repo: SqliteRepository) -> None:
    from api.usecases.measures import decide_measure

    decide_measure(repo, Principal(WHO, Role.COORDINATOR), "Protokoll", "tek-bornstrasse",
                   TODAY, findings=[EXPIRED])


def test_following_up_a_measure(doors):
    d = doors(_measure)
    before = d["cli"].repo.load()
    d["cli"].cli("measures", "status", "massnahme-1", "in Arbeit", "--by", WHO)
    web = d["werkstatt"].web
    page = web.get("/massnahmen").text
    assert "Protokoll" in page
    r = web.post("/massnahmen/massnahme-1/nachhalten", data={
        "csrf": csrf(page), "version": "1", "status": "in_progress"})
    assert r.status_code == 303
    r = d["api"].api("PATCH", "/api/v1/measures/massnahme-1", json={"status": "in_progress"},
                     headers={"If-Match": '"1"'})
    assert r.status_code == 200, r.text
    _same_everywhere(d, before)


def _backed_up_then_changed(repo: SqliteRepository) -> None:
    new_backup(repo, Principal(WHO, Role.COORDINATOR))
    flow = repo.load().referral_flows[0]
    repo.apply(Edit("referral_flows", flow.key, None, "test"))


def test_restoring_a_backup(doors):
    d = doors(_backed_up_then_changed)
    before = d["cli"].repo.load()
    names = {n: next(p.name for p in (door.folder / "sicherungen").glob("*.sqlite"))
             for n, door in d.items()}
    d["cli"].cli("restore", names["cli"])
    web = d["werkstatt"].web
    page = web.get(f"/sicherungen/{names['werkstatt']}").text
    version = re.search(r'name="stand" value="(\d+)"', page)
    assert version
    r = web.post("/sicherungen/zurueckholen", data={
        "csrf": csrf(page), "datei": names["werkstatt"], "stand": version.group(1)})
    assert r.status_code == 303
    r = d["api"].api("POST", f"/api/v1/backups/{names['api']}/restore",
                     headers={"If-Match": d["api"].etag()})
    assert r.status_code == 200, r.text
    _same_everywhere(d, before)


def _changed_once(repo: SqliteRepository) -> None:
    flow = repo.load().referral_flows[0]
    repo.apply(Edit("referral_flows", flow.key, None, "test"))


def test_undoing_one_change(doors):
    d = doors(_changed_once)
    before = d["cli"].repo.load()
    d["cli"].cli("undo", "2", "--by", WHO)
    web = d["werkstatt"].web
    page = web.get("/verlauf").text
    assert "Rückgängig machen" in page
    r = web.post("/verlauf/rueckgaengig", data={"csrf": csrf(page), "nr": "2"})
    assert r.status_code == 303
    r = d["api"].api("POST", "/api/v1/audit/2/undo")
    assert r.status_code == 200, r.text
    _same_everywhere(d, before)
    assert len(SqliteRepository(d["api"].repo.path).load().referral_flows) == \
        len(load_seed("brunnenstrasse").referral_flows)


def test_a_change_made_since_is_never_undone(doors):
    """Undo refuses when the entry was changed again afterwards – through every door."""
    def twice(repo: SqliteRepository) -> None:
        t = repo.load().transition_index[T]
        repo.apply(Edit("transitions", T, t.model_copy(update={"owner": None}), "test"))
        repo.apply(Edit("transitions", T, t, "test"))

    d = doors(twice)
    result = lotse("undo", "2", "--store", str(d["cli"].repo.path), cwd=d["cli"].folder)
    assert result.returncode == 1 and "noch einmal geändert" in result.stderr
    page = d["werkstatt"].web.get("/verlauf").text
    assert page.count("Rückgängig machen<span") == 1  # only the last one
    assert d["api"].api("POST", "/api/v1/audit/2/undo").status_code == 409
