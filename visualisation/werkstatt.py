"""Pieces of the Werkstatt pages drawn by the visualisation layer: the matrix as a
fragment, and the page assets (stylesheet, script) read from the package.

>>> import datetime as dt
>>> from seeds import load_seed
>>> html = matrix_fragment(load_seed("brunnenstrasse"), "brunnenstrasse", dt.date(2026, 11, 22))
>>> html.lstrip().startswith('<table class="matrix">')
True
>>> "hyphens" in static_text("werkstatt.css")
True
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources

from graph.network import Network
from visualisation.matrix import stage_field_matrix
from visualisation.pages import render_template
from visualisation.report import _colours

__all__ = ["STATIC_FILES", "matrix_fragment", "static_text"]

STATIC_FILES = {"werkstatt.css": "text/css; charset=utf-8",
                "werkstatt.js": "text/javascript; charset=utf-8"}


def matrix_fragment(net: Network, quarter: str, day: dt.date) -> str:
    """The stage × field table of a quarter, for embedding in a page."""
    matrix = stage_field_matrix(net, quarter, day)
    return render_template("matrix_table.html", matrix=matrix, colours=_colours(matrix))


@cache
def static_text(name: str) -> str:
    """A stylesheet or script of the Werkstatt (``visualisation/static``), read once."""
    if name not in STATIC_FILES:
        raise KeyError(name)
    return (resources.files("visualisation") / "static" / name).read_text("utf-8")
