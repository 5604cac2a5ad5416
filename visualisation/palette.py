"""Colours, line styles and the German legend, shared by every drawing.

The field colours are the Okabe–Ito palette (readable for colour-blind viewers and on a
projector); red is kept for problems alone.

>>> field_colour("health"), field_colour("unbekannt")
('#0072B2', '#9E9E9E')
>>> text_colour("#0072B2"), text_colour("#E69F00"), text_colour("#009E73")
('#FFFFFF', '#212121', '#212121')
>>> round(contrast_ratio("#FFFFFF", "#000000"), 1)
21.0
"""

from __future__ import annotations

__all__ = ["BACKGROUND_INK", "COLUMN_FILLS", "COOPERATION_WIDTH", "EDGE_STYLE", "FIELD_COLOURS",
           "GAP_COLUMN_FILL",
           "GAP_FILL", "INACTIVE_FILL", "INK", "MUTED_BORDER", "MUTED_FILL", "MUTED_INK",
           "OK_EDGE", "PROBLEM", "contrast_ratio", "edge_width", "field_colour",
           "text_colour"]

FIELD_COLOURS = {
    "health": "#0072B2",
    "education": "#E69F00",
    "youth_welfare": "#009E73",
    "social_security": "#CC79A7",
    "participation": "#56B4E9",
}
"""Fill colour of a service by its (first) field of action."""

_OTHER = ["#F0E442", "#8C6D31", "#5A5EC4", "#17BECF"]  # for fields of a custom catalogue
PROBLEM = "#C62828"
GAP_FILL = "#FDECEA"
INACTIVE_FILL = "#E0E0E0"
OK_EDGE = "#455A64"
INK = "#212121"
MUTED_FILL = "#F5F5F5"
"""Fill of a node that is not in focus (meeting mode, a family's path): pale but readable."""
MUTED_INK = "#545454"
MUTED_BORDER = "#BDBDBD"
BACKGROUND_INK = "#37474F"
"""Column and lane labels drawn on the map's background."""
COLUMN_FILLS = ("#F2F4F5", "#FAFAFA")
GAP_COLUMN_FILL = "#FCEEEE"
"""The tint of a life stage's column in which no service runs."""

# transition kind -> (German name, line width, dashed)
EDGE_STYLE: dict[str, tuple[str, float, bool]] = {
    "warm_handoff": ("Warme Übergabe", 4.0, False),
    "referral": ("Vermittlung", 2.0, False),
    "information": ("Nur Information", 1.5, True),
}


COOPERATION_WIDTH = {1: 1.0, 2: 2.0, 3: 3.5, 4: 5.0, 5: 7.0}
"""Line width of a transition by its cooperation quality (level 1–5, issue 17); a
transition without assessment keeps the width of its kind (EDGE_STYLE)."""


def edge_width(kind: str, cooperation: int | None) -> float:
    """The line width of a transition: its cooperation quality where assessed, else its
    kind's width.

    >>> edge_width("referral", None), edge_width("referral", 5)
    (2.0, 7.0)
    """
    return COOPERATION_WIDTH[cooperation] if cooperation else EDGE_STYLE[kind][1]


def field_colour(field_id: str, position: int | None = None) -> str:
    """The colour of a field; fields of a custom catalogue get one by their position."""
    if field_id in FIELD_COLOURS:
        return FIELD_COLOURS[field_id]
    if position is not None:
        return _OTHER[position % len(_OTHER)]
    return "#9E9E9E"


def _luminance(colour: str) -> float:
    """WCAG 2 relative luminance of ``#RRGGBB``."""
    channels = []
    for i in (1, 3, 5):
        c = int(colour[i:i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two ``#RRGGBB`` colours (1 to 21; text needs 4.5)."""
    a, b = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def text_colour(background: str) -> str:
    """White or near-black, whichever contrasts more with the fill (``#RRGGBB``)."""
    white, dark = contrast_ratio("#FFFFFF", background), contrast_ratio(INK, background)
    return "#FFFFFF" if white > dark else INK
