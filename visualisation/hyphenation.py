"""German hyphenation for labels: soft hyphens (U+00AD) where a word may break.

The map draws its labels on a canvas, where CSS ``hyphens: auto`` does not reach; so the
break points come from pyphen's German patterns and the page's script breaks a word
only there, and always with a visible hyphen. Parts of a compound that already has a
hyphen ("Eltern-Kind-Gruppe") are hyphenated one by one; short words stay whole.

>>> soft_hyphens("Schwangerschaftsberatung").replace(SOFT_HYPHEN, "|")
'Schwan|ger|schafts|be|ra|tung'
>>> soft_hyphens("Familienhebammen-Team (Frühe Hilfen)").replace(SOFT_HYPHEN, "|")
'Fami|li|en|heb|am|men-Team (Frühe Hilfen)'
>>> soft_hyphens("Kita") == "Kita"
True
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import pyphen

__all__ = ["SOFT_HYPHEN", "soft_hyphens"]

SOFT_HYPHEN = "\u00ad"
_MIN_LENGTH = 7  # shorter words are never broken
_WORD = re.compile(r"[^\W\d_]+")


@cache
def _dictionary() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="de_DE", left=3, right=3)


def _word(match: re.Match[str]) -> str:
    word = match.group(0)
    if len(word) < _MIN_LENGTH:
        return word
    return str(_dictionary().inserted(word, hyphen=SOFT_HYPHEN))


@lru_cache(maxsize=20_000)
def soft_hyphens(text: str) -> str:
    """``text`` with a soft hyphen at every German break point of its longer words."""
    return _WORD.sub(_word, text)
