"""Comparing quarters: which chain links one quarter has and another lacks.

The idea of the Transferbörse (Kreis Unna, seed document 004, 7.2): quarters trade
proven links of their chains. Two transitions are "the same link" when they lead from
the same life stage and fields to the same life stage and fields (the source's last
stage, the target's first stage): a Kita → Grundschule hand-off in one quarter is the
same link as in another, whatever the institutions are called.

>>> import datetime as dt
>>> from seeds import load_seed
>>> result = compare(load_seed("dortmund"), "brunnenstrasse", "hoerde",
...                  as_of=dt.date(2026, 11, 22))
>>> link = next(x for x in result.only_in_first
...             if "Kita-Sozialarbeit → Schulsozialarbeit an der Grundschule Kleine Kielstraße"
...             in x.examples["brunnenstrasse"])
>>> for part in link.label.split(" → "):
...     print(part)
Kita-Alter (3–6 Jahre) · Kinder- und Jugendhilfe
Übergang Kita–Grundschule · Kinder- und Jugendhilfe
>>> [x.label for x in result.shared][-1]
'Übergang Kita–Grundschule · Bildung → Grundschulalter (6–10 Jahre) · Bildung'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from graph.hierarchy import LEVELS, area_of
from graph.network import Network
from lotsen.handoffs import backing
from lotsen.index import ChainIndex, get_index
from lotsen.settings import AnalysisSettings

__all__ = ["Comparison", "Link", "LinkKey", "area_link_matrix", "area_names", "compare",
           "link_key", "link_label", "link_matrix"]

LinkKey = tuple[int, tuple[str, ...], int, tuple[str, ...]]


@dataclass(frozen=True)
class Link:
    """A kind of chain link, and how each quarter has it (transition ids, backed or not)."""

    key: LinkKey
    label: str
    examples: dict[str, list[str]] = field(default_factory=dict)  # quarter -> "A → B"
    backed: dict[str, bool] = field(default_factory=dict)  # quarter -> any validly bound


@dataclass(frozen=True)
class Comparison:
    """Links of two quarters: only in the first, only in the second, in both."""

    first: str
    second: str
    only_in_first: list[Link]
    only_in_second: list[Link]
    shared: list[Link]


def link_key(idx: ChainIndex, transition: str) -> LinkKey:
    """What kind of link a transition is: the source's last stage and fields, the
    target's first stage and fields (stage positions in the catalogue)."""
    t = idx.transitions[transition]
    src, tgt = idx.services[t.source], idx.services[t.target]
    return (idx.orders[src.id][-1], tuple(sorted(src.fields)), idx.orders[tgt.id][0],
            tuple(sorted(tgt.fields)))


def link_label(net: Network, key: LinkKey) -> str:
    """„Stage · fields → stage · fields“ in words."""
    cat = net.catalogue
    return (f"{cat.life_stages[key[0]].name} · "
            f"{', '.join(cat.field_names[f] for f in key[1])} → "
            f"{cat.life_stages[key[2]].name} · "
            f"{', '.join(cat.field_names[f] for f in key[3])}")


def link_matrix(net: Network, quarters: Iterable[str] | None = None,
                as_of: dt.date | None = None,
                settings: AnalysisSettings | None = None) -> list[Link]:
    """Every kind of link in the given quarters (default: all), with who has it.

    >>> import datetime as dt
    >>> from seeds import load_seed
    >>> links = link_matrix(load_seed("unna"), as_of=dt.date(2026, 11, 22))
    >>> sorted(links[0].examples)
    ['koenigsborn', 'unna-mitte']
    """
    day, cfg = as_of or dt.date.today(), settings or AnalysisSettings()
    idx = get_index(net)
    wanted = [net.find_quarter(q).id for q in quarters] if quarters else list(idx.quarters)
    links: dict[LinkKey, Link] = {}
    for q in wanted:
        inactive = idx.quarter_inactive(q, idx.inactive_on(day))
        for tid in idx.quarters[q].transitions:
            t = net.transition_index[tid]
            if t.source in inactive or t.target in inactive:
                continue
            src, tgt = idx.services[t.source], idx.services[t.target]
            key = link_key(idx, tid)
            link = links.get(key)
            if link is None:
                link = links[key] = Link(key, link_label(net, key))
            link.examples.setdefault(q, []).append(f"{src.name} → {tgt.name}")
            state = backing(idx, tuple(t.agreements), t.owner, day, cfg)
            link.backed[q] = link.backed.get(q, False) or state.code in (
                None, "AGREEMENT_EXPIRING")
    return sorted(links.values(), key=lambda x: (x.key[0], x.key[2], x.label))


def area_names(net: Network, level: str) -> dict[str, str]:
    """The name of each quarter's area of ``level``, as :func:`area_link_matrix` uses it:
    two areas of one name (a „Mitte“ in two towns) stay apart, such names get their id
    (a quarter without a municipality stands for itself).

    >>> from seeds import load_seed
    >>> area_names(load_seed("dortmund"), "district")["hoerde"]
    'Hörde'
    """
    if level not in LEVELS:
        raise ValueError(f"Unbekannte Ebene '{level}'; möglich sind: {', '.join(LEVELS)}.")
    areas = {q.id: ((a.level, a.id, a.name) if (a := area_of(net, q.id, level)) is not None
                    else ("quarter", q.id, q.name)) for q in net.quarters}
    ids_of_name: dict[str, set[tuple[str, str]]] = {}
    for kind, area_id, name in areas.values():
        ids_of_name.setdefault(name, set()).add((kind, area_id))
    return {q: (name if len(ids_of_name[name]) == 1 else f"{name} ({area_id})")
            for q, (_, area_id, name) in areas.items()}


def area_link_matrix(net: Network, level: str, as_of: dt.date | None = None,
                     quarters: Iterable[str] | None = None,
                     settings: AnalysisSettings | None = None) -> list[Link]:
    """:func:`link_matrix` per area of ``level`` (Stadtbezirk, Kommune, Kreis, Land; see
    :mod:`graph.hierarchy` for missing levels): an area has a link when one of its
    quarters has it, and has it backed when one of them has it backed. The keys of
    ``examples`` and ``backed`` are the areas' names.

    >>> import datetime as dt
    >>> from seeds import load_seed
    >>> links = area_link_matrix(load_seed("kreis-unna"), "municipality", dt.date(2026, 11, 22))
    >>> sorted({a for x in links for a in x.examples})
    ['Stadt Lünen', 'Stadt Selm']
    """
    by_quarter = link_matrix(net, quarters, as_of, settings)
    names = area_names(net, level)
    links = []
    for link in by_quarter:
        merged = Link(link.key, link.label)
        for q, examples in link.examples.items():
            area = names[q]
            for example in examples:
                if example not in merged.examples.setdefault(area, []):
                    merged.examples[area].append(example)
            merged.backed[area] = merged.backed.get(area, False) or link.backed.get(q, False)
        links.append(merged)
    return links


def compare(net: Network, first: str, second: str, as_of: dt.date | None = None,
            settings: AnalysisSettings | None = None) -> Comparison:
    """Links the first quarter has and the second lacks, and the other way round."""
    a, b = net.find_quarter(first).id, net.find_quarter(second).id
    links = link_matrix(net, [a, b], as_of, settings)
    return Comparison(
        first=a, second=b,
        only_in_first=[x for x in links if a in x.examples and b not in x.examples],
        only_in_second=[x for x in links if b in x.examples and a not in x.examples],
        shared=[x for x in links if a in x.examples and b in x.examples])
