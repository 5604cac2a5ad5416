"""The web API of a fresh store seeded with one example network, called as a named token
holder – shared by the API test files (tests/test_api.py, tests/test_hardening.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.web.app import create_app
from api.web.settings import ApiSettings
from graph.backends.memory import MemoryRepository
from seeds import load_seed


class Api:
    """``api("quartier-brunnen", "GET", "/api/v1/...")``: a request with that holder's token
    (``None``: without one)."""

    def __init__(self, client: TestClient, plain: dict[str, str]) -> None:
        self.client, self.plain = client, plain

    def __call__(self, who: str | None, method: str, url: str, **kw: Any) -> Any:
        headers = dict(kw.pop("headers", {}))
        if who is not None:
            headers["Authorization"] = f"Bearer {self.plain[who]}"
        return self.client.request(method, url, headers=headers, **kw)


def seeded_repository(kind: str, request: pytest.FixtureRequest, folder: Path) -> Any:
    """A store of ``kind`` (memory, file, sqlite, neo4j) holding the Dortmund example."""
    if kind == "memory":
        repo: Any = MemoryRepository()
    elif kind == "file":
        repo = MemoryRepository(folder / "speicher.json")
    elif kind == "sqlite":
        from graph.backends.sqlite import SqliteRepository

        repo = SqliteRepository(folder / "speicher.sqlite")
    else:
        from graph.backends.neo4j import Neo4jRepository

        repo = Neo4jRepository.from_uri(request.getfixturevalue("neo4j_uri"))
        repo.clear()
    repo.replace(load_seed("dortmund"), "test")
    return repo


@contextmanager
def api_on(kind: str, request: pytest.FixtureRequest, folder: Path,
           tokens: tuple[Path, dict[str, str]]) -> Iterator[Api]:
    """The API of the whole app over a seeded store of ``kind``, closed afterwards."""
    path, plain = tokens
    repo = seeded_repository(kind, request, folder)
    app = create_app(ApiSettings(store="unbenutzt.json", tokens_file=path), repo=repo)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(client, plain)
    if hasattr(repo, "close"):
        repo.close()
