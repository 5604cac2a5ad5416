"""Incremental checking of one change (graph/incremental.py) against the whole check.

For random valid networks and random edits – adding, replacing and removing entities of
every section, many of them invalid (unknown references, ids taken by another kind,
dates in the wrong order, transitions turned backwards, removals of what others still
refer to) – the incremental verdict must equal checking the whole changed network:
the same resulting network, or the same problems in the same order.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from graph.edit import find, remove, upsert
from graph.errors import InvalidNetworkError, Problem
from graph.incremental import changed, entity_key, positions
from graph.network import ALL_SECTIONS, Network
from tests.strategies import FIELDS, STAGES, networks
from tests.test_sites import networks_with_sites

_BAD = ["gibtsnicht", "q9", "p7", "Babylotsen"]
_ORDER = ["services", "transitions", "agreements", "quarters", "providers", "referral_flows",
          "measures", "districts", "accepted_findings", "municipalities",
          "sites"]  # shrinks to the first


def _whole(net: Network, section: str, key: str,
           entity: BaseModel | None) -> Network | list[Problem]:
    """The change made the way it was made before: the whole network checked again."""
    items = list(getattr(net, section))
    if entity is None:
        items = [e for e in items if entity_key(e) != key]
    else:
        for i, e in enumerate(items):
            if entity_key(e) == key:
                items[i] = entity
                break
        else:
            items.append(entity)
    try:
        return net.with_sections(**{section: items})
    except InvalidNetworkError as exc:
        return exc.problems


def _incremental(net: Network, section: str, key: str,
                 entity: BaseModel | None) -> Network | list[Problem]:
    try:
        return changed(net, section, key, entity)
    except InvalidNetworkError as exc:
        return exc.problems


def _ids(net: Network) -> list[str]:
    return [e.id for s in ("municipalities", "districts", "quarters", "providers", "sites",
                           "services", "transitions", "agreements") for e in getattr(net, s)]


@st.composite
def _updates(draw: Any, net: Network, section: str, keep_key: bool) -> dict[str, Any]:
    """Random new values for some fields of an entity of ``section``."""
    ids = _ids(net) + _BAD
    services = [s.id for s in net.services] + _BAD[:1]
    providers = [p.id for p in net.providers] + _BAD[2:3]
    day = st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2040, 1, 1))
    options: dict[str, st.SearchStrategy[Any]] = {}
    if section == "services":
        options = {"provider": st.sampled_from(providers + ids),
                   "quarters": st.lists(st.sampled_from([q.id for q in net.quarters] + _BAD),
                                        min_size=1, max_size=2, unique=True),
                   "life_stages": st.lists(st.sampled_from([*STAGES, "Säugling", "baby"]),
                                           min_size=1, max_size=2, unique=True),
                   "fields": st.lists(st.sampled_from([*FIELDS, "gesundheit"]), min_size=1,
                                      max_size=2, unique=True),
                   "valid_from": day, "valid_until": day, "name": st.sampled_from(["A", "B"]),
                   "sites": st.lists(st.sampled_from([x.id for x in net.sites] + _BAD),
                                     max_size=2, unique=True)}
    elif section == "transitions":
        options = {"source": st.sampled_from(services), "target": st.sampled_from(services),
                   "owner": st.none() | st.sampled_from(providers),
                   "agreements": st.lists(st.sampled_from(
                       [a.id for a in net.agreements] + _BAD[:1]), max_size=2, unique=True),
                   "backwards": st.booleans()}
    elif section == "agreements":
        options = {"parties": st.lists(st.sampled_from(providers), min_size=1, max_size=2,
                                       unique=True),
                   "valid_from": day, "valid_until": day, "signed": day,
                   "quarters": st.lists(st.sampled_from([q.id for q in net.quarters] + _BAD),
                                        max_size=2, unique=True)}
    elif section == "quarters":
        options = {"district": st.none() | st.sampled_from(["d", *ids]),
                   "municipality": st.none() | st.sampled_from(["m", *ids])}
    elif section == "sites":
        options = {"quarter": st.none() | st.sampled_from([q.id for q in net.quarters] + _BAD),
                   "name": st.sampled_from(["Neu", "Anders"])}
    elif section == "districts":
        options = {"municipality": st.sampled_from(["m", *ids])}
    elif section == "referral_flows":
        options = {"referred": st.integers(0, 20), "arrived": st.integers(0, 20)}
        if not keep_key:
            options["transition"] = st.sampled_from([t.id for t in net.transitions] + _BAD)
    elif section == "measures":
        options = {"responsible": st.sampled_from(providers + ids)}
    elif section in ("municipalities", "providers"):
        options = {"name": st.sampled_from(["Neu", "Anders"])}
    elif section == "accepted_findings":
        options = {"reason": st.sampled_from(["geprüft", "bewusst"])}
    chosen = draw(st.lists(st.sampled_from(sorted(options)), unique=True)) if options else []
    updates = {name: draw(options[name]) for name in chosen}
    if not keep_key:
        if section in ("municipalities", "districts", "quarters", "providers", "sites",
                       "services", "transitions", "agreements", "measures"):
            updates["id"] = draw(st.sampled_from(["neu", *_ids(net)]))
        elif section == "accepted_findings":
            updates["key"] = draw(st.sampled_from(["PEARL/neu", "NO_OWNER/neu"]))
    return updates


@st.composite
def network_and_edit(draw: Any) -> tuple[Network, str, str, BaseModel | None]:
    net = draw(networks() | networks_with_sites())  # sites, stated agreement quarters
    section = draw(st.sampled_from([s for s in _ORDER if getattr(net, s)]))
    items = getattr(net, section)
    template = draw(st.sampled_from(items))
    action = draw(st.sampled_from(["add", "replace", "remove"]))
    if action == "remove":
        return net, section, entity_key(template), None
    entity = template.model_copy(update=draw(_updates(net, section, action == "replace")))
    return net, section, entity_key(entity), entity


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(network_and_edit())
def test_incremental_check_equals_the_whole_check(case: tuple[Network, str, str, Any]
                                                  ) -> None:
    net, section, key, entity = case
    expected = _whole(net, section, key, entity)
    got = _incremental(net, section, key, entity)
    event(f"{section}: {'abgelehnt' if isinstance(expected, list) else 'angenommen'}")
    if isinstance(expected, list):
        assert got == expected
    else:
        assert isinstance(got, Network)
        assert got == expected
        assert got.model_dump() == expected.model_dump()
        # the look-ups carried over to the new network are those it would build itself
        for s in ALL_SECTIONS:
            assert positions(got, s) == positions(expected, s)
        assert got.by_id == expected.by_id
        assert got.service_index == expected.service_index
        assert got.site_index == expected.site_index
        assert got.transition_index == expected.transition_index


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(network_and_edit(), st.data())
def test_a_chain_of_edits_equals_the_whole_check(case: tuple[Network, str, str, Any],
                                                 data: st.DataObject) -> None:
    """Look-ups carried from network to network stay right over several changes."""
    net, section, key, entity = case
    for _ in range(4):
        for s in ALL_SECTIONS:  # as an index user would: look-ups made before the change
            positions(net, s)
        _ = net.by_id, net.service_index, net.quarter_index
        expected = _whole(net, section, key, entity)
        got = _incremental(net, section, key, entity)
        assert got == expected
        if isinstance(got, Network):
            assert got.by_id == expected.by_id  # type: ignore[union-attr]
            assert got.provider_index == expected.provider_index  # type: ignore[union-attr]
            net = got
        items = [s for s in ALL_SECTIONS if getattr(net, s)]
        section = data.draw(st.sampled_from(items))
        template = data.draw(st.sampled_from(getattr(net, section)))
        if data.draw(st.booleans()):
            key, entity = entity_key(template), None
        else:
            entity = template.model_copy(update=data.draw(_updates(net, section, True)))
            key = entity_key(entity)


def test_upsert_and_remove_use_the_incremental_check() -> None:
    from seeds import load_seed

    net = load_seed("brunnenstrasse")
    service = net.services[0]
    renamed = upsert(net, "services", service.model_copy(update={"name": "Neu"}))
    assert find(renamed, "services", service.id).name == "Neu"  # type: ignore[attr-defined]
    try:
        remove(net, "services", service.id)
    except InvalidNetworkError as exc:
        whole = _whole(net, "services", service.id, None)
        assert exc.problems == whole
    else:
        raise AssertionError("a service with transitions cannot be removed")
