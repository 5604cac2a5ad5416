"""Shared fixtures: small hand-made networks, the seeds and a real Neo4j server."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from graph.model import Agreement, District, Municipality, Provider, Quarter, Service, Transition
from graph.network import Network

settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci")

AS_OF = dt.date(2026, 11, 22)


def mini_network(**overrides: Any) -> Network:
    """Babylotsen → Familienhebamme → Kita in one quarter, with one agreement."""
    data: dict[str, Any] = {
        "name": "Mini-Kette",
        "municipalities": [Municipality(id="do", name="Dortmund")],
        "districts": [District(id="nord", name="Innenstadt-Nord", municipality="do")],
        "quarters": [Quarter(id="q", name="Brunnenstraßenviertel", district="nord")],
        "providers": [Provider(id="klinik", name="Geburtsklinik", kind="health"),
                      Provider(id="ja", name="Jugendamt", kind="public",
                               anchor="youth_welfare_service"),
                      Provider(id="awo", name="AWO Dortmund", kind="free_welfare",
                               anchor="kita")],
        "services": [
            Service(id="babylotsen", name="Babylotsen", provider="klinik", quarters=["q"],
                    life_stages=["birth"], fields=["health"]),
            Service(id="hebamme", name="Familienhebamme", provider="ja", quarters=["q"],
                    life_stages=["infant"], fields=["health"]),
            Service(id="kita", name="Kita", provider="awo", quarters=["q"],
                    life_stages=["preschool"], fields=["education"]),
        ],
        "transitions": [
            Transition(id="t1", source="babylotsen", target="hebamme", kind="warm_handoff",
                       owner="klinik", agreements=["a1"]),
            Transition(id="t2", source="hebamme", target="kita", owner="ja", agreements=["a1"]),
        ],
        "agreements": [Agreement(id="a1", name="Netzwerk Frühe Hilfen", kind="kkg_3",
                                 parties=["klinik", "ja", "awo"],
                                 valid_from=dt.date(2020, 1, 1))],
    }
    data.update(overrides)
    return Network(**data)


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A folder whose default store (lotse-speicher.sqlite) holds the dortmund seed, loaded by
    the real console script."""
    from tests.test_cli import lotse

    assert lotse("load", "dortmund", cwd=tmp_path).returncode == 0
    return tmp_path


@pytest.fixture
def mini() -> Network:
    return mini_network()


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))


@pytest.fixture(scope="session")
def neo4j_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Neo4j 5.26 server for the session: the one named by LOTSE_NEO4J_URI, or one
    this fixture starts from the Maven jars (and stops afterwards). A server that cannot
    start fails the tests that need it – they are never skipped."""
    if os.environ.get("LOTSE_NEO4J_URI"):
        yield os.environ["LOTSE_NEO4J_URI"]
        return
    import neo4j_server

    home = tmp_path_factory.mktemp("neo4j")
    server = neo4j_server.start(home)
    os.environ.update(server.env())
    try:
        yield server.uri
    finally:
        neo4j_server.stop(home)
        for key in server.env():
            os.environ.pop(key, None)
