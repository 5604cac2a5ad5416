"""Two ``lotse serve`` processes and the command line on one SQLite database: each sees
the others' changes, a stale version gets 409, nothing is lost. Real processes, HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from graph.backends.sqlite import SqliteRepository
from tests.test_cli import lotse
from tests.werkstatt import served


@dataclass
class Reply:
    status_code: int
    headers: Any
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def _request(method: str, url: str, headers: dict[str, str], body: Any = None) -> Reply:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={
        **headers, **({"Content-Type": "application/json"} if data else {})})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return Reply(exc.code, exc.headers, exc.read())


class web:  # the two calls this test needs, over urllib
    @staticmethod
    def get(url: str, headers: dict[str, str]) -> Reply:
        return _request("GET", url, headers)

    @staticmethod
    def put(url: str, headers: dict[str, str], json: Any) -> Reply:
        return _request("PUT", url, headers, json)


def test_two_servers_and_the_cli_share_one_database(tmp_path):
    assert lotse("load", "dortmund", cwd=tmp_path).returncode == 0
    added = lotse("token", "add", "koordination", "--role", "coordinator", cwd=tmp_path)
    token = added.stdout.strip().splitlines()[-1]
    auth = {"Authorization": f"Bearer {token}"}
    path = "/api/v1/services/kita-bornstrasse"
    with served(tmp_path, "--tokens", "tokens.yaml") as one, \
            served(tmp_path, "--tokens", "tokens.yaml") as two:
        first = web.get(one + path, headers=auth)
        data, etag = first.json()["data"], first.headers["etag"]
        assert web.get(two + path, headers=auth).headers["etag"] == etag
        changed = web.put(one + path, headers={**auth, "If-Match": etag},
                            json=dict(data, capacity_per_year=90))
        assert changed.status_code == 200, changed.text
        stale = web.put(two + path, headers={**auth, "If-Match": etag},
                          json=dict(data, capacity_per_year=10))
        assert stale.status_code == 409 and "Version 2" in stale.json()["message"]
        seen = web.get(two + path, headers=auth)  # the other worker reads the change
        assert seen.json()["data"]["capacity_per_year"] == 90 and seen.headers["etag"] == '"2"'
        cli = lotse("accept", "PEARL/sprachbilderbuecher", "--reason", "Kampagne", "--by",
                    "Koordination", cwd=tmp_path)  # the command line writes meanwhile
        assert cli.returncode == 0, cli.stderr
        audit = web.get(one + "/api/v1/audit", headers=auth)
        assert audit.status_code == 200, audit.text
        again = web.put(two + path, headers={**auth, "If-Match": '"2"'},
                          json=dict(data, capacity_per_year=95))
        assert again.status_code == 200, again.text
    with SqliteRepository(tmp_path / "lotse-speicher.sqlite") as repo:
        entries = repo.journal().entries
        assert [e.seq for e in entries] == [1, 2, 3, 4]
        assert [(e.section, e.action) for e in entries[1:]] == [
            ("services", "update"), ("accepted_findings", "create"), ("services", "update")]
        assert repo.integrity() == "ok"
