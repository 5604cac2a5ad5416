"""Issue 18, server memory: a network read from a SQLite store holds each list of strings
once (shared and unchangeable), each id once, and each set of given fields once; yet it
behaves like the network the full pydantic path makes – equal, dumpable, copyable,
changeable through the store – and nobody can change a shared list by accident."""

from __future__ import annotations

import copy
import json
import pickle
import sqlite3
from pathlib import Path

import pytest

from graph.backends import sqlite_rows
from graph.backends.sqlite import SqliteRepository
from graph.journal import Edit
from graph.network import Network
from graph.shared_list import SharedList
from lotsen.check import check
from seeds import load_seed
from seeds.synthetic import generate


def _read(tmp_path: Path, net: Network) -> Network:
    path = tmp_path / "kette.sqlite"
    with SqliteRepository(path) as repo:
        repo.save(net)
    conn = sqlite3.connect(path)
    try:
        header = json.loads(sqlite_rows.meta(conn, "network") or "{}")
        read = sqlite_rows._read_trusted(conn, header)
    finally:
        conn.close()
    assert read is not None, "the store's own rows are read the compact way"
    return read[0]


@pytest.fixture
def generated() -> Network:
    return generate(quarters=3, services_per_quarter=30, seed=4).network


def test_equal_lists_are_one_shared_list_and_ids_one_string(tmp_path: Path,
                                                            generated: Network) -> None:
    net = _read(tmp_path, generated)
    by_content: dict[tuple[str, ...], list[str]] = {}
    for s in net.services:
        for lst in (s.quarters, s.life_stages, s.fields, s.languages, s.access):
            assert type(lst) is SharedList
            assert by_content.setdefault(tuple(lst), lst) is lst
    services = net.service_index
    for t in net.transitions:
        assert t.source is services[t.source].id  # a reference is the id's own string
        assert t.handover is net.transitions[0].handover or t.handover  # [] is one list
    sets = {id(e.__pydantic_fields_set__) for e in net.services}
    assert len(sets) < len(net.services) / 10


def test_a_shared_list_cannot_be_changed_in_place(tmp_path: Path, generated: Network) -> None:
    net = _read(tmp_path, generated)
    quarters = net.services[0].quarters
    before = [list(s.quarters) for s in net.services]
    for change in (lambda x: x.append("q9"), lambda x: x.extend(["q9"]),
                   lambda x: x.__setitem__(0, "q9"), lambda x: x.pop(), lambda x: x.clear(),
                   lambda x: x.sort(), lambda x: x.remove(x[0]), lambda x: x.__iadd__(["q"])):
        with pytest.raises(TypeError, match="bitte erst kopieren"):
            change(quarters)
    assert [list(s.quarters) for s in net.services] == before


def test_the_compact_network_behaves_like_the_validated_one(tmp_path: Path,
                                                             generated: Network) -> None:
    net = _read(tmp_path, generated)
    assert net == generated
    service = net.services[0]
    assert service.model_dump(mode="json") == generated.services[0].model_dump(mode="json")
    assert json.loads(service.model_dump_json()) == service.model_dump(mode="json")
    changed = service.model_copy(update={"quarters": [*service.quarters, "x"]})
    assert changed.quarters[-1] == "x" and "x" not in service.quarters
    assert changed.__pydantic_fields_set__ is not service.__pydantic_fields_set__
    for other in (copy.copy(service.quarters), copy.deepcopy(service.quarters),
                  pickle.loads(pickle.dumps(service.quarters)), list(service.quarters)):
        assert type(other) is list
        other.append("x")  # a copy is an ordinary list again
    assert pickle.loads(pickle.dumps(service)) == service


def test_findings_and_changes_on_the_compact_network(tmp_path: Path) -> None:
    seed = load_seed("dortmund")
    path = tmp_path / "kette.sqlite"
    with SqliteRepository(path) as repo:
        repo.save(seed)
    with SqliteRepository(path) as repo:
        net = repo.load()
        assert [f.to_dict() for f in check(net)] == [f.to_dict() for f in check(seed)]
        service = net.services[0]
        repo.apply(Edit("services", service.id, service.model_copy(
            update={"languages": [*service.languages, "uk"]}), "test"))
    with SqliteRepository(path) as repo:
        assert "uk" in repo.load().service_index[service.id].languages
