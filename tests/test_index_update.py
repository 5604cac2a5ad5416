"""The analysis index carried over a change (lotsen/index_update.py) against a fresh one.

For random networks and random valid edits: when :func:`index_after` carries the index
over, the findings of the whole network and of each quarter, at several dates, are the
same as with an index built anew for the changed network; when it declines, nothing is
kept with the new network.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from graph.errors import InvalidNetworkError
from graph.incremental import changed, locate
from graph.network import Network
from lotsen.check import check
from lotsen.index import _CACHE_KEY, get_index
from lotsen.index_update import index_after
from seeds import load_seed
from tests.strategies import networks
from tests.test_incremental import network_and_edit

DAYS = [dt.date(2010, 1, 1), dt.date(2026, 11, 22), dt.date(2035, 6, 1)]


def _same_findings(carried: Network, fresh: Network) -> None:
    for day in DAYS:
        assert check(carried, day) == check(fresh, day)
        for q in carried.quarters:
            assert check(carried, day, quarters=[q.id]) == check(fresh, day, quarters=[q.id])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(network_and_edit())
def test_carried_index_gives_the_findings_of_a_fresh_one(
        case: tuple[Network, str, str, Any]) -> None:
    net, section, key, entity = case
    try:
        new = changed(net, section, key, entity)
    except InvalidNetworkError:
        event("abgelehnt")
        return
    get_index(net)
    for day in DAYS[:1]:
        check(net, day)  # the old index has answered (and memorised) before the change
    idx = index_after(net, new, section, locate(net, section, key), entity)
    if idx is None:
        event(f"{section}: neu gebaut")
        assert _CACHE_KEY not in new.cache
        return
    event(f"{section}: übernommen")
    assert get_index(new) is idx
    fresh = new.model_copy()  # the same network without anything derived
    assert _CACHE_KEY not in fresh.cache
    _same_findings(new, fresh)
    rebuilt = get_index(fresh)
    assert idx.quarters.keys() == rebuilt.quarters.keys()
    assert idx.flows == rebuilt.flows
    for q, qi in idx.quarters.items():
        assert sorted(qi.flagged) == sorted(rebuilt.quarters[q].flagged)


def test_a_renamed_service_keeps_the_index_and_its_findings() -> None:
    net = load_seed("brunnenstrasse")
    get_index(net)
    service = net.services[0]
    after = service.model_copy(update={"name": "Neu", "description": "anders"})
    new = changed(net, "services", service.id, after)
    idx = index_after(net, new, "services", service, after)
    assert idx is not None and idx.services[service.id] is after
    _same_findings(new, new.model_copy())


def test_a_service_in_other_life_stages_needs_a_new_index() -> None:
    net = load_seed("brunnenstrasse")
    get_index(net)
    service = next(s for s in net.services if s.life_stages != ["birth"])
    after = service.model_copy(update={"description": "anders", "life_stages": ["birth"]})
    try:
        new = changed(net, "services", service.id, after)
    except InvalidNetworkError:  # turns a transition backwards: a refused change
        return
    assert index_after(net, new, "services", service, after) is None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(), st.data())
def test_another_backing_of_a_transition_is_carried_over(net: Network,
                                                         data: st.DataObject) -> None:
    assume(net.transitions)
    before = data.draw(st.sampled_from(net.transitions))
    providers = [p.id for p in net.providers]
    after = before.model_copy(update={
        "owner": data.draw(st.none() | st.sampled_from(providers)),
        "agreements": data.draw(st.lists(st.sampled_from([a.id for a in net.agreements]),
                                         unique=True)) if net.agreements else [],
        "person_dependent": data.draw(st.booleans()),
        "language_mediation": data.draw(st.booleans())})
    new = changed(net, "transitions", before.id, after)
    get_index(net)
    check(net, DAYS[1])
    idx = index_after(net, new, "transitions", before, after)
    assert idx is not None
    fresh = new.model_copy()
    _same_findings(new, fresh)
    rebuilt = get_index(fresh)
    for name in ("no_owner", "person_dependent", "assessed", "signatures",
                 "language_breaks"):
        assert getattr(idx, name) == getattr(rebuilt, name)
        if isinstance(getattr(idx, name), dict):
            assert list(getattr(idx, name)) == list(getattr(rebuilt, name))
    for q, qi in idx.quarters.items():
        assert qi.signatures == rebuilt.quarters[q].signatures
        assert list(qi.signatures) == list(rebuilt.quarters[q].signatures)
        assert sorted(qi.flagged) == sorted(rebuilt.quarters[q].flagged)
