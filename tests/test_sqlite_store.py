"""The SQLite store beyond the contract: memory kept current, other processes, busy
timeout, the quarter index, migration from the JSON store. Real files, real processes."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings

from graph.backends.memory import MemoryRepository
from graph.backends.sqlite import SqliteRepository
from graph.errors import ConflictError, StoreCorruptError, StoreError, StoreLockedError
from graph.journal import Edit
from graph.migration import migrate_store
from graph.model import Service
from graph.property_graph import to_networkx
from seeds import load_seed
from tests.strategies import networks

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"


def _python(script: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)


def test_a_local_change_needs_no_reload(tmp_path, mini):
    repo = SqliteRepository(tmp_path / "s.sqlite")
    repo.save(mini)
    kita = repo.get("services", "kita")
    new, _ = repo.apply(Edit("services", "kita", kita.model_copy(update={"name": "K2"}), "x",
                             expected_version=1))
    assert repo.load() is new  # the changed network itself, not read back


def test_the_graph_is_kept_current_by_changes(tmp_path):
    repo = SqliteRepository(tmp_path / "s.sqlite")
    repo.save(load_seed("brunnenstrasse"))
    g = repo.graph
    net = repo.load()
    kita = net.get("services", "kita-bornstrasse")
    assert isinstance(kita, Service)
    changed = kita.model_copy(update={"name": "Kita Neu", "quarters": kita.quarters[:1],
                                      "life_stages": ["preschool"]})
    repo.put("services", changed)
    counted = {f.transition for f in net.referral_flows}
    transition = next(t for t in net.transitions if t.id not in counted)
    repo.delete("transitions", transition.id)
    repo.put("transitions", transition.model_copy(update={"owner": None}))
    agreement = net.agreements[0]
    repo.put("agreements", agreement.model_copy(update={"parties": agreement.parties[:1]}))
    provider = net.providers[0]
    repo.put("providers", provider.model_copy(update={"name": "Umbenannt"}))
    quarter = net.quarters[0]
    repo.put("quarters", quarter.model_copy(update={"name": "Neues Viertel"}))
    assert repo.graph is g  # updated in place, not built again
    assert nx.utils.graphs_equal(g, to_networkx(repo.load()))
    assert g.nodes["kita-bornstrasse"]["name"] == "Kita Neu"


def test_a_change_by_another_process_is_read(tmp_path, mini):
    path = tmp_path / "s.sqlite"
    reader = SqliteRepository(path)
    SqliteRepository(path).save(mini)
    assert reader.load() == mini
    revision = reader.revision()
    other = SqliteRepository(path)
    kita = other.get("services", "kita")
    other.apply(Edit("services", "kita", kita.model_copy(update={"name": "Anders"}), "b",
                     expected_version=1))
    assert reader.revision() != revision
    assert reader.get("services", "kita").name == "Anders"  # type: ignore[attr-defined]
    assert [e.seq for e in reader.journal().entries] == [1, 2]
    with pytest.raises(ConflictError, match="Version 2"):  # stale across processes: 409
        reader.apply(Edit("services", "kita", kita.model_copy(update={"name": "X"}), "a",
                          expected_version=1))
    assert ConflictError.status == 409


def test_journal_is_read_incrementally_and_history_by_index(tmp_path, mini):
    repo = SqliteRepository(tmp_path / "s.sqlite")
    repo.replace(mini, "k")
    for i in range(5):
        kita = repo.get("services", "kita")
        repo.apply(Edit("services", "kita", kita.model_copy(update={"name": f"K{i}"}), "k"))
    again = SqliteRepository(tmp_path / "s.sqlite")
    assert [e.seq for e in again.journal().entries] == list(range(1, 7))
    assert [e.version for e in again.history("services", "kita")] == [2, 3, 4, 5, 6]
    assert again.journal().version("services", "kita") == 6


def test_audit_table_is_append_only(tmp_path, mini):
    path = tmp_path / "s.sqlite"
    SqliteRepository(path).save(mini)
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE audit SET actor = 'x'")
    conn.close()


def test_quarter_index_names_the_quarters_entities(tmp_path):
    repo = SqliteRepository(tmp_path / "s.sqlite")
    net = load_seed("dortmund")
    repo.save(net)
    quarter = net.quarters[0].id
    found = repo.quarter_entities(quarter)
    assert found["quarters"] == [quarter]
    assert sorted(found["services"]) == sorted(s.id for s in net.services_in(quarter))
    assert repo.integrity() == "ok"


HOLDER = textwrap.dedent("""
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    print("gesperrt", flush=True)
    time.sleep(float(sys.argv[2]))
    conn.execute("COMMIT")
""")


def test_busy_timeout_waits_then_says_so(tmp_path, mini):
    path = tmp_path / "s.sqlite"
    SqliteRepository(path).save(mini)
    holder = _python(HOLDER, str(path), "30")
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "gesperrt"
        repo = SqliteRepository(path, busy_timeout=0.3)
        assert repo.load() == mini  # readers never wait (WAL)
        started = time.monotonic()
        with pytest.raises(StoreLockedError, match="anderen Vorgang") as info:
            repo.delete("transitions", "t2")
        assert time.monotonic() - started >= 0.25 and info.value.status == 423
    finally:
        holder.kill()
        holder.communicate(timeout=10)
    # a short hold: the writer waits for it and gets in
    holder = _python(HOLDER, str(path), "0.5")
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "gesperrt"
        SqliteRepository(path, busy_timeout=10).delete("transitions", "t2")
    finally:
        holder.communicate(timeout=10)
    assert [t.id for t in SqliteRepository(path).load().transitions] == ["t1"]


def test_not_a_database_gets_a_clear_message(tmp_path):
    path = tmp_path / "s.sqlite"
    path.write_text('{"format": "lotsensystem-speicher"}', encoding="utf-8")
    with pytest.raises(StoreCorruptError, match="lotse migrate"):
        SqliteRepository(path).load()
    other = tmp_path / "fremd.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE meta (key TEXT, value TEXT)").connection \
        .execute("INSERT INTO meta VALUES ('format', 'fremd')").connection.commit()
    with pytest.raises(StoreCorruptError, match="kein Speicher von lotse"):
        SqliteRepository(other).load()


def test_reading_a_missing_database_creates_nothing(tmp_path):
    repo = SqliteRepository(tmp_path / "nichts.sqlite")
    assert repo.is_empty() and repo.revision() == "leer"
    with pytest.raises(StoreError, match="lotse load"):
        repo.load()
    assert not (tmp_path / "nichts.sqlite").exists()


def test_old_json_store_migrates_with_journal_and_versions(tmp_path):
    old = tmp_path / "speicher.json"
    shutil.copy(DATA / "speicher-schema-1.json", old)
    before = old.read_bytes()
    json_store = MemoryRepository(old)
    net, journal = json_store.load(), json_store.journal()
    result = migrate_store(old, tmp_path / "speicher.sqlite")
    assert old.read_bytes() == before  # the old file stays as it was
    lite = SqliteRepository(tmp_path / "speicher.sqlite")
    assert lite.load() == net
    moved = lite.journal()
    assert moved.entries == journal.entries and moved.versions == journal.versions
    assert result.entries == len(journal.entries)
    with pytest.raises(StoreError, match="gibt es schon"):
        migrate_store(old, tmp_path / "speicher.sqlite")
    # the next change continues the numbering and the versions
    service = net.services[0]
    _, entry = lite.apply(Edit("services", service.id, service.model_copy(
        update={"name": "Neu"}), "k", expected_version=journal.version("services", service.id)))
    assert entry.seq == journal.next_seq


def _quarter_cases() -> list[tuple[str, str]]:
    return [(seed, q.id) for seed in ("brunnenstrasse", "dortmund", "unna")
            for q in load_seed(seed).quarters] + [("generiert", f"q{i}") for i in (0, 3)]


@pytest.mark.parametrize(("source", "quarter"), _quarter_cases())
def test_one_quarter_read_alone_answers_like_the_whole_network(tmp_path, source, quarter):
    from lotsen.acceptance import triage
    from lotsen.check import check
    from seeds.synthetic import generate
    from tests.conftest import AS_OF

    net = generate(quarters=6, services_per_quarter=40, seed=3).network \
        if source == "generiert" else load_seed(source)
    if quarter not in net.quarter_index:
        quarter = net.quarters[0].id
    repo = SqliteRepository(tmp_path / "s.sqlite")
    repo.save(net)
    part = repo.load_quarters([net.quarter_index[quarter].name])  # by name, as people type
    assert len(part.services) <= len(net.services)
    assert part.restricted_to([quarter]) == net.restricted_to([quarter])
    whole = check(net, AS_OF, quarters=[quarter])
    alone = check(part, AS_OF, quarters=[quarter])
    assert [f.to_dict() for f in alone] == [f.to_dict() for f in whole]
    assert triage(part, alone, AS_OF).accepted_count == triage(net, whole, AS_OF).accepted_count


def test_quarter_read_names_unknown_quarters(tmp_path):
    from graph.errors import NotFoundError

    repo = SqliteRepository(tmp_path / "s.sqlite")
    repo.save(load_seed("dortmund"))
    with pytest.raises(NotFoundError, match="Meinten Sie"):
        repo.load_quarters(["Hörd"])


@settings(max_examples=25)
@given(net=networks())
def test_round_trip_and_kept_graph_for_any_network(tmp_path_factory, net):
    """Any valid network comes back equal; after changing every service and removing every
    transition the graph kept current equals the graph built anew."""
    path = tmp_path_factory.mktemp("eigenschaft") / "s.sqlite"
    with SqliteRepository(path, synchronous="NORMAL") as repo:
        repo.save(net)
        with SqliteRepository(path) as again:
            assert again.load() == net
        g = repo.graph
        first = net.quarters[0].id
        for flow in net.referral_flows:
            repo.delete("referral_flows", flow.key)
        for transition in net.transitions:
            repo.delete("transitions", transition.id)
        for service in net.services:
            repo.put("services", service.model_copy(update={"quarters": [first],
                                                            "name": service.name + " neu"}))
        assert repo.graph is g
        assert nx.utils.graphs_equal(g, to_networkx(repo.load()))
