"""Hypothesis strategies: valid networks of every shape the format allows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from graph.catalogue import default_catalogue
from graph.contact import Contact
from graph.model import (
    AcceptedFinding,
    Access,
    Agreement,
    AgreementKind,
    AnchorKind,
    CapacityUnit,
    District,
    Measure,
    MeasureStatus,
    Municipality,
    Provider,
    ProviderKind,
    Quarter,
    ReferralFlow,
    Service,
    ServiceStatus,
    SocialData,
    Transition,
    TransitionKind,
)
from graph.network import Network

STAGES = [s.id for s in default_catalogue().life_stages]
FIELDS = [f.id for f in default_catalogue().fields]

# Text as people write it: letters (with umlauts, Arabic, Turkish ...), digits,
# punctuation, spaces, line breaks inside descriptions.
_alphabet = st.characters(categories=("L", "N", "P", "Zs"), exclude_characters="\x85\u2028\u2029")
names = st.text(_alphabet, min_size=1, max_size=30).map(str.strip).filter(bool)
descriptions = st.none() | st.text(
    st.one_of(_alphabet, st.just("\n")), min_size=1, max_size=60).map(str.strip).filter(bool)
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))
languages = st.lists(st.sampled_from(["de", "tr", "ar", "bg", "ro", "pl", "ru", "uk"]),
                     min_size=1, max_size=3, unique=True)


contacts = st.none() | st.builds(
    Contact,
    url=st.none() | st.sampled_from(["https://www.awo-dortmund.de/kita",
                                     "http://example.org/?a=1#b"]),
    email=st.none() | st.sampled_from(["info@awo-dortmund.de", "kita.nord@stadt.dortmund.de"]),
    phone=st.none() | st.from_regex(r"\A\+?[0-9]{2,5}[ /-][0-9]{3,8}\Z"),
    opening_hours=st.none() | names)


def _date_pair(draw: Any) -> tuple[dt.date | None, dt.date | None]:
    a, b = draw(st.none() | dates), draw(st.none() | dates)
    if a is not None and b is not None and a > b:
        a, b = b, a
    return a, b


SHAPES = ("kommune-ohne-bezirke", "kommune-mit-bezirken", "mehrere-kommunen")
"""The hierarchy shapes (graph.hierarchy): Kreis → Kommune without Stadtbezirke (Selm,
Lünen: quarters directly in the municipality); a city with Stadtbezirke (Dortmund); the
quarters of several communes of one Kreis, with and without Stadtbezirke."""


@st.composite
def hierarchies(draw: Any, n_quarters: int, shape: str | None = None
                ) -> tuple[list[Municipality], list[District], list[tuple[str | None, str | None]]]:
    """Municipalities, districts and for each quarter its (district, municipality) in one
    of :data:`SHAPES` (drawn when not given)."""
    shape = shape or draw(st.sampled_from(SHAPES))
    county = "Kreis Unna" if shape == "mehrere-kommunen" else draw(st.none() | names)
    n_municipalities = draw(st.integers(2, 3)) if shape == "mehrere-kommunen" else 1
    municipalities = [Municipality(id=f"m{i}" if i else "m", name=draw(names), county=county,
                                   state=draw(st.none() | st.just("NRW")))
                      for i in range(n_municipalities)]
    districts: list[District] = []
    of: dict[str, list[str]] = {}
    for m in municipalities:
        with_districts = shape == "kommune-mit-bezirken" or (
            shape == "mehrere-kommunen" and draw(st.booleans()))
        for _ in range(draw(st.integers(1, 2)) if with_districts else 0):
            d = District(id="d" if not districts else f"d{len(districts)}", name=draw(names),
                         municipality=m.id, description=draw(descriptions))
            districts.append(d)
            of.setdefault(m.id, []).append(d.id)
    places: list[tuple[str | None, str | None]] = []
    for _ in range(n_quarters):
        m = draw(st.sampled_from(municipalities)).id
        if m in of and draw(st.integers(0, 3)):  # mostly in a district, sometimes not
            places.append((draw(st.sampled_from(of[m])),
                           m if draw(st.booleans()) else None))  # naming both is allowed
        else:
            places.append((None, m))
    return municipalities, districts, places


@st.composite
def networks(draw: Any, max_services: int = 8, shape: str | None = None,
             max_quarters: int = 3) -> Network:
    """A valid network: every reference resolves, dates are ordered; its hierarchy is one
    of :data:`SHAPES` (``shape``, else drawn), its services may serve several quarters
    (of several communes) and its agreements may name quarters."""
    n_quarters = draw(st.integers(1, max_quarters))
    municipalities, districts, places = draw(hierarchies(n_quarters, shape))
    quarters = []
    for i, (district, municipality) in enumerate(places):
        social = []
        for year in draw(st.lists(st.integers(2000, 2030), max_size=2, unique=True)):
            social.append(SocialData(
                year=year, inhabitants=draw(st.none() | st.integers(0, 50000)),
                births_per_year=draw(st.none() | st.integers(0, 1000)),
                children_by_stage=draw(st.dictionaries(st.sampled_from(STAGES),
                                                       st.integers(0, 2000), max_size=3)),
                sgb2_share=draw(st.none() | st.floats(0, 1)),
                migrant_share=draw(st.none() | st.floats(0, 1)),
                main_languages=draw(languages)))
        quarters.append(Quarter(id=f"q{i}", name=draw(names), district=district,
                                municipality=municipality, social_data=social))
    n_providers = draw(st.integers(1, 4))
    providers = [Provider(id=f"p{i}", name=draw(names),
                          kind=draw(st.sampled_from(ProviderKind)),
                          anchor=draw(st.none() | st.sampled_from(AnchorKind)),
                          description=draw(descriptions))
                 for i in range(n_providers)]
    provider_ids = [p.id for p in providers]
    services = []
    for i in range(draw(st.integers(0, max_services))):
        start, end = _date_pair(draw)
        services.append(Service(
            id=f"s{i}", name=draw(names), provider=draw(st.sampled_from(provider_ids)),
            quarters=draw(st.lists(st.sampled_from([q.id for q in quarters]), min_size=1,
                                   max_size=3, unique=True)),
            life_stages=draw(st.lists(st.sampled_from(STAGES), min_size=1, max_size=3,
                                      unique=True)),
            fields=draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=2, unique=True)),
            target_groups=draw(st.lists(names, max_size=2, unique=True)),
            languages=draw(languages),
            access=draw(st.lists(st.sampled_from(Access), max_size=3, unique=True)),
            capacity_per_year=draw(st.none() | st.integers(0, 1000)),
            capacity_unit=draw(st.none() | st.sampled_from(CapacityUnit)),
            language_bridge=draw(st.booleans()),
            status=draw(st.sampled_from(ServiceStatus)), valid_from=start, valid_until=end,
            contact_role=draw(st.none() | names), site=draw(st.none() | names),
            description=draw(descriptions), contact=draw(contacts)))
    agreements = []
    for i in range(draw(st.integers(0, 3))):
        start, end = _date_pair(draw)
        signed = draw(st.none() | dates)
        if signed is not None and end is not None and signed > end:
            signed = end
        agreements.append(Agreement(
            id=f"a{i}", name=draw(names), kind=draw(st.sampled_from(AgreementKind)),
            parties=draw(st.lists(st.sampled_from(provider_ids), min_size=1, unique=True)),
            signed=signed, valid_from=start, valid_until=end,
            review_date=draw(st.none() | dates), binding=draw(st.booleans()),
            quarters=draw(st.lists(st.sampled_from([q.id for q in quarters]), max_size=2,
                                   unique=True))))
    transitions = []
    order = {s: i for i, s in enumerate(STAGES)}
    if len(services) >= 2:
        pairs = draw(st.lists(st.tuples(st.sampled_from(services), st.sampled_from(services)),
                              max_size=6))
        for i, (src, tgt) in enumerate(pairs):
            if src.id == tgt.id:
                continue
            backwards = max(order[s] for s in tgt.life_stages) < \
                min(order[s] for s in src.life_stages)
            transitions.append(Transition(
                id=f"t{i}", source=src.id, target=tgt.id,
                kind=draw(st.sampled_from(TransitionKind)),
                owner=draw(st.none() | st.sampled_from(provider_ids)),
                agreements=draw(st.lists(st.sampled_from([a.id for a in agreements]),
                                         unique=True)) if agreements else [],
                person_dependent=draw(st.booleans()),
                handover=draw(st.lists(names, max_size=2, unique=True)),
                backwards=backwards or draw(st.booleans()),
                language_mediation=draw(st.booleans()),
                description=draw(descriptions)))
    flows = []
    for t in transitions[:2]:
        start = draw(dates)
        referred = draw(st.integers(0, 100))
        flows.append(ReferralFlow(transition=t.id, period_start=start,
                                  period_end=start + dt.timedelta(days=draw(st.integers(0, 365))),
                                  referred=referred, arrived=draw(st.integers(0, referred))))
    keys = [f"PEARL/{x.id}" for x in services] + [f"NO_OWNER/{t.id}" for t in transitions]
    accepted = [AcceptedFinding(key=k, reason=draw(names), by=draw(names), on=draw(dates),
                                until=draw(st.none() | dates))
                for k in draw(st.lists(st.sampled_from(keys), max_size=2, unique=True))
                ] if keys else []
    measures = [Measure(id=f"mass{i}", title=draw(names), responsible=draw(
                    st.sampled_from(provider_ids)),
                        findings=draw(st.lists(st.sampled_from(keys), max_size=2, unique=True))
                        if keys else [],
                        due=draw(st.none() | dates), status=draw(st.sampled_from(MeasureStatus)),
                        note=draw(descriptions))
                for i in range(draw(st.integers(0, 2)))]
    return Network(name=draw(names), description=draw(descriptions),
                   municipalities=municipalities, districts=districts, quarters=quarters,
                   providers=providers, services=services, transitions=transitions,
                   agreements=agreements, referral_flows=flows, accepted_findings=accepted,
                   measures=measures)
