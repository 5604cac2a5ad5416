"""The Neo4j backend on a real server: same results as the embedded store, clear errors,
all-or-nothing saves even when the server is killed in the middle."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from graph.backends.memory import MemoryRepository
from graph.backends.neo4j import Neo4jRepository, Neo4jSettings
from graph.errors import StoreUnavailableError
from lotsen.check import check
from lotsen.indicators import quarter_indicators
from seeds import list_seeds, load_seed
from seeds.synthetic import generate
from tests.test_cli import lotse

AS_OF = dt.date(2026, 11, 22)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def neo(neo4j_uri):
    with Neo4jRepository.from_uri(neo4j_uri) as repo:
        repo.clear()
        yield repo


@pytest.mark.parametrize("name", [s.name for s in list_seeds()])
def test_seed_through_neo4j_gives_the_same_analysis(neo, tmp_path, name):
    net = load_seed(name)
    neo.save(net)
    file_store = MemoryRepository(tmp_path / "s.json")
    file_store.save(net)
    via_neo, via_file = neo.load(), file_store.load()
    assert via_neo == via_file == net
    assert check(via_neo, AS_OF) == check(via_file, AS_OF)
    for q in net.quarters:
        assert quarter_indicators(via_neo, q.id, AS_OF).to_dict() == \
            quarter_indicators(via_file, q.id, AS_OF).to_dict()


def test_owner_query_straight_from_the_graph(neo):
    neo.save(load_seed("brunnenstrasse"))
    assert neo.owner_of("babylotsen-familienhebammen") == "geburtskliniken-do"
    assert neo.owner_of("kita-familienzentrum-grundschule") is None


def test_settings_never_show_the_password():
    s = Neo4jSettings.from_uri("neo4j://nutzer:geheim@db.example:7687/lotse", env={})
    assert s.password == "geheim" and s.user == "nutzer"
    assert "geheim" not in s.location and "geheim" not in repr(s)


def test_wrong_password(neo4j_uri):
    settings = Neo4jSettings.from_uri(neo4j_uri)
    bad = Neo4jSettings(settings.uri, settings.user, "falsch", settings.database)
    with Neo4jRepository(bad) as repo, pytest.raises(StoreUnavailableError) as info:
        repo.is_empty()
    assert "Benutzername oder Passwort falsch" in str(info.value)
    assert "falsch" not in str(info.value).replace("Passwort falsch", "")


def test_unreachable_host_and_unknown_database(neo4j_uri):
    with Neo4jRepository.from_uri("neo4j://127.0.0.1:1") as repo, \
            pytest.raises(StoreUnavailableError, match="Datenbank nicht erreichbar"):
        repo.load()
    with Neo4jRepository.from_uri(neo4j_uri + "/gibtsnicht") as repo, \
            pytest.raises(StoreUnavailableError, match="'gibtsnicht' gibt es auf dem Server"):
        repo.load()


def test_cli_push_pull_and_store_uri(neo4j_uri, tmp_path):
    assert lotse("load", "dortmund", cwd=tmp_path).returncode == 0
    pushed = lotse("push", "--to", neo4j_uri, cwd=tmp_path, env=_env())
    assert pushed.returncode == 0, pushed.stderr
    summary = lotse("summary", "--store", neo4j_uri, cwd=tmp_path, env=_env())
    assert "Libellenquartier" in summary.stdout
    pulled = lotse("pull", "--from", neo4j_uri, "--to", "kopie.json", cwd=tmp_path, env=_env())
    assert pulled.returncode == 0, pulled.stderr
    assert MemoryRepository(tmp_path / "kopie.json").load() == load_seed("dortmund")
    bad = lotse("summary", "--store", neo4j_uri, cwd=tmp_path,
                env={**_env(), "LOTSE_NEO4J_PASSWORD": "falsch"})
    assert bad.returncode == 1 and "Passwort falsch" in bad.stderr
    assert "Traceback" not in bad.stderr


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k.startswith("LOTSE_NEO4J_")}


PUSHER = textwrap.dedent("""
    import sys
    from graph.backends.neo4j import Neo4jRepository
    from graph.errors import LotsenError
    from seeds.synthetic import generate
    net = generate(quarters=int(sys.argv[2]), seed=9).network
    repo = Neo4jRepository.from_uri(sys.argv[1])
    def progress(done, total):
        if done >= total // 3:
            print("mitten", flush=True)
    try:
        repo.save(net, progress=progress)
    except LotsenError as exc:
        print("FEHLER", exc, flush=True)
        sys.exit(1)
    print("fertig", flush=True)
""")


@pytest.mark.slow
def test_server_killed_mid_push_keeps_the_old_state(tmp_path):
    import neo4j_server

    home = tmp_path / "neo4j"
    server = neo4j_server.start(home)
    try:
        env = {**os.environ, **server.env(), "PYTHONPATH": str(ROOT)}
        def connect(srv: neo4j_server.Server) -> Neo4jRepository:
            return Neo4jRepository(Neo4jSettings.from_uri(srv.uri, env=srv.env()))

        with connect(server) as repo:
            old = load_seed("unna")
            repo.save(old)
        proc = subprocess.Popen([sys.executable, "-c", PUSHER, server.uri, "40"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert line == "mitten", proc.stderr.read() if proc.stderr else line
        neo4j_server.kill(home)  # SIGKILL, as a crash would
        output, _ = proc.communicate(timeout=120)
        assert proc.returncode == 1
        assert "Datenbank nicht erreichbar" in output or "abgebrochen" in output or \
            "unklar" in output
        server = neo4j_server.start(home, fresh=False)
        time.sleep(0.5)
        with connect(server) as repo:
            assert repo.load() == old  # the old state, completely
            new = generate(quarters=40, seed=9).network
            repo.save(new)  # a retry succeeds
            assert len(repo.load().services) == len(new.services)
    finally:
        neo4j_server.stop(home)


def _graph_shape(repo: Neo4jRepository) -> tuple[list[str], list[str]]:
    """Every node and relationship of the network as text (with every native property but
    the position), once retired nodes are deleted."""
    repo.wait_for_cleanup()
    with repo._driver.session(database=repo.settings.database) as session:
        nodes = sorted(repr((r["l"], sorted((k, v) for k, v in r["p"].items() if k != "pos")))
                       for r in session.run(
            "MATCH (n) WHERE NOT (n:LotseJournal OR n:LotseAudit OR n:LotseNetwork) "
            "RETURN labels(n) AS l, properties(n) AS p"))
        rels = sorted(repr((r["t"], r["a"], r["b"], sorted(r["p"].items()))) for r in session.run(
            "MATCH (a)-[r]->(b) RETURN type(r) AS t, coalesce(a.id, a.code, a.name) AS a, "
            "coalesce(b.id, b.code, b.name) AS b, properties(r) AS p"))
    assert nodes and rels
    return nodes, rels


def test_changes_write_in_place_and_leave_the_graph_a_full_save_gives(neo, neo4j_uri):
    """Changes in every section (rename, new links, create, delete) are written where
    they land; a second connection without anything remembered reads exactly the network
    the change returned, and the graph equals the one a full save of it writes."""
    net = load_seed("dortmund")
    neo.save(net)
    s0, t0, a0, q0 = net.services[0], net.transitions[0], net.agreements[0], net.quarters[0]
    new_service = s0.model_copy(update={"id": "neu", "name": "Neues Angebot",
                                        "quarters": ["hoerde"]})
    edits = [
        ("municipalities", net.municipalities[0].model_copy(update={"name": "Dortmund (neu)"})),
        ("districts", net.districts[1].model_copy(update={"name": "Hörde"})),
        ("quarters", q0.model_copy(update={"district": "bezirk-hoerde"})),
        ("providers", net.providers[1].model_copy(update={"name": "Familienbüro N."})),
        ("services", s0.model_copy(update={"provider": "jugendamt-do",
                                           "quarters": ["brunnenstrasse"]})),
        ("services", new_service),
        ("transitions", t0.model_copy(update={"target": "neu", "owner": "jugendamt-do"})),
        ("transitions", t0.model_copy(update={"id": "neu-uebergang"})),
        ("agreements", a0.model_copy(update={"parties": ["jugendamt-do", "familienbuero-nord"]})),
        ("referral_flows", net.referral_flows[0].model_copy(update={"arrived": 50})),
    ]
    for section, entity in edits:
        after = neo.put(section, entity)
    after = neo.delete("transitions", "babylotsen-willkommensbesuch")
    after = neo.delete("referral_flows", net.referral_flows[2].key)
    assert [s.id for s in after.services][-1] == "neu"
    assert after.transitions[-1].id == "neu-uebergang"
    assert "babylotsen-willkommensbesuch" not in after.transition_index
    with Neo4jRepository.from_uri(neo4j_uri) as fresh:  # nothing remembered
        assert fresh.load() == after
        assert fresh.owner_of("babylotsen-familienhebammen") == "jugendamt-do"
        edited = _graph_shape(fresh)
        fresh.save(after)
        assert _graph_shape(fresh) == edited
        assert fresh.load() == after


def test_a_change_from_another_connection_is_seen(neo, neo4j_uri):
    """What a connection remembers is used only while it is the stored state."""
    net = load_seed("brunnenstrasse")
    neo.save(net)
    assert neo.load() == net
    with Neo4jRepository.from_uri(neo4j_uri) as other:
        changed = other.put("providers", net.providers[0].model_copy(update={"name": "X"}))
    assert neo.load() == changed
    assert neo.get("providers", net.providers[0].id).name == "X"  # type: ignore[attr-defined]


def test_accepted_findings_round_trip_and_a_schema_1_store_loads(neo, neo4j_uri):
    """Issue 13: the sections ``accepted_findings`` and ``measures`` (schema version 2) are
    saved, changed in place and deleted like every other; a store written as schema
    version 1 loads."""
    from graph.model import AcceptedFinding

    net = load_seed("dortmund")
    a = AcceptedFinding(key="PEARL/sprachbilderbuecher", reason="Kampagne", by="Koordination",
                        on=AS_OF, until=dt.date(2027, 6, 30))
    neo.save(net.with_sections(accepted_findings=[a]))
    assert neo.load().accepted_findings == [a]
    b = a.model_copy(update={"key": "DEAD_END/familienhebammen", "until": None})
    after = neo.put("accepted_findings", b)
    assert after.accepted_findings == [a, b]
    after = neo.delete("accepted_findings", a.key)
    with Neo4jRepository.from_uri(neo4j_uri) as fresh:
        assert fresh.load() == after and after.accepted_findings == [b]
    from graph.model import Measure, MeasureStatus

    m = Measure(id="m1", title="Übergabeprotokoll erneuern", responsible="tek-bornstrasse",
                findings=["AGREEMENT_EXPIRED/kita-bornstrasse-grundschule"], due=AS_OF)
    after = neo.put("measures", m)
    after = neo.put("measures", m.model_copy(update={"status": MeasureStatus("done")}))
    with Neo4jRepository.from_uri(neo4j_uri) as fresh:
        assert fresh.load() == after and after.measures[0].status.value == "done"
    neo.save(net)
    with neo._session() as session:  # as an older lotse wrote it
        session.run("MATCH (m:LotseNetwork) SET m.schema_version = 1")
    with Neo4jRepository.from_uri(neo4j_uri) as fresh:
        assert fresh.load() == net
