"""Finding things in the network by name or id: umlaut-insensitive („Froendenberg“
finds Fröndenberg/Ruhr) and typo-tolerant („Fröndenbrg“ too), grouped by kind.

A :class:`SearchIndex` is built once per network state: every name and id broken into
words (lower case, ä → ae, ß → ss, accents dropped). A query matches an entry when each
of its words is a word of the entry, the beginning of one, or one or two letters away
from one (:mod:`rapidfuzz`). Words are looked up in the vocabulary, not entry by entry,
so a Land network with hundreds of thousands of entries answers in milliseconds.

>>> from graph.model import Municipality
>>> from seeds import load_seed
>>> net = load_seed("kreis-unna")
>>> kommune = Municipality(id="froendenberg", name="Fröndenberg/Ruhr", county="Kreis Unna")
>>> index = SearchIndex(net.with_sections(municipalities=[*net.municipalities, kommune]))
>>> [h.name for h in index.search("Froendenberg").hits if h.section == "municipalities"]
['Fröndenberg/Ruhr']
>>> [h.name for h in index.search("Fröndenbrg").hits if h.section == "municipalities"]
['Fröndenberg/Ruhr']
>>> index.search("").total
0
"""

from __future__ import annotations

import bisect
import heapq
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from graph.network import KIND_NAMES, Network
from graph.vocabulary import ENUM_LABELS

__all__ = ["SEARCHED", "Hit", "Result", "SearchIndex", "normalize", "words"]

SEARCHED = ("municipalities", "districts", "quarters", "providers", "services",
            "transitions", "agreements", "sites", "measures", "meetings")
"""The kinds a search looks through, in the order its groups are shown."""

GROUP_NAMES = {"municipalities": "Kommunen", "districts": "Stadtbezirke", "quarters": "Quartiere",
               "providers": "Träger", "services": "Angebote", "transitions": "Übergänge",
               "agreements": "Vereinbarungen", "sites": "Standorte", "measures": "Maßnahmen",
               "meetings": "Sitzungen"}
"""The heading of each group of hits."""

_WORD = re.compile(r"[^\W_]+")
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_EXACT, _PREFIX, _CLOSE = 3, 2, 1


def normalize(text: str) -> str:
    """``text`` as the index compares it: lower case, umlauts spelt out, accents and
    punctuation gone.

    >>> normalize("Fröndenberg/Ruhr – Café")
    'froendenberg ruhr cafe'
    """
    return " ".join(words(text))


def words(text: str) -> list[str]:
    """The words of ``text`` after :func:`normalize`."""
    folded = text.casefold()
    if not folded.isascii():
        folded = folded.translate(_FOLD)
        if not folded.isascii():
            folded = "".join(c for c in unicodedata.normalize("NFKD", folded)
                             if not unicodedata.combining(c)).casefold().translate(_FOLD)
    return _WORD.findall(folded)


def _allowed(word: str) -> int:
    """How many letters a query word may be off: none for short words."""
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


@dataclass(frozen=True)
class Hit:
    section: str  # e.g. "providers"
    id: str
    name: str
    detail: str  # what tells two of the same name apart (provider, quarters …)
    score: int = 0


@dataclass
class Result:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0  # all matches (``hits`` may be cut at the limit)

    def groups(self) -> list[tuple[str, str, list[Hit]]]:
        """(section, German kind name, hits) in the order of :data:`SEARCHED`."""
        by: dict[str, list[Hit]] = defaultdict(list)
        for h in self.hits:
            by[h.section].append(h)
        return [(s, GROUP_NAMES.get(s, KIND_NAMES[s]), by[s]) for s in SEARCHED if by.get(s)]


def _name(section: str, entity: Any) -> str:
    if section == "measures":
        return str(entity.title)
    if section == "meetings":
        return str(entity.body)
    return str(entity.name)


class _SectionIndex:
    """The words of one section's entries; derived from the index of an earlier state
    of the section by the entries that changed (entities are immutable and shared
    between states, so an edit changes a handful of them)."""

    def __init__(self, section: str, items: list[Any],
                 earlier: _SectionIndex | None = None) -> None:
        self.section, self.items = section, items
        self.objects: dict[int, str] = {}  # id(entity) -> its key, for the next state
        self.names: dict[str, str] = {}
        if earlier is not None and self._derive(earlier):
            return
        postings: dict[str, set[str]] = defaultdict(set)
        for e in items:
            key = str(e.id)
            name = _name(section, e)
            self.objects[id(e)] = key
            self.names[key] = name
            for w in self._words(key, name):
                postings[w].add(key)
        self.postings = dict(postings)

    @staticmethod
    def _words(key: str, name: str) -> set[str]:
        return {*words(name), *words(key), f"\x00{key.casefold()}"}

    def _derive(self, earlier: _SectionIndex) -> bool:
        now = {id(e): e for e in self.items}
        gone = [(k, earlier.names[k]) for i, k in earlier.objects.items() if i not in now]
        new = [e for i, e in now.items() if i not in earlier.objects]
        if len(gone) + len(new) > max(50, len(self.items) // 10):
            return False  # much changed: built anew
        self.objects = {i: k for i, k in earlier.objects.items() if i in now}
        self.names = dict(earlier.names)
        postings = dict(earlier.postings)
        copied: set[str] = set()

        def own(w: str) -> set[str]:
            if w not in copied:
                postings[w] = set(postings.get(w, ()))
                copied.add(w)
            return postings[w]

        for key, name in gone:
            del self.names[key]
            for w in self._words(key, name):
                own(w).discard(key)
        for e in new:
            key, name = str(e.id), _name(self.section, e)
            self.objects[id(e)] = key
            self.names[key] = name
            for w in self._words(key, name):
                own(w).add(key)
        self.postings = {w: keys for w, keys in postings.items() if keys}
        return True


class SearchIndex:
    """Every searchable entry of ``net`` by its words (see the module docstring). With
    ``earlier`` (the index of an earlier state) only the changed entries are indexed."""

    def __init__(self, net: Network, earlier: SearchIndex | None = None) -> None:
        self.net = net
        self.sections: dict[str, _SectionIndex] = {}
        for section in SEARCHED:
            items = getattr(net, section)
            before = earlier.sections.get(section) if earlier is not None else None
            if before is not None and before.items is items:
                self.sections[section] = before
            else:
                self.sections[section] = _SectionIndex(section, items, before)
        self.vocabulary = sorted({w for x in self.sections.values() for w in x.postings
                                  if not w.startswith("\x00")})

    def _postings(self, word: str) -> list[tuple[str, set[str]]]:
        return [(section, x.postings[word]) for section, x in self.sections.items()
                if word in x.postings]

    def _vocabulary_matches(self, word: str) -> list[tuple[str, int]]:
        """The words of the index one query word matches, with how well (exact,
        beginning, one or two letters off)."""
        found: dict[str, int] = {}
        start = bisect.bisect_left(self.vocabulary, word)
        for w in self.vocabulary[start:]:
            if not w.startswith(word):
                break
            found[w] = _EXACT if w == word else _PREFIX
        if (k := _allowed(word)):
            for w, _, _ in process.extract(word, self.vocabulary, scorer=Levenshtein.distance,
                                           score_cutoff=k, limit=None):
                found.setdefault(w, _CLOSE)
        return sorted(found.items(), key=lambda x: -x[1])

    def search(self, query: str, limit: int = 200) -> Result:
        """The entries matching every word of ``query``, best first (at most ``limit``)."""
        wanted = list(dict.fromkeys(words(query)))[:8]
        result = Result(query.strip())
        if not wanted:
            return result
        matched = [[(w, score, self._postings(w)) for w, score in self._vocabulary_matches(q)]
                   for q in wanted]
        # the rarest word first: its entries are the candidates, the others only checked
        matched.sort(key=lambda m: sum(len(p) for _, _, found in m for _, p in found))
        scores: dict[tuple[str, str], int] = {}
        for _, score, found in matched[0]:
            for section, posting in found:
                for key in posting:
                    if scores.get((section, key), 0) < score:
                        scores[(section, key)] = score
        for m in matched[1:]:
            sets = [(dict(found), score) for _, score, found in m]
            kept: dict[tuple[str, str], int] = {}
            for (section, key), total in scores.items():
                best = next((score for by, score in sets if key in by.get(section, ())), 0)
                if best:
                    kept[(section, key)] = total + best
            scores = kept
            if not scores:
                return result
        for section, posting in self._postings(f"\x00{query.strip().casefold()}"):
            for key in posting:
                scores[(section, key)] = scores.get((section, key), 0) + 10  # the id itself
        order = {s: i for i, s in enumerate(SEARCHED)}
        names = {section: x.names for section, x in self.sections.items()}
        top = heapq.nsmallest(limit, scores.items(), key=lambda x: (
            -x[1], order[x[0][0]], names[x[0][0]][x[0][1]].casefold()))
        result.total = len(scores)
        result.hits = [_hit(self.net, section, key, names[section][key], score=s)
                       for (section, key), s in top]
        return result


def _hit(net: Network, section: str, key: str, name: str, score: int) -> Hit:
    """A found entry with its name and what tells it apart, for people."""
    detail = ""
    entity = getattr(net, f"{section[:-1]}_index", {}).get(key) if section in (
        "providers", "services", "transitions", "agreements", "quarters") else None
    provider = net.provider_index
    if section == "municipalities":
        detail = next((m.county or "" for m in net.municipalities if m.id == key), "")
    elif section == "districts":
        d = next((x for x in net.districts if x.id == key), None)
        detail = _municipality(net, d.municipality) if d else ""
    elif section == "quarters" and entity is not None:
        detail = _municipality(net, entity.municipality or "")
    elif section == "providers" and entity is not None:
        detail = ENUM_LABELS["ProviderKind"].get(entity.kind, entity.kind)
    elif section == "services" and entity is not None:
        places = ", ".join(net.quarter_index[q].name if q in net.quarter_index else q
                           for q in entity.quarters[:3])
        owner = provider[entity.provider].name if entity.provider in provider else ""
        detail = f"{owner} · {places}{' …' if len(entity.quarters) > 3 else ''}"
    elif section == "transitions" and entity is not None:
        names = [net.service_index[x].name if x in net.service_index else x
                 for x in (entity.source, entity.target)]
        name = name or " → ".join(names)
        detail = ENUM_LABELS["TransitionKind"].get(entity.kind, entity.kind)
    elif section == "agreements" and entity is not None:
        parties = [provider[p].name if p in provider else p for p in entity.parties[:3]]
        detail = ", ".join(parties) + (" …" if len(entity.parties) > 3 else "")
    elif section == "sites":
        site = next((x for x in net.sites if x.id == key), None)
        if site is not None:
            detail = site.address or (net.quarter_index[site.quarter].name
                                      if site.quarter in net.quarter_index else "")
    elif section == "measures":
        m = next((x for x in net.measures if x.id == key), None)
        if m is not None:
            detail = provider[m.responsible].name if m.responsible in provider else ""
    elif section == "meetings":
        meeting = next((x for x in net.meetings if x.id == key), None)
        if meeting is not None:
            detail = f"{meeting.date:%d.%m.%Y}"
    return Hit(section, key, name, detail, score)


def _municipality(net: Network, key: str) -> str:
    return next((m.name for m in net.municipalities if m.id == key), "")
