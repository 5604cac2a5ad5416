"""Findings about single transitions (hand-offs).

Rules, for every transition whose source runs on the as-of date:

* backing – ``NO_AGREEMENT`` (none listed, or none in force yet), ``INFORMAL_ONLY``
  (none binding), ``AGREEMENT_EXPIRED`` (binding ones, all ended),
  ``AGREEMENT_EXPIRING`` (in force, but every binding one in force ends within the
  horizon), ``OWNER_NOT_PARTY`` (the owner signed none of the binding ones in force);
* ``NO_OWNER``, ``PERSON_DEPENDENT``;
* ``TARGET_INACTIVE`` – the receiving service does not run on the date;
* kind and scope – a transition of kind "information only" needs no binding agreement:
  ``INFORMAL_ONLY`` is not reported and the other backing findings are at most low; a
  hand-over between two services of one provider is internal: no ``NO_AGREEMENT`` or
  ``INFORMAL_ONLY``;
* ``LANGUAGE_BREAK`` – the source speaks languages the target does not, and families of
  the transition's quarters speak them (main languages of the newest social data) or the
  source's target group names them; not when the hand-over includes language mediation
  or the target is a language-bridge service; one finding per transition naming the
  languages lost (judged when the target runs);
* ``HANDOFF_LOSS`` – the newest referral figures (period ending within
  ``flow_window_days`` before the date, at least ``min_referred`` referrals) lost at
  least ``loss_rate`` of the families.

The backing is evaluated once per distinct (agreements, owner) pair and date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from graph.model import AgreementKind, TransitionKind
from lotsen import texts
from lotsen.findings import Finding, Severity
from lotsen.index import ChainIndex
from lotsen.labels import service_label
from lotsen.settings import AnalysisSettings

__all__ = ["Backing", "backing", "handoff_findings", "is_exempt", "lost_languages",
           "transition_label"]


@dataclass(frozen=True)
class Backing:
    """What backs a transition on a date: a finding code (None = sound) and details."""

    code: str | None
    agreements: tuple[str, ...]
    days_left: int | None = None
    owner_not_party: bool = False
    valid_until: dt.date | None = None


def backing(idx: ChainIndex, agreement_ids: tuple[str, ...], owner: str | None,
            as_of: dt.date, settings: AnalysisSettings) -> Backing:
    """The state of a transition's agreements on ``as_of`` (memoised)."""
    key = ("backing", agreement_ids, owner, as_of, settings.expiry_horizon_days)
    cached = idx.memo.get(key)
    if cached is None:
        cached = _backing(idx, agreement_ids, owner, as_of, settings)
        idx.memo[key] = cached
    result: Backing = cached
    return result


def _backing(idx: ChainIndex, agreement_ids: tuple[str, ...], owner: str | None,
             as_of: dt.date, settings: AnalysisSettings) -> Backing:
    if not agreement_ids:
        return Backing("NO_AGREEMENT", ())
    index = idx.net.agreement_index
    if len(agreement_ids) == 1:  # the usual case, without building lists
        a = index[agreement_ids[0]]
        if not a.binding or a.kind is AgreementKind.INFORMAL:
            return Backing("INFORMAL_ONLY", agreement_ids)
        binding = [a]
        in_force = binding if a.is_valid_on(as_of) else []
    else:
        agreements = [index[x] for x in agreement_ids]
        binding = [x for x in agreements if x.binding and x.kind is not AgreementKind.INFORMAL]
        if not binding:
            return Backing("INFORMAL_ONLY", agreement_ids)
        in_force = [x for x in binding if x.is_valid_on(as_of)]
    if not in_force:
        ended = [a for a in binding if a.valid_until is not None and a.valid_until < as_of]
        code = "AGREEMENT_EXPIRED" if ended else "NO_AGREEMENT"
        # an expired agreement shows the day it ended (never „gültig bis –“)
        until = max(a.valid_until for a in ended if a.valid_until is not None) \
            if ended else None
        return Backing(code, tuple(a.id for a in (ended or binding)), valid_until=until)
    not_party = owner is not None and all(owner not in a.parties for a in in_force)
    ends = [a.valid_until for a in in_force]
    last = None if any(e is None for e in ends) else max(e for e in ends if e is not None)
    if last is not None and (last - as_of).days <= settings.expiry_horizon_days:
        return Backing("AGREEMENT_EXPIRING", tuple(a.id for a in in_force),
                       (last - as_of).days, not_party, last)
    return Backing(None, tuple(a.id for a in in_force), None, not_party, last)


def is_internal(idx: ChainIndex, tid: str) -> bool:
    """Whether a transition hands over between two services of one provider."""
    t = idx.transitions[tid]
    return idx.services[t.source].provider == idx.services[t.target].provider


def is_exempt(idx: ChainIndex, tid: str) -> bool:
    """Whether a transition needs no binding agreement between institutions: it only
    passes information, or it stays within one provider.

    >>> from seeds import load_seed
    >>> from lotsen.index import get_index
    >>> idx = get_index(load_seed("brunnenstrasse"))
    >>> is_exempt(idx, next(iter(idx.transitions)))
    False
    """
    t = idx.transitions[tid]
    return t.kind is TransitionKind.INFORMATION or is_internal(idx, tid)


_EXEMPT_DROPS = {"NO_AGREEMENT", "INFORMAL_ONLY"}


def _quarter_languages(idx: ChainIndex, quarter: str, year: int) -> frozenset[str]:
    key = ("quarter-languages", quarter, year)
    cached = idx.memo.get(key)
    if cached is None:
        data = idx.net.quarter_index[quarter].social_data_for(year)
        cached = frozenset(data.main_languages) if data is not None else frozenset()
        idx.memo[key] = cached
    result: frozenset[str] = cached
    return result


def _named_in(groups: Iterable[str], language: str) -> bool:
    name = texts.LANGUAGE_NAMES.get(language, "").casefold()
    return bool(name) and any(name in g.casefold() for g in groups)


def lost_languages(idx: ChainIndex, tid: str, as_of: dt.date) -> tuple[str, ...]:
    """The languages families lose at a transition: spoken by the source, not by the
    target, and spoken by families of the transition's quarters (social data) or named
    by the source's target groups. Empty with language mediation or when the target is
    a language-bridge service.

    >>> from seeds import load_seed
    >>> import datetime as dt
    >>> from lotsen.index import get_index
    >>> idx = get_index(load_seed("brunnenstrasse"))
    >>> [lost_languages(idx, t, dt.date(2026, 11, 22)) for t in idx.language_breaks]
    [('tr', 'ar')]
    """
    missing = idx.language_breaks.get(tid)
    if not missing:
        return ()
    spoken: set[str] = set()
    for q in idx.quarters_of_transition[tid]:
        spoken |= _quarter_languages(idx, q, as_of.year)
    groups = idx.services[idx.transitions[tid].source].target_groups
    return tuple(x for x in missing if x in spoken or _named_in(groups, x))


def transition_label(idx: ChainIndex, transition_id: str) -> str:
    """„Source“ (provider) → „Target“ (provider), for messages (made once per index)."""
    key = ("label", transition_id)
    label: str | None = idx.memo.get(key)
    if label is None:
        t = idx.net.transition_index[transition_id]
        label = f"{service_label(idx.net, t.source)} → {service_label(idx.net, t.target)}"
        idx.memo[key] = label
    return label


def _agreement_names(idx: ChainIndex, ids: tuple[str, ...]) -> str:
    key = ("agreement-names", ids)
    names: str | None = idx.memo.get(key)
    if names is None:
        parts = []
        for a_id in ids:
            a = idx.net.agreement_index[a_id]
            until = f", gültig bis {a.valid_until:%d.%m.%Y}" if a.valid_until else ""
            parts.append(f"„{a.name}“{until}")
        names = idx.memo[key] = "; ".join(parts)
    return names


def _transition_findings(idx: ChainIndex, tid: str, as_of: dt.date,
                         settings: AnalysisSettings, inactive: frozenset[str]) -> list[Finding]:
    t = idx.transitions[tid]
    if t.source in inactive:
        return []
    state = backing(idx, tuple(t.agreements), t.owner, as_of, settings)
    if (state.code is None and not state.owner_not_party and t.owner is not None
            and not t.person_dependent and t.target not in inactive
            and tid not in idx.language_breaks and tid not in idx.flows):
        return []  # the common case: a sound hand-off
    quarters = idx.quarters_of_transition[tid]
    label = transition_label(idx, tid)
    found: list[Finding] = []
    information = t.kind is TransitionKind.INFORMATION
    internal = is_internal(idx, tid)
    backing_codes = {"NO_AGREEMENT", "INFORMAL_ONLY", "AGREEMENT_EXPIRED",
                     "AGREEMENT_EXPIRING", "OWNER_NOT_PARTY"}

    def add(code: str, message: str, next_step: str) -> None:
        if code in _EXEMPT_DROPS and (internal or (information and code == "INFORMAL_ONLY")):
            return  # an internal hand-over, or information only: no contract needed
        finding = Finding.make(code, (tid,), quarters, message, next_step)
        if information and code in backing_codes:
            # the next step agrees with the message: no binding agreement asked for
            finding = replace(finding, severity=Severity.LOW,
                              message=finding.message + texts.INFORMATION_ONLY,
                              next_step=texts.INFORMATION_ONLY_NEXT
                              if code == "NO_AGREEMENT" else finding.next_step)
        found.append(finding)

    names = _agreement_names(idx, state.agreements)
    if state.code == "NO_AGREEMENT":
        message = (texts.NOT_STARTED.format(transition=label, agreements=names)
                   if state.agreements else texts.NO_AGREEMENT.format(transition=label))
        add("NO_AGREEMENT", message, texts.NO_AGREEMENT_NEXT)
    elif state.code == "INFORMAL_ONLY":
        add("INFORMAL_ONLY", texts.INFORMAL_ONLY.format(transition=label, agreements=names),
            texts.INFORMAL_ONLY_NEXT)
    elif state.code == "AGREEMENT_EXPIRED":
        add("AGREEMENT_EXPIRED", texts.EXPIRED.format(transition=label, agreements=names),
            texts.EXPIRED_NEXT)
    elif state.code == "AGREEMENT_EXPIRING":
        add("AGREEMENT_EXPIRING", texts.EXPIRING.format(
            transition=label, days=state.days_left, agreements=names), texts.EXPIRING_NEXT)
    if state.owner_not_party and t.owner is not None:
        add("OWNER_NOT_PARTY", texts.OWNER_NOT_PARTY.format(
            owner=idx.net.provider_index[t.owner].name, transition=label, agreements=names),
            texts.OWNER_NOT_PARTY_NEXT)
    if t.owner is None:
        add("NO_OWNER", texts.NO_OWNER.format(transition=label), texts.NO_OWNER_NEXT)
    if t.person_dependent:
        add("PERSON_DEPENDENT", texts.PERSON_DEPENDENT.format(transition=label),
            texts.PERSON_DEPENDENT_NEXT)
    if t.target in inactive:
        target = idx.services[t.target]
        add("TARGET_INACTIVE", texts.TARGET_INACTIVE.format(
            transition=label, day=f"{as_of:%d.%m.%Y}", state=_state(target, as_of)),
            texts.TARGET_INACTIVE_NEXT)
    elif lost := lost_languages(idx, tid, as_of):
        add("LANGUAGE_BREAK", texts.LANGUAGE_BREAK.format(
            transition=label, source=f"„{idx.services[t.source].name}“",
            languages=", ".join(texts.LANGUAGE_NAMES.get(x, x) for x in lost)),
            texts.LANGUAGE_BREAK_NEXT)
    flow = _newest_flow(idx, tid, as_of, settings)
    if flow is not None and flow.referred >= settings.min_referred:
        loss = 1 - flow.arrived / flow.referred
        if loss >= settings.loss_rate:
            add("HANDOFF_LOSS", texts.HANDOFF_LOSS.format(
                transition=label, start=f"{flow.period_start:%d.%m.%Y}",
                end=f"{flow.period_end:%d.%m.%Y}", arrived=flow.arrived,
                referred=flow.referred, loss=f"{loss:.0%}"), texts.HANDOFF_LOSS_NEXT)
    return found


def _state(service: object, as_of: dt.date) -> str:
    from graph.model import Service

    assert isinstance(service, Service)
    if service.valid_until is not None and as_of > service.valid_until:
        return f"beendet am {service.valid_until:%d.%m.%Y}"
    if service.valid_from is not None and as_of < service.valid_from:
        return f"beginnt erst am {service.valid_from:%d.%m.%Y}"
    return texts.STATE_LABELS[service.status.value]


def _newest_flow(idx: ChainIndex, tid: str, as_of: dt.date, settings: AnalysisSettings):  # type: ignore[no-untyped-def]
    window_start = as_of - dt.timedelta(days=settings.flow_window_days)
    usable = [f for f in idx.flows.get(tid, ()) if window_start <= f.period_end <= as_of]
    return max(usable, key=lambda f: f.period_end) if usable else None


def handoff_findings(idx: ChainIndex, as_of: dt.date, settings: AnalysisSettings,
                     inactive: frozenset[str],
                     quarters: Iterable[str] | None = None) -> list[Finding]:
    """Findings of the transitions of the given quarters (default: all)."""
    found: list[Finding] = []
    for tid in _suspects(idx, as_of, settings, inactive, quarters):
        found.extend(_transition_findings(idx, tid, as_of, settings, inactive))
    return found


def _suspects(idx: ChainIndex, as_of: dt.date, settings: AnalysisSettings,
              inactive: frozenset[str], quarters: Iterable[str] | None) -> list[str]:
    """Transitions that may have a finding: every other one is sound by construction
    (its backing is sound on the date, and nothing else about it is flagged)."""
    suspects: set[str] = set()
    if quarters is None:
        groups = [idx.signatures]
        suspects.update(idx.no_owner, idx.person_dependent, idx.language_breaks, idx.flows)
        wanted = None
    else:
        wanted = set(quarters)
        groups = [idx.quarters[q].signatures for q in wanted]
        for q in wanted:
            suspects.update(idx.quarters[q].flagged)
    for signatures in groups:
        for (agreement_ids, owner), tids in signatures.items():
            state = backing(idx, agreement_ids, owner, as_of, settings)
            if state.code is not None or state.owner_not_party:
                suspects.update(tids)
    for s in inactive:
        for tid in idx.incoming.get(s, ()):
            if wanted is None or wanted.intersection(idx.quarters_of_transition[tid]):
                suspects.add(tid)
    return sorted(suspects)  # the findings are sorted later; this only makes runs repeatable
