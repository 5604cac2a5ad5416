"""Issue 18, ``lotse check`` over a Land network: the quick-start file beside a SQLite
store (graph.snapshot) gives exactly the network and findings the store gives, is used
only for the very state it was made from, and a damaged or planted file is read past
without running anything."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import time
from pathlib import Path

import pytest

from graph import snapshot
from graph.backends.sqlite import SqliteRepository
from graph.journal import Edit
from graph.network import Network
from lotsen.check import check
from lotsen.index import _CACHE_KEY, ChainIndex, get_index
from seeds import load_seed
from seeds.synthetic import generate

DAY = dt.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def _small_networks_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test networks are small: let them have a quick-start file, as a command would."""
    monkeypatch.setattr(snapshot, "MIN_ENTITIES", 1)
    snapshot.collect_pending()
    snapshot.take_pending()
    yield
    snapshot.take_pending()
    snapshot.collect_pending(False)


def _findings(net: Network) -> list[dict[str, object]]:
    return [f.to_dict() for f in check(net, DAY)]


def _store(tmp_path: Path, net: Network) -> Path:
    path = tmp_path / "kette.sqlite"
    with SqliteRepository(path) as repo:
        repo.save(net)
    return path


def _load(path: Path) -> tuple[Network, bool]:
    """The network and whether it came from the quick-start file (a full read notes the
    network for one)."""
    snapshot.take_pending()
    with SqliteRepository(path) as repo:
        net = repo.load()
    return net, not snapshot._pending


@pytest.mark.parametrize("make", [lambda: load_seed("dortmund"),
                                  lambda: generate(quarters=4, services_per_quarter=30,
                                                   seed=2).network])
def test_the_quick_start_file_gives_the_same_network_index_and_findings(
        tmp_path: Path, make: object) -> None:
    original = make()  # type: ignore[operator]
    path = _store(tmp_path, original)
    first, from_file = _load(path)
    assert not from_file and not snapshot.snapshot_path(path).exists()
    expected = _findings(first)  # builds the index: it goes into the file as well
    assert snapshot.write_pending(background=False) == 1
    assert snapshot.snapshot_path(path).exists()
    second, from_file = _load(path)
    assert from_file
    assert second == original
    assert isinstance(second.cache.get(_CACHE_KEY), ChainIndex)  # carried, not rebuilt
    idx = get_index(second)
    assert idx.net is second and idx.services is second.service_index
    ids = {id(s) for s in second.services}
    assert all(id(s) in ids for s in idx.dated)  # the network's own entities, not copies
    assert _findings(second) == expected
    fresh = Network.model_construct(  # the same network without the carried index
        **{name: getattr(second, name) for name in Network.model_fields})
    assert _findings(fresh) == expected


def test_a_change_to_the_store_makes_the_file_stale(tmp_path: Path) -> None:
    net = load_seed("dortmund")
    path = _store(tmp_path, net)
    _load(path)
    snapshot.write_pending(background=False)
    service = net.services[0]
    with SqliteRepository(path) as repo:
        repo.apply(Edit("services", service.id,
                        service.model_copy(update={"name": "Neuer Name"}), "test"))
    changed, from_file = _load(path)
    assert not from_file
    assert changed.service_index[service.id].name == "Neuer Name"


def test_code_of_another_version_does_not_use_the_file(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    path = _store(tmp_path, load_seed("dortmund"))
    _load(path)
    snapshot.write_pending(background=False)
    monkeypatch.setattr(snapshot, "_fingerprint", lambda: "eine andere Version")
    assert not _load(path)[1]


def _header_of(path: Path) -> bytes:
    data = snapshot.snapshot_path(path).read_bytes()
    length = int.from_bytes(data[len(snapshot.MAGIC):len(snapshot.MAGIC) + 8], "little")
    return data[:len(snapshot.MAGIC) + 8 + length]


class _Planted:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, ("touch geplant.txt",)


def test_a_planted_or_damaged_file_is_read_past(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    net = load_seed("dortmund")
    path = _store(tmp_path, net)
    _load(path)
    snapshot.write_pending(background=False)
    header = _header_of(path)
    target = snapshot.snapshot_path(path)
    monkeypatch.chdir(tmp_path)
    for payload in (pickle.dumps(_Planted()),  # would run a command
                    pickle.dumps((_Planted(), {})),
                    target.read_bytes()[len(header):][:1000],  # cut short
                    b"kein pickle"):
        target.write_bytes(header + payload)
        loaded, from_file = _load(path)
        assert not from_file
        assert loaded == net
    assert not (tmp_path / "geplant.txt").exists()


def test_written_in_the_background_by_a_child_process(tmp_path: Path) -> None:
    net = generate(quarters=2, services_per_quarter=20, seed=1).network
    path = _store(tmp_path, net)
    _load(path)
    pending = snapshot.take_pending()
    pid = snapshot._in_background(lambda: [snapshot.write_snapshot(*p) for p in pending])
    assert pid
    os.waitpid(pid, 0)
    deadline = time.monotonic() + 30
    while not snapshot.snapshot_path(path).exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _load(path)[1]
    assert not list(tmp_path.glob(".*.tmp"))  # written aside, then renamed


def test_a_server_notes_nothing(tmp_path: Path) -> None:
    """The server does not collect: its notes would keep earlier networks alive."""
    snapshot.collect_pending(False)
    path = _store(tmp_path, load_seed("dortmund"))
    with SqliteRepository(path) as repo:
        repo.load()
    assert snapshot.take_pending() == []


def test_a_file_that_sets_attributes_on_a_class_is_undone(tmp_path: Path) -> None:
    """pickle's BUILD on a class the unpickler allows would set class attributes."""
    from graph.shared_list import SharedList

    path = _store(tmp_path, load_seed("dortmund"))
    _load(path)
    snapshot.write_pending(background=False)
    header = _header_of(path)
    append = SharedList.append
    payload = (b"\x80\x05\x8c\x11graph.shared_list\x94\x8c\nSharedList\x94\x93\x94"
               b"N}\x8c\x06append\x94K\x01s\x86b.")  # SharedList, BUILD (None, {append: 1})
    snapshot.snapshot_path(path).write_bytes(header + payload)
    loaded, from_file = _load(path)
    assert not from_file and loaded == load_seed("dortmund")
    assert SharedList.append is append


def test_a_command_never_fails_because_of_the_cache(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = _store(tmp_path, load_seed("dortmund"))
    _load(path)

    def no_fork() -> int:
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    assert snapshot.write_pending(background=True) == 0
