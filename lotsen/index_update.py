"""The analysis index after one change, made from the index before it.

Building the index of a city network takes seconds (:mod:`lotsen.index`); a change of
one entity changes little of it. :func:`index_after` carries the previous network's
index over to the changed network and changes only what the change touches:

* a change the index does not see – names, descriptions, contacts, an agreement, a
  quarter's social data, measures, accepted findings, municipalities, districts, a
  provider without a new anchor, a service or transition whose fields the index reads
  stay the same – keeps every part and points it at the new network;
* a new or removed quarter adds or drops its (empty) part; new referral figures change
  the figures of their transition; a transition with another backing (owner,
  agreements, one person, language mediation, assessments) between the same services
  changes its groups and marks, network-wide and in the quarters it concerns;
* everything else (a service moved to other quarters or life stages, a transition with
  other ends, a new or removed service or transition, ...) is not made incrementally:
  :func:`index_after` returns None and the caller builds the index anew.

The analysis results kept with an index (its memo) start empty: they depend on content
the index does not hold. ``tests/test_index_update.py`` checks that the carried index
gives the same findings as a fresh one.
"""

from __future__ import annotations

import bisect
import copy
from typing import Any

from pydantic import BaseModel

from graph.incremental import positions
from graph.model import Provider, ReferralFlow, Service, Transition
from graph.network import Network
from lotsen.index import _CACHE_KEY, ChainIndex, QuarterIndex

__all__ = ["index_after"]

_SERVICE_FIELDS = ("provider", "quarters", "life_stages", "status", "valid_from",
                   "valid_until", "capacity_per_year", "capacity_unit", "target_groups",
                   "fields", "languages", "language_bridge")
"""What the index reads of a service (a change elsewhere leaves the index as it is)."""

_TRANSITION_FIELDS = ("source", "target", "agreements", "owner", "person_dependent",
                      "cooperation", "data_protection", "language_mediation")
"""What the index reads of a transition."""

_UNSEEN = ("municipalities", "districts", "agreements", "accepted_findings", "measures",
           "meetings")
"""Sections the index does not read at all."""


def _same(before: BaseModel, after: BaseModel, names: tuple[str, ...]) -> bool:
    return all(getattr(before, n) == getattr(after, n) for n in names)


def index_after(old_net: Network, new_net: Network, section: str,
                before: BaseModel | None, after: BaseModel | None) -> ChainIndex | None:
    """The index of ``new_net`` (``old_net`` with one entity of ``section`` changed from
    ``before`` to ``after``; None: absent), made from the index of ``old_net`` and kept
    with ``new_net``; None when ``old_net`` has no index or the change needs a new one."""
    old: ChainIndex | None = old_net.cache.get(_CACHE_KEY)
    if old is None:
        return None
    idx = _carried(old, new_net)
    if section in _UNSEEN:
        pass
    elif section == "quarters":
        if before is None and after is not None:  # a new quarter: nothing serves it yet
            idx.quarters = dict(idx.quarters)
            qi = QuarterIndex(str(getattr(after, "id")))  # noqa: B009
            idx._quarter_shape(qi)
            idx.quarters[qi.id] = qi
        elif after is None and before is not None:  # only a quarter nothing serves goes
            idx.quarters = {q: qi for q, qi in idx.quarters.items()
                            if q != getattr(before, "id")}  # noqa: B009
    elif section == "providers":
        if isinstance(before, Provider) and isinstance(after, Provider) \
                and before.anchor != after.anchor:
            return None
    elif section == "services":
        if not (isinstance(before, Service) and isinstance(after, Service)
                and _same(before, after, _SERVICE_FIELDS)):
            return None
        idx.dated = [after if s is before else s for s in old.dated]
    elif section == "transitions":
        if not (isinstance(before, Transition) and isinstance(after, Transition)
                and _same(before, after, ("source", "target"))):
            return None
        if not _same(before, after, _TRANSITION_FIELDS):
            _backing_changed(idx, new_net, before, after)
    elif section == "referral_flows":
        if not _flows_changed(idx, new_net, before, after):
            return None
    else:
        return None
    new_net.cache[_CACHE_KEY] = idx
    return idx


def _carried(old: ChainIndex, new_net: Network) -> ChainIndex:
    """The index ``old`` pointed at ``new_net``, with an empty memo (parts are shared:
    none of them is ever changed in place)."""
    idx = object.__new__(ChainIndex)
    idx.__dict__.update(old.__dict__)
    idx.net = new_net
    idx.services = new_net.service_index
    idx.transitions = new_net.transition_index
    idx.fresh_memos()
    return idx


def _flows_changed(idx: ChainIndex, net: Network, before: Any, after: Any) -> bool:
    """New referral figures of one transition in ``idx`` (False: not possible here)."""
    transitions = {f.transition for f in (before, after) if isinstance(f, ReferralFlow)}
    if len(transitions) != 1:
        return False
    tid = transitions.pop()
    flows = [f for f in net.referral_flows if f.transition == tid]  # in network order
    idx.flows = dict(idx.flows)
    if flows:
        idx.flows[tid] = flows
    else:
        idx.flows.pop(tid, None)
    t = idx.transitions.get(tid)
    flagged = bool(flows) or tid in idx.language_breaks or (
        t is not None and (t.owner is None or t.person_dependent))
    quarters = idx.quarters
    for q in idx.quarters_of_transition.get(tid, ()):
        qi = quarters[q]
        if (tid in qi.flagged) == flagged:
            continue
        if quarters is idx.quarters:
            quarters = dict(quarters)
        qi = copy.copy(qi)
        qi.flagged = [*qi.flagged, tid] if flagged else [x for x in qi.flagged if x != tid]
        quarters[q] = qi
    idx.quarters = quarters
    return True


def _backing_changed(idx: ChainIndex, net: Network, before: Transition,
                     after: Transition) -> None:
    """``after`` backs the same hand-off as ``before`` differently: its groups by
    backing and its marks (no owner, one person, language, assessed), in network order."""
    tid = after.id
    where = positions(net, "transitions")

    def placed(items: list[str], wanted: bool) -> list[str]:
        present = tid in items
        if present == wanted:
            return items  # unchanged (shared with the previous index)
        items = list(items)
        if present:
            items.remove(tid)
        else:
            bisect.insort(items, tid, key=where.__getitem__)
        return items

    idx.no_owner = placed(idx.no_owner, after.owner is None)
    idx.person_dependent = placed(idx.person_dependent, after.person_dependent)
    idx.assessed = placed(idx.assessed,
                          bool(after.cooperation or after.data_protection is not None))
    old_key = (tuple(before.agreements), before.owner)
    new_key = (tuple(after.agreements), after.owner)
    if old_key != new_key:
        signatures = dict(idx.signatures)
        was = signatures[old_key]
        kept = placed(was, False)
        if kept:
            signatures[old_key] = kept  # keeps its place among the groups
        else:
            del signatures[old_key]
        joined = placed(signatures.get(new_key, []), True)
        reorder = was[0] == tid or joined[0] == tid  # a group's first transition changed
        signatures[new_key] = joined
        if reorder:  # in the order of their first transition, as a fresh index has them
            signatures = dict(sorted(signatures.items(), key=lambda kv: where[kv[1][0]]))
        idx.signatures = signatures
    speaks, target = idx.services[after.source].languages, idx.services[after.target]
    missing: tuple[str, ...] = ()
    if speaks != target.languages and not after.language_mediation \
            and not target.language_bridge:
        missing = tuple(x for x in speaks if x not in target.languages)
    if idx.language_breaks.get(tid, ()) != missing:
        breaks = {k: v for k, v in idx.language_breaks.items() if k != tid}
        if missing:
            breaks[tid] = missing
            breaks = dict(sorted(breaks.items(), key=lambda kv: where[kv[0]]))
        idx.language_breaks = breaks
    breaks = idx.language_breaks
    flagged = (after.owner is None or after.person_dependent or tid in breaks
               or tid in idx.flows)
    quarters = dict(idx.quarters)
    for q in idx.quarters_of_transition.get(tid, ()):
        qi = copy.copy(quarters[q])
        if (tid in qi.flagged) != flagged:
            qi.flagged = [*qi.flagged, tid] if flagged else [x for x in qi.flagged
                                                              if x != tid]
        groups: dict[tuple[tuple[str, ...], str | None], list[str]] = {}
        for x in qi.transitions:
            t = idx.transitions[x]
            groups.setdefault((tuple(t.agreements), t.owner), []).append(x)
        qi.signatures = groups
        quarters[q] = qi
    idx.quarters = quarters
