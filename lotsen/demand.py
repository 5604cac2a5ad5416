"""Demand of a quarter per life stage, from its social data.

Capacity has a unit (places held at once, or starts per year), and demand follows it:
the children *in* a stage at once, or the *cohort* entering it per year. Where the
social data give no count for a stage, both are derived from births per year, pro rata
by the months the stage lasts (``derived`` says so, and messages say it too).

>>> from seeds import load_seed
>>> net = load_seed("brunnenstrasse")
>>> d = stage_demand(net, "brunnenstrasse", 2026)["preschool"]
>>> d.children, round(d.cohort), d.derived
(144, 48, False)
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.network import Network

__all__ = ["StageDemand", "stage_demand"]


@dataclass(frozen=True)
class StageDemand:
    """Children of one stage in a quarter: at once, per year entering, and whence."""

    stage: str
    children: float  # children in the stage at once
    cohort: float  # children entering the stage per year
    year: int  # year of the social data
    derived: bool = False  # estimated from births per year, pro rata by months
    births: int | None = None

    def for_unit(self, places: bool) -> float:
        """The demand a capacity of this unit is measured against."""
        return self.children if places else self.cohort


def stage_demand(net: Network, quarter: str, year: int) -> dict[str, StageDemand]:
    """Demand per stage id of a quarter (newest social data of ``year`` or before);
    empty without social data. Stages the data do not count are derived from births.

    >>> from graph.model import Quarter, SocialData
    >>> from graph.network import Network
    >>> net = Network(name="N", quarters=[], municipalities=[])
    >>> stage_demand(net.model_copy(update={"quarters": [Quarter(
    ...     id="q", name="Q", district="d",
    ...     social_data=[SocialData(year=2025, births_per_year=60)])]}), "q", 2026)[
    ...     "toddler"]
    StageDemand(stage='toddler', children=120.0, cohort=60.0, year=2025, derived=True, births=60)
    """
    key = f"lotsen.demand:{quarter}:{year}"
    cached = net.cache.get(key)
    if cached is None:
        cached = _demand(net, quarter, year)
        net.cache[key] = cached
    result: dict[str, StageDemand] = cached
    return result


def _demand(net: Network, quarter: str, year: int) -> dict[str, StageDemand]:
    data = net.quarter_index[quarter].social_data_for(year)
    if data is None:
        return {}
    out: dict[str, StageDemand] = {}
    for stage in net.catalogue.life_stages:
        months = max(1, stage.to_months - stage.from_months)
        counted = data.children_by_stage.get(stage.id)
        if counted is not None:
            out[stage.id] = StageDemand(stage.id, counted, counted * 12 / months, data.year,
                                        False, data.births_per_year)
        elif data.births_per_year is not None:
            births = data.births_per_year
            out[stage.id] = StageDemand(stage.id, births * months / 12, float(births),
                                        data.year, True, births)
    return out
