"""Which part of the network a person or a program names: ``services``, ``referral-flows``,
``Angebote``, ``angebote`` (the Werkstatt's address) or ``Angebot`` – all the same.

>>> section_of("Angebote"), section_of("referral-flows"), section_of("Übergang")
('services', 'referral_flows', 'transitions')
"""

from __future__ import annotations

from graph.errors import NotFoundError
from graph.network import ALL_SECTIONS, KIND_NAMES
from graph.vocabulary import nfc

__all__ = ["PLURALS", "section_of"]

PLURALS = {"municipalities": "Kommunen", "districts": "Stadtbezirke", "quarters": "Quartiere",
           "providers": "Träger", "sites": "Standorte", "services": "Angebote",
           "transitions": "Übergänge", "agreements": "Vereinbarungen",
           "referral_flows": "Vermittlungszahlen", "accepted_findings": "Geprüfte Befunde",
           "measures": "Maßnahmen", "meetings": "Sitzungen"}
"""The German name of each section in the plural (lists, tables, messages)."""

_ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _norm(text: str) -> str:
    return nfc(text).strip().casefold().replace("-", "_").replace(" ", "_").translate(_ASCII)


def section_of(name: str) -> str:
    """The section a name stands for (NotFoundError with the German names otherwise)."""
    wanted = _norm(name)
    for section in ALL_SECTIONS:
        names = {section, KIND_NAMES.get(section, section), PLURALS.get(section, section)}
        if wanted in {_norm(n) for n in names}:
            return section
    raise NotFoundError("Bereich", name, list(PLURALS.values()))
