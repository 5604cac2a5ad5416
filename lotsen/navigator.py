"""The navigator (Lotse): which offer comes next for a family, and who hands them over.

For a quarter, a child's age in months, the family's language and needs (fields),
it lists the running services of the child's current life stage(s) and the next
stage, best matches first, each with the hand-off path to it (from the family's
current service, or from the chain's entry services) and, for every step, the owner
and the state of its agreement. When nothing fits, it says so plainly and returns
that as a finding (``NO_NEXT_SERVICE``).

>>> import datetime as dt
>>> from seeds import load_seed
>>> net = load_seed("brunnenstrasse")
>>> answer = next_services(net, "brunnenstrasse", age_months=24, language="ar",
...                        as_of=dt.date(2026, 11, 22))
>>> answer.suggestions[0].name
'Griffbereit – Baby-Eltern-Treff'
>>> [s.transition for s in answer.suggestions[0].path]
['familienhebammen-griffbereit']
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from graph.errors import NotFoundError
from graph.network import Network
from lotsen import texts
from lotsen.findings import Finding
from lotsen.index import get_index
from lotsen.ownership import ResponsibilityRow, _row
from lotsen.settings import AnalysisSettings

__all__ = ["NavigatorAnswer", "Suggestion", "age_words", "language_code", "next_services"]


@dataclass(frozen=True)
class Suggestion:
    """A service that fits the family, and how the family gets there."""

    service: str
    name: str
    provider_name: str
    stages: tuple[str, ...]
    languages: tuple[str, ...]
    speaks_family_language: bool
    current_stage: bool
    path: tuple[ResponsibilityRow, ...] | None  # None: no organised way there

    @property
    def reachable(self) -> bool:
        return self.path is not None


@dataclass(frozen=True)
class NavigatorAnswer:
    """The navigator's answer; ``finding`` is set when the chain has no answer."""

    quarter: str
    age_months: int
    language: str | None
    needs: tuple[str, ...]
    stages: tuple[str, ...]
    suggestions: list[Suggestion] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    finding: Finding | None = None


def language_code(text: str) -> str:
    """An ISO code from a code or a German language name ("Arabisch" → "ar").

    >>> language_code("Arabisch"), language_code("TR")
    ('ar', 'tr')
    """
    wanted = text.strip().casefold()
    if wanted in texts.LANGUAGE_NAMES:
        return wanted
    for code, name in texts.LANGUAGE_NAMES.items():
        if name.casefold() == wanted:
            return code
    raise NotFoundError("Sprache", text, [*texts.LANGUAGE_NAMES.values()])


def age_words(age_months: int) -> str:
    """The child's age after „ein Kind“: „von 24 Monaten“, „von 1 Monat“, or „vor der
    Geburt“ for a negative age (pregnancy).

    >>> age_words(24), age_words(1), age_words(-1)
    ('von 24 Monaten', 'von 1 Monat', 'vor der Geburt')
    """
    if age_months < 0:
        return "vor der Geburt"
    return "von 1 Monat" if age_months == 1 else f"von {age_months} Monaten"


def next_services(net: Network, quarter: str, age_months: int, language: str | None = None,
                  needs: Iterable[str] = (), current_service: str | None = None,
                  as_of: dt.date | None = None,
                  settings: AnalysisSettings | None = None) -> NavigatorAnswer:
    """The next suitable services for a family (see the module docstring)."""
    day, cfg = as_of or dt.date.today(), settings or AnalysisSettings()
    q = net.find_quarter(quarter)
    idx = get_index(net)
    cat = net.catalogue
    lang = language_code(language) if language else None
    wanted_fields = tuple(_field_id(net, n) for n in needs)
    now = [i for i, s in enumerate(cat.life_stages) if s.from_months <= age_months < s.to_months]
    if now:
        stages = sorted({*now, *(k for k in (max(now) + 1,) if k < len(cat.life_stages))})
    else:
        later = [i for i, s in enumerate(cat.life_stages) if s.from_months > age_months]
        stages = later[:1]
    stage_names = tuple(cat.life_stages[k].name for k in stages)
    answer = NavigatorAnswer(q.id, age_months, lang, wanted_fields, stage_names)
    inactive = idx.quarter_inactive(q.id, idx.inactive_on(day))
    active = [s for s in idx.quarters[q.id].services if s not in inactive]
    if current_service is not None:
        current = _current(net, current_service, active)
        starts = [current]
    else:
        current = None
        starts = [s for s in active if idx.entry_orders.intersection(idx.orders[s])]
    candidates = [s for s in active if s != current
                  and set(idx.orders[s]).intersection(stages)
                  and (not wanted_fields or set(idx.services[s].fields) & set(wanted_fields))]
    if lang and candidates and not any(lang in idx.services[s].languages for s in candidates):
        answer.notes.append(texts.NAV_NO_LANGUAGE.format(language=texts.LANGUAGE_NAMES.get(
            lang, lang)))
    paths = _paths(net, q.id, starts, set(active), day, cfg)
    for s in candidates:
        service = idx.services[s]
        answer.suggestions.append(Suggestion(
            service=s, name=service.name,
            provider_name=net.provider_index[service.provider].name,
            stages=tuple(cat.life_stages[k].name for k in idx.orders[s]),
            languages=tuple(service.languages),
            speaks_family_language=lang is None or lang in service.languages,
            current_stage=bool(set(idx.orders[s]).intersection(now)),
            path=paths.get(s)))
    if now and answer.suggestions and not any(x.current_stage for x in answer.suggestions):
        answer.notes.append(texts.NAV_NO_CURRENT.format(
            stages=", ".join(cat.life_stages[k].name for k in now)))
    answer.suggestions.sort(key=lambda x: (not x.speaks_family_language, x.path is None,
                                           not x.current_stage, len(x.path or ()), x.name))
    if not answer.suggestions or not any(x.path is not None for x in answer.suggestions):
        what = texts.NAV_NOTHING if not answer.suggestions else texts.NAV_NO_PATH
        message = what.format(quarter=q.name, age=age_words(age_months),
                              stages=", ".join(stage_names) or "–",
                              language=texts.LANGUAGE_NAMES.get(lang, lang) if lang else "–",
                              needs=", ".join(net.catalogue.field_names[f]
                                              for f in wanted_fields) or "–")
        finding = Finding.make("NO_NEXT_SERVICE", (q.id, str(age_months)), (q.id,), message,
                               texts.NAV_NEXT)
        object.__setattr__(answer, "finding", finding)
    return answer


def _field_id(net: Network, wanted: str) -> str:
    for f in net.catalogue.fields:
        if wanted in (f.id, f.name) or wanted.casefold() == f.name.casefold():
            return f.id
    raise NotFoundError("Handlungsfeld", wanted, [f.name for f in net.catalogue.fields])


def _current(net: Network, wanted: str, active: list[str]) -> str:
    for s in active:
        service = net.service_index[s]
        if wanted in (s, service.name) or wanted.casefold() == service.name.casefold():
            return s
    raise NotFoundError("Angebot", wanted, [net.service_index[s].name for s in active])


def _paths(net: Network, quarter: str, starts: list[str], active: set[str], day: dt.date,
           cfg: AnalysisSettings) -> dict[str, tuple[ResponsibilityRow, ...]]:
    """Shortest hand-off path (fewest steps) from any start to every reachable service."""
    idx = get_index(net)
    succ, incoming, transitions = idx.quarters[quarter].succ, idx.incoming, idx.transitions
    via: dict[str, tuple[str, str] | None] = {s: None for s in starts}
    queue = deque(starts)
    while queue:
        u = queue.popleft()
        for v in succ.get(u, ()):  # in the order of the transitions
            if v in active and v not in via:
                # the first transition from u to v (both in the quarter: it is the quarter's)
                t = next(x for x in incoming[v] if transitions[x].source == u)
                via[v] = (t, u)
                queue.append(v)
    paths: dict[str, tuple[ResponsibilityRow, ...]] = {}
    for target in via:
        steps: list[ResponsibilityRow] = []
        node = target
        while via[node] is not None:
            t, prev = via[node]  # type: ignore[misc]
            steps.append(_row(net, net.transition_index[t], day, cfg))
            node = prev
        paths[target] = tuple(reversed(steps))
    return paths
