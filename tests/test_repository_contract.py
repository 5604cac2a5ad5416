"""The storage contract: every backend passes the same tests.

Backends: the embedded store in memory only (the unit-test fake), kept in a file, and a
real Neo4j server.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.backends.memory import MemoryRepository
from graph.errors import InvalidNetworkError, NotFoundError, StoreError
from graph.model import Provider, Service
from graph.network import Network
from graph.repository import Repository
from seeds import load_seed
from tests.conftest import mini_network


@pytest.fixture(params=["memory", "file", "neo4j"])
def repo(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Repository]:
    if request.param == "memory":
        yield MemoryRepository()
    elif request.param == "file":
        yield MemoryRepository(tmp_path / "speicher.json")
    else:
        from graph.backends.neo4j import Neo4jRepository

        uri = request.getfixturevalue("neo4j_uri")
        with Neo4jRepository.from_uri(uri) as neo:
            neo.clear()
            yield neo


def test_is_a_repository(repo):
    assert isinstance(repo, Repository)


def test_empty_store_says_what_to_do(repo):
    assert repo.is_empty()
    with pytest.raises(StoreError, match="lotse load brunnenstrasse"):
        repo.load()


def test_save_and_load_round_trip(repo):
    net = load_seed("dortmund")
    repo.save(net)
    assert not repo.is_empty()
    assert repo.load() == net


def test_save_replaces_whole_network(repo):
    repo.save(load_seed("dortmund"))
    unna = load_seed("unna")
    repo.save(unna)
    assert repo.load() == unna


def test_get_entity_and_unknown_id(repo, mini):
    repo.save(mini)
    assert repo.get("services", "kita").name == "Kita"  # type: ignore[attr-defined]
    with pytest.raises(NotFoundError, match=r"Angebot 'kitta' ist unbekannt\. Meinten Sie 'kita'"):
        repo.get("services", "kitta")


def test_put_adds_and_replaces(repo, mini):
    repo.save(mini)
    new = Service(id="griffbereit", name="Griffbereit", provider="awo", quarters=["q"],
                  life_stages=["toddler"], fields=["education"])
    repo.put("services", new)
    assert repo.get("services", "griffbereit") == new
    renamed = new.model_copy(update={"name": "Griffbereit – Baby-Eltern-Treff"})
    after = repo.put("services", renamed)
    assert [s.name for s in after.services].count("Griffbereit – Baby-Eltern-Treff") == 1
    assert repo.load() == after


def test_invalid_put_changes_nothing(repo, mini):
    repo.save(mini)
    broken = Service(id="x", name="X", provider="unbekannt", quarters=["q"],
                     life_stages=["toddler"], fields=["education"])
    with pytest.raises(InvalidNetworkError, match="Träger 'unbekannt' ist unbekannt"):
        repo.put("services", broken)
    assert repo.load() == mini


def test_delete_and_refused_delete(repo, mini):
    repo.save(mini)
    with pytest.raises(InvalidNetworkError):
        repo.delete("providers", "awo")  # the Kita still references it
    assert repo.load() == mini
    after = repo.delete("transitions", "t2")
    assert [t.id for t in after.transitions] == ["t1"]
    assert repo.load() == after
    with pytest.raises(NotFoundError):
        repo.delete("transitions", "t2")


def test_put_on_empty_store_is_refused(repo):
    with pytest.raises(StoreError):
        repo.put("providers", Provider(id="p", name="P", kind="public"))
    assert repo.is_empty()


def test_location_is_readable(repo):
    assert isinstance(repo.location, str) and repo.location


def test_empty_network_round_trip(repo):
    net = Network(name="Leeres Quartier")
    repo.save(net)
    assert repo.load() == net


def test_restricted_seed_round_trip(repo):
    net = mini_network()
    repo.save(net)
    assert repo.load().restricted_to(["q"]) == net
