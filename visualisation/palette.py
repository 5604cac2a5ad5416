"""Colours, line styles and the German legend, shared by every drawing.

The field colours are the Okabe–Ito palette (readable for colour-blind viewers and on a
projector); red is kept for problems alone.

>>> field_colour("health"), field_colour("unbekannt")
('#0072B2', '#9E9E9E')
>>> text_colour("#0072B2"), text_colour("#E69F00")
('#FFFFFF', '#212121')
"""

from __future__ import annotations

__all__ = ["EDGE_STYLE", "FIELD_COLOURS", "GAP_FILL", "INACTIVE_FILL", "OK_EDGE", "PROBLEM",
           "field_colour", "text_colour"]

FIELD_COLOURS = {
    "health": "#0072B2",
    "education": "#E69F00",
    "youth_welfare": "#009E73",
    "social_security": "#CC79A7",
    "participation": "#56B4E9",
}
"""Fill colour of a service by its (first) field of action."""

_OTHER = ["#F0E442", "#8C6D31", "#6B6ECF", "#17BECF"]  # for fields of a custom catalogue
PROBLEM = "#C62828"
GAP_FILL = "#FDECEA"
INACTIVE_FILL = "#E0E0E0"
OK_EDGE = "#455A64"

# transition kind -> (German name, line width, dashed)
EDGE_STYLE: dict[str, tuple[str, float, bool]] = {
    "warm_handoff": ("Warme Übergabe", 4.0, False),
    "referral": ("Vermittlung", 2.0, False),
    "information": ("Nur Information", 1.5, True),
}


def field_colour(field_id: str, position: int | None = None) -> str:
    """The colour of a field; fields of a custom catalogue get one by their position."""
    if field_id in FIELD_COLOURS:
        return FIELD_COLOURS[field_id]
    if position is not None:
        return _OTHER[position % len(_OTHER)]
    return "#9E9E9E"


def text_colour(background: str) -> str:
    """White on dark fills, near-black on light ones (``#RRGGBB``)."""
    r, g, b = (int(background[i:i + 2], 16) for i in (1, 3, 5))
    return "#FFFFFF" if 0.299 * r + 0.587 * g + 0.114 * b < 140 else "#212121"
