"""Sentences a use case says the same way through every door."""

from __future__ import annotations

from graph.vocabulary import count

__all__ = ["HSDS_REPLACE_LOSES", "hsds_replace_loses"]

HSDS_REPLACE_LOSES = ("HSDS führt keine Sozialraumdaten und keine Beschreibungen von "
                      "Quartieren: beim Ersetzen {go} {years} Sozialraumdaten des Speichers "
                      "verloren (die Sicherung behält sie). Mit {merge} bleiben sie erhalten.")


def hsds_replace_loses(years: int, merge: str) -> str | None:
    """What replacing the store by an HSDS file loses (None: no social data to lose);
    ``merge`` names the way that keeps them (``--merge``, „Zusammenführen“).

    >>> hsds_replace_loses(1, "--merge")[:60]
    'HSDS führt keine Sozialraumdaten und keine Beschreibungen vo'
    >>> hsds_replace_loses(0, "--merge") is None
    True
    """
    if not years:
        return None
    return HSDS_REPLACE_LOSES.format(go="geht" if years == 1 else "gehen",
                                     years=count(years, "Jahrgang", "Jahrgänge"), merge=merge)
