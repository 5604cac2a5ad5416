"""Issue 29: the network in Neo4j is a native property graph, and lotse reads exactly it.

On a real Neo4j 5.26 server: every scalar is a native property (dates are ``DATE``), every
reference a relationship; no ``data`` JSON copy and no ``gen`` on the current network; a
Cypher edit is what lotse answers next, a broken one a German message naming the node and
the property; generated networks go through Neo4j and come back equal; a database in the
format before issue 29 is migrated on connect without loss.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.backends.neo4j import Neo4jRepository
from graph.edit import entity_key
from graph.errors import StoreCorruptError
from graph.journal import Edit
from graph.network import Network
from seeds import load_seed
from tests.strategies import networks
from tests.test_cli import lotse

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def neo(neo4j_uri):
    with Neo4jRepository.from_uri(neo4j_uri) as repo:
        repo.clear()
        yield repo


def _run(repo: Neo4jRepository, query: str, **params: Any) -> list[dict[str, Any]]:
    with repo._driver.session(database=repo.settings.database) as session:
        return session.run(query, **params).data()


def test_every_scalar_is_a_native_property_and_every_reference_a_relationship(neo):
    net = load_seed("dortmund")
    neo.save(net)
    neo.wait_for_cleanup()
    assert _run(neo, "MATCH (n) WHERE NOT n:LotseAudit AND (n.data IS NOT NULL OR "
                     "n.gen IS NOT NULL) RETURN count(n) AS n") == [{"n": 0}]
    a = next(x for x in net.agreements if x.valid_until is not None)
    got = _run(neo, "MATCH (a:Agreement {id: $id}) RETURN a.valid_until AS d, "
                    "valueType(a.valid_until) AS t, a.binding AS b", id=a.id)[0]
    assert got["d"].to_native() == a.valid_until and got["t"] == "DATE NOT NULL"
    s = next(x for x in net.services if x.capacity_per_year)
    got = _run(neo, "MATCH (s:Service {id: $id}) RETURN s.capacity_per_year AS c, "
                    "s.languages AS l, s.provider AS p", id=s.id)[0]
    assert got == {"c": s.capacity_per_year, "l": s.languages, "p": None}
    assert _run(neo, "MATCH (s:Service {id: $id})-[:PROVIDED_BY]->(p:Provider) "
                     "RETURN p.id AS p", id=s.id) == [{"p": s.provider}]
    stages = _run(neo, "MATCH (s:Service {id: $id})-[r:COVERS_STAGE]->(l:LifeStage) "
                       "RETURN l.code AS c ORDER BY r.i", id=s.id)
    assert [x["c"] for x in stages] == s.life_stages
    order = _run(neo, "MATCH (l:LifeStage) RETURN l.code AS c ORDER BY l.order")
    assert [x["c"] for x in order] == [x.id for x in net.catalogue.life_stages]
    t = next(x for x in net.transitions if x.agreements)
    got = _run(neo, "MATCH (a:Service)-[:HANDS_OVER]->(t:Transition {id: $id})-[:TO]->"
                    "(b:Service) MATCH (g:Agreement)-[:BACKS]->(t) "
                    "RETURN a.id AS a, b.id AS b, collect(g.id) AS g", id=t.id)[0]
    assert (got["a"], got["b"], sorted(got["g"])) == (t.source, t.target, sorted(t.agreements))
    hierarchy = _run(neo, "MATCH (q:Quarter)-[:IN_DISTRICT]->(:District)-[:IN_MUNICIPALITY]->"
                          "(m:Municipality) RETURN count(q) AS n")
    assert hierarchy[0]["n"] == sum(1 for q in net.quarters if q.district)


def test_a_cypher_edit_of_an_owner_is_what_lotse_owner_answers_next(neo, neo4j_uri,
                                                                    tmp_path):
    net = load_seed("dortmund")
    neo.save(net)
    t = next(x for x in net.transitions if x.owner)
    other = next(p.id for p in net.providers if p.id != t.owner)
    _run(neo, "MATCH (t:Transition {id: $t}) OPTIONAL MATCH (t)-[r:OWNED_BY]->() DELETE r "
              "WITH DISTINCT t MATCH (p:Provider {id: $p}) CREATE (t)-[:OWNED_BY]->(p)",
         t=t.id, p=other)
    env = {"PYTHONPATH": str(ROOT), "LOTSE_NEO4J_URI": neo4j_uri}
    result = lotse("owner", t.id, "--store", neo4j_uri, "--json", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["owner"] == other
    assert neo.owner_of(t.id) == other
    assert neo.load().transition_index[t.id].owner == other  # the connection reads anew


def test_a_broken_cypher_edit_is_a_german_message_naming_node_and_property(neo, neo4j_uri,
                                                                           tmp_path):
    net = load_seed("brunnenstrasse")
    neo.save(net)
    s = net.services[0]
    _run(neo, "MATCH (s:Service {id: $id}) SET s.capacity_per_year = 'viele'", id=s.id)
    with Neo4jRepository.from_uri(neo4j_uri) as fresh, \
            pytest.raises(StoreCorruptError) as caught:
        fresh.load()
    message = str(caught.value)
    assert f"(:Service {{id: '{s.id}'}})" in message and "capacity_per_year" in message
    env = {"PYTHONPATH": str(ROOT), "LOTSE_NEO4J_URI": neo4j_uri}
    result = lotse("summary", "--store", neo4j_uri, cwd=tmp_path, env=env)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "capacity_per_year" in result.stderr + result.stdout
    _run(neo, "MATCH (s:Service {id: $id}) SET s.capacity_per_year = 12 "
              "WITH s MATCH (s)-[r:PROVIDED_BY]->() DELETE r", id=s.id)
    with Neo4jRepository.from_uri(neo4j_uri) as fresh, \
            pytest.raises(StoreCorruptError, match=r"Beziehung -\[:PROVIDED_BY\]->"):
        fresh.load()
    _run(neo, "MATCH (s:Service {id: $id}), (p:Provider {id: $p}) "
              "CREATE (s)-[:PROVIDED_BY]->(p)", id=s.id, p=s.provider)
    with Neo4jRepository.from_uri(neo4j_uri) as fresh:
        got = fresh.load()
    assert got.service_index[s.id].capacity_per_year == 12
    assert got.service_index[s.id].provider == s.provider


def test_a_service_made_with_cypher_is_read_like_one_from_a_file(neo, neo4j_uri):
    net = load_seed("brunnenstrasse")
    neo.save(net)
    s, q = net.services[0], net.quarters[0]
    _run(neo, "CREATE (n:Service {id: 'neu-cypher', name: 'Neu per Cypher', "
              "valid_from: date('2026-01-01')}) WITH n "
              "MATCH (p:Provider {id: $p}), (q:Quarter {id: $q}), (l:LifeStage {code: $l}), "
              "(f:Field {code: $f}) CREATE (n)-[:PROVIDED_BY]->(p), (n)-[:IN_QUARTER]->(q), "
              "(n)-[:COVERS_STAGE]->(l), (n)-[:IN_FIELD]->(f)",
         p=s.provider, q=q.id, l=s.life_stages[0], f=s.fields[0])
    with Neo4jRepository.from_uri(neo4j_uri) as fresh:
        got = fresh.load().service_index["neu-cypher"]
    assert got.valid_from == dt.date(2026, 1, 1) and got.provider == s.provider
    assert got.quarters == [q.id] and got.languages == ["de"]


@settings(max_examples=12, deadline=None)
@given(net=networks(), data=st.data())
def test_generated_networks_go_through_neo4j_and_come_back_equal(neo4j_uri, net, data):
    with Neo4jRepository.from_uri(neo4j_uri) as repo:
        repo.save(net)
        with Neo4jRepository.from_uri(neo4j_uri) as fresh:
            assert fresh.load() == net
        if net.services:  # and one change in place reads back as it was made
            s = data.draw(st.sampled_from(net.services))
            changed = s.model_copy(update={"name": "Geändert", "quarters": s.quarters[::-1]})
            repo.change(Edit("services", s.id, changed, "test"))
            with Neo4jRepository.from_uri(neo4j_uri) as fresh:
                assert fresh.load().service_index[s.id] == changed


# -- the format before issue 29 ---------------------------------------------------------

_OLD_LABELS = {"municipalities": "Municipality", "districts": "District",
               "quarters": "Quarter", "providers": "Provider", "sites": "Site",
               "services": "Service", "agreements": "Agreement",
               "referral_flows": "ReferralFlow", "accepted_findings": "AcceptedFinding",
               "measures": "Measure", "meetings": "Meeting"}


def _write_legacy(repo: Neo4jRepository, net: Network, gen: int | None) -> None:
    """Write ``net`` as lotse wrote it before issue 29: entities as JSON in ``data``, the
    generation in ``gen`` (None: a store from before generations), transitions as
    ``TRANSITION`` relationships, the catalogue as JSON on the network node."""
    from graph.formats.document import to_data

    def dump(model: Any) -> str:
        return json.dumps(model.model_dump(mode="json", exclude_defaults=True),
                          ensure_ascii=False, separators=(",", ":"))

    head = to_data(net.model_copy(update={s: [] for s in Network.model_fields
                                          if s not in ("name", "description", "catalogue")}))
    g = {} if gen is None else {"gen": gen}
    with repo._driver.session(database=repo.settings.database) as session:
        session.run("CREATE (m:LotseNetwork $m)", m={
            "format": "lotse-network", "schema_version": 3, "name": net.name,
            "description": net.description or "",
            "catalogue": json.dumps(head.get("catalogue"), ensure_ascii=False), **g}).consume()
        for section, label in _OLD_LABELS.items():
            rows = [{"id": entity_key(e), "pos": i, "data": dump(e), **g}
                    for i, e in enumerate(getattr(net, section))]
            session.run(f"UNWIND $rows AS r CREATE (n:{label}) SET n = r", rows=rows).consume()
        match = "" if gen is None else " AND a.gen = $gen AND b.gen = $gen"
        session.run("UNWIND $rows AS r MATCH (a:Service), (b:Service) WHERE a.id = r.s AND "
                    f"b.id = r.t{match} CREATE (a)-[t:TRANSITION]->(b) SET t = r.p",
                    gen=gen, rows=[{"s": t.source, "t": t.target, "p": {
                        "id": t.id, "pos": i, "owner": t.owner, "kind": t.kind.value,
                        "agreements": t.agreements, "data": dump(t), **g}}
                        for i, t in enumerate(net.transitions)]).consume()
        session.run("UNWIND $rows AS r MATCH (s:Service {id: r.s}), (p:Provider {id: r.p}) "
                    "CREATE (s)-[:PROVIDED_BY]->(p)",
                    rows=[{"s": s.id, "p": s.provider} for s in net.services]).consume()
        journal = {"generation": gen, "next_generation": gen + 1} if gen is not None else {}
        session.run("CREATE (j:LotseJournal {format: 'lotse-journal', revision: 7, "
                    "versions: '{}', last_seq: 0}) SET j += $j", j=journal).consume()


@pytest.mark.parametrize("gen", [None, 3], ids=["before-generations", "with-generations"])
def test_a_database_in_the_format_before_issue_29_is_migrated_on_connect(neo, neo4j_uri,
                                                                          gen):
    net = load_seed("dortmund")
    neo.clear()
    with neo._driver.session(database=neo.settings.database) as session:
        for r in session.run("SHOW CONSTRAINTS YIELD name").data():
            session.run(f"DROP CONSTRAINT {r['name']}").consume()
    _write_legacy(neo, net, gen)
    if gen is not None:  # a replaced generation not yet deleted: garbage, not read
        _write_legacy(neo, net.model_copy(update={"name": "Alt"}), gen - 1)
        _run(neo, "MATCH (j:LotseJournal) WITH j ORDER BY j.generation LIMIT 1 "
                  "DETACH DELETE j")
    with Neo4jRepository.from_uri(neo4j_uri) as fresh:
        assert fresh.load() == net
        assert _run(fresh, "MATCH (n) WHERE n.data IS NOT NULL AND NOT n:LotseAudit "
                           "RETURN count(n) AS n") == [{"n": 0}]
        assert _run(fresh, "MATCH ()-[t:TRANSITION]->() RETURN count(t) AS n") == [{"n": 0}]
        t = net.transitions[0]
        assert fresh.owner_of(t.id) == t.owner
        s = net.services[0]
        fresh.change(Edit("services", s.id, s.model_copy(update={"name": "Neu"}), "k"))
    with Neo4jRepository.from_uri(neo4j_uri) as again:  # migrated once: nothing to do
        assert again.load().service_index[s.id].name == "Neu"
        assert len(again.load().services) == len(net.services)
