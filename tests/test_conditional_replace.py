"""A conditional write that replaces the whole network (``PUT /api/v1/network`` with
If-Match, restoring a backup, "Import übernehmen", a merge with an ETag) is decided in
the store's own transaction: a change another process confirmed in between is never
overwritten (issue 32, point 1).

The first tests are exact: a second repository on the same database file (another
process, as far as SQLite is concerned) writes just before the replacing transaction
begins – after every check the server could make in its own process. The last one is
the set-up the issue measured: two real ``lotse serve`` on one SQLite store.
"""

from __future__ import annotations

import random
import threading
from pathlib import Path
from typing import Any

import pytest

from api.usecases.backups import restore
from api.usecases.files import Incoming
from api.usecases.imports import merge_file, take_over
from api.usecases.roles import Principal, Role
from api.web.state import StoreState
from graph.backends.sqlite import SqliteRepository
from graph.backup import make_backup
from graph.errors import ConflictError
from graph.journal import Edit
from graph.network import Network
from graph.repository import ReplaceCheck
from seeds import load_seed
from tests.test_cli import lotse
from tests.test_sqlite_serve import web
from tests.werkstatt import served

KOORDINATION = Principal("koordination", Role.COORDINATOR)


class OtherProcessWritesFirst(SqliteRepository):
    """A store whose ``replace`` lets another process (its own connection to the file)
    confirm one change just before the replacing transaction starts."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.other = SqliteRepository(path)
        self.confirmed: list[int] = []

    def replace(self, network: Network, actor: str, *, note: dict[str, Any] | None = None,
                check: ReplaceCheck | None = None) -> Any:
        current = self.other.load()
        service = current.services[0]
        entry = self.other.change(Edit("services", service.id, service.model_copy(
            update={"name": "Von nebenan geändert"}), "nebenan"))
        self.confirmed.append(entry.seq)
        return super().replace(network, actor, note=note, check=check)


@pytest.fixture
def racing(tmp_path: Path) -> OtherProcessWritesFirst:
    first = SqliteRepository(tmp_path / "speicher.sqlite")
    first.save(load_seed("brunnenstrasse"))
    first.close()
    return OtherProcessWritesFirst(tmp_path / "speicher.sqlite")


def _kept(repo: SqliteRepository) -> bool:
    """The other process's confirmed change is still there."""
    fresh = SqliteRepository(repo.path)
    try:
        return fresh.load().services[0].name == "Von nebenan geändert"
    finally:
        fresh.close()


def test_a_replace_with_a_version_never_reverts_a_write_of_another_process(racing):
    state = StoreState(racing)
    seen = state.snapshot()
    with pytest.raises(ConflictError, match="inzwischen geändert"):
        take_over(state, KOORDINATION, seen.network, expected_version=seen.version)
    assert racing.confirmed and _kept(racing)
    assert racing.journal().entries[-1].actor == "nebenan"


def test_taking_over_an_import_preview_names_the_preview(racing):
    state = StoreState(racing)
    seen = state.snapshot()
    with pytest.raises(ConflictError, match="Seit der Vorschau"):
        take_over(state, KOORDINATION, seen.network, expected_version=seen.version,
                  conflict="Seit der Vorschau hat jemand die Kette geändert.")
    assert _kept(racing)


def test_restoring_a_backup_never_reverts_a_write_of_another_process(racing):
    backup = make_backup(racing)
    state = StoreState(racing)
    with pytest.raises(ConflictError, match="nichts wurde zurückgeholt"):
        restore(state, KOORDINATION, backup.name, state.snapshot().version)
    assert _kept(racing)


def test_a_merge_at_an_etag_never_reverts_a_write_of_another_process(racing):
    state = StoreState(racing)
    seen = state.snapshot()
    incoming = seen.network.model_copy(update={"services": [
        seen.network.services[1].model_copy(update={"name": "Neu aus der Datei"})]})
    with pytest.raises(ConflictError, match="Seit dem Export"):
        merge_file(state, KOORDINATION, Incoming(incoming, "document", "kette.yaml"),
                   expected_version=seen.version)
    assert _kept(racing)


def test_without_a_condition_the_replace_goes_through(racing):
    """The command line's ``lotse import`` replaces on purpose: no version, no refusal."""
    state = StoreState(racing)
    entry = take_over(state, KOORDINATION, load_seed("brunnenstrasse")).entry
    assert entry.seq == racing.confirmed[-1] + 1


def test_two_servers_on_one_store_lose_no_confirmed_write(tmp_path):
    """Server one replaces the network again and again with a fresh If-Match while
    server two confirms edits: every replace that went through was made on exactly the
    state before it (its entry follows the version it named), so it overwrote nothing."""
    assert lotse("load", "brunnenstrasse", cwd=tmp_path).returncode == 0
    added = lotse("token", "add", "koordination", "--role", "coordinator", cwd=tmp_path)
    auth = {"Authorization": f"Bearer {added.stdout.strip().splitlines()[-1]}"}
    replaced: list[tuple[int, int]] = []  # (If-Match, the replace's own entry)
    confirmed: list[tuple[int, str]] = []  # (entry of the edit, the name it set)
    stop = threading.Event()
    with served(tmp_path, "--tokens", "tokens.yaml") as one, \
            served(tmp_path, "--tokens", "tokens.yaml") as two:
        service = "/api/v1/services/babylotsen"

        def edits() -> None:
            n = 0
            while not stop.is_set():
                n += 1
                got = web.get(two + service, headers=auth)
                name = f"Babylotsen {n}"
                put = web.put(two + service, json=dict(got.json()["data"], name=name),
                              headers={**auth, "If-Match": got.headers["etag"]})
                if put.status_code == 200:
                    confirmed.append((int(put.headers["etag"].strip('"')), name))
                stop.wait(random.uniform(0, 0.05))  # now and then a replace gets through

        writer = threading.Thread(target=edits)
        writer.start()
        try:
            for _ in range(40):
                got = web.get(one + "/api/v1/network", headers=auth)
                version = int(got.headers["etag"].strip('"'))
                put = web.put(one + "/api/v1/network", json=got.json(),
                              headers={**auth, "If-Match": got.headers["etag"]})
                assert put.status_code in (200, 409), put.body
                if put.status_code == 200:
                    replaced.append((version, put.json()["seq"]))
        finally:
            stop.set()
            writer.join()
    assert replaced and confirmed
    assert all(entry == version + 1 for version, entry in replaced), replaced
    with SqliteRepository(tmp_path / "lotse-speicher.sqlite") as repo:
        final = repo.get("services", "babylotsen")
        # a replace after the last edit was made on a state that had it
        assert final.name == max(confirmed)[1]  # type: ignore[attr-defined]
