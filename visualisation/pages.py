"""Our HTML templates and scripts (``visualisation/templates``), shared by map, matrix and
report pages.

>>> template_text("map.js").startswith("// Die interaktive Kettenkarte")
True
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import jinja2

from visualisation.hyphenation import soft_hyphens

__all__ = ["render_template", "template_text"]


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("visualisation", "templates"),
        autoescape=jinja2.select_autoescape(["html"]), keep_trailing_newline=True)
    env.filters["trennbar"] = soft_hyphens  # German break points for narrow cells
    from visualisation.browse import entry_url

    env.globals["entry_url"] = entry_url  # where an entry is shown in the Werkstatt
    return env


def render_template(name: str, **values: Any) -> str:
    """Render one of our HTML templates (values are escaped unless marked safe)."""
    return _environment().get_template(name).render(**values)


@cache
def template_text(name: str) -> str:
    """A file of the templates folder as it is (the page scripts), read once."""
    return (resources.files("visualisation") / "templates" / name).read_text("utf-8")
