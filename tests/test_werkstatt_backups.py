"""Sicherungen in the Werkstatt: the coordination sees the backups, brings one back after a
confirmation page, and the state before is kept; other roles only read the list; a name
that is not in the list, a stale page or a forged request changes nothing."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.backends.sqlite import SqliteRepository
from graph.backup import list_backups, make_backup
from seeds import load_seed
from tests.werkstatt import csrf, log_in, werkstatt


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[SqliteRepository]:
    store = SqliteRepository(tmp_path / "speicher.sqlite")
    store.replace(load_seed("brunnenstrasse"), "test")
    yield store
    store.close()


def _client(repo: Any, tmp_path: Path, who: str = "koordination") -> Any:
    client = werkstatt(repo, tmp_path)
    assert log_in(client, who).status_code == 303
    return client


def test_coordination_restores_a_backup_after_confirming(repo: SqliteRepository,
                                                         tmp_path: Path) -> None:
    first = make_backup(repo)
    repo.replace(load_seed("dortmund"), "test")
    client = _client(repo, tmp_path)
    listing = client.get("/sicherungen")
    assert listing.status_code == 200
    text = html.unescape(listing.text)
    assert "1 Sicherung, die neueste zuerst" in text and "manuell" in text
    assert "Brunnenstraßen-/Hannibalviertel" in text or load_seed("brunnenstrasse").name in text
    confirm = client.get(f"/sicherungen/{first.name}")
    assert confirm.status_code == 200 and "Ja, diesen Stand zurückholen" in confirm.text
    done = client.post("/sicherungen/zurueckholen", data={
        "csrf": csrf(confirm.text), "datei": first.name,
        "stand": str(repo.journal().next_seq - 1)})
    assert done.status_code == 303
    assert repo.load().name == load_seed("brunnenstrasse").name
    assert [b.reason for b in list_backups(repo.path)] == ["manuell", "vor Wiederherstellung"]
    after = html.unescape(client.get("/sicherungen").text)
    assert "ist zurückgeholt" in after and "vor Wiederherstellung" in after
    entry = repo.journal().entries[-1]
    assert entry.actor == "koordination" and (entry.after or {}).get("restored_from") == \
        first.name


def test_a_stale_page_unknown_name_or_forged_request_changes_nothing(
        repo: SqliteRepository, tmp_path: Path) -> None:
    first = make_backup(repo)
    client = _client(repo, tmp_path)
    token = csrf(client.get(f"/sicherungen/{first.name}").text)
    seen = repo.journal().next_seq - 1
    repo.replace(load_seed("dortmund"), "jemand anders")  # meanwhile
    stale = client.post("/sicherungen/zurueckholen",
                        data={"csrf": token, "datei": first.name, "stand": str(seen)})
    assert stale.status_code == 303
    assert repo.load().name == load_seed("dortmund").name
    assert "nichts wurde zurückgeholt" in html.unescape(client.get("/sicherungen").text)
    unknown = client.get("/sicherungen/..%2Fspeicher.sqlite")
    assert unknown.status_code == 404
    outside = client.post("/sicherungen/zurueckholen", data={
        "csrf": token, "datei": "../speicher.sqlite", "stand": str(seen + 1)})
    assert outside.status_code == 404 and "Sicherung" in html.unescape(outside.text)
    forged = client.post("/sicherungen/zurueckholen",
                         data={"datei": first.name, "stand": str(seen + 1)})
    assert forged.status_code == 403
    assert repo.load().name == load_seed("dortmund").name


def test_other_roles_read_the_list_but_cannot_restore(repo: SqliteRepository,
                                                       tmp_path: Path) -> None:
    first = make_backup(repo)
    client = _client(repo, tmp_path, "nord")
    listing = html.unescape(client.get("/sicherungen").text)
    assert "darf die Koordination" in listing and "Zurückholen …" not in listing
    assert client.get(f"/sicherungen/{first.name}").status_code == 403
    token = csrf(client.get("/sicherungen").text)
    refused = client.post("/sicherungen/zurueckholen", data={
        "csrf": token, "datei": first.name, "stand": str(repo.journal().next_seq - 1)})
    assert refused.status_code == 403
    assert len(list_backups(repo.path)) == 1
