"""Which field of which section names an entity of which other section.

One table for every reader that cuts a part out of a stored network
(:mod:`graph.backends.sqlite_part`, :mod:`graph.backends.neo4j_part`): a part is only a
valid network when it is closed under these references, and a reference that is optional
(a quarter's ``district`` *or* ``municipality``, an agreement's ``quarters``) is followed
like any other, whether it is there or not (``tests/test_quarter_questions.py``: every
quarter question on a part equals the whole network's, over networks of every hierarchy
shape).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["REFERENCES", "refs_in"]

REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "districts": (("municipality", "municipalities"),),
    "quarters": (("district", "districts"), ("municipality", "municipalities")),
    "sites": (("quarter", "quarters"),),
    "services": (("provider", "providers"), ("quarters", "quarters"), ("sites", "sites")),
    "transitions": (("source", "services"), ("target", "services"), ("owner", "providers"),
                    ("agreements", "agreements")),
    "agreements": (("parties", "providers"), ("quarters", "quarters")),
    "referral_flows": (("transition", "transitions"),),
    "measures": (("responsible", "providers"),),
}
"""Per section: (field, section it names) – the references :mod:`graph.network` checks."""


def refs_in(section: str, data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(section, id) of every entity the stored ``data`` of ``section`` names; a field
    that is missing, empty or None names nothing."""
    for field, target in REFERENCES.get(section, ()):
        value = data.get(field)
        for ref in (value if isinstance(value, list) else [value]):
            if isinstance(ref, str) and ref:
                yield target, ref
