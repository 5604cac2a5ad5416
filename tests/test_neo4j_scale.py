"""Issue 18, Neo4j at Land scale, on a real server: a change on a fresh connection is
checked on the part of the network it touches – with the same outcome and the same
German messages as on the whole network –, and a replace writes a new generation that
readers see completely or not at all, also when the writing process is killed."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from graph.backends.memory import MemoryRepository
from graph.backends.neo4j import Neo4jRepository
from graph.journal import Edit
from graph.model import Measure, ReferralFlow, Transition
from graph.network import Network
from seeds import load_seed
from seeds.synthetic import generate

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def neo(neo4j_uri: str) -> Iterator[Neo4jRepository]:
    with Neo4jRepository.from_uri(neo4j_uri) as repo:
        repo.clear()
        yield repo


def _edits(net: Network) -> list[tuple[str, Edit]]:
    """Changes of the Dortmund seed that every rule and message kind meets."""
    s = net.services[3]
    t = net.transitions[0]
    order, services = net.catalogue.stage_order, net.service_index
    forward = next(x for x in net.transitions  # reversed, it runs back in the life course
                   if min(order(a) for a in services[x.target].life_stages)
                   > max(order(a) for a in services[x.source].life_stages))
    provider = net.transitions[0].owner or net.services[0].provider
    first_district = net.districts[0]

    def e(section: str, key: str, entity: BaseModel | None, **kw: Any) -> Edit:
        return Edit(section, key, entity, "koordination", **kw)

    return [
        ("rename", e("services", s.id, s.model_copy(update={"name": "Neu"}))),
        ("provider typo", e("services", s.id, s.model_copy(update={"provider": s.provider + "x"}))),
        ("quarter is a provider", e("services", s.id, s.model_copy(
            update={"quarters": [provider]}))),
        ("new service, id taken by a provider", e("services", provider, s.model_copy(
            update={"id": provider}), create=True)),
        ("new service", e("services", "neu", s.model_copy(update={"id": "neu"}), create=True)),
        ("transition reversed", e("transitions", forward.id, forward.model_copy(
            update={"source": forward.target, "target": forward.source}))),
        ("transition to unknown service", e("transitions", t.id, t.model_copy(
            update={"target": t.target[:-1]}))),
        ("new transition", e("transitions", "neu-t", Transition(
            id="neu-t", source=t.source, target=t.target, owner=t.owner))),
        ("life stages turn transitions back", e("services", t.source, net.service_index[
            t.source].model_copy(update={"life_stages": ["primary_school"]}))),
        ("delete referenced provider", e("providers", provider, None)),
        ("delete referenced service", e("services", t.source, None)),
        ("delete transition", e("transitions", t.id, None)),
        ("delete unknown service", e("services", s.id + "-gibtsnicht", None)),
        ("delete referenced agreement", e("agreements", net.agreements[0].id, None)),
        ("district in unknown municipality", e("districts", first_district.id,
                                               first_district.model_copy(
                                                   update={"municipality": "dortmnd"}))),
        ("delete referenced district", e("districts", first_district.id, None)),
        ("flow with more arrived than referred", e(
            "referral_flows", f"{t.id}@2026-01-01", ReferralFlow(
                transition=t.id, period_start=dt.date(2026, 1, 1),
                period_end=dt.date(2026, 3, 31), referred=3, arrived=5))),
        ("measure with unknown provider", e("measures", "m1", Measure(
            id="m1", title="Protokoll", responsible=provider + "-x"))),
        ("stale version", e("services", s.id, s.model_copy(update={"name": "X"}),
                            expected_version=7)),
        ("create an existing one", e("services", s.id, s, create=True)),
        ("unknown section", e("dienste", s.id, None)),
    ]


def _outcome(act: Callable[[], Any]) -> tuple[str, str]:
    try:
        entry = act()
    except Exception as exc:  # the error itself is the outcome compared
        return type(exc).__name__, str(exc)
    return "ok", f"{entry.action} {entry.section}/{entry.entity_id} v{entry.version} " \
                 f"{entry.before} {entry.after}"


NAMES = [name for name, _ in _edits(load_seed("dortmund"))]


@pytest.mark.parametrize("name", NAMES)
def test_a_change_on_a_fresh_connection_is_judged_as_on_the_whole_network(neo, neo4j_uri,
                                                                           name):
    net = load_seed("dortmund")
    edit = dict(_edits(net))[name]
    whole = MemoryRepository()
    whole.save(net)
    neo.save(net)
    expected = _outcome(lambda: whole.apply(edit)[1])
    with Neo4jRepository.from_uri(neo4j_uri) as fresh:  # remembers nothing: reads the part
        got = _outcome(lambda: fresh.change(edit))
        assert fresh._cache is None  # the whole network was not read
    assert got == expected
    with Neo4jRepository.from_uri(neo4j_uri) as fresh:
        assert fresh.load() == whole.load()
        assert fresh.journal().versions == whole.journal().versions


def test_refusals_name_the_field_and_close_ids(neo, neo4j_uri):
    """The message of the part is the whole network's, "Meinten Sie" included."""
    net = load_seed("dortmund")
    neo.save(net)
    s = net.services[0]
    with Neo4jRepository.from_uri(neo4j_uri) as fresh:
        outcome = _outcome(lambda: fresh.change(Edit("services", s.id, s.model_copy(
            update={"provider": s.provider[:-1]}), "k")))
    assert outcome[0] == "InvalidNetworkError"
    assert f"Angebot '{s.id}', Feld 'provider'" in outcome[1] and "Meinten Sie" in outcome[1]


def test_readers_see_the_old_or_the_new_network_during_a_replace(neo, neo4j_uri):
    old = generate(quarters=3, seed=1).network
    new = generate(quarters=4, seed=2).network
    neo.save(old)
    seen: list[str] = []
    stop = threading.Event()

    def read() -> None:
        with Neo4jRepository.from_uri(neo4j_uri) as reader:
            while not stop.is_set():
                got = reader.load()
                seen.append("alt" if got == old else "neu" if got == new else "gemischt")

    thread = threading.Thread(target=read)
    thread.start()
    try:
        neo.replace(new, "koordination")
        neo.wait_for_cleanup()
        with Neo4jRepository.from_uri(neo4j_uri) as other:
            other.load()  # at least one read after the switch
    finally:
        stop.set()
        thread.join()
    assert seen and set(seen) <= {"alt", "neu"}, set(seen)
    assert neo.load() == new


REPLACER = textwrap.dedent("""
    import sys
    from graph.backends.neo4j import Neo4jRepository
    from seeds.synthetic import generate
    net = generate(quarters=int(sys.argv[2]), seed=9).network
    repo = Neo4jRepository.from_uri(sys.argv[1])
    said = False
    def progress(done, total):
        global said
        if done >= total // 3 and not said:
            said = True
            print("mitten", flush=True)
            input()  # wait here to be killed
    repo.save(net, progress=progress)
    print("fertig", flush=True)
""")


def _network_nodes(repo: Neo4jRepository) -> dict[int, int]:
    """Nodes of the network per generation."""
    with repo._session() as session:
        return {r["g"]: r["n"] for r in session.run(
            "MATCH (n) WHERE NOT (n:LotseJournal OR n:LotseAudit) "
            "RETURN n.gen AS g, count(*) AS n")}


def test_replace_killed_midway_leaves_the_old_network_and_its_garbage_goes(neo, neo4j_uri):
    """SIGKILL of the writing process in the middle of a replace: readers still get the
    old network (not a mix); the next replace succeeds and deletes the half-written
    generation."""
    old = load_seed("unna")
    neo.save(old)
    neo.wait_for_cleanup()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", REPLACER, neo4j_uri, "6"], env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    assert line == "mitten", proc.stderr.read() if proc.stderr else line
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    with Neo4jRepository.from_uri(neo4j_uri) as fresh:
        assert fresh.load() == old
        generations = _network_nodes(fresh)
        assert len(generations) == 2  # the current one and the half-written one
        new = generate(quarters=6, seed=9).network
        fresh.save(new)  # a retry succeeds
        fresh.wait_for_cleanup()
        assert fresh.load() == new
        assert len(_network_nodes(fresh)) == 1  # only the current generation is left


def test_a_store_written_before_generations_loads_and_changes(neo, neo4j_uri):
    """A database as the previous lotse wrote it (no ``gen``, one id per label) is
    upgraded on connect to generation 0."""
    net = load_seed("dortmund")
    neo.save(net)
    neo.wait_for_cleanup()
    with neo._session() as session:
        for query in ("MATCH (n) WHERE n.gen IS NOT NULL REMOVE n.gen",
                      "MATCH ()-[t:TRANSITION]->() REMOVE t.gen",
                      "MATCH (j:LotseJournal) REMOVE j.generation, j.next_generation"):
            session.run(query).consume()
    with Neo4jRepository.from_uri(neo4j_uri) as fresh:
        assert fresh.load() == net
        s = net.services[0]
        fresh.change(Edit("services", s.id, s.model_copy(update={"name": "Neu"}), "k"))
        fresh.save(fresh.load())
        assert fresh.load().service_index[s.id].name == "Neu"


def test_a_change_during_a_replace_is_kept_and_the_replace_refused(neo, neo4j_uri):
    """Nobody's change is overwritten: a replace whose generation was written while
    someone changed the network is not switched to (409), and its rows are deleted."""
    from graph.errors import ConflictError

    old = load_seed("dortmund")
    neo.save(old)
    neo.wait_for_cleanup()
    s = old.services[0]
    changed: list[str] = []

    def progress(done: int, total: int) -> None:
        if not changed:
            with Neo4jRepository.from_uri(neo4j_uri) as other:
                other.change(Edit("services", s.id, s.model_copy(
                    update={"name": "Zwischendurch"}), "quartier"))
            changed.append(s.id)

    with pytest.raises(ConflictError, match="Während des Imports hat jemand"):
        neo.replace(generate(quarters=2, seed=3).network, "koordination", progress)
    neo.wait_for_cleanup()
    got = neo.load()
    assert got.service_index[s.id].name == "Zwischendurch"
    assert len(got.services) == len(old.services)
    assert len(_network_nodes(neo)) == 1  # the refused generation is gone


def _with_sites(net: Network) -> Network:
    """The Dortmund seed with a site that a service names and an agreement that states
    its quarter (issue 15's sites, issue 16's stated quarters)."""
    from graph.site import Site

    s = net.services[3]
    q = s.quarters[0]
    site = Site(id="fz-test", name="Familienzentrum Test", address="Teststraße 1", quarter=q)
    services = [x.model_copy(update={"sites": ["fz-test"]}) if x.id == s.id else x
                for x in net.services]
    agreements = [net.agreements[0].model_copy(update={"quarters": [q]}), *net.agreements[1:]]
    return net.with_sections(sites=[site], services=services, agreements=agreements)


def _site_edits(net: Network) -> list[tuple[str, Edit]]:
    s = next(x for x in net.services if x.sites)
    site, a = net.sites[0], net.agreements[0]

    def e(section: str, key: str, entity: BaseModel | None, **kw: Any) -> Edit:
        return Edit(section, key, entity, "koordination", **kw)

    return [
        ("delete a site a service names", e("sites", site.id, None)),
        ("service names an unknown site", e("services", s.id, s.model_copy(
            update={"sites": ["fz-tes"]}))),
        ("site in an unknown quarter", e("sites", site.id, site.model_copy(
            update={"quarter": "gibtsnicht"}))),
        ("new site, id taken by a service", e("sites", s.id, site.model_copy(
            update={"id": s.id}), create=True)),
        ("rename a site", e("sites", site.id, site.model_copy(update={"name": "FZ"}))),
        ("agreement states an unknown quarter", e("agreements", a.id, a.model_copy(
            update={"quarters": ["gibtsnicht"]}))),
        ("delete a quarter an agreement states", e("quarters", a.quarters[0], None)),
    ]


SITE_NAMES = [name for name, _ in _site_edits(_with_sites(load_seed("dortmund")))]


@pytest.mark.parametrize("name", SITE_NAMES)
def test_a_change_of_sites_and_stated_quarters_is_judged_as_on_the_whole_network(
        neo, neo4j_uri, name):
    net = _with_sites(load_seed("dortmund"))
    edit = dict(_site_edits(net))[name]
    whole = MemoryRepository()
    whole.save(net)
    neo.save(net)
    expected = _outcome(lambda: whole.apply(edit)[1])
    with Neo4jRepository.from_uri(neo4j_uri) as fresh:
        got = _outcome(lambda: fresh.change(edit))
        assert fresh._cache is None
    assert got == expected
    with Neo4jRepository.from_uri(neo4j_uri) as fresh:
        assert fresh.load() == whole.load()
