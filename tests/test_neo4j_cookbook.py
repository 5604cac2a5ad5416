"""Issue 29: every query of the Cypher cookbook in docs/neo4j.md, run against a real Neo4j
5.26 server holding the seeds, gives lotse's own answer."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from graph.backends.neo4j import Neo4jRepository
from graph.model import AgreementKind
from graph.network import Network
from lotsen.check import check
from lotsen.handoffs import backing
from lotsen.index import ChainIndex
from lotsen.settings import AnalysisSettings
from seeds import load_seed

AS_OF = dt.date(2026, 11, 22)
DOC = Path(__file__).resolve().parent.parent / "docs" / "neo4j.md"


def recipes() -> dict[str, str]:
    found = {}
    for block in re.findall(r"```cypher\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S):
        m = re.match(r"// Rezept: ([a-z-]+)", block)
        if m:
            found[m.group(1)] = block
    return found


RECIPES = recipes()


def test_the_cookbook_has_every_recipe_the_issue_asks_for():
    assert set(RECIPES) == {"verantwortlich", "ohne-verbindliche-vereinbarung", "abgelaufen",
                            "laeuft-aus", "angebote-nach-phase", "sackgassen",
                            "kette-als-pfad"}


@pytest.fixture(scope="module", params=["brunnenstrasse", "dortmund", "unna"])
def seeded(request, neo4j_uri):
    net = load_seed(request.param)
    with Neo4jRepository.from_uri(neo4j_uri) as repo:
        repo.clear()
        repo.save(net)
        repo.wait_for_cleanup()
        yield repo, net


def ask(repo: Neo4jRepository, name: str, **params: Any) -> list[dict[str, Any]]:
    with repo._driver.session(database=repo.settings.database) as session:
        return session.run(RECIPES[name], as_of=AS_OF.isoformat(), **params).data()


def _binding(net: Network, ids: list[str]) -> list[Any]:
    return [a for a in (net.agreement_index[x] for x in ids)
            if a.binding and a.kind is not AgreementKind.INFORMAL]


def test_owner(seeded):
    repo, net = seeded
    for t in net.transitions:
        rows = ask(repo, "verantwortlich", transition=t.id)
        assert [r["owner"] for r in rows] == [t.owner] == [repo.owner_of(t.id)]


def test_transitions_without_a_binding_agreement(seeded):
    repo, net = seeded
    idx, settings = ChainIndex(net), AnalysisSettings()
    lotse = sorted(t.id for t in net.transitions
                   if (t.agreements == [] or backing(idx, tuple(t.agreements), t.owner, AS_OF,
                                                     settings).code == "INFORMAL_ONLY"))
    assert [r["transition"] for r in ask(repo, "ohne-verbindliche-vereinbarung")] == lotse


def test_expired_and_expiring_agreements(seeded):
    repo, net = seeded
    idx, settings = ChainIndex(net), AnalysisSettings()
    expired = sorted(a.id for a in net.agreements if a.binding
                     and a.kind is not AgreementKind.INFORMAL
                     and a.valid_until is not None and a.valid_until < AS_OF)
    assert [r["agreement"] for r in ask(repo, "abgelaufen")] == expired
    expiring = sorted(a.id for a in net.agreements
                      if backing(idx, (a.id,), None, AS_OF, settings).code
                      == "AGREEMENT_EXPIRING")
    rows = ask(repo, "laeuft-aus")
    assert [r["agreement"] for r in rows] == expiring
    for r in rows:
        assert r["tage"] == (net.agreement_index[r["agreement"]].valid_until - AS_OF).days
    # every transition lotse finds resting on expired agreements only rests on these
    for f in check(net, AS_OF):
        if f.code == "AGREEMENT_EXPIRED":
            t = net.transition_index[f.ids[0]]
            ids = {a.id for a in _binding(net, t.agreements)}
            assert ids and ids <= set(expired)


def test_services_of_a_quarter_by_stage(seeded):
    repo, net = seeded
    for q in net.quarters:
        rows = ask(repo, "angebote-nach-phase", quarter=q.id)
        expected = []
        for stage in net.catalogue.life_stages:
            ids = [s.id for s in net.services if q.id in s.quarters and stage.id in s.life_stages]
            if ids:
                expected.append((stage.id, sorted(ids)))
        assert [(r["stage"], sorted(r["services"])) for r in rows] == expected


def test_dead_ends(seeded):
    repo, net = seeded
    findings = check(net, AS_OF)
    for q in net.quarters:
        lotse = sorted(f.ids[0] for f in findings
                       if f.code == "DEAD_END" and q.id in f.quarters)
        assert [r["service"] for r in ask(repo, "sackgassen", quarter=q.id)] == lotse, q.id


def _maximal_paths(net: Network, quarter: str) -> list[list[str]]:
    """The chains of a quarter as lotse's network has them: from a service no transition
    reaches to one that hands over to none, through services of the quarter."""
    inside = {s.id for s in net.services if quarter in s.quarters}
    has_in = {t.target for t in net.transitions}
    has_out = {t.source for t in net.transitions}
    out: dict[str, list[str]] = {}
    for t in net.transitions:
        out.setdefault(t.source, []).append(t.target)
    paths: list[list[str]] = []

    def walk(path: list[str], used: int) -> None:
        last = path[-1]
        if len(path) > 1 and last not in has_out:
            paths.append(path)
        if used == 10:
            return
        for n in out.get(last, []):
            if n in inside:
                walk([*path, n], used + 1)

    for a in sorted(inside - has_in):
        walk([a], 0)
    return sorted(paths, key=lambda p: (-len(p), p))


def test_the_chain_of_a_quarter_as_paths(seeded):
    repo, net = seeded
    for q in net.quarters:
        rows = ask(repo, "kette-als-pfad", quarter=q.id)
        assert [r["kette"] for r in rows] == _maximal_paths(net, q.id), q.id

def test_the_browser_style_gives_every_label_a_caption_and_a_colour():
    from graph.backends.neo4j_schema import KEYS

    grass = (DOC.parent / "neo4j-browser.grass").read_text(encoding="utf-8")
    for label in KEYS:
        block = re.search(r"node\." + label + r" \{(.*?)\}", grass, re.S)
        assert block is not None, label
        assert "caption:" in block.group(1) and "color:" in block.group(1)
