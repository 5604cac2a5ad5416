"""Example networks, loadable by name.

>>> [s.name for s in list_seeds()]
['brunnenstrasse', 'dortmund', 'unna', 'kreis-unna']
>>> net = load_seed("brunnenstrasse")
>>> [q.name for q in net.quarters]
['Brunnenstraßen-/Hannibalviertel']
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

from graph.errors import NotFoundError
from graph.formats.document import loads
from graph.network import Network

__all__ = ["REFERENCE_SEED", "SeedInfo", "list_seeds", "load_seed"]

REFERENCE_SEED = "brunnenstrasse"


@dataclass(frozen=True)
class SeedInfo:
    """A seed network: its name, title (German) and where it comes from."""

    name: str
    title: str
    file: str
    quarters: tuple[str, ...] = ()


_SEEDS = (
    SeedInfo("brunnenstrasse",
             "Referenzquartier Brunnenstraßen-/Hannibalviertel (Dortmund-Nordstadt)",
             "dortmund.yaml", ("brunnenstrasse",)),
    SeedInfo("dortmund",
             "Netzwerk INFamilie Dortmund: Brunnenstraße, Libellenquartier, Hörde",
             "dortmund.yaml"),
    SeedInfo("unna", "Brücken für Familien: Kreisstadt Unna (Kreis Unna)", "unna.yaml"),
    SeedInfo("kreis-unna", "Brücken für Familien: Kreis Unna mit Selm und Lünen "
             "(Kommunen ohne Stadtbezirke)", "kreis-unna.yaml"),
)


def list_seeds() -> list[SeedInfo]:
    """All seed networks, by name."""
    return list(_SEEDS)


def load_seed(name: str) -> Network:
    """The seed network called ``name`` (NotFoundError with suggestions otherwise)."""
    for info in _SEEDS:
        if info.name == name:
            text = resources.files("seeds").joinpath("data", info.file).read_text("utf-8")
            net = loads(text, source=f"seeds/data/{info.file}")
            if info.quarters:
                net = net.restricted_to(info.quarters, name=f"Netzwerk INFamilie – {info.title}")
            return net
    raise NotFoundError("Beispielnetz", name, [s.name for s in _SEEDS])
