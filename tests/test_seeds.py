"""Seed networks and the synthetic generator."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from graph.errors import NotFoundError
from graph.network import check_network
from seeds import REFERENCE_SEED, list_seeds, load_seed
from seeds.synthetic import DEFECT_KINDS, generate
from tests.conftest import AS_OF


@pytest.mark.parametrize("name", [s.name for s in list_seeds()])
def test_seed_loads_and_is_valid(name):
    net = load_seed(name)
    assert check_network(net) == []
    assert net.services and net.transitions and net.agreements
    assert net.description and "Erfunden" in net.description  # says what was invented


def test_unknown_seed_suggests():
    with pytest.raises(NotFoundError, match="Meinten Sie 'dortmund'"):
        load_seed("dortmunt")


def test_reference_quarter_figures_from_the_documents():
    net = load_seed(REFERENCE_SEED)
    (quarter,) = net.quarters
    assert quarter.name == "Brunnenstraßen-/Hannibalviertel"
    data = quarter.social_data_for(2017)
    assert data is not None
    assert (data.inhabitants, data.births_per_year, data.children_under_18, data.nations) == \
        (4017, 50, 855, 35)
    assert (data.sgb2_share, data.migrant_share) == (0.4, 0.65)
    names = {p.name for p in net.providers}
    for partner in ("Grundschule Kleine Kielstraße", "AWO Unterbezirk Dortmund",
                    "Förderzentrum des Diakonischen Werks Dortmund",
                    "Kath. Familienzentrum Nordstadt", "TEK Bornstraße 52"):
        assert partner in names
    offers = " ".join(s.name for s in net.services)
    for offer in ("Babylotsen", "Willkommensbesuch", "Kinderstube", "Griffbereit",
                  "Bewegungszwerge", "Sprachschule", "Schulsozialarbeit",
                  "Familiengrundschulzentrum", "Kita-Sozialarbeit", "Sprachbilderbücher"):
        assert offer in offers
    anchors = {p.anchor for p in net.providers if p.anchor}
    assert len(anchors) == 4


def test_dortmund_has_three_infamilie_quarters():
    names = [q.name for q in load_seed("dortmund").quarters]
    assert names == ["Brunnenstraßen-/Hannibalviertel", "Libellenquartier", "Hörde"]


def test_unna_chain_from_pregnancy_to_school():
    net = load_seed("unna")
    assert net.municipalities[0].county == "Kreis Unna"
    services = net.service_index
    path = ["schwangerschaftsberatung", "kinderzukunft-koordination", "familienhebamme-unna",
            "familienzentrum-unna-mitte", "grundschule-unna-mitte"]
    hops = {(t.source, t.target) for t in net.transitions}
    assert all(step in services for step in path)
    # the chain exists, except the hop without agreement, which is a planted defect
    assert all((a, b) in hops for a, b in itertools.pairwise(path))


@pytest.mark.parametrize("name", ["brunnenstrasse", "unna"])
def test_each_seed_has_realistic_defects(name):
    """A pearl, a transition without agreement, an agreement expiring within a year."""
    net = load_seed(name)
    touched = {t.source for t in net.transitions} | {t.target for t in net.transitions}
    assert [s.id for s in net.services if s.id not in touched], "keine Perle"
    assert [t.id for t in net.transitions if not t.agreements], "kein Übergang ohne Vereinbarung"
    horizon = AS_OF + dt.timedelta(days=365)
    expiring = [a.id for a in net.agreements
                if a.valid_until is not None and AS_OF <= a.valid_until <= horizon]
    assert expiring, "keine auslaufende Vereinbarung"


def test_generator_is_valid_and_deterministic():
    one = generate(quarters=4, services_per_quarter=30, defects=len(DEFECT_KINDS), seed=7)
    assert check_network(one.network) == []
    two = generate(quarters=4, services_per_quarter=30, defects=len(DEFECT_KINDS), seed=7)
    assert one.network == two.network and one.defects == two.defects
    assert sorted(d.code for d in one.defects) == sorted(DEFECT_KINDS)
    ids = [i for d in one.defects for i in d.ids]
    assert len(ids) == len(set(ids))  # every defect on its own entity


def test_generator_plants_exactly_the_defects():
    syn = generate(quarters=3, services_per_quarter=28, defects=16, seed=3)
    net, as_of = syn.network, syn.as_of
    by_code: dict[str, set[str]] = {}
    for d in syn.defects:
        by_code.setdefault(d.code, set()).update(d.ids)
    agreements = net.agreement_index
    no_agreement = {t.id for t in net.transitions if not t.agreements}
    informal = {t.id for t in net.transitions if t.agreements
                and all(not agreements[a].binding for a in t.agreements)}
    expired = {t.id for t in net.transitions if t.agreements and all(
        agreements[a].valid_until is not None and agreements[a].valid_until < as_of
        for a in t.agreements)}
    no_owner = {t.id for t in net.transitions if t.owner is None}
    person = {t.id for t in net.transitions if t.person_dependent}
    not_party = {t.id for t in net.transitions if t.owner and t.agreements and all(
        t.owner not in agreements[a].parties for a in t.agreements)}
    touched = {t.source for t in net.transitions} | {t.target for t in net.transitions}
    pearls = {s.id for s in net.services if s.id not in touched}
    assert no_agreement == by_code["NO_AGREEMENT"]
    assert informal == by_code["INFORMAL_ONLY"]
    assert expired == by_code["AGREEMENT_EXPIRED"]
    assert no_owner == by_code["NO_OWNER"]
    assert person == by_code["PERSON_DEPENDENT"]
    assert not_party == by_code["OWNER_NOT_PARTY"]
    assert pearls == by_code["PEARL"]


@pytest.mark.slow
def test_generator_reaches_1000_quarters():
    syn = generate(quarters=1000, services_per_quarter=200, seed=0)
    net = syn.network
    assert len(net.quarters) == 1000
    assert len(net.services) == 1000 * 200 + sum(d.code == "PEARL" for d in syn.defects)
    assert len(syn.defects) == 1000
    edges = len(net.transitions) + sum(1 + len(s.quarters) + len(s.life_stages) + len(s.fields)
                                       for s in net.services)
    assert edges > 1_000_000  # property-graph edges: transitions + service links
